// Workspace trust in the real workbench (code-server + Chromium): with trust enabled and the folder not
// trusted, the language features still work and the commands that run project code refuse with the reason;
// once the user trusts the folder through VS Code's own Workspace Trust editor, Run migrate runs.
import * as assert from 'node:assert/strict';
import {
  copyWorkspace, djangoFixture, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, packageVsix, startCodeServer, type CodeServer,
} from './support/codeServer';
import { openWorkbench, type Workbench } from './support/workbench';

const SETTINGS = 'config/settings.py';
const FIRST_HOVER_MS = 60_000;
/** Debian's python3 has Django 3.2 and psycopg2; pyenv's python3 first on PATH has neither. */
const DJANGO_PYTHON = '/usr/bin/python3';

async function saveScreenshot(wb: Workbench, name: string): Promise<void> {
  await wb.screenshot(name);
}

/** Number of integrated terminals the workbench shows (their xterm containers). */
async function terminalCount(wb: Workbench): Promise<number> {
  return wb.page.locator('.terminal-wrapper').count();
}

describe('workspace trust in the real workbench', function () {
  this.timeout(120_000);
  let workspace: string;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS + 120_000);
    await ensureCodeServerInstalled();
    workspace = copyWorkspace(djangoFixture, 'trust');
    server = await startCodeServer({
      workspace, vsix: await packageVsix(), label: 'trust', trustEnabled: true,
      settings: {
        // No start-up modal: the folder simply opens in Restricted Mode, as after answering "No".
        'security.workspace.trust.startupPrompt': 'never',
        // A user setting: VS Code honours it once trusted (restrictedConfigurations only ignores workspace values).
        'djangoPostgres.pythonCommand': DJANGO_PYTHON,
      },
    });
    workbench = await openWorkbench(server, { folder: workspace, openFile: SETTINGS });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it("opens in Restricted Mode and hovering 'sslmode' still explains it", async () => {
    const wb = workbench!;
    assert.match(await wb.statusBarText(/Restricted Mode/), /Restricted Mode/);
    const hover = await wb.hoverToken("'sslmode'", { line: 'sslmode', expect: /verify-full/, timeoutMs: FIRST_HOVER_MS });
    assert.match(hover, /SSL|TLS/i);
    await saveScreenshot(wb, 'restricted-mode-hover');
  });

  it('refuses Run migrate with the reason and a "Manage Workspace Trust" button, and starts no terminal', async () => {
    const wb = workbench!;
    await wb.runCommand('Django Postgres: Run migrate');
    const message = await wb.waitForNotification(/trusted workspace/);
    assert.match(message, /runs your project's own code/);
    assert.match(message, /Manage Workspace Trust/);
    // The refusal comes before any quick pick: nothing to choose, nothing started.
    await wb.page.waitForTimeout(2_000);
    assert.equal(await wb.page.locator('.quick-input-widget:visible').count(), 0, 'no quick pick opened');
    assert.equal(await terminalCount(wb), 0, 'no terminal was created');
    await saveScreenshot(wb, 'restricted-mode-run-migrate');
  });

  it('refuses Test Connection until the workspace is trusted', async () => {
    const wb = workbench!;
    await wb.runCommand('Django Postgres: Test Connection');
    const message = await wb.waitForNotification(/Test Connection connects to the server named in your settings/);
    assert.match(message, /only in a trusted workspace/);
  });

  it('runs manage.py once the folder is trusted through the Workspace Trust editor', async () => {
    const wb = workbench!;
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /runs your project's own code/ }).first();
    if (!(await toast.isVisible())) {
      await wb.runCommand('Django Postgres: Run migrate');
      await toast.waitFor();
    }
    await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).first().click();
    const trustButton = wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trustButton.waitFor();
    await trustButton.click();
    await wb.page.locator('.part.statusbar .statusbar-item', { hasText: /Restricted Mode/ }).first().waitFor({ state: 'detached' });

    await wb.runCommand('Django Postgres: Run migrate');
    // A variant that needs no database server: Django checks the models against the migrations.
    await wb.pickItem('makemigrations --check --dry-run');
    const terminal = await wb.waitForTerminalText(/^No changes detected\s*$/m, 60_000);
    assert.match(terminal, /manage\.py makemigrations --check --dry-run/);
    assert.equal(await terminalCount(wb), 1, 'one terminal, started by Run migrate');
    assert.match(await wb.waitForNotification(/succeeded/, 60_000), /makemigrations --check --dry-run succeeded/);
    await saveScreenshot(wb, 'restricted-mode-trusted-run');
  });
});
