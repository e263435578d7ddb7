// "Test Connection" (also the status-bar item): connect with the alias' effective settings and say what
// the app will meet, or why it cannot connect and what to do.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { Suggestion } from '../../../server/src/postgres/advice';
import type { ResolvedDatabase } from './createDatabaseFlow';
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

  // Where the project says where the server really is (a compose port, a service name), offer to use it.
  const suggestions = (result.suggestions ?? []).filter((s) => s.host !== undefined).slice(0, 2);
  const buttons = [...(outcome.offerCreate ? [CREATE_DATABASE_BUTTON] : []), ...suggestions.map((s) => s.title), SHOW_LOG_BUTTON];
  const notify = outcome.severity === 'info' ? vscode.window.showInformationMessage
    : outcome.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  // Not awaited: the command finishes when the test does, the notification stays for the user.
  void Promise.resolve(notify(outcome.message, ...buttons)).then((answer) => {
    if (answer === SHOW_LOG_BUTTON) services.log.show(true);
    if (answer === CREATE_DATABASE_BUTTON) void vscode.commands.executeCommand('djangoPostgres.createDatabase', { alias: db.alias, settingsFile: db.settingsFile });
    const suggestion = suggestions.find((s) => s.title === answer);
    if (suggestion) void useHostSuggestion(db, suggestion);
  });
  return result.ok;
}

/**
 * Point the alias at the suggested host and port. When the settings read them from environment variables,
 * the values go into the project's .env (then Test Connection runs again); otherwise the settings file holds
 * them and the user edits it: we say exactly what to write.
 */
async function useHostSuggestion(db: ResolvedDatabase, suggestion: Suggestion): Promise<void> {
  const hostVariable = db.host.variable;
  const portVariable = db.port.variable;
  if (!hostVariable || (suggestion.port !== undefined && !portVariable)) {
    const wanted = `HOST ${JSON.stringify(suggestion.host)}${suggestion.port !== undefined ? ` and PORT ${JSON.stringify(String(suggestion.port))}` : ''}`;
    void vscode.window.showInformationMessage(`Set ${wanted} for alias "${db.alias}" in ${settingsLabel(db)}: they are written there, not read from the environment.`);
    return;
  }
  const settingsUri = vscode.Uri.file(db.settingsFile).toString();
  if (!(await vscode.commands.executeCommand('djangoPostgres.writeDotenvVariable', settingsUri, hostVariable, suggestion.host ?? ''))) return;
  if (suggestion.port !== undefined && portVariable) await vscode.commands.executeCommand('djangoPostgres.writeDotenvVariable', settingsUri, portVariable, String(suggestion.port));
  await vscode.commands.executeCommand('djangoPostgres.testConnection', { alias: db.alias, settingsFile: db.settingsFile });
}
