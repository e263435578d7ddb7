// The Getting Started walkthrough's side of the client: the context keys that mark a step done (set only
// when the step's command succeeded), "Is PostgreSQL running?" and "Insert DATABASES block".
// Detection only opens sockets to see whether PostgreSQL answers: it sends no credentials, and in an
// untrusted workspace it probes this machine's defaults, never a host named by the workspace.
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import * as vscode from 'vscode';
import { databases } from '../../server/src/lsp_ext';
import type { ResolvedDatabase } from './commands/createDatabaseFlow';
import type { ExtensionServices } from './services';
import { readConfig } from './config';
import { POSTGRES_ENGINES } from './commands/pickDatabase';

/** Context keys named in `completionEvents` of contributes.walkthroughs (package.json). */
export const WALKTHROUGH_CONTEXT = {
  newProject: 'djangoPostgres.walkthrough.newProject',
  postgresRunning: 'djangoPostgres.walkthrough.postgresRunning',
  dbCreated: 'djangoPostgres.walkthrough.dbCreated',
  databasesDefined: 'djangoPostgres.walkthrough.databasesDefined',
  connected: 'djangoPostgres.walkthrough.connected',
  migrated: 'djangoPostgres.walkthrough.migrated',
} as const;

export type WalkthroughStep = keyof typeof WALKTHROUGH_CONTEXT;

const achievedSteps = new Set<WalkthroughStep>();

/**
 * VS Code creates its walkthrough service when a Welcome or walkthrough page first opens; a completion key
 * that is already true then is recorded but never checks its step. So the keys are published only while
 * such a page is open (and again whenever one opens), which turns them from unset to true in its sight.
 */
function walkthroughShown(): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => /^(Walkthrough: |Welcome$)/.test(tab.label)));
}

function publishAchievedSteps(): void {
  if (!walkthroughShown()) return;
  for (const step of achievedSteps) void vscode.commands.executeCommand('setContext', WALKTHROUGH_CONTEXT[step], true);
}

/** Marks a walkthrough step done (its command succeeded). */
export function markWalkthroughStep(step: WalkthroughStep): void {
  achievedSteps.add(step);
  publishAchievedSteps();
}

// ---------------------------------------------------------------------------------------------------
// "Is PostgreSQL running?"

const DEFAULT_PORT = 5432;
const PROBE_TIMEOUT_MS = 1500;
/** Where libpq looks for the server's socket by default (Debian-style and upstream builds). */
const DEFAULT_SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];
const DOWNLOAD_PAGE = 'https://www.postgresql.org/download/';
const TITLE = 'Is PostgreSQL running?';

interface ProbeTarget {
  /** A host name or address, or a socket directory (starts with '/'). */
  host: string;
  port: number;
  /** Why this target was probed, for the message. */
  origin: string;
}

/**
 * True when a PostgreSQL server answers there: it replies 'S' or 'N' to an SSLRequest packet, which any
 * PostgreSQL (and PgBouncer) accepts before authentication, so no credentials are involved.
 */
function answersAsPostgres(target: ProbeTarget): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = target.host.startsWith('/')
      ? connect({ path: `${target.host}/.s.PGSQL.${target.port}` })
      : connect({ host: target.host, port: target.port });
    const finish = (answer: boolean) => { socket.destroy(); resolve(answer); };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => {
      const sslRequest = Buffer.alloc(8);
      sslRequest.writeInt32BE(8, 0);
      sslRequest.writeInt32BE(80877103, 4);
      socket.write(sslRequest);
    });
    socket.once('data', (data) => finish(data.length > 0 && (data[0] === 0x53 || data[0] === 0x4e)));
  });
}

function portOf(db: ResolvedDatabase): number {
  const port = Number(db.port.value);
  return Number.isInteger(port) && port > 0 ? port : DEFAULT_PORT;
}

