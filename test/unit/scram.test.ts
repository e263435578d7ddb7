// The verifier's format and the generator's promise that no plain password reaches the files.
import * as assert from 'node:assert/strict';
import type { ResolvedDatabase, ResolvedValue } from '../../server/src/model/resolved';
import { generatePgBouncerConfig } from '../../server/src/pgbouncer/generate';
import { parseScramVerifier, saslPrep, scramSha256Verifier, scramVerifierMatches } from '../../server/src/pgbouncer/scram';

const literal = (value: string | number | null): ResolvedValue => ({ value, source: 'literal' });

function database(overrides: Partial<ResolvedDatabase> = {}): ResolvedDatabase {
  return {
    alias: 'default', settingsFile: '/p/settings.py', engine: literal('django.db.backends.postgresql'),
    name: literal('shop'), user: literal('shop'), password: { value: 's3cret-"pw"', source: 'environment', variable: 'DB_PASSWORD' },
    host: literal('db.internal'), port: literal('5432'), connMaxAge: literal(600),
    options: { sslmode: literal('require'), options: literal('-c statement_timeout=5s') }, test: {}, ...overrides,
  };
}

describe('SCRAM-SHA-256 verifier', () => {
  it('has PostgreSQL\'s format and is reproducible from salt and iterations', () => {
    const verifier = scramSha256Verifier('pencil', { salt: 'W22ZaJ0SNY7soEsUEjb6gQ==', iterations: 4096 });
    assert.match(verifier, /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    assert.equal(scramSha256Verifier('pencil', { salt: 'W22ZaJ0SNY7soEsUEjb6gQ==' }), verifier);
    assert.notEqual(scramSha256Verifier('pencil'), scramSha256Verifier('pencil'));
    assert.equal(parseScramVerifier(verifier)?.salt.length, 16);
    assert.equal(scramVerifierMatches('pencil', verifier), true);
    assert.equal(scramVerifierMatches('Pencil', verifier), false);
  });

  it('prepares non-ASCII passwords like SASLprep (NFKC, soft hyphen dropped, no-break space mapped)', () => {
    assert.deepEqual(saslPrep('cafe\u0301\u00a0pa\u00adss'), Buffer.from('caf\u00e9 pass', 'utf8'));
    assert.deepEqual(saslPrep('plain ascii\t'), Buffer.from('plain ascii\t', 'utf8'));
  });
});

describe('generatePgBouncerConfig', () => {
  it('writes the entry, the verifier and the Django changes, never the password', () => {
    const out = generatePgBouncerConfig(database(), { poolMode: 'transaction' });
    assert.ok(!out.ini.includes('s3cret') && !out.userlist.includes('s3cret') && !out.serverSql.join().includes('s3cret'));
    assert.match(out.ini, /^shop = host=db\.internal port=5432 dbname=shop$/m);
    assert.match(out.ini, /^pool_mode = transaction$/m);
    assert.match(out.ini, /^listen_port = 6432$/m);
    assert.match(out.ini, /^server_tls_sslmode = require$/m);
    const secret = /^"shop" "(.+)"$/m.exec(out.userlist)?.[1] ?? '';
    assert.equal(scramVerifierMatches('s3cret-"pw"', secret), true);
    assert.deepEqual(out.serverSql, [`ALTER ROLE "shop" PASSWORD '${secret}';`]);
    assert.deepEqual(out.djangoChanges.map((c) => [c.key, c.to]), [
      ['HOST', "'127.0.0.1'"], ['PORT', "'6432'"], ['CONN_MAX_AGE', '0'], ['DISABLE_SERVER_SIDE_CURSORS', 'True'],
      ["OPTIONS['options']", null], ["OPTIONS['sslmode']", "'prefer'"],
    ]);
  });

  it('defaults to no server-side cursor change in session mode and refuses statement mode', () => {
    const out = generatePgBouncerConfig(database({ connMaxAge: literal(0), options: {} }), { poolMode: 'session', listenPort: 6543 });
    assert.deepEqual(out.djangoChanges.map((c) => c.key), ['HOST', 'PORT']);
    assert.throws(() => generatePgBouncerConfig(database(), { poolMode: 'statement' as 'session' }), /Statement pooling/);
  });

  it('explains a missing password without guessing', () => {
    assert.throws(() => generatePgBouncerConfig(database({ password: { value: null, source: 'missing', variable: 'DB_PASSWORD' } }), { poolMode: 'session' }),
      /no usable PASSWORD \(from DB_PASSWORD\)/);
  });
});
