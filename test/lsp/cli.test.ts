// `django-postgres check` as a linter on a project tree, run as a user runs it (the built bundle, in the
// project's folders): discovery, pyproject configuration, every output format (SARIF checked against the
// SARIF 2.1.0 JSON schema), exit codes, --fix and --diff on a copy, explain.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';

const CLI = resolve(__dirname, '../../../dist/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const MANAGE_PY = `#!/usr/bin/env python
import os
import sys

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
`;

/** A Django project with split settings: config/settings/{__init__,base,production}.py, as django-admin and cookiecutter lay them out. */
const PROJECT: Record<string, string> = {
  'manage.py': MANAGE_PY,
  'config/__init__.py': '',
  'config/settings/__init__.py': 'from .base import *  # noqa\n',
  'config/settings/base.py': `import os

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'PASSWORD': os.environ.get('DB_PASSWORD', ''),
        'OPTIONS': {'sslmode': 'requre', 'statement_timeout': 5000},
    }
}
`,
  'config/settings/production.py': `from .base import *  # noqa

DATABASES['default']['CONN_MAX_AGES'] = 60
`,
  'shop/__init__.py': '',
  'shop/views.py': 'from django.http import HttpResponse\n\n\ndef index(request):\n    return HttpResponse("hi")\n',
  // A dependency's settings inside a virtualenv are not the project's.
  '.venv/lib/python3.12/site-packages/other/settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'sslmode': 'nope'}}}\n",
};

function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dpg-cli-project-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** `file:line:col severity code` of each text line, without the message. */
const located = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((line) => line.split(' ').slice(0, 3).join(' '));

const EXPECTED_PROJECT = [
  'config/settings/base.py:8:32 error DPG102',
  'config/settings/base.py:8:42 error DPG114',
  'config/settings/production.py:3:22 warning DPG201',
];

describe('django-postgres check on a project', function () {
  this.timeout(60_000);
  let project: string;
  before(() => (project = makeTree(PROJECT)));

  it('with no argument, finds the settings the way the server does (manage.py, split settings), skipping virtualenvs', () => {
    const result = cli(project, 'check');
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(located(result.stdout), EXPECTED_PROJECT);
    assert.match(result.stderr, /Found 3 problems \(2 errors, 1 warning\) in \d settings files\. 2 fixable with --fix\./);
    const files = cli(project, 'check', '--show-files').stdout.trim().split('\n');
    assert.equal(files[0], 'config/settings/__init__.py', 'the module manage.py names comes first');
    assert.ok(files.includes('config/settings/production.py'));
    assert.ok(!files.some((f) => f.includes('.venv') || f.includes('views.py')), files.join(', '));
  });

  it('from a folder below manage.py, still checks the whole project, with paths relative to where it runs', () => {
    const result = cli(join(project, 'config', 'settings'), 'check');
    assert.equal(result.code, 1);
    assert.deepEqual(located(result.stdout), ['base.py:8:32 error DPG102', 'base.py:8:42 error DPG114', 'production.py:3:22 warning DPG201']);
  });

  it('check . and check DIR/ check the settings in that folder; check FILE checks that file', () => {
    assert.deepEqual(located(cli(project, 'check', '.').stdout), EXPECTED_PROJECT);
    assert.deepEqual(located(cli(project, 'check', 'config/').stdout), EXPECTED_PROJECT);
    const app = cli(project, 'check', 'shop/');
    assert.deepEqual([app.code, app.stdout], [0, ''], 'an app folder holds no settings');
    assert.match(app.stderr, /warning: no Django settings found in shop\//);
    assert.deepEqual(located(cli(project, 'check', 'config/settings/production.py').stdout), ['config/settings/production.py:3:22 warning DPG201']);
  });

  it('says clearly when there are no settings to check (exit 2), and when a path does not exist', () => {
    const empty = makeTree({ 'README.md': '# nothing\n', 'app/models.py': 'x = 1\n' });
    const none = cli(empty, 'check');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no Django settings found under \.: no manage\.py naming DJANGO_SETTINGS_MODULE/);
    const missing = cli(project, 'check', 'nope.py');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.py: cannot read: ENOENT/);
  });
});

describe('django-postgres check: [tool.django-postgres] in pyproject.toml', function () {
  this.timeout(60_000);
  const SETTINGS = `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'PASSWORD': 'hard-coded',
        'OPTIONS': {'require_auth': 'scram-sha-256'},
    }
}
`;

  it('ignore and target-libpq apply; command-line flags win over them', () => {
    const root = makeTree({ 'mysite/settings.py': SETTINGS });
    const codes = (run: Run) => located(run.stdout).map((l) => l.split(' ')[2]);
    assert.deepEqual(codes(cli(root, 'check')), ['DPG203', 'DPG205'], 'without configuration: hard-coded password, libpq 16 keyword vs target 13');
    writeFileSync(join(root, 'pyproject.toml'), '[project]\nname = "mysite"\n\n[tool.django-postgres]\nignore = ["DPG203"]\ntarget-libpq = 16\n');
    const configured = cli(join(root, 'mysite'), 'check');
    assert.deepEqual(codes(configured), []);
    assert.equal(configured.code, 0);
    assert.deepEqual(codes(cli(root, 'check', '--target-libpq', '13')), ['DPG205']);
    assert.deepEqual(codes(cli(root, 'check', '--ignore', 'DPG205')), ['DPG203'], '--ignore replaces the configured list');
  });

  it('settings-module and extra-settings-globs choose the files; a module that is not there is an error', () => {
    const root = makeTree({
      'deploy/prod_db.py': SETTINGS,
      'deploy/overrides.py': 'from deploy.prod_db import *  # noqa\n',
      'pyproject.toml': '[tool.django-postgres]\nsettings-module = "deploy.prod_db"\nextra-settings-globs = ["deploy/overrides.py"]\n',
    });
    assert.deepEqual(cli(root, 'check', '--show-files').stdout.trim().split('\n'), ['deploy/prod_db.py', 'deploy/overrides.py']);
    writeFileSync(join(root, 'pyproject.toml'), '[tool.django-postgres]\nsettings-module = "deploy.missing"\n');
    const missing = cli(root, 'check');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /settings module deploy\.missing not found/);
    assert.deepEqual(cli(root, 'check', '--show-files', '--settings-module', 'deploy.prod_db').stdout.trim().split('\n'), ['deploy/prod_db.py']);
  });

  it('an unknown key, a wrong type or broken TOML is a usage error (exit 2) naming the file', () => {
    const root = makeTree({ 'mysite/settings.py': SETTINGS });
    for (const [toml, message] of [
      ['[tool.django-postgres]\nignores = ["DPG203"]\n', /unknown key "ignores"/],
      ['[tool.django-postgres]\ntarget-libpq = "thirteen"\n', /target-libpq must be a libpq major version/],
      ['[tool.django-postgres]\nignore = "DPG203"\n', /ignore must be a list of codes/],
      ['[tool.django-postgres]\nignore = [\n', /pyproject\.toml: /],
    ] as const) {
      writeFileSync(join(root, 'pyproject.toml'), toml);
      const result = cli(root, 'check');
      assert.equal(result.code, 2, toml);
      assert.match(result.stderr, message);
      assert.ok(result.stderr.includes(join(root, 'pyproject.toml')) || /pyproject\.toml/.test(result.stderr));
    }
  });
});

describe('django-postgres check: formats and exit codes', function () {
  this.timeout(60_000);
  let project: string;
  before(() => (project = makeTree(PROJECT)));

  it('--format json lists every finding with its position and whether --fix can fix it', () => {
    const result = cli(project, 'check', '--format', 'json');
    assert.equal(result.code, 1);
    const findings = JSON.parse(result.stdout) as { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string; fixable: boolean }[];
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`), EXPECTED_PROJECT);
    assert.deepEqual(findings.map((f) => f.fixable), [true, true, false]);
    assert.deepEqual([findings[0].endLine, findings[0].endColumn], [8, 40]);
    assert.equal(result.stderr, '', 'machine formats print nothing else');
  });

  it('--format sarif is valid SARIF 2.1.0 with the rules (id, name, help URI) and the results', () => {
    const result = cli(project, 'check', '--format', 'sarif');
    assert.equal(result.code, 1);
    const log = JSON.parse(result.stdout);
    // The SARIF 2.1.0 schema (draft-04 JSON Schema) as published by the SARIF authors, from an npm package.
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new Ajv({ schemaId: 'id', allErrors: true });
    ajv.addMetaSchema(JSON.parse(readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8')));
    const valid = ajv.validate(schema, log);
    assert.ok(valid, ajv.errorsText(ajv.errors, { separator: '\n' }));
    // The validator does reject a broken log: the schema check is not a formality.
    assert.equal(ajv.validate(schema, { ...log, runs: [{ ...log.runs[0], results: [{ level: 'fatal' }] }] }), false);

    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    assert.equal(run.tool.driver.name, 'django-postgres');
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'DPG102');
    assert.equal(rule.name, 'invalid-enum-value');
    assert.match(rule.helpUri, /^https:\/\/www\.postgresql\.org\/docs\//);
    assert.deepEqual(
      run.results.map((r: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }) => {
        const { artifactLocation, region } = r.locations[0].physicalLocation;
        assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId, 'ruleIndex points at the rule');
        return `${artifactLocation.uri}:${region.startLine}:${region.startColumn} ${r.level} ${r.ruleId}`;
      }),
      EXPECTED_PROJECT,
    );
  });

  it('--format github prints workflow-command annotations', () => {
    const result = cli(project, 'check', '--format', 'github');
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^::error file=config\/settings\/base\.py,line=8,col=32,endLine=8,endColumn=40,title=DPG102 \(Django Postgres\)::Invalid sslmode value 'requre'/);
    assert.match(lines[2], /^::warning file=config\/settings\/production\.py,line=3,col=22,/);
  });

  it('exit codes: 0 clean, 1 at or above --fail-on (default warning), 2 on a usage error', () => {
    const root = makeTree({
      'clean/settings.py': "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'PASSWORD': os.environ.get('DB_PASSWORD', '')}}\n",
      'warning/settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'CONN_MAX_AGES': 60}}\n",
      'hint/settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'TEST': {'SERIALIZE': False}}}\n",
    });
    assert.deepEqual(cli(root, 'check', 'clean'), { code: 0, stdout: '', stderr: '' });
    assert.equal(cli(root, 'check', 'warning').code, 1, 'a warning fails by default');
    assert.equal(cli(root, 'check', 'warning', '--fail-on', 'error').code, 0);
    assert.equal(cli(root, 'check', 'hint').code, 0, 'a hint does not fail by default');
    assert.equal(cli(root, 'check', 'hint', '--fail-on', 'hint').code, 1);
    for (const args of [['--format', 'xml'], ['--fail-on', 'fatal'], ['--no-such-flag'], ['--target-libpq', '99'], ['--ignore', 'E501']]) {
      const result = cli(root, 'check', 'clean', ...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^django-postgres check: /);
    }
    assert.equal(cli(root, 'frobnicate').code, 2);
  });
});

