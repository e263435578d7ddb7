// The differential test of Test Connection: every case (DATABASES settings + environment) runs through Test
// Connection and through Django 5.2's connection.ensure_connection() (psycopg 3, then psycopg2), against a TLS
// primary with pg_hba rules, its streaming standby, .pgpass and pg_service.conf in a temporary HOME. The verdicts
// must agree and, when both connect, so must the server (inet_server_port()). "Cannot confirm" counts as agreement
// only in the cases that name what Django's outcome depends on and Test Connection cannot see.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnection, type Driver, type TestConnectionResult } from '../../server/src/postgres/testConnection';
import { nodeLibpqSystem } from '../../server/src/postgres/pgTransport';
import { resolvedDatabase } from '../support/pgCluster';
import { startLab, type LibpqLab } from '../support/libpqLab';
import { djangoLtsPython } from '../support/python';

interface Settings { NAME?: string; USER?: string; PASSWORD?: string; HOST?: string; PORT?: string; OPTIONS?: Record<string, string | number> }

interface Case {
  name: string;
  settings: Settings;
  env?: Record<string, string>;
  /** What Django's outcome depends on that Test Connection cannot see: the case expects "Cannot confirm". */
  dependsOn?: string;
}

interface DjangoOutcome { ok: boolean; port?: number | null; error?: string }

/** Runs each case through Django with the chosen driver; the environment is the case's, HOME included. */
const DJANGO_SCRIPT = `
import json, os, sys
if sys.argv[1] == 'psycopg2':
    sys.modules['psycopg'] = None  # Django falls back to psycopg2, as in a project without psycopg 3
import django
from django.conf import settings
settings.configure(DATABASES={}, USE_TZ=True)
django.setup()
from django.db.utils import ConnectionHandler
base_env = {k: v for k, v in os.environ.items() if not k.startswith('PG')}
results = []
for case in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(base_env)
    os.environ.update(case['env'])
    s = case['settings']
    entry = {'ENGINE': 'django.db.backends.postgresql', 'NAME': s.get('NAME', ''), 'USER': s.get('USER', ''), 'PASSWORD': s.get('PASSWORD', ''),
             'HOST': s.get('HOST', ''), 'PORT': s.get('PORT', ''), 'OPTIONS': s.get('OPTIONS', {})}
    handler = ConnectionHandler({'default': entry})
    conn = handler['default']
    try:
        conn.ensure_connection()
        with conn.cursor() as cursor:
            cursor.execute('SELECT inet_server_port()')
            port = cursor.fetchone()[0]
        results.append({'ok': True, 'port': port})
    except Exception as error:
        results.append({'ok': False, 'error': (type(error).__name__ + ': ' + str(error)).strip()[:400]})
    finally:
        try:
            conn.close()
        except Exception:
            pass
print(json.dumps(results))
`;

function runDjango(python: string, driver: Driver, cases: { settings: Settings; env: Record<string, string> }[]): Promise<DjangoOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, ['-c', DJANGO_SCRIPT, driver], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 300_000, maxBuffer: 10_000_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as DjangoOutcome[])));
    child.stdin?.end(JSON.stringify(cases));
  });
}

