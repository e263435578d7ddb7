// A pooler seen live: Debian's PgBouncer on a random port, no pgbouncer.ini in the project, so nothing but the
// connection itself can say it is there. Test Connection must name it and its pool mode, and give the
// transaction-pooling advice only in transaction mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnection } from '../../server/src/postgres/testConnection';
import { formatTestConnectionResult } from '../../server/src/postgres/format';
import { resolvedDatabase, sharedCluster, type PgCluster } from '../support/pgCluster';
import { startPgBouncer } from '../support/pgbouncer';

describe('Test Connection sees PgBouncer live on any port (no pgbouncer.ini in the project)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let project: string;
  const user = `i14_pool_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');

  before(async () => {
    cluster = await sharedCluster();
    await cluster.sql(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
    project = mkdtempSync(join(tmpdir(), 'django-postgres-pool-project-'));
  });

  after(async () => {
    rmSync(project, { recursive: true, force: true });
    await cluster.sql(`DROP ROLE IF EXISTS ${user}`);
  });

  for (const poolMode of ['transaction', 'session'] as const) {
    it(`names PgBouncer and its ${poolMode} pool mode from the admin console`, async () => {
      const [{ rolpassword }] = await cluster.sql<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [user]);
      const bouncer = await startPgBouncer({ cluster, poolMode, user, password, adminUser: user, serverSecret: rolpassword });
      try {
        assert.ok(![5432, 6432, 6543, 25061].includes(bouncer.port));
        const db = { ...resolvedDatabase(bouncer, { name: 'postgres', user, password, options: { sslmode: 'disable' } }), settingsFile: join(project, 'settings.py') };
        const result = await testConnection(db, { project: { projectDir: project } });
        assert.ok(result.ok, JSON.stringify(result));
        const pooler = result.facts.pooler;
        assert.equal(pooler?.kind, 'pgbouncer');
        assert.match(pooler?.version ?? '', /^PgBouncer 1\.\d+/);
        assert.equal(pooler?.poolMode, poolMode);
        assert.equal(pooler?.poolModeFrom, 'SHOW POOLS on the admin console');
        // The server behind it listens elsewhere: the port PostgreSQL reports is the cluster's.
        assert.equal(result.facts.serverPort, cluster.port);
        const note = result.notes.find((n) => n.startsWith('Talking to PgBouncer ('));
        assert.ok(note, result.notes.join('\n'));
        assert.match(note, new RegExp(`in ${poolMode} pool mode`));
        if (poolMode === 'transaction') assert.match(note, /DISABLE_SERVER_SIDE_CURSORS = True/);
        else assert.match(note, /Django works unchanged/);
        assert.ok(formatTestConnectionResult(result).some((line) => line.startsWith(`  pooler:        PgBouncer, ${poolMode} pool mode`)));
      } finally {
        await bouncer.stop();
      }
    });
  }

  it('says nothing about a pooler when PostgreSQL answers directly', async () => {
    const db = { ...resolvedDatabase(cluster, { name: 'postgres', user, password }), settingsFile: join(project, 'settings.py') };
    const result = await testConnection(db, { project: { projectDir: project } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.facts.pooler, undefined);
  });
});
