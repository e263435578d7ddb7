import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  choosePythonCommand, managePyCandidates, managePyForSettings, rankManagePy, settingsModuleName, splitCommandLine,
  type PythonCommandOptions,
} from '../../server/src/project/pythonCommand';

const fixture = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'djangoproject');
const realFiles: Pick<PythonCommandOptions, 'fileExists' | 'readFile'> = {
  fileExists: existsSync,
  readFile: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
};

describe('choosePythonCommand: the command line for each project layout', () => {
  let scratch: string;
  let project: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'django-postgres-pycmd-'));
    project = join(scratch, 'project');
    cpSync(fixture, project, { recursive: true });
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const choose = (extra: Partial<PythonCommandOptions> = {}) =>
    choosePythonCommand(project, { ...realFiles, platform: 'linux', ...extra });

  it('runs python3 from PATH for a plain project', () => {
    const chosen = choose();
    assert.deepEqual(chosen.argv, ['python3']);
    assert.match(chosen.reason, /python3 from PATH/);
  });

  it('uses uv run when uv.lock exists', () => {
    writeFileSync(join(project, 'uv.lock'), 'version = 1\n');
    assert.deepEqual(choose().argv, ['uv', 'run', 'python']);
  });

  it('uses uv run when pyproject.toml has a [tool.uv] table', () => {
    writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "x"\n\n[tool.uv]\ndev-dependencies = []\n');
    assert.deepEqual(choose().argv, ['uv', 'run', 'python']);
  });

  it('uses poetry run when poetry.lock exists', () => {
    writeFileSync(join(project, 'poetry.lock'), '');
    assert.deepEqual(choose().argv, ['poetry', 'run', 'python']);
  });

  it('uses poetry run for a [tool.poetry.dependencies] table, and not for a mere mention of poetry', () => {
    writeFileSync(join(project, 'pyproject.toml'), '[project]\ndescription = "not [tool.poetry] based"\n');
    assert.deepEqual(choose().argv, ['python3']);
    writeFileSync(join(project, 'pyproject.toml'), '[tool.poetry.dependencies]\npython = "^3.11"\n');
    assert.deepEqual(choose().argv, ['poetry', 'run', 'python']);
  });

  it('uses pipenv run when a Pipfile exists', () => {
    writeFileSync(join(project, 'Pipfile'), '[packages]\ndjango = "*"\n');
    assert.deepEqual(choose().argv, ['pipenv', 'run', 'python']);
  });

  it("uses the project's .venv, then venv", () => {
    mkdirSync(join(project, 'venv', 'bin'), { recursive: true });
    writeFileSync(join(project, 'venv', 'bin', 'python'), '');
    assert.deepEqual(choose().argv, [join(project, 'venv', 'bin', 'python')]);
    mkdirSync(join(project, '.venv', 'bin'), { recursive: true });
    writeFileSync(join(project, '.venv', 'bin', 'python'), '');
    assert.deepEqual(choose().argv, [join(project, '.venv', 'bin', 'python')]);
  });

  it('finds a lock file above manage.py inside the workspace, never outside it', () => {
    const workspace = scratch;
    writeFileSync(join(workspace, 'uv.lock'), '');
    assert.deepEqual(choose({ workspaceRoot: workspace }).argv, ['uv', 'run', 'python']);
    assert.deepEqual(choose({ workspaceRoot: project }).argv, ['python3']);
  });

  it('prefers the interpreter selected in the Python extension over a .venv, but not over uv', () => {
    mkdirSync(join(project, '.venv', 'bin'), { recursive: true });
    writeFileSync(join(project, '.venv', 'bin', 'python'), '');
    const selected = '/opt/envs/shop/bin/python';
    assert.deepEqual(choose({ pythonExtensionInterpreter: selected }).argv, [selected]);
    writeFileSync(join(project, 'uv.lock'), '');
    assert.deepEqual(choose({ pythonExtensionInterpreter: selected }).argv, ['uv', 'run', 'python']);
  });

  it('lets the djangoPostgres.pythonCommand setting override everything', () => {
    writeFileSync(join(project, 'uv.lock'), '');
    const chosen = choose({ override: 'docker compose exec web python' });
    assert.deepEqual(chosen.argv, ['docker', 'compose', 'exec', 'web', 'python']);
    assert.match(chosen.reason, /djangoPostgres\.pythonCommand/);
  });

  it('keeps an override that names an existing file with spaces as one argument', () => {
    const spaced = join(scratch, 'my python');
    writeFileSync(spaced, '');
    assert.deepEqual(choose({ override: spaced }).argv, [spaced]);
  });

  it('uses Scripts\\python.exe and python on Windows', () => {
    const root = 'C:\\work\\shop';
    const files = new Set([`${root}\\.venv\\Scripts\\python.exe`]);
    const options = { platform: 'win32' as const, fileExists: (f: string) => files.has(f), readFile: () => undefined };
    assert.deepEqual(choosePythonCommand(root, options).argv, [`${root}\\.venv\\Scripts\\python.exe`]);
    files.clear();
    assert.deepEqual(choosePythonCommand(root, options).argv, ['python']);
  });
});

