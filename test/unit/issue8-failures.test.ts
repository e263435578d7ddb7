// The failures Django developers hit most, as the extension explains them: hostile DATABASE_URL passwords,
// TEST keys, PgBouncer settings, compose files, and the error texts of Test Connection (issue 8).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { troubleshootingMarkdown } from '../../scripts/gen-troubleshooting';
import { checkSettings, type Finding } from '../../server/src/diagnostics/index';
import { hover } from '../../server/src/features/hover';
import { decodeDatabaseUrl } from '../../server/src/model/databaseUrl';
import { PythonSource } from '../../server/src/model/python';
import type { LookupEnvironment, ResolvedDatabase } from '../../server/src/model/resolved';
import { buildSettingsModel } from '../../server/src/model/settingsModel';
import { adviseFailure, inspectProject, projectNotes } from '../../server/src/postgres/advice';
import { checkUrlPassword, describeUrlPasswordProblem } from '../../server/src/postgres/databaseUrlPassword';
import { explainError, hbaLineFor } from '../../server/src/postgres/errors';
import { alterRoleStatements, pgbouncerEvidence } from '../../server/src/postgres/pgbouncerDetect';
import { interpolateCompose, parseCompose, parsePortSpec } from '../../server/src/project/compose';

const root = join(__dirname, '..', '..', '..');

function check(text: string, file = 'settings.py', env?: LookupEnvironment): Finding[] {
  const src = PythonSource.parse(text);
  return checkSettings({ file, src, model: buildSettingsModel(src), settings: { ignore: [], targetLibpqVersion: 13 }, env });
}

