// The decisions and texts behind "Create Postgres DB for Django", "Test Connection" and "Save to .env",
// without VS Code: which questions are asked, what they say, and that no password leaks into them.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findDotenv, projectDotenvFile } from '../../server/src/project/dotenv';
import {
  adminConnection, adminConnectionFailed, savedAdminTargetsFirst, createSummary, defaultAdminTarget, formatAdminTarget, generatePassword,
  gitignoreFolder, parseAdminTarget, passwordDecision, planDocument, planQuestionDetail, psqlScript,
  sudoPsqlLine, testConnectionOutcome, updatePasswordQuestion, withDotenvPassword, type ResolvedDatabase,
} from '../../client/src/commands/createDatabaseFlow';
import { planCreateDatabase, type CreateDatabaseReport } from '../../server/src/postgres/createDatabase';
import { explainError } from '../../server/src/postgres/errors';
import type { TestConnectionResult } from '../../server/src/postgres/testConnection';

type Value = ResolvedDatabase['password'];
const literal = (value: string | number): Value => ({ value, source: 'literal' });

function database(password: Value, host: Value = literal('127.0.0.1')): ResolvedDatabase {
  return {
    alias: 'default', settingsFile: '/work/shop/config/settings.py',
    engine: literal('django.db.backends.postgresql'), name: literal('shop'), user: literal('shop_app'), password,
    host, port: literal('5432'), connMaxAge: { value: 0, source: 'django-default' }, options: {}, test: {},
  };
}

const SECRET = 'S3cret-Value_from-env';