describe('splitCommandLine', () => {
  it('splits on whitespace and honours quotes', () => {
    assert.deepEqual(splitCommandLine(`  "/opt/my env/bin/python"  -X 'dev mode' `), ['/opt/my env/bin/python', '-X', 'dev mode']);
    assert.deepEqual(splitCommandLine(`python ''`), ['python', '']);
  });

  it('rejects an unclosed quote', () => {
    assert.throws(() => splitCommandLine('"/opt/python'), /Unclosed/);
  });
});

describe('finding manage.py', () => {
  const files = [
    '/ws/a/shop/manage.py',
    '/ws/a/shop/config/settings.py',
    '/ws/a/shop/.venv/lib/python3.11/site-packages/somepkg/manage.py',
    '/ws/a/tools/manage.py',
    '/ws/b/blog/manage.py',
    '/ws/b/blog/blog/settings/base.py',
    '/ws/b/blog/blog/settings/dev.py',
  ];

  it('leaves out copies inside virtual environments and packages', () => {
    assert.deepEqual(managePyCandidates(files), ['/ws/a/shop/manage.py', '/ws/a/tools/manage.py', '/ws/b/blog/manage.py']);
  });

  it('finds the manage.py next to the settings package, for a module and for a settings package', () => {
    assert.equal(managePyForSettings('/ws/a/shop/config/settings.py', files), '/ws/a/shop/manage.py');
    assert.equal(managePyForSettings('/ws/b/blog/blog/settings/dev.py', files), '/ws/b/blog/manage.py');
    assert.equal(managePyForSettings('/elsewhere/settings.py', files), undefined);
  });

  it('ranks Django projects (manage.py with settings) before other manage.py files', () => {
    const ranked = rankManagePy(files, ['/ws/b/blog/blog/settings/dev.py', '/ws/a/shop/config/settings.py']);
    assert.deepEqual(ranked, ['/ws/a/shop/manage.py', '/ws/b/blog/manage.py', '/ws/a/tools/manage.py']);
  });

  it('names settings modules relative to manage.py, on POSIX and Windows paths', () => {
    assert.equal(settingsModuleName('/ws/b/blog/manage.py', '/ws/b/blog/blog/settings/dev.py'), 'blog.settings.dev');
    assert.equal(settingsModuleName('/ws/b/blog/manage.py', '/ws/b/blog/blog/settings/__init__.py'), 'blog.settings');
    assert.equal(settingsModuleName('C:\\ws\\shop\\manage.py', 'C:\\ws\\shop\\config\\settings.py'), 'config.settings');
    assert.equal(settingsModuleName('/ws/b/blog/manage.py', '/ws/a/shop/config/settings.py'), undefined);
    assert.equal(settingsModuleName('/ws/b/blog/manage.py', '/ws/b/blog/my-app/settings.py'), undefined);
  });
});
