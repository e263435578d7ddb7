// "Run migrate": runs a manage.py command of the user's Django project in an integrated terminal, with
// the project's own Python and its .env in the terminal's environment, and reports how it ended.
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { PythonExtension, PVSC_EXTENSION_ID } from '@vscode/python-extension';
import { readConfig } from '../config';
import type { ExtensionServices } from '../services';
import { databases, manageEnvironment, type ManageEnvironmentResult } from '../../../server/src/lsp_ext';
import {
  MANAGE_VARIANTS, describeManageOutcome, manageVariant, planManageRun, shellFlavorOf, shellLine,
  type ManageRunPlan, type ManageTarget, type ManageVariant, type ManageVariantId,
} from '../../../server/src/project/manageCommand';
import {
  choosePythonCommand, managePyForSettings, rankManagePy, settingsModuleName, type PythonCommand,
} from '../../../server/src/project/pythonCommand';
import { markWalkthroughStep } from '../walkthrough';

// The terminal shell-integration API is final since VS Code 1.93; these types describe the part we use
// so the command also loads (and falls back to sendText) on older versions.
interface ShellExecution { readonly cwd?: vscode.Uri }
interface TerminalShellIntegration { executeCommand(commandLine: string): ShellExecution }
interface ShellExecutionEndEvent { readonly terminal: vscode.Terminal; readonly execution: ShellExecution; readonly exitCode: number | undefined }
interface ShellIntegrationWindow {
  onDidChangeTerminalShellIntegration?: vscode.Event<{ terminal: vscode.Terminal; shellIntegration: TerminalShellIntegration }>;
  onDidEndTerminalShellExecution?: vscode.Event<ShellExecutionEndEvent>;
}
const shellWindow = vscode.window as typeof vscode.window & ShellIntegrationWindow;
const shellIntegrationOf = (terminal: vscode.Terminal) =>
  (terminal as vscode.Terminal & { shellIntegration?: TerminalShellIntegration }).shellIntegration;

/** How long a new terminal gets to announce shell integration before we type the command blind. */
const SHELL_INTEGRATION_WAIT_MS = 4000;

const EXCLUDED_DIRS = '**/{.venv,venv,env,node_modules,site-packages,dist-packages,.tox,.nox,.git,__pypackages__}/**';

export async function runMigrate(services: ExtensionServices, variantId?: ManageVariantId): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const answer = await vscode.window.showWarningMessage(
      "Run migrate runs your project's own code (manage.py, its settings and apps), so Django Postgres runs it only in a trusted workspace.",
      manage);
    if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  try {
    await runMigrateTrusted(services, variantId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`Run migrate: ${message}`);
    void vscode.window.showErrorMessage(`Run migrate: ${message}`);
  }
}

async function runMigrateTrusted(services: ExtensionServices, variantId: ManageVariantId | undefined): Promise<void> {
  const [manageUris, settingsUris] = await Promise.all([
    vscode.workspace.findFiles('**/manage.py', EXCLUDED_DIRS),
    vscode.workspace.findFiles('**/{settings.py,settings/*.py}', EXCLUDED_DIRS),
  ]);
  const settingsFiles = settingsUris.map((uri) => uri.fsPath).filter((file) => path.basename(file) !== '__init__.py');
  const managePy = await pickManagePy(rankManagePy(manageUris.map((uri) => uri.fsPath), settingsFiles));
  if (!managePy) return;
  const projectDir = path.dirname(managePy);
  const projectName = path.basename(projectDir);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(managePy));

  const variant = variantId ? manageVariant(variantId) : await pickVariant();
  if (!variant) return;
  const ownSettings = settingsFiles.filter((file) => managePyForSettings(file, [managePy]) === managePy);
  const settingsModule = await pickSettingsModule(managePy, ownSettings);
  if (settingsModule === null) return;
  const target = await pickTarget(services, variant, projectDir, ownSettings);
  if (!target) return;

  const python = choosePythonCommand(projectDir, {
    override: readConfig(vscode.Uri.file(managePy)).pythonCommand || undefined,
    pythonExtensionInterpreter: await selectedInterpreter(folder ?? vscode.Uri.file(projectDir)),
    workspaceRoot: folder?.uri.fsPath,
    fileExists: existsSync,
    readFile: (file) => { try { return readFileSync(file, 'utf8'); } catch { return undefined; } },
  });
  // The language server reads the .env as the project does (and says when the settings load it themselves).
  const environment = await services.client.sendRequest(manageEnvironment, { managePy: vscode.Uri.file(managePy).toString(), settingsModule });
  const plan = planManageRun({
    python, managePy, variant: variant.id, target,
    dotenv: environment.variables,
    settingsModule,
  });
  logPlan(services, plan, python, environment);
  await runInTerminal(plan, variant, projectName);
}

