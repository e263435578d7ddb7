// Decisions and texts of "Create Postgres DB for Django", "Test Connection" and "Write .env variable",
// kept free of the VS Code API so they can be unit-tested (test/unit/createDatabaseFlow.test.ts).
// The command files only ask the questions these functions choose and show the texts they build.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { escapeIdentifier, escapeLiteral } from 'pg';
import type { DatabasesResult } from '../../../server/src/lsp_ext';
// The formatters shared with the CLI, re-exported so the commands import them from one place.
import { formatPlan, formatReport, formatTestConnectionResult } from '../../../server/src/postgres/format';
export { formatReport, formatTestConnectionResult };
import type { AdminConnection, CreateDatabasePlan, CreateDatabaseReport } from '../../../server/src/postgres/createDatabase';
import type { FailureKind } from '../../../server/src/postgres/errors';
import type { TestConnectionResult } from '../../../server/src/postgres/testConnection';

/** A resolved DATABASES alias, as the language server sends it (the client never reads the settings itself). */
export type ResolvedDatabase = DatabasesResult['databases'][number];

export const DEFAULT_ADMIN_USER = 'postgres';

// ---------------------------------------------------------------------------------------------------
// The application's password

export type PasswordDecision =
  /** The settings give a password: use it. */
  | { kind: 'present' }
  /** Empty or missing, read from `variable`: offer to generate one into .env. */
  | { kind: 'offerGenerate'; variable: string }
  /** Empty, and writing .env would not change it; `reason` says why. */
  | { kind: 'cannotGenerate'; reason: string };

export function passwordDecision(db: ResolvedDatabase): PasswordDecision {
  const { value, source, variable } = db.password;
  if (typeof value === 'string' ? value !== '' : value !== null) return { kind: 'present' };
  if (!variable || source === 'literal' || source === 'django-default') {
    return { kind: 'cannotGenerate', reason: 'PASSWORD is not read from an environment variable, so there is no .env variable to write.' };
  }
  if (source === 'url' || source === 'computed') {
    return { kind: 'cannotGenerate', reason: `PASSWORD comes from ${variable}, a whole connection URL: put a password in that URL yourself.` };
  }
  if (source === 'environment') {
    // python-dotenv and our own lookup let the process environment win over .env.
    return { kind: 'cannotGenerate', reason: `${variable} is set, empty, in the environment VS Code was started from; a value in .env would not override it.` };
  }
  return { kind: 'offerGenerate', variable };
}

/** 32 URL-safe characters (192 random bits): no quoting needed in .env, URLs or shells. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The alias as it resolves once `variable` holds `password` in .env. */
export function withDotenvPassword(db: ResolvedDatabase, variable: string, password: string): ResolvedDatabase {
  return { ...db, password: { value: password, source: 'dotenv', variable } };
}

// ---------------------------------------------------------------------------------------------------
// The admin connection

export interface AdminTarget {
  user: string;
  /** Host name, IP address or Unix socket directory. */
  host: string;
  port: number;
}

export function isSocketDirectory(host: string): boolean {
  return host.startsWith('/');
}

export function formatAdminTarget(target: AdminTarget): string {
  const host = target.host.includes(':') && !isSocketDirectory(target.host) ? `[${target.host}]` : target.host;
  return `${target.user}@${host}:${target.port}`;
}

/** postgres on the host and port of the settings (the first host when HOST lists several). */
export function defaultAdminTarget(plan: Pick<CreateDatabasePlan, 'host' | 'port'>): AdminTarget {
  return { user: DEFAULT_ADMIN_USER, host: plan.host, port: plan.port };
}

