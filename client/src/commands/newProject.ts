// "New Django Project on PostgreSQL": in the open (empty) folder, create a Django project with uv when it
// is installed, else a .venv with pip; write DATABASES reading the environment, a .env with generated
// credentials (kept out of git), then offer Create Postgres DB for Django. Never overwrites a file.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import * as ext from '../../../server/src/lsp_ext';
import { ensureGitignored, readDotenv, writeDotenvVariable } from '../../../server/src/project/dotenv';
import {
  existingConflicts, planNewProject, projectDotenv, projectNameProblem, suggestedProjectName, type NewProjectStep,
} from '../../../server/src/project/newProject';
import { findExecutable } from '../executables';
import { markWalkthroughStep } from '../walkthrough';

const TITLE = 'New Django Project on PostgreSQL';
export const CREATE_DATABASE_BUTTON = 'Create Postgres DB for Django';

function runStep(services: ExtensionServices, step: NewProjectStep): Promise<void> {
  services.log.info(`${TITLE}: ${step.argv.join(' ')}  (in ${step.cwd})`);
  return new Promise((resolve, reject) => {
    execFile(step.argv[0], step.argv.slice(1), { cwd: step.cwd, timeout: 600_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      for (const line of `${stdout}${stderr}`.split('\n').filter(Boolean)) services.log.info(`  ${line}`);
      if (!error) return resolve();
      const detail = `${stderr || stdout}`.trim().split('\n').slice(-3).join(' / ') || error.message;
      reject(new Error(`${step.title} failed: ${detail}`));
    });
  });
}

export async function newProject(services: ExtensionServices): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    const open = 'Open Folder';
    if (await vscode.window.showInformationMessage(`${TITLE}: open the (empty) folder for the project first.`, open) === open) {
      await vscode.commands.executeCommand('vscode.openFolder');
    }
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    if (await vscode.window.showWarningMessage(`${TITLE} installs packages and runs Django in this folder, so it runs only in a trusted workspace.`, manage) === manage) {
      await vscode.commands.executeCommand('workbench.trust.manage');
    }
    return undefined;
  }
  const dir = folder.uri.fsPath;
  const name = await vscode.window.showInputBox({
    title: TITLE,
    prompt: 'Project name: the Python package that holds settings.py',
    value: suggestedProjectName(dir),
    validateInput: (value) => projectNameProblem(value.trim()) ?? (existingConflicts(dir, value.trim()).length ? `${existingConflicts(dir, value.trim()).join(' and ')} already exist here` : undefined),
  });
  if (!name) return undefined;
  const projectName = name.trim();
  const conflicts = existingConflicts(dir, projectName);
  if (conflicts.length) {
    void vscode.window.showErrorMessage(`${TITLE}: ${conflicts.join(' and ')} already exist in ${dir}; nothing was changed.`);
    return undefined;
  }
  const tool = findExecutable('uv') ? 'uv' : 'pip';
  const plan = planNewProject(dir, projectName, tool);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating Django project "${projectName}" (${tool})` }, async (progress) => {
      for (const step of plan.steps) {
        progress.report({ message: step.title });
        await runStep(services, step);
      }
      // The language server rewrites the settings: the client never parses Python.
      const { text } = await services.client.sendRequest(ext.postgresSettings, { text: readFileSync(plan.settingsFile, 'utf8') });
      writeFileSync(plan.settingsFile, text);
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`${TITLE}: ${message}`);
    void vscode.window.showErrorMessage(`${TITLE}: ${message}`, 'Show log').then((a) => { if (a) services.log.show(true); });
    return undefined;
  }
  // An existing .env keeps its values: only the missing variables are added.
  const dotenvFile = vscode.Uri.joinPath(folder.uri, '.env').fsPath;
  const existing = existsSync(dotenvFile) ? readDotenv(dotenvFile) ?? {} : {};
  for (const [variable, value] of projectDotenv(projectName)) if (!(variable in existing)) writeDotenvVariable(dotenvFile, variable, value);
  ensureGitignored(dir, '.env');
  if (tool === 'pip') ensureGitignored(dir, '.venv');
  services.log.info(`${TITLE}: ${plan.settingsFile} reads DATABASES from the environment; .env holds the values (generated password).`);
  markWalkthroughStep('newProject');
  await vscode.window.showTextDocument(vscode.Uri.file(plan.settingsFile), { preview: false });
  void Promise.resolve(vscode.window.showInformationMessage(
    `Django project "${projectName}" is ready (${tool}). Its settings read DATABASES from .env, which has a generated password. Create the PostgreSQL role and database now?`,
    CREATE_DATABASE_BUTTON,
  )).then((answer) => {
    if (answer === CREATE_DATABASE_BUTTON) void vscode.commands.executeCommand('djangoPostgres.createDatabase', { alias: 'default', settingsFile: plan.settingsFile });
  });
  return plan.settingsFile;
}
