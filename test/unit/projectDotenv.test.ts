// Which .env file a project reads, with which library and options, read from the settings with the
// Python parser; and what the values are once the environment has had its say.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDotenvLoads } from '../../server/src/model/dotenvLoads';
import { PythonSource } from '../../server/src/model/python';
import { resolveSettingsFile } from '../../server/src/model/resolve';
import { buildSettingsModel } from '../../server/src/model/settingsModel';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkSettings } from '../../server/src/diagnostics';
import { hover } from '../../server/src/features/hover';
import { defaultServerSettings } from '../../server/src/settings';
import { decoupleValues, djangoEnvironValues, composeEnvValues, interpolateCompose } from '../../server/src/project/dotenvReaders';
import { lookupEnvironmentOf, manageRunEnvironment, projectDotenv, pythonFilesOnDisk } from '../../server/src/project/projectDotenv';

const SETTINGS = '/site/mysite/settings.py';
const loadsOf = (text: string) => findDotenvLoads(PythonSource.parse(text), SETTINGS).map(({ span: _span, ...rest }) => rest);

describe('.env loads in the settings, read with the Python parser', () => {
  it('load_dotenv with a path built from __file__, override= and interpolate=', () => {
    const [load] = loadsOf([
      'from pathlib import Path',
      'from dotenv import load_dotenv',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      'load_dotenv(BASE_DIR / ".env.local", override=True, interpolate=False)',
    ].join('\n'));
    assert.equal(load.library, 'python-dotenv');
    assert.equal(load.path, '/site/.env.local');
    assert.equal(load.override, true);
    assert.equal(load.interpolate, false);
    assert.equal(load.conditional, false);
  });

  it('the ways projects spell the path: os.path.join, dirname chains, parents[n], str(), find_dotenv(), no argument', () => {
    const paths = (line: string) => loadsOf(`import os\nimport dotenv\nfrom dotenv import load_dotenv, find_dotenv\nfrom pathlib import Path\n${line}`)[0];
    assert.equal(paths("BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nload_dotenv(os.path.join(BASE_DIR, '.env'))").path, '/site/.env');
    assert.equal(paths("load_dotenv(str(Path(__file__).resolve().parents[1] / 'config' / '.env'))").path, '/site/config/.env');
    assert.equal(paths("dotenv.load_dotenv(dotenv_path=Path(__file__).parent.joinpath('.env'))").path, '/site/mysite/.env');
    assert.deepEqual([paths('load_dotenv(find_dotenv())').search, paths('load_dotenv(find_dotenv())').path], ['find_dotenv', '.env']);
    assert.equal(paths("load_dotenv(find_dotenv('.env.dev', usecwd=True))").search, 'find_dotenv_cwd');
    assert.equal(paths('load_dotenv()').search, 'find_dotenv');
    assert.equal(paths("load_dotenv('.env')").path, '.env', 'relative to the working directory');
    assert.equal(paths("load_dotenv(os.environ['ENV_FILE'])").unresolved, true);
  });

  it('django-environ read_env on the class or an instance, with overwrite= and parse_comments=, and environ.Path arithmetic', () => {
    const loads = loadsOf([
      'import environ',
      'ROOT_DIR = environ.Path(__file__) - 2',
      'env = environ.Env(DEBUG=(bool, False))',
      'if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):',
      '    env.read_env(str(ROOT_DIR.path(".env")), overwrite=True, parse_comments=True)',
      'environ.Env.read_env()',
    ].join('\n'));
    assert.equal(loads.length, 2);
    assert.deepEqual([loads[0].library, loads[0].path, loads[0].override, loads[0].parseComments, loads[0].conditional], ['django-environ', '/site/.env', true, true, true]);
    assert.equal(loads[1].search, 'beside_caller');
  });

  it('python-decouple: config, AutoConfig(search_path=) and Config(RepositoryEnv(path))', () => {
    assert.equal(loadsOf("from decouple import config\nSECRET_KEY = config('SECRET_KEY')")[0].search, 'decouple');
    const auto = loadsOf("from pathlib import Path\nfrom decouple import AutoConfig\nconfig = AutoConfig(search_path=Path(__file__).parent.parent)\nX = config('X')");
    assert.deepEqual([auto.length, auto[0].searchFrom], [1, '/site']);
    const repository = loadsOf("import os\nfrom decouple import Config, RepositoryEnv\nconfig = Config(RepositoryEnv(os.path.join(os.path.dirname(__file__), '.env.prod')))");
    assert.equal(repository[0].path, '/site/mysite/.env.prod');
  });

  it('ignores calls in function bodies, lookalikes from other modules, and reads nothing from comments or strings', () => {
    assert.deepEqual(loadsOf([
      'from myproject.utils import load_dotenv',
      'load_dotenv(".env")',
      'def later():',
      '    from dotenv import load_dotenv as real',
      '    real(".env")',
      '# load_dotenv(".env")',
      'TEXT = "load_dotenv(\'.env\')"',
    ].join('\n')), []);
  });
});

