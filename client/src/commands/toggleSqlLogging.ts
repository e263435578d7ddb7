// "Toggle SQL Logging": adds the block that logs every SQL query while DEBUG is on to a settings module,
// or removes it. The language server computes the edit (the client never parses Python).
import * as vscode from 'vscode';
import * as ext from '../../../server/src/lsp_ext';
import type { ExtensionServices } from '../services';

const TITLE = 'Toggle SQL Logging';

/** The settings module to change: the one in the editor, else the workspace's (asked when several). */
async function settingsModule(services: ExtensionServices, given: unknown): Promise<vscode.Uri | undefined> {
  if (given instanceof vscode.Uri) return given;
  const active = vscode.window.activeTextEditor?.document;
  const { settingsFiles } = await services.client.sendRequest(ext.databases, {});
  if (active?.languageId === 'python' && (settingsFiles.includes(active.uri.toString()) || /settings/.test(active.uri.path))) return active.uri;
  if (settingsFiles.length <= 1) return settingsFiles[0] ? vscode.Uri.parse(settingsFiles[0]) : undefined;
  const picked = await vscode.window.showQuickPick(settingsFiles.map((uri) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)), uri })), {
    title: TITLE, placeHolder: 'Settings module to log SQL from (pick your development settings)',
  });
  return picked && vscode.Uri.parse(picked.uri);
}

export async function toggleSqlLogging(services: ExtensionServices, given?: unknown): Promise<boolean | undefined> {
  const uri = await settingsModule(services, given);
  if (!uri) {
    void vscode.window.showWarningMessage(`${TITLE}: no Django settings module found. Open your settings file and run the command again.`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const result = await services.client.sendRequest(ext.toggleSqlLogging, { uri: uri.toString() });
  const edit = new vscode.WorkspaceEdit();
  for (const e of result.edits) edit.replace(uri, services.client.protocol2CodeConverter.asRange(e.range), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) return undefined;
  await vscode.window.showTextDocument(document, { preview: false });
  const name = vscode.workspace.asRelativePath(uri);
  void vscode.window.showInformationMessage(result.enabled
    ? `SQL logging is on in ${name} while DEBUG is True: runserver's console shows every query Django runs.`
    : `SQL logging removed from ${name}.`);
  return result.enabled;
}
