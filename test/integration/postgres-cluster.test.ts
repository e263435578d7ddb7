import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startCluster } from '../support/pgCluster';

describe('throw-away PostgreSQL cluster', function () {
  this.timeout(60_000);
  it('starts on 127.0.0.1 with a scram password, answers SQL and is gone after stop', async () => {
    const cluster = await startCluster({ maxConnections: 12 });
    const [row] = await cluster.sql<{ max: string; method: string }>(
      "SELECT current_setting('max_connections') AS max, current_setting('password_encryption') AS method");
    assert.equal(row.max, '12');
    assert.equal(row.method, 'scram-sha-256');
    await cluster.stop();
    assert.equal(existsSync(cluster.dataDir), false);
    assert.throws(() => process.kill(cluster.pid, 0));
  });
});
