// "Generate PgBouncer config" asks the language server how the settings file must change: the client
// resolves the alias (databases request), generates the config, then sends the generator's Django
// changes back (pgbouncerSettingsEdits request) and shows the edited text as a diff. This runs that
// exchange against the real server and checks the proposed Python.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databases, pgbouncerSettingsEdits } from '../../server/src/lsp_ext';
import { generatePgBouncerConfig, type GeneratedPoolMode } from '../../server/src/pgbouncer/generate';
import { applyEdits, LspTestClient } from '../support/lspClient';

const PASSWORD = 'edits-test-not-a-secret';

function assertPython(source: string): void {
  execFileSync('/usr/bin/python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, stdio: ['pipe', 'ignore', 'pipe'] });
}

describe('pgbouncerSettingsEdits request', function () {
  this.timeout(20_000);
  let client: LspTestClient;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'dpg-pgb-edits-'));
    writeFileSync(join(workspace, '.env'), `DB_PASSWORD=${PASSWORD}\n`);
    client = await LspTestClient.start(workspace);
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** The client's flow: resolve the alias, generate, ask for edits; returns the proposed text. */
  async function propose(file: string, text: string, poolMode: GeneratedPoolMode, alias = 'default') {
    writeFileSync(file, text);
    const uri = client.open(file, text);
    const { databases: resolved } = await client.connection.sendRequest(databases, { uri });
    const db = resolved.find((d) => d.alias === alias);
    assert.ok(db, `alias ${alias} resolved`);
    const generated = generatePgBouncerConfig(db, { poolMode });
    const result = await client.connection.sendRequest(pgbouncerSettingsEdits, { uri, alias, changes: generated.djangoChanges });
    const proposed = applyEdits(text, result.edits);
    assertPython(proposed);
    assert.ok(!result.edits.some((e) => e.newText.includes(PASSWORD)), 'no edit carries the password');
    return { proposed, notes: result.notes };
  }

  it('points a literal entry at PgBouncer in transaction mode and drops the options string', async () => {
    const text = [
      'import os',
      '',
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "USER": "shop",',
      '        "PASSWORD": os.environ["DB_PASSWORD"],',
      '        "HOST": os.environ.get("DB_HOST", "db.internal"),',
      '        "PORT": "5432",',
      '        "CONN_MAX_AGE": 60,',
      '        "OPTIONS": {',
      '            "options": "-c statement_timeout=5s",',
      '            "application_name": "web",',
      '        },',
      '    }',
      '}',
      '',
    ].join('\n');
    const { proposed, notes } = await propose(join(workspace, 'settings.py'), text, 'transaction');
    assert.deepEqual(notes, []);
    assert.equal(proposed, [
      'import os',
      '',
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "USER": "shop",',
      '        "PASSWORD": os.environ["DB_PASSWORD"],',
      '        "HOST": "127.0.0.1",',
      '        "PORT": "6432",',
      '        "CONN_MAX_AGE": 0,',
      '        "OPTIONS": {',
      '            "application_name": "web",',
      '        },',
      '        "DISABLE_SERVER_SIDE_CURSORS": True,',
      '    }',
      '}',
      '',
    ].join('\n'));
  });

  it('leaves server-side cursors alone in session mode and keeps single quotes', async () => {
    const text = "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'USER': 'shop', 'PASSWORD': os.environ['DB_PASSWORD'], 'HOST': 'db'}}\n";
    const { proposed } = await propose(join(workspace, 'single.py'), text, 'session');
    assert.equal(proposed, "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'USER': 'shop', 'PASSWORD': os.environ['DB_PASSWORD'], 'HOST': '127.0.0.1', 'PORT': '6432'}}\n");
  });

  it('overrides values a base settings module sets by appending assignments to the split settings file', async () => {
    const pkg = join(workspace, 'settings');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '__init__.py'), '');
    writeFileSync(join(pkg, 'base.py'), [
      'import os',
      '',
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "USER": "shop",',
      '        "PASSWORD": os.environ["DB_PASSWORD"],',
      '        "HOST": "db.internal",',
      '        "OPTIONS": {"options": "-c statement_timeout=5s"},',
      '    }',
      '}',
      '',
    ].join('\n'));
    const text = 'from .base import *  # noqa: F401,F403\n\nDATABASES["default"]["CONN_MAX_AGE"] = 60\n';
    const { proposed } = await propose(join(pkg, 'production.py'), text, 'transaction');
    assert.equal(proposed, [
      'from .base import *  # noqa: F401,F403',
      '',
      'DATABASES["default"]["CONN_MAX_AGE"] = 0',
      '',
      '# Behind PgBouncer (from Django Postgres: Generate PgBouncer config).',
      'DATABASES["default"]["HOST"] = "127.0.0.1"',
      'DATABASES["default"]["PORT"] = "6432"',
      'DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True',
      'DATABASES["default"]["OPTIONS"].pop("options", None)',
      '',
    ].join('\n'));
  });

  it('edits dj_database_url keywords in place and adds what a URL cannot say', async () => {
    const text = [
      'import dj_database_url',
      '',
      'DATABASES = {',
      '    "default": dj_database_url.parse(',
      '        "postgres://shop:" + __import__("os").environ["DB_PASSWORD"] + "@db.internal:5432/shop",',
      '        conn_max_age=600,',
      '    )',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(workspace, 'url.py'), text);
    const uri = client.open(join(workspace, 'url.py'), text);
    const changes = [
      { key: 'HOST', from: "'db.internal'", to: "'127.0.0.1'", why: '' },
      { key: 'CONN_MAX_AGE', from: '600', to: '0', why: '' },
    ];
    const result = await client.connection.sendRequest(pgbouncerSettingsEdits, { uri, alias: 'default', changes });
    const proposed = applyEdits(text, result.edits);
    assertPython(proposed);
    assert.match(proposed, /^ {8}conn_max_age=0,$/m);
    assert.match(proposed, /^DATABASES\["default"\]\["HOST"\] = "127\.0\.0\.1"$/m);
  });

  it('says so when the file has no such alias', async () => {
    const uri = client.open(join(workspace, 'other.py'), 'DEBUG = True\n');
    const result = await client.connection.sendRequest(pgbouncerSettingsEdits, { uri, alias: 'default', changes: [{ key: 'PORT', from: null, to: "'6432'", why: '' }] });
    assert.deepEqual(result.edits, []);
    assert.match(result.notes.join(' '), /does not define DATABASES\['default'\]/);
  });
});
