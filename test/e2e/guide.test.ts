// The rest of the guide in the real workbench (code-server + Chromium), on a copy of the N+1 fixture
// project pointed at a real PostgreSQL: the N+1 hint and its quick fix, Toggle SQL Logging, and psql
// opened from the code lens above the alias, logged in as the alias's role without showing its password.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeIdentifier, escapeLiteral } from 'pg';
import {
  copyWorkspace, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, packageVsix, repoRoot, startCodeServer, type CodeServer,
} from './support/codeServer';
import { applyQuickFix, clearNotifications, saveActiveEditor, waitForProblemGone } from './support/journeySteps';
import { openWorkbench, type Workbench } from './support/workbench';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

const SETTINGS = 'site_config/settings.py';

/** Command lines of every running psql process. */
function psqlCommandLines(): string[] {
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv[0].endsWith('psql') ? [argv.join(' ')] : [];
    } catch {
      return [];
    }
  });
}

describe('the guide in the real workbench: N+1 hints, SQL logging, psql', function () {
  this.timeout(120_000);
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let cluster: PgCluster;
  let workspace: string;
  const role = { name: `e2e_psql_${process.pid}`, password: `pw-${randomBytes(9).toString('hex')}` };

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS + 180_000);
    await ensureCodeServerInstalled();
    cluster = await sharedCluster();
    await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(role.name)} WITH (FORCE)`);
    await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(role.name)}`);
    await cluster.sql(`CREATE ROLE ${escapeIdentifier(role.name)} LOGIN PASSWORD ${escapeLiteral(role.password)}`);
    await cluster.sql(`CREATE DATABASE ${escapeIdentifier(role.name)} OWNER ${escapeIdentifier(role.name)}`);
    workspace = copyWorkspace(join(repoRoot, 'test', 'fixtures', 'nplusone'), 'guide');
    writeFileSync(join(workspace, '.env'),
      `DB_NAME=${role.name}\nDB_USER=${role.name}\nDB_PASSWORD=${role.password}\nDB_HOST=${cluster.host}\nDB_PORT=${cluster.port}\n`);
    server = await startCodeServer({ workspace, vsix: await packageVsix(), label: 'guide' });
    wb = await openWorkbench(server, { folder: workspace, openFile: SETTINGS });
    await wb.statusBarText(/Postgres: default/, 60_000);
  });

  after(async () => {
    await wb?.close();
    await server?.stop();
    await cluster?.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(role.name)} WITH (FORCE)`);
    await cluster?.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(role.name)}`);
  });

  it('Toggle SQL Logging adds the block under DEBUG, and removes it again', async () => {
    await wb!.runCommand('Django Postgres: Toggle SQL Logging');
    assert.match(await wb!.waitForNotification(/SQL logging is on in site_config\/settings\.py/), /while DEBUG is True/);
    const editor = wb!.page.locator('.editor-instance .view-lines').first();
    await wb!.page.keyboard.press('Control+End');
    await editor.getByText('SQL logging while DEBUG is on').first().waitFor();
    await wb!.screenshot('guide-sql-logging');
    await clearNotifications(wb!);
    await wb!.runCommand('Django Postgres: Toggle SQL Logging');
    await wb!.waitForNotification(/SQL logging removed from site_config\/settings\.py/);
    await editor.getByText('SQL logging while DEBUG is on').first().waitFor({ state: 'detached' });
    await clearNotifications(wb!);
  });

  it('the code lens opens psql as the alias role; the password is not on screen nor on a command line', async () => {
    const page = wb!.page;
    await wb!.openFile(SETTINGS);
    await page.locator('.codelens-decoration a', { hasText: 'Open psql' }).first().click();
    await wb!.waitForTerminalText(new RegExp(`^${role.name}=>`, 'm'), 30_000);
    assert.ok(psqlCommandLines().length > 0, 'psql runs');
    for (const line of psqlCommandLines()) assert.ok(!line.includes(role.password), `the password is on a command line: ${line}`);
    await page.locator('.terminal-wrapper').first().click();
    await page.keyboard.type('select current_user;');
    await page.keyboard.press('Enter');
    const text = await wb!.waitForTerminalText(new RegExp(`^\\s*${role.name}\\s*$\\s*^\\(1 row\\)`, 'm'), 30_000);
    assert.match(text, /current_user/);
    assert.ok(!text.includes(role.password), 'the password is never shown');
    await wb!.screenshot('guide-psql');
    await page.keyboard.type('\\q');
    await page.keyboard.press('Enter');
  });

  it('points at an N+1 loop with the query count, and the quick fix adds select_related', async () => {
    await wb!.openFile('catalog/shapes.py');
    const hint = /1 \+ 2N queries: `book\.author\.publisher`/;
    const rows = await wb!.waitForProblem(hint, 60_000);
    assert.ok(rows.some((row) => /DPG401/.test(row)), rows.join('\n'));
    await clearNotifications(wb!);
    // Selecting the problem puts the cursor on it, where Ctrl+. offers its fix.
    await wb!.page.locator('.markers-panel .monaco-list-row', { hasText: hint }).first().click();
    await applyQuickFix(wb!, "Add select_related('author__publisher')", 'guide-n-plus-one');
    const saved = await saveActiveEditor(wb!, join(workspace, 'catalog', 'shapes.py'), (text) => text.includes(".select_related('author__publisher')"));
    assert.match(saved, /for book in Book\.objects\.all\(\)\.select_related\('author__publisher'\):/);
    await waitForProblemGone(wb!, hint);
  });
});
