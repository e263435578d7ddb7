// Drives a code-server workbench in Debian's Chromium through playwright-core (never a downloaded browser).
// Every wait has a deadline; a failing helper leaves a screenshot and names it and the server log in its error.
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { e2eOutputDir, repoRoot, type CodeServer } from './codeServer';

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Default deadline of one wait; the first hover also waits for the extension and its server to start. */
const WAIT_MS = 30_000;
const HOVER_TRY_MS = 1_500;

export type PayloadEntry = [string, string];

export interface OpenWorkbenchOptions {
  /** Absolute folder to open. */
  folder: string;
  /** A file to open at start, relative to `folder`. */
  openFile?: string;
  /** Extra workbench payload entries, e.g. extensionDevelopmentPath / extensionTestsPath as `server.remote(...)`. */
  payload?: PayloadEntry[];
  /** Functions exposed on `window` before the page loads (e.g. codeAutomationLog / codeAutomationExit). */
  expose?: Record<string, (...args: never[]) => unknown>;
}

export interface HoverOptions {
  /** Text the token's line must contain, to pick one of several occurrences. */
  line?: string;
  /** Keep hovering until the hover text matches (the extension may still be starting). */
  expect?: RegExp;
  timeoutMs?: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex for a line as the editor renders it (runs of spaces may be non-breaking spaces). */
function renderedLinePattern(text: string): RegExp {
  return new RegExp(text.trim().split(/\s+/).map(escapeRegExp).join('[\\s\\u00a0]+'));
}

/** Screenshots shown in the README (images/screenshots/<value>.png), by the name a test gives them. */
const README_SCREENSHOTS: Record<string, string> = {
  'journey-1-sslmode-require-hover': 'hover-sslmode',
  'journey-2-create-db-summary': 'create-db-summary',
  'journey-2-test-connection': 'test-connection',
  'journey-2-run-migrate': 'run-migrate',
  'journey-3-pgbouncer-snippet': 'pgbouncer-snippet',
  'journey-typo-problem': 'quick-fix',
  walkthrough: 'walkthrough',
  'restricted-mode-hover': 'restricted-mode-hover',
  'restricted-mode-run-migrate': 'restricted-mode-run-migrate',
  'restricted-mode-trusted-run': 'restricted-mode-trusted-run',
  'guide-n-plus-one': 'n-plus-one',
  'guide-sql-logging': 'sql-logging',
  'guide-psql': 'psql',
  'guide-new-project': 'new-project',
};
const readmeScreenshotsDir = join(repoRoot, 'images', 'screenshots');

export class Workbench {
  /** Absolute path of the file last opened with openFile (or at start). */
  private currentFile: string | undefined;
  private readonly consoleLog: string;

  constructor(
    readonly page: Page,
    private readonly browser: Browser,
    readonly server: CodeServer,
    readonly folder: string,
  ) {
    this.consoleLog = join(server.runDir, 'browser-console.log');
    page.on('console', (message) => appendFileSync(this.consoleLog, `[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => appendFileSync(this.consoleLog, `[pageerror] ${error.message}\n`));
  }

  /** Saves a PNG under test-output/e2e/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(e2eOutputDir, { recursive: true });
    const path = join(e2eOutputDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path, timeout: 10_000, animations: 'disabled' }); // hovers fade in
    // The README's pictures come from these runs; they are refreshed on request, never by a plain test run.
    const readmeName = README_SCREENSHOTS[name];
    if (readmeName && process.env.DPG_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(readmeScreenshotsDir, { recursive: true });
      copyFileSync(path, join(readmeScreenshotsDir, `${readmeName}.png`));
    }
    return path;
  }

  /** Runs one helper; on failure adds a screenshot, the server log and the browser console log to the error. */
  private async step<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      let shot: string;
      try {
        shot = await this.screenshot(`FAILED-${what}-${Date.now()}`);
      } catch (screenshotError) {
        shot = `(no screenshot: ${(screenshotError as Error).message})`;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${what} failed: ${message}\n  screenshot: ${shot}\n  code-server log: ${this.server.logFile}` +
        `\n  browser console: ${this.consoleLog}`, { cause: error });
    }
  }

