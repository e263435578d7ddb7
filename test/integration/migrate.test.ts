// Run migrate end to end: the fixture Django project, a real PostgreSQL, a real Django. The command is
// planned by the same code the VS Code command uses (python command, .env, manage.py argv) and then
// started as a process, as the terminal would.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { lookupEnvironmentOf, pythonFilesOnDisk } from '../../server/src/project/projectDotenv';
import { resolveSettingsFile } from '../../server/src/model/resolve';
import { testConnection } from '../../server/src/postgres';
import { describeManageOutcome, manageVariant, shellLine, type ManageRunPlan } from '../../server/src/project/manageCommand';
import { fixtureProjectFor, planManageFor, runPlan, type AppDatabase, type RunResult } from '../support/djangoProject';
import { sharedCluster, type PgCluster } from '../support/pgCluster';
import { debianPython, djangoLtsPython, pythonDotenvOracle, type TestPython } from '../support/python';

describe('Run migrate on the fixture Django project against PostgreSQL', function () {
  this.timeout(240_000);
  let cluster: PgCluster;
  const scratchDirs: string[] = [];
  const databases: AppDatabase[] = [];
  let debianMigrated = false;

  before(async () => {
    cluster = await sharedCluster();
  });

  after(async () => {
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    for (const db of databases) {
      await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(db.name)} WITH (FORCE)`);
      await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(db.user)}`);
    }
  });

  async function createAppDatabase(): Promise<AppDatabase> {
    const suffix = randomBytes(4).toString('hex');
    // Quotes, a dollar, a space and a semicolon: whatever quoting a command line would need, the password never goes there.
    const db = { name: `django_app_${suffix}`, user: `django_app_${suffix}`, password: `pw'"$HOME ;${suffix}` };
    await cluster.sql(`CREATE ROLE ${escapeIdentifier(db.user)} LOGIN PASSWORD ${escapeLiteral(db.password)}`);
    await cluster.sql(`CREATE DATABASE ${escapeIdentifier(db.name)} OWNER ${escapeIdentifier(db.user)}`);
    databases.push(db);
    return db;
  }

  const projectFor = (db: AppDatabase, password = db.password) => fixtureProjectFor(db, cluster, scratchDirs, password);
  const planFor = planManageFor;

  function assertNoSecret(plan: ManageRunPlan, result: RunResult, secret: string): void {
    assert.ok(!plan.argv.some((arg) => arg.includes(secret)), 'password in argv');
    assert.ok(!shellLine(plan.argv, 'posix').includes(secret), 'password in the POSIX command line');
    assert.ok(!shellLine(plan.argv, 'powershell').includes(secret), 'password in the PowerShell command line');
    if (process.platform === 'linux') assert.match(result.processCommandLine ?? '', /manage\.py/, 'the running command line was not read');
    if (result.processCommandLine !== undefined) assert.ok(!result.processCommandLine.includes(secret), 'password in /proc/PID/cmdline');
    assert.ok(!result.output.includes(secret), "password in Django's output");
  }

  async function assertMigrated(db: AppDatabase): Promise<void> {
    const [tables] = await cluster.sql<{ items: string | null; migrations: string | null }>(
      "SELECT to_regclass('public.items_item')::text AS items, to_regclass('public.django_migrations')::text AS migrations",
      [], db.name);
    assert.deepEqual(tables, { items: 'items_item', migrations: 'django_migrations' });
    const rows = await cluster.sql<{ app: string; applied: string }>(
      'SELECT app, count(*)::text AS applied FROM django_migrations GROUP BY app ORDER BY app', [], db.name);
    const byApp = Object.fromEntries(rows.map((row) => [row.app, Number(row.applied)]));
    assert.equal(byApp.items, 1, 'items.0001_initial not recorded');
    assert.ok(byApp.auth > 1 && byApp.contenttypes > 1, `auth/contenttypes migrations missing: ${JSON.stringify(byApp)}`);
    const [owner] = await cluster.sql<{ owner: string }>(
      "SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'items_item'", [], db.name);
    assert.equal(owner.owner, db.user, 'migrate did not run as the .env user');
  }

  async function migrateAndCheck(python: TestPython): Promise<void> {
    const db = await createAppDatabase();
    const project = projectFor(db);
    const plan = planFor(project, python, 'migrate');
    assert.deepEqual(plan.argv.slice(1), ['manage.py', 'migrate']);
    assert.equal(plan.env.DB_PASSWORD, db.password, 'the password should travel in the environment');
    const result = await runPlan(plan);
    assert.equal(result.exitCode, 0, result.output);
    assert.equal(describeManageOutcome(manageVariant('migrate'), 'shop', result.exitCode ?? undefined).severity, 'info');
    assert.match(result.output, /Applying items\.0001_initial\.\.\. OK/);
    assertNoSecret(plan, result, db.password);
    await assertMigrated(db);

    const check = await runPlan(planFor(project, python, 'checkConnection'));
    assert.equal(check.exitCode, 0, check.output);
    const planned = await runPlan(planFor(project, python, 'migratePlan'));
    assert.equal(planned.exitCode, 0, planned.output);
    assert.match(planned.output, /No planned migration operations/);
  }

  it("migrates with Debian's Django 3.2 and psycopg2: items_item and django_migrations rows exist, Check connection passes", async () => {
    const python = await debianPython();
    assert.match(python.django, /^3\.2\./);
    await migrateAndCheck(python);
    debianMigrated = true;
  });

  it('a password with #, quotes, $ and a backslash, unquoted in .env as python-dotenv allows: Test Connection connects and migrate migrates', async () => {
    const db = await createAppDatabase();
    const password = `p#ss"w'rd$x\\y${db.user.slice(-4)}`;
    await cluster.sql(`ALTER ROLE ${escapeIdentifier(db.user)} PASSWORD ${escapeLiteral(password)}`);
    db.password = password;
    const project = projectFor(db);
    const envFile = join(project, '.env');
    // Unquoted: the '#' follows a letter, so python-dotenv keeps it; npm dotenv would cut the value there.
    writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/^DB_PASSWORD=.*$/m, () => `DB_PASSWORD=${password}`));
    assert.match(readFileSync(envFile, 'utf8'), /^DB_PASSWORD=p#ss"w'rd\$x\\y/m);
    const oracle = await pythonDotenvOracle();
    if (oracle.python === undefined) throw new Error(oracle.reason);
    const { stdout } = await promisify(execFile)(oracle.python, ['-c', 'import sys, json; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1])["DB_PASSWORD"]))', envFile]);
    assert.equal(JSON.parse(stdout), password, 'python-dotenv reads the unquoted line back as the password');

    const settings = join(project, 'config', 'settings.py');
    const [alias] = resolveSettingsFile(settings, lookupEnvironmentOf(settings, { workspaceRoot: project, environ: {}, python: pythonFilesOnDisk() }));
    assert.equal(alias.password.value, password);
    const result = await testConnection(alias);
    assert.equal(result.ok, true, JSON.stringify(result));

    const plan = planFor(project, await debianPython(), 'migrate');
    assert.equal(plan.env.DB_PASSWORD, password);
    const run = await runPlan(plan);
    assert.equal(run.exitCode, 0, run.output);
    await assertMigrated(db);
  });

  it('reports a migrate with a wrong password as failed, without showing either password', async () => {
    const python = await debianPython();
    const db = await createAppDatabase();
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const plan = planFor(projectFor(db, wrong), python, 'migrate');
    const result = await runPlan(plan);
    assert.notEqual(result.exitCode, 0);
    assert.match(result.output, /password authentication failed for user/);
    const outcome = describeManageOutcome(manageVariant('migrate'), 'shop', result.exitCode ?? undefined);
    assert.equal(outcome.severity, 'error');
    assert.match(outcome.message, /manage\.py migrate failed for shop \(exit code \d+\)/);
    assertNoSecret(plan, result, wrong);
    assertNoSecret(plan, result, db.password);
    const [row] = await cluster.sql<{ table: string | null }>("SELECT to_regclass('public.django_migrations')::text AS table", [], db.name);
    assert.equal(row.table, null);
  });

  it('migrates with Django 5.2 LTS and psycopg 3 from pip (or says why it could not, after the Django 3.2 run)', async function () {
    const lts = await djangoLtsPython();
    if (lts.python === undefined) {
      // pip has no Django 5.2 here: say so where the results are read, and stand on the Django 3.2 run.
      this.test!.title = `Django 5.2 NOT TESTED (${lts.reason}); the Debian Django 3.2 migrate ran instead`;
      console.log(`    Django 5.2 unavailable: ${lts.reason}`);
      assert.ok(debianMigrated, 'neither Django 5.2 nor the Debian Django 3.2 migrate ran');
      return;
    }
    assert.match(lts.django, /^5\.2\./);
    const driver = execFileSync(lts.python, ['-c', 'from django.db.backends.postgresql.psycopg_any import is_psycopg3; print(is_psycopg3)'],
      { encoding: 'utf8' });
    assert.equal(driver.trim(), 'True', 'Django 5.2 should pick psycopg 3');
    await migrateAndCheck(lts);
  });
});