describe('django-postgres check --fix and --diff', function () {
  this.timeout(60_000);

  it('--diff shows the safe fixes and writes nothing; --fix writes them, prints the diff and reports what is left', () => {
    const project = makeTree(PROJECT);
    const base = join(project, 'config/settings/base.py');
    const production = join(project, 'config/settings/production.py');
    const before = readFileSync(base, 'utf8');

    const diff = cli(project, 'check', '--diff');
    assert.equal(diff.code, 1, 'there is something to fix');
    assert.equal(readFileSync(base, 'utf8'), before, '--diff writes nothing');
    assert.ok(diff.stdout.startsWith('--- a/config/settings/base.py\n+++ b/config/settings/base.py\n'), diff.stdout);
    assert.ok(diff.stdout.includes("-        'OPTIONS': {'sslmode': 'requre', 'statement_timeout': 5000},"));
    assert.ok(diff.stdout.includes("+        'OPTIONS': {'sslmode': 'require', 'options': '-c statement_timeout=5000'},"));

    const fixed = cli(project, 'check', '--fix');
    assert.equal(fixed.stdout.split('\n').slice(0, 2).join('\n'), '--- a/config/settings/base.py\n+++ b/config/settings/base.py');
    assert.equal(readFileSync(base, 'utf8'), before.replace("{'sslmode': 'requre', 'statement_timeout': 5000}", "{'sslmode': 'require', 'options': '-c statement_timeout=5000'}"));
    // The misspelt DATABASES key is only a warning (Django ignores it): renaming it changes what runs, so it is not safe.
    assert.equal(readFileSync(production, 'utf8'), PROJECT['config/settings/production.py']);
    assert.deepEqual(located(fixed.stdout.slice(fixed.stdout.indexOf('config/settings/production.py:'))), ['config/settings/production.py:3:22 warning DPG201']);
    assert.match(fixed.stderr, /Fixed 2 problems\./);
    assert.equal(fixed.code, 1, 'the warning left still fails the check');

    assert.deepEqual(cli(project, 'check', '--diff', '--fail-on', 'error'), { code: 0, stdout: '', stderr: 'No safe fixes to apply.\n' });
    assert.equal(cli(project, 'check', '--fail-on', 'error').code, 0, 'the fixed settings pass');
  });

  it('--fix keeps the machine-readable output on stdout and the diff on stderr; a hard-coded password is never moved', () => {
    const root = makeTree({ 'bad/secret_settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'PASSWORD': 's3cret', 'OPTIONS': {'sslmode': 'prefered'}}}\n" });
    const result = cli(root, 'check', 'bad/secret_settings.py', '--fix', '--format', 'json');
    const left = JSON.parse(result.stdout) as { code: string }[];
    assert.deepEqual(left.map((f) => f.code), ['DPG203']);
    assert.match(result.stderr, /^--- a\/bad\/secret_settings\.py/);
    assert.ok(readFileSync(join(root, 'bad/secret_settings.py'), 'utf8').includes("'PASSWORD': 's3cret', 'OPTIONS': {'sslmode': 'prefer'}"));
  });
});

describe('django-postgres check --fix on a file that is not UTF-8', () => {
  it('reports its findings and leaves its bytes alone', () => {
    const root = makeTree({});
    const file = join(root, 'settings.py');
    const bytes = Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from("\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'sslmode': 'requre'}}}\n")]);
    writeFileSync(file, bytes);
    const result = cli(root, 'check', '--fix', 'settings.py');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /settings\.py:2:\d+ error DPG102/);
    assert.match(result.stderr, /settings\.py: not UTF-8, so not fixed/);
    assert.ok(readFileSync(file).equals(bytes));
  });
});

