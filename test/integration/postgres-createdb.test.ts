import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { executeCreateDatabase, planCreateDatabase, testConnection, type AdminConnection } from '../../server/src/postgres';
import { resolvedDatabase, sharedCluster, startCluster, type PgCluster } from '../support/pgCluster';

function adminOf(cluster: PgCluster): AdminConnection {
  return { host: cluster.host, port: cluster.port, user: 'postgres', password: cluster.superPassword };
}

async function connectAs(cluster: PgCluster, user: string, password: string, database: string): Promise<Client> {
  const client = new Client({ host: cluster.host, port: cluster.port, user, password, database });
  await client.connect();
  return client;
}

describe('Create Postgres DB for Django (real PostgreSQL)', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  before(async () => { cluster = await sharedCluster(); });

  it('shows the plan with masked SQL before anything runs', () => {
    const plan = planCreateDatabase(resolvedDatabase(cluster, { name: 'shop', user: 'shop_app', password: 'Pl4n-secret' }));
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.role, 'shop_app');
    assert.equal(plan.owner, 'shop_app');
    assert.equal(plan.encoding, 'UTF8');
    assert.equal(plan.createDb, true, 'local host: CREATEDB on by default');
    assert.match(plan.createDbReason, /manage\.py test/);
    assert.deepEqual(plan.steps.map((s) => s.id), ['role', 'createdb', 'membership', 'database', 'grantDatabase', 'grantSchema']);
    assert.equal(plan.steps[0].sql, `CREATE ROLE "shop_app" WITH LOGIN PASSWORD '********'`);
    assert.equal(plan.steps[3].sql, `CREATE DATABASE "shop" WITH OWNER "shop_app" ENCODING 'UTF8'`);
    assert.equal(JSON.stringify(plan).includes('Pl4n-secret'), false);
  });

  it('makes CREATEDB a choice, off by default, for a remote host', () => {
    const plan = planCreateDatabase(resolvedDatabase(cluster, { name: 'shop', user: 'shop_app', password: 'x', host: 'db.example.com', port: 5432 }));
    assert.equal(plan.createDb, false);
    assert.match(plan.createDbReason, /remote/);
    assert.equal(planCreateDatabase(resolvedDatabase(cluster, { name: 'shop', user: 'u', password: 'x', host: 'db.example.com' }), { createDb: true }).createDb, true);
  });

  it('creates role and database with the right owner and encoding, the app can migrate, and a second run changes nothing', async () => {
    const db = resolvedDatabase(cluster, { name: 'blog', user: 'blog_app', password: 'first-secret' });
    const first = await executeCreateDatabase(planCreateDatabase(db), adminOf(cluster), { updatePassword: false });
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.deepEqual(first.steps.map((s) => s.outcome), ['created', 'updated', 'skipped', 'created', 'alreadyExisted', 'alreadyExisted']);

    const [row] = await cluster.sql<{ owner: string; encoding: string; createdb: boolean; login: boolean }>(
      `SELECT pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding, r.rolcreatedb AS createdb, r.rolcanlogin AS login
         FROM pg_database d, pg_roles r WHERE d.datname = 'blog' AND r.rolname = 'blog_app'`);
    assert.deepEqual(row, { owner: 'blog_app', encoding: 'UTF8', createdb: true, login: true });

    const app = await connectAs(cluster, 'blog_app', 'first-secret', 'blog');
    await app.query('CREATE TABLE public.django_migrations (id serial PRIMARY KEY, app text)');
    await app.end();

    const second = await executeCreateDatabase(planCreateDatabase(db), adminOf(cluster), { updatePassword: false });
    assert.equal(second.ok, true);
    assert.deepEqual(second.steps.map((s) => s.outcome), ['alreadyExisted', 'alreadyExisted', 'skipped', 'alreadyExisted', 'alreadyExisted', 'alreadyExisted']);
    assert.match(second.steps[0].message, /already exists/);
    assert.match(second.steps[3].message, /already exists/);

    const result = await testConnection(db);
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) assert.equal(result.facts.migrationsTableExists, true);
  });

  it('updates the password of an existing role only when asked', async () => {
    const db = resolvedDatabase(cluster, { name: 'pwdb', user: 'pw_app', password: 'old-one' });
    await executeCreateDatabase(planCreateDatabase(db), adminOf(cluster), { updatePassword: false });
    const changed = resolvedDatabase(cluster, { name: 'pwdb', user: 'pw_app', password: 'new-one' });
    const kept = await executeCreateDatabase(planCreateDatabase(changed), adminOf(cluster), { updatePassword: false });
    assert.equal(kept.steps[0].outcome, 'alreadyExisted');
    await (await connectAs(cluster, 'pw_app', 'old-one', 'pwdb')).end();
    const updated = await executeCreateDatabase(planCreateDatabase(changed), adminOf(cluster), { updatePassword: true });
    assert.equal(updated.steps[0].outcome, 'updated');
    await (await connectAs(cluster, 'pw_app', 'new-one', 'pwdb')).end();
  });

  it('sends the server a SCRAM verifier, never the password: a statement log holds no password', async () => {
    const password = 'LogMe-If-You-Can-7781';
    await cluster.sql("ALTER SYSTEM SET log_statement = 'all'");
    await cluster.sql('SELECT pg_reload_conf()');
    try {
      const report = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, { name: 'logdb', user: 'log_app', password })), adminOf(cluster), { updatePassword: true });
      assert.ok(report.ok, JSON.stringify(report));
      const [row] = await cluster.sql<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', ['log_app']);
      assert.match(row.rolpassword, /^SCRAM-SHA-256\$4096:/);
      await (await connectAs(cluster, 'log_app', password, 'logdb')).end();
      const log = readFileSync(join(dirname(cluster.dataDir), 'server.log'), 'utf8');
      assert.match(log, /CREATE ROLE "log_app" WITH LOGIN PASSWORD 'SCRAM-SHA-256\$/, 'the statement was logged');
      assert.ok(!log.includes(password), 'the password itself never reached the server');
    } finally {
      await cluster.sql('ALTER SYSTEM RESET log_statement');
      await cluster.sql('SELECT pg_reload_conf()');
    }
  });

  it('grants schema public to a role that does not own an existing database (PostgreSQL 15+)', async () => {
    await cluster.sql('CREATE DATABASE "preexisting"');
    const db = resolvedDatabase(cluster, { name: 'preexisting', user: 'guest_app', password: 'g' });
    const report = await executeCreateDatabase(planCreateDatabase(db), adminOf(cluster), { updatePassword: false });
    assert.deepEqual(report.steps.map((s) => s.outcome), ['created', 'updated', 'skipped', 'alreadyExisted', 'updated', 'updated']);
    assert.match(report.warnings.join('\n'), /owned by "postgres"/);
    const app = await connectAs(cluster, 'guest_app', 'g', 'preexisting');
    await app.query('CREATE TABLE t (id int)');
    await app.end();
  });

  it('creates hostile names and passwords exactly as written and injects nothing', async () => {
    const hostile = [
      { user: `x'; DROP ROLE postgres; --`, name: `db "quoted" ; DROP DATABASE postgres; --`, password: `x'; DROP ROLE postgres; --` },
      { user: 'Ünïcødé räle ☃', name: 'back\\slash \\\' db', password: `pa ss\\'"; wörd ☃ \\x00` },
    ];
    for (const h of hostile) {
      const db = resolvedDatabase(cluster, h);
      const report = await executeCreateDatabase(planCreateDatabase(db), adminOf(cluster), { updatePassword: false });
      assert.equal(report.ok, true, JSON.stringify(report));
      const [row] = await cluster.sql<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [h.name]);
      assert.equal(row?.owner, h.user);
      const app = await connectAs(cluster, h.user, h.password, h.name);
      await app.query('CREATE TABLE inside_public (id int)');
      await app.end();
    }
    const survivors = await cluster.sql<{ n: number }>(
      "SELECT (SELECT count(*)::int FROM pg_roles WHERE rolname = 'postgres') + (SELECT count(*)::int FROM pg_database WHERE datname = 'postgres') AS n");
    assert.equal(survivors[0].n, 2);
  });

  it('uses template0 when the cluster encoding is not UTF8', async () => {
    const latin = await startCluster({ encoding: 'SQL_ASCII' });
    try {
      const db = resolvedDatabase(latin, { name: 'utf_app', user: 'utf_user', password: 'p' });
      const report = await executeCreateDatabase(planCreateDatabase(db), adminOf(latin), { updatePassword: false });
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.match(report.steps[3].message, /template0.*SQL_ASCII/);
      const [row] = await latin.sql<{ encoding: string }>("SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = 'utf_app'");
      assert.equal(row.encoding, 'UTF8');
    } finally {
      await latin.stop();
    }
  });

  it('reports a wrong admin password as a failed step with the cause, not a crash', async () => {
    const db = resolvedDatabase(cluster, { name: 'never', user: 'never_app', password: 'n' });
    const report = await executeCreateDatabase(planCreateDatabase(db), { ...adminOf(cluster), password: 'wrong-admin-pw' }, { updatePassword: false });
    assert.equal(report.ok, false);
    assert.equal(report.failure?.kind, 'badPassword');
    assert.equal(report.steps[0].outcome, 'failed');
    const [row] = await cluster.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'never_app'");
    assert.equal(row.n, 0);
  });
});
