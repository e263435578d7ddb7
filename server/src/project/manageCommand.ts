// The manage.py commands Django Postgres runs, as data, and how one becomes a process: argv, working
// folder and environment. Secrets travel in the environment only; the command line carries none.
import * as path from 'node:path';
import type { PythonCommand } from './pythonCommand';

export type ManageVariantId =
  | 'migrate' | 'migrateDatabase' | 'migrateApp' | 'migratePlan'
  | 'showmigrations' | 'makemigrationsCheck' | 'checkConnection' | 'dbshell';

export interface ManageVariant {
  id: ManageVariantId;
  label: string;
  description: string;
  /** What the user must supply before it can run. */
  needs: readonly ('alias' | 'app')[];
  /** Whether it changes the database (read-only variants are safe to run any time). */
  changesDatabase: boolean;
}

export const MANAGE_VARIANTS: readonly ManageVariant[] = [
  { id: 'migrate', label: 'migrate', description: 'Apply all migrations to the default database', needs: [], changesDatabase: true },
  { id: 'migrateDatabase', label: 'migrate --database ALIAS', description: 'Apply all migrations to one DATABASES alias', needs: ['alias'], changesDatabase: true },
  { id: 'migrateApp', label: 'migrate APP', description: "Apply one app's migrations", needs: ['app'], changesDatabase: true },
  { id: 'migratePlan', label: 'migrate --plan', description: 'Preview the migrations that would run, change nothing', needs: [], changesDatabase: false },
  { id: 'showmigrations', label: 'showmigrations', description: 'List migrations and whether each is applied', needs: [], changesDatabase: false },
  { id: 'makemigrationsCheck', label: 'makemigrations --check --dry-run', description: 'Fail when models have changes without a migration', needs: [], changesDatabase: false },
  { id: 'checkConnection', label: 'Check connection with Django', description: 'manage.py check --database ALIAS: connects the way the app does', needs: ['alias'], changesDatabase: false },
  { id: 'dbshell', label: 'dbshell --database ALIAS', description: "Open the database's shell (psql) with Django's settings", needs: ['alias'], changesDatabase: false },
];

export function manageVariant(id: ManageVariantId): ManageVariant {
  const variant = MANAGE_VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`Unknown manage.py variant ${id}`);
  return variant;
}

export interface ManageTarget {
  /** A DATABASES alias; 'default' when omitted. */
  alias?: string;
  /** An app label, for `migrate APP`. */
  app?: string;
}

const APP_LABEL = /^[A-Za-z_]\w*$/;

function checkedAlias(alias: string | undefined): string {
  const value = alias ?? 'default';
  // Anything starting with '-' would be read by manage.py as an option.
  if (value === '' || value.startsWith('-') || /[\r\n\0]/.test(value)) throw new Error(`"${value}" is not a DATABASES alias`);
  return value;
}

/** `--database ALIAS`, left out for the default alias so the line reads the way people type it. */
function databaseOption(alias: string | undefined): string[] {
  const value = checkedAlias(alias);
  return value === 'default' ? [] : ['--database', value];
}

/** The manage.py arguments of a variant (after `manage.py`). */
export function buildManageArgs(id: ManageVariantId, target: ManageTarget = {}): string[] {
  switch (id) {
    case 'migrate':
      return ['migrate', ...databaseOption(target.alias)];
    case 'migrateDatabase':
      return ['migrate', '--database', checkedAlias(target.alias)];
    case 'migrateApp': {
      if (!target.app || !APP_LABEL.test(target.app)) throw new Error(`"${target.app ?? ''}" is not an app label`);
      return ['migrate', target.app, ...databaseOption(target.alias)];
    }
    case 'migratePlan':
      return ['migrate', '--plan', ...databaseOption(target.alias)];
    case 'showmigrations':
      return ['showmigrations', ...databaseOption(target.alias)];
    case 'makemigrationsCheck':
      return ['makemigrations', '--check', '--dry-run'];
    case 'checkConnection':
      return ['check', '--database', checkedAlias(target.alias)];
    case 'dbshell':
      return ['dbshell', '--database', checkedAlias(target.alias)];
  }
}

