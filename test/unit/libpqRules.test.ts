// libpq's rules as plain data: option precedence, service files, the password file, require_auth, verify-full
// name matching, and the state machine's host walk driven by a scripted transport.
import assert from 'node:assert/strict';
import { parseRequireAuth, refuseAuthRequest, type RequireAuth } from '../../server/src/postgres/libpq/auth';
import { libpqConnect, type AttemptOutcome, type AttemptRequest, type Transport } from '../../server/src/postgres/libpq/connect';
import { hostLists, resolveConninfo, type LibpqSystem, type ResolvedConninfo } from '../../server/src/postgres/libpq/conninfo';
import { connectLikeDriver } from '../../server/src/postgres/libpq/drivers';
import { lookupPassword } from '../../server/src/postgres/libpq/passfile';
import { verifyPeerName } from '../../server/src/postgres/libpq/tls';
import { pgTransport } from '../../server/src/postgres/pgTransport';
import { createServer } from 'node:net';

function system(files: Record<string, string> = {}, env: Record<string, string> = {}, modes: Record<string, number> = {}): LibpqSystem {
  return {
    env, home: '/home/app', osUser: 'app', uid: 1000,
    readFile: (p) => files[p],
    stat: (p) => (p in files ? { mode: modes[p] ?? 0o600, isFile: true } : undefined),
  };
}

function resolved(keywords: Record<string, string>, sys = system()): ResolvedConninfo {
  const c = resolveConninfo(keywords, sys);
  if ('error' in c) throw new Error(c.error);
  return c;
}

describe('libpq rules: conninfo, service file, passfile', () => {
  it('keyword beats the service file, which beats PG* variables, which beat defaults', () => {
    const sys = system({ '/home/app/.pg_service.conf': '[s]\nport=6000\nsslmode=require\nhost=db\n' }, { PGPORT: '7000', PGSSLMODE: 'disable', PGUSER: 'envuser', PGSERVICE: 's' });
    const c = resolved({ host: 'explicit' }, sys);
    assert.deepEqual([c.options.host, c.options.port.value, c.options.sslmode.value, c.options.user.value], [{ value: 'explicit', source: 'keyword' }, '6000', 'require', 'envuser']);
    assert.equal(c.options.dbname.value, 'envuser');
  });

  it('gives libpq\'s texts for bad values and services', () => {
    assert.deepEqual(resolveConninfo({ sslmode: 'Require' }, system()), { error: 'invalid sslmode value: "Require"' });
    assert.deepEqual(resolveConninfo({ nosuch: '1' }, system()), { error: 'invalid connection option "nosuch"' });
    assert.deepEqual(resolveConninfo({ service: 'x' }, system()), { error: 'definition of service "x" not found' });
    assert.deepEqual(resolveConninfo({ service: 'x' }, system({}, { PGSERVICEFILE: '/nope' })), { error: 'service file "/nope" not found' });
    assert.deepEqual(resolveConninfo({ service: 'x' }, system({ '/home/app/.pg_service.conf': '[x]\nhost = db\n' })), { error: 'syntax error in service file "/home/app/.pg_service.conf", line 2' });
    assert.deepEqual(resolveConninfo({ sslrootcert: 'system', sslmode: 'require' }, system()), { error: 'weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")' });
    assert.equal(resolved({ sslrootcert: 'system' }).options.sslmode.value, 'verify-full');
    assert.deepEqual(resolveConninfo({ host: 'a,b,c', port: '1,2' }, system()), { error: 'could not match 2 port numbers to 3 hosts' });
  });

  it('pairs host, hostaddr and port lists; empty entries take the defaults', () => {
    const lists = hostLists(resolved({ host: 'a,', port: ',6000' }));
    assert.deepEqual(lists, { slots: [{ host: 'a', hostaddr: undefined, port: '5432' }, { host: '', hostaddr: undefined, port: '6000' }] });
  });

  it('reads the password file with escapes and first-match, and ignores it when others may read it', () => {
    const file = '/home/app/.pgpass';
    const text = '# comment\ndb:5432:*:colon\\:user:pa\\:ss\\\\wd\n*:*:*:*:fallback\n';
    const c = resolved({ user: 'colon:user', dbname: 'x' }, system({ [file]: text }));
    assert.equal(lookupPassword(c, system({ [file]: text }), { host: 'db', port: '5432' }).password, 'pa:ss\\wd');
    assert.equal(lookupPassword(c, system({ [file]: text }), { host: 'other', port: '5432' }).password, 'fallback');
    const loose = lookupPassword(c, system({ [file]: text }, {}, { [file]: 0o644 }), { host: 'db', port: '5432' });
    assert.equal(loose.password, undefined);
    assert.match(loose.ignored ?? '', /has group or world access/);
  });
});

