// "Create Postgres DB for Django": show the plan and its SQL, then create the app's role and database as an
// admin role (idempotent, never DROPs), or hand the SQL to psql for people without an admin password.
// Decisions and texts live in createDatabaseFlow.ts; this file only talks to VS Code.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import {
  executeCreateDatabase, planCreateDatabase, type CreateDatabasePlan, type CreateDatabaseReport,
} from '../../../server/src/postgres/createDatabase';
import { ensureGitignored, projectDotenvFile, writeDotenvVariable } from '../../../server/src/project/dotenv';
import {
  adminConnection, adminConnectionFailed, formatReport, savedAdminTargetsFirst, adminSecretKey, createSummary, defaultAdminTarget, formatAdminTarget,
  generatePassword, gitignoreFolder, gitignoreNote, isSocketDirectory, parseAdminTarget, passwordDecision, planDocument,
  planQuestion, planQuestionDetail, psqlScript, sudoPsqlLine, updatePasswordQuestion, withDotenvPassword,
  type AdminTarget, type ResolvedDatabase,
} from './createDatabaseFlow';
import { ensureLocalTrustedWorkspace, pickDatabase, settingsLabel } from './pickDatabase';
import { SHOW_LOG_BUTTON } from './testConnection';
import { markWalkthroughStep } from '../walkthrough';

const TITLE = 'Create Postgres DB for Django';

export const BUTTONS = {
  generatePassword: 'Generate and save to .env',
  noPassword: 'Continue without a password',
  connectAsAdmin: 'Connect as admin…',
  copySql: 'Copy SQL',
  sudoPsql: 'Open SQL in terminal (sudo -u postgres psql)',
  updatePassword: 'Update password',
  keepPassword: 'Keep the current password',
  remember: 'Remember',
  notNow: 'Not now',
  testConnection: 'Test Connection',
  runMigrate: 'Run migrate',
} as const;

/** Names (never values) of the admin connections whose password is in SecretStorage, for "forget". */
const SAVED_ADMIN_TARGETS = 'djangoPostgres.savedAdminTargets';

// The plan is shown in a read-only virtual document; one provider serves every plan.
const PLAN_SCHEME = 'django-postgres-plan';
const planTexts = new Map<string, string>();
const planChanged = new vscode.EventEmitter<vscode.Uri>();
let planProviderRegistered = false;

