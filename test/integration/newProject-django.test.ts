// New Django Project on PostgreSQL for real, without the workbench: the pip plan runs (python3 -m venv,
// pip from the local cache, startproject), the settings and .env are written as the command writes them,
// `manage.py check` passes, Create DB's own module creates the role and database that .env names, and
// `manage.py migrate` reaches PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { escapeIdentifier } from 'pg';
import { resolveSettingsFile } from '../../server/src/model/resolve';
import { executeCreateDatabase, planCreateDatabase } from '../../server/src/postgres/createDatabase';
import { ensureGitignored, readDotenv, writeDotenvVariable } from '../../server/src/project/dotenv';
import { planNewProject, postgresSettings, projectDotenv } from '../../server/src/project/newProject';
import { lookupEnvironmentFor } from '../../server/src/workspace';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

const run = promisify(execFile);

describe('New Django Project on PostgreSQL: the pip plan under a real Django and PostgreSQL', function () {
  this.timeout(600_000);
  let dir: string;
  let cluster: PgCluster;
  const name = `newsite_${process.pid}`;

  before(async () => {
    cluster = await sharedCluster();
    dir = join(mkdtempSync(join(tmpdir(), 'django-postgres-new-')), 'newsite');
    mkdirSync(dir);
  });
  after(async () => {
    rmSync(join(dir, '..'), { recursive: true, force: true });
    await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(name)}`);
  });

  it('creates the project, check passes, and migrate reaches PostgreSQL after Create DB', async () => {
    const plan = planNewProject(dir, name, 'pip');
    for (const step of plan.steps) {
      await run(step.argv[0], step.argv.slice(1), { cwd: step.cwd, timeout: 480_000 }).catch((error: Error & { stderr?: string }) => {
        throw new Error(`${step.title}: ${error.stderr ?? error.message}`);
      });
    }
    writeFileSync(plan.settingsFile, postgresSettings(readFileSync(plan.settingsFile, 'utf8')));
    for (const [variable, value] of projectDotenv(name, { PGHOST: cluster.host, PGPORT: String(cluster.port) })) writeDotenvVariable(join(dir, '.env'), variable, value);
    assert.equal(ensureGitignored(dir, '.env'), 'created');
    assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\.env$/m);

    // A shell without the project's variables: python-dotenv reads .env.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const manage = (...args: string[]) => run(plan.python[0], ['manage.py', ...args], { cwd: dir, env, timeout: 120_000 });
    const check = await manage('check');
    assert.match(check.stdout, /System check identified no issues/);

    // Create DB, as the command does: the alias resolved through .env, then the plan run as the admin.
    const [db] = resolveSettingsFile(plan.settingsFile, lookupEnvironmentFor(plan.settingsFile, [dir]));
    assert.equal(db.password.value, readDotenv(join(dir, '.env'))!.DB_PASSWORD);
    const report = await executeCreateDatabase(planCreateDatabase(db), { user: cluster.superuser, password: cluster.superPassword }, { updatePassword: false });
    assert.ok(report.ok, JSON.stringify(report));

    const migrate = await manage('migrate');
    assert.match(migrate.stdout, /Applying auth\.0001_initial\.\.\. OK/);
    const [{ count }] = await cluster.sql<{ count: string }>('SELECT count(*) FROM django_migrations', [], name);
    assert.ok(Number(count) > 10, `${count} migrations recorded in PostgreSQL`);
  });
});
