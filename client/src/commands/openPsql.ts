// "Open psql": psql in an integrated terminal on a DATABASES alias, with the settings Django connects with.
// The values travel in libpq's environment variables (the password in PGPASSWORD), so nothing secret is
// typed or shown. Without psql, Django's own `manage.py dbshell`; without either, the install line.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { planPsql, psqlInstallHint } from '../../../server/src/postgres/psql';
import { ensureLocalTrustedWorkspace, pickDatabase } from './pickDatabase';
import { runMigrate } from './runMigrate';
import { findExecutable } from '../executables';

const TITLE = 'Open psql';

function argsOf(value: unknown): { alias?: string; settingsFile?: string } | undefined {
  if (typeof value === 'string') return { alias: value };
  if (!value || typeof value !== 'object') return undefined;
  const { alias, settingsFile } = value as Record<string, unknown>;
  return { alias: typeof alias === 'string' ? alias : undefined, settingsFile: typeof settingsFile === 'string' ? settingsFile : undefined };
}

export async function openPsql(services: ExtensionServices, rawArgs?: unknown): Promise<vscode.Terminal | undefined> {
  if (!(await ensureLocalTrustedWorkspace(TITLE, 'connects to the server named in your settings, with their password.'))) return undefined;
  const db = await pickDatabase(services, TITLE, argsOf(rawArgs));
  if (!db) return undefined;
  const plan = planPsql(db, { env: process.env });
  if (plan.problems.length) {
    void vscode.window.showErrorMessage(`${TITLE}: alias "${db.alias}" cannot be opened: ${plan.problems.join('; ')}.`);
    return undefined;
  }
  const psql = findExecutable('psql');
  if (!psql) {
    const managePy = (await vscode.workspace.findFiles('**/manage.py', '**/{.venv,venv,node_modules}/**', 1))[0];
    if (managePy) {
      void vscode.window.showWarningMessage(`psql is not on VS Code's PATH: opening \`manage.py dbshell\` instead (it needs psql on the terminal's PATH). To install psql: ${psqlInstallHint()}`);
      await runMigrate(services, 'dbshell');
      return undefined;
    }
    void vscode.window.showErrorMessage(`${TITLE}: psql is not installed and there is no manage.py for \`dbshell\`. Install psql: ${psqlInstallHint()}`);
    return undefined;
  }
  services.log.info(`${TITLE}: alias "${db.alias}" as ${plan.target} (${psql}); connection values in the terminal's environment, the password in PGPASSWORD.`);
  for (const note of plan.notes) services.log.info(`${TITLE}: ${note}`);
  const terminal = vscode.window.createTerminal({
    name: `psql: ${db.alias}`,
    shellPath: psql,
    shellArgs: plan.args,
    env: plan.env,
    cwd: path.dirname(db.settingsFile),
    iconPath: new vscode.ThemeIcon('database'),
  });
  terminal.show();
  return terminal;
}