describe('django-postgres explain', () => {
  it('prints plain text by default and Markdown with --format md', () => {
    const root = tmpdir();
    const text = cli(root, 'explain', 'sslmode');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^sslmode · OPTIONS key · /);
    assert.match(text.stdout, /- verify-full/);
    assert.ok(!/\*\*|`/.test(text.stdout), 'no Markdown markup in the terminal text');
    assert.match(text.stdout, /Documentation: https:\/\/www\.postgresql\.org\//);
    const markdown = cli(root, 'explain', '--format', 'md', 'sslmode');
    assert.match(markdown.stdout, /^\*\*`sslmode`\*\* · OPTIONS key/);
    assert.match(markdown.stdout, /\[Documentation\]\(https:\/\/www\.postgresql\.org\//);
  });

  it('explains a diagnostic code, with its example as indented code', () => {
    const rule = cli(tmpdir(), 'explain', 'DPG102');
    assert.equal(rule.code, 0);
    assert.match(rule.stdout, /^DPG102 invalid-enum-value \(error\)/);
    assert.match(rule.stdout, /\n {4}DATABASES = \{\n/);
    assert.equal(cli(tmpdir(), 'explain').code, 2);
    assert.equal(cli(tmpdir(), 'explain', 'DPG999').code, 1);
  });
});