/** Parse `user@host:port`, `user@[::1]:port` or `user@/socket/dir:port` (user and port optional). */
export function parseAdminTarget(text: string, fallback: AdminTarget): AdminTarget | { error: string } {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  const user = at >= 0 ? trimmed.slice(0, at) : DEFAULT_ADMIN_USER;
  let rest = at >= 0 ? trimmed.slice(at + 1) : trimmed;
  if (user === '') return { error: 'Name the admin role before the @, e.g. postgres@localhost:5432' };
  let port = fallback.port;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  let host: string;
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2]) port = Number(bracketed[2]);
  } else {
    const withPort = /^(.*):(\d+)$/.exec(rest);
    if (withPort && (isSocketDirectory(withPort[1]) || !withPort[1].includes(':'))) {
      rest = withPort[1];
      port = Number(withPort[2]);
    }
    host = rest;
  }
  if (host === '') return { error: 'Give the server: a host name, an IP address or a Unix socket directory such as /var/run/postgresql' };
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: 'The port must be a number from 1 to 65535' };
  return { user, host, port };
}

export function adminConnection(target: AdminTarget, password: string | undefined): AdminConnection {
  return { host: target.host, port: target.port, user: target.user, password: password === '' ? undefined : password };
}

/** SecretStorage key of an admin password: one per role and server (`formatAdminTarget`'s text). */
export function adminSecretKey(targetText: string): string {
  return `djangoPostgres.adminPassword:${targetText}`;
}

/** Saved admin connections (formatAdminTarget texts), those on the settings' server first. */
export function savedAdminTargetsFirst(saved: readonly string[], settingsServer: AdminTarget): string[] {
  const onServer = (text: string) => text.endsWith(`@${formatAdminTarget(settingsServer).split('@')[1]}`);
  return [...saved.filter(onServer), ...saved.filter((text) => !onServer(text))];
}

/** Failures of the admin connection itself (as opposed to a statement refused after connecting). */
export function adminConnectionFailed(report: CreateDatabaseReport): boolean {
  return !report.ok && !report.connected;
}

// ---------------------------------------------------------------------------------------------------
// Texts around the plan

/** The read-only document shown before anything runs: the plan, the SQL (password masked) and what is never done. */
export function planDocument(plan: CreateDatabasePlan, settingsLabel: string): string {
  return [
    `Create Postgres DB for Django: alias "${plan.alias}" of ${settingsLabel}`,
    '',
    ...formatPlan(plan),
    '',
    'Steps, in order (each is skipped when its object already exists), with the admin powers each needs:',
    ...plan.steps.map((step, index) => `  ${index + 1}. ${step.title}\n     needs: ${step.needs}`),
    'A step the admin may not run is reported in one line, with the statement a superuser would run instead.',
    '',
    'Nothing is ever dropped. An existing role keeps its password unless you agree to update it.',
    '',
  ].join('\n');
}

export function planQuestion(plan: CreateDatabasePlan): string {
  return `Create role "${plan.role}" and database "${plan.database}" on ${plan.host}:${plan.port} for alias "${plan.alias}"?`;
}

export function planQuestionDetail(plan: CreateDatabasePlan): string {
  return [
    `Owner "${plan.owner}", encoding ${plan.encoding}; ${plan.createDbReason}`,
    ...plan.notes,
    'The plan and its SQL are open in the editor, with the powers each statement needs. Connect as a superuser (such as postgres) or as a managed service\'s admin with CREATEROLE and CREATEDB (RDS, Cloud SQL, Azure, DigitalOcean, Supabase, Neon); without its password, copy the SQL or run it with sudo -u postgres psql.',
  ].join('\n');
}

/** Asked only when the role already existed and the settings carry a password. */
export function updatePasswordQuestion(plan: CreateDatabasePlan, report: CreateDatabaseReport, passwordVariable: string | undefined): string | undefined {
  if (!plan.hasPassword || !report.ok || report.steps[0]?.outcome !== 'alreadyExisted') return undefined;
  const from = passwordVariable ? ` (${passwordVariable})` : '';
  return `Role "${plan.role}" already exists. Set its password to the one from the settings${from}? Other clients using the old password will stop working; without it Django cannot log in unless the passwords already match.`;
}

export interface Outcome {
  severity: 'info' | 'warning' | 'error';
  message: string;
}