async function pickManagePy(ranked: string[]): Promise<string | undefined> {
  if (ranked.length === 0) {
    void vscode.window.showErrorMessage('Run migrate: no manage.py in this workspace. Open the folder of your Django project.');
    return undefined;
  }
  if (ranked.length === 1) return ranked[0];
  // The project of the file being edited comes first.
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const activeFirst = active
    ? [...ranked].sort((a, b) => Number(active.startsWith(path.dirname(b) + path.sep)) - Number(active.startsWith(path.dirname(a) + path.sep)))
    : ranked;
  const picked = await vscode.window.showQuickPick(activeFirst.map((file) => ({
    label: vscode.workspace.asRelativePath(file, true),
    description: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.name,
    file,
  })), { title: 'Run migrate: which Django project?', placeHolder: 'manage.py to run' });
  return picked?.file;
}

async function pickVariant(): Promise<ManageVariant | undefined> {
  const picked = await vscode.window.showQuickPick(MANAGE_VARIANTS.map((variant) => ({
    label: variant.label, detail: variant.description, variant,
  })), { title: 'Run migrate', placeHolder: 'What should manage.py do?' });
  return picked?.variant;
}

/** undefined keeps manage.py's default; null means the user cancelled. */
async function pickSettingsModule(managePy: string, settingsFiles: string[]): Promise<string | undefined | null> {
  const modules = settingsFiles.map((file) => settingsModuleName(managePy, file)).filter((m): m is string => m !== undefined).sort();
  if (modules.length <= 1) return undefined;
  const keep = { label: "manage.py's default", description: 'DJANGO_SETTINGS_MODULE as manage.py or your environment sets it', module: undefined };
  const picked = await vscode.window.showQuickPick(
    [keep, ...modules.map((module) => ({ label: module, description: 'DJANGO_SETTINGS_MODULE', module }))],
    { title: 'Run migrate: which settings?' });
  return picked ? picked.module : null;
}

async function pickTarget(services: ExtensionServices, variant: ManageVariant, projectDir: string, settingsFiles: string[]): Promise<ManageTarget | undefined> {
  const target: ManageTarget = {};
  if (variant.needs.includes('app')) {
    target.app = await pickApp(projectDir);
    if (!target.app) return undefined;
  }
  if (variant.needs.includes('alias')) {
    target.alias = await pickAlias(services, projectDir, settingsFiles);
    if (!target.alias) return undefined;
  }
  return target;
}

/** App labels: folders of the project that hold a migrations package. */
async function pickApp(projectDir: string): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(projectDir, '**/migrations/__init__.py'), EXCLUDED_DIRS);
  const apps = [...new Set(found.map((uri) => path.basename(path.dirname(path.dirname(uri.fsPath)))))].sort();
  if (apps.length > 0) return (await vscode.window.showQuickPick(apps, { title: 'Run migrate: which app?' })) ?? undefined;
  return vscode.window.showInputBox({
    title: 'Run migrate: app label', prompt: 'The label of the app to migrate',
    validateInput: (value) => (/^[A-Za-z_]\w*$/.test(value) ? undefined : 'An app label is a Python identifier'),
  });
}

