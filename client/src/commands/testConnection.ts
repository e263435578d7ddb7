// "Test Connection" (also the status-bar item): connect with the alias' effective settings and say what
// the app will meet, or why it cannot connect and what to do.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { testConnection as connectAndInspect } from '../../../server/src/postgres/testConnection';
import { formatTestConnectionResult, testConnectionOutcome } from './createDatabaseFlow';
import { ensureLocalTrustedWorkspace, pickDatabase, settingsLabel } from './pickDatabase';
import { markWalkthroughStep } from '../walkthrough';

const TITLE = 'Test Connection';
export const CREATE_DATABASE_BUTTON = 'Create Postgres DB for Django';
export const SHOW_LOG_BUTTON = 'Show log';

export interface TestConnectionArgs {
  alias?: string;
  settingsFile?: string;
}

function argsOf(value: unknown): TestConnectionArgs | undefined {
  if (typeof value === 'string') return { alias: value };
  if (value && typeof value === 'object') {
    const { alias, settingsFile } = value as Record<string, unknown>;
    return { alias: typeof alias === 'string' ? alias : undefined, settingsFile: typeof settingsFile === 'string' ? settingsFile : undefined };
  }
  return undefined;
}

/** Runs the command; resolves to whether the connection worked (undefined when it did not run). */
export async function testConnection(services: ExtensionServices, rawArgs?: unknown): Promise<boolean | undefined> {
  if (!(await ensureLocalTrustedWorkspace(TITLE, 'connects to the server named in your settings, with their password.'))) return undefined;
  const args = argsOf(rawArgs);
  const db = await pickDatabase(services, TITLE, args);
  if (!db) return undefined;

  services.statusBar.setAlias(db.alias);
  services.statusBar.set({ kind: 'testing' });
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Testing the connection of alias "${db.alias}"…` },
    () => connectAndInspect(db, { env: process.env }),
  );
  const outcome = testConnectionOutcome(db.alias, result);
  services.statusBar.set(outcome.status);
  if (result.ok) markWalkthroughStep('connected');
  // The result texts are masked by the Postgres module; the password itself is never part of them.
  services.log.info(`${TITLE}: alias "${db.alias}" of ${settingsLabel(db)}`);
  for (const line of formatTestConnectionResult(result)) (result.ok ? services.log.info : services.log.warn).call(services.log, line);

  const buttons = [...(outcome.offerCreate ? [CREATE_DATABASE_BUTTON] : []), SHOW_LOG_BUTTON];
  const notify = outcome.severity === 'info' ? vscode.window.showInformationMessage
    : outcome.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  // Not awaited: the command finishes when the test does, the notification stays for the user.
  void Promise.resolve(notify(outcome.message, ...buttons)).then((answer) => {
    if (answer === SHOW_LOG_BUTTON) services.log.show(true);
    if (answer === CREATE_DATABASE_BUTTON) void vscode.commands.executeCommand('djangoPostgres.createDatabase', { alias: db.alias, settingsFile: db.settingsFile });
  });
  return result.ok;
}
