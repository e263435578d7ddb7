import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkSettings } from '../../server/src/diagnostics/index';
import { PythonSource } from '../../server/src/model/python';
import { SettingsLoader } from '../../server/src/model/resolve';
import { settingsModelOf } from '../../server/src/model/settingsModel';
import { discoverEntries, settingsModulesIn } from '../../server/src/settingsGraph/entries';
import { ProjectGraph } from '../../server/src/settingsGraph/graph';
import { kindOfFile, kindOfName } from '../../server/src/settingsGraph/kinds';
import { templateReason } from '../../server/src/settingsGraph/templates';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dpg-graph-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const guardOf = (text: string, key: string) => {
  const model = settingsModelOf(text);
  const assigned = model.itemAssignments.find((a) => a.entry.key === key) ?? undefined;
  const dict = model.dicts.find((d) => d.dict.entries.some((e) => e.key === key));
  return assigned?.guard ?? dict?.guard;
};

const BASE = `import os\nDATABASES = {'default': {'ENGINE': os.environ.get('E', 'django.db.backends.postgresql'), 'NAME': 'x'}}\n`;

describe('engine per branch: conditions that test the ENGINE', () => {
  const cases: [string, boolean | undefined][] = [
    [`if "mysql" in DATABASES["default"]["ENGINE"]:`, false],
    [`if DATABASES["default"]["ENGINE"].endswith("sqlite3"):`, false],
    [`if DATABASES['default']['ENGINE'] == 'django.db.backends.oracle':`, false],
    [`if DATABASES['default']['ENGINE'] in ('django.db.backends.mysql', 'django.db.backends.sqlite3'):`, false],
    [`if DATABASES['default'].get('ENGINE', '').startswith('django.db.backends.postgresql'):`, true],
    [`if not DATABASES['default']['ENGINE'].startswith('django.db.backends.postgresql'):`, false],
    [`if 'postgres' in DATABASES['default']['ENGINE'] and DEBUG:`, true],
    [`if "mysql" not in DATABASES["default"]["ENGINE"]:`, undefined],
    [`if DEBUG:`, undefined],
  ];
  for (const [condition, postgres] of cases) {
    it(`${condition} → ${postgres === undefined ? 'says nothing' : postgres ? 'PostgreSQL only' : 'another backend only'}`, () => {
      const guard = guardOf(`${BASE}${condition}\n    DATABASES['default']['OPTIONS'] = {'charset': 'utf8'}\n`, 'charset');
      assert.equal(guard?.postgres, postgres);
    });
  }

  it('reads the else of a PostgreSQL test as another backend, and a variable the ENGINE is built from', () => {
    const elseGuard = guardOf(`${BASE}if 'postgresql' in DATABASES['default']['ENGINE']:\n    pass\nelse:\n    DATABASES['default']['OPTIONS'] = {'charset': 'utf8'}\n`, 'charset');
    assert.equal(elseGuard?.postgres, false);
    const variable = `import os\nKIND = os.environ.get('KIND', 'mysql')\nDATABASES = {'default': {'ENGINE': f'django.db.backends.{KIND}', 'NAME': 'x'}}\nif KIND == 'mysql':\n    DATABASES['default']['OPTIONS'] = {'charset': 'utf8'}\n`;
    assert.equal(guardOf(variable, 'charset')?.postgres, false);
    // A variable unrelated to the ENGINE tells nothing.
    assert.equal(guardOf(`${BASE}MODE = 'mysql'\nif MODE == 'mysql':\n    DATABASES['default']['OPTIONS'] = {'charset': 'utf8'}\n`, 'charset'), undefined);
  });

  it('keeps every ENGINE an alias may run with, and an unconditional one replaces them', () => {
    const model = settingsModelOf(`if DEBUG:\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'a'}}\nelse:\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'b'}}\n`);
    assert.deepEqual(model.aliases[0].engines.map((e) => (e.kind === 'string' ? e.value : e.kind)), ['django.db.backends.sqlite3', 'django.db.backends.postgresql']);
    const replaced = settingsModelOf(`if DEBUG:\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'b'}}\n`);
    assert.deepEqual(replaced.aliases[0].engines.map((e) => (e.kind === 'string' ? e.value : e.kind)), ['django.db.backends.postgresql']);
  });

  it('reports PostgreSQL-only errors under an unknown ENGINE as information that says why, and keeps them under a known one', () => {
    const check = (text: string) => {
      const src = PythonSource.parse(text);
      return checkSettings({ file: 'settings.py', src, model: settingsModelOf(text), settings: { ignore: [], targetLibpqVersion: 13 } });
    };
    const unknown = check(`import os\nDATABASES = {'default': {'ENGINE': os.environ['DB_ENGINE'], 'NAME': 'x', 'OPTIONS': {'sslmode': 'requir'}}}\n`);
    const finding = unknown.find((f) => f.code === 'DPG102');
    assert.equal(finding?.severity, 'information');
    assert.match(finding!.message, /read from DB_ENGINE/);
    const known = check(`DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'x', 'OPTIONS': {'sslmode': 'requir'}}}\n`);
    assert.equal(known.find((f) => f.code === 'DPG102')?.severity, 'error');
  });
});