describe('libpq rules: require_auth, channel_binding, verify-full', () => {
  it('parses lists and negations with libpq\'s errors', () => {
    assert.deepEqual(parseRequireAuth('md5,!password'), { error: 'negative require_auth method "!password" cannot be mixed with non-negative methods' });
    assert.deepEqual(parseRequireAuth('!md5,password'), { error: 'require_auth method "password" cannot be mixed with negative methods' });
    assert.deepEqual(parseRequireAuth('md5,md5'), { error: 'require_auth method "md5" is specified more than once' });
    assert.deepEqual(parseRequireAuth('trust'), { error: 'invalid require_auth value: "trust"' });
  });

  it('refuses the requests the setting does not allow, with libpq\'s words', () => {
    const rule = (t: string) => parseRequireAuth(t) as RequireAuth;
    assert.equal(refuseAuthRequest(rule('password'), 'prefer', false, { kind: 'sasl', mechanisms: ['SCRAM-SHA-256'] }), 'authentication method requirement "password" failed: server requested SASL authentication');
    assert.equal(refuseAuthRequest(rule('!scram-sha-256'), 'prefer', false, { kind: 'sasl', mechanisms: ['SCRAM-SHA-256'] }), 'authentication method requirement "!scram-sha-256" failed: server requested SCRAM-SHA-256 authentication');
    assert.equal(refuseAuthRequest(rule('!none'), 'prefer', false, { kind: 'ok', exchanged: false, channelBound: false }), 'authentication method requirement "!none" failed: server did not complete authentication');
    assert.equal(refuseAuthRequest(rule('md5,none'), 'prefer', false, { kind: 'ok', exchanged: false, channelBound: false }), undefined);
    assert.equal(refuseAuthRequest(undefined, 'require', true, { kind: 'md5' }), "channel binding required but not supported by server's authentication request");
    assert.equal(refuseAuthRequest(undefined, 'require', false, { kind: 'sasl', mechanisms: ['SCRAM-SHA-256'] }), 'channel binding required, but SSL not in use');
  });

  it('matches certificate names as libpq does (SAN first, CN only without a SAN of the host\'s kind)', () => {
    const cert = { commonName: '127.0.0.1', dnsNames: ['localhost'], ipAddresses: [] };
    assert.equal(verifyPeerName('localhost', cert), undefined);
    assert.equal(verifyPeerName('127.0.0.1', cert), undefined);
    assert.equal(verifyPeerName('other.example', cert), 'server certificate for "localhost" does not match host name "other.example"');
    assert.equal(verifyPeerName('localhost', { commonName: 'wrongname', dnsNames: [], ipAddresses: ['127.0.0.1'] }), 'server certificate for "127.0.0.1" (and 1 other name) does not match host name "localhost"');
    const wild = { dnsNames: ['db1.example', 'db2.example', '*.example.org'], ipAddresses: [] };
    assert.equal(verifyPeerName('a.example.org', wild), undefined);
    assert.equal(verifyPeerName('a.b.example.org', wild), 'server certificate for "db1.example" (and 2 other names) does not match host name "a.b.example.org"');
  });
});

/** A transport that answers from a script keyed by port (and encryption), recording what was asked. */
function scripted(answers: Record<string, AttemptOutcome<string>>, standbyPorts: number[] = []): Transport<string> & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async () => ['127.0.0.1'],
    attempt: async (r: AttemptRequest) => {
      asked.push(`${r.port}/${r.encryption}`);
      const answer = answers[`${r.port}/${r.encryption}`] ?? answers[String(r.port)];
      if (answer?.kind === 'connected') return { ...answer, parameters: { in_hot_standby: standbyPorts.includes(r.port) ? 'on' : 'off', default_transaction_read_only: 'off' } };
      return answer ?? { kind: 'unreachable', message: 'Connection refused', code: 'ECONNREFUSED' };
    },
    query: async () => ({ error: 'no' }),
    close: async () => undefined,
  };
}

