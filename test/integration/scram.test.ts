// The SCRAM-SHA-256 verifier we write into userlist.txt, checked against a real PostgreSQL:
// the server accepts it as a role's password, and it reproduces the server's own secret byte for byte.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { parseScramVerifier, scramSha256Verifier, scramVerifierMatches } from '../../server/src/pgbouncer/scram';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

async function login(cluster: PgCluster, user: string, password: string): Promise<string> {
  const client = new Client({ host: cluster.host, port: cluster.port, user, password, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<{ who: string }>('SELECT current_user AS who')).rows[0].who;
  } finally {
    await client.end();
  }
}

async function storedSecret(cluster: PgCluster, role: string): Promise<string> {
  const rows = await cluster.sql<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
  return rows[0].rolpassword;
}

describe('SCRAM-SHA-256 verifier against PostgreSQL', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  const role = 'scram_probe';

  before(async () => {
    cluster = await sharedCluster();
    await cluster.sql(`DROP ROLE IF EXISTS ${role}`);
    await cluster.sql(`CREATE ROLE ${role} LOGIN`);
  });
  after(async () => {
    await cluster.sql(`DROP ROLE IF EXISTS ${role}`);
  });

  it('is stored verbatim as a role password and lets the plain password log in', async () => {
    const password = randomBytes(12).toString('base64url');
    const verifier = scramSha256Verifier(password);
    await cluster.sql(`ALTER ROLE ${role} PASSWORD '${verifier}'`);
    assert.equal(await storedSecret(cluster, role), verifier);
    assert.equal(await login(cluster, role, password), role);
    await assert.rejects(login(cluster, role, `${password}x`), /password authentication failed/);
  });

  for (const [label, password] of [
    ['an ASCII password', 'Tr0ub4dor&3 "quoted"'],
    ['a decomposed non-ASCII password (SASLprep normalizes it)', 'cafe\u0301-\u00a0pa\u00adss'],
  ] as const) {
    it(`reproduces the server's own secret for ${label}`, async () => {
      await cluster.sql(`ALTER ROLE ${role} PASSWORD '${password.replace(/'/g, "''")}'`);
      const serverSecret = await storedSecret(cluster, role);
      const parsed = parseScramVerifier(serverSecret);
      assert.ok(parsed, 'server secret should be a SCRAM verifier');
      assert.equal(scramSha256Verifier(password, { salt: parsed.salt, iterations: parsed.iterations }), serverSecret);
      assert.equal(scramVerifierMatches(password, serverSecret), true);
      assert.equal(scramVerifierMatches(`${password}!`, serverSecret), false);
      assert.equal(await login(cluster, role, password), role);
    });
  }
});
