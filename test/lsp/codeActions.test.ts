// Quick fixes over LSP: ask for the code actions of a published diagnostic, apply the edit, and check that
// the server no longer reports it. Also: the CLI reports exactly what the language server publishes.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, LspTestClient } from '../support/lspClient';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const BAD_FIXTURES = resolve(__dirname, '../../../test/fixtures/settings-bad');

const ENTRY = (body: string, prelude = '') =>
  `${prelude}DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n${body}\n    }\n}\n`;

interface Case {
  title: string;
  text: string;
  code: string;
  /** The fix's title must match this. */
  fix: RegExp;
  /** After the fix the text must contain this. */
  expect: string;
}

const CASES: Case[] = [
  { title: 'a misspelled sslmode value', text: ENTRY("        'OPTIONS': {'sslmode': 'requre'},"), code: 'DPG102', fix: /require/, expect: "'sslmode': 'require'" },
  { title: 'a misspelled DATABASES key', text: ENTRY("        'CONN_MAX_AGES': 60,"), code: 'DPG201', fix: /CONN_MAX_AGE/, expect: "'CONN_MAX_AGE': 60" },
  { title: 'a misspelled OPTIONS key', text: ENTRY("        'OPTIONS': {'sslmod': 'require'},"), code: 'DPG101', fix: /sslmode/, expect: "'sslmode': 'require'" },
  {
    title: 'a hard-coded password',
    text: ENTRY("        'PASSWORD': 's3cret-pw',"),
    code: 'DPG203',
    fix: /environment/,
    expect: "os.environ.get('DB_PASSWORD')",
  },
  {
    title: 'a password fallback written in the file',
    text: ENTRY("        'PASSWORD': os.environ.get('DB_PASSWORD', 'dev-secret'),", 'import os\n'),
    code: 'DPG309',
    fix: /fallback/,
    expect: "'PASSWORD': os.environ.get('DB_PASSWORD'),",
  },
  {
    title: 'a server setting put in OPTIONS',
    text: ENTRY("        'OPTIONS': {'statement_timeout': 30000},"),
    code: 'DPG114',
    fix: /options/,
    expect: '-c statement_timeout=30000',
  },
];

describe('quick fixes over LSP', function () {
  this.timeout(20000);
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpg-fix-'));
    // The same libpq target for the server and the CLI below: the server would otherwise use the libpq it
    // finds on this machine, which the CLI does not look for.
    client = await LspTestClient.start(dir, { targetLibpqVersion: 13 });
  });
  after(() => client.stop());

  for (const testCase of CASES) {
    it(`fixes ${testCase.title} (${testCase.code}) and the diagnostic goes away`, async () => {
      const text = testCase.text;
      const uri = client.open(join(dir, 'settings.py'), text);
      const diagnostic = (await client.diagnosticsFor(uri)).find((d) => d.code === testCase.code);
      assert.ok(diagnostic, `${testCase.code} is reported`);
      const actions = await client.codeActions(uri, diagnostic);
      const action = actions.find((a) => testCase.fix.test(a.title));
      assert.ok(action, `a fix matching ${testCase.fix} is offered; got ${actions.map((a) => a.title).join(' | ')}`);
      const edits = action.edit?.changes?.[uri] as TextEdit[];
      const fixed = applyEdits(text, edits);
      assert.ok(fixed.includes(testCase.expect), `after the fix:\n${fixed}`);
      // Send the fixed text as the editor would, and check the server agrees it is fixed.
      client.change(uri, text, 0, text.length, fixed);
      const after = await client.diagnosticsFor(uri);
      assert.ok(!after.some((d) => d.code === testCase.code), `${testCase.code} still reported: ${after.map((d) => d.message).join(' | ')}`);
    });
  }

  it('the hard-coded password fix also offers to write the value to .env (through the client command)', async () => {
    const text = ENTRY("        'PASSWORD': 's3cret-pw',");
    const uri = client.open(join(dir, 'settings.py'), text);
    const diagnostic = (await client.diagnosticsFor(uri)).find((d) => d.code === 'DPG203')!;
    const [action] = await client.codeActions(uri, diagnostic);
    assert.equal(action.command?.command, 'djangoPostgres.writeDotenvVariable');
    // The server names the .env the project reads, and its reader, so the value is quoted for that reader.
    assert.deepEqual(action.command?.arguments?.slice(1), ['DB_PASSWORD', 's3cret-pw', { file: join(dir, '.env'), reader: { kind: 'python-dotenv' } }]);
  });

  it('an editor that cannot write .env (no clientCommands) gets every fix but the ones moving a secret there', async () => {
    const other = await LspTestClient.start(dir, {}, { clientCommands: [] });
    try {
      const text = ENTRY("        'PASSWORD': 's3cret-pw',\n        'OPTIONS': {'sslmode': 'requre'},");
      const uri = other.open(join(dir, 'settings.py'), text);
      const diagnostics = await other.diagnosticsFor(uri);
      const password = diagnostics.find((d) => d.code === 'DPG203')!;
      assert.ok(password, 'the hard-coded password is still reported');
      assert.deepEqual(await other.codeActions(uri, password), [], 'its fix would delete the password and save it nowhere');
      const sslmode = diagnostics.find((d) => d.code === 'DPG102')!;
      const [fix] = await other.codeActions(uri, sslmode);
      assert.equal(fix.title, "Change to 'require'");
      assert.equal(fix.command, undefined);
    } finally {
      await other.stop();
    }
  });

  it('the CLI reports exactly the diagnostics the language server publishes', async () => {
    for (const name of readdirSync(BAD_FIXTURES).filter((f) => f.endsWith('.py'))) {
      const file = join(BAD_FIXTURES, name);
      const text = readFileSync(file, 'utf8');
      const uri = client.open(file, text);
      const published: Diagnostic[] = await client.diagnosticsFor(uri);
      let output: string;
      try {
        output = execFileSync(process.execPath, [CLI, 'check', '--format', 'json', '--target-libpq', '13', file], { encoding: 'utf8' });
      } catch (error) {
        output = (error as { stdout: string }).stdout;
      }
      const fromCli = (JSON.parse(output) as { line: number; column: number; code: string; message: string }[]).map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
      const fromServer = published.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
      assert.deepEqual(fromCli.sort(), fromServer.sort(), name);
    }
  });
});

