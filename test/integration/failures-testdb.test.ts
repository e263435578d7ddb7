// manage.py test needs CREATEDB: on the fixture project with a role that lacks it, Django fails with "permission
// denied to create database"; Test Connection says so beforehand; after Create Postgres DB for Django grants
// CREATEDB the same `manage.py test` passes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { executeCreateDatabase, planCreateDatabase } from '../../server/src/postgres/createDatabase';
import { explainError } from '../../server/src/postgres/errors';
import { testConnection } from '../../server/src/postgres/testConnection';
import { findDotenv, readDotenv, writeDotenvVariable } from '../../server/src/project/dotenv';
import { planManageRun } from '../../server/src/project/manageCommand';
import { resolvedDatabase, sharedCluster, type PgCluster } from '../support/pgCluster';
import { debianPython } from '../support/python';

const fixture = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'djangoproject');

/** `manage.py test --noinput` planned like the VS Code commands plan manage.py (argv, cwd, .env as environment). */
function runManageTest(project: string, python: string): Promise<{ exitCode: number | null; output: string }> {
  const managePy = join(project, 'manage.py');
  const dotenv = readDotenv(findDotenv(managePy, project) ?? '');
  const plan = planManageRun({ python: { argv: [python], reason: 'the test venv' }, managePy, variant: 'checkConnection', dotenv });
  const argv = [...plan.argv.slice(0, plan.argv.indexOf('manage.py') + 1), 'test', '--noinput', 'items'];
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DB_|PG|DJANGO_)/.test(name)));
  return new Promise((done, fail) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: plan.cwd, env: { ...inherited, ...plan.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    child.once('error', fail);
    child.once('close', (exitCode) => done({ exitCode, output }));
  });
}

describe('manage.py test and CREATEDB (fixture project, Django 3.2 + psycopg2)', function () {
  this.timeout(240_000);
  let cluster: PgCluster;
  let scratch: string;
  const suffix = randomBytes(4).toString('hex');
  const app = { name: `i8_shop_${suffix}`, user: `i8_app_${suffix}`, password: `pw ${suffix}'"` };

  before(async () => {
    cluster = await sharedCluster();
    await cluster.sql(`CREATE ROLE ${escapeIdentifier(app.user)} LOGIN PASSWORD ${escapeLiteral(app.password)}`);
    await cluster.sql(`CREATE DATABASE ${escapeIdentifier(app.name)} OWNER ${escapeIdentifier(app.user)}`);
    scratch = mkdtempSync(join(tmpdir(), 'django-postgres-testdb-'));
    cpSync(fixture, join(scratch, 'shop'), { recursive: true });
    for (const [name, value] of Object.entries({ DB_NAME: app.name, DB_USER: app.user, DB_PASSWORD: app.password, DB_HOST: cluster.host, DB_PORT: String(cluster.port) })) {
      writeDotenvVariable(join(scratch, 'shop', '.env'), name, value);
    }
  });

  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    for (const name of [app.name, `test_${app.name}`]) await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(app.user)}`);
  });

  it('fails without CREATEDB, is predicted by Test Connection, and passes once Create Postgres DB grants it', async () => {
    const project = join(scratch, 'shop');
    const python = await debianPython();
    const db = { ...resolvedDatabase(cluster, app), settingsFile: join(project, 'config', 'settings.py') };

    const before = await testConnection(db);
    assert.ok(before.ok, JSON.stringify(before));
    assert.deepEqual(before.facts.testDatabase, { name: `test_${app.name}`, exists: false, canCreate: false, template: undefined });
    assert.ok(before.notes.includes(`"${app.user}" lacks CREATEDB, so manage.py test fails with "permission denied to create database" when it creates "test_${app.name}". Run "Create Postgres DB for Django" with CREATEDB, or as a superuser: ALTER ROLE "${app.user}" CREATEDB;`), before.notes.join('\n'));

    const denied = await runManageTest(project, python.python);
    assert.notEqual(denied.exitCode, 0, denied.output);
    assert.match(denied.output, /Got an error creating the test database: permission denied to create database/);
    assert.ok(!denied.output.includes(app.password), 'password in the output');
    const explained = explainError(new Error(/permission denied to create database/.exec(denied.output)![0]), { user: app.user });
    assert.equal(explained.kind, 'createDbDenied');
    assert.match(explained.fix, new RegExp(`^Grant it once as a superuser: ALTER ROLE "${app.user}" CREATEDB`));

    const plan = planCreateDatabase(db);
    assert.equal(plan.createDb, true);
    assert.equal(plan.createDbReason, 'CREATEDB is on because the server is on this machine: `manage.py test` needs it to create its test database.');
    const report = await executeCreateDatabase(plan, { user: cluster.superuser, password: cluster.superPassword }, { updatePassword: false });
    assert.ok(report.ok, JSON.stringify(report));
    assert.deepEqual(report.steps.find((s) => s.id === 'createdb'), { id: 'createdb', title: `Allow "${app.user}" to create databases (CREATEDB)`, outcome: 'updated', message: `"${app.user}" may now create databases (for manage.py test).` });

    const after = await testConnection(db);
    assert.ok(after.ok);
    assert.equal(after.facts.testDatabase?.canCreate, true);
    assert.ok(after.notes.includes(`manage.py test creates "test_${app.name}": "${app.user}" may create databases.`), after.notes.join('\n'));

    const passed = await runManageTest(project, python.python);
    assert.equal(passed.exitCode, 0, passed.output);
    assert.match(passed.output, /Ran 1 test/);
    assert.match(passed.output, /\nOK\n/);
    assert.equal(existsSync(join(project, 'db.sqlite3')), false);
  });

  it('reports a TEST TEMPLATE the server does not have, and a TEST NAME of its own', async () => {
    const db = { ...resolvedDatabase(cluster, app), test: { NAME: { value: 'shop_tests', source: 'literal' as const }, TEMPLATE: { value: 'template_missing', source: 'literal' as const } } };
    const result = await testConnection(db);
    assert.ok(result.ok);
    assert.deepEqual(result.facts.testDatabase?.template, { name: 'template_missing', exists: false });
    assert.equal(result.facts.testDatabase?.name, 'shop_tests');
    assert.ok(result.notes.includes('TEST TEMPLATE "template_missing" does not exist on this server, so manage.py test fails when it creates the test database from it. Create the template database, fix the name, or remove TEMPLATE to use template1.'), result.notes.join('\n'));
  });
});