describe('values through variables', () => {
  const ENGINE_ONLY = "import dj_database_url, environ\nenv = environ.Env()\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n";
  const forms: [string, string][] = [
    ['.update(x) with x = dj_database_url.config()', "db = dj_database_url.config(conn_max_age=500)\nDATABASES['default'].update(db)\n"],
    ['|= x with x = dj_database_url.parse()', "db = dj_database_url.parse('postgres://u@h/n')\nDATABASES['default'] |= db\n"],
    ['{**x, ...} with x = env.db()', "db = env.db()\nDATABASES = {'default': {**db, 'CONN_MAX_AGE': 60}}\n"],
    ['{**x, ...} with x a dict literal', "BASE = {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'n'}\nDATABASES = {'default': {**BASE, 'CONN_MAX_AGE': 60}}\n"],
    ['.update(x) with x a dict literal', "LOCAL = {'NAME': 'n'}\nDATABASES['default'].update(LOCAL)\n"],
  ];
  for (const [form, code] of forms) {
    it(`${form} supplies NAME: no DPG120`, () => {
      const text = ENGINE_ONLY + code;
      const findings = checkSettings({ file: 'settings.py', src: PythonSource.parse(text), model: settingsModelOf(text), settings: { ignore: [], targetLibpqVersion: 13 } });
      assert.deepEqual(findings.filter((f) => f.code === 'DPG120').map((f) => f.message), []);
    });
  }
  it('without the merge, the same alias has no NAME (the finding the merge removes is real)', () => {
    const text = ENGINE_ONLY + "DATABASES['default']['USER'] = 'u'\n";
    const findings = checkSettings({ file: 'settings.py', src: PythonSource.parse(text), model: settingsModelOf(text), settings: { ignore: [], targetLibpqVersion: 13 } });
    assert.equal(findings.find((f) => f.code === 'DPG120')?.severity, 'error');
  });
});