export function createSummary(plan: CreateDatabasePlan, report: CreateDatabaseReport): Outcome {
  if (!report.ok) {
    const cause = report.failure ? `${report.failure.cause} ${report.failure.fix}` : 'A step did not run.';
    return { severity: 'error', message: `Create Postgres DB for Django failed: ${cause}` };
  }
  const role = report.steps.find((s) => s.id === 'role');
  const database = report.steps.find((s) => s.id === 'database');
  const made = [role, database].filter((s) => s && s.outcome !== 'alreadyExisted').map((s) => s!.message);
  const message = made.length > 0
    ? `${made.join(' ')} Alias "${plan.alias}" is ready for migrate.`
    : `Role "${plan.role}" and database "${plan.database}" already existed; privileges checked. Alias "${plan.alias}" is ready for migrate.`;
  if (report.warnings.length > 0) return { severity: 'warning', message: `${message} Warning: ${report.warnings.join(' ')}` };
  return { severity: 'info', message };
}

// ---------------------------------------------------------------------------------------------------
// The same plan for psql, for people without an admin password

/**
 * A psql script with the plan's effect, safe to run twice. The app password is not in it: psql's
 * \password asks for it on the terminal and sends only a SCRAM verifier to the server, so the password
 * never lands in the script, the shell history, a command line (`psql -v pw=...` would show in `ps`) or
 * the server log. `\getenv` would need psql 15 and an environment that survives `sudo`, so it is not used.
 */
export function psqlScript(plan: CreateDatabasePlan, passwordVariable: string | undefined): string {
  const literal = (text: string) => escapeLiteral(text);
  const step = (id: string) => plan.steps.find((s) => s.id === id);
  const lines = [
    `-- Create Postgres DB for Django: alias "${plan.alias}" (role "${plan.role}", database "${plan.database}").`,
    '-- Run it as a superuser, e.g. on the database server: sudo -u postgres psql < this-file.sql,',
    '-- or as a managed service\'s admin with CREATEROLE and CREATEDB: psql "host=HOST user=ADMIN dbname=postgres" < this-file.sql',
    '-- Safe to run twice: existing objects are kept; nothing is dropped.',
    '\\set ON_ERROR_STOP on',
    `SELECT ${literal(`CREATE ROLE ${escapeIdentifier(plan.role)} WITH LOGIN`)} WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(plan.role)})\\gexec`,
  ];
  if (plan.hasPassword) {
    const source = passwordVariable ? `the value of ${passwordVariable} from your .env` : 'the PASSWORD of your settings';
    lines.push(`-- psql now asks twice for the password of "${plan.role}": paste ${source}. Delete the next line to keep an existing role's password.`,
      `\\password ${escapeIdentifier(plan.role)}`);
  }
  if (plan.createDb) lines.push(`${step('createdb')?.sql};`);
  const membership = step('membership');
  if (membership) {
    // \if cannot test an expression: ask the server once, then branch on the answers.
    lines.push(
      '-- An admin that is not a superuser must be able to act as the role to hand it the database.',
      "SELECT NOT rolsuper AS dpg_needs_membership, current_setting('server_version_num')::int >= 160000 AS dpg_pg16 FROM pg_roles WHERE rolname = current_user \\gset",
      '\\if :dpg_needs_membership', '\\if :dpg_pg16', `${membership.sql};`, '\\else', `${membership.sqlBefore16 ?? membership.sql};`, '\\endif', '\\endif',
    );
  }
  lines.push(
    `SELECT ${literal(step('database')?.sql ?? '')} WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ${literal(plan.database)})\\gexec`,
    `${step('grantDatabase')?.sql};`,
    `\\connect ${escapeIdentifier(plan.database)}`,
    `${step('grantSchema')?.sql};`,
    '',
  );
  return lines.join('\n');
}

