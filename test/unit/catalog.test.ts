// The catalog is what users read in completion and hover, and what
// diagnostics trust: check its shape, and check its libpq facts against the
// libpq installed on this machine (Debian python3-psycopg / python3-psycopg2).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as net from 'net';
import {
  databaseKeys,
  djangoOptionKeys,
  engines,
  foreignOptionKeys,
  libpqKeywords,
  poolOptionKeys,
  reservedPoolKeys,
  reservedPoolKeysAcceptedSince,
  serverSettings,
  testKeys,
} from '../../server/src/catalog';
import type { CatalogKey } from '../../server/src/catalog';

const SYSTEM_PYTHON = '/usr/bin/python3';

const keyLists: Record<string, CatalogKey[]> = {
  databaseKeys,
  testKeys,
  libpqKeywords,
  djangoOptionKeys,
  poolOptionKeys,
  serverSettings,
};

/** Keywords libpq 16–18 added, per the reference (postgres-options-keys.md §A). */
const laterLibpqKeywords: Record<number, string[]> = {
  16: ['require_auth', 'sslcertmode', 'load_balance_hosts', 'gssdelegation'],
  17: ['sslnegotiation'],
  18: [
    'sslkeylogfile', 'min_protocol_version', 'max_protocol_version', 'oauth_issuer', 'oauth_client_id',
    'oauth_client_secret', 'oauth_scope', 'scram_client_key', 'scram_server_key',
  ],
};

/** libpq parses these without validating the value (observed), so value probes skip them. */
const notValidatedByLibpq = new Set(['replication', 'gsslib', 'sslcompression', 'sslsni', 'gssdelegation', 'requiressl']);

function runPython(script: string, input = ''): string {
  return execFileSync(SYSTEM_PYTHON, ['-c', script], { input, encoding: 'utf8', timeout: 60000 });
}

function installedLibpq(): { major: number; keywords: string[] } {
  const out = runPython(
    'from psycopg import pq\n' +
      'print(pq.version() // 10000)\n' +
      'print(" ".join(o.keyword.decode() for o in pq.Conninfo.get_defaults()))\n',
  );
  const [major, keywords] = out.trim().split('\n');
  return { major: Number(major), keywords: keywords.split(' ') };
}

/** Connects with each conninfo (to a closed loopback port) and returns each error message. */
function probeConninfos(conninfos: string[]): string[] {
  const script =
    'import json, sys, psycopg2\n' +
    'out = []\n' +
    'for dsn in json.load(sys.stdin):\n' +
    '    try:\n' +
    '        psycopg2.connect(dsn).close()\n' +
    '        out.append("connected")\n' +
    '    except Exception as e:\n' +
    '        out.append(str(e))\n' +
    'print(json.dumps(out))\n';
  return JSON.parse(runPython(script, JSON.stringify(conninfos))) as string[];
}