async function showPlanDocument(services: ExtensionServices, db: ResolvedDatabase, plan: CreateDatabasePlan): Promise<void> {
  if (!planProviderRegistered) {
    services.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, {
      onDidChange: planChanged.event,
      provideTextDocumentContent: (uri) => planTexts.get(uri.toString()) ?? '',
    }), planChanged);
    planProviderRegistered = true;
  }
  const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/Create DB plan - ${db.alias}.txt` });
  planTexts.set(uri.toString(), planDocument(plan, settingsLabel(db)));
  planChanged.fire(uri);
  await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
}

interface AdminChoice {
  target: AdminTarget;
  password: string | undefined;
  fromSecretStorage: boolean;
}

async function rememberAdminPassword(services: ExtensionServices, target: AdminTarget, password: string): Promise<void> {
  await services.context.secrets.store(adminSecretKey(formatAdminTarget(target)), password);
  const saved = new Set(services.context.globalState.get<string[]>(SAVED_ADMIN_TARGETS, []));
  saved.add(formatAdminTarget(target));
  await services.context.globalState.update(SAVED_ADMIN_TARGETS, [...saved]);
}

async function forgetAdminPasswordOf(services: ExtensionServices, targetText: string): Promise<void> {
  await services.context.secrets.delete(adminSecretKey(targetText));
  const saved = services.context.globalState.get<string[]>(SAVED_ADMIN_TARGETS, []).filter((t) => t !== targetText);
  await services.context.globalState.update(SAVED_ADMIN_TARGETS, saved);
}

/** The admin role, server and password: the saved password when there is one (and the user agrees), else prompts. */
async function askAdmin(services: ExtensionServices, plan: CreateDatabasePlan): Promise<AdminChoice | undefined> {
  let fallback = defaultAdminTarget(plan);
  const savedTargets = savedAdminTargetsFirst(services.context.globalState.get<string[]>(SAVED_ADMIN_TARGETS, []), fallback);
  if (savedTargets.length > 0) {
    const items = [
      ...savedTargets.map((text) => ({ label: `$(key) ${text}`, description: 'with the saved password', action: 'use' as const, text })),
      { label: '$(edit) Another admin connection…', action: 'other' as const, text: '' },
      { label: '$(trash) Forget a saved admin password…', action: 'forget' as const, text: '' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: admin connection`, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.action === 'forget') await forgetAdminPassword(services);
    if (picked.action === 'use') {
      const target = parseAdminTarget(picked.text, fallback);
      const password = await services.context.secrets.get(adminSecretKey(picked.text));
      if (!('error' in target) && password !== undefined) return { target, password, fromSecretStorage: true };
      // The secret is gone (another window forgot it): ask for it, with this target as the default.
      if (!('error' in target)) fallback = target;
    }
  }
  const text = await vscode.window.showInputBox({
    title: `${TITLE}: admin connection`,
    prompt: 'Admin role and server as user@host:port, or user@/socket/directory:port for peer authentication on this machine',
    value: formatAdminTarget(fallback),
    ignoreFocusOut: true,
    validateInput: (value) => { const parsed = parseAdminTarget(value, fallback); return 'error' in parsed ? parsed.error : undefined; },
  });
  if (text === undefined) return undefined;
  const target = parseAdminTarget(text, fallback);
  if ('error' in target) return undefined;
  const password = await vscode.window.showInputBox({
    title: `${TITLE}: password of ${formatAdminTarget(target)}`,
    prompt: isSocketDirectory(target.host)
      ? `Password of the admin role "${target.user}" (leave empty for peer authentication over the socket)`
      : `Password of the admin role "${target.user}" on ${target.host}:${target.port}`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return undefined;
  return { target, password, fromSecretStorage: false };
}

/** When the settings read an empty variable: offer a generated password in .env. undefined means cancelled. */
async function ensureAppPassword(services: ExtensionServices, db: ResolvedDatabase): Promise<ResolvedDatabase | undefined> {
  const decision = passwordDecision(db);
  if (decision.kind === 'present') return db;
  if (decision.kind === 'cannotGenerate') {
    services.log.info(`${TITLE}: no password for alias "${db.alias}": ${decision.reason}`);
    return db;
  }
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(db.settingsFile))?.uri.fsPath;
  const target = db.passwordDotenv ?? { file: db.envFile ?? projectDotenvFile(db.settingsFile, folder, existsSync), reader: undefined };
  const dotenvFile = target.file;
  const shownFile = vscode.workspace.asRelativePath(dotenvFile);
  const answer = await vscode.window.showInformationMessage(
    `Alias "${db.alias}" has no password: ${decision.variable} is empty or not set. Generate a strong password and save it as ${decision.variable} in ${shownFile}?`,
    { modal: true, detail: 'The role is then created with this password, and Django reads it from .env (through your settings\' environment lookup). .env is kept out of git.' },
    BUTTONS.generatePassword, BUTTONS.noPassword,
  );
  if (answer === undefined) return undefined;
  if (answer === BUTTONS.noPassword) return db;
  const password = generatePassword();
  writeDotenvVariable(dotenvFile, decision.variable, password, target.reader);
  const gitignore = ensureGitignored(gitignoreFolder(dotenvFile, folder, existsSync), '.env');
  services.log.info(`${TITLE}: wrote a generated ${decision.variable} to ${dotenvFile}; ${gitignoreNote(gitignore)}`);
  return withDotenvPassword(db, decision.variable, password);
}

async function copySql(services: ExtensionServices, db: ResolvedDatabase, plan: CreateDatabasePlan): Promise<void> {
  await vscode.env.clipboard.writeText(psqlScript(plan, db.password.variable));
  services.log.info(`${TITLE}: psql script for alias "${db.alias}" copied to the clipboard.`);
  void vscode.window.showInformationMessage(
    `The SQL for alias "${db.alias}" is on the clipboard. Run it in psql as a superuser; it holds no password: psql's \\password asks for it.`);
}

async function openSqlInTerminal(services: ExtensionServices, db: ResolvedDatabase, plan: CreateDatabasePlan): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'django-postgres-'));
  const file = path.join(dir, `create-${db.alias.replace(/[^\w-]/g, '_')}.sql`);
  writeFileSync(file, psqlScript(plan, db.password.variable), { mode: 0o600 });
  services.log.info(`${TITLE}: psql script for alias "${db.alias}" written to ${file}.`);
  const terminal = vscode.window.createTerminal({ name: `Create DB: ${db.alias}`, cwd: dir, iconPath: new vscode.ThemeIcon('database'), isTransient: true });
  terminal.show();
  terminal.sendText(sudoPsqlLine(file, plan), true);
}

async function runWithProgress(plan: CreateDatabasePlan, choice: AdminChoice, updatePassword: boolean): Promise<CreateDatabaseReport> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${TITLE}: creating role "${plan.role}" and database "${plan.database}"…` },
    () => executeCreateDatabase(plan, adminConnection(choice.target, choice.password), { updatePassword }),
  );
}

function offerToRemember(services: ExtensionServices, choice: AdminChoice, report: CreateDatabaseReport): void {
  if (choice.fromSecretStorage || !choice.password || adminConnectionFailed(report)) return;
  const shown = formatAdminTarget(choice.target);
  void Promise.resolve(vscode.window.showInformationMessage(
    `Remember the password of ${shown} in VS Code's secret storage for the next time?`, BUTTONS.remember, BUTTONS.notNow,
  )).then(async (answer) => {
    if (answer !== BUTTONS.remember || !choice.password) return;
    await rememberAdminPassword(services, choice.target, choice.password);
    services.log.info(`${TITLE}: the password of ${shown} is saved in VS Code's secret storage ("Forget Saved Admin Password" removes it).`);
  });
}

