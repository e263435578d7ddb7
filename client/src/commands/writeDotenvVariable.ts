// djangoPostgres.writeDotenvVariable [documentUri, name, value, target?]: used by the quick fixes that
// move a hard-coded password out of settings.py and percent-encode a DATABASE_URL. Writes NAME=value
// into the .env the project reads (target: the file and reader the language server found in the
// settings), quoted so that reader reads it back unchanged, and keeps .env out of git; the
// notification names the variable and the file, never the value.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { ensureGitignored, projectDotenvFile, writeDotenvVariable as writeVariable } from '../../../server/src/project/dotenv';
import { PYTHON_DOTENV, type DotenvReaderKind, type DotenvTarget } from '../../../server/src/project/dotenvReaders';
import type { ExtensionServices } from '../services';
import { gitignoreFolder, gitignoreNote } from './createDatabaseFlow';

const TITLE = 'Save to .env';

/** Resolves to the .env file written, or undefined when nothing was written (the user was told why). */
export async function writeDotenvVariable(services: ExtensionServices, documentUri: unknown, name: unknown, value: unknown, target?: unknown): Promise<string | undefined> {
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
  const written = isDotenvTarget(target) ? target : { file: projectDotenvFile(document.fsPath, folder, existsSync), reader: PYTHON_DOTENV };
  const dotenvFile = written.file;
  try {
    writeVariable(dotenvFile, name, value, written.reader);
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

const READER_KINDS: readonly DotenvReaderKind[] = ['python-dotenv', 'django-environ', 'decouple', 'compose'];

function isDotenvTarget(value: unknown): value is DotenvTarget {
  const target = value as DotenvTarget | undefined;
  return typeof target?.file === 'string' && READER_KINDS.includes(target.reader?.kind);
}
