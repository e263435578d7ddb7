// Managed PostgreSQL services: their poolers recognised from HOST and PORT alone (Supabase's 6543 and its
// session-mode 5432 on the pooler host, Neon's -pooler hosts, DigitalOcean's 25061), what the diagnostics
// then say, and the TLS requirements the sslmode / sslrootcert hover names.
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { managedServices } from '../../server/src/catalog/managedServices';
import { checkSettings, type Finding } from '../../server/src/diagnostics/index';
import { hover } from '../../server/src/features/hover';
import { PythonSource } from '../../server/src/model/python';
import { buildSettingsModel } from '../../server/src/model/settingsModel';
import { pgbouncerEvidence } from '../../server/src/postgres/pgbouncerDetect';

const settings = (host: string, port: string, options: string) =>
  `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n        'USER': 'app',\n        'HOST': '${host}',\n        'PORT': '${port}',\n        'DISABLE_SERVER_SIDE_CURSORS': True,\n        'OPTIONS': {${options}},\n    }\n}\n`;

function codes(text: string): string[] {
  const src = PythonSource.parse(text);
  return checkSettings({ file: 'settings.py', src, model: buildSettingsModel(src), settings: { ignore: [], targetLibpqVersion: 13 }, env: { process: {}, dotenv: {} } })
    .map((f: Finding) => f.code).filter((c) => c === 'DPG214' || c === 'DPG215');
}

const bothRisks = "'prepare_threshold': 0, 'options': '-c statement_timeout=5s'";

describe('Managed services: poolers from HOST and PORT', () => {
  it('recognises the ports and host patterns the services document, with their pool mode', () => {
    const cases: [string, string, { pgbouncer: boolean; poolMode?: string; service?: string; reason: RegExp }][] = [
      ['aws-0-eu-central-1.pooler.supabase.com', '6543', { pgbouncer: false, poolMode: 'transaction', service: 'Supabase', reason: /Supavisor.*6543.*transaction/ }],
      ['aws-0-eu-central-1.pooler.supabase.com', '5432', { pgbouncer: false, poolMode: 'session', service: 'Supabase', reason: /session/ }],
      ['db.abcdefgh.supabase.co', '6543', { pgbouncer: false, poolMode: 'transaction', service: 'Supabase', reason: /6543/ }],
      ['ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech', '5432', { pgbouncer: true, poolMode: 'transaction', service: 'Neon', reason: /-pooler/ }],
      ['db-postgresql-fra1-12345-do-user-1-0.b.db.ondigitalocean.com', '25061', { pgbouncer: true, service: 'DigitalOcean', reason: /25061/ }],
      ['10.0.0.5', '6543', { pgbouncer: false, poolMode: 'transaction', reason: /6543/ }],
      ['pg-main-pooler.internal.example', '5432', { pgbouncer: false, reason: /-pooler/ }],
    ];
    for (const [host, port, expected] of cases) {
      const evidence = pgbouncerEvidence(host, port);
      assert.ok(evidence, `${host}:${port} is a pooler`);
      assert.equal(evidence.pgbouncer, expected.pgbouncer, `${host}:${port}`);
      assert.equal(evidence.poolMode, expected.poolMode, `${host}:${port}`);
      assert.equal(evidence.service, expected.service, `${host}:${port}`);
      assert.match(evidence.reason, expected.reason);
    }
  });

  it('leaves the direct endpoints alone', () => {
    for (const [host, port] of [['db.abcdefgh.supabase.co', '5432'], ['ep-cool-darkness-123456.us-east-2.aws.neon.tech', '5432'],
      ['db-postgresql-fra1-12345-do-user-1-0.b.db.ondigitalocean.com', '25060'], ['shop.abc123.eu-west-1.rds.amazonaws.com', '5432']]) {
      assert.equal(pgbouncerEvidence(host, port), undefined, `${host}:${port}`);
    }
  });

  it('diagnostics: prepared statements are flagged behind a transaction pooler; `options` only where the pooler is PgBouncer; session mode is left alone', () => {
    assert.deepEqual(codes(settings('aws-0-eu-central-1.pooler.supabase.com', '6543', bothRisks)), ['DPG214']);
    assert.deepEqual(codes(settings('aws-0-eu-central-1.pooler.supabase.com', '5432', bothRisks)), []);
    assert.deepEqual(codes(settings('ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech', '5432', bothRisks)), ['DPG214', 'DPG215']);
    assert.deepEqual(codes(settings('db-postgresql-fra1-1.b.db.ondigitalocean.com', '25061', bothRisks)), ['DPG214', 'DPG215']);
    assert.deepEqual(codes(settings('ep-cool-darkness-123456.us-east-2.aws.neon.tech', '5432', bothRisks)), []);
  });

  it('the sslmode and sslrootcert hover name the services whose TLS requirements differ, with their documentation', () => {
    const text = settings('shop.abc123.eu-west-1.rds.amazonaws.com', '5432', "'sslmode': 'verify-full', 'sslrootcert': 'global-bundle.pem'");
    const src = PythonSource.parse(text);
    const doc = TextDocument.create('file:///settings.py', 'python', 1, text);
    for (const key of ["'sslmode'", "'sslrootcert'"]) {
      const result = hover(doc, src, buildSettingsModel(src), text.indexOf(key) + 2, { process: {}, dotenv: {} });
      const markdown = (result?.contents as { value: string } | undefined)?.value ?? '';
      assert.match(markdown, /\*\*Managed services\*\*/, key);
      for (const service of managedServices.filter((s) => s.tls)) {
        assert.ok(markdown.includes(`[${service.name}](${service.tlsDocsUrl ?? service.docsUrl})`), `${key} hover names ${service.name}`);
      }
      assert.match(markdown, /rds\.force_ssl/);
    }
    const other = hover(doc, src, buildSettingsModel(src), text.indexOf("'NAME'") + 2, { process: {}, dotenv: {} });
    assert.doesNotMatch((other?.contents as { value: string } | undefined)?.value ?? '', /Managed services/);
  });
});