function showSummary(services: ExtensionServices, db: ResolvedDatabase, plan: CreateDatabasePlan, report: CreateDatabaseReport): void {
  const summary = createSummary(plan, report);
  const buttons: string[] = report.ok ? [BUTTONS.testConnection, BUTTONS.runMigrate] : [SHOW_LOG_BUTTON];
  const notify = summary.severity === 'info' ? vscode.window.showInformationMessage
    : summary.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void Promise.resolve(notify(summary.message, ...buttons)).then((answer) => {
    if (answer === BUTTONS.testConnection) void vscode.commands.executeCommand('djangoPostgres.testConnection', { alias: db.alias, settingsFile: db.settingsFile });
    if (answer === BUTTONS.runMigrate) void vscode.commands.executeCommand('djangoPostgres.runMigrate');
    if (answer === SHOW_LOG_BUTTON) services.log.show(true);
  });
}

/** Runs the command; resolves to the report when it connected as admin, undefined otherwise. */
export async function createDatabase(services: ExtensionServices, rawArgs?: unknown): Promise<CreateDatabaseReport | undefined> {
  if (!(await ensureLocalTrustedWorkspace(TITLE, 'connects to the server named in your settings and may write the project\'s .env.'))) return undefined;
  const wanted = rawArgs && typeof rawArgs === 'object' ? rawArgs as { alias?: string; settingsFile?: string } : undefined;
  const picked = await pickDatabase(services, TITLE, wanted);
  if (!picked) return undefined;
  const db = await ensureAppPassword(services, picked);
  if (!db) return undefined;

  const plan = planCreateDatabase(db, { env: process.env });
  await showPlanDocument(services, db, plan);
  if (plan.problems.length > 0) {
    void vscode.window.showErrorMessage(`${TITLE}: alias "${db.alias}" cannot be created as configured: ${plan.problems.join(' ')}`);
    return undefined;
  }
  const choices: string[] = [BUTTONS.connectAsAdmin, BUTTONS.copySql];
  if (plan.isLocal && process.platform !== 'win32') choices.push(BUTTONS.sudoPsql);
  const choice = await vscode.window.showInformationMessage(planQuestion(plan), { modal: true, detail: planQuestionDetail(plan) }, ...choices);
  if (choice === BUTTONS.copySql) await copySql(services, db, plan);
  if (choice === BUTTONS.sudoPsql) await openSqlInTerminal(services, db, plan);
  if (choice !== BUTTONS.connectAsAdmin) return undefined;

  const admin = await askAdmin(services, plan);
  if (!admin) return undefined;
  services.log.info(`${TITLE}: alias "${db.alias}" as ${formatAdminTarget(admin.target)}`);
  let report = await runWithProgress(plan, admin, false);
  if (admin.fromSecretStorage && adminConnectionFailed(report) && report.failure?.kind === 'badPassword') {
    await forgetAdminPasswordOf(services, formatAdminTarget(admin.target));
    services.log.warn(`${TITLE}: the saved password of ${formatAdminTarget(admin.target)} was rejected and has been forgotten.`);
  }
  const question = updatePasswordQuestion(plan, report, db.password.variable);
  if (question) {
    const answer = await vscode.window.showWarningMessage(question, { modal: true }, BUTTONS.updatePassword, BUTTONS.keepPassword);
    if (answer === BUTTONS.updatePassword) report = await runWithProgress(plan, admin, true);
  }
  for (const line of formatReport(report)) (report.ok ? services.log.info : services.log.error).call(services.log, line);
  offerToRemember(services, admin, report);
  showSummary(services, db, plan, report);
  if (report.ok) markWalkthroughStep('dbCreated');
  return report;
}

/** "Forget Saved Admin Password": pick one of the admin connections whose password VS Code keeps. */
export async function forgetAdminPassword(services: ExtensionServices): Promise<void> {
  const saved = services.context.globalState.get<string[]>(SAVED_ADMIN_TARGETS, []);
  if (saved.length === 0) {
    void vscode.window.showInformationMessage('Django Postgres keeps no admin password.');
    return;
  }
  const picked = saved.length === 1 ? saved[0] : await vscode.window.showQuickPick(saved, { title: 'Forget the saved password of which admin connection?' });
  if (!picked) return;
  await forgetAdminPasswordOf(services, picked);
  void vscode.window.showInformationMessage(`The saved password of ${picked} was forgotten.`);
}
