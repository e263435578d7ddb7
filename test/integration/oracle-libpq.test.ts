// libpq itself is the oracle: every row goes to psycopg2 (Debian's python3, libpq 15) connecting to a closed
// loopback port, where value errors come before the network, and to our engine; the two must agree.
import { strict as assert } from 'node:assert';
import { libpqKeywords } from '../../server/src/catalog/libpqKeywords';
import { checkText, closedPort, pythonLiteral, runPython } from './oracle-common';

const ORACLE_LIBPQ = 15;

const ORACLE_SCRIPT = `
import json, sys, psycopg2
request = json.load(sys.stdin)
results = []
for row in request['rows']:
    args = dict(host='127.0.0.1', port=request['port'], dbname='x', connect_timeout=2)
    args[row['keyword']] = row['value']
    try:
        psycopg2.connect(**args).close()
        results.append('connected')
    except Exception as error:
        results.append(str(error).strip() or type(error).__name__)
print(json.dumps(results))
`;

interface Row {
  keyword: string;
  value: unknown;
}

const ENUM_KEYWORDS = ['sslmode', 'gssencmode', 'channel_binding', 'target_session_attrs', 'ssl_min_protocol_version', 'ssl_max_protocol_version', 'load_balance_hosts', 'sslcertmode', 'sslnegotiation', 'require_auth', 'min_protocol_version', 'max_protocol_version'];
const INTEGER_KEYWORDS = ['connect_timeout', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'port'];
const UNKNOWN_KEYWORDS = ['sslmod', 'statement_timeout', 'search_path', 'init_command', 'charset', 'authtype', 'tty', 'database', 'autocommit', 'ssl_mode', 'connection_timeout'];

function rows(): Row[] {
  const out: Row[] = [];
  for (const keyword of ENUM_KEYWORDS) {
    const key = libpqKeywords.find((k) => k.name === keyword);
    assert.ok(key?.values, `${keyword} has values in the catalog`);
    const valid = key.values.filter((v) => !v.sinceLibpq || v.sinceLibpq <= ORACLE_LIBPQ).map((v) => v.value);
    const first = valid[0];
    out.push(...valid.map((value) => ({ keyword, value })));
    out.push(
      { keyword, value: `${first}x` },
      { keyword, value: first.slice(0, -1) },
      { keyword, value: first.toUpperCase() },
      { keyword, value: '' },
      { keyword, value: ` ${first}` },
      { keyword, value: -1 },
      { keyword, value: true },
      { keyword, value: 'x'.repeat(200) },
    );
  }
  for (const keyword of INTEGER_KEYWORDS) {
    for (const value of ['5', 5, 'ten', '2.5', 2.5, '', ' 7 ', '+3', -5, '-5', 0, 1, 2, 127, 128, 32767, 32768, 99999999999, '0x10', true, null]) out.push({ keyword, value });
  }
  out.push({ keyword: 'port', value: '70000' }, { keyword: 'port', value: 65535 }, { keyword: 'port', value: '54321x' });
  for (const keyword of UNKNOWN_KEYWORDS) out.push({ keyword, value: '1' });
  return out;
}

/** libpq's verdict: an "invalid …" message (or a socket option the OS refuses) means the value was rejected. */
function libpqRejects(message: string): 'rejected' | 'unknown keyword' | 'accepted' {
  if (/invalid connection option/.test(message)) return 'unknown keyword';
  // psycopg2 itself refuses 'database' next to dbname ("you can't specify both").
  if (/invalid .*value|invalid integer value|invalid port number|could not match|setsockopt|can't specify both/.test(message)) return 'rejected';
  return 'accepted';
}

function ourVerdict(row: Row): 'rejected' | 'unknown keyword' | 'accepted' {
  const text = `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'x',\n        'OPTIONS': {${JSON.stringify(row.keyword)}: ${pythonLiteral(row.value)}},\n    }\n}\n`;
  const findings = checkText(text, ORACLE_LIBPQ);
  // A keyword libpq 15 does not know: we must say so through the version rule (or call it unknown).
  if (findings.some((f) => f.code === 'DPG205' || f.code === 'DPG101' || f.code === 'DPG112' || f.code === 'DPG114' || f.code === 'DPG115')) return 'unknown keyword';
  return findings.some((f) => f.severity === 'error') ? 'rejected' : 'accepted';
}

describe('oracle: libpq 15 (Debian python3-psycopg2) and our engine agree on OPTIONS values', function () {
  this.timeout(180_000);
  const table = rows();
  let verdicts: string[] = [];

  before(async () => {
    const port = await closedPort();
    verdicts = runPython<string[]>(ORACLE_SCRIPT, { port, rows: table });
    assert.equal(verdicts.length, table.length);
  });

  it(`agrees on every one of the ${rows().length} rows (enums, integers, unknown keywords)`, () => {
    const disagreements = table
      .map((row, i) => {
        const expected = libpqRejects(verdicts[i]);
        const mine = ourVerdict(row);
        return expected === mine ? undefined : `${row.keyword}=${pythonLiteral(row.value)}: libpq ${expected} (${verdicts[i]}), we say ${mine}`;
      })
      .filter(Boolean);
    assert.deepEqual(disagreements, []);
  });

  it('rejects the values the reference facts list, and accepts the ones it says libpq accepts', () => {
    const verdictOf = (keyword: string, value: unknown) => libpqRejects(verdicts[table.findIndex((r) => r.keyword === keyword && r.value === value)]);
    assert.equal(verdictOf('sslmode', 'DISABLE'), 'rejected');
    assert.equal(verdictOf('ssl_min_protocol_version', 'TLSV1'), 'accepted');
    assert.equal(verdictOf('connect_timeout', -5), 'accepted');
    assert.equal(verdictOf('keepalives', 2), 'accepted');
    assert.equal(verdictOf('connect_timeout', 'ten'), 'rejected');
    assert.equal(verdictOf('sslmod', '1'), 'unknown keyword');
  });
});

