// Every djangoPostgres.* setting the client reads, typed, in one place (the server reads its own
// section through workspace/configuration).
import * as vscode from 'vscode';

export interface ClientConfig {
  /** Overrides the interpreter chosen for manage.py (e.g. "uv run python"). Restricted in untrusted workspaces. */
  pythonCommand: string;
  /** Globs of the files treated as settings files (also where "Insert DATABASES block" looks). */
  settingsGlobs: string[];
  /** Alias used by Test Connection and the status bar. */
  defaultAlias: string;
  /** Show the connection state in the status bar. */
  statusBar: boolean;
  /** Log level of the Django Postgres output channel is VS Code's own; this traces LSP traffic. */
  traceServer: 'off' | 'messages' | 'verbose';
}

export function readConfig(scope?: vscode.ConfigurationScope): ClientConfig {
  const section = vscode.workspace.getConfiguration('djangoPostgres', scope);
  return {
    pythonCommand: section.get<string>('pythonCommand', '').trim(),
    settingsGlobs: section.get<string[]>('settingsGlobs', ['**/settings.py', '**/settings/*.py']),
    defaultAlias: section.get<string>('defaultAlias', 'default') || 'default',
    statusBar: section.get<boolean>('statusBar.enable', true),
    traceServer: section.get<'off' | 'messages' | 'verbose'>('trace.server', 'off'),
  };
}

/** The server's part of the settings, sent at start (the server pulls later changes). */
export function serverSettingsSection(): unknown {
  const section = vscode.workspace.getConfiguration('djangoPostgres');
  return {
    settingsGlobs: section.get('settingsGlobs'),
    targetLibpqVersion: section.get('targetLibpqVersion'),
    // Where it names a venv's interpreter, the server reads that venv's Django, psycopg and libpq.
    pythonCommand: section.get('pythonCommand'),
    diagnostics: section.get('diagnostics'),
  };
}
