// Emacs (Debian's emacs-nox with elpa-eglot) in batch mode, set up with docs/editors.md's eglot block, against
// the npm-installed language server: what Flymake shows, hover, completion, and a code action applied.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { COMPLETION_OFFSET, documentedSetup, EDITOR_SETTINGS, HOVER_OFFSET } from '../support/editorSetups';
import { installedPackage } from '../support/npmPackage';

const run = promisify(execFile);
const SESSION_SCRIPT = resolve(__dirname, '../../../test/lsp/emacs/eglot-session.el');
interface EglotSession {
  error?: string;
  mode?: string;
  diagnostics?: string[];
  hover?: string;
  completion?: string[];
  actions?: string[];
  'line-after-fix'?: string;
  'diagnostics-after-fix'?: string[];
}

describe('Emacs eglot with the npm-installed language server', function () {
  this.timeout(300_000);
  let session: EglotSession;

  before(async () => {
    const { prefix } = await installedPackage();
    const dir = mkdtempSync(join(tmpdir(), 'dpg-emacs-'));
    // A Git repository, as a project: eglot starts one server per project.
    execFileSync('git', ['init', '-q', dir]);
    const file = join(dir, 'settings.py');
    writeFileSync(file, EDITOR_SETTINGS);
    const init = join(dir, 'init.el');
    writeFileSync(init, documentedSetup('## Emacs (eglot)', 'elisp', '(:ignore [])', '(:ignore ["DPG203"])'));
    const out = join(dir, 'session.json');
    await run('emacs', ['--batch', '-l', SESSION_SCRIPT], {
      cwd: dir,
      timeout: 180_000,
      env: {
        ...process.env,
        HOME: join(dir, 'home'),
        PATH: [join(prefix, 'bin'), process.env.PATH].join(delimiter),
        DPG_INIT: init,
        DPG_FILE: file,
        DPG_OUT: out,
        DPG_HOVER: String(HOVER_OFFSET),
        DPG_COMPLETE: String(COMPLETION_OFFSET),
      },
    });
    session = JSON.parse(readFileSync(out, 'utf8')) as EglotSession;
    assert.equal(session.error, undefined, `the Emacs session failed: ${session.error}`);
  });

  it('shows the bad sslmode in Flymake, and honours the settings sent as :initializationOptions', () => {
    assert.equal(session.mode, 'python-mode');
    assert.ok(session.diagnostics?.some((text) => text.startsWith("Django Postgres [DPG102]: Invalid sslmode value 'requre'")), JSON.stringify(session.diagnostics));
    assert.ok(!session.diagnostics!.some((text) => text.includes('[DPG203]')), 'DPG203 is ignored by the settings eglot sent');
  });

  it('hovers sslmode and completes libpq keywords inside OPTIONS', () => {
    assert.match(session.hover ?? '', /`sslmode`[\s\S]*verify-full/);
    for (const keyword of ['sslrootcert', 'connect_timeout', 'target_session_attrs']) assert.ok(session.completion?.includes(keyword), `${keyword} not offered`);
  });

  it('offers the quick fix at the diagnostic, and applying its edit clears it', () => {
    assert.deepEqual(session.actions, ["Change to 'require'"]);
    assert.equal(session['line-after-fix'], "            'sslmode': 'require',");
    assert.ok(!session['diagnostics-after-fix']!.some((text) => text.includes('[DPG102]')));
  });
});
