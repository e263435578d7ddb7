// Speaks real LSP to `node dist/server.js --stdio`: completion, hover, half-typed files, bad input.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-protocol';
import { databaseKeys } from '../../server/src/catalog/databaseKeys';
import { djangoOptionKeys } from '../../server/src/catalog/djangoOptions';
import { libpqKeywords } from '../../server/src/catalog/libpqKeywords';
import { databases } from '../../server/src/lsp_ext';
import { hoverText, LspTestClient } from '../support/lspClient';

const SETTINGS = `import os

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ.get('DB_NAME', 'shop'),
        'PASSWORD': os.environ.get('DB_PASSWORD', ''),
        'OPTIONS': {
            'sslmode': 'require',
            'options': '-c statement_timeout=30s',
        },
        'TEST': {},
    },
}
`;

/** Keywords the libpq installed here knows, read through Debian's python3-psycopg. */
function installedLibpqKeywords(): string[] {
  const script = 'from psycopg import pq\nfor o in pq.Conninfo.get_defaults(): print(o.keyword.decode())';
  return execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const documentation = (item: CompletionItem) => (typeof item.documentation === 'string' ? item.documentation : (item.documentation?.value ?? ''));

describe('language server over LSP (dist/server.js --stdio)', function () {
  this.timeout(20000);
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpg-lsp-'));
    writeFileSync(join(dir, 'manage.py'), '');
    writeFileSync(join(dir, '.env'), 'DB_NAME=from_dotenv\nDB_PASSWORD=hunter2hunter2\n');
    client = await LspTestClient.start(dir);
  });
  after(() => client.stop());

  it('offers every libpq keyword the installed libpq knows, the later ones, and Django’s own keys in an empty OPTIONS dict', async () => {
    const text = `DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {}}}\n`;
    const uri = client.open(join(dir, 'settings.py'), text);
    const items = await client.completion(uri, text, text.indexOf('{}') + 1);
    const offered = new Set(labels(items));
    const installed = installedLibpqKeywords();
    assert.ok(installed.length >= 30, `libpq here reported only ${installed.length} keywords`);
    for (const keyword of installed) assert.ok(offered.has(keyword), `libpq keyword ${keyword} not offered`);
    for (const later of ['require_auth', 'sslcertmode', 'load_balance_hosts', 'gssdelegation', 'sslnegotiation', 'min_protocol_version', 'oauth_issuer']) {
      assert.ok(offered.has(later), `${later} (libpq 16+) not offered`);
    }
    for (const django of djangoOptionKeys) assert.ok(offered.has(django.name), `Django OPTIONS key ${django.name} not offered`);
    assert.ok(offered.size >= 50, `only ${offered.size} OPTIONS keys offered`);
    assert.ok(!offered.has('tty') && !offered.has('requiressl'), 'removed or legacy keywords must not be offered');
    for (const item of items) assert.ok(documentation(await client.resolve(item)).length > 20, `${item.label} has no documentation`);
    const sslmode = items.find((i) => i.label === 'sslmode')!;
    assert.match((sslmode.textEdit as { newText: string }).newText, /^'sslmode': '\$\{1\|/);
  });

  it('offers every DATABASES key not yet present, in the file’s quote style, each with docs', async () => {
    const text = `DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        \n    }\n}\n`;
    const uri = client.open(join(dir, 'settings.py'), text);
    const offset = text.indexOf('        \n') + 8;
    const items = await client.completion(uri, text, offset);
    const expected = databaseKeys.filter((k) => !k.hidden && k.name !== 'ENGINE').map((k) => k.name).sort();
    assert.deepEqual(labels(items).sort(), expected);
    const name = items.find((i) => i.label === 'NAME')!;
    assert.match((name.textEdit as { newText: string }).newText, /^"NAME": "/);
    for (const item of items) assert.ok(documentation(await client.resolve(item)).includes('Documentation'), `${item.label} has no docs`);
  });

  it('hovers a key with its meaning and every value, and a value with what it does', async () => {
    const uri = client.open(join(dir, 'settings.py'), SETTINGS);
    const keyHover = hoverText(await client.hover(uri, SETTINGS, SETTINGS.indexOf("'sslmode'") + 3));
    const sslmode = libpqKeywords.find((k) => k.name === 'sslmode')!;
    for (const value of sslmode.values!) assert.ok(keyHover.includes(`\`${value.value}\``), `hover lacks ${value.value}`);
    assert.ok(keyHover.includes('PGSSLMODE'));
    const valueHover = hoverText(await client.hover(uri, SETTINGS, SETTINGS.indexOf("'require'") + 3));
    assert.ok(valueHover.includes(sslmode.values!.find((v) => v.value === 'require')!.doc));
  });

  it('hovers an environment lookup with its .env value, and masks secrets', async () => {
    const uri = client.open(join(dir, 'settings.py'), SETTINGS);
    const name = hoverText(await client.hover(uri, SETTINGS, SETTINGS.indexOf("os.environ.get('DB_NAME'") + 4));
    assert.match(name, /`from_dotenv`/);
    assert.match(name, /\.env/);
    const password = hoverText(await client.hover(uri, SETTINGS, SETTINGS.indexOf("os.environ.get('DB_PASSWORD'") + 4));
    assert.ok(!password.includes('hunter2'), 'the password must never be shown');
    assert.match(password, /14 characters/);
  });

  it('completes and hovers server settings inside the options string', async () => {
    const text = SETTINGS.replace('-c statement_timeout=30s', '-c statement_timeout=30s -c lock');
    const uri = client.open(join(dir, 'settings.py'), text);
    const items = await client.completion(uri, text, text.indexOf('-c lock') + 7);
    assert.ok(labels(items).includes('lock_timeout'));
    assert.ok(labels(items).includes('idle_in_transaction_session_timeout'));
    const hover = hoverText(await client.hover(uri, text, text.indexOf('statement_timeout') + 3));
    assert.match(hover, /statement_timeout/);
    assert.match(hover, /ms/);
  });

  it('completes values of enums and booleans', async () => {
    const text = `DATABASES = {'default': {'CONN_HEALTH_CHECKS': , 'OPTIONS': {'target_session_attrs': ''}}}\n`;
    const uri = client.open(join(dir, 'settings.py'), text);
    const bools = await client.completion(uri, text, text.indexOf(': ,') + 2);
    assert.deepEqual(labels(bools), ['True', 'False']);
    const attrs = await client.completion(uri, text, text.indexOf("''") + 1);
    assert.deepEqual(labels(attrs).sort(), ['any', 'prefer-standby', 'primary', 'read-only', 'read-write', 'standby']);
    assert.ok(attrs.every((i) => i.kind === CompletionItemKind.EnumMember && documentation(i).length > 10));
  });

  it('completes in dict(KEY=...) keyword form and after DATABASES[...][...][', async () => {
    const keyword = `DATABASES = dict(default=dict(ENGINE='django.db.backends.postgresql', OPTIONS=dict(ssl)))\n`;
    const uri = client.open(join(dir, 'settings.py'), keyword);
    const items = await client.completion(uri, keyword, keyword.indexOf('ssl)') + 3);
    const sslmode = items.find((i) => i.label === 'sslmode');
    assert.ok(sslmode, 'sslmode offered in keyword form');
    assert.match((sslmode.textEdit as { newText: string }).newText, /^sslmode=/);
    const subscript = `DATABASES = {'default': {}}\nDATABASES['default']['OPTIONS']['\n`;
    const uri2 = client.open(join(dir, 'settings.py'), subscript);
    const sub = await client.completion(uri2, subscript, subscript.lastIndexOf("['") + 2);
    assert.ok(labels(sub).includes('connect_timeout'));
  });

  it('still completes at the cursor in a half-typed file (unclosed brace, a key with no value)', async () => {
    const text = `import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'OPTIONS': {\n            'sslmode': ,\n            'conn\n    }\nDEBUG = True\n`;
    const uri = client.open(join(dir, 'settings.py'), text);
    const items = await client.completion(uri, text, text.indexOf("'conn") + 5);
    assert.ok(labels(items).includes('connect_timeout'), `got ${labels(items).slice(0, 5).join(', ')}`);
    const values = await client.completion(uri, text, text.indexOf("'sslmode': ,") + 11);
    assert.ok(labels(values).includes('verify-full'));
  });

  it('follows edits incrementally: completion sees the text after a change', async () => {
    let text = `DATABASES = {'default': {'OPTIONS': {}}}\n`;
    const uri = client.open(join(dir, 'settings.py'), text);
    const at = text.indexOf('{}') + 1;
    text = client.change(uri, text, at, at, "'sslmode': 'require', ");
    const items = await client.completion(uri, text, text.indexOf(', }') + 2);
    assert.ok(!labels(items).includes('sslmode'), 'a key already present is not offered again');
    assert.ok(labels(items).includes('sslrootcert'));
  });

  it('answers djangoPostgres/databases with resolved settings from .env', async () => {
    // The editor's text wins over the disk: the open document is what the request reads.
    writeFileSync(join(dir, 'settings.py'), '');
    client.open(join(dir, 'settings.py'), SETTINGS);
    const result = await client.connection.sendRequest(databases, {});
    assert.equal(result.databases.length, 1);
    const db = result.databases[0];
    assert.deepEqual([db.alias, db.name.value, db.name.source], ['default', 'from_dotenv', 'dotenv']);
    assert.equal(db.options.sslmode.value, 'require');
  });

  it('survives binary junk and a 5 MB file, and keeps answering', async () => {
    const junk = client.open(join(dir, 'junk.py'), 'DATABASES = {\u0000\u0001\u00ff' + '\u0000'.repeat(1000));
    assert.deepEqual(await client.completion(junk, '', 0), []);
    const huge = `DATABASES = {'default': {'OPTIONS': {}}}\n` + '# filler line\n'.repeat(400_000);
    const hugeUri = client.open(join(dir, 'huge_settings.py'), huge);
    await client.completion(hugeUri, huge, 10);
    const uri = client.open(join(dir, 'settings.py'), SETTINGS);
    assert.match(hoverText(await client.hover(uri, SETTINGS, SETTINGS.indexOf("'sslmode'") + 3)), /sslmode/);
    assert.equal(client.child.exitCode, null, 'the server is still running');
  });
});