describe('django-postgres CLI', () => {
  const run = (args: string[]) => {
    try {
      return { code: 0, stdout: execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { code: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('check prints file:line:col severity code message and exits 1 on an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-cli-'));
    const file = join(dir, 'settings.py');
    writeFileSync(file, ENTRY("        'OPTIONS': {'sslmode': 'requre'},"));
    const result = run(['check', file]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout.split(' ')[0], `${file}:5:32`);
    assert.match(result.stdout, /^\S+ error DPG102 .*requre.*Did you mean 'require'\?/);
  });

  it('check exits 0 on correct settings; warnings fail unless --fail-on error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-cli-'));
    const ok = join(dir, 'settings.py');
    writeFileSync(ok, `import os\n${ENTRY("        'PASSWORD': os.environ.get('DB_PASSWORD', ''),")}`);
    assert.deepEqual(run(['check', ok]), { code: 0, stdout: '', stderr: '' });
    const warning = join(dir, 'warn.py');
    writeFileSync(warning, ENTRY("        'CONN_MAX_AGES': 60,"));
    const result = run(['check', warning]);
    assert.equal(result.code, 1, 'a warning fails the check by default, as in ruff');
    assert.match(result.stdout, /warning DPG201/);
    assert.equal(run(['check', '--fail-on', 'error', warning]).code, 0, 'only errors fail with --fail-on error');
  });

  it('explain prints the hover text of a key and of a value; unknown keys fail', () => {
    const key = run(['explain', 'sslmode']);
    assert.equal(key.code, 0);
    assert.match(key.stdout, /verify-full/);
    assert.match(key.stdout, /PGSSLMODE/);
    const value = run(['explain', 'target_session_attrs=prefer-standby']);
    assert.match(value.stdout, /prefer-standby/);
    const unknown = run(['explain', 'sslmoed']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No DATABASES key/);
  });

  it('check reports an unreadable file and a half-typed file without crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-cli-'));
    const missing = run(['check', join(dir, 'nope.py')]);
    assert.equal(missing.code, 2, 'a path that is not there is a usage error');
    assert.match(missing.stderr, /cannot read: ENOENT/);
    const half = join(dir, 'settings.py');
    writeFileSync(half, "DATABASES = {'default': {'OPTIONS': {'sslmode': ,\n");
    assert.equal(run(['check', half]).code, 0);
  });
});

describe('settings change without a reload', function () {
  this.timeout(20000);

  it('djangoPostgres.diagnostics.ignore sent through workspace/didChangeConfiguration takes effect at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-config-'));
    const client = await LspTestClient.start(dir);
    try {
      const text = ENTRY("        'CONN_MAX_AGES': 60,");
      const uri = client.open(join(dir, 'settings.py'), text);
      assert.ok((await client.diagnosticsFor(uri)).some((d) => d.code === 'DPG201'));
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { djangoPostgres: { diagnostics: { ignore: ['DPG201'] } } } });
      // The server republishes every open document with the new settings.
      const deadline = Date.now() + 5000;
      let codes: unknown[] = ['DPG201'];
      while (codes.includes('DPG201') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        codes = (await client.diagnosticsFor(uri)).map((d) => d.code);
      }
      assert.ok(!codes.includes('DPG201'), `still reported: ${codes.join(', ')}`);
    } finally {
      await client.stop();
    }
  });
});
