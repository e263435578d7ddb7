// Every custom LSP request and notification of Django Postgres, declared once and typed.
// The client and the server both import this file, so a change to a request shape is a compile error
// on both sides.
import { RequestType } from 'vscode-languageserver-protocol';
import type { ResolvedDatabase } from './model/resolved';
import type { TextEdit } from 'vscode-languageserver-protocol';
import type { DjangoChange } from './pgbouncer/generate';

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

export interface PgBouncerEditsParams {
  /** The settings file to change. */
  uri: string;
  alias: string;
  /** What generatePgBouncerConfig said Django should change. */
  changes: DjangoChange[];
}

export interface PgBouncerEditsResult {
  edits: TextEdit[];
  /** Changes that need the user's own judgement (the alias is built in code we do not follow). */
  notes: string[];
}

/** Text edits of a settings file that point one alias at PgBouncer (the changes generatePgBouncerConfig lists). */
export const pgbouncerSettingsEdits = new RequestType<PgBouncerEditsParams, PgBouncerEditsResult, void>('djangoPostgres/pgbouncerSettingsEdits');

export interface ManageEnvironmentParams {
  /** The manage.py that will run, as a URI. */
  managePy: string;
  /** DJANGO_SETTINGS_MODULE when the user picked one; undefined keeps manage.py's default. */
  settingsModule?: string;
}

export interface ManageEnvironmentResult {
  /** Variables to hand manage.py's process: the .env values, read as the project's reader reads them. */
  variables: Record<string, string>;
  /** The .env files read, in order. */
  files: string[];
  /** The settings (or manage.py) load these files themselves: nothing needs handing over. */
  loadedByProject: boolean;
}

/** What the .env gives a manage.py run, so Run migrate's terminal gets the values Django would read. */
export const manageEnvironment = new RequestType<ManageEnvironmentParams, ManageEnvironmentResult, void>('djangoPostgres/manageEnvironment');

export interface ToggleSqlLoggingParams {
  /** The settings module to change. */
  uri: string;
}

export interface ToggleSqlLoggingResult {
  /** Whether the module logs SQL (while DEBUG is on) after the edit. */
  enabled: boolean;
  edits: TextEdit[];
}

/** The edit that adds the SQL logging block to a settings module, or removes it when it is there. */
export const toggleSqlLogging = new RequestType<ToggleSqlLoggingParams, ToggleSqlLoggingResult, void>('djangoPostgres/toggleSqlLogging');

export interface PostgresSettingsParams {
  /** The text of a settings.py that `django-admin startproject` just wrote. */
  text: string;
}

/** The same settings.py reading DATABASES from the environment and loading .env (New Django Project). */
export const postgresSettings = new RequestType<PostgresSettingsParams, { text: string }, void>('djangoPostgres/postgresSettings');
