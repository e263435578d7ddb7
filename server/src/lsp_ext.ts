// Every custom LSP request and notification of Django Postgres, declared once and typed.
// The client and the server both import this file, so a change to a request shape is a compile error
// on both sides.
import { RequestType } from 'vscode-languageserver-protocol';
import type { ResolvedDatabase } from './model/resolved';

export interface DatabasesParams {
  /** A settings file, or undefined for the workspace's settings files (first found first). */
  uri?: string;
}

export interface DatabasesResult {
  /** Settings files that define DATABASES, as URIs. */
  settingsFiles: string[];
  databases: ResolvedDatabase[];
}

/** The DATABASES entries of a settings file (or of the workspace), resolved through the environment and .env. */
export const databases = new RequestType<DatabasesParams, DatabasesResult, void>('djangoPostgres/databases');