/** The terminal line that feeds the script to psql as the postgres OS user (local server only). */
export function sudoPsqlLine(scriptFile: string, plan: Pick<CreateDatabasePlan, 'port' | 'host'>): string {
  const quoted = `'${scriptFile.replace(/'/g, `'\\''`)}'`;
  const socket = isSocketDirectory(plan.host) ? ` -h '${plan.host.replace(/'/g, `'\\''`)}'` : '';
  return `sudo -u postgres psql${socket} -p ${plan.port} < ${quoted}`;
}

// ---------------------------------------------------------------------------------------------------
// Test Connection

export interface TestConnectionOutcome extends Outcome {
  /** Offer "Create Postgres DB for Django" (the role or database may be missing). */
  offerCreate: boolean;
  /** For the status bar: the short summary when it worked, the cause when it did not. */
  status: { kind: 'ok'; summary: string } | { kind: 'failed'; cause: string } | { kind: 'unconfirmed'; reason: string };
}

/** Failures that "Create Postgres DB for Django" fixes. The server does not tell a wrong password from a missing role. */
const CREATE_FIXES: ReadonlySet<FailureKind> = new Set<FailureKind>(['noRole', 'noDatabase', 'badPassword', 'permissionPublic']);

export function testConnectionOutcome(alias: string, result: TestConnectionResult): TestConnectionOutcome {
  const notHonoured = result.unsupported.length > 0
    ? ` Not honoured by this test: ${result.unsupported.map((u) => u.option).join(', ')} (see the log).`
    : '';
  if (!result.ok && result.verdict === 'cannotConfirm') {
    // Never "Connected": Django may fail for a reason this test cannot reproduce.
    const reached = result.facts ? ` The server answered (PostgreSQL ${result.facts.serverVersion} on ${result.facts.target}), but that is not proof.` : '';
    return {
      severity: 'warning', offerCreate: false,
      message: `Alias "${alias}": ${result.failure.cause}${reached} ${result.failure.fix}`,
      status: { kind: 'unconfirmed', reason: result.failure.cause },
    };
  }
  if (!result.ok) {
    return {
      severity: 'error', offerCreate: CREATE_FIXES.has(result.failure.kind),
      message: `Alias "${alias}": ${result.failure.cause} Fix: ${result.failure.fix}${notHonoured}`,
      status: { kind: 'failed', cause: result.failure.cause },
    };
  }
  const f = result.facts;
  const ssl = f.ssl.inUse ? `SSL ${f.ssl.protocol ?? 'on'}` : 'no SSL';
  const summary = `PostgreSQL ${f.serverVersion}, ${f.user}@${f.database} on ${f.target}`;
  const problems = [
    f.canCreateInPublic ? undefined : `"${f.user}" cannot create tables in schema public, so migrate will fail.`,
    f.canCreateTestDatabase ? undefined : `"${f.user}" lacks CREATEDB, so manage.py test cannot create its test database.`,
  ].filter((p): p is string => p !== undefined);
  return {
    severity: problems.length > 0 ? 'warning' : 'info',
    offerCreate: !f.canCreateInPublic,
    message: `Alias "${alias}" connected: ${summary}, ${ssl}, round trip ${f.roundTripMs} ms, ${f.connectionsInUse}/${f.maxConnections} connections in use.`
      + `${problems.length > 0 ? ` ${problems.join(' ')}` : ''}${notHonoured}`,
    status: { kind: 'ok', summary },
  };
}

// ---------------------------------------------------------------------------------------------------
// Where the project's .env lives

/** The folder whose .gitignore should list .env: the git repository root above it, else the workspace folder. */
export function gitignoreFolder(dotenvFile: string, workspaceRoot: string | undefined, exists: (file: string) => boolean): string {
  for (let dir = path.dirname(dotenvFile); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return dir;
    if (dir === workspaceRoot || path.dirname(dir) === dir) break;
  }
  return workspaceRoot ?? path.dirname(dotenvFile);
}

export function gitignoreNote(change: 'already-ignored' | 'added' | 'created'): string {
  switch (change) {
    case 'already-ignored': return '.gitignore already ignores .env.';
    case 'added': return '.env was added to .gitignore.';
    case 'created': return '.gitignore was created to ignore .env.';
  }
}