describe('the project: entry modules and the modules they run', () => {
  it('reads DJANGO_SETTINGS_MODULE from manage.py, pytest.ini, pyproject.toml, setup.cfg, tox.ini, .env and compose files', () => {
    assert.deepEqual(settingsModulesIn('/p/manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "a.settings")\n'), ['a.settings']);
    assert.deepEqual(settingsModulesIn('/p/pytest.ini', '[pytest]\nDJANGO_SETTINGS_MODULE = a.settings.test\n'), ['a.settings.test']);
    assert.deepEqual(settingsModulesIn('/p/pyproject.toml', '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "a.ci"\n'), ['a.ci']);
    assert.deepEqual(settingsModulesIn('/p/setup.cfg', '[tool:pytest]\nDJANGO_SETTINGS_MODULE=a.t  # tests\n'), ['a.t']);
    assert.deepEqual(settingsModulesIn('/p/tox.ini', '[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE = a.tox\n'), ['a.tox']);
    const env = project({ '.env': "# DJANGO_SETTINGS_MODULE=a.old\nexport DJANGO_SETTINGS_MODULE='a.dev'\n" });
    assert.deepEqual(settingsModulesIn(join(env, '.env'), ''), ['a.dev']);
    assert.deepEqual(settingsModulesIn('/p/docker-compose.yml', 'services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=a.docker\n'), ['a.docker']);
  });

  it('names what a module is for from its name or what selects it', () => {
    assert.equal(kindOfName('config.settings.production'), 'production');
    assert.equal(kindOfName('settings_ci'), 'test');
    assert.equal(kindOfName('local'), 'development');
    assert.equal(kindOfFile('/p/app/settings/test.py'), 'test');
    assert.equal(kindOfFile('/p/app/settings.py'), 'unknown');
    const root = project({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/settings.py': 'DEBUG = True\n',
    });
    const entries = discoverEntries([root], (p) => readFileSync(p, 'utf8'), existsSync);
    assert.deepEqual(entries.map((e) => [e.module, e.kind, e.declaredIn.slice(root.length)]), [
      ['app.settings', 'production', '/app/wsgi.py'],
      ['app.settings', 'unknown', '/manage.py'],
    ]);
  });

  it('recognises templates by name and by placeholders', () => {
    const plain = settingsModelOf(`DATABASES = {'default': {'NAME': 'x'}}\n`);
    for (const name of ['settings.py-tpl', 'local_settings.py.example', 'settings.py.j2', 'local.template.py', 'database_template.py', 'settings.py.dist']) {
      assert.ok(templateReason(`/p/${name}`, plain), name);
    }
    assert.equal(templateReason('/p/settings.py', plain), undefined);
    assert.ok(templateReason('/p/settings.py', settingsModelOf(`DATABASES = {'default': {'PORT': '{{ db.port }}'}}\n`)));
  });

  it('follows include() globs in order, optional() and exec(open(...).read())', () => {
    const root = project({
      's/__init__.py': "from split_settings.tools import include, optional\ninclude('parts/*.py', optional('missing.py'))\n",
      's/parts/20_db.py': "DATABASES['default']['NAME'] = 'late'\n",
      's/parts/10_db.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'early'}}\n",
      'e/settings.py': "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nexec(open(os.path.join(BASE_DIR, 'e', 'local.py')).read())\n",
      'e/local.py': "DATABASES['default']['NAME'] = 'from_exec'\n",
    });
    const loader = new SettingsLoader();
    const included = loader.load(join(root, 's', '__init__.py'))!;
    assert.deepEqual(included.includes.map((i) => [i.kind, i.files.map((f) => f.slice(root.length)), i.optional]), [
      ['include', ['/s/parts/10_db.py', '/s/parts/20_db.py'], false],
      ['include', [], true],
    ]);
    const name = included.aliases[0].entries.get('NAME')!.entry.value;
    assert.equal(name.kind === 'string' && name.value, 'late');
    const executed = loader.load(join(root, 'e', 'settings.py'))!;
    const execName = executed.aliases[0].entries.get('NAME')!.entry.value;
    assert.equal(execName.kind === 'string' && execName.value, 'from_exec');
  });

  it('resolves a dotted relative star import one level up (from .common.databases import *)', () => {
    const root = project({
      'p/settings/common/databases.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n",
      'p/settings/dev.py': "from .common.databases import *\nDATABASES['default']['NAME'] = 'dev'\n",
    });
    const model = new SettingsLoader().load(join(root, 'p', 'settings', 'dev.py'))!;
    assert.deepEqual(model.starImports, [join(root, 'p', 'settings', 'common', 'databases.py')]);
    assert.ok(model.aliases[0].entries.has('ENGINE'));
  });

  it('sees an edit of base.py in the modules that import it after invalidate(), reusing what did not change', () => {
    const texts = new Map([
      ['/p/s/base.py', "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"],
      ['/p/s/prod.py', 'from .base import *\n'],
    ]);
    const loader = new SettingsLoader((path) => texts.get(path));
    const before = loader.load('/p/s/prod.py')!;
    assert.equal(before.aliases[0].entries.has('NAME'), false);
    assert.equal(loader.load('/p/s/prod.py'), before);
    texts.set('/p/s/base.py', "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'x'}}\n");
    loader.invalidate();
    assert.equal(loader.load('/p/s/prod.py')!.aliases[0].entries.has('NAME'), true);
  });

  it('judges a base module by the entries that run it, naming the one that leaves NAME out', () => {
    const root = project({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "c.local")\n',
      'c/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "c.production")\n',
      'c/__init__.py': '',
      'c/base.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n",
      'c/local.py': "from .base import *\nDATABASES['default']['NAME'] = 'dev'\n",
      'c/production.py': "from .base import *\nDATABASES['default']['HOST'] = 'db'\n",
    });
    const loader = new SettingsLoader();
    const graph = new ProjectGraph([root], loader, (p) => readFileSync(p, 'utf8'));
    const base = join(root, 'c', 'base.py');
    const context = graph.contextFor(base);
    assert.deepEqual(context.entries.map((e) => e.entry.module).sort(), ['c.local', 'c.production']);
    const text = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n";
    const src = PythonSource.parse(text);
    const findings = checkSettings({ file: base, src, model: loader.modelOf(base, src), settings: { ignore: [], targetLibpqVersion: 13 }, project: context });
    const missing = findings.filter((f) => f.code === 'DPG120');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].severity, 'error');
    assert.match(missing[0].message, /c\.production \(DJANGO_SETTINGS_MODULE in wsgi\.py\)/);
    assert.doesNotMatch(missing[0].message, /c\.local/);
  });
});
