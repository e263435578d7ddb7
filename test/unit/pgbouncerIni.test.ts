// pgbouncer.ini reading and DPG5xx diagnostics. Expectations about what PgBouncer refuses were observed
// with Debian's PgBouncer 1.18.
import * as assert from 'node:assert/strict';
import { pgbouncerRules } from '../../server/src/catalog/pgbouncerRules';
import { pgbouncerSettings } from '../../server/src/catalog/pgbouncerSettings';
import { checkPgBouncerIni, type PgBouncerDiagnostic } from '../../server/src/pgbouncer/check';
import { findSetting, parseConnectionParams, parseIni } from '../../server/src/pgbouncer/ini';

/** Code and the text the diagnostic covers. */
function found(text: string): Array<[string, string]> {
  return checkPgBouncerIni(text).map((d: PgBouncerDiagnostic) => [d.code, text.slice(d.from, d.to)]);
}

describe('pgbouncer.ini parser', () => {
  const text = '; comment\r\n[databases]\napp = host=db.internal port=5432 dbname=app connect_query=\'SELECT 1\'\n\n[pgbouncer]\n  listen_port = 6432\n# another\nauth_file =\n%include /etc/pgbouncer/extra.ini\n';
  const file = parseIni(text);

  it('reads sections, settings and includes with exact offsets', () => {
    assert.deepEqual(file.sections.map((s) => s.name), ['databases', 'pgbouncer']);
    const port = findSetting(file, 'pgbouncer', 'listen_port');
    assert.ok(port);
    assert.equal(text.slice(port.keyRange.from, port.keyRange.to), 'listen_port');
    assert.equal(text.slice(port.valueRange.from, port.valueRange.to), '6432');
    assert.equal(port.line, 5);
    const empty = findSetting(file, 'pgbouncer', 'auth_file');
    assert.equal(empty?.value, '');
    assert.deepEqual(file.includes.map((i) => text.slice(i.pathRange.from, i.pathRange.to)), ['/etc/pgbouncer/extra.ini']);
    assert.deepEqual(file.problems, []);
  });

  it('splits a database entry into parameters, with quoted values', () => {
    const entry = findSetting(file, 'databases', 'app');
    assert.ok(entry);
    const { params, problems } = parseConnectionParams(entry.value, entry.valueRange.from);
    assert.deepEqual(params.map((p) => [p.key, p.value]), [['host', 'db.internal'], ['port', '5432'], ['dbname', 'app'], ['connect_query', 'SELECT 1']]);
    assert.equal(text.slice(params[1].valueRange.from, params[1].valueRange.to), '5432');
    assert.deepEqual(problems, []);
  });

  it('reports unreadable lines instead of throwing', () => {
    const broken = parseIni('[pgbouncer\nlisten_port 6432\n');
    assert.equal(broken.problems.length, 2);
  });
});

describe('pgbouncer.ini diagnostics', () => {
  it('accepts a typical Django setup without complaint', () => {
    const ini = '[databases]\napp = host=127.0.0.1 port=5432 dbname=app\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = 6432\npool_mode = session\nauth_type = scram-sha-256\nauth_file = /etc/pgbouncer/userlist.txt\nserver_tls_sslmode = VERIFY-FULL\nserver_round_robin = 1\n';
    assert.deepEqual(found(ini), []);
  });

  it('flags statement mode for Django, globally and per database', () => {
    assert.deepEqual(found('[databases]\napp = host=db pool_mode=statement\n[pgbouncer]\npool_mode = statement\n'), [['DPG504', 'statement'], ['DPG504', 'statement']]);
  });

  it('reminds about server-side cursors in transaction mode', () => {
    const [diagnostic] = checkPgBouncerIni('[pgbouncer]\npool_mode = transaction\n');
    assert.equal(diagnostic.code, 'DPG505');
    assert.equal(diagnostic.severity, 'information');
    assert.match(diagnostic.message, /DISABLE_SERVER_SIDE_CURSORS = True/);
  });

  it('flags unknown settings, sections and entry parameters, including wrong case', () => {
    const text = '[PgBouncer]\nx = 1\n[pgbouncer]\nPool_Mode = session\nlisten_prot = 6432\n[databases]\napp = host=db database=app\n';
    assert.deepEqual(found(text), [['DPG501', 'PgBouncer'], ['DPG501', 'Pool_Mode'], ['DPG501', 'listen_prot'], ['DPG501', 'database']]);
    assert.match(checkPgBouncerIni(text)[1].message, /case-sensitive: write `pool_mode`/);
  });

  it('flags enum values PgBouncer rejects', () => {
    assert.deepEqual(found('[pgbouncer]\npool_mode = stmt\nauth_type = peer\nserver_tls_sslmode = verify_full\nclient_tls_sslmode = require\n'),
      [['DPG502', 'stmt'], ['DPG502', 'peer'], ['DPG502', 'verify_full']]);
  });

  it('flags numbers that are not numbers or out of range, and end-of-line comments', () => {
    const text = '[pgbouncer]\nlisten_port = 70000\nmax_client_conn = -5\nreserve_pool_timeout = 5s\ndefault_pool_size = 20 ; per pair\nserver_round_robin = yes\n';
    assert.deepEqual(found(text), [['DPG503', '70000'], ['DPG503', '-5'], ['DPG503', '5s'], ['DPG503', '20 ; per pair'], ['DPG503', 'yes']]);
    assert.match(checkPgBouncerIni(text)[3].message, /no end-of-line comments/);
  });

  it('notes settings newer than Debian bookworm\'s PgBouncer', () => {
    assert.deepEqual(found('[pgbouncer]\nmax_prepared_statements = 200\n'), [['DPG506', 'max_prepared_statements']]);
  });

  it('warns about dropped options, duplicates, plain passwords and the reserved name', () => {
    const text = '[databases]\npgbouncer = host=db\napp = host=db password=hunter2\n[pgbouncer]\nignore_startup_parameters = extra_float_digits, options\nlisten_port = 6432\nlisten_port = 6433\n';
    assert.deepEqual(found(text), [['DPG510', 'pgbouncer'], ['DPG509', 'hunter2'], ['DPG507', 'extra_float_digits, options'], ['DPG508', 'listen_port']]);
  });

  it('documents every code it emits, and the catalog names are unique per section', () => {
    const codes = new Set(pgbouncerRules.map((r) => r.code));
    const emitted = ['DPG500', 'DPG501', 'DPG502', 'DPG503', 'DPG504', 'DPG505', 'DPG506', 'DPG507', 'DPG508', 'DPG509', 'DPG510'];
    for (const code of emitted) assert.ok(codes.has(code), code);
    const ids = pgbouncerSettings.map((s) => `${s.section}/${s.name}`);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of pgbouncerSettings) assert.match(s.docsUrl, /^https:\/\/www\.pgbouncer\.org\/config\.html#/);
  });
});
