// The Getting Started walkthrough in the real workbench (code-server + Chromium): it opens from the Welcome
// walkthrough list, shows its six steps with their pages and pictures, and a step is checked only when
// its command succeeded (here: "Is PostgreSQL running?" against a throw-away PostgreSQL cluster).
import * as assert from 'node:assert/strict';
import {
  copyWorkspace, djangoFixture, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, packageVsix, startCodeServer, type CodeServer,
} from './support/codeServer';
import { openWorkbench, type Workbench } from './support/workbench';
import { startCluster, type PgCluster } from '../support/pgCluster';

const SETTINGS = 'config/settings.py';
const FIRST_HOVER_MS = 60_000;
const STEP_TITLES = ['Start a Django project on PostgreSQL', 'Is PostgreSQL running?', 'Create the database and its role', 'Write the DATABASES block', 'Test the connection', 'Run migrate'];

/** Whether each step shows the "done" check mark, in order. */
async function stepsDone(wb: Workbench): Promise<boolean[]> {
  const icons = wb.page.locator('.getting-started-step .codicon[class*="getting-started-step-"]');
  const classes = await icons.evaluateAll((elements) => elements.map((element) => element.className));
  return classes.map((name) => /getting-started-step-checked/.test(name));
}

async function waitForStepDone(wb: Workbench, index: number): Promise<void> {
  const icon = wb.page.locator('.getting-started-step').nth(index).locator('.codicon-getting-started-step-checked');
  await icon.first().waitFor({ timeout: 20_000 });
}

async function openStep(wb: Workbench, title: string): Promise<void> {
  await wb.page.locator('.getting-started-step .step-title', { hasText: title }).first().click();
}

/** Clicks a step's button (its description's command link) by the button text. */
async function clickStepButton(wb: Workbench, text: string): Promise<void> {
  await wb.page.locator('.getting-started-step.expanded .monaco-button', { hasText: text }).first().click();
}

describe('Getting Started walkthrough in the real workbench', function () {
  this.timeout(120_000);
  let workspace: string;
  let cluster: PgCluster | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS + 120_000);
    await ensureCodeServerInstalled();
    workspace = copyWorkspace(djangoFixture, 'walkthrough');
    cluster = await startCluster();
    // The fixture reads DB_PORT from the environment; the extension host inherits the server's.
    server = await startCodeServer({ workspace, vsix: await packageVsix(), label: 'walkthrough', env: { DB_PORT: String(cluster.port) } });
    workbench = await openWorkbench(server, { folder: workspace, openFile: SETTINGS });
    // The extension is active once its hover answers.
    await workbench.hoverToken("'sslmode'", { line: 'sslmode', expect: /verify-full/, timeoutMs: FIRST_HOVER_MS });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
    await cluster?.stop();
  });

  it('opens from "Welcome: Open Walkthrough..." with its six steps, from an empty folder on, each with a page and its picture', async () => {
    const wb = workbench!;
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickItem(/Django on PostgreSQL/);
    const titles = wb.page.locator('.getting-started-step .step-title');
    await titles.first().waitFor();
    assert.deepEqual((await titles.allInnerTexts()).map((t) => t.trim()), STEP_TITLES);
    // The fixture's settings already define DATABASES: that step is done, the others wait for their command.
    await waitForStepDone(wb, 3);
    assert.deepEqual(await stepsDone(wb), [false, false, false, true, false, false]);

    // The step's Markdown page renders in a webview frame, with the step's SVG loaded.
    const deadline = Date.now() + 20_000;
    const loaded: string[] = [];
    while (Date.now() < deadline && loaded.length === 0) {
      for (const frame of wb.page.frames()) {
        const images = await frame.locator('img[src$=".svg"]').evaluateAll((elements) => elements
          .filter((element) => (element as unknown as { naturalWidth: number }).naturalWidth > 0).map((element) => element.getAttribute('src') ?? ''))
          .catch(() => [] as string[]);
        loaded.push(...images);
      }
      if (loaded.length === 0) await wb.page.waitForTimeout(300);
    }
    assert.ok(loaded.some((src) => src.endsWith('/walkthrough/0-new-project.svg')), `the first step's picture is shown (saw ${loaded.join(', ')})`);
    await wb.screenshot('walkthrough');
  });

  it('checks "Is PostgreSQL running?" only after a server answered on the configured host and port', async () => {
    const wb = workbench!;
    await openStep(wb, STEP_TITLES[1]);
    await clickStepButton(wb, 'Check for PostgreSQL');
    const message = await wb.waitForNotification(/PostgreSQL is running/);
    assert.match(message, new RegExp(`answers on 127\\.0\\.0\\.1:${cluster!.port} \\(alias "default"`));
    await waitForStepDone(wb, 1);
    assert.deepEqual((await stepsDone(wb)).slice(4), [false, false], 'the later steps are still open');
  });

  it('says how to install PostgreSQL when nothing answers on the configured port', async () => {
    const wb = workbench!;
    await cluster!.stop();
    await openStep(wb, STEP_TITLES[1]);
    await clickStepButton(wb, 'Check for PostgreSQL');
    const message = await wb.waitForNotification(/No PostgreSQL answers on 127\.0\.0\.1/);
    assert.match(message, /sudo apt install postgresql/, 'Debian gets its install line');
  });
});
