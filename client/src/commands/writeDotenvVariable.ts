// djangoPostgres.writeDotenvVariable [documentUri, name, value]: used by the quick fix that moves a
// hard-coded password out of settings.py. Writes NAME=value into the project's .env and keeps .env out
// of git; the notification names the variable and the file, never the value.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { ensureGitignored, projectDotenvFile, writeDotenvVariable as writeVariable } from '../../../server/src/project/dotenv';
import type { ExtensionServices } from '../services';
import { gitignoreFolder, gitignoreNote } from './createDatabaseFlow';

const TITLE = 'Save to .env';

/** Resolves to the .env file written, or undefined when nothing was written (the user was told why). */
export async function writeDotenvVariable(services: ExtensionServices, documentUri: unknown, name: unknown, value: unknown): Promise<string | undefined> {
  if (typeof documentUri !== 'string' || typeof name !== 'string' || typeof value !== 'string') {
    services.log.error(`${TITLE}: expected the arguments [documentUri, name, value] as strings.`);
    void vscode.window.showErrorMessage(`${TITLE}: this command is run by a quick fix in settings.py.`);
    return undefined;
  }
  const document = vscode.Uri.parse(documentUri);
  if (document.scheme !== 'file') {
    void vscode.window.showErrorMessage(`${TITLE}: ${name} can only be written to the .env of a project in a local folder.`);
    return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(document)?.uri.fsPath;
  const dotenvFile = projectDotenvFile(document.fsPath, folder, existsSync);
  try {
    writeVariable(dotenvFile, name, value);
    const gitignore = ensureGitignored(gitignoreFolder(dotenvFile, folder, existsSync), '.env');
    const message = `Saved ${name} in ${vscode.workspace.asRelativePath(dotenvFile)}; ${gitignoreNote(gitignore)}`;
    services.log.info(`${TITLE}: ${message}`);
    void vscode.window.showInformationMessage(message);
    return dotenvFile;
  } catch (error) {
    // dotenv.ts's messages name the variable only; never echo the value.
    const reason = error instanceof Error ? error.message.split(value).join('********') : 'unknown error';
    services.log.error(`${TITLE}: could not write ${name} to ${dotenvFile}: ${reason}`);
    void vscode.window.showErrorMessage(`${TITLE}: could not write ${name} to ${vscode.workspace.asRelativePath(dotenvFile)}: ${reason}`);
    return undefined;
  }
}