/** DATABASES aliases from the language server, or typed in when it cannot say. */
async function pickAlias(services: ExtensionServices, projectDir: string, settingsFiles: string[]): Promise<string | undefined> {
  let aliases: string[] = [];
  try {
    const results = await Promise.all(settingsFiles.map((file) =>
      services.client.sendRequest(databases, { uri: vscode.Uri.file(file).toString() })));
    aliases = [...new Set(results.flatMap((result) => result.databases)
      .filter((db) => db.settingsFile.startsWith(projectDir + path.sep))
      .map((db) => db.alias))];
  } catch (error) {
    services.log.warn(`Run migrate: could not list DATABASES aliases: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (aliases.length === 1) return aliases[0];
  if (aliases.length > 1) return (await vscode.window.showQuickPick(aliases, { title: 'Run migrate: which database alias?' })) ?? undefined;
  return vscode.window.showInputBox({
    title: 'Run migrate: DATABASES alias', value: 'default',
    validateInput: (value) => (value !== '' && !value.startsWith('-') ? undefined : 'A key of DATABASES, such as default'),
  });
}

/** The interpreter selected in the Python extension for this folder, when that extension is installed. */
async function selectedInterpreter(resource: vscode.WorkspaceFolder | vscode.Uri): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
    return environment?.executable.uri?.fsPath;
  } catch {
    return undefined;
  }
}

function logPlan(services: ExtensionServices, plan: ManageRunPlan, python: PythonCommand, environment: ManageEnvironmentResult): void {
  services.log.info(`Run migrate: ${plan.argv.join(' ')} in ${plan.cwd} (Python: ${python.reason})`);
  if (environment.loadedByProject) services.log.info(`Run migrate: the project's code loads ${environment.files.join(', ') || 'its .env'} itself; the terminal gets no .env values`);
  // Names only: values (passwords among them) stay out of the log.
  const names = Object.keys(plan.env);
  const files = environment.files.length > 0 ? ` (from ${environment.files.join(', ')})` : '';
  if (names.length > 0) services.log.info(`Run migrate: terminal environment sets ${names.join(', ')}${files}`);
}

function waitForShellIntegration(terminal: vscode.Terminal): Promise<TerminalShellIntegration | undefined> {
  const ready = shellIntegrationOf(terminal);
  if (ready || !shellWindow.onDidChangeTerminalShellIntegration) return Promise.resolve(ready);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { subscription.dispose(); resolve(undefined); }, SHELL_INTEGRATION_WAIT_MS);
    const subscription = shellWindow.onDidChangeTerminalShellIntegration!((event) => {
      if (event.terminal !== terminal) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(event.shellIntegration);
    });
  });
}

/** The exit code of one execution (undefined when the shell cannot tell), or 'closed' when the user closed the terminal first. */
function waitForExit(terminal: vscode.Terminal, execution: ShellExecution): Promise<number | undefined | 'closed'> {
  return new Promise((resolve) => {
    const subscriptions: vscode.Disposable[] = [];
    const finish = (code: number | undefined | 'closed') => { subscriptions.forEach((s) => s.dispose()); resolve(code); };
    if (shellWindow.onDidEndTerminalShellExecution) {
      subscriptions.push(shellWindow.onDidEndTerminalShellExecution((event) => {
        if (event.execution === execution) finish(event.exitCode);
      }));
    }
    subscriptions.push(vscode.window.onDidCloseTerminal((closed) => { if (closed === terminal) finish('closed'); }));
  });
}

async function runInTerminal(plan: ManageRunPlan, variant: ManageVariant, projectName: string): Promise<void> {
  const terminal = vscode.window.createTerminal({
    name: `Django: ${projectName}`,
    cwd: plan.cwd,
    env: plan.env,
    iconPath: new vscode.ThemeIcon('database'),
    // The environment may hold secrets from .env: never persist or revive this terminal.
    isTransient: true,
  });
  terminal.show(true);
  const line = shellLine(plan.argv, shellFlavorOf(vscode.env.shell));
  const integration = await waitForShellIntegration(terminal);
  let exitCode: number | undefined;
  if (integration) {
    const ended = await waitForExit(terminal, integration.executeCommand(line));
    if (ended === 'closed') return;
    exitCode = ended;
  } else {
    terminal.sendText(line, true);
  }
  const outcome = describeManageOutcome(variant, projectName, exitCode);
  if (exitCode === 0 && variant.changesDatabase) markWalkthroughStep('migrated');
  const show = 'Show terminal';
  const notify = outcome.severity === 'info' ? vscode.window.showInformationMessage
    : outcome.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  if ((await notify(outcome.message, show)) === show) terminal.show();
}
