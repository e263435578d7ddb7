// User journeys in real VS Code (code-server + Chromium) with the packaged extension installed from its .vsix,
// on copies of the Django fixture project. One server; one workbench window per fixture variant.
// Every journey saves screenshots under test-output/e2e/journey-*.png; a failure adds FAILED-*.png and names the
// code-server and browser logs.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  copyWorkspace, djangoFixture, e2eOutputDir, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, packageVsix, startCodeServer,
  type CodeServer,
} from './support/codeServer';
import {
  acceptCompletion, applyQuickFix, clearNotifications, clickDialogButton, clickNotificationButton, goToToken, problemsByFile, saveActiveEditor, step,
  waitForNotificationAnywhere, waitForNotificationGone, waitForOutputChannelLine, waitForProblemGone, waitForStatusBarIcon,
} from './support/journeySteps';
import { openWorkbench, type Workbench } from './support/workbench';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { sharedCluster, type PgCluster } from '../support/pgCluster';
import { debianPython } from '../support/python';

const SETTINGS = 'config/settings.py';
/** The hover waits for the extension and its language server to start in a cold workbench. */
const FIRST_HOVER_MS = 60_000;
/** Django's migrate on two cores, after the terminal's shell starts. */
const MIGRATE_MS = 90_000;
/** Where `npm run bench` reads the activation → initialized time of the real workbench. */
const ACTIVATION_FILE = join(e2eOutputDir, 'activation.json');

/** Sets OPTIONS['sslmode'] of a settings file to `value` (the fixture's own value may differ). */
function setSslmode(file: string, value: string): void {
  const text = readFileSync(file, 'utf8');
  const sslmode = /'sslmode':\s*'[^']*'/;
  assert.match(text, sslmode, `${file} sets OPTIONS['sslmode']`);
  writeFileSync(file, text.replace(sslmode, `'sslmode': '${value}'`));
}

/** The workbench in use, for the failure screenshot of afterEach. */
let current: Workbench | undefined;