describe('libpq rules: the connection state machine', () => {
  const ok: AttemptOutcome<string> = { kind: 'connected', session: 's', parameters: {}, tls: false };
  const rejected: AttemptOutcome<string> = { kind: 'serverError', beforeAuth: true, sqlstate: '28000', message: 'FATAL:  pg_hba.conf rejects connection' };

  it('prefer: TLS first, plain after a server error before authentication; allow: the reverse', async () => {
    const t = scripted({ '1/tls': rejected, '1/plain': ok });
    const r = await libpqConnect(resolved({ host: '127.0.0.1', port: '1', user: 'u' }), system(), t);
    assert.equal(r.ok, true);
    assert.deepEqual(t.asked, ['1/tls', '1/plain']);
    const allow = scripted({ '1/plain': rejected, '1/tls': ok });
    assert.equal((await libpqConnect(resolved({ host: '127.0.0.1', port: '1', user: 'u', sslmode: 'allow' }), system(), allow)).ok, true);
    assert.deepEqual(allow.asked, ['1/plain', '1/tls']);
  });

  it('an authentication failure ends libpq\'s walk, but psycopg 3 goes on to the next host', async () => {
    const c = resolved({ host: '127.0.0.1,127.0.0.1', port: '1,2', user: 'u', sslmode: 'disable' });
    const answers = { 1: { kind: 'serverError', beforeAuth: true, sqlstate: '28P01', message: 'FATAL:  password authentication failed' } as AttemptOutcome<string>, 2: ok };
    assert.equal((await connectLikeDriver(c, system(), scripted(answers), 'psycopg2')).ok, false);
    const walk = await connectLikeDriver(c, system(), scripted(answers), 'psycopg');
    assert.equal(walk.ok, true);
  });

  it('57P03 (not accepting connections yet) moves libpq on to the next host, without an encryption retry', async () => {
    const c = resolved({ host: '127.0.0.1,127.0.0.1', port: '1,2', user: 'u' });
    const t = scripted({ '1/tls': { kind: 'serverError', beforeAuth: true, sqlstate: '57P03', message: 'FATAL:  the database system is not accepting connections' }, '2/tls': ok });
    assert.equal((await libpqConnect(c, system(), t)).ok, true);
    assert.deepEqual(t.asked, ['1/tls', '2/tls']);
  });

  it('servers before 14 do not report in_hot_standby: libpq asks, and a failed query moves on', async () => {
    const quiet: Transport<string> = {
      resolve: async () => ['127.0.0.1'],
      attempt: async (r) => ({ kind: 'connected', session: String(r.port), parameters: {}, tls: false }),
      query: async (session, sql) => (session === '1' ? { error: 'boom' } : sql.includes('pg_is_in_recovery') ? 't' : 'on'),
      close: async () => undefined,
    };
    const walk = await libpqConnect(resolved({ host: '127.0.0.1,127.0.0.1', port: '1,2', user: 'u', sslmode: 'disable', target_session_attrs: 'standby' }), system(), quiet);
    assert.ok(walk.ok && walk.request.port === 2);
    assert.equal(walk.steps[0].message, '"SELECT pg_is_in_recovery()" failed');
  });

  it('target_session_attrs: a mismatch moves on; prefer-standby falls back to any', async () => {
    const c = resolved({ host: '127.0.0.1,127.0.0.1', port: '1,2', user: 'u', sslmode: 'disable', target_session_attrs: 'standby' });
    const walk = await libpqConnect(c, system(), scripted({ 1: ok, 2: ok }, [2]));
    assert.ok(walk.ok && walk.request.port === 2);
    assert.equal(walk.steps[0].message, 'server is not in hot standby mode');
    const lone = await libpqConnect(resolved({ host: '127.0.0.1', port: '1', user: 'u', sslmode: 'disable', target_session_attrs: 'prefer-standby' }), system(), scripted({ 1: ok }));
    assert.ok(lone.ok);
  });

  it('gssencmode=require without a ticket fails; with a ticket the outcome cannot be confirmed', async () => {
    const c = resolved({ host: '127.0.0.1', user: 'u', gssencmode: 'require' });
    const without = await libpqConnect(c, system(), scripted({}));
    assert.ok(!without.ok && without.steps[0].message === 'GSSAPI encryption required but no credential cache');
    const withTicket = await libpqConnect(c, system({ '/tmp/krb5cc_1000': 'ticket' }), scripted({}));
    assert.ok(!withTicket.ok && withTicket.unconfirmable?.startsWith('gssencmode=require with a Kerberos credential cache'));
  });
});

describe('libpq rules: a server asking for GSSAPI (fake server sending AuthenticationGSS)', () => {
  it('is Cannot confirm with a Kerberos ticket, Failed without one, Failed when require_auth excludes gss; never a crash', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const gss = Buffer.alloc(9);
        gss.write('R', 0);
        gss.writeInt32BE(8, 1);
        gss.writeInt32BE(7, 5);
        socket.write(gss);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as { port: number }).port);
    try {
      const transport = pgTransport({}, 5000);
      const c = resolved({ host: '127.0.0.1', port, user: 'u', sslmode: 'disable' });
      const withTicket = await libpqConnect(c, system({ '/tmp/krb5cc_1000': 'ticket' }), transport);
      assert.ok(!withTicket.ok && /asks for GSSAPI\/SSPI \(Kerberos\) authentication/.test(withTicket.unconfirmable ?? ''), JSON.stringify(withTicket));
      const without = await libpqConnect(c, system(), transport);
      assert.ok(!without.ok && !without.unconfirmable && /^GSSAPI continuation error/.test(without.steps[0].message), JSON.stringify(without));
      const excluded = await libpqConnect(resolved({ host: '127.0.0.1', port, user: 'u', sslmode: 'disable', require_auth: 'scram-sha-256' }), system({ '/tmp/krb5cc_1000': 'ticket' }), transport);
      assert.ok(!excluded.ok && excluded.steps[0].message === 'authentication method requirement "scram-sha-256" failed: server requested GSSAPI authentication', JSON.stringify(excluded));
    } finally {
      server.close();
    }
  });
});
