// "Generate PgBouncer config": writes pgbouncer.ini and userlist.txt (a SCRAM-SHA-256 verifier, never the
// password) for one DATABASES alias, then shows the settings changes the pooler implies as a diff the
// user may apply. The language server writes the Python edits; this file never parses Python.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { pgbouncerSettingsEdits } from '../../../server/src/lsp_ext';
import { generatePgBouncerConfig, type GeneratedPgBouncerConfig, type GeneratedPoolMode } from '../../../server/src/pgbouncer/generate';
import type { ResolvedDatabase } from './createDatabaseFlow';
import { ensureLocalTrustedWorkspace, pickDatabase, settingsLabel } from './pickDatabase';

const TITLE = 'Generate PgBouncer config';
const DEFAULT_FOLDER = path.join('deploy', 'pgbouncer');
const PROPOSED_SCHEME = 'django-postgres-proposed';
const APPLY = 'Apply settings changes';
const COPY_SQL = 'Copy ALTER ROLE statement';

const POOL_MODES: { mode: GeneratedPoolMode; label: string; detail: string }[] = [
  { mode: 'session', label: 'session', detail: 'Default. A server connection per client connection: everything Django does works.' },
  { mode: 'transaction', label: 'transaction', detail: 'A server connection per transaction: far fewer server connections; Django needs DISABLE_SERVER_SIDE_CURSORS and no session state (SET, advisory locks, LISTEN).' },
];

/** Proposed settings texts, served read-only to the diff editor. */
const proposedTexts = new Map<string, string>();
let providerRegistered = false;

function registerProposedProvider(services: ExtensionServices): void {
  if (providerRegistered) return;
  providerRegistered = true;
  services.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
    provideTextDocumentContent: (uri) => proposedTexts.get(uri.toString()) ?? '',
  }));
}

export async function generatePgBouncerConfigCommand(services: ExtensionServices, rawArgs?: unknown): Promise<void> {
  if (!(await ensureLocalTrustedWorkspace(TITLE, 'writes files built from your settings and reads their password to derive a SCRAM secret.'))) return;
  try {
    await generateTrusted(services, rawArgs);
  } catch (error) {
    // Messages of the generator and the server name variables and keys, never values.
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`${TITLE}: ${message}`);
    void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
  }
}

async function generateTrusted(services: ExtensionServices, rawArgs: unknown): Promise<void> {
  const wanted = typeof rawArgs === 'string' ? { alias: rawArgs } : undefined;
  const db = await pickDatabase(services, TITLE, wanted);
  if (!db) return;
  const poolMode = await pickPoolMode();
  if (!poolMode) return;
  const folder = await pickFolder(db);
  if (!folder) return;

  const generated = generatePgBouncerConfig(db, { poolMode });
  const files = { ini: path.join(folder, 'pgbouncer.ini'), userlist: path.join(folder, 'userlist.txt') };
  if (!(await confirmOverwrite(Object.values(files)))) return;
  mkdirSync(folder, { recursive: true });
  writeFileSync(files.ini, generated.ini);
  // The verifier is not the password, but it lets anyone log in to PgBouncer as this user: owner-only.
  writeFileSync(files.userlist, generated.userlist, { mode: 0o600 });
  services.log.info(`${TITLE}: wrote ${vscode.workspace.asRelativePath(files.ini)} and ${vscode.workspace.asRelativePath(files.userlist)} for alias "${db.alias}" of ${settingsLabel(db)} (pool_mode = ${poolMode})`);
  await vscode.window.showTextDocument(vscode.Uri.file(files.ini), { preview: false });

  await proposeSettingsChanges(services, db, generated);
  if (generated.serverSql.length > 0) void offerServerSql(generated);
}

async function pickPoolMode(): Promise<GeneratedPoolMode | undefined> {
  const picked = await vscode.window.showQuickPick(POOL_MODES, {
    title: `${TITLE}: pool mode`,
    placeHolder: 'How PgBouncer shares server connections (statement mode is not offered: it breaks Django transactions)',
  });
  return picked?.mode;
}

