import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { explainError, executeCreateDatabase, planCreateDatabase, testConnection, type TestConnectionResult, type FailureKind } from '../../server/src/postgres';
import { resolvedDatabase, sharedCluster, startCluster, type PgCluster } from '../support/pgCluster';

/** A loopback TCP server that accepts and then never answers (or hangs up at once): no real network needed. */
async function fakeServer(behaviour: 'silent' | 'hangUp'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (behaviour === 'hangUp') socket.once('data', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

function failureOf(result: TestConnectionResult, kind: FailureKind) {
  assert.equal(result.ok, false, 'expected the connection to fail');
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.failure.kind, kind, `${result.failure.kind}: ${result.failure.cause} (${result.failure.detail})`);
  assert.ok(result.failure.fix.length > 10);
  return result.failure;
}

async function freeClosedPort(): Promise<number> {
  const fake = await fakeServer('silent');
  await fake.close();
  return fake.port;
}

describe('Test Connection (real PostgreSQL)', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  before(async () => {
    cluster = await sharedCluster();
    const report = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, { name: 'tc_db', user: 'tc_user', password: 'tc-Secret' })),
      { host: cluster.host, port: cluster.port, password: cluster.superPassword }, { updatePassword: true });
    assert.equal(report.ok, true, JSON.stringify(report));
  });
  const app = (values: Partial<Parameters<typeof resolvedDatabase>[1]> = {}) =>
    resolvedDatabase(cluster, { name: 'tc_db', user: 'tc_user', password: 'tc-Secret', ...values });

  it('reports server version, user, database, SSL, round trip, privileges and connection counts', async () => {
    const result = await testConnection(app({ options: { application_name: 'tc-probe', sslmode: 'disable' } }));
    assert.equal(result.ok, true, JSON.stringify(result));
    if (!result.ok) return;
    const f = result.facts;
    assert.match(f.serverVersion, /^\d+\.\d+/);
    assert.ok(f.serverVersionNum >= 150000);
    assert.equal(f.user, 'tc_user');
    assert.equal(f.database, 'tc_db');
    assert.deepEqual(f.ssl, { inUse: false });
    assert.ok(f.roundTripMs >= 0 && f.roundTripMs < 5000);
    assert.equal(f.canCreateInPublic, true);
    assert.equal(f.maxConnections, 30);
    assert.ok(f.connectionsInUse >= 1);
    assert.equal(f.migrationsTableExists, false);
    assert.equal(f.canCreateTestDatabase, true);
  });

  it('says when the role cannot create tables in public or create the test database', async () => {
    await cluster.sql("CREATE ROLE tc_limited LOGIN PASSWORD 'lim'");
    const result = await testConnection(app({ user: 'tc_limited', password: 'lim', name: 'postgres' }));
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) {
      assert.equal(result.facts.canCreateInPublic, false);
      assert.equal(result.facts.canCreateTestDatabase, false);
    }
  });

  it('tries a multi-host list in order and says which host failed', async () => {
    const dead = await freeClosedPort();
    const result = await testConnection(app({ host: '127.0.0.1,127.0.0.1', port: `${dead},${cluster.port}` }));
    assert.equal(result.ok, true, JSON.stringify(result));
    if (!result.ok) return;
    assert.equal(result.facts.target, `127.0.0.1:${cluster.port}`);
    assert.equal(result.failedAttempts.length, 1);
    assert.equal(result.failedAttempts[0].kind, 'refused');
  });

  it('refuses an OPTIONS key libpq does not know, and a service nobody defined, as libpq does', async () => {
    const typo = failureOf(await testConnection(app({ options: { statment_timeout: '5' } })), 'libpqSettings');
    assert.equal(typo.detail, 'invalid connection option "statment_timeout"');
    assert.match(typo.fix, /^Remove that key from OPTIONS/);
    const home = mkdtempSync(join(tmpdir(), 'django-postgres-home-'));
    try {
      const service = failureOf(await testConnection(app({ options: { service: 'mysvc' } }), { env: { HOME: home, PGSYSCONFDIR: home } }), 'serviceFile');
      assert.equal(service.detail, 'definition of service "mysvc" not found');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('sslmode=prefer falls back to a plain connection on a server without SSL, like libpq', async () => {
    const result = await testConnection(app());
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) assert.equal(result.facts.ssl.inUse, false);
  });

  it('connection refused: server not running / wrong port', async () => {
    const failure = failureOf(await testConnection(app({ port: await freeClosedPort() })), 'refused');
    assert.match(failure.fix, /PORT/);
  });

  it('host not found (classified from the resolver error; a real lookup would leave the machine)', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { code: 'ENOTFOUND', errno: -3008, hostname: 'db.internal' });
    const failure = explainError(error, { target: 'db.internal:5432' });
    assert.equal(failure.kind, 'hostNotFound');
    assert.match(failure.fix, /HOST/);
  });

  it('wrong password', async () => {
    const failure = failureOf(await testConnection(app({ password: 'wrong-Pass' })), 'badPassword');
    assert.match(failure.fix, /PASSWORD/);
  });

  it('database does not exist suggests Create Postgres DB for Django', async () => {
    const failure = failureOf(await testConnection(app({ name: 'no_such_db' })), 'noDatabase');
    assert.match(failure.fix, /Create Postgres DB for Django/);
  });

  it('SSL demanded from a server without SSL', async () => {
    failureOf(await testConnection(app({ options: { sslmode: 'require' } })), 'sslNotSupported');
  });

  it('timeout within connect_timeout against a loopback socket that never answers', async () => {
    const silent = await fakeServer('silent');
    try {
      const started = Date.now();
      const failure = failureOf(await testConnection(app({ port: silent.port, options: { connect_timeout: 2, sslmode: 'disable' } })), 'timeout');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1900 && elapsed < 6000, `took ${elapsed} ms`);
      assert.match(failure.cause, /2 s/);
    } finally {
      await silent.close();
    }
  });

  it('server closed the connection unexpectedly', async () => {
    const rude = await fakeServer('hangUp');
    try {
      failureOf(await testConnection(app({ port: rude.port, options: { sslmode: 'disable', connect_timeout: 5 } })), 'closedUnexpectedly');
    } finally {
      await rude.close();
    }
  });

  describe('on a cluster with a restrictive pg_hba.conf and few connection slots', () => {
    let strict: PgCluster;
    before(async () => {
      strict = await startCluster({
        maxConnections: 6,
        hba: [
          'local all postgres scram-sha-256',
          'local all all peer',
          'host onlydb all 127.0.0.1/32 scram-sha-256',
          'host all ghost 127.0.0.1/32 trust',
          'host all postgres 127.0.0.1/32 scram-sha-256',
        ],
      });
      await strict.sql("CREATE ROLE app LOGIN PASSWORD 'app-pw'");
      await strict.sql('CREATE DATABASE onlydb OWNER app');
    });
    after(async () => { await strict.stop(); });
    const onStrict = (values: Partial<Parameters<typeof resolvedDatabase>[1]>) =>
      resolvedDatabase(strict, { name: 'onlydb', user: 'app', password: 'app-pw', options: { sslmode: 'disable' }, ...values });

    it('no pg_hba.conf entry', async () => {
      const failure = failureOf(await testConnection(onStrict({ name: 'postgres' })), 'noHbaEntry');
      assert.match(failure.fix, /pg_hba\.conf/);
    });

    it('role does not exist', async () => {
      const failure = failureOf(await testConnection(onStrict({ user: 'ghost', name: 'postgres' })), 'noRole');
      assert.match(failure.cause, /"ghost"/);
    });

    it('peer authentication failed over the Unix socket', async () => {
      const failure = failureOf(await testConnection(onStrict({ host: strict.socketDir })), 'peerAuth');
      assert.match(failure.fix, /localhost/);
    });

    it('too many connections / remaining slots reserved', async () => {
      const held: Client[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const c = new Client({ host: strict.host, port: strict.port, user: 'app', password: 'app-pw', database: 'onlydb' });
          await c.connect();
          held.push(c);
        }
        failureOf(await testConnection(onStrict({})), 'tooManyConnections');
      } finally {
        await Promise.all(held.map((c) => c.end()));
      }
    });
  });

  describe('on an SSL-only cluster', () => {
    let secure: PgCluster;
    let otherCa: string;
    let scratch: string;
    before(async () => {
      secure = await startCluster({
        ssl: true,
        hba: ['local all postgres scram-sha-256', 'hostssl all all 127.0.0.1/32 scram-sha-256'],
      });
      await secure.sql("CREATE ROLE app LOGIN PASSWORD 'ssl-pw'");
      scratch = mkdtempSync(join(tmpdir(), 'django-postgres-ca-'));
      otherCa = join(scratch, 'unrelated-ca.crt');
      // A valid certificate that did not sign the server's: the server certificate itself, used as a CA.
      writeFileSync(otherCa, readFileSync(join(secure.dataDir, '..', 'server.crt')));
    });
    after(async () => {
      await secure.stop();
      rmSync(scratch, { recursive: true, force: true });
    });
    const onSecure = (options: Record<string, string | number>) =>
      resolvedDatabase(secure, { name: 'postgres', user: 'app', password: 'ssl-pw', options });

    it('SSL required by the server while sslmode=disable', async () => {
      const failure = failureOf(await testConnection(onSecure({ sslmode: 'disable' })), 'sslRequired');
      assert.match(failure.fix, /sslmode/);
    });

    it('verify-full with the right CA: SSL in use and its protocol', async () => {
      const result = await testConnection(onSecure({ sslmode: 'verify-full', sslrootcert: secure.caFile as string }));
      assert.equal(result.ok, true, JSON.stringify(result));
      if (result.ok) {
        assert.equal(result.facts.ssl.inUse, true);
        assert.match(result.facts.ssl.protocol ?? '', /^TLSv1\.[23]$/);
      }
    });

    it('verify-ca with the wrong CA: certificate verify failed', async () => {
      const failure = failureOf(await testConnection(onSecure({ sslmode: 'verify-ca', sslrootcert: otherCa })), 'certificate');
      assert.match(failure.fix, /sslrootcert/);
    });

    it('verify-full with a host name not in the certificate fails, verify-ca accepts it', async () => {
      const byName = resolvedDatabase(secure, { name: 'postgres', user: 'app', password: 'ssl-pw', host: 'localhost', options: { sslmode: 'verify-full', sslrootcert: secure.caFile as string } });
      assert.equal((await testConnection(byName)).ok, true, 'localhost is in the certificate');
      const other = resolvedDatabase(secure, { name: 'postgres', user: 'app', password: 'ssl-pw', host: '127.0.0.2', options: { sslmode: 'verify-full', sslrootcert: secure.caFile as string, hostaddr: '127.0.0.1' } });
      failureOf(await testConnection(other), 'certificate');
    });

    it('sslmode=require encrypts without checking the certificate', async () => {
      const result = await testConnection(onSecure({ sslmode: 'require' }));
      assert.equal(result.ok, true, JSON.stringify(result));
      if (result.ok) assert.equal(result.facts.ssl.inUse, true);
    });
  });
});