  /** Waits for the editor of `relativePath` to be the active tab with its text rendered. */
  waitForActiveEditor(relativePath: string): Promise<void> {
    return this.step(`waitForActiveEditor(${relativePath})`, () => this.activeEditorShown(relativePath));
  }

  private async activeEditorShown(relativePath: string): Promise<void> {
    const name = basename(relativePath);
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: WAIT_MS });
    await this.page.locator('.editor-instance .monaco-editor .view-lines .view-line').first().waitFor({ timeout: WAIT_MS });
    this.currentFile = resolve(this.folder, relativePath);
  }

  /** Opens a workspace file by quick open (Ctrl+P). */
  openFile(relativePath: string): Promise<void> {
    return this.step(`openFile(${relativePath})`, async () => {
      // Quick open finds nothing until the workspace is indexed; the explorer rows show that it is.
      await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: WAIT_MS });
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget input').first();
      await input.waitFor({ timeout: WAIT_MS });
      await input.fill(relativePath);
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: basename(relativePath) }).first()
        .waitFor({ timeout: WAIT_MS });
      await input.press('Enter');
      await this.activeEditorShown(relativePath);
    });
  }

  /** Moves the cursor to a 1-based line (Ctrl+G), which also scrolls it into view. */
  private async goToLine(line: number): Promise<void> {
    // Focus without a click: clicking makes Playwright scroll Monaco's huge line layer around.
    await this.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: WAIT_MS });
    await input.fill(`:${line}`);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
  }

  /**
   * Hovers a token of the open file and returns the hover's text. `token` is as written in the file,
   * quotes included (`'sslmode'`); the first line holding it (and `options.line`) is scrolled into view.
   */
  hoverToken(token: string, options: HoverOptions = {}): Promise<string> {
    return this.step(`hoverToken(${token})`, async () => {
      const file = this.currentFile;
      if (!file) throw new Error('no file is open: call openFile first');
      const lines = readFileSync(file, 'utf8').split('\n');
      const index = lines.findIndex((l) => l.includes(token) && (!options.line || l.includes(options.line)));
      if (index < 0) throw new Error(`no line of ${file} contains ${token}${options.line ? ` and ${options.line}` : ''}`);
      await this.goToLine(index + 1);

      // Monaco merges a string's quotes and text into one span when they share a colour; accept either.
      const bare = token.replace(/^(['"])(.*)\1$/, '$2');
      const target = this.page.locator('.editor-instance .view-lines .view-line', { hasText: renderedLinePattern(lines[index]) })
        .first()
        .locator('span > span', { hasText: new RegExp(`^['"]?${escapeRegExp(bare)}['"]?$`) })
        .first();
      const hover = this.page.locator('.monaco-hover:visible');
      const deadline = Date.now() + (options.timeoutMs ?? WAIT_MS);
      let seen = '';
      while (Date.now() < deadline) {
        await this.page.mouse.move(1, 1); // leave the token so the next hover is a fresh one
        await target.hover({ timeout: Math.max(1, deadline - Date.now()) });
        try {
          await hover.locator('.hover-contents').first().waitFor({ timeout: HOVER_TRY_MS });
          seen = (await hover.allInnerTexts()).join('\n').trim();
        } catch {
          seen = '';
        }
        const ready = seen !== '' && !/^Loading\.\.\.$/.test(seen);
        if (ready && (!options.expect || options.expect.test(seen))) return seen;
      }
      throw new Error(`no hover${options.expect ? ` matching ${options.expect}` : ''} within the deadline; last seen: ${JSON.stringify(seen)}`);
    });
  }

  /** Runs a command from the palette (F1) by its title as the palette shows it, e.g. `Django Postgres: Create Database`. */
  runCommand(title: string): Promise<void> {
    return this.step(`runCommand(${title})`, async () => {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input').first();
      await input.waitFor({ timeout: WAIT_MS });
      await input.fill(`>${title}`);
      const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ timeout: WAIT_MS });
      await row.click();
    });
  }

  /** Waits for an input box whose prompt or title matches, types `text` and accepts it. */
  answerInput(prompt: RegExp, text: string): Promise<void> {
    return this.step(`answerInput(${prompt})`, async () => {
      const widget = this.page.locator('.quick-input-widget:visible', { hasText: prompt }).first();
      await widget.waitFor({ timeout: WAIT_MS });
      const input = widget.locator('.quick-input-box input').first();
      await input.fill(text);
      await input.press('Enter');
    });
  }

  /** Waits for a quick pick item matching `label` and picks it. */
  pickItem(label: string | RegExp): Promise<void> {
    return this.step(`pickItem(${label})`, async () => {
      const row = this.page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: WAIT_MS });
      await row.click();
    });
  }

  /** Texts of the notification toasts now shown. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  /** Waits for a notification toast matching `pattern` and returns its text. */
  waitForNotification(pattern: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    return this.step(`waitForNotification(${pattern})`, async () => {
      const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: pattern }).first();
      await toast.waitFor({ timeout: timeoutMs });
      return toast.innerText();
    });
  }

  /** Opens the Problems panel and returns its rows (file rows and `message\n[Ln x, Col y]` rows). */
  problems(): Promise<string[]> {
    return this.step('problems()', async () => {
      const panel = this.page.locator('.markers-panel');
      if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ timeout: WAIT_MS });
      return panel.locator('.monaco-list-row').allInnerTexts();
    });
  }

  /** Opens the Problems panel and waits for a row matching `pattern`; returns all rows. */
  waitForProblem(pattern: RegExp, timeoutMs = WAIT_MS): Promise<string[]> {
    return this.step(`waitForProblem(${pattern})`, async () => {
      await this.problems();
      await this.page.locator('.markers-panel .monaco-list-row', { hasText: pattern }).first().waitFor({ timeout: timeoutMs });
      return this.page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    });
  }

  /**
   * Text of a status bar item: by element id (e.g. `status.problems`, or `<publisher.name>.<item id>` for an
   * extension's item) or by a pattern its text matches.
   */
  statusBarText(item: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
    return this.step(`statusBarText(${item})`, async () => {
      const locator: Locator = typeof item === 'string'
        ? this.page.locator(`[id="${item}"]`)
        : this.page.locator('.part.statusbar .statusbar-item', { hasText: item });
      await locator.first().waitFor({ timeout: timeoutMs });
      return (await locator.first().innerText()).trim();
    });
  }

  /** The integrated terminal's visible text (needs `terminal.integrated.gpuAcceleration: off`, set by the harness). */
  async terminalText(): Promise<string> {
    return (await this.page.locator('.terminal-wrapper .xterm-rows').allInnerTexts()).join('\n');
  }

  /** Polls the terminal until its text matches (match whole output lines: the command line is echoed too). */
  waitForTerminalText(pattern: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    return this.step(`waitForTerminalText(${pattern})`, async () => {
      const deadline = Date.now() + timeoutMs;
      let text = '';
      while (Date.now() < deadline) {
        text = await this.terminalText();
        if (pattern.test(text)) return text;
        await this.page.waitForTimeout(200);
      }
      throw new Error(`terminal text never matched; last seen:\n${text}`);
    });
  }

  /** Closes the browser (the server is the caller's to stop). */
  async close(): Promise<void> {
    await Promise.race([this.browser.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }
}

/** Launches Chromium, loads the workbench for `options.folder` and waits for it (and the start file) to render. */
export async function openWorkbench(server: CodeServer, options: OpenWorkbenchOptions): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_MS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(WAIT_MS);
  const workbench = new Workbench(page, browser, server, options.folder);
  try {
    for (const [name, fn] of Object.entries(options.expose ?? {})) await page.exposeFunction(name, fn);
    const payload: PayloadEntry[] = [...(options.payload ?? [])];
    if (options.openFile) payload.push(['openFile', server.remote(join(options.folder, options.openFile))]);
    const url = `${server.url}/?folder=${encodeURIComponent(options.folder)}` +
      (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
    await page.goto(url, { timeout: WAIT_MS });
    await page.locator('.monaco-workbench').waitFor({ timeout: WAIT_MS });
    if (options.openFile) await workbench.waitForActiveEditor(options.openFile);
  } catch (error) {
    await workbench.close();
    throw error;
  }
  return workbench;
}

/** `util.format` for the `codeAutomationLog(type, args)` calls of the workbench's test runner. */
export function formatAutomationLog(args: unknown[]): string {
  return format(...args);
}