async function pickFolder(db: ResolvedDatabase): Promise<string | undefined> {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(db.settingsFile)) ?? vscode.workspace.workspaceFolders?.[0];
  const root = workspaceFolder?.uri.fsPath ?? path.dirname(db.settingsFile);
  const answer = await vscode.window.showInputBox({
    title: `${TITLE}: folder`,
    prompt: `Folder for pgbouncer.ini and userlist.txt, relative to ${workspaceFolder?.name ?? root}`,
    value: DEFAULT_FOLDER,
    validateInput: (value) => (value.trim() === '' ? 'Name a folder, e.g. deploy/pgbouncer' : undefined),
  });
  return answer === undefined ? undefined : path.resolve(root, answer.trim());
}

async function confirmOverwrite(files: string[]): Promise<boolean> {
  const existing = files.filter((file) => existsSync(file));
  if (existing.length === 0) return true;
  const overwrite = 'Overwrite';
  const answer = await vscode.window.showWarningMessage(
    `${existing.map((file) => vscode.workspace.asRelativePath(file)).join(' and ')} already exist${existing.length === 1 ? 's' : ''}. Replace?`,
    { modal: true }, overwrite);
  return answer === overwrite;
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The document's text with the edits applied (they do not overlap; later ones first keeps offsets valid). */
function applyToText(document: vscode.TextDocument, edits: vscode.TextEdit[]): string {
  const text = document.getText();
  return edits
    .map((edit) => ({ from: document.offsetAt(edit.range.start), to: document.offsetAt(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.from - a.from)
    .reduce((acc, edit) => acc.slice(0, edit.from) + edit.newText + acc.slice(edit.to), text);
}

async function proposeSettingsChanges(services: ExtensionServices, db: ResolvedDatabase, generated: GeneratedPgBouncerConfig): Promise<void> {
  if (generated.djangoChanges.length === 0) return;
  const settingsUri = vscode.Uri.file(db.settingsFile);
  // Opening first makes the server see the editor's text, so the edits fit the version shown.
  const document = await vscode.workspace.openTextDocument(settingsUri);
  const version = document.version;
  const result = await services.client.sendRequest(pgbouncerSettingsEdits, { uri: settingsUri.toString(), alias: db.alias, changes: generated.djangoChanges });
  for (const note of result.notes) services.log.warn(`${TITLE}: ${note}`);
  const summary = generated.djangoChanges.map((change) => `${change.key} → ${change.to ?? '(removed)'}: ${change.why}`);
  for (const line of summary) services.log.info(`${TITLE}: settings change ${line}`);
  if (result.edits.length === 0) {
    void vscode.window.showWarningMessage(`${TITLE}: could not express the settings changes in ${settingsLabel(db)}; they are listed in the Django Postgres output.`);
    return;
  }
  const edits = result.edits.map((edit) => new vscode.TextEdit(toRange(edit.range), edit.newText));

  registerProposedProvider(services);
  const proposedUri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: db.settingsFile, query: `alias=${encodeURIComponent(db.alias)}` });
  proposedTexts.set(proposedUri.toString(), applyToText(document, edits));
  await vscode.commands.executeCommand('vscode.diff', settingsUri, proposedUri, `${path.basename(db.settingsFile)} ↔ behind PgBouncer (${db.alias})`);

  const answer = await vscode.window.showInformationMessage(
    `${TITLE}: wrote pgbouncer.ini and userlist.txt. Apply the settings changes shown in the diff to ${settingsLabel(db)}?`, APPLY);
  proposedTexts.delete(proposedUri.toString());
  if (answer !== APPLY) return;
  if (document.version !== version) {
    void vscode.window.showWarningMessage(`${TITLE}: ${settingsLabel(db)} changed since the diff was made; run the command again.`);
    return;
  }
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.set(settingsUri, edits);
  if (await vscode.workspace.applyEdit(workspaceEdit)) await vscode.window.showTextDocument(document);
}

/** PgBouncer logs in to PostgreSQL with the userlist's verifier only if the server stores the same one. */
async function offerServerSql(generated: GeneratedPgBouncerConfig): Promise<void> {
  const answer = await vscode.window.showInformationMessage(
    'userlist.txt holds a new SCRAM secret. PgBouncer can log in to PostgreSQL with it only once the role stores the same secret: run the ALTER ROLE statement (it holds no password) as a superuser or the role itself.',
    COPY_SQL);
  if (answer === COPY_SQL) await vscode.env.clipboard.writeText(generated.serverSql.join('\n'));
}
