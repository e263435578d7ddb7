// Shared by the commands that connect to PostgreSQL: the "local, trusted folder" guard and the
// DATABASES alias picker (the language server resolves the entries; the client never reads Python).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { readConfig } from '../config';
import { databases } from '../../../server/src/lsp_ext';
import type { ResolvedDatabase } from './createDatabaseFlow';

const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * True when the command may go on. A virtual workspace has no local files (.env, sockets) to work with;
 * an untrusted one may name any host in its settings, and connecting sends credentials there.
 */
export async function ensureLocalTrustedWorkspace(commandTitle: string, why: string): Promise<boolean> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0 || folders.some((folder) => folder.uri.scheme !== 'file')) {
    void vscode.window.showErrorMessage(`${commandTitle} needs a Django project in a local folder: open the folder with File > Open Folder (virtual and remote-repository workspaces are not supported).`);
    return false;
  }
  if (vscode.workspace.isTrusted) return true;
  const answer = await vscode.window.showWarningMessage(`${commandTitle} ${why} Django Postgres does this only in a trusted workspace.`, MANAGE_TRUST);
  if (answer === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

export const POSTGRES_ENGINES = /postgresql|postgis|psycopg2/;

function isPostgres(db: ResolvedDatabase): boolean {
  // A computed or missing ENGINE may still be PostgreSQL: let the user try.
  return typeof db.engine.value !== 'string' || db.engine.source === 'computed' || POSTGRES_ENGINES.test(db.engine.value);
}

/** Label of a settings file for messages: relative to its workspace folder. */
export function settingsLabel(db: ResolvedDatabase): string {
  return vscode.workspace.asRelativePath(db.settingsFile, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/**
 * The alias to work on: `wanted` when given (an alias, optionally with its settings file), else the only
 * PostgreSQL alias, else a QuickPick with djangoPostgres.defaultAlias first. undefined when cancelled
 * or when there is none (the user was told).
 */
export async function pickDatabase(
  services: ExtensionServices, commandTitle: string, wanted?: { alias?: string; settingsFile?: string },
): Promise<ResolvedDatabase | undefined> {
  let all: ResolvedDatabase[];
  try {
    all = (await services.client.sendRequest(databases, {})).databases.filter(isPostgres);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`${commandTitle}: the language server could not list DATABASES: ${message}`);
    void vscode.window.showErrorMessage(`${commandTitle}: could not read DATABASES from the settings (${message}).`);
    return undefined;
  }
  if (all.length === 0) {
    void vscode.window.showErrorMessage(`${commandTitle}: no PostgreSQL entry in DATABASES of this workspace's settings files (ENGINE django.db.backends.postgresql).`);
    return undefined;
  }
  const matching = all.filter((db) => (!wanted?.alias || db.alias === wanted.alias)
    && (!wanted?.settingsFile || path.resolve(db.settingsFile) === path.resolve(wanted.settingsFile)));
  if (wanted?.alias && matching.length === 1) return matching[0];
  const candidates = matching.length > 0 ? matching : all;
  if (candidates.length === 1) return candidates[0];

  const preferred = readConfig().defaultAlias;
  const ordered = [...candidates].sort((a, b) => Number(b.alias === preferred) - Number(a.alias === preferred));
  const bySettings = new Set(candidates.map((db) => db.settingsFile)).size > 1;
  const picked = await vscode.window.showQuickPick(ordered.map((db) => ({
    label: db.alias,
    description: [db.alias === preferred ? 'default alias' : undefined, bySettings ? settingsLabel(db) : undefined].filter(Boolean).join(' · '),
    detail: `${String(db.user.value ?? '')}@${String(db.host.value || 'local socket')}:${String(db.port.value || 5432)}/${String(db.name.value ?? '')}`,
    db,
  })), { title: `${commandTitle}: which DATABASES alias?`, placeHolder: `Alias of DATABASES (Enter for ${ordered[0].alias})` });
  return picked?.db;
}
