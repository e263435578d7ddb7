// Failures that need a server of their own: a compose service name as HOST, a small max_connections with
// persistent connections, peer authentication over the Unix socket and a missing pg_hba.conf line.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testConnection } from '../../server/src/postgres/testConnection';
import { resolvedDatabase, startCluster, type PgCluster } from '../support/pgCluster';

describe('Test Connection against a small cluster (max_connections 6, peer on the socket)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let project: string;
  const app = { name: 'postgres', user: 'i8_app', password: 'app pass' };
  const held: Client[] = [];

  before(async () => {
    cluster = await startCluster({
      maxConnections: 6,
      hba: ['local all postgres scram-sha-256', 'local all all peer', 'host all postgres 127.0.0.1/32 scram-sha-256', 'host all i8_app 127.0.0.1/32 scram-sha-256'],
    });
    await cluster.sql("CREATE ROLE i8_app LOGIN PASSWORD 'app pass'");
    await cluster.sql("CREATE ROLE i8_other LOGIN PASSWORD 'other pass'");
    project = mkdtempSync(join(tmpdir(), 'django-postgres-compose-'));
  });

  after(async () => {
    await Promise.all(held.map((c) => c.end().catch(() => undefined)));
    rmSync(project, { recursive: true, force: true });
    await cluster?.stop();
  });

  it("HOST 'db' from docker-compose.yml: explained, and the published localhost port it offers connects", async () => {
    writeFileSync(join(project, 'docker-compose.yml'), [
      'services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: not-the-app-password',
      '    ports:', `      - "${cluster.port}:5432"`, '',
    ].join('\n'));
    const db = { ...resolvedDatabase(cluster, { ...app, host: 'db', port: 5432 }), settingsFile: join(project, 'settings.py') };
    const result = await testConnection(db, { project: { env: {} } });
    assert.ok(!result.ok);
    assert.equal(result.failure.cause, '"db" is a service of docker-compose.yml: that name only resolves inside the compose network (from the project\'s other containers), not on this machine.');
    assert.equal(result.failure.fix, `From this machine connect to localhost:${cluster.port}, the port compose publishes for the container's 5432 (set HOST to "localhost" and PORT to "${cluster.port}", e.g. in .env); keep HOST "db" for code running inside the compose network.`);
    assert.deepEqual(result.suggestions, [{ title: `Use localhost:${cluster.port}`, host: 'localhost', port: cluster.port }]);
    assert.ok(result.notes.includes('POSTGRES_PASSWORD of compose service "db" (docker-compose.yml) differs from the PASSWORD the settings read (PASSWORD in the settings). The postgres image applies POSTGRES_PASSWORD only when it creates the data volume: make both the same, then either change the role\'s password on the running server (ALTER ROLE … PASSWORD) or recreate the volume (docker compose down -v deletes its data).'), result.notes.join('\n'));

    const [suggestion] = result.suggestions ?? [];
    const followed = await testConnection({ ...db, host: { value: suggestion.host!, source: 'literal' }, port: { value: String(suggestion.port), source: 'literal' } }, { project: { env: {} } });
    assert.ok(followed.ok, JSON.stringify(followed));
  });

  it('with CONN_MAX_AGE it does the connection arithmetic, and explains "remaining connection slots are reserved"', async () => {
    const db = { ...resolvedDatabase(cluster, app), connMaxAge: { value: 60, source: 'literal' as const } };
    const ok = await testConnection(db);
    assert.ok(ok.ok);
    assert.equal(ok.facts.reservedConnections, 3);
    const budget = ok.notes.find((n) => n.startsWith('CONN_MAX_AGE is 60'));
    assert.equal(budget, 'CONN_MAX_AGE is 60: each Django worker process or thread keeps its own connection to this alias open. The server gives ordinary roles max_connections 6 − superuser_reserved_connections 3 = 3 connections, 1 in use now, so 2 more workers × threads can hold one before new connections fail with "remaining connection slots are reserved". Keep workers × threads × aliases (plus shells, Celery, cron) below that number, lower CONN_MAX_AGE, or put PgBouncer in front; set CONN_HEALTH_CHECKS = True so connections closed while idle are replaced instead of failing with "server closed the connection unexpectedly".');

    for (let i = 0; i < 3; i++) {
      const client = new Client({ host: cluster.host, port: cluster.port, user: app.user, password: app.password, database: 'postgres' });
      await client.connect();
      held.push(client);
    }
    const full = await testConnection(db);
    assert.ok(!full.ok);
    assert.equal(full.failure.kind, 'tooManyConnections');
    assert.match(full.failure.detail, /remaining connection slots are reserved/);
    assert.match(full.failure.fix, /^Count what holds connections: with CONN_MAX_AGE each Django process/);
    await Promise.all(held.splice(0).map((c) => c.end()));
  });

  it('peer authentication on the Unix socket: the fix names HOST and the pg_hba.conf line', async () => {
    const db = resolvedDatabase(cluster, { ...app, host: cluster.socketDir });
    const result = await testConnection(db);
    assert.ok(!result.ok);
    assert.equal(result.failure.kind, 'peerAuth');
    assert.match(result.failure.cause, /^Peer authentication failed for "i8_app": HOST is empty \(or a directory\), so Django connects through the Unix socket/);
    assert.match(result.failure.fix, /^Set HOST to "localhost" .* or add the line "local {4}postgres {4}i8_app {4}scram-sha-256" to pg_hba\.conf above the "local all all peer" line/);
  });

  it('no pg_hba.conf entry: the line it names lets the role in once added', async () => {
    const db = resolvedDatabase(cluster, { name: 'postgres', user: 'i8_other', password: 'other pass', options: { sslmode: 'disable' } });
    const refused = await testConnection(db);
    assert.ok(!refused.ok);
    assert.equal(refused.failure.kind, 'noHbaEntry');
    const line = /Add the line "([^"]+)"/.exec(refused.failure.fix)?.[1];
    assert.equal(line, 'host    postgres    i8_other    127.0.0.1/32    scram-sha-256');
    appendFileSync(join(cluster.dataDir, 'pg_hba.conf'), `${line}\n`);
    await cluster.sql('SELECT pg_reload_conf()');
    await new Promise((r) => setTimeout(r, 300));
    const admitted = await testConnection(db);
    assert.ok(admitted.ok, JSON.stringify(admitted));
  });
});
