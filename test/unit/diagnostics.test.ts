import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ruleDocs } from '../../server/src/catalog/rules';
import { checkSettings, type Finding } from '../../server/src/diagnostics/index';
import { parseOptionsString } from '../../server/src/diagnostics/optionsString';
import { suggest } from '../../server/src/diagnostics/suggest';
import type { DiagnosticSettings } from '../../server/src/diagnostics/types';
import { PythonSource } from '../../server/src/model/python';
import { buildSettingsModel } from '../../server/src/model/settingsModel';
import { fixedProjectVersions } from '../../server/src/project/projectVersions';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = (dir: string) => join(root, 'test', 'fixtures', dir);

function check(text: string, settings: Partial<DiagnosticSettings> = {}, project?: Parameters<typeof fixedProjectVersions>[0]): Finding[] {
  const src = PythonSource.parse(text);
  return checkSettings({ file: 'settings.py', src, model: buildSettingsModel(src), settings: { ignore: [], targetLibpqVersion: 13, ...settings }, versions: project && fixedProjectVersions(project) });
}

const entry = (body: string, prelude = '') =>
  `${prelude}DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n${body}\n    }\n}\n`;

function only(findings: Finding[], code: string): Finding {
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => `${f.code} ${f.message}`))}`);
  return matching[0];
}

function applyFix(text: string, finding: Finding, index = 0): string {
  const fix = finding.fixes?.[index];
  assert.ok(fix, `${finding.code} has no fix`);
  return [...fix.edits].sort((a, b) => b.from - a.from).reduce((t, e) => t.slice(0, e.from) + e.newText + t.slice(e.to), text);
}

const codesOf = (findings: Finding[]) => [...new Set(findings.map((f) => f.code))].sort();

describe('diagnostics: rule docs', () => {
  const sources = readdirSync(join(root, 'server', 'src', 'diagnostics', 'rules')).map((f) => readFileSync(join(root, 'server', 'src', 'diagnostics', 'rules', f), 'utf8')).join('\n');
  const emitted = new Set(sources.match(/'DPG\d{3}'/g)?.map((c) => c.slice(1, -1)));

  it('documents every code a rule can emit, and documents no code that no rule emits', () => {
    const documented = new Set(ruleDocs.map((r) => r.code));
    assert.deepEqual([...emitted].filter((c) => !documented.has(c)), []);
    assert.deepEqual([...documented].filter((c) => !emitted.has(c)), []);
    assert.equal(documented.size, ruleDocs.length, 'duplicate rule codes');
  });

  for (const doc of ruleDocs) {
    it(`${doc.code} ${doc.name}: its example triggers it with the documented severity`, () => {
      const finding = only(check(doc.example, {}, doc.exampleProject), doc.code);
      assert.equal(finding.severity, doc.severity);
      const band = { '1': ['error'], '2': ['warning'], '3': ['information', 'hint'] }[doc.code[3]];
      assert.ok(band?.includes(doc.severity), `${doc.code} severity ${doc.severity} outside its band`);
      assert.match(doc.docsUrl, /^https:\/\//);
    });
  }
});

describe('diagnostics: fixture settings files', () => {
  const ok = readdirSync(fixtures('settings-ok')).filter((f) => f.endsWith('.py'));
  it('has at least 20 correct settings files', () => assert.ok(ok.length >= 20));
  for (const file of ok) {
    it(`settings-ok/${file}: no errors and no warnings`, () => {
      const findings = check(readFileSync(join(fixtures('settings-ok'), file), 'utf8'));
      const loud = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.deepEqual(loud.map((f) => `${f.code} ${f.message}`), []);
    });
  }
  for (const file of readdirSync(fixtures('settings-bad')).filter((f) => f.endsWith('.py'))) {
    it(`settings-bad/${file}: reports exactly the expected codes`, () => {
      const text = readFileSync(join(fixtures('settings-bad'), file), 'utf8');
      const expected = /^# expect: (.*)$/m.exec(text)?.[1].split(/\s+/).sort();
      assert.ok(expected, 'fixture lacks "# expect:"');
      assert.deepEqual(codesOf(check(text)), expected);
    });
  }
});

describe('diagnostics: facts from the reference catalogs', () => {
  it("the legacy engine 'postgresql_psycopg2' is a Deprecated hint with a fix, never an error", () => {
    const text = entry('').replace("'django.db.backends.postgresql'", "'django.db.backends.postgresql_psycopg2'");
    const findings = check(text);
    const hint = only(findings, 'DPG305');
    assert.equal(hint.severity, 'hint');
    assert.deepEqual(hint.tags, ['deprecated']);
    assert.equal(findings.filter((f) => f.severity === 'error').length, 0);
    assert.match(applyFix(text, hint), /'ENGINE': 'django\.db\.backends\.postgresql',/);
  });

  it('TIME_ZONE is fine with USE_TZ True or unset, an error only with USE_TZ = False', () => {
    const body = "        'TIME_ZONE': 'Europe/Paris',";
    assert.deepEqual(codesOf(check(entry(body, 'USE_TZ = True\n'))), []);
    assert.deepEqual(codesOf(check(entry(body))), []);
    assert.equal(only(check(entry(body, 'USE_TZ = False\n')), 'DPG110').severity, 'error');
  });

  it('prepare_threshold None, isolation_level and the pool dict are Django options, not libpq typos', () => {
    assert.deepEqual(codesOf(check(entry("        'OPTIONS': {'prepare_threshold': None, 'server_side_binding': True, 'pool': True},"))), []);
  });

  it('pool with CONN_MAX_AGE None is an error; with 0 it is fine', () => {
    assert.equal(only(check(entry("        'CONN_MAX_AGE': None,\n        'OPTIONS': {'pool': True},")), 'DPG107').severity, 'error');
    assert.deepEqual(codesOf(check(entry("        'CONN_MAX_AGE': 0,\n        'OPTIONS': {'pool': {'min_size': 1}},"))), []);
  });

  it('libpq accepts a negative connect_timeout and keepalives 2; ssl_min_protocol_version ignores case', () => {
    assert.deepEqual(codesOf(check(entry("        'OPTIONS': {'connect_timeout': -5, 'keepalives': 2, 'ssl_min_protocol_version': 'tlsv1.3'},"))), []);
  });

  it('NAME of 63 characters is allowed, 64 is an error', () => {
    assert.deepEqual(codesOf(check(entry('').replace("'shop'", `'${'a'.repeat(63)}'`))), []);
    assert.equal(only(check(entry('').replace("'shop'", `'${'a'.repeat(64)}'`)), 'DPG106').severity, 'error');
  });
});

describe('diagnostics: environment and computed values', () => {
  it("checks an environment lookup's literal default", () => {
    const finding = only(check(entry("        'OPTIONS': {'sslmode': os.environ.get('PGSSLMODE', 'requre')},", 'import os\n')), 'DPG102');
    assert.match(finding.message, /default of the environment lookup/);
  });

  it('never guesses at lookups without a default or computed values', () => {
    const text = entry("        'PORT': os.environ['DB_PORT'],\n        'CONN_MAX_AGE': int(os.environ.get('AGE', '60')),\n        'OPTIONS': {'sslmode': os.environ['SSLMODE'], 'connect_timeout': get_timeout()},", 'import os\n');
    assert.deepEqual(codesOf(check(text)), []);
  });

  it('honours # noqa and the ignore list', () => {
    assert.deepEqual(codesOf(check(entry("        'CONN_MAX_AGES': 60,  # noqa: DPG201"))), []);
    assert.deepEqual(codesOf(check(entry("        'CONN_MAX_AGES': 60,"), { ignore: ['dpg201'] })), []);
  });
});

describe('diagnostics: quick fixes', () => {
  it('renames a misspelt key keeping the quote style', () => {
    const text = entry('        "CONN_MAX_AGES": 60,');
    assert.match(applyFix(text, only(check(text), 'DPG201')), /"CONN_MAX_AGE": 60,/);
  });

  it('replaces a misspelt enum value, keeping double quotes', () => {
    const text = entry('        "OPTIONS": {"sslmode": "REQUIRE"},');
    const fixed = applyFix(text, only(check(text), 'DPG102'));
    assert.match(fixed, /"sslmode": "require"/);
    assert.deepEqual(codesOf(check(fixed)), []);
  });

  it('moves a hard-coded password to os.environ.get, adds import os and offers the .env value', () => {
    const text = `"""Settings."""\nfrom pathlib import Path\n\n${entry("        'PASSWORD': 's3cret',")}`;
    const finding = only(check(text), 'DPG203');
    assert.equal(text.slice(finding.from, finding.to), "'s3cret'");
    const fix = finding.fixes?.[0];
    assert.deepEqual(fix?.dotenv, { name: 'DB_PASSWORD', value: 's3cret' });
    const fixed = applyFix(text, finding);
    assert.match(fixed, /^"""Settings\."""\nimport os\nfrom pathlib import Path/);
    assert.match(fixed, /'PASSWORD': os\.environ\.get\('DB_PASSWORD'\),/);
    assert.deepEqual(codesOf(check(fixed)), []);
  });

  it('does not add a second import os', () => {
    const text = `import os\n${entry("        'PASSWORD': 's3cret',")}`;
    assert.equal(applyFix(text, only(check(text), 'DPG203')).match(/import os/g)?.length, 1);
  });

  it('moves a server setting into a new options string, or extends the existing one', () => {
    const created = entry("        'OPTIONS': {'statement_timeout': 30000},");
    const fixedCreated = applyFix(created, only(check(created), 'DPG114'));
    assert.match(fixedCreated, /'OPTIONS': \{'options': '-c statement_timeout=30000'\},/);
    assert.deepEqual(codesOf(check(fixedCreated)), []);
    const extended = entry("        'OPTIONS': {\n            'options': '-c lock_timeout=3s',\n            'statement_timeout': '30s',\n        },");
    const fixedExtended = applyFix(extended, only(check(extended), 'DPG114'));
    assert.match(fixedExtended, /'options': '-c lock_timeout=3s -c statement_timeout=30s',\n {8}\},/);
    assert.deepEqual(codesOf(check(fixedExtended)), []);
  });

  it("adds 'DISABLE_SERVER_SIDE_CURSORS': True behind PgBouncer", () => {
    const text = entry("        'HOST': 'localhost',\n        'PORT': '6432',");
    const finding = only(check(text), 'DPG302');
    const fixed = applyFix(text, finding);
    assert.match(fixed, /'PORT': '6432',\n {8}'DISABLE_SERVER_SIDE_CURSORS': True,\n/);
    assert.deepEqual(codesOf(check(fixed)), []);
  });

  it('removes a duplicated key with its comma and line', () => {
    const text = entry("        'PORT': '5432',\n        'PORT': '5433',");
    const fixed = applyFix(text, only(check(text), 'DPG210'));
    assert.ok(!fixed.includes("'5432'"));
    assert.match(fixed, /'NAME': 'shop',\n {8}'PORT': '5433',\n/);
  });

  it('removes the last item of a one-line dict with the comma before it', () => {
    const text = entry("        'OPTIONS': {'sslmode': 'require', 'client_encoding': 'UTF8'},");
    assert.match(applyFix(text, only(check(text), 'DPG206')), /'OPTIONS': \{'sslmode': 'require'\},/);
  });
});

describe('diagnostics: the options string parser', () => {
  it('reads -c name=value, -cname=value and --name=value with offsets into the string', () => {
    const text = '-c statement_timeout=5s -clock_timeout=1s --search-path=a,\\ b';
    const parsed = parseOptionsString(text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.settings.map((s) => [s.name, s.value]), [['statement_timeout', '5s'], ['lock_timeout', '1s'], ['search_path', 'a, b']]);
    const first = parsed.settings[0];
    assert.equal(text.slice(first.nameFrom, first.nameTo), 'statement_timeout');
    assert.equal(text.slice(first.valueFrom, first.valueTo), '5s');
  });

  it('reports -c without a value, a bare assignment, an unescaped space and quotes', () => {
    const kinds = (text: string) => parseOptionsString(text).problems.map((p) => p.kind);
    assert.deepEqual(kinds('-c statement_timeout'), ['missing-value']);
    assert.deepEqual(kinds('-c'), ['missing-value']);
    assert.deepEqual(kinds('statement_timeout=5s'), ['bare-assignment']);
    assert.deepEqual(kinds('-c search_path=a, b'), ['unescaped-space']);
    assert.deepEqual(kinds("-c default_transaction_isolation='serializable'"), ['quoted-value']);
  });

  it('checks units: case, compound values and units on unitless settings', () => {
    const units = (value: string) => codesOf(check(entry(`        'OPTIONS': {'options': '${value}'},`)));
    assert.deepEqual(units('-c statement_timeout=30\\\\ seconds'), ['DPG208']);
    assert.deepEqual(units('-c statement_timeout=1h30min'), ['DPG208']);
    assert.deepEqual(units('-c work_mem=4KB'), ['DPG208']);
    assert.deepEqual(units('-c tcp_keepalives_count=5s'), ['DPG208']);
    assert.deepEqual(units('-c statement_timeout=1.5s -c work_mem=64MB -c myapp.tenant=4'), []);
  });
});

describe('diagnostics: did you mean', () => {
  it('suggests close names and stays silent on unrelated ones', () => {
    assert.equal(suggest('CONN_MAX_AGES', ['CONN_MAX_AGE', 'CONN_HEALTH_CHECKS']), 'CONN_MAX_AGE');
    assert.equal(suggest('sslmod', ['sslmode', 'sslcert']), 'sslmode');
    assert.equal(suggest('ssl-mode', ['sslmode']), 'sslmode');
    assert.equal(suggest('frobnicate', ['sslmode', 'host']), undefined);
  });
});

// Speed is measured by `npm run bench`; this checks that a huge file is still analysed completely.
describe('diagnostics: large files', () => {
  it('reports every problem of a 10,000-line DATABASES block', () => {
    const aliases = Array.from({ length: 700 }, (_, i) => `    'db${i}': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'db${i}',\n        'PASSWORD': 'pw${i}',\n        'OPTIONS': {'sslmode': 'requre', 'options': '-c statment_timeout=5s'},\n        'CONN_MAX_AGES': 1,\n        'TEST': {'SERIALIZE': False},\n        'PORT': '6432',\n        'HOST': 'db.example.com',\n        'ATOMIC_REQUESTS': True,\n        'CONN_HEALTH_CHECKS': False,\n        'AUTOCOMMIT': True,\n    },`);
    const text = `DATABASES = {\n${aliases.join('\n')}\n}\n`;
    assert.ok(text.split('\n').length > 9000);
    const src = PythonSource.parse(text);
    const model = buildSettingsModel(src);
    const findings = checkSettings({ file: 'settings.py', src, model, settings: { ignore: [], targetLibpqVersion: 13 } });
    for (const code of ['DPG102', 'DPG201', 'DPG203']) {
      assert.equal(findings.filter((f) => f.code === code).length >= 700, true, `${code} reported for every alias`);
    }
  });
});

describe('diagnostics: the hard-coded password fix adds `import os` only when the file needs it', () => {
  const fixOf = (text: string) => {
    const src = PythonSource.parse(text);
    const found = checkSettings({ file: 'settings.py', src, model: buildSettingsModel(src), settings: { ignore: [], targetLibpqVersion: 13 } });
    const fix = found.find((f) => f.code === 'DPG203')!.fixes![0];
    return [...fix.edits].sort((a, b) => b.from - a.from).reduce((acc, e) => acc.slice(0, e.from) + e.newText + acc.slice(e.to), text);
  };
  const block = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'PASSWORD': 'pw'}}\n";

  it('adds it before the first import (after from __future__ and the docstring)', () => {
    const fixed = fixOf(`"""Settings."""\nfrom __future__ import annotations\nimport sys\n${block}`);
    assert.ok(fixed.startsWith('"""Settings."""\nfrom __future__ import annotations\nimport os\nimport sys\n'), fixed);
    assert.ok(fixed.includes("'PASSWORD': os.environ.get('DB_PASSWORD')"));
  });

  it('adds it when the file only has `from os import environ` (that does not bind os)', () => {
    assert.ok(fixOf(`from os import environ\n${block}`).startsWith('import os\nfrom os import environ\n'));
  });

  it('leaves the imports alone when `import sys, os` is there, and ignores "import os" inside a string', () => {
    const fixed = fixOf(`import sys, os\n${block}`);
    assert.equal(fixed.match(/import os/g)?.length ?? 0, 0);
    const inString = fixOf(`NOTE = """\nimport os\n"""\n${block}`);
    assert.ok(inString.startsWith('import os\n\nNOTE'), inString);
  });
});

describe('diagnostics: every branch of an if/else is checked', () => {
  it('reports a bad value set by item assignment in the first branch, though the last branch wins in the merged view', () => {
    const text = `DEBUG = True
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'OPTIONS': {}}}
if DEBUG:
    DATABASES['default']['OPTIONS']['sslmode'] = 'requre'
else:
    DATABASES['default']['OPTIONS']['sslmode'] = 'require'
`;
    const src = PythonSource.parse(text);
    const model = buildSettingsModel(src);
    assert.equal(model.itemAssignments.length, 2);
    const found = checkSettings({ file: 'settings.py', src, model, settings: { ignore: [], targetLibpqVersion: 13 } });
    const bad = found.filter((f) => f.code === 'DPG102');
    assert.equal(bad.length, 1);
    assert.equal(text.slice(bad[0].from, bad[0].to), "'requre'");
  });
});