/** The host/port of each PostgreSQL alias whose values are known (a computed HOST cannot be probed). */
function configuredTargets(all: ResolvedDatabase[]): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const db of all) {
    if (db.host.source === 'computed' || db.port.source === 'computed') continue;
    const port = portOf(db);
    const origin = `alias "${db.alias}" of ${vscode.workspace.asRelativePath(db.settingsFile)}`;
    const host = typeof db.host.value === 'string' ? db.host.value.split(',')[0].trim() : '';
    if (host) targets.push({ host, port, origin });
    else targets.push(...DEFAULT_SOCKET_DIRS.map((dir) => ({ host: dir, port, origin })));
  }
  return targets;
}

function defaultTargets(): ProbeTarget[] {
  const origin = 'the default address';
  return [
    ...(process.platform === 'win32' ? [] : DEFAULT_SOCKET_DIRS.map((dir) => ({ host: dir, port: DEFAULT_PORT, origin }))),
    { host: '127.0.0.1', port: DEFAULT_PORT, origin },
    { host: '::1', port: DEFAULT_PORT, origin },
  ];
}

/** PostgreSQL aliases of one settings file, or of the whole workspace when no file is named. */
async function postgresAliases(services: ExtensionServices, document?: vscode.Uri): Promise<ResolvedDatabase[]> {
  try {
    const result = await services.client.sendRequest(databases, { uri: document?.toString() });
    return result.databases.filter((db) => typeof db.engine.value !== 'string' || POSTGRES_ENGINES.test(db.engine.value));
  } catch (error) {
    services.log.warn(`${TITLE}: could not list DATABASES: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

interface ComposeService {
  file: string;
  service: string;
  image: string;
}

/** PostgreSQL services of the workspace's Compose files (a line scan: `image:` under a service key). */
async function composeServices(): Promise<ComposeService[]> {
  const files = await vscode.workspace.findFiles('**/{docker-compose,compose}*.{yml,yaml}', '**/node_modules/**', 10);
  const found: ComposeService[] = [];
  for (const uri of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue;
    }
    let service: string | undefined;
    for (const line of text.split(/\r?\n/)) {
      const key = /^ {2}([\w.-]+):\s*$/.exec(line) ?? /^\t([\w.-]+):\s*$/.exec(line);
      if (key) service = key[1];
      const image = /^\s+image:\s*["']?([^"'\s#]*(?:postgres|postgis)[^"'\s#]*)/i.exec(line);
      if (image && service) found.push({ file: vscode.workspace.asRelativePath(uri), service, image: image[1] });
    }
  }
  return found;
}

function describeTarget(target: ProbeTarget): string {
  return target.host.startsWith('/') ? `the socket in ${target.host} (port ${target.port})` : `${target.host}:${target.port}`;
}

/** The command line that installs and starts PostgreSQL on this machine, or undefined when we know none. */
export function postgresInstallLine(platform: NodeJS.Platform, osRelease: string): string | undefined {
  if (platform === 'darwin') return 'brew install postgresql@17 && brew services start postgresql@17';
  if (platform !== 'linux') return undefined;
  const ids = [/^ID="?([\w.-]+)"?/m.exec(osRelease)?.[1], ...(/^ID_LIKE="?([^"\n]*)"?/m.exec(osRelease)?.[1].split(/\s+/) ?? [])];
  if (ids.some((id) => id === 'debian' || id === 'ubuntu')) return 'sudo apt install postgresql';
  if (ids.some((id) => id === 'fedora' || id === 'rhel' || id === 'centos')) {
    return 'sudo dnf install postgresql-server && sudo postgresql-setup --initdb && sudo systemctl enable --now postgresql';
  }
  if (ids.includes('arch')) {
    return "sudo pacman -S postgresql && sudo -u postgres initdb -D /var/lib/postgres/data && sudo systemctl enable --now postgresql";
  }
  if (ids.some((id) => id === 'opensuse' || id === 'suse')) return 'sudo zypper install postgresql-server && sudo systemctl enable --now postgresql';
  if (ids.includes('alpine')) return 'sudo apk add postgresql && sudo rc-service postgresql setup && sudo rc-service postgresql start';
  return undefined;
}

function readOsRelease(): string {
  try {
    return existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  } catch {
    return '';
  }
}

const BUTTONS = {
  copyInstall: 'Copy install command',
  download: 'Open download page',
  copyCompose: 'Copy compose command',
  trust: 'Manage Workspace Trust',
  createDatabase: 'Create Postgres DB for Django',
} as const;

/** Resolves to true when a server answered. */
export async function checkPostgresRunning(services: ExtensionServices): Promise<boolean> {
  const trusted = vscode.workspace.isTrusted;
  // In an untrusted workspace the settings could name any host: probe only this machine's defaults.
  const configured = trusted ? configuredTargets(await postgresAliases(services)) : [];
  const targets = configured.length > 0 ? configured : defaultTargets();
  const answers = await Promise.all(targets.map(answersAsPostgres));
  const up = targets.filter((_, index) => answers[index]);
  services.log.info(`${TITLE}: probed ${targets.map(describeTarget).join(', ')}; answering: ${up.map(describeTarget).join(', ') || 'none'}`);

  if (up.length > 0) {
    markWalkthroughStep('postgresRunning');
    const first = up[0];
    const untrustedNote = trusted ? '' : ' The workspace is not trusted, so only the default address was checked, not the HOST in your settings.';
    void Promise.resolve(vscode.window.showInformationMessage(
      `PostgreSQL is running: it answers on ${describeTarget(first)} (${first.origin}).${untrustedNote}`, BUTTONS.createDatabase,
    )).then((answer) => { if (answer === BUTTONS.createDatabase) void vscode.commands.executeCommand('djangoPostgres.createDatabase'); });
    return true;
  }

  const where = targets.map(describeTarget).join(', ');
  const compose = await composeServices();
  if (compose.length > 0) {
    const service = compose[0];
    const line = `docker compose -f ${service.file} up -d ${service.service}`;
    const answer = await vscode.window.showWarningMessage(
      `No PostgreSQL answers on ${where}. ${service.file} defines the service "${service.service}" (image ${service.image}): start it with \`${line}\`, then check again.`,
      BUTTONS.copyCompose);
    if (answer === BUTTONS.copyCompose) await vscode.env.clipboard.writeText(line);
    return false;
  }
  const install = postgresInstallLine(process.platform, process.platform === 'linux' ? readOsRelease() : '');
  const trustNote = trusted ? '' : ' (The workspace is not trusted, so the HOST in your settings was not checked.)';
  const buttons: string[] = [...(install ? [BUTTONS.copyInstall] : []), BUTTONS.download, ...(trusted ? [] : [BUTTONS.trust])];
  const answer = await vscode.window.showWarningMessage(
    `No PostgreSQL answers on ${where}.${trustNote} ${install ? `Install and start it with: ${install}` : `Install it from ${DOWNLOAD_PAGE}`}`,
    ...buttons);
  if (answer === BUTTONS.copyInstall && install) await vscode.env.clipboard.writeText(install);
  if (answer === BUTTONS.download) await vscode.env.openExternal(vscode.Uri.parse(DOWNLOAD_PAGE));
  if (answer === BUTTONS.trust) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

// ---------------------------------------------------------------------------------------------------
// "Insert DATABASES block": one of the extension's own snippets, into the settings file

/** The walkthrough's three choices, by the snippet they insert (snippets/django-databases.code-snippets). */
const DATABASES_BLOCKS = {
  env: { snippet: 'PostgreSQL DATABASES (minimal)', label: 'Environment variables', detail: 'DB_NAME, DB_USER, DB_PASSWORD, DB_HOST, DB_PORT' },
  url: { snippet: 'PostgreSQL DATABASES from DATABASE_URL', label: 'DATABASE_URL', detail: 'One URL variable, read with dj-database-url' },
  pgbouncer: { snippet: 'PostgreSQL DATABASES behind PgBouncer', label: 'PgBouncer-ready', detail: 'Port 6432, no persistent connections, server-side cursors off' },
} as const;

type DatabasesBlock = keyof typeof DATABASES_BLOCKS;

function snippetBody(services: ExtensionServices, name: string): string | undefined {
  const file = services.context.asAbsolutePath('snippets/django-databases.code-snippets');
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { body: string | string[] }>;
  const body = all[name]?.body;
  return Array.isArray(body) ? body.join('\n') : body;
}

/** The settings file to insert into: the active Python editor, else the first file matching the settings globs. */
async function settingsEditor(): Promise<vscode.TextEditor | undefined> {
  const active = vscode.window.activeTextEditor;
  if (active?.document.languageId === 'python') return active;
  const globs = readConfig().settingsGlobs;
  const found = (await vscode.workspace.findFiles(`{${globs.join(',')}}`, '**/{.venv,venv,node_modules,site-packages}/**', 20))
    .filter((uri) => !uri.path.endsWith('/__init__.py'))
    .sort((a, b) => a.path.length - b.path.length);
  if (found.length === 0) return undefined;
  const document = await vscode.workspace.openTextDocument(found[0]);
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

export async function insertDatabasesBlock(services: ExtensionServices, wanted?: unknown): Promise<boolean> {
  let kind = typeof wanted === 'string' && wanted in DATABASES_BLOCKS ? wanted as DatabasesBlock : undefined;
  if (!kind) {
    const picked = await vscode.window.showQuickPick(
      (Object.keys(DATABASES_BLOCKS) as DatabasesBlock[]).map((key) => ({ key, label: DATABASES_BLOCKS[key].label, detail: DATABASES_BLOCKS[key].detail })),
      { title: 'Insert DATABASES block', placeHolder: 'Where should Django read the connection from?' });
    kind = picked?.key;
  }
  if (!kind) return false;
  const editor = await settingsEditor();
  if (!editor) {
    void vscode.window.showErrorMessage('Insert DATABASES block: no settings.py in this workspace. Open your settings file and run the command again.');
    return false;
  }
  const body = snippetBody(services, DATABASES_BLOCKS[kind].snippet);
  if (!body) return false;
  // After existing text, start on a fresh line with a blank line before the block.
  const position = editor.selection.active;
  const separator = editor.document.lineAt(position.line).isEmptyOrWhitespace ? '' : '\n\n';
  const at = separator ? editor.document.lineAt(position.line).range.end : position;
  return editor.insertSnippet(new vscode.SnippetString(separator + body), at);
}

// ---------------------------------------------------------------------------------------------------
// Step 3 completes when a settings file defines DATABASES, as the language server sees it.

const DATABASES_RECHECK_MS = 800;

let databasesDefined = false;

async function refreshDatabasesDefined(services: ExtensionServices, document?: vscode.Uri): Promise<void> {
  if (databasesDefined || (await postgresAliases(services, document)).length === 0) return;
  databasesDefined = true;
  services.log.info('Getting Started: a settings file defines a PostgreSQL DATABASES entry.');
  markWalkthroughStep('databasesDefined');
}

/** Call once the language client runs: keeps the "DATABASES defined" key current as files change. */
export function setupWalkthrough(services: ExtensionServices): vscode.Disposable[] {
  let timer: NodeJS.Timeout | undefined;
  // After the first look at the workspace, only the Python file being edited is asked about (no walk of
  // the workspace per keystroke), and nothing at all once the step is done.
  const recheck = (document: vscode.TextDocument) => {
    if (databasesDefined || document.languageId !== 'python' || document.uri.scheme !== 'file') return;
    clearTimeout(timer);
    timer = setTimeout(() => void refreshDatabasesDefined(services, document.uri), DATABASES_RECHECK_MS);
  };
  void refreshDatabasesDefined(services);
  return [
    vscode.window.tabGroups.onDidChangeTabs(publishAchievedSteps),
    vscode.workspace.onDidChangeTextDocument((event) => recheck(event.document)),
    vscode.workspace.onDidSaveTextDocument(recheck),
    { dispose: () => clearTimeout(timer) },
  ];
}