describe('journeys in the real workbench', function () {
  this.timeout(120_000);
  let server: CodeServer;

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS + 120_000);
    await ensureCodeServerInstalled();
    const workspace = copyWorkspace(djangoFixture, 'journeys');
    setSslmode(join(workspace, SETTINGS), 'require');
    server = await startCodeServer({ workspace, vsix: await packageVsix(), label: 'journeys' });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !current) return;
    const shot = await current.screenshot(`FAILED-${this.currentTest.title.slice(0, 40)}`).catch((e: Error) => `(none: ${e.message})`);
    console.log(`      screenshot: ${shot}\n      code-server log: ${server.logFile}`);
  });

  after(async () => {
    await current?.close();
    await server?.stop();
  });

  /** A copy of the fixture project named mysite with `dotenv` as its .env and Debian's Django as its .venv, opened in a window. */
  async function openProject(prefix: string, dotenv: string): Promise<{ wb: Workbench; project: string }> {
    const python = await debianPython();
    // A folder named like a real project: its name shows in the terminal and the messages.
    const project = join(mkdtempSync(join(e2eOutputDir, prefix)), 'mysite');
    cpSync(djangoFixture, project, { recursive: true });
    writeFileSync(join(project, '.env'), dotenv);
    // Run migrate finds the project's .venv: here Debian's python3 with its Django and psycopg2.
    symlinkSync(dirname(dirname(python.python)), join(project, '.venv'));
    const wb = current = await openWorkbench(server, { folder: project });
    // The status bar item appears when the extension has activated: its commands are then in the palette.
    await wb.statusBarText(/Postgres: default/, 60_000);
    return { wb, project };
  }

  /** Run migrate from the palette, then the migrations recorded in the app database. */
  async function runMigrateAndCheck(wb: Workbench, cluster: PgCluster, database: string, screenshot: string): Promise<void> {
    await wb.runCommand('Django Postgres: Run migrate');
    await wb.pickItem(/Apply all migrations to the default database/);
    await wb.waitForTerminalText(/^\s*Applying items\.0001_initial\.\.\. OK\s*$/m, MIGRATE_MS);
    await waitForNotificationAnywhere(wb, /manage\.py migrate succeeded for mysite/, { timeoutMs: MIGRATE_MS, screenshot });
    const applied = await cluster.sql<{ app: string }>('SELECT DISTINCT app FROM django_migrations ORDER BY app', [], database);
    assert.deepEqual(applied.map((row) => row.app), ['auth', 'contenttypes', 'items'], 'the migrations are recorded in the app database');
  }

  describe('a settings file with sslmode require', () => {
    let wb: Workbench;
    before(async () => {
      wb = current = await openWorkbench(server, { folder: server.workspace, openFile: SETTINGS });
    });
    after(async () => {
      await wb?.close();
      current = undefined;
    });

    it("1: hovering 'sslmode' in OPTIONS explains it and its values; hovering 'require' explains that value", async () => {
      const keyHover = await wb.hoverToken("'sslmode'", { line: 'sslmode', expect: /verify-full/, timeoutMs: FIRST_HOVER_MS });
      assert.match(keyHover, /SSL|TLS/i, 'the sslmode hover says what the keyword is about');
      for (const value of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']) {
        assert.match(keyHover, new RegExp(`\\b${value}\\b`), `the sslmode hover lists ${value}`);
      }

      const valueHover = await wb.hoverToken("'require'", { line: 'sslmode', expect: /require/ });
      assert.notEqual(valueHover, keyHover, 'hovering the value explains the value, not the keyword');
      assert.match(valueHover, /encrypt|SSL|TLS/i, 'the require hover says what the value does');
      await wb.screenshot('journey-1-sslmode-require-hover');
    });

    it('logs the time from activation to the language server initialize response (for npm run bench)', async () => {
      const match = await waitForOutputChannelLine(server, 'Django Postgres', /Language server initialized ([\d.]+) ms after activation\./);
      const own = await waitForOutputChannelLine(server, 'Django Postgres', /Activation took ([\d.]+) ms before starting the language server\./);
      const ms = Number(match[1]);
      const ownMs = Number(own[1]);
      assert.ok(ms > 0 && ms < 60_000, `a plausible activation → initialized time: ${match[0]}`);
      assert.ok(ownMs >= 0 && ownMs <= ms, `the extension's own part is within the total: ${own[0]}`);
      writeFileSync(ACTIVATION_FILE, `${JSON.stringify({ ms, ownMs })}\n`);
      console.log(`      activation → language server initialized: ${ms} ms, of which the extension's own work: ${ownMs} ms`);
    });
  });

  describe('a project whose role and database do not exist yet', () => {
    let wb: Workbench;
    let cluster: PgCluster;
    let project: string;
    /** Unique per run: the cluster is shared by every suite of the test process. */
    const appName = `e2e_shop_${process.pid}`;

    before(async function () {
      this.timeout(180_000);
      cluster = await sharedCluster();
      // No DB_PASSWORD: the command offers to generate one into .env.
      ({ wb, project } = await openProject('journeys-db-', `DB_NAME=${appName}\nDB_USER=${appName}\nDB_PASSWORD=\nDB_HOST=${cluster.host}\nDB_PORT=${cluster.port}\n`));
    });
    after(async () => {
      await wb?.close();
      current = undefined;
    });

    it('2: Create Postgres DB for Django creates the role and database; Test Connection succeeds; Run migrate migrates', async function () {
      this.timeout(300_000);
      await wb.runCommand('Django Postgres: Create Postgres DB for Django');
      await clickDialogButton(wb, /has no password/, 'Generate and save to .env');
      const plan = await clickDialogButton(wb, new RegExp(`Create role "${appName}" and database "${appName}"`), 'Connect as admin');
      assert.match(plan, new RegExp(`${cluster.host}:${cluster.port}`), 'the plan names the server of the settings');
      await wb.answerInput(/user@host:port/, `${cluster.superuser}@${cluster.host}:${cluster.port}`);
      await wb.answerInput(/Password of the admin role "postgres"/, cluster.superPassword);

      const summary = await wb.waitForNotification(/ready for migrate/, 60_000);
      assert.doesNotMatch(summary, new RegExp(cluster.superPassword), 'the admin password is never shown');
      await wb.screenshot('journey-2-create-db-summary');
      await clickNotificationButton(wb, /Remember the password of postgres@/, 'Not now');
      const roles = await cluster.sql<{ rolname: string; rolcanlogin: boolean }>('SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = $1', [appName]);
      assert.deepEqual(roles, [{ rolname: appName, rolcanlogin: true }], 'the app role exists and can log in');
      const dbs = await cluster.sql('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [appName]);
      assert.deepEqual(dbs, [{ owner: appName }], 'the app database exists, owned by the app role');
      const dotenv = readFileSync(join(project, '.env'), 'utf8');
      assert.match(dotenv, /^DB_PASSWORD=\S{20,}$/m, 'a generated password was written to .env');

      await clickNotificationButton(wb, /ready for migrate/, 'Test Connection');
      const status = await waitForStatusBarIcon(wb, /Postgres: default/, 'check');
      assert.match(status, /Postgres: default/, 'the status bar shows the alias with a check mark');
      await waitForNotificationGone(wb, /Testing the connection/);
      const connected = await waitForNotificationAnywhere(wb, new RegExp(`Alias "default" connected: PostgreSQL .*${appName}@${appName}`),
        { timeoutMs: 60_000, screenshot: 'journey-2-test-connection' });
      if (connected.where === 'center') console.log('      (the Test Connection result showed in the notification center, not as a toast)');
      assert.match(connected.text, /no SSL/, 'the test reports the session as the app will see it');

      await clearNotifications(wb); // keeps the terminal in view
      await runMigrateAndCheck(wb, cluster, appName, 'journey-2-run-migrate');
    });

    it('3: the PgBouncer snippet, inserted by completion in an empty settings file, fills its tab stops and raises no problem', async () => {
      // A settings module of its own (settings/*.py), named apart from config/settings.py for quick open.
      const relative = 'deploy/settings/pgbouncer.py';
      const file = join(project, relative);
      await clearNotifications(wb);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '');
      await wb.openFile(relative);
      await acceptCompletion(wb, 'dbpg-pgbouncer', /dbpg-pgbouncer|behind PgBouncer/);
      // The cursor is on the first tab stop (the database name), then the user, host and port.
      for (const value of ['shop', 'shop_user', '10.0.0.5', '6433']) {
        await wb.page.keyboard.type(value);
        await wb.page.keyboard.press('Tab');
      }
      const saved = await saveActiveEditor(wb, file, (text) => text.includes('6433'));
      assert.match(saved, /os\.environ\.get\("DB_NAME", "shop"\)/, 'tab stop 1 is the database name');
      assert.match(saved, /os\.environ\.get\("DB_USER", "shop_user"\)/, 'tab stop 2 is the user');
      assert.match(saved, /os\.environ\.get\("PGBOUNCER_HOST", "10\.0\.0\.5"\)/, 'tab stop 3 is the PgBouncer host');
      assert.match(saved, /os\.environ\.get\("PGBOUNCER_PORT", "6433"\)/, 'tab stop 4 is the PgBouncer port');
      assert.match(saved, /"DISABLE_SERVER_SIDE_CURSORS": True/);
      assert.match(saved, /"CONN_MAX_AGE": 0/);

      // A hover on the inserted block answers only once the server has analysed this text, and its diagnostics
      // are published before that answer: so an empty Problems list afterwards is the server's verdict.
      await wb.hoverToken('"DISABLE_SERVER_SIDE_CURSORS"', { expect: /cursor/i });
      const problems = (await problemsByFile(wb)).filter((group) => /pgbouncer\.py/.test(group.file));
      assert.deepEqual(problems.flatMap((group) => group.problems).filter((p) => /error|warning/i.test(p)), [],
        `no error or warning for ${relative}; the panel shows ${JSON.stringify(problems)}`);
      await wb.screenshot('journey-3-pgbouncer-snippet');
    });

    it("a typo 'sslmode': 'requre' shows in the Problems panel with a quick fix that clears it", async () => {
      const file = join(project, SETTINGS);
      await clearNotifications(wb);
      setSslmode(file, 'requre');
      await wb.openFile(SETTINGS);
      const rows = await wb.waitForProblem(/Invalid sslmode value 'requre'/);
      const typo = rows.find((row) => /requre/.test(row)) ?? '';
      assert.match(typo, /DPG102/, 'the problem carries its code');
      assert.match(typo, /require/, 'the message suggests require');
      const settingsProblems = (await problemsByFile(wb)).find((group) => group.problems.some((p) => /requre/.test(p)));
      assert.match(settingsProblems?.file ?? '', /settings\.py/, 'the Problems panel files the typo under settings.py');
      await step(wb, 'screenshot with the Problems panel', () => wb.screenshot('journey-typo-problem'));

      await goToToken(wb, file, "'requre'");
      const titles = await applyQuickFix(wb, "Change to 'require'", 'journey-typo-quick-fix');
      assert.ok(titles.some((t) => /Change to 'require'/.test(t)), `the quick fix is offered: ${JSON.stringify(titles)}`);
      await waitForProblemGone(wb, /Invalid sslmode value 'requre'/);
      const fixed = await saveActiveEditor(wb, file, (text) => !text.includes('requre'));
      assert.match(fixed, /'sslmode': 'require'/, 'the fix wrote the valid value');
      await wb.screenshot('journey-typo-fixed');
    });
  });

  describe("a project whose .env holds a password with #, quotes, $ and a backslash, unquoted as python-dotenv allows", () => {
    let wb: Workbench;
    let cluster: PgCluster;
    const appName = `e2e_dotenv_${process.pid}`;
    /** python-dotenv keeps a '#' glued to the text before it, and quotes, '$x' and '\\' inside an unquoted value. */
    const password = `p#ss"w'rd$x\\y-${process.pid}`;

    before(async function () {
      this.timeout(180_000);
      cluster = await sharedCluster();
      await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(appName)} WITH (FORCE)`);
      await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(appName)}`);
      await cluster.sql(`CREATE ROLE ${escapeIdentifier(appName)} LOGIN PASSWORD ${escapeLiteral(password)}`);
      await cluster.sql(`CREATE DATABASE ${escapeIdentifier(appName)} OWNER ${escapeIdentifier(appName)}`);
      ({ wb } = await openProject('journeys-dotenv-', `DB_NAME=${appName}\nDB_USER=${appName}\nDB_PASSWORD=${password}\nDB_HOST=${cluster.host}\nDB_PORT=${cluster.port}\n`));
    });
    after(async () => {
      await wb?.close();
      current = undefined;
    });

    it('4: Test Connection connects with the password Django reads, and Run migrate migrates with it', async function () {
      this.timeout(300_000);
      await wb.runCommand('Django Postgres: Test Connection');
      const connected = await waitForNotificationAnywhere(wb, new RegExp(`Alias "default" connected: PostgreSQL .*${appName}@${appName}`),
        { timeoutMs: 60_000, screenshot: 'journey-4-dotenv-test-connection' });
      assert.doesNotMatch(connected.text, /p#ss/, 'the password is never shown');

      await clearNotifications(wb);
      await runMigrateAndCheck(wb, cluster, appName, 'journey-4-dotenv-run-migrate');
    });
  });
});
