// Debian's PgBouncer 1.18 started with the pgbouncer.ini and userlist.txt our generator writes, in front
// of a real PostgreSQL; Django-style connections go through it.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { checkPgBouncerIni } from '../../server/src/pgbouncer/check';
import { generatePgBouncerConfig } from '../../server/src/pgbouncer/generate';
import { sharedCluster, type PgCluster } from '../support/pgCluster';
import { clusterDatabase, startPgBouncer, type RunningPgBouncer } from '../support/pgbouncer';

async function queryThrough(bouncer: RunningPgBouncer, user: string, password: string, sql: string): Promise<Record<string, unknown>> {
  const client = new Client({ host: bouncer.host, port: bouncer.port, user, password, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

describe('PgBouncer with the generated config', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  const role = 'pgb_app';
  const password = randomBytes(12).toString('base64url');
  const started: RunningPgBouncer[] = [];

  before(async () => {
    cluster = await sharedCluster();
    await cluster.sql(`DROP ROLE IF EXISTS ${role}`);
    await cluster.sql(`CREATE ROLE ${role} LOGIN`);
  });
  after(async () => {
    await Promise.all(started.map((b) => b.stop()));
    await cluster.sql(`DROP ROLE IF EXISTS ${role}`);
  });

  it('writes files our own checks accept, with a verifier instead of the password', () => {
    const generated = generatePgBouncerConfig(clusterDatabase(cluster, role, password, 'postgres'), { poolMode: 'transaction' });
    const problems = checkPgBouncerIni(generated.ini).filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(problems, []);
    assert.ok(!generated.ini.includes(password) && !generated.userlist.includes(password));
    assert.match(generated.userlist, /^"pgb_app" "SCRAM-SHA-256\$4096:[^"]+"\n$/);
  });

  it('serves queries in transaction mode once the server stores the same verifier', async () => {
    const bouncer = await startPgBouncer({ cluster, poolMode: 'transaction', user: role, password });
    started.push(bouncer);
    for (const statement of bouncer.generated.serverSql) await cluster.sql(statement);
    const row = await queryThrough(bouncer, role, password, 'SELECT current_user AS who, 6 * 7 AS answer');
    assert.deepEqual(row, { who: role, answer: 42 });
    await assert.rejects(queryThrough(bouncer, role, `${password}x`, 'SELECT 1'), /SASL authentication failed/);
  });

  it('reuses the role\'s existing server secret in session mode without changing the server', async () => {
    const [{ rolpassword }] = await cluster.sql<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [cluster.superuser]);
    const bouncer = await startPgBouncer({ cluster, poolMode: 'session', serverSecret: rolpassword });
    started.push(bouncer);
    assert.deepEqual(bouncer.generated.serverSql, []);
    assert.ok(bouncer.generated.userlist.includes(rolpassword));
    const row = await queryThrough(bouncer, cluster.superuser, cluster.superPassword, 'SELECT current_setting(\'port\') AS port');
    assert.equal(row.port, String(cluster.port));
  });
});
