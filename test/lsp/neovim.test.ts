// Beyond VS Code: Debian's Neovim, headless, with its built-in LSP client set up exactly as docs/editors.md
// says, against the language server as npm installs it (npm pack, then npm install -g of the tarball). The
// editor's own client shows the diagnostics, hover, completion and code actions; the test reads what it saw.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { COMPLETION_OFFSET, documentedSetup, EDITOR_SETTINGS, HOVER_OFFSET } from '../support/editorSetups';
import { installedPackage } from '../support/npmPackage';

const run = promisify(execFile);
const SESSION_SCRIPT = resolve(__dirname, '../../../test/lsp/neovim/lsp-session.lua');
interface NeovimSession {
  error?: string;
  filetype?: string;
  diagnostics?: { code: string; message: string; lnum: number; col: number; severity: number; source: string }[];
  hover?: { kind: string; value: string };
  completion?: string[];
  completionTexts?: string[];
  completionDocumentation?: { kind: string; value: string } | string;
  actions?: string[];
  lineAfterFix?: string;
  codesAfterFix?: string[];
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('Neovim (built-in LSP client) with the npm-installed language server', function () {
  this.timeout(300_000);
  let session: NeovimSession;
  let nvimVersion: string;

  before(async () => {
    nvimVersion = execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    const { prefix } = await installedPackage();
    const dir = mkdtempSync(join(tmpdir(), 'dpg-nvim-'));
    const file = join(dir, 'settings.py');
    writeFileSync(file, EDITOR_SETTINGS);
    const out = join(dir, 'session.json');
    const initLua = join(dir, 'init.lua');
    writeFileSync(initLua, documentedSetup('### Neovim 0.7', 'lua', 'diagnostics = { ignore = {} }', "diagnostics = { ignore = { 'DPG203' } }"));
    const positions = {
      hover: positionOf(EDITOR_SETTINGS, HOVER_OFFSET),
      completion: positionOf(EDITOR_SETTINGS, COMPLETION_OFFSET),
    };
    // Neovim's state, logs and shada go to the scratch folder, never to the user's home.
    const xdg = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache') };
    await run('nvim', ['--headless', '-u', initLua, '-i', 'NONE', '-n', '-c', `luafile ${SESSION_SCRIPT}`], {
      cwd: dir,
      timeout: 180_000,
      // The npm-installed command on PATH, as `npm install -g` leaves it for a user.
      env: { ...process.env, ...xdg, PATH: [join(prefix, 'bin'), process.env.PATH].join(delimiter), DPG_FILE: file, DPG_OUT: out, DPG_POSITIONS: JSON.stringify(positions) },
    });
    session = JSON.parse(readFileSync(out, 'utf8')) as NeovimSession;
    assert.equal(session.error, undefined, `the Neovim session failed: ${session.error}`);
  });

  it('runs on the Neovim the machine has (Debian bookworm: 0.7), started by the FileType autocommand', () => {
    assert.match(nvimVersion, /^NVIM v0\.\d+/);
    assert.equal(session.filetype, 'python');
  });

  it('shows the bad sslmode as an error, and honours the settings the setup sends in initializationOptions', () => {
    const sslmode = session.diagnostics?.find((d) => d.code === 'DPG102');
    assert.ok(sslmode, `no DPG102 among ${JSON.stringify(session.diagnostics)}`);
    assert.equal(sslmode.severity, 1, 'vim.diagnostic.severity.ERROR');
    assert.deepEqual([sslmode.lnum, sslmode.col], [6, 23]);
    assert.match(sslmode.message, /Did you mean 'require'\?/);
    assert.equal(sslmode.source, 'Django Postgres');
    // The hard-coded password (DPG203) is reported by default; the editor's settings ignore it.
    assert.ok(!session.diagnostics!.some((d) => d.code === 'DPG203'), 'DPG203 should be ignored by the settings Neovim sent');
  });

  it('hovers sslmode with its documentation', () => {
    assert.equal(session.hover?.kind, 'markdown');
    assert.match(session.hover.value, /sslmode/);
    assert.match(session.hover.value, /verify-full/);
    assert.match(session.hover.value, /PGSSLMODE/);
  });

  it('completes libpq keywords inside OPTIONS, with documentation on resolve', () => {
    const labels = new Set(session.completion);
    for (const keyword of ['sslrootcert', 'connect_timeout', 'target_session_attrs', 'application_name']) assert.ok(labels.has(keyword), `${keyword} not offered`);
    assert.ok(!labels.has('ENGINE'), 'DATABASES keys are not offered inside OPTIONS');
    // Neovim 0.7 has no snippet support: the items insert plain text, placeholders at their defaults.
    assert.ok(session.completionTexts!.length > 20);
    assert.deepEqual(session.completionTexts!.filter((text) => /\$\{?\d/.test(text)), []);
    assert.ok(session.completionTexts!.some((text) => /^'target_session_attrs': '[a-z-]+'$/.test(text)), 'an enum key inserts its first value');
    const documentation = session.completionDocumentation;
    const text = typeof documentation === 'string' ? documentation : documentation?.value;
    assert.match(text ?? '', /certificate/i);
  });

  it('offers the quick fix at the diagnostic, and applying its edit clears it', () => {
    assert.ok(session.actions?.some((title) => /require/.test(title)), `actions: ${JSON.stringify(session.actions)}`);
    assert.equal(session.lineAfterFix, "            'sslmode': 'require',");
    assert.ok(!session.codesAfterFix?.includes('DPG102'));
  });
});
