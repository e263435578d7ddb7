// `django-postgres test-connection` and `django-postgres create-db`: options already parsed by the CLI entry,
// output through a writer, the exit code returned. Same module as the VS Code commands.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveSettingsFile } from '../model/resolve';
import { readDotenv } from '../project/dotenv';
import { PYTHON_DOTENV } from '../project/dotenvReaders';
import { lookupEnvironmentOf, pythonFilesOnDisk } from '../project/projectDotenv';
import { findManagePyUpward, settingsFileOfManagePy } from '../project/settingsDiscovery';
import type { LookupEnvironment, ResolvedDatabase } from '../model/resolved';
import { adminFromUrl, executeCreateDatabase, planCreateDatabase } from './createDatabase';
import { sanitize } from './errors';
import { formatPlan, formatReport, formatTestConnectionResult } from './format';
import { testConnection, type Driver } from './testConnection';

/** Exit codes; 3 is create-db's "declined" and test-connection's "Cannot confirm". */
export const EXIT = { ok: 0, failed: 1, usage: 2, declined: 3, cannotConfirm: 3 } as const;

export interface CliIo {
  log(line: string): void;
  error(line: string): void;
  /** Ask a yes/no question; absent when there is no terminal (then --yes is required). */
  confirm?(question: string): Promise<boolean>;
  /** Ask for a secret without echoing it. */
  promptSecret?(question: string): Promise<string | undefined>;
  /** Process environment (default process.env). */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface TestConnectionArgs {
  settings?: string;
  alias?: string;
  envFile?: string;
  /** The driver Django uses (default psycopg 3). */
  driver?: Driver;
}

export interface CreateDbArgs extends TestConnectionArgs {
  /** postgres://user[:password]@host[:port][/db]; the password may instead come from PGPASSWORD or a prompt. */
  admin: string;
  yes?: boolean;
  /** Override the CREATEDB default (on for a local host, off for a remote one). */
  createDb?: boolean;
}

class UsageError extends Error {}

/** The settings file named by manage.py's DJANGO_SETTINGS_MODULE default, when --settings is not given. */
function defaultSettingsFile(cwd: string): string {
  const manage = findManagePyUpward(cwd);
  if (!manage) throw new UsageError('No manage.py here or above; pass --settings path/to/settings.py');
  const named = settingsFileOfManagePy(manage);
  if (!named) throw new UsageError(`${manage} does not name DJANGO_SETTINGS_MODULE; pass --settings path/to/settings.py`);
  if (!named.file) throw new UsageError(`Settings module ${named.module} not found next to ${manage}; pass --settings`);
  return named.file;
}

/** Process environment and the .env files the project loads (--env-file: that file, read as python-dotenv does). */
function lookupEnvironment(settingsFile: string, args: TestConnectionArgs, io: CliIo): LookupEnvironment {
  const environ = io.env ?? process.env;
  if (args.envFile) {
    const envFile = resolve(io.cwd ?? process.cwd(), args.envFile);
    if (!existsSync(envFile)) throw new UsageError(`--env-file ${args.envFile} does not exist`);
    return { process: environ, dotenv: readDotenv(envFile, PYTHON_DOTENV, environ) ?? {}, dotenvFile: envFile };
  }
  // The same files the language server reads: the settings' own loads, else the nearest .env in the project.
  const manage = findManagePyUpward(dirname(settingsFile));
  return lookupEnvironmentOf(settingsFile, { workspaceRoot: dirname(manage ?? settingsFile), environ, python: pythonFilesOnDisk() });
}

function loadAlias(args: TestConnectionArgs, io: CliIo): ResolvedDatabase {
  const cwd = io.cwd ?? process.cwd();
  const settingsFile = args.settings ? resolve(cwd, args.settings) : defaultSettingsFile(cwd);
  if (!existsSync(settingsFile)) throw new UsageError(`Settings file ${settingsFile} does not exist`);
  const aliases = resolveSettingsFile(settingsFile, lookupEnvironment(settingsFile, args, io));
  const wanted = args.alias ?? 'default';
  const found = aliases.find((a) => a.alias === wanted);
  if (!found) {
    const known = aliases.map((a) => a.alias).join(', ') || 'none';
    throw new UsageError(`No DATABASES alias "${wanted}" in ${settingsFile} (found: ${known})`);
  }
  return found;
}

export async function runTestConnectionCommand(args: TestConnectionArgs, io: CliIo): Promise<number> {
  let db: ResolvedDatabase | undefined;
  return guarded(io, () => [String(db?.password.value ?? '')], async () => {
    db = loadAlias(args, io);
    const result = await testConnection(db, { env: io.env, driver: args.driver });
    for (const line of formatTestConnectionResult(result)) (result.ok ? io.log : io.error).call(io, line);
    return result.ok ? EXIT.ok : result.verdict === 'cannotConfirm' ? EXIT.cannotConfirm : EXIT.failed;
  });
}

export async function runCreateDbCommand(args: CreateDbArgs, io: CliIo): Promise<number> {
  let db: ResolvedDatabase | undefined;
  let adminPassword: string | undefined;
  return guarded(io, () => [String(db?.password.value ?? ''), adminPassword ?? ''], async () => {
    if (!args.admin) throw new UsageError('create-db needs --admin postgres://USER@HOST[:PORT] (password from PGPASSWORD or a prompt)');
    let admin;
    try {
      admin = adminFromUrl(args.admin);
    } catch (error) {
      throw new UsageError(`--admin: ${(error as Error).message}`);
    }
    adminPassword = admin.password;
    db = loadAlias(args, io);
    const plan = planCreateDatabase(db, { env: io.env, createDb: args.createDb });
    for (const line of formatPlan(plan)) io.log(line);
    if (plan.problems.length > 0) return EXIT.usage;
    if (!args.yes) {
      if (!io.confirm) {
        io.error('Not run: pass --yes to run this plan without a terminal.');
        return EXIT.declined;
      }
      if (!(await io.confirm('Run this plan?'))) return EXIT.declined;
    }
    if (admin.password === undefined) {
      admin.password = (io.env ?? process.env).PGPASSWORD ?? (await io.promptSecret?.(`Password for admin role ${admin.user ?? 'postgres'}: `));
      adminPassword = admin.password;
    }
    const first = await executeCreateDatabase(plan, admin, { updatePassword: false });
    let report = first;
    const roleExisted = first.steps[0].outcome === 'alreadyExisted';
    if (first.ok && roleExisted && plan.hasPassword) {
      // Changing an existing role's password can break other clients: ask, or take --yes as the answer.
      const update = args.yes || (io.confirm ? await io.confirm(`Role "${plan.role}" exists. Set its password to the one in the settings?`) : false);
      if (update) report = await executeCreateDatabase(plan, admin, { updatePassword: true });
    }
    for (const line of formatReport(report)) (report.ok ? io.log : io.error).call(io, line);
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}

async function guarded(io: CliIo, secrets: () => string[], body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    io.error(sanitize(error instanceof Error ? error.message : String(error), secrets()));
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}

export { formatPlan, formatReport, formatTestConnectionResult };