function buildCases(lab: LibpqLab): Case[] {
  const P = String(lab.primary.port);
  const S = String(lab.standby.port);
  const D = String(lab.deadPort);
  const { scram, md5, sslOnly, trust, standbyOnly, gss } = lab.roles;
  const as = (role: { user: string; password: string }, more: Settings = {}): Settings => ({ NAME: lab.database, USER: role.user, PASSWORD: role.password, HOST: '127.0.0.1', PORT: P, ...more });
  const base = (more: Settings = {}) => as(scram, more);
  const noPassword = (more: Settings = {}) => base({ PASSWORD: '', ...more });
  return [
    { name: 'scram user, defaults', settings: base() },
    { name: 'wrong password', settings: base({ PASSWORD: 'wrong' }) },
    { name: 'database does not exist', settings: base({ NAME: 'nosuchdb' }) },
    { name: 'HOST localhost (resolved by name)', settings: base({ HOST: 'localhost' }) },
    { name: 'Unix socket directory, sslmode=require ignored', settings: base({ HOST: lab.primary.socketDir, OPTIONS: { sslmode: 'require' } }) },
    { name: 'sslmode=disable', settings: base({ OPTIONS: { sslmode: 'disable' } }) },
    { name: 'sslmode=require', settings: base({ OPTIONS: { sslmode: 'require' } }) },
    { name: 'verify-full, sslrootcert, HOST 127.0.0.1', settings: base({ OPTIONS: { sslmode: 'verify-full', sslrootcert: lab.caFile } }) },
    { name: 'verify-full, HOST localhost + hostaddr', settings: base({ HOST: 'localhost', OPTIONS: { sslmode: 'verify-full', sslrootcert: lab.caFile, hostaddr: '127.0.0.1' } }) },
    { name: 'verify-ca without any root certificate', settings: base({ OPTIONS: { sslmode: 'verify-ca' } }) },
    { name: 'require + ~/.postgresql/root.crt of another CA', settings: base({ OPTIONS: { sslmode: 'require' } }), env: { HOME: lab.homes.wrongCa } },
    { name: 'prefer + root.crt of another CA (falls back to plain)', settings: base(), env: { HOME: lab.homes.wrongCa } },
    { name: 'TLS-only role, prefer + root.crt of another CA', settings: as(sslOnly), env: { HOME: lab.homes.wrongCa } },
    { name: 'verify-full with the default ~/.postgresql/root.crt', settings: base({ HOST: 'localhost', OPTIONS: { sslmode: 'verify-full' } }), env: { HOME: lab.homes.rightCa } },
    { name: 'verify-full, HOST names another host than the certificate', settings: base({ OPTIONS: { sslmode: 'verify-full', sslrootcert: lab.caFile, hostaddr: '127.0.0.1' }, HOST: 'db.example' }) },
    { name: 'TLS-only role, sslmode=disable', settings: as(sslOnly, { OPTIONS: { sslmode: 'disable' } }) },
    { name: 'TLS-only role, sslmode=allow (retries with TLS)', settings: as(sslOnly, { OPTIONS: { sslmode: 'allow' } }) },
    { name: 'TLS-only role, sslmode=prefer', settings: as(sslOnly) },
    { name: 'TLS-only role, PGSSLMODE=disable', settings: as(sslOnly), env: { PGSSLMODE: 'disable' } },
    { name: 'TLS-only role, PGREQUIRESSL=1', settings: as(sslOnly), env: { PGREQUIRESSL: '1' } },
    { name: 'TLS-only role, allow + channel_binding=require', settings: as(sslOnly, { OPTIONS: { sslmode: 'allow', channel_binding: 'require' } }) },
    { name: 'scram role, allow + channel_binding=require (no TLS retry)', settings: base({ OPTIONS: { sslmode: 'allow', channel_binding: 'require' } }) },
    { name: 'PGSSLMODE set but empty', settings: base(), env: { PGSSLMODE: '' } },
    { name: 'sslnegotiation=direct against PostgreSQL 15', settings: base({ OPTIONS: { sslmode: 'require', sslnegotiation: 'direct' } }) },
    { name: 'md5 role, defaults', settings: as(md5) },
    { name: 'md5 role, require_auth=scram-sha-256', settings: as(md5, { OPTIONS: { require_auth: 'scram-sha-256' } }) },
    { name: 'scram role, require_auth=md5', settings: base({ OPTIONS: { require_auth: 'md5' } }) },
    { name: 'scram role, require_auth=!md5', settings: base({ OPTIONS: { require_auth: '!md5' } }) },
    { name: 'scram role, PGREQUIREAUTH=md5', settings: base(), env: { PGREQUIREAUTH: 'md5' } },
    { name: 'trust role, require_auth=!none', settings: as(trust, { OPTIONS: { require_auth: '!none' } }) },
    { name: 'trust role, require_auth=md5,none', settings: as(trust, { OPTIONS: { require_auth: 'md5,none' } }) },
    { name: 'require_auth=trust is not a method', settings: base({ OPTIONS: { require_auth: 'trust' } }) },
    { name: 'channel_binding=require without TLS', settings: base({ OPTIONS: { channel_binding: 'require', sslmode: 'disable' } }) },
    { name: 'channel_binding=require over TLS', settings: base({ OPTIONS: { channel_binding: 'require', sslmode: 'require' } }) },
    { name: 'md5 role, channel_binding=require over TLS', settings: as(md5, { OPTIONS: { channel_binding: 'require', sslmode: 'require' } }) },
    { name: 'PGCHANNELBINDING=require, sslmode=disable', settings: base({ OPTIONS: { sslmode: 'disable' } }), env: { PGCHANNELBINDING: 'require' } },
    { name: 'target_session_attrs=read-only on the primary', settings: base({ OPTIONS: { target_session_attrs: 'read-only' } }) },
    { name: 'target_session_attrs=standby on the primary', settings: base({ OPTIONS: { target_session_attrs: 'standby' } }) },
    { name: 'PGTARGETSESSIONATTRS=standby on the primary', settings: base(), env: { PGTARGETSESSIONATTRS: 'standby' } },
    { name: 'read-write on the lone standby', settings: base({ PORT: S, OPTIONS: { target_session_attrs: 'read-write' } }) },
    { name: 'standby on the standby', settings: base({ PORT: S, OPTIONS: { target_session_attrs: 'standby' } }) },
    { name: 'options default_transaction_read_only=on + read-write', settings: base({ OPTIONS: { target_session_attrs: 'read-write', options: '-c default_transaction_read_only=on' } }) },
    { name: 'standby,primary + read-write', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${S},${P}`, OPTIONS: { target_session_attrs: 'read-write' } }) },
    { name: 'primary,standby + read-only', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${P},${S}`, OPTIONS: { target_session_attrs: 'read-only' } }) },
    { name: 'primary,standby + standby', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${P},${S}`, OPTIONS: { target_session_attrs: 'standby' } }) },
    { name: 'primary,standby + prefer-standby', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${P},${S}`, OPTIONS: { target_session_attrs: 'prefer-standby' } }) },
    { name: 'primary alone + prefer-standby', settings: base({ OPTIONS: { target_session_attrs: 'prefer-standby' } }) },
    { name: 'standby,primary + primary', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${S},${P}`, OPTIONS: { target_session_attrs: 'primary' } }) },
    { name: 'standby,primary + any', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${S},${P}` }) },
    { name: 'dead,standby + read-write', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${D},${S}`, OPTIONS: { target_session_attrs: 'read-write' } }) },
    { name: 'dead,primary', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${D},${P}` }) },
    { name: 'HOST list, one PORT for both', settings: base({ HOST: '127.0.0.1,localhost' }) },
    { name: 'load_balance_hosts=random over the primary twice', settings: base({ HOST: '127.0.0.1,127.0.0.1', PORT: `${P},${P}`, OPTIONS: { load_balance_hosts: 'random' } }) },
    { name: 'rejected on the primary, trusted on the standby (drivers differ)', settings: as(standbyOnly, { HOST: '127.0.0.1,127.0.0.1', PORT: `${P},${S}` }) },
    { name: '2 ports for 3 hosts', settings: base({ HOST: '127.0.0.1,127.0.0.1,127.0.0.1', PORT: `${P},${S}` }) },
    { name: 'PORT 0', settings: base({ PORT: '0' }) },
    { name: 'password from ~/.pgpass', settings: noPassword() },
    { name: 'passfile naming a file with a wrong password', settings: noPassword({ OPTIONS: { passfile: lab.files.wrongPassfile } }) },
    { name: 'PGPASSFILE naming a file with the password', settings: noPassword(), env: { PGPASSFILE: lab.files.goodPassfile } },
    { name: 'passfile readable by others is ignored', settings: noPassword({ OPTIONS: { passfile: lab.files.loosePassfile } }) },
    { name: 'PGPASSWORD beats ~/.pgpass', settings: noPassword(), env: { PGPASSWORD: 'wrong' } },
    { name: 'service from ~/.pg_service.conf, empty NAME/HOST/PORT/USER', settings: { NAME: '', OPTIONS: { service: 'lab_primary' } } },
    { name: 'PGSERVICE with NAME set and HOST empty', settings: { NAME: lab.database, USER: scram.user, PASSWORD: scram.password }, env: { PGSERVICE: 'lab_primary' } },
    { name: 'service naming the standby + read-write', settings: { NAME: '', OPTIONS: { service: 'lab_standby', target_session_attrs: 'read-write' } } },
    { name: 'service with a host list and read-write', settings: { NAME: '', OPTIONS: { service: 'lab_both' } } },
    { name: 'PGSERVICEFILE naming another service file', settings: { NAME: '', OPTIONS: { service: 'lab_custom' } }, env: { PGSERVICEFILE: lab.files.serviceFile } },
    { name: 'PGSERVICEFILE naming a missing file', settings: { NAME: '', OPTIONS: { service: 'lab_custom' } }, env: { PGSERVICEFILE: join(lab.home, 'missing.conf') } },
    { name: 'hostaddr only, HOST empty', settings: base({ HOST: '', OPTIONS: { hostaddr: '127.0.0.1' } }) },
    { name: 'verify-full with hostaddr only (no host name)', settings: base({ HOST: '', OPTIONS: { hostaddr: '127.0.0.1', sslmode: 'verify-full', sslrootcert: lab.caFile } }) },
    { name: 'options -c work_mem=abc (refused after login)', settings: base({ OPTIONS: { options: '-c work_mem=abc' } }) },
    { name: 'PGOPTIONS with an unknown parameter', settings: base(), env: { PGOPTIONS: '-c nosuch_param=1' } },
    { name: 'PGAPPNAME', settings: base(), env: { PGAPPNAME: 'lab-app' } },
    { name: 'PGTZ naming no time zone', settings: base(), env: { PGTZ: 'Bogus/Zone' } },
    { name: 'service nobody defined', settings: { NAME: '', OPTIONS: { service: 'lab_nosuch' } } },
    { name: 'PGHOST/PGPORT/PGUSER with empty HOST/PORT/USER', settings: { NAME: lab.database, PASSWORD: scram.password }, env: { PGHOST: '127.0.0.1', PGPORT: P, PGUSER: scram.user } },
    { name: 'gssencmode=require without a Kerberos ticket', settings: base({ OPTIONS: { gssencmode: 'require' } }) },
    { name: 'gssencmode=prefer without a Kerberos ticket', settings: base({ OPTIONS: { gssencmode: 'prefer' } }) },
    { name: 'pg_hba asks for Kerberos (gss), no ticket', settings: as(gss, { OPTIONS: { sslmode: 'disable' } }) },
    { name: 'sslmode "Require" (case matters)', settings: base({ OPTIONS: { sslmode: 'Require' } }) },
    { name: 'OPTIONS key libpq does not know', settings: base({ OPTIONS: { timeout: 5 } }) },
    { name: 'connect_timeout not a number', settings: base({ OPTIONS: { connect_timeout: 'abc' } }) },
    {
      name: 'sslcertmode=require without a client certificate', settings: base({ OPTIONS: { sslmode: 'require', sslcertmode: 'require' } }),
      dependsOn: 'whether the server asks for a client certificate during the TLS handshake',
    },
    {
      name: 'requirepeer on the Unix socket', settings: base({ HOST: lab.primary.socketDir, OPTIONS: { requirepeer: 'postgres' } }),
      dependsOn: 'the OS user running the server process, read from the socket peer credentials',
    },
  ];
}