function only(findings: Finding[], code: string): Finding {
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => `${f.code} ${f.message}`))}`);
  return matching[0];
}

const none = (findings: Finding[], code: string) => assert.deepEqual(findings.filter((f) => f.code === code).map((f) => f.message), []);

function applyFix(text: string, finding: Finding, index = 0): string {
  const fix = finding.fixes?.[index];
  assert.ok(fix, `${finding.code} has no fix`);
  return [...fix.edits].sort((a, b) => b.from - a.from).reduce((t, e) => t.slice(0, e.from) + e.newText + t.slice(e.to), text);
}

const two = (defaultTest: string, replicaTest: string) =>
  `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n${defaultTest}    },\n    'replica': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n${replicaTest}    },\n}\n`;

describe('issue 8: DATABASE_URL passwords', () => {
  it('decodes hostile passwords the way dj_database_url does, and encodes them so they survive', () => {
    const cases: [string, string][] = [
      ['p@ss', 'postgres://app:p@ss@db.internal:5432/shop'],
      ['p:ss', 'postgres://app:p:ss@db.internal:5432/shop'],
      ['p/ss', 'postgres://app:p/ss@db.internal:5432/shop'],
      ['p?ss', 'postgres://app:p?ss@db.internal:5432/shop'],
      ['p#ss', 'postgres://app:p#ss@db.internal:5432/shop'],
      ['100%', 'postgres://app:100%@db.internal:5432/shop'],
      ['p ss', 'postgres://app:p ss@db.internal:5432/shop'],
      ['a@b:/c?d#e% f', 'postgres://app:a@b:/c?d#e% f@db.internal:5432/shop'],
    ];
    for (const [password, url] of cases) {
      const problem = checkUrlPassword(url);
      assert.ok(problem, password);
      const decoded = decodeDatabaseUrl(problem.encodedUrl);
      assert.deepEqual({ password: decoded?.password, host: decoded?.host, port: decoded?.port, name: decoded?.name },
        { password, host: 'db.internal', port: '5432', name: 'shop' }, password);
      assert.ok(!describeUrlPasswordProblem(problem).includes(password), 'the password is never shown');
    }
  });

  it('says what dj_database_url reads instead when the URL is cut short', () => {
    const problem = checkUrlPassword('postgres://app:pa/ss@db.internal:5432/shop');
    assert.ok(problem);
    assert.deepEqual(problem.characters, ['/']);
    assert.equal(describeUrlPasswordProblem(problem),
      'The password in this database URL contains "/", which must be percent-encoded. As written, dj_database_url reads HOST "app", PORT "pa" and NAME "ss@db.internal:5432/shop", and a different password.');
    const tolerated = checkUrlPassword('postgres://app:p@ss@db.internal/shop');
    assert.ok(tolerated && !tolerated.misread);
    assert.equal(describeUrlPasswordProblem(tolerated),
      'The password in this database URL contains "@", which must be percent-encoded. dj_database_url happens to read it, but libpq, psql and other URL readers do not.');
  });

  it('leaves encoded passwords and URLs without a password alone', () => {
    assert.equal(checkUrlPassword('postgres://app:p%40ss%2F@db/shop'), undefined);
    assert.equal(checkUrlPassword('postgres://app@db/shop'), undefined);
    assert.equal(checkUrlPassword('postgres://db/shop'), undefined);
    assert.equal(checkUrlPassword('postgres://app:50%25%20off@db/shop'), undefined);
  });

  it('DPG212 in the code: the quick fix percent-encodes the literal', () => {
    const text = "import dj_database_url\nDATABASES = {'default': dj_database_url.config(default='postgres://app:s3c#ret@localhost/shop')}\n";
    const finding = only(check(text), 'DPG212');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /contains "#", which must be percent-encoded\. As written, dj_database_url reads HOST "app".*\(the URL in the code\)$/);
    assert.match(applyFix(text, finding), /default='postgres:\/\/app:s3c%23ret@localhost\/shop'/);
  });

  it('DPG212 from .env: the quick fix rewrites the .env variable, for config(), parse(os.environ…) and env.db()', () => {
    const env: LookupEnvironment = { process: {}, dotenv: { DATABASE_URL: 'postgres://app:a b%@localhost:5432/shop' } };
    for (const text of [
      "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n",
      "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n",
    ]) {
      const finding = only(check(text, 'settings.py', env), 'DPG212');
      assert.equal(finding.message, 'The password in this database URL contains a space, "%", which must be percent-encoded. dj_database_url happens to read it, but libpq, psql and other URL readers do not. (DATABASE_URL in .env)');
      assert.deepEqual(finding.fixes?.[0].dotenv, { name: 'DATABASE_URL', value: 'postgres://app:a%20b%25@localhost:5432/shop' });
      assert.equal(finding.fixes?.[0].title, 'Percent-encode the password in .env (DATABASE_URL)');
    }
  });

  it('DPG213 a mysql:// or sqlite:// URL next to PostgreSQL OPTIONS', () => {
    const env: LookupEnvironment = { process: {}, dotenv: { DATABASE_URL: 'sqlite:///db.sqlite3' } };
    const text = "import dj_database_url\nDATABASES = {'default': {**dj_database_url.config(), 'OPTIONS': {'sslmode': 'require', 'connect_timeout': 5}}}\n";
    const finding = only(check(text, 'settings.py', env), 'DPG213');
    assert.equal(finding.message, "OPTIONS 'sslmode' is a PostgreSQL setting, but DATABASE_URL in .env is a sqlite:// URL, so Django uses django.db.backends.sqlite3, whose driver fails on it with a TypeError when it connects. Use a postgres:// URL, or remove the PostgreSQL OPTIONS.");
    none(check(text, 'settings.py', { process: {}, dotenv: { DATABASE_URL: 'postgres://app@db/shop' } }), 'DPG213');
  });

  it('hover on dj_database_url.config / parse and env.db decodes the URL from .env with the password masked', () => {
    const env: LookupEnvironment = { process: {}, dotenv: { DATABASE_URL: 'postgres://app:p@ss@db.internal:6432/shop?sslmode=require' }, dotenvFile: '/p/.env' };
    for (const [text, at] of [
      ["import dj_database_url\nDATABASES = {'default': dj_database_url.config(conn_max_age=60)}\n", 'config'],
      ["import dj_database_url, os\nDATABASES = {'default': dj_database_url.parse(os.environ['DATABASE_URL'])}\n", 'parse'],
      ["import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n", 'db('],
    ] as const) {
      const src = PythonSource.parse(text);
      const doc = TextDocument.create('file:///p/settings.py', 'python', 1, text);
      const result = hover(doc, src, buildSettingsModel(src), text.indexOf(at) + 1, env);
      const value = (result?.contents as { value: string } | undefined)?.value ?? '';
      assert.match(value, /Resolved from `\/p\/\.env` into:/, at);
      assert.match(value, /\| ENGINE \| django\.db\.backends\.postgresql \|/, at);
      assert.match(value, /\| HOST \| db\.internal \|\n\| PORT \| 6432 \|\n\| OPTIONS\['sslmode'\] \| require \|/, at);
      assert.match(value, /\| PASSWORD \| •••••••• \(4 characters\) \|/, at);
      assert.match(value, /⚠️ The password in this database URL contains "@", which must be percent-encoded\. dj_database_url happens to read it/, at);
      assert.ok(!value.includes('p@ss'), 'password shown');
    }
  });
});

describe('issue 8: TEST keys that conflict', () => {
  it('DPG118 MIRROR naming an alias that does not exist', () => {
    const finding = only(check(two('', "        'TEST': {'MIRROR': 'primary'},\n")), 'DPG118');
    assert.equal(finding.message, "TEST MIRROR names 'primary', which is not a DATABASES alias ('default', 'replica'): manage.py test stops with \"The connection 'primary' doesn't exist\".");
  });
  it('DPG211 MIRROR on the default alias', () => {
    const finding = only(check(two("        'TEST': {'MIRROR': 'replica'},\n", '')), 'DPG211');
    assert.equal(finding.message, "TEST MIRROR on the 'default' alias makes the tests of 'default' use the test database of 'replica', and no test database is created for 'default'. MIRROR belongs on the replica: put 'MIRROR': 'default' in the TEST of 'replica' and remove it here.");
    assert.deepEqual(check(two('', "        'TEST': {'MIRROR': 'default', 'DEPENDENCIES': []},\n")).filter((f) => f.severity !== 'hint'), []);
  });
  it('DPG119 DEPENDENCIES naming unknown aliases', () => {
    const findings = check(two('', "        'TEST': {'DEPENDENCIES': ['default', 'reports']},\n"));
    assert.equal(only(findings, 'DPG119').message, "TEST DEPENDENCIES names 'reports', which is not a DATABASES alias ('default', 'replica'): Django can never satisfy it and stops with ImproperlyConfigured \"Circular dependency in TEST[DEPENDENCIES]\".");
  });
});

describe('issue 8: PgBouncer and persistent connections in the settings', () => {
  const behind = (body: string) => `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n        'USER': 'app',\n        'HOST': '127.0.0.1',\n${body}\n    }\n}\n`;
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'issue8-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('DPG214 an integer prepare_threshold behind port 6432; the fix sets None; None is fine', () => {
    const text = behind("        'PORT': '6432',\n        'DISABLE_SERVER_SIDE_CURSORS': True,\n        'OPTIONS': {'prepare_threshold': 0},");
    const finding = only(check(text), 'DPG214');
    assert.equal(finding.message, 'OPTIONS \'prepare_threshold\' 0 makes psycopg 3 prepare named statements, but PORT 6432 is PgBouncer\'s default port: in transaction pool mode the next query may reach another server connection and fail with \'prepared statement "_pg3_0" does not exist\' (or \'already exists\'). Remove it or set it to None (Django\'s default), unless PgBouncer 1.21+ sets max_prepared_statements.');
    const fixed = applyFix(text, finding);
    assert.match(fixed, /'prepare_threshold': None/);
    assert.deepEqual(check(fixed).map((f) => f.code), []);
  });

  it("reads the project's pgbouncer.ini: its listen_port, max_prepared_statements and session mode", () => {
    const settings = join(dir, 'settings.py');
    const text = behind("        'PORT': '16432',\n        'DISABLE_SERVER_SIDE_CURSORS': True,\n        'OPTIONS': {'prepare_threshold': 5, 'options': '-c statement_timeout=5s -c lock_timeout=2s'},");
    writeFileSync(join(dir, 'pgbouncer.ini'), '[pgbouncer]\nlisten_port = 16432\npool_mode = transaction\nignore_startup_parameters = extra_float_digits, options\n');
    const findings = check(text, settings);
    assert.match(only(findings, 'DPG214').message, /but PORT 16432 is the listen_port of .*pgbouncer\.ini: in transaction pool mode/);
    const dropped = only(findings, 'DPG215');
    assert.equal(dropped.message.replace(dir, 'DIR'), `OPTIONS 'options' is silently dropped: PORT 16432 is the listen_port of DIR/pgbouncer.ini, whose ignore_startup_parameters lists options, so none of its settings reach PostgreSQL. Set them on the role instead: ALTER ROLE "app" SET statement_timeout = '5s'; ALTER ROLE "app" SET lock_timeout = '2s';`);
    writeFileSync(join(dir, 'pgbouncer.ini'), '[pgbouncer]\nlisten_port = 16432\npool_mode = transaction\nmax_prepared_statements = 100\n');
    none(check(text, settings), 'DPG214');
    writeFileSync(join(dir, 'pgbouncer.ini'), '[pgbouncer]\nlisten_port = 16432\npool_mode = session\n');
    assert.deepEqual(check(text, settings).map((f) => f.code), []);
    writeFileSync(join(dir, 'pgbouncer.ini'), '[pgbouncer]\nlisten_port = 6500\n');
    assert.deepEqual(check(text, settings).map((f) => f.code), []);
  });

  it('DPG215 an options string behind PgBouncer: refused; the fix removes it and its title shows ALTER ROLE', () => {
    const text = behind("        'HOST': 'pgbouncer',\n        'DISABLE_SERVER_SIDE_CURSORS': True,\n        'OPTIONS': {'options': '-c statement_timeout=5s'},").replace("        'HOST': '127.0.0.1',\n", '');
    const finding = only(check(text), 'DPG215');
    assert.equal(finding.message, 'OPTIONS \'options\' makes PgBouncer refuse the connection ("unsupported startup parameter: options"; from 1.20 it accepts only client_encoding, DateStyle, TimeZone, standard_conforming_strings and application_name there): HOST "pgbouncer" names PgBouncer. Listing it in ignore_startup_parameters only drops the settings silently. Set them on the role instead: ALTER ROLE "app" SET statement_timeout = \'5s\';');
    assert.equal(finding.fixes?.[0].title, 'Remove \'options\' (then run on the server: ALTER ROLE "app" SET statement_timeout = \'5s\';)');
    assert.doesNotMatch(applyFix(text, finding), /options/);
  });

  it('DPG308 CONN_MAX_AGE without CONN_HEALTH_CHECKS is a hint whose fix adds it', () => {
    const text = behind("        'PORT': '5432',\n        'CONN_MAX_AGE': 600,");
    const finding = only(check(text), 'DPG308');
    assert.equal(finding.severity, 'hint');
    assert.equal(finding.message, 'CONN_MAX_AGE keeps connections open between requests: when a firewall, PgBouncer or a server restart closes one while the site is idle, the next request fails with "server closed the connection unexpectedly". Set CONN_HEALTH_CHECKS = True (Django 4.1+) so Django checks a connection before reusing it.');
    const fixed = applyFix(text, finding);
    assert.match(fixed, /'CONN_MAX_AGE': 600,\n {8}'CONN_HEALTH_CHECKS': True,\n/);
    assert.deepEqual(check(fixed).map((f) => f.code), []);
    none(check(behind("        'CONN_MAX_AGE': 0,")), 'DPG308');
  });

  it('ALTER ROLE statements quote the role and the values', () => {
    assert.deepEqual(alterRoleStatements('o"k', "-c search_path=app,public --work_mem=4MB -c application_name=it\\'s"),
      ['ALTER ROLE "o""k" SET search_path = \'app,public\';', 'ALTER ROLE "o""k" SET work_mem = \'4MB\';', 'ALTER ROLE "o""k" SET application_name = \'it\'\'s\';']);
    assert.equal(pgbouncerEvidence('db', '5432', undefined), undefined);
  });
});

describe('issue 8: docker compose', () => {
  const compose = [
    'services:',
    '  web:',
    '    build: .',
    '    ports: ["8000:8000"]',
    '  db:  # the database',
    '    image: "postgres:16"',
    '    ports:',
    '      - "127.0.0.1:5433:5432"',
    '      - target: 5432',
    '        published: 15432',
    '    environment:',
    '      POSTGRES_PASSWORD: ${DB_PASSWORD:-devpass}',
    '      POSTGRES_DB: shop',
    '  cache:',
    '    image: redis',
    '    environment:',
    '      - REDIS_ARGS=--save ""',
    'volumes:',
    '  pgdata: {}',
  ].join('\n');

  it('reads services, published ports and environment', () => {
    const file = parseCompose(compose, 'compose.yaml');
    assert.deepEqual(file.services.map((s) => s.name), ['web', 'db', 'cache']);
    const db = file.services[1];
    assert.equal(db.image, 'postgres:16');
    assert.deepEqual(db.ports, [{ target: 5432, published: 5433, hostIp: '127.0.0.1' }, { target: 5432, published: 15432, hostIp: undefined }]);
    assert.deepEqual(db.environment, { POSTGRES_PASSWORD: '${DB_PASSWORD:-devpass}', POSTGRES_DB: 'shop' });
    assert.deepEqual(file.services[2].environment, { REDIS_ARGS: '--save ""' });
    assert.deepEqual(parsePortSpec('5432'), { target: 5432 });
    assert.equal(interpolateCompose('${DB_PASSWORD:-devpass}', {}), 'devpass');
    assert.equal(interpolateCompose('${DB_PASSWORD:-devpass}$$', { DB_PASSWORD: 'x' }), 'x$');
  });

  const resolved = (host: string, password: string, source: 'dotenv' | 'literal' = 'dotenv'): ResolvedDatabase => ({
    alias: 'default', settingsFile: '/nowhere/settings.py',
    engine: { value: 'django.db.backends.postgresql', source: 'literal' }, name: { value: 'shop', source: 'literal' },
    user: { value: 'app', source: 'literal' }, password: { value: password, source, variable: 'DB_PASSWORD' },
    host: { value: host, source: 'literal' }, port: { value: '5432', source: 'literal' }, connMaxAge: { value: 0, source: 'literal' },
    options: {}, test: {}, envFile: '/nowhere/.env',
  });

  it('explains a compose service name that does not resolve here and offers localhost with the published port', () => {
    const dir = mkdtempSync(join(tmpdir(), 'issue8-compose-'));
    try {
      writeFileSync(join(dir, 'docker-compose.yml'), compose);
      const db = { ...resolved('db', 'devpass'), settingsFile: join(dir, 'app', 'settings.py') };
      const view = inspectProject(db, { projectDir: join(dir, 'app'), env: {}, fileExists: (f) => f.startsWith(dir) && f.endsWith('docker-compose.yml') && f === join(dir, 'docker-compose.yml') });
      assert.equal(view.inDevContainer, false);
      const failure = explainError(Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }), { target: 'db:5432' });
      const advised = adviseFailure(db, failure, view);
      assert.equal(advised.failure.cause, '"db" is a service of docker-compose.yml: that name only resolves inside the compose network (from the project\'s other containers), not on this machine.');
      assert.equal(advised.failure.fix, 'From this machine connect to localhost:5433, the port compose publishes for the container\'s 5432 (set HOST to "localhost" and PORT to "5433", e.g. in .env); keep HOST "db" for code running inside the compose network.');
      assert.deepEqual(advised.suggestions, [{ title: 'Use localhost:5433', host: 'localhost', port: 5433 }]);
      assert.deepEqual(projectNotes(db, view, { env: {} }), [], 'same password: no note');
      assert.deepEqual(projectNotes(resolved('db', 'other'), view, { env: {} }).length, 1);
      assert.equal(projectNotes({ ...resolved('db', 'other'), settingsFile: db.settingsFile }, view, { env: {} })[0],
        'POSTGRES_PASSWORD of compose service "db" (docker-compose.yml) differs from the PASSWORD the settings read (DB_PASSWORD in .env). The postgres image applies POSTGRES_PASSWORD only when it creates the data volume: make both the same, then either change the role\'s password on the running server (ALTER ROLE … PASSWORD) or recreate the volume (docker compose down -v deletes its data).');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inside a dev container, localhost is the container: it names the compose service instead', () => {
    const db = resolved('localhost', 'devpass');
    const view = { compose: parseCompose(compose, '/w/compose.yaml'), inDevContainer: true };
    const refused = explainError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), { target: 'localhost:5432' });
    const advised = adviseFailure(db, refused, view);
    assert.equal(advised.failure.cause, 'Connection refused at localhost:5432: no PostgreSQL server is listening there. This editor runs inside a dev container, where "localhost" is the container itself, not your computer or the database container.');
    assert.equal(advised.failure.fix, 'The database runs in the compose service "db": set HOST to that name (with the container\'s port, usually 5432) when the dev container joins the compose network, or forward the port into the dev container (forwardPorts in devcontainer.json). Otherwise: Start the PostgreSQL server, or fix PORT (default 5432) / HOST; on a remote server check listen_addresses in postgresql.conf.');
    const alone = adviseFailure(db, refused, { inDevContainer: true });
    assert.match(alone.failure.fix, /^If PostgreSQL runs on your computer, set HOST to "host\.docker\.internal"/);
    assert.equal(inspectProject(db, { env: { CODESPACES: 'true' }, fileExists: () => false }).inDevContainer, true);
    assert.equal(inspectProject(db, { env: {}, fileExists: () => false }).inDevContainer, false);
  });
});

describe('issue 8: error texts', () => {
  const err = (message: string, code?: string) => Object.assign(new Error(message), { code });

  it('no pg_hba.conf entry: names the line to add and what an empty HOST means', () => {
    const failure = explainError(err('no pg_hba.conf entry for host "10.0.0.7", user "app", database "shop", no encryption', '28000'), { target: 'db:5432', user: 'app', database: 'shop' });
    assert.equal(failure.kind, 'noHbaEntry');
    assert.equal(failure.fix, 'Add the line "host    shop    app    10.0.0.7/32    scram-sha-256" to pg_hba.conf (above any line that would reject it) and reload PostgreSQL (SELECT pg_reload_conf()); an empty HOST would use the Unix socket and its "local" lines instead. On managed services check the allowed networks.');
    assert.equal(hbaLineFor('no pg_hba.conf entry for host "[local]", user "app", database "shop"', {}), 'local    shop    app    scram-sha-256');
    assert.equal(hbaLineFor('no pg_hba.conf entry for host "::1", user "app", database "shop", SSL encryption', {}), 'hostssl    shop    app    ::1/128    scram-sha-256');
  });

  it('peer authentication: explains the empty HOST and the line to add', () => {
    const failure = explainError(err('Peer authentication failed for user "app"', '28000'), { target: '/var/run/postgresql (Unix socket)', user: 'app', database: 'shop', unixSocket: true });
    assert.equal(failure.kind, 'peerAuth');
    assert.equal(failure.cause, 'Peer authentication failed for "app": HOST is empty (or a directory), so Django connects through the Unix socket, where the server (Debian and Ubuntu\'s default "local all all peer" line) only lets in an operating-system user with the same name as the role.');
    assert.equal(failure.fix, 'Set HOST to "localhost" (TCP, where the "host ... scram-sha-256" lines ask for the PASSWORD), or add the line "local    shop    app    scram-sha-256" to pg_hba.conf above the "local all all peer" line and reload PostgreSQL (SELECT pg_reload_conf()).');
  });

  it('manage.py test, PgBouncer, prepared statements, templates, idle connections', () => {
    const ctx = { user: 'app', target: '127.0.0.1:6432' };
    const denied = explainError(err('permission denied to create database', '42501'), ctx);
    assert.equal(denied.kind, 'createDbDenied');
    assert.equal(denied.fix, 'Grant it once as a superuser: ALTER ROLE "app" CREATEDB ("Create Postgres DB for Django" offers it), or point the tests at a server where the role may create databases.');
    const startup = explainError(err('unsupported startup parameter: options', '08P01'), ctx);
    assert.equal(startup.kind, 'pgbouncerStartupParameter');
    assert.equal(startup.cause, 'PgBouncer at 127.0.0.1:6432 refuses the "options" startup parameter, which libpq sends for OPTIONS[\'options\'].');
    assert.equal(explainError(err('prepared statement "_pg3_0" does not exist', '26000')).kind, 'preparedStatement');
    assert.equal(explainError(err('prepared statement "_pg3_0" already exists', '42P05')).kind, 'preparedStatement');
    const template = explainError(err('template database "template_gis" does not exist', '3D000'), ctx);
    assert.equal(template.cause, 'The template database "template_gis" named in TEST TEMPLATE does not exist at 127.0.0.1:6432, so creating the test database fails.');
    const closed = explainError(err('server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally'));
    assert.equal(closed.kind, 'closedUnexpectedly');
    assert.match(closed.fix, /^If it happens after the site sat idle with CONN_MAX_AGE set, .*set CONN_HEALTH_CHECKS = True \(Django 4\.1\+\)/);
    const slots = explainError(err('remaining connection slots are reserved for non-replication superuser connections', '53300'));
    assert.match(slots.cause, /an ordinary role gets max_connections − superuser_reserved_connections connections in all\.$/);
    assert.match(slots.fix, /workers × threads × aliases/);
  });

  it('docs/troubleshooting.md is generated from the same texts (run node out/scripts/gen-troubleshooting.js)', () => {
    const text = readFileSync(join(root, 'docs', 'troubleshooting.md'), 'utf8');
    assert.equal(text, troubleshootingMarkdown());
    for (const heading of ['### manage.py test: permission denied to create database', '### PgBouncer: unsupported startup parameter', '### HOST is a docker compose service name', '### No pg_hba.conf entry']) {
      assert.ok(text.includes(heading), heading);
    }
  });
});