function quoteConninfo(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function closedLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const valueRejected = /invalid (integer value|[\w"]+ value|port number)/;

describe('catalog', () => {
  describe('every list is complete and well formed', () => {
    for (const [listName, keys] of Object.entries(keyLists)) {
      describe(listName, () => {
        it('has entries with a summary, a doc and an https docsUrl', () => {
          assert.ok(keys.length > 0);
          for (const key of keys) {
            assert.ok(key.summary.trim(), `${key.name}: empty summary`);
            assert.ok(!key.summary.includes('\n'), `${key.name}: summary must be one line`);
            assert.ok(key.doc.trim(), `${key.name}: empty doc`);
            assert.match(key.docsUrl, /^https:\/\/\S+$/, `${key.name}: docsUrl`);
          }
        });

        it('has no duplicate names', () => {
          const names = keys.map((key) => key.name);
          const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
          assert.deepStrictEqual(duplicates, []);
        });

        it('gives enum keys their values, each with a doc and no duplicates', () => {
          for (const key of keys) {
            if (key.type === 'enum' || key.type === 'enumList') {
              assert.ok(key.values && key.values.length > 0, `${key.name}: enum without values`);
            }
            const values = (key.values ?? []).map((value) => value.value);
            assert.strictEqual(new Set(values).size, values.length, `${key.name}: duplicate values`);
            for (const value of key.values ?? []) {
              assert.ok(value.doc.trim(), `${key.name}=${value.value}: empty doc`);
            }
          }
        });

        it('has min <= max', () => {
          for (const key of keys) {
            if (key.min !== undefined && key.max !== undefined) {
              assert.ok(key.min <= key.max, `${key.name}: min ${key.min} > max ${key.max}`);
            }
          }
        });
      });
    }

    it('documents every engine and every foreign OPTIONS key', () => {
      for (const engine of engines) {
        assert.ok(engine.doc.trim(), engine.name);
        assert.match(engine.docsUrl, /^https:\/\//, engine.name);
      }
      for (const foreign of foreignOptionKeys) {
        assert.ok(foreign.doc.trim() && foreign.backend.trim(), foreign.name);
      }
      const foreignNames = foreignOptionKeys.map((key) => key.name);
      assert.strictEqual(new Set(foreignNames).size, foreignNames.length);
    });
  });

  describe('Django facts', () => {
    it('offers exactly the built-in engines as ENGINE values', () => {
      const engineKey = databaseKeys.find((key) => key.name === 'ENGINE');
      const offered = (engineKey?.values ?? []).map((value) => value.value).sort();
      const builtin = engines.filter((engine) => engine.builtin).map((engine) => engine.name).sort();
      assert.deepStrictEqual(offered, builtin);
    });

    it('treats postgresql_psycopg2 as a deprecated PostgreSQL engine, not an unknown one', () => {
      const legacy = engines.find((engine) => engine.name === 'django.db.backends.postgresql_psycopg2');
      assert.ok(legacy?.deprecated);
      assert.strictEqual(legacy.postgres, true);
      assert.strictEqual(legacy.builtin, true);
    });

    it('marks every password-like key secret', () => {
      const secrets = [
        databaseKeys.find((key) => key.name === 'PASSWORD'),
        ...['password', 'sslpassword', 'oauth_client_secret'].map((name) => libpqKeywords.find((key) => key.name === name)),
      ];
      for (const key of secrets) assert.strictEqual(key?.secret, true, key?.name);
    });

    it('keeps OPTIONS keys in one list only', () => {
      const libpqNames = new Set(libpqKeywords.map((key) => key.name));
      const elsewhere = [...djangoOptionKeys.map((key) => key.name), ...foreignOptionKeys.map((key) => key.name)];
      assert.deepStrictEqual(elsewhere.filter((name) => libpqNames.has(name)), []);
    });

    it('does not offer reserved pool arguments unless a later Django accepts them', () => {
      for (const key of poolOptionKeys) {
        if (reservedPoolKeys.includes(key.name)) {
          assert.strictEqual(key.versions?.djangoAdded, reservedPoolKeysAcceptedSince[key.name], key.name);
        }
      }
    });
  });

  describe('libpq facts checked against the installed libpq', function () {
    this.timeout(120000);
    let libpq: { major: number; keywords: string[] };
    const catalogNames = new Set(libpqKeywords.map((key) => key.name));

    before(() => {
      libpq = installedLibpq();
    });

    it('lists every keyword the installed libpq knows', () => {
      const missing = libpq.keywords.filter((keyword) => !catalogNames.has(keyword));
      assert.deepStrictEqual(missing, [], `libpq ${libpq.major} keywords missing from the catalog`);
    });

    it('lists the keywords of libpq 16, 17 and 18 with the version that added them', () => {
      for (const [version, keywords] of Object.entries(laterLibpqKeywords)) {
        for (const keyword of keywords) {
          const key = libpqKeywords.find((candidate) => candidate.name === keyword);
          assert.ok(key, `${keyword} missing`);
          assert.strictEqual(key.versions?.libpqAdded, Number(version), keyword);
        }
      }
    });

    it('dates keywords consistently with the installed libpq', () => {
      const installed = new Set(libpq.keywords);
      for (const key of libpqKeywords) {
        const added = key.versions?.libpqAdded ?? 0;
        const removed = key.versions?.libpqRemoved ?? Infinity;
        const shouldExist = added <= libpq.major && libpq.major < removed;
        // requiressl is parsed but not reported by PQconndefaults.
        if (key.name === 'requiressl') continue;
        assert.strictEqual(installed.has(key.name), shouldExist, `${key.name} (libpq ${libpq.major})`);
      }
    });

    it('matches the values libpq accepts and rejects', async () => {
      const port = await closedLoopbackPort();
      const base = `host=127.0.0.1 port=${port} dbname=probe user=probe connect_timeout=2`;
      const installed = new Set(libpq.keywords);
      const probes: { label: string; conninfo: string; expectRejected: boolean }[] = [];
      const probe = (keyword: string, value: string, expectRejected: boolean): void => {
        probes.push({
          label: `${keyword}=${value}`,
          conninfo: `${base} ${keyword}=${quoteConninfo(value)}`,
          expectRejected,
        });
      };
      for (const key of libpqKeywords) {
        if (!installed.has(key.name) || notValidatedByLibpq.has(key.name)) continue;
        if (key.type === 'enum') {
          const usable = (key.values ?? []).filter((value) => (value.sinceLibpq ?? 0) <= libpq.major);
          for (const value of usable) probe(key.name, value.value, false);
          probe(key.name, 'not-a-value', true);
          const cased = usable.find((value) => value.value.toUpperCase() !== value.value);
          if (cased) probe(key.name, cased.value.toUpperCase(), !key.caseInsensitive);
        }
        if (key.type === 'int' && key.name !== 'port') probe(key.name, 'ten', true);
      }
      const portKey = libpqKeywords.find((key) => key.name === 'port');
      assert.ok(portKey?.min !== undefined && portKey.max !== undefined);
      probes.push(
        { label: 'port below min', conninfo: `${base} port=${portKey.min - 1}`, expectRejected: true },
        { label: 'port above max', conninfo: `${base} port=${portKey.max + 1}`, expectRejected: true },
        { label: 'port at max', conninfo: `${base} port=${portKey.max}`, expectRejected: false },
      );

      const messages = probeConninfos(probes.map((item) => item.conninfo));
      const wrong = probes
        .map((item, index) => ({ ...item, message: messages[index].split('\n')[0] }))
        .filter((item) => valueRejected.test(item.message) !== item.expectRejected)
        .map((item) => `${item.label}: expected ${item.expectRejected ? 'rejection' : 'acceptance'}, got "${item.message}"`);
      assert.deepStrictEqual(wrong, []);
    });
  });

  describe('server settings checked against the installed PostgreSQL', () => {
    it('have the context and range pg_settings reports', function () {
      const postgresBin = '/usr/lib/postgresql/15/bin/postgres';
      const described = execFileSync(postgresBin, ['--describe-config'], { encoding: 'utf8' });
      const rows = new Map(
        described.split('\n').filter(Boolean).map((line) => {
          const [name, context, , vartype, , min, max] = line.split('\t');
          return [name.toLowerCase(), { context, vartype, min, max }] as const;
        }),
      );
      const serverMajor = 15;
      const problems: string[] = [];
      for (const setting of serverSettings) {
        const row = rows.get(setting.name.toLowerCase());
        const expected = (setting.versions?.postgresAdded ?? 0) <= serverMajor;
        if (!row) {
          // --describe-config omits a few settings (application_name, role): only a missing numeric one is an error.
          if (expected && setting.type === 'int') problems.push(`${setting.name}: not in PostgreSQL ${serverMajor}`);
          continue;
        }
        if (!expected) problems.push(`${setting.name}: exists in ${serverMajor} but dated later`);
        if (row.context !== setting.context) problems.push(`${setting.name}: context ${row.context}`);
        if (row.vartype === 'INTEGER') {
          if (Number(row.min) !== setting.min) problems.push(`${setting.name}: min ${row.min}`);
          if (Number(row.max) !== setting.max) problems.push(`${setting.name}: max ${row.max}`);
        }
      }
      assert.deepStrictEqual(problems, []);
    });
  });
});