describe('Create Postgres DB for Django: the application password', () => {
  it('offers to generate one when the variable the settings read is missing or empty in .env', () => {
    assert.deepEqual(passwordDecision(database({ value: null, source: 'missing', variable: 'DB_PASSWORD' })), { kind: 'offerGenerate', variable: 'DB_PASSWORD' });
    assert.deepEqual(passwordDecision(database({ value: '', source: 'default', variable: 'DB_PASSWORD' })), { kind: 'offerGenerate', variable: 'DB_PASSWORD' });
    assert.deepEqual(passwordDecision(database({ value: '', source: 'dotenv', variable: 'DB_PASSWORD' })), { kind: 'offerGenerate', variable: 'DB_PASSWORD' });
  });

  it('uses a password the settings give, and explains when .env cannot supply one', () => {
    assert.deepEqual(passwordDecision(database({ value: SECRET, source: 'dotenv', variable: 'DB_PASSWORD' })), { kind: 'present' });
    const literalEmpty = passwordDecision(database(literal('')));
    assert.equal(literalEmpty.kind, 'cannotGenerate');
    const fromEnvironment = passwordDecision(database({ value: '', source: 'environment', variable: 'DB_PASSWORD' }));
    assert.ok(fromEnvironment.kind === 'cannotGenerate' && /environment VS Code was started from/.test(fromEnvironment.reason));
    const fromUrl = passwordDecision(database({ value: null, source: 'url', variable: 'DATABASE_URL' }));
    assert.ok(fromUrl.kind === 'cannotGenerate' && /DATABASE_URL/.test(fromUrl.reason));
  });

  it('generates long, distinct passwords that need no quoting in .env', () => {
    const first = generatePassword();
    assert.match(first, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(generatePassword(), first);
  });

  it('plans with the generated password as if .env held it', () => {
    const db = withDotenvPassword(database({ value: null, source: 'missing', variable: 'DB_PASSWORD' }), 'DB_PASSWORD', SECRET);
    const plan = planCreateDatabase(db);
    assert.equal(plan.hasPassword, true);
    assert.deepEqual(db.password, { value: SECRET, source: 'dotenv', variable: 'DB_PASSWORD' });
  });
});

describe('Create Postgres DB for Django: the admin connection', () => {
  const fallback = { user: 'postgres', host: 'db.internal', port: 5433 };

  it('defaults to postgres on the host and port of the settings', () => {
    const plan = planCreateDatabase(database(literal(SECRET)));
    assert.equal(formatAdminTarget(defaultAdminTarget(plan)), 'postgres@127.0.0.1:5432');
    const socketPlan = planCreateDatabase(database(literal(SECRET), literal('')));
    assert.equal(formatAdminTarget(defaultAdminTarget(socketPlan)), 'postgres@/var/run/postgresql:5432');
  });

  it('reads user@host:port, IPv6 in brackets and socket directories', () => {
    assert.deepEqual(parseAdminTarget('admin@127.0.0.1:6543', fallback), { user: 'admin', host: '127.0.0.1', port: 6543 });
    assert.deepEqual(parseAdminTarget('postgres@[::1]:5432', fallback), { user: 'postgres', host: '::1', port: 5432 });
    assert.deepEqual(parseAdminTarget('postgres@/var/run/postgresql', fallback), { user: 'postgres', host: '/var/run/postgresql', port: 5433 });
    assert.deepEqual(parseAdminTarget('localhost', fallback), { user: 'postgres', host: 'localhost', port: 5433 });
    assert.equal(formatAdminTarget({ user: 'postgres', host: '::1', port: 5432 }), 'postgres@[::1]:5432');
  });

  it('rejects a target without user, host or with a bad port, saying what to type', () => {
    assert.match((parseAdminTarget('@localhost', fallback) as { error: string }).error, /admin role/);
    assert.match((parseAdminTarget('postgres@', fallback) as { error: string }).error, /socket directory/);
    assert.match((parseAdminTarget('postgres@localhost:70000', fallback) as { error: string }).error, /1 to 65535/);
  });

  it('offers saved admin connections to the settings\' server first', () => {
    assert.deepEqual(savedAdminTargetsFirst(['postgres@/run/pg:5432', 'admin@db.internal:5433', 'postgres@db.internal:5433'], fallback),
      ['admin@db.internal:5433', 'postgres@db.internal:5433', 'postgres@/run/pg:5432']);
  });

  it('sends no password when the user left the box empty (peer authentication)', () => {
    assert.equal(adminConnection({ user: 'postgres', host: '/var/run/postgresql', port: 5432 }, '').password, undefined);
    assert.equal(adminConnection(fallback, 'x').password, 'x');
  });
});

function report(outcomes: CreateDatabaseReport['steps'][number]['outcome'][], failure?: CreateDatabaseReport['failure']): CreateDatabaseReport {
  const ids = ['role', 'createdb', 'membership', 'database', 'grantDatabase', 'grantSchema'] as const;
  return {
    ok: outcomes.every((o) => o !== 'failed' && o !== 'notRun'), warnings: [], failure,
    connected: !(outcomes[0] === 'failed' && outcomes.slice(1).every((o) => o === 'notRun')),
    steps: outcomes.map((outcome, index) => ({ id: ids[index], title: ids[index], outcome, message: `${ids[index]} ${outcome}.` })),
  };
}

describe('Create Postgres DB for Django: the plan and the questions', () => {
  const plan = planCreateDatabase(withDotenvPassword(database({ value: null, source: 'missing', variable: 'DB_PASSWORD' }), 'DB_PASSWORD', SECRET));

  it('shows role, database, owner, encoding, CREATEDB and why, grants and masked SQL, never the password', () => {
    const text = planDocument(plan, 'config/settings.py');
    for (const expected of ['shop_app', '"shop"', 'owner shop_app', 'UTF8', 'CREATEDB', 'manage.py test', 'GRANT USAGE, CREATE ON SCHEMA public', "PASSWORD '********'", 'Nothing is ever dropped']) {
      assert.ok(text.includes(expected), `the plan mentions ${expected}:\n${text}`);
    }
    assert.equal(text.includes(SECRET), false);
    assert.equal(planQuestionDetail(plan).includes(SECRET), false);
  });

  it('asks before updating the password of a role that already existed, and only then', () => {
    const question = updatePasswordQuestion(plan, report(['alreadyExisted', 'alreadyExisted', 'skipped', 'created', 'updated', 'updated']), 'DB_PASSWORD');
    assert.match(question ?? '', /Role "shop_app" already exists.*DB_PASSWORD/);
    assert.equal(updatePasswordQuestion(plan, report(['created', 'updated', 'skipped', 'created', 'updated', 'updated']), 'DB_PASSWORD'), undefined);
    const withoutPassword = planCreateDatabase(database(literal('')));
    assert.equal(updatePasswordQuestion(withoutPassword, report(['alreadyExisted', 'skipped', 'skipped', 'created', 'updated', 'updated']), undefined), undefined);
  });

  it('sums up what was created, or the cause and fix of a failure', () => {
    assert.deepEqual(createSummary(plan, report(['created', 'updated', 'skipped', 'created', 'updated', 'updated'])),
      { severity: 'info', message: 'role created. database created. Alias "default" is ready for migrate.' });
    const failed = report(['failed', 'notRun', 'notRun', 'notRun', 'notRun', 'notRun'], { kind: 'badPassword', cause: 'Password authentication failed for "postgres".', fix: 'Check the admin connection.', detail: '' });
    assert.deepEqual(createSummary(plan, failed), { severity: 'error', message: 'Create Postgres DB for Django failed: Password authentication failed for "postgres". Check the admin connection.' });
    assert.equal(adminConnectionFailed(failed), true);
    assert.equal(adminConnectionFailed(report(['created', 'updated', 'skipped', 'failed', 'notRun', 'notRun'])), false);
  });

  it('lists the admin powers of every step, and the SQL PostgreSQL 14 and 15 get for the membership', () => {
    const text = planDocument(plan, 'config/settings.py');
    assert.equal(text.match(/needs: /g)?.length, plan.steps.length * 2, text);
    assert.ok(text.includes('GRANT "shop_app" TO CURRENT_USER WITH INHERIT FALSE, SET TRUE;'), text);
    assert.ok(text.includes('-- on PostgreSQL 14 and 15: GRANT "shop_app" TO CURRENT_USER;'), text);
    assert.match(planQuestionDetail(plan), /CREATEROLE and CREATEDB/);
  });

  it('a statement refused after connecting names the statement and what a superuser would run, never "could not connect"', () => {
    const refused = explainError({ code: '42501', message: 'must be able to SET ROLE "shop_app"' }, {
      target: 'db.example.com:5432', user: 'cloud_admin', statement: 'CREATE DATABASE "shop" WITH OWNER "shop_app" ENCODING \'UTF8\'',
      superuserStatement: 'GRANT "shop_app" TO "cloud_admin" WITH INHERIT FALSE, SET TRUE;',
    });
    assert.equal(refused.kind, 'adminPrivilege');
    assert.equal(refused.cause, 'The admin role "cloud_admin" may not run CREATE DATABASE "shop" WITH OWNER "shop_app" ENCODING \'UTF8\' at db.example.com:5432: must be able to SET ROLE "shop_app".');
    assert.match(refused.fix, /^A superuser would run: GRANT "shop_app" TO "cloud_admin" WITH INHERIT FALSE, SET TRUE; /);
    const other = explainError({ code: '55006', message: 'source database "template1" is being accessed by other users' }, { target: 'h:5432', statement: 'CREATE DATABASE "shop"' });
    assert.equal(other.cause, 'CREATE DATABASE "shop" failed at h:5432: source database "template1" is being accessed by other users');
    assert.match(explainError({ message: 'something odd' }, { target: 'h:5432' }).cause, /^Could not connect at h:5432/);
    const afterConnecting: CreateDatabaseReport = { ...report(['failed', 'notRun', 'notRun', 'notRun', 'notRun', 'notRun']), connected: true };
    assert.equal(adminConnectionFailed(afterConnecting), false, 'a refused CREATE ROLE is not a failed admin connection');
  });
});

describe('Create Postgres DB for Django: SQL for psql', () => {
  it('creates what is missing, asks for the password with \\password and never contains it', () => {
    const plan = planCreateDatabase(withDotenvPassword(database({ value: null, source: 'missing', variable: 'DB_PASSWORD' }), 'DB_PASSWORD', SECRET));
    const script = psqlScript(plan, 'DB_PASSWORD');
    assert.equal(script.includes(SECRET), false);
    assert.equal(/PASSWORD\s+'/.test(script), false, 'no password literal, not even masked');
    assert.match(script, /^\\password "shop_app"$/m);
    assert.match(script, /DB_PASSWORD from your \.env/);
    assert.match(script, /WHERE NOT EXISTS \(SELECT FROM pg_roles WHERE rolname = 'shop_app'\)\\gexec/);
    assert.match(script, /^\\connect "shop"$/m);
    assert.equal(/\bDROP\b/i.test(script), false);
  });

  it('runs from the terminal through sudo -u postgres psql with the file on stdin', () => {
    assert.equal(sudoPsqlLine("/tmp/it's/create.sql", { host: '127.0.0.1', port: 5433 }), "sudo -u postgres psql -p 5433 < '/tmp/it'\\''s/create.sql'");
    assert.equal(sudoPsqlLine('/tmp/a.sql', { host: '/run/pg', port: 5432 }), "sudo -u postgres psql -h '/run/pg' -p 5432 < '/tmp/a.sql'");
  });
});

describe('Test Connection: what the notification says', () => {
  const facts = {
    target: '127.0.0.1:5432', serverVersion: '15.8', serverVersionNum: 150008, user: 'shop_app', database: 'shop',
    ssl: { inUse: false }, roundTripMs: 0.42, canCreateInPublic: true, maxConnections: 100, connectionsInUse: 3,
    migrationsTableExists: false, canCreateTestDatabase: true, isSuperuser: false,
  };

  it('gives version, user, database, SSL and round trip on success, and lists options pg cannot honour', () => {
    const result: TestConnectionResult = { ok: true, verdict: 'connected', facts, failedAttempts: [], notes: [], unsupported: [{ option: 'OPTIONS.service', reason: 'no pg_service.conf' }] };
    const outcome = testConnectionOutcome('default', result);
    assert.equal(outcome.severity, 'info');
    assert.equal(outcome.message, 'Alias "default" connected: PostgreSQL 15.8, shop_app@shop on 127.0.0.1:5432, no SSL, round trip 0.42 ms, 3/100 connections in use. Not honoured by this test: OPTIONS.service (see the log).');
    assert.deepEqual(outcome.status, { kind: 'ok', summary: 'PostgreSQL 15.8, shop_app@shop on 127.0.0.1:5432' });
    assert.equal(outcome.offerCreate, false);
  });

  it('warns when migrate or manage.py test would fail', () => {
    const outcome = testConnectionOutcome('default', { ok: true, verdict: 'connected', facts: { ...facts, canCreateInPublic: false, canCreateTestDatabase: false }, failedAttempts: [], notes: [], unsupported: [] });
    assert.equal(outcome.severity, 'warning');
    assert.match(outcome.message, /schema public, so migrate will fail.*lacks CREATEDB/);
    assert.equal(outcome.offerCreate, true);
  });

  it('offers Create Postgres DB for Django when the role or database is missing, not when the server is down', () => {
    const failure = (kind: 'noDatabase' | 'noRole' | 'refused'): TestConnectionResult => ({
      ok: false, verdict: 'failed', failure: { kind, cause: `${kind} cause.`, fix: `${kind} fix.`, detail: '' }, attempts: [], notes: [], unsupported: [],
    });
    for (const kind of ['noDatabase', 'noRole'] as const) {
      const outcome = testConnectionOutcome('default', failure(kind));
      assert.equal(outcome.offerCreate, true, kind);
      assert.equal(outcome.message, `Alias "default": ${kind} cause. Fix: ${kind} fix.`);
      assert.deepEqual(outcome.status, { kind: 'failed', cause: `${kind} cause.` });
    }
    assert.equal(testConnectionOutcome('default', failure('refused')).offerCreate, false);
  });
});

describe('Save to .env: which .env and which .gitignore', () => {
  const files = (...present: string[]) => (file: string) => present.includes(file);

  it('writes next to manage.py above the settings file', () => {
    assert.equal(projectDotenvFile('/w/shop/config/settings.py', '/w', files('/w/shop/manage.py')), path.join('/w/shop', '.env'));
  });

  it('falls back to an existing .env above the file, then to the workspace folder', () => {
    assert.equal(projectDotenvFile('/w/shop/config/settings.py', '/w', files('/w/.env')), '/w/.env');
    assert.equal(projectDotenvFile('/w/shop/config/settings.py', '/w', files()), '/w/.env');
    assert.equal(projectDotenvFile('/w/shop/config/settings.py', '/w', files('/manage.py')), '/w/.env', 'never leaves the workspace folder');
  });

  it('writes to the .env the lookups already read, even when manage.py sits deeper', () => {
    assert.equal(projectDotenvFile('/w/shop/config/settings.py', '/w', files('/w/.env', '/w/shop/manage.py')), '/w/.env');
    assert.equal(findDotenv('/w/shop/config/settings.py', '/w', files('/w/.env', '/w/shop/manage.py')), '/w/.env', 'the reader agrees');
  });

  it('lists .env in the .gitignore of the git repository, else of the workspace folder', () => {
    assert.equal(gitignoreFolder('/w/shop/.env', '/w', files('/w/shop/.git')), '/w/shop');
    assert.equal(gitignoreFolder('/w/shop/.env', '/w', files()), '/w');
  });
});
