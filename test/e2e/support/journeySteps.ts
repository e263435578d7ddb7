// Workbench steps the user journeys need beyond workbench.ts: modal dialogs, notification buttons, completion,
// quick fixes, the Problems panel grouped by file, and the extension's own output-channel log on the server.
// Each step waits on a selector with a deadline; a failing step saves a screenshot and names it and the logs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeServer } from './codeServer';
import type { Locator } from 'playwright-core';
import type { Workbench } from './workbench';

const WAIT_MS = 30_000;
/** How long a notification gets to show as a toast before it is looked up in the notification center. */
const TOAST_GRACE_MS = 8_000;

/** Runs `action`; on failure the error names a fresh screenshot, the code-server log and the browser console log. */
export async function step<T>(wb: Workbench, what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    let shot: string;
    try {
      shot = await wb.screenshot(`FAILED-${what}-${Date.now()}`);
    } catch (screenshotError) {
      shot = `(no screenshot: ${(screenshotError as Error).message})`;
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${what} failed: ${message}\n  screenshot: ${shot}\n  code-server log: ${wb.server.logFile}` +
      `\n  browser console: ${join(wb.server.runDir, 'browser-console.log')}`, { cause: error });
  }
}

/** Waits for a modal dialog whose text matches `message` and clicks its button `button`; returns the dialog text. */
export function clickDialogButton(wb: Workbench, message: RegExp, button: string): Promise<string> {
  return step(wb, `clickDialogButton(${button})`, async () => {
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: message }).first();
    await dialog.waitFor({ timeout: WAIT_MS });
    const text = await dialog.innerText();
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
    return text;
  });
}

/**
 * The notification matching `message`: its toast, or, when no toast shows within a few seconds (the workbench
 * does not always pop one up while other toasts come and go), its row in the notification center, opened for it.
 */
async function findNotification(wb: Workbench, message: RegExp, timeoutMs: number): Promise<{ item: Locator; where: 'toast' | 'center' }> {
  const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: message }).first();
  try {
    await toast.waitFor({ timeout: Math.min(TOAST_GRACE_MS, timeoutMs) });
    return { item: toast, where: 'toast' };
  } catch {
    await wb.runCommand('Notifications: Show Notifications');
    const row = wb.page.locator('.notifications-center .monaco-list-row', { hasText: message }).first();
    await row.waitFor({ timeout: Math.max(1, timeoutMs - TOAST_GRACE_MS) });
    return { item: row, where: 'center' };
  }
}

async function hideNotificationCenter(wb: Workbench): Promise<void> {
  await wb.runCommand('Notifications: Hide Notifications');
  await wb.page.locator('.notifications-center').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/**
 * Waits for a notification matching `message` (a toast, else in the notification center); returns its text and
 * where it was. `screenshot` names a screenshot taken while it is shown.
 */
export function waitForNotificationAnywhere(
  wb: Workbench, message: RegExp, options: { timeoutMs?: number; screenshot?: string } = {},
): Promise<{ text: string; where: 'toast' | 'center' }> {
  return step(wb, `waitForNotificationAnywhere(${message})`, async () => {
    const { item, where } = await findNotification(wb, message, options.timeoutMs ?? WAIT_MS);
    const text = await item.innerText();
    if (options.screenshot) await wb.screenshot(options.screenshot);
    if (where === 'center') await hideNotificationCenter(wb);
    return { text, where };
  });
}

/** Waits for a notification matching `message` (a toast, else in the notification center) and clicks its button `button`; returns its text. */
export function clickNotificationButton(wb: Workbench, message: RegExp, button: string, timeoutMs = WAIT_MS): Promise<string> {
  return step(wb, `clickNotificationButton(${button})`, async () => {
    const { item, where } = await findNotification(wb, message, timeoutMs);
    const text = await item.innerText();
    await item.hover(); // the center shows a row's buttons on hover or focus
    await item.locator('.monaco-button', { hasText: button }).first().click();
    if (where === 'center') await hideNotificationCenter(wb);
    return text;
  });
}

/** Waits until no notification toast matches `message` (e.g. a progress notification that has finished). */
export function waitForNotificationGone(wb: Workbench, message: RegExp): Promise<void> {
  return step(wb, `waitForNotificationGone(${message})`, async () => {
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: message }).first()
      .waitFor({ state: 'hidden', timeout: WAIT_MS });
  });
}

/** Hides every notification through the palette (Escape could reach a focused terminal). */
export function clearNotifications(wb: Workbench): Promise<void> {
  return wb.runCommand('Notifications: Clear All Notifications');
}

/** The status bar item whose text matches `text`, once it shows the codicon `icon` (e.g. `check`). */
export function waitForStatusBarIcon(wb: Workbench, text: RegExp, icon: string): Promise<string> {
  return step(wb, `waitForStatusBarIcon(${text}, ${icon})`, async () => {
    const item = wb.page.locator('.part.statusbar .statusbar-item', { hasText: text })
      .filter({ has: wb.page.locator(`.codicon-${icon}`) }).first();
    await item.waitFor({ timeout: WAIT_MS });
    const label = await item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => null);
    return `${(await item.innerText()).trim()}${label ? ` (${label})` : ''}`;
  });
}

/** Focuses the active editor and moves the cursor to a 1-based line and column with Go to Line (Ctrl+G). */
export function goToPosition(wb: Workbench, line: number, column = 1): Promise<void> {
  return step(wb, `goToPosition(${line}:${column})`, async () => {
    // Focus without a click: a click would move the cursor to wherever Monaco's line layer happens to be.
    await wb.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await wb.page.keyboard.press('Control+G');
    const input = wb.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: WAIT_MS });
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await wb.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
  });
}

/** Puts the cursor inside the first occurrence of `token` in `file` (whose text is on disk). */
export async function goToToken(wb: Workbench, file: string, token: string): Promise<void> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(token));
  if (index < 0) throw new Error(`${file} does not contain ${token}`);
  await goToPosition(wb, index + 1, lines[index].indexOf(token) + 2);
}

/**
 * Types `prefix` at the cursor, waits for the suggestion whose row matches `label` to be the focused one
 * (opening the list with Ctrl+Space if typing did not) and accepts it with Enter.
 */
export function acceptCompletion(wb: Workbench, prefix: string, label: RegExp): Promise<void> {
  return step(wb, `acceptCompletion(${prefix})`, async () => {
    await wb.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await wb.page.keyboard.type(prefix);
    const widget = wb.page.locator('.editor-widget.suggest-widget.visible');
    try {
      await widget.waitFor({ timeout: 5_000 });
    } catch {
      await wb.page.keyboard.press('Control+Space');
      await widget.waitFor({ timeout: WAIT_MS });
    }
    await widget.locator('.monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: WAIT_MS });
    await wb.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: WAIT_MS });
  });
}

/**
 * Opens the quick-fix menu at the cursor (Ctrl+.) and applies the action titled `title`; returns every title
 * shown. `screenshot` names a screenshot taken while the menu is open.
 */
export function applyQuickFix(wb: Workbench, title: string, screenshot?: string): Promise<string[]> {
  return step(wb, `applyQuickFix(${title})`, async () => {
    await wb.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await wb.page.keyboard.press('Control+.');
    const menu = wb.page.locator('.action-widget');
    const row = menu.locator('.monaco-list-row.action', { hasText: title }).first();
    await row.waitFor({ timeout: WAIT_MS });
    const titles = (await menu.locator('.monaco-list-row.action').allInnerTexts()).map((t) => t.trim());
    if (screenshot) await wb.screenshot(screenshot);
    // Keyboard, not a click: the menu lays a pointer-blocking layer over itself until the mouse moves in.
    for (let moves = 0; moves <= titles.length; moves++) {
      if (await menu.locator('.monaco-list-row.action.focused', { hasText: title }).count() > 0) break;
      await wb.page.keyboard.press('ArrowDown');
    }
    await menu.locator('.monaco-list-row.action.focused', { hasText: title }).first().waitFor({ timeout: WAIT_MS });
    await wb.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: WAIT_MS });
    return titles;
  });
}

/** Saves the active editor and waits until the file on disk satisfies `saved`. */
export function saveActiveEditor(wb: Workbench, file: string, saved: (text: string) => boolean): Promise<string> {
  return step(wb, `saveActiveEditor(${file})`, async () => {
    await wb.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await wb.page.keyboard.press('Control+S');
    const deadline = Date.now() + WAIT_MS;
    let text = '';
    while (Date.now() < deadline) {
      text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (saved(text)) return text;
      await wb.page.waitForTimeout(100);
    }
    throw new Error(`the saved file never matched; on disk:\n${text}`);
  });
}

export interface FileProblems {
  /** The file row as the panel labels it, e.g. `settings.py` plus its folder. */
  file: string;
  /** Its problem rows: message, source and code, `[Ln x, Col y]`. */
  problems: string[];
}

/** Opens the Problems panel and returns its rows grouped by file (rows of level 1 are files, deeper ones problems). */
export function problemsByFile(wb: Workbench): Promise<FileProblems[]> {
  return step(wb, 'problemsByFile()', async () => {
    await wb.problems(); // opens the panel
    const rows = await wb.page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
      elements.map((e) => ({ level: e.getAttribute('aria-level'), label: e.getAttribute('aria-label') ?? '', text: e.textContent ?? '' })));
    const groups: FileProblems[] = [];
    for (const row of rows) {
      if (row.level === '1') groups.push({ file: row.label || row.text, problems: [] });
      else groups.at(-1)?.problems.push(row.label || row.text);
    }
    return groups;
  });
}

/** Waits until the Problems panel lists no problem whose row matches `pattern`. */
export function waitForProblemGone(wb: Workbench, pattern: RegExp): Promise<void> {
  return step(wb, `waitForProblemGone(${pattern})`, async () => {
    await wb.problems();
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: pattern }).first().waitFor({ state: 'detached', timeout: WAIT_MS });
  });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Waits for a line matching `pattern` in the server-side log file of the output channel `channel` (a log
 * output channel writes `<channel>.log` under the server's logs folder) and returns the match.
 */
export async function waitForOutputChannelLine(server: CodeServer, channel: string, pattern: RegExp, timeoutMs = WAIT_MS): Promise<RegExpMatchArray> {
  const logsDir = join(server.userDataDir, 'logs');
  const deadline = Date.now() + timeoutMs;
  let files: string[] = [];
  while (Date.now() < deadline) {
    files = filesUnder(logsDir).filter((file) => file.endsWith(`${channel}.log`));
    for (const file of files) {
      const match = readFileSync(file, 'utf8').match(pattern);
      if (match) return match;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no line matching ${pattern} in the "${channel}" output log within ${timeoutMs} ms (files: ${files.join(', ') || `none under ${logsDir}`})`);
}
