// New Django Project on PostgreSQL in the real workbench (code-server + Chromium), from an empty folder:
// the command creates the project with a .venv and pip (uv is not installed here), offers Create Postgres
// DB for Django, which creates the role and database .env names; the project's `manage.py check` passes
// and `manage.py migrate` reaches PostgreSQL.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { escapeIdentifier } from 'pg';
import { e2eOutputDir, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, packageVsix, startCodeServer, type CodeServer } from './support/codeServer';
import { clickDialogButton, clickNotificationButton } from './support/journeySteps';
import { openWorkbench, type Workbench } from './support/workbench';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

const run = promisify(execFile);
/** python3 -m venv and pip install of Django and psycopg from the local cache, on two shared cores. */
const CREATE_PROJECT_MS = 420_000;

describe('New Django Project on PostgreSQL in the real workbench', function () {
  this.timeout(120_000);
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let cluster: PgCluster;
  let folder: string;
  const name = `shop_${process.pid}`;

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS + 120_000);
    await ensureCodeServerInstalled();
    cluster = await sharedCluster();
    mkdirSync(e2eOutputDir, { recursive: true });
    folder = join(mkdtempSync(join(e2eOutputDir, 'new-project-')), 'shop');
    mkdirSync(folder);
    // libpq's own defaults: the new .env points at the server they name.
    // The harness moves the XDG folders for code-server: keep pip on the machine's own configuration and
    // cache (they name the local package index that serves Django here).
    const pipEnv: Record<string, string> = {
      PIP_CACHE_DIR: process.env.PIP_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pip'),
    };
    const pipConfig = process.env.PIP_CONFIG_FILE ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'pip', 'pip.conf');
    if (existsSync(pipConfig)) pipEnv.PIP_CONFIG_FILE = pipConfig;
    server = await startCodeServer({
      workspace: folder, vsix: await packageVsix(), label: 'new-project', env: { PGHOST: cluster.host, PGPORT: String(cluster.port), ...pipEnv },
    });
    wb = await openWorkbench(server, { folder });
  });

  after(async () => {
    await wb?.close();
    await server?.stop();
    await cluster?.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await cluster?.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(name)}`);
  });

  it('creates the project in an empty folder, then Create DB; check passes and migrate reaches PostgreSQL', async function () {
    this.timeout(CREATE_PROJECT_MS + 240_000);
    assert.deepEqual(readdirSync(folder), [], 'the folder starts empty');
    // In an empty folder nothing activates the extension: its commands reach the palette once the
    // extension host has read the installed extensions.
    const title = 'Django Postgres: New Django Project on PostgreSQL';
    for (const deadline = Date.now() + 60_000; ;) {
      await wb!.page.keyboard.press('F1');
      const input = wb!.page.locator('.quick-input-widget input').first();
      await input.fill(`>${title}`);
      const row = wb!.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      if (await row.waitFor({ timeout: 3_000 }).then(() => true, () => false)) {
        await row.click();
        break;
      }
      await wb!.page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`${title} never appeared in the command palette`);
    }
    await wb!.answerInput(/Project name/, name);
    const ready = await wb!.waitForNotification(new RegExp(`Django project "${name}" is ready \\(pip\\)`), CREATE_PROJECT_MS);
    assert.match(ready, /Create the PostgreSQL role and database now\?/);
    await wb!.screenshot('guide-new-project');
    const dotenv = readFileSync(join(folder, '.env'), 'utf8');
    assert.match(dotenv, new RegExp(`^DB_HOST=${cluster.host}$`, 'm'));
    assert.match(readFileSync(join(folder, '.gitignore'), 'utf8'), /^\.env$/m);
    const password = /^DB_PASSWORD=(\S+)$/m.exec(dotenv)![1];

    await clickNotificationButton(wb!, /is ready/, 'Create Postgres DB for Django');
    await clickDialogButton(wb!, new RegExp(`Create role "${name}" and database "${name}"`), 'Connect as admin');
    await wb!.answerInput(/user@host:port/, `${cluster.superuser}@${cluster.host}:${cluster.port}`);
    await wb!.answerInput(/Password of the admin role "postgres"/, cluster.superPassword);
    const summary = await wb!.waitForNotification(/ready for migrate/, 60_000);
    assert.doesNotMatch(summary, new RegExp(password), 'the generated password is not shown');

    // The project as its developer runs it, from a shell without the .env variables.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const python = join(folder, '.venv', 'bin', 'python');
    const check = await run(python, ['manage.py', 'check'], { cwd: folder, env, timeout: 120_000 });
    assert.match(check.stdout, /System check identified no issues/);
    const migrate = await run(python, ['manage.py', 'migrate'], { cwd: folder, env, timeout: 180_000 });
    assert.match(migrate.stdout, /Applying contenttypes\.0001_initial\.\.\. OK/);
    const [{ owner }] = await cluster.sql<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'django_migrations'`, [], name);
    assert.equal(owner, name, 'the tables belong to the project role');
  });
});
