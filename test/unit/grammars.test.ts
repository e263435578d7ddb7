// The TextMate grammars, tokenized with the same engine VS Code uses (vscode-textmate + oniguruma).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

const root = join(__dirname, '..', '..', '..');
const grammarFiles: Record<string, string> = {
  'source.pgbouncer-ini': join(root, 'syntaxes/pgbouncer.tmLanguage.json'),
  'source.pgbouncer-userlist': join(root, 'syntaxes/pgbouncer-userlist.tmLanguage.json'),
  'source.python.libpq-options.injection': join(root, 'syntaxes/python-libpq-options.injection.tmLanguage.json'),
};
// VS Code's own Python grammar when a local VS Code copy is around; otherwise a stand-in with the same
// string scopes (string.quoted.single.python / string.quoted.double.python), which is all the injection needs.
const magicPython = join(root, '.vscode-test/cs/node_modules/code-server/lib/vscode/extensions/python/syntaxes/MagicPython.tmLanguage.json');
const standInPython = JSON.stringify({
  scopeName: 'source.python',
  patterns: [
    { match: '#.*$', name: 'comment.line.number-sign.python' },
    { begin: "'", end: "'", name: 'string.quoted.single.python' },
    { begin: '"', end: '"', name: 'string.quoted.double.python' },
  ],
});

const registry = new Registry({
  onigLib: oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text: string) => new oniguruma.OnigString(text),
  })),
  loadGrammar: async (scopeName) => {
    if (scopeName === 'source.python') {
      return existsSync(magicPython) ? parseRawGrammar(readFileSync(magicPython, 'utf8'), magicPython) : parseRawGrammar(standInPython, 'python.json');
    }
    const file = grammarFiles[scopeName];
    return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
  },
  // What package.json's `injectTo: ["source.python"]` does in VS Code.
  getInjections: (scopeName) => (scopeName === 'source.python' ? ['source.python.libpq-options.injection'] : undefined),
});

async function grammar(scopeName: string): Promise<IGrammar> {
  const loaded = await registry.loadGrammar(scopeName);
  assert.ok(loaded, `grammar ${scopeName} should load`);
  return loaded;
}

/** Scopes of the token holding the first character of `needle` (searched from `line`'s start) in the given line. */
function scopesOf(g: IGrammar, text: string, lineNumber: number, needle: string, occurrence = 0): string[] {
  let state = INITIAL;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const result = g.tokenizeLine(lines[i], state);
    if (i === lineNumber) {
      let at = -1;
      for (let k = 0; k <= occurrence; k++) at = lines[i].indexOf(needle, at + 1);
      assert.ok(at >= 0, `"${needle}" is not on line ${lineNumber}`);
      const token = result.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
      return token ? token.scopes : [];
    }
    state = result.ruleStack;
  }
  throw new Error(`no line ${lineNumber}`);
}

const ini = [
  '; PgBouncer for the shop',
  '[databases]',
  'shop = host=db.internal port=5432 dbname=shop pool_mode=transaction connect_query=\'SELECT 1\'',
  '',
  '[pgbouncer]',
  'listen_port = 6432',
  'pool_mode = transaction',
  'auth_file = /etc/pgbouncer/userlist.txt',
  '# whole-line comment',
  '%include /etc/pgbouncer/local.ini',
  'admin_users = ops',
].join('\n');