describe("the project's .env values", () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'django-postgres-project-dotenv-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function project(settings: string, files: Record<string, string>): string {
    mkdirSync(join(dir, 'mysite'), { recursive: true });
    writeFileSync(join(dir, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'mysite', 'settings.py'), settings);
    return join(dir, 'mysite', 'settings.py');
  }

  const DATABASES = "\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': os.environ.get('DB_PASSWORD'), 'HOST': os.environ.get('DB_HOST')}}\n";

  it('reads the file the settings name, not the nearest .env, and names it and its reader for the hover', () => {
    const settings = project(`import os\nfrom pathlib import Path\nfrom dotenv import load_dotenv\nBASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / ".env.local")${DATABASES}`, {
      '.env': 'DB_PASSWORD=from-dotenv\n',
      '.env.local': 'DB_PASSWORD=p@ss#word\n',
    });
    const env = lookupEnvironmentOf(settings, { workspaceRoot: dir, environ: {} });
    const [db] = resolveSettingsFile(settings, env);
    assert.equal(db.password.value, 'p@ss#word');
    assert.equal(env.dotenvOrigins?.DB_PASSWORD.file, join(dir, '.env.local'));
    assert.match(env.dotenvOrigins!.DB_PASSWORD.description, /load_dotenv\(BASE_DIR \/ "\.env\.local"\).*mysite\/settings\.py.*python-dotenv/);
    assert.deepEqual(db.passwordDotenv, { file: join(dir, '.env.local'), reader: { kind: 'python-dotenv', override: false, interpolate: true } });
  });

  it('hover on the lookup names the file and the reader; DPG212 sees the whole DATABASE_URL python-dotenv reads', () => {
    const text = `import os\nimport dj_database_url\nfrom pathlib import Path\nfrom dotenv import load_dotenv\nBASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / ".env.local", override=True)${DATABASES}DATABASES['other'] = dj_database_url.config()\n`;
    const settings = project(text, { '.env.local': 'DB_PASSWORD=p@ss#word\nDATABASE_URL=postgres://app:p#ss@db.internal/shop\n' });
    const env = lookupEnvironmentOf(settings, { workspaceRoot: dir, environ: { DB_PASSWORD: 'from-shell' } });
    const src = PythonSource.parse(text);
    const model = buildSettingsModel(src);
    const doc = TextDocument.create('file:///p/settings.py', 'python', 1, text);
    const shown = (hover(doc, src, model, text.indexOf("'DB_PASSWORD'") + 2, env)?.contents as { value: string }).value;
    assert.match(shown, /•••••••• \(9 characters\): from `[^`]*\.env\.local`, read by `load_dotenv\(BASE_DIR \/ "\.env\.local", override=True\)` in mysite\/settings\.py \(python-dotenv \(override=True\)\)/);
    assert.match(shown, /override=True: its values beat the process environment/);
    const findings = checkSettings({ file: settings, src, model, settings: defaultServerSettings.diagnostics, env });
    assert.ok(findings.some((f) => f.code === 'DPG212'), 'the unescaped # in the URL password is reported');
  });

  it('says what it could not read: a .env that is not UTF-8, a load whose file the code computes', () => {
    const settings = project(`import os\nfrom dotenv import load_dotenv\nload_dotenv()\nload_dotenv(os.environ['ENV_FILE'])${DATABASES}`, {});
    writeFileSync(join(dir, '.env'), Buffer.from([0x41, 0x3d, 0xe9, 0x0a]));
    const env = lookupEnvironmentOf(settings, { workspaceRoot: dir, environ: {} });
    assert.equal(env.dotenvNotes?.length, 2);
    assert.match(env.dotenvNotes![0], /is not valid UTF-8: Python's \.env readers stop with UnicodeDecodeError/);
    assert.match(env.dotenvNotes![1], /`load_dotenv\(os\.environ\['ENV_FILE'\]\)` loads a file the code computes/);
  });

  it('the environment wins unless the settings pass override=True', () => {
    const text = (override: string) => `import os\nfrom dotenv import load_dotenv\nload_dotenv(${override})${DATABASES}`;
    const files = { '.env': 'DB_HOST=file-host\nDB_PASSWORD=${DB_HOST}-pw\n' };
    const environ = { DB_HOST: 'env-host' };
    const plain = resolveSettingsFile(project(text(''), files), lookupEnvironmentOf(join(dir, 'mysite', 'settings.py'), { workspaceRoot: dir, environ }))[0];
    assert.deepEqual([plain.host.value, plain.host.source, plain.password.value], ['env-host', 'environment', 'env-host-pw']);
    const forced = resolveSettingsFile(project(text('override=True'), files), lookupEnvironmentOf(join(dir, 'mysite', 'settings.py'), { workspaceRoot: dir, environ }))[0];
    assert.deepEqual([forced.host.value, forced.host.source, forced.password.value], ['file-host', 'dotenv', 'file-host-pw']);
  });

  it('django-environ reads `.env` beside the settings with its own rules; decouple finds it from the settings folder up', () => {
    const environSettings = project(`import os, environ\nenviron.Env.read_env()${DATABASES}`, {});
    writeFileSync(join(dir, 'mysite', '.env'), "DB_PASSWORD=x #not a comment\nDB_HOST='a'\n");
    writeFileSync(join(dir, '.env'), 'DB_PASSWORD=wrong-file\n');
    const environDb = resolveSettingsFile(environSettings, lookupEnvironmentOf(environSettings, { workspaceRoot: dir, environ: {} }))[0];
    assert.deepEqual([environDb.password.value, environDb.host.value], ['x #not a comment', 'a']);

    const decoupleSettings = project(`from decouple import config\nDATABASES = {'default': {'PASSWORD': config('DB_PASSWORD')}}\n`, { '.env': 'DB_PASSWORD = "spaced out" \nexport X=1\n' });
    rmSync(join(dir, 'mysite', '.env'));
    const decouple = projectDotenv(decoupleSettings, { workspaceRoot: dir, environ: {} });
    assert.deepEqual(decouple.values, { DB_PASSWORD: 'spaced out', 'export X': '1' });
    assert.equal(decouple.sources[0].reader.kind, 'decouple');
  });

  it('follows star imports: a load in base.py counts for the settings that import it', () => {
    mkdirSync(join(dir, 'mysite', 'settings'), { recursive: true });
    writeFileSync(join(dir, 'mysite', 'settings', 'base.py'), "import os\nfrom dotenv import load_dotenv\nload_dotenv(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), 'config.env'))\n");
    const local = join(dir, 'mysite', 'settings', 'local.py');
    writeFileSync(local, `from .base import *${DATABASES}`);
    writeFileSync(join(dir, 'config.env'), 'DB_PASSWORD=from-base-load\n');
    writeFileSync(join(dir, '.env'), 'DB_PASSWORD=nearest\n');
    const env = lookupEnvironmentOf(local, { workspaceRoot: dir, environ: {}, python: pythonFilesOnDisk() });
    assert.equal(env.dotenv.DB_PASSWORD, 'from-base-load');
  });

  it('Run migrate hands over the nearest .env read as python-dotenv does, and nothing when the settings load it themselves', () => {
    const settings = project(`import os${DATABASES}`, { '.env': 'DB_PASSWORD=p@ss#w"rd\\$x\nDB_HOST=db # the compose service\n' });
    const run = manageRunEnvironment(join(dir, 'manage.py'), undefined, { workspaceRoot: dir, environ: { DB_HOST: 'set-in-terminal' }, python: pythonFilesOnDisk() });
    assert.deepEqual(run, { variables: { DB_PASSWORD: 'p@ss#w"rd\\$x' }, files: [join(dir, '.env')], loadedByProject: false });
    writeFileSync(settings, `import os\nfrom dotenv import load_dotenv\nload_dotenv()${DATABASES}`);
    const loaded = manageRunEnvironment(join(dir, 'manage.py'), undefined, { workspaceRoot: dir, environ: {}, python: pythonFilesOnDisk() });
    assert.deepEqual([loaded.variables, loaded.loadedByProject], [{}, true]);
  });
});

describe('other readers, rule by rule (shared/reference/dotenv-semantics.md)', () => {
  // Rows of the reference's table observed with django-environ 0.12-era code (default and parse_comments=True)
  // and python-decouple 3.8, neither of which installs here (the Debian releases are checked in the
  // integration tests): [file, key, environ default, environ parse_comments, decouple]; undefined = not set.
  const OBSERVED: [string, string, string | undefined, string | undefined, string | undefined][] = [
    ['A=x#y', 'A', 'x#y', 'x', 'x#y'],
    ['A=x #y', 'A', 'x #y', 'x ', 'x #y'],
    ['A=x\t#y', 'A', 'x\t#y', 'x\t', 'x\t#y'],
    ['A=#y', 'A', '#y', '', '#y'],
    ['A= #y', 'A', ' #y', ' ', '#y'],
    ['A="x#y"', 'A', 'x#y', '"x', 'x#y'],
    ['A="x # y"', 'A', 'x # y', '"x ', 'x # y'],
    ['A="x" # c', 'A', '"x" # c', '"x" ', '"x" # c'],
    ['A="x"#c', 'A', '"x"#c', 'x', '"x"#c'],
    ["A='x' # c", 'A', "'x' # c", 'x', "'x' # c"],
    ['A="x" y', 'A', '"x" y', '"x" y', '"x" y'],
    ['A=  v w  ', 'A', '  v w  ', '  v w  ', 'v w'],
    ['A = x', 'A', undefined, undefined, 'x'],
    ['export A=x', 'A', 'x', 'x', undefined],
    ['export  A=x', 'A', undefined, undefined, undefined],
    ['A="a\\nb"', 'A', 'a\\nb', 'a\\nb', 'a\\nb'],
    ['A="say \\"hi\\""', 'A', 'say "hi"', 'say "hi"', 'say \\"hi\\"'],
    ["A='it\\'s'", 'A', "it\\'s", "it\\'s", "it\\'s"],
    ['A="a\\\'b"', 'A', "a'b", "a'b", "a\\'b"],
    ['A="C:\\\\dir\\\\x"', 'A', 'C:\\dir\\x', 'C:\\dir\\x', 'C:\\\\dir\\\\x'],
    ['A="\\u00e9\\d"', 'A', 'u00e9d', 'u00e9d', '\\u00e9\\d'],
    ['A="l1\r\nl2"\r', 'A', '"l1', '"l1', '"l1'],
    ['\ufeffA=x\nB=y', 'A', undefined, undefined, undefined],
    ['A=first\nA=second', 'A', 'second', 'second', 'second'],
    ['A.B-C=x', 'A.B-C', undefined, undefined, 'x'],
    ['U=postgres://u:p#ss@h/db', 'U', 'postgres://u:p#ss@h/db', 'postgres://u:p', 'postgres://u:p#ss@h/db'],
    ['U="postgres://user:p@ss#w:rd/?% x@host:5432/db"', 'U', 'postgres://user:p@ss#w:rd/?% x@host:5432/db', '"postgres://user:p@ss', 'postgres://user:p@ss#w:rd/?% x@host:5432/db'],
    ['U="postgres://u:pa$${x}@h/db"', 'U', 'postgres://u:pa$${x}@h/db', 'postgres://u:pa$${x}@h/db', 'postgres://u:pa$${x}@h/db'],
  ];

  it(`agrees with ${OBSERVED.length} observed rows for django-environ (both modes) and python-decouple 3.8`, () => {
    for (const [text, key, environDefault, environComments, decouple] of OBSERVED) {
      assert.equal(djangoEnvironValues(text).get(key), environDefault, `django-environ ${JSON.stringify(text)}`);
      assert.equal(djangoEnvironValues(text, true).get(key), environComments, `django-environ parse_comments ${JSON.stringify(text)}`);
      assert.equal(decoupleValues(text).get(key), decouple, `decouple ${JSON.stringify(text)}`);
    }
  });

  it('django-environ: verbatim values, one export space, quotes and escapes, parse_comments', () => {
    const text = 'A=x #y\nB = x\nexport  C=x\nD="say \\"hi\\"\\n"\nE=\'"x"\'\nF=x   \nG="x#y"\nH=\'x\' # c\n';
    assert.deepEqual(Object.fromEntries(djangoEnvironValues(text)), { A: 'x #y', D: 'say "hi"\\n', E: 'x', F: 'x   ', G: 'x#y', H: "'x' # c" });
    assert.deepEqual(Object.fromEntries(djangoEnvironValues(text, true)), { A: 'x ', D: 'say "hi"\\n', E: 'x', F: 'x   ', G: '"x', H: 'x' });
  });

  it('decouple: stripped, one pair of quotes, no escapes, no export', () => {
    assert.deepEqual(Object.fromEntries(decoupleValues("A = 'x' \nB=\"a\\nb\"\nexport C=1\n# D=2\nE\n")), { A: 'x', B: 'a\\nb', 'export C': '1' });
  });

  it('compose: `$VAR` and `${VAR:-d}` interpolate, single quotes are literal, ` #` starts a comment, errors reject the file', () => {
    const values = composeEnvValues('A=$HOME/x\nB=\'${HOME}\'\nC="l1\\nl2 \\$HOME"\nD=x#y\nE=x #y\nF=${UNSET:-dflt}\nG=$$HOME\n', { HOME: '/root' });
    assert.deepEqual(Object.fromEntries(values!), { A: '/root/x', B: '${HOME}', C: 'l1\nl2 $HOME', D: 'x#y', E: 'x', F: 'dflt', G: '$HOME' });
    assert.equal(composeEnvValues('A B=1\n'), undefined);
    assert.equal(composeEnvValues('A="open\n'), undefined);
    assert.equal(interpolateCompose('${A-def}|${A:-def}|${B+set}|${NOPE:-${A:-in}}', (n) => ({ A: '', B: 'b' } as Record<string, string>)[n]), '|def|set|in');
  });
});