export interface ManageRunRequest {
  python: PythonCommand;
  managePy: string;
  variant: ManageVariantId;
  target?: ManageTarget;
  /** Variables from the project's .env. */
  dotenv?: Record<string, string>;
  /** A settings module the user picked; undefined keeps manage.py's own default. */
  settingsModule?: string;
}

export interface ManageRunPlan {
  /** The process to start; never holds a secret. */
  argv: string[];
  cwd: string;
  /** Variables to add to the inherited environment. */
  env: Record<string, string>;
}

/** What to start for a manage.py command: the same plan feeds the terminal and the tests. */
export function planManageRun(request: ManageRunRequest): ManageRunPlan {
  const env: Record<string, string> = { ...request.dotenv };
  if (request.settingsModule) env.DJANGO_SETTINGS_MODULE = request.settingsModule;
  return {
    argv: [...request.python.argv, 'manage.py', ...buildManageArgs(request.variant, request.target)],
    cwd: path.dirname(request.managePy),
    env,
  };
}

// ---- shell lines ----

export type ShellFlavor = 'posix' | 'powershell' | 'cmd';

const PLAIN_ARG = /^[A-Za-z0-9_\-+=.,/:@%]+$/;

function quotePosix(arg: string): string {
  // A leading '=' is a path expansion in zsh.
  return PLAIN_ARG.test(arg) && !arg.startsWith('=') ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

// PowerShell gives ',' '@' and '--%' meanings of their own, and splits '-name:value' or '-name.x' arguments.
const POWERSHELL_PLAIN_ARG = /^[A-Za-z0-9_\-+=./:\\]+$/;

function quotePowerShell(arg: string): string {
  const plain = POWERSHELL_PLAIN_ARG.test(arg) && !(arg.startsWith('-') && /[.:%]/.test(arg));
  // Inside single quotes PowerShell takes everything literally except the quote itself, doubled
  // (it also treats the typographic single quotes as quotes).
  return plain ? arg : `'${arg.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
}

function quoteCmd(arg: string): string {
  if (/["%!^\r\n]/.test(arg)) throw new Error(`cmd.exe cannot be given ${JSON.stringify(arg)} safely; use PowerShell`);
  return PLAIN_ARG.test(arg) ? arg : `"${arg}"`;
}

/** One line to type into a shell that runs argv exactly. Built from argv only: environment values never go in. */
export function shellLine(argv: readonly string[], flavor: ShellFlavor): string {
  if (argv.length === 0) throw new Error('Nothing to run');
  switch (flavor) {
    case 'posix':
      return argv.map(quotePosix).join(' ');
    case 'powershell': {
      const line = argv.map(quotePowerShell).join(' ');
      // A quoted first word is a string to PowerShell; the call operator makes it a command.
      return line.startsWith("'") ? `& ${line}` : line;
    }
    case 'cmd':
      return argv.map(quoteCmd).join(' ');
  }
}

/** The shell flavor of a terminal's shell executable path. */
export function shellFlavorOf(shellPath: string | undefined, platform: NodeJS.Platform = process.platform): ShellFlavor {
  const name = (shellPath ?? '').split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (/^(pwsh|powershell)(\.exe)?$/.test(name)) return 'powershell';
  if (/^cmd(\.exe)?$/.test(name)) return 'cmd';
  if (name === '') return platform === 'win32' ? 'powershell' : 'posix';
  return 'posix';
}

// ---- outcome ----

export interface ManageOutcome {
  severity: 'info' | 'error' | 'warning';
  message: string;
}

/** What to tell the user once a command ended; exitCode undefined means the terminal could not say. */
export function describeManageOutcome(variant: ManageVariant, project: string, exitCode: number | undefined): ManageOutcome {
  const what = variant.id === 'checkConnection' ? 'Django connection check' : `manage.py ${variant.label}`;
  if (exitCode === undefined) {
    return {
      severity: 'warning',
      message: `${what} started in the "${project}" terminal. Without shell integration reporting its exit code, Django Postgres cannot tell whether it succeeded: read its output there.`,
    };
  }
  if (exitCode === 0) return { severity: 'info', message: `${what} succeeded for ${project}.` };
  return { severity: 'error', message: `${what} failed for ${project} (exit code ${exitCode}). The terminal shows Django's error.` };
}