type Verdict = 'connected' | 'failed' | 'cannotConfirm';

function ours(result: TestConnectionResult): { verdict: Verdict; port?: number | null; why: string; kind?: string; fix?: string } {
  if (result.ok) return { verdict: 'connected', port: result.facts.serverPort, why: result.facts.target };
  return { verdict: result.verdict, port: result.facts?.serverPort, why: result.failure.cause, kind: result.failure.kind, fix: result.failure.fix };
}

describe('Test Connection agrees with Django 5.2 + libpq (differential: TLS primary, standby, pgpass, service file)', function () {
  this.timeout(900_000);
  let lab: LibpqLab;
  let python: string;
  let project: string;

  before(async function () {
    const lts = await djangoLtsPython();
    assert.ok(lts.python, `Django 5.2 with psycopg 3 and psycopg2 is needed for this test: ${'reason' in lts ? lts.reason : ''}`);
    python = lts.python;
    lab = await startLab();
    project = mkdtempSync(join(tmpdir(), 'django-postgres-diff-project-'));
  });

  after(async () => {
    await lab?.stop();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  for (const driver of ['psycopg', 'psycopg2'] as const) {
    it(`${driver === 'psycopg' ? 'psycopg 3' : 'psycopg2'}: same verdict and same server in every case`, async () => {
      const cases = buildCases(lab);
      assert.ok(cases.length >= 40);
      // The same machine for both: HOME, no system service file, no Kerberos ticket, nothing else from PG*.
      const envOf = (c: Case) => ({ HOME: lab.home, PGSYSCONFDIR: lab.files.emptySysconf, KRB5CCNAME: `FILE:${join(lab.home, 'no-ticket')}`, ...c.env });
      const django = await runDjango(python, driver, cases.map((c) => ({ settings: c.settings, env: envOf(c) })));
      const rows: string[] = [];
      const disagreements: string[] = [];
      const unexplained: string[] = [];
      let unconfirmed = 0;
      for (const [index, c] of cases.entries()) {
        const env = envOf(c);
        const db = resolvedDatabase(lab.primary, {
          name: c.settings.NAME ?? '', user: c.settings.USER ?? '', password: c.settings.PASSWORD ?? '',
          host: c.settings.HOST ?? '', port: c.settings.PORT ?? '', options: c.settings.OPTIONS,
        });
        const raw = await testConnection({ ...db, settingsFile: join(project, 'settings.py') }, { env, driver, system: nodeLibpqSystem(env), project: { projectDir: project } });
        const result = ours(raw);
        if (c.name.includes('drivers differ') && driver === 'psycopg') {
          assert.ok(raw.notes.some((n) => n.startsWith('psycopg 3 went on to')), raw.notes.join('\n'));
        }
        const theirs = django[index];
        const djangoVerdict: Verdict = theirs.ok ? 'connected' : 'failed';
        let agree: boolean;
        let note = '';
        if (result.verdict === 'cannotConfirm') {
          unconfirmed++;
          agree = c.dependsOn !== undefined;
          note = c.dependsOn ? `Django's outcome depends on ${c.dependsOn}` : 'Cannot confirm where the outcome is knowable';
        } else {
          agree = result.verdict === djangoVerdict && (!theirs.ok || result.port === theirs.port) && c.dependsOn === undefined;
        }
        const show = (v: Verdict, port?: number | null) => (v === 'connected' ? `connected :${port ?? 'socket'}` : v === 'failed' ? 'failed' : 'cannot confirm');
        // Every failure keeps a cause and a fix of its own, never the catch-all.
        if (result.verdict === 'failed' && (result.kind === 'other' || !result.fix)) unexplained.push(`${c.name}: ${result.why}`);
        const ourText = `${show(result.verdict, result.port)}${result.kind && result.verdict === 'failed' ? ` (${result.kind})` : ''}`;
        rows.push(`${String(index + 1).padStart(2)} ${agree ? 'agree   ' : 'DISAGREE'} | ${c.name.padEnd(64)} | ${ourText.padEnd(36)} | ${show(djangoVerdict, theirs.port).padEnd(17)} ${note}`);
        if (!agree) disagreements.push(`${c.name}: Test Connection ${show(result.verdict, result.port)} (${result.why}); Django ${show(djangoVerdict, theirs.port)} (${theirs.error ?? ''})`);
      }
      console.log(`\n  Agreement table, Django 5.2 + ${driver} (primary :${lab.primary.port}, standby :${lab.standby.port}):`);
      console.log(`     ${'verdict'.padEnd(8)} | ${'case'.padEnd(64)} | ${'Test Connection'.padEnd(36)} | Django`);
      for (const row of rows) console.log(`  ${row}`);
      console.log(`  ${cases.length - disagreements.length}/${cases.length} agree (${unconfirmed} "Cannot confirm")`);
      assert.deepEqual(disagreements, []);
      assert.deepEqual(unexplained, []);
    });
  }
});