describe('pgbouncer.ini grammar', () => {
  it('scopes sections, comments and settings', async () => {
    const g = await grammar('source.pgbouncer-ini');
    assert.ok(scopesOf(g, ini, 0, 'PgBouncer').includes('comment.line.semicolon.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 1, 'databases').includes('entity.name.section.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 4, 'pgbouncer').includes('entity.name.section.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 5, 'listen_port').includes('support.type.property-name.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 5, '6432').includes('constant.numeric.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 6, 'transaction').includes('constant.language.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 7, '/etc').includes('string.unquoted.value.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 8, 'whole').includes('comment.line.number-sign.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 9, '%include').includes('keyword.control.directive.include.pgbouncer-ini'));
  });

  it('scopes database entries as name plus connection parameters, and leaves them at the next section', async () => {
    const g = await grammar('source.pgbouncer-ini');
    assert.ok(scopesOf(g, ini, 2, 'shop').includes('entity.name.tag.database.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 2, 'host').includes('variable.parameter.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 2, '5432').includes('constant.numeric.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 2, 'transaction').includes('constant.language.pgbouncer-ini'));
    assert.ok(scopesOf(g, ini, 2, "'SELECT").includes('string.unquoted.value.pgbouncer-ini'));
    const afterEntries = scopesOf(g, ini, 10, 'admin_users');
    assert.ok(afterEntries.includes('support.type.property-name.pgbouncer-ini'));
    assert.ok(!afterEntries.includes('meta.section.entries.pgbouncer-ini'));
  });
});

describe('userlist.txt grammar', () => {
  const userlist = [
    '"shop" "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="',
    '"admin" "md545f2603610af569b6155c45067268c6b"',
    '"legacy ""quoted""" "plain-password" anything after is ignored',
    '; comment',
  ].join('\n');

  it('tells SCRAM, MD5 and plain secrets apart', async () => {
    const g = await grammar('source.pgbouncer-userlist');
    assert.ok(scopesOf(g, userlist, 0, 'shop').includes('entity.name.user.pgbouncer-userlist'));
    assert.ok(scopesOf(g, userlist, 0, 'SCRAM').includes('constant.other.secret.scram-sha-256.pgbouncer-userlist'));
    assert.ok(scopesOf(g, userlist, 1, 'md5').includes('constant.other.secret.md5.pgbouncer-userlist'));
    assert.ok(scopesOf(g, userlist, 2, 'legacy').includes('entity.name.user.pgbouncer-userlist'));
    assert.ok(scopesOf(g, userlist, 2, 'plain').includes('string.quoted.double.password.plain.pgbouncer-userlist'));
    assert.ok(scopesOf(g, userlist, 2, 'anything').includes('comment.line.rest.pgbouncer-userlist'));
    assert.ok(scopesOf(g, userlist, 3, 'comment').includes('comment.line.pgbouncer-userlist'));
  });
});

describe('libpq options injection into Python', () => {
  const python = [
    'DATABASES = {"default": {"OPTIONS": {',
    "    'options': '-c statement_timeout=5s -csearch_path=app,public --lock_timeout=2s',",
    '}}}',
    '# -c statement_timeout=5s in a comment',
    'x = 1 - c',
  ].join('\n');

  it('marks -c name=value and --name=value pairs inside strings', async () => {
    const g = await grammar('source.python');
    const flag = scopesOf(g, python, 1, '-c');
    assert.ok(flag.includes('meta.libpq-options.python') && flag.includes('keyword.other.flag.libpq-options.python'), flag.join(' '));
    assert.ok(scopesOf(g, python, 1, 'statement_timeout').includes('variable.parameter.setting.libpq-options.python'));
    assert.ok(scopesOf(g, python, 1, '5s').includes('constant.other.value.libpq-options.python'));
    assert.ok(scopesOf(g, python, 1, 'search_path').includes('variable.parameter.setting.libpq-options.python'));
    assert.ok(scopesOf(g, python, 1, 'app,public').includes('constant.other.value.libpq-options.python'));
    assert.ok(scopesOf(g, python, 1, 'lock_timeout').includes('variable.parameter.setting.libpq-options.python'));
    assert.ok(scopesOf(g, python, 1, 'options').some((s) => s.startsWith('string.quoted')));
    assert.ok(!scopesOf(g, python, 1, 'options').includes('meta.libpq-options.python'));
  });

  it('leaves comments and code alone', async () => {
    const g = await grammar('source.python');
    assert.ok(!scopesOf(g, python, 3, 'statement_timeout').includes('meta.libpq-options.python'));
    assert.ok(!scopesOf(g, python, 4, 'c').includes('meta.libpq-options.python'));
  });
});
