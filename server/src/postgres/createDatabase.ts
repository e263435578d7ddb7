// Create Postgres DB for Django: plan (shown to the user first), then run idempotently as an admin role.
// Never DROPs, never touches a database other than the maintenance database and the target.
// Statements: https://www.postgresql.org/docs/current/sql-createrole.html, sql-createdatabase.html, sql-grant.html
import { escapeIdentifier, escapeLiteral, type Client, type ClientConfig } from 'pg';
import { scramSha256Verifier } from '../pgbouncer/scram';
import type { ResolvedDatabase } from '../model/resolved';
import { buildConnectionPlan, isLocalHost, type ConnectionConfigOptions } from './connectionConfig';
import { explainError, sanitize, type FailureExplanation } from './errors';
import { connectClient } from './testConnection';

export type StepId = 'role' | 'createdb' | 'database' | 'grantDatabase' | 'grantSchema';

export interface PlanStep {
  id: StepId;
  title: string;
  /** The SQL that runs when the object is missing; passwords masked. */
  sql: string;
  /** The SQL that runs when it exists and an update was agreed to (role password); passwords masked. */
  sqlWhenExists?: string;
  /** Where it runs: the admin's maintenance database or the new database. */
  runsIn: 'maintenance' | 'target';
}

export interface CreateDatabasePlan {
  alias: string;
  role: string;
  database: string;
  owner: string;
  encoding: 'UTF8';
  /** Give the role CREATEDB so `manage.py test` can create its test database. */
  createDb: boolean;
  /** Why createDb has the value it has, in plain words. */
  createDbReason: string;
  /** Host of the settings, where the admin connects by default (host, port). */
  host: string;
  port: number;
  isLocal: boolean;
  hasPassword: boolean;
  steps: PlanStep[];
  /** Reasons the plan cannot run (empty when it can). */
  problems: string[];
  notes: string[];
}

export interface PlanOptions extends ConnectionConfigOptions {
  /** Force CREATEDB on or off; by default on for a local host, off (a choice to offer) for a remote one. */
  createDb?: boolean;
}

export interface AdminConnection {
  /** Host name, IP or Unix socket directory; default: the settings' host. */
  host?: string;
  /** Default: the settings' port. */
  port?: number;
  /** Default "postgres". */
  user?: string;
  password?: string;
  /** Maintenance database to connect to first, default "postgres". */
  database?: string;
  /** TLS for the admin connection; default: the settings' sslmode. */
  ssl?: ClientConfig['ssl'];
  connectTimeoutMs?: number;
}

export type StepOutcome = 'created' | 'alreadyExisted' | 'updated' | 'skipped' | 'failed' | 'notRun';

export interface StepReport {
  id: StepId;
  title: string;
  outcome: StepOutcome;
  /** One line for the user. */
  message: string;
}

export interface CreateDatabaseReport {
  ok: boolean;
  steps: StepReport[];
  /** Things that exist but differ from the plan (other owner, other encoding...). */
  warnings: string[];
  failure?: FailureExplanation;
}

const MASKED = "'********'";
const PASSWORD = Symbol('rolePassword');
type PlanWithSecret = CreateDatabasePlan & { [PASSWORD]?: string };

/** PostgreSQL silently truncates identifiers longer than 63 bytes. */
const MAX_IDENTIFIER_BYTES = 63;

function roleSql(role: string, passwordSql: string | undefined, verb: 'CREATE' | 'ALTER'): string {
  return `${verb} ROLE ${escapeIdentifier(role)} WITH LOGIN${passwordSql === undefined ? '' : ` PASSWORD ${passwordSql}`}`;
}

function databaseSql(database: string, owner: string, useTemplate0: boolean): string {
  return `CREATE DATABASE ${escapeIdentifier(database)} WITH OWNER ${escapeIdentifier(owner)} ENCODING 'UTF8'${useTemplate0 ? ' TEMPLATE template0' : ''}`;
}

const sqlFor = {
  createdb: (role: string) => `ALTER ROLE ${escapeIdentifier(role)} CREATEDB`,
  grantDatabase: (database: string, role: string) => `GRANT ALL PRIVILEGES ON DATABASE ${escapeIdentifier(database)} TO ${escapeIdentifier(role)}`,
  grantSchema: (role: string) => `GRANT USAGE, CREATE ON SCHEMA public TO ${escapeIdentifier(role)}`,
};

/** What will be created, and the SQL, for the user to confirm. Pure: no connection. */
export function planCreateDatabase(db: ResolvedDatabase, opts: PlanOptions = {}): CreateDatabasePlan {
  const conn = buildConnectionPlan(db, opts);
  const first = conn.targets[0]?.config;
  const role = first?.user ?? '';
  const database = first?.database ?? '';
  const password = typeof first?.password === 'string' ? first.password : '';
  const host = first?.host ?? '';
  const port = first?.port ?? 5432;
  const isLocal = isLocalHost(host);
  const problems: string[] = [];
  const notes: string[] = [];

  for (const block of conn.blocking) {
    if (block.option.startsWith('OPTIONS.ssl')) notes.push(`${block.option} ${block.reason}.`);
    else problems.push(`${block.option} ${block.reason}.`);
  }
  for (const [label, value] of [['USER', role], ['NAME', database]] as const) {
    if (Buffer.byteLength(value, 'utf8') > MAX_IDENTIFIER_BYTES) {
      problems.push(`${label} "${value}" is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it.`);
    }
  }
  if (db.password.source === 'missing' && db.password.variable) {
    notes.push(`PASSWORD reads ${db.password.variable}, which is not set: the role is created without a password.`);
  } else if (password === '') {
    notes.push('PASSWORD is empty: the role is created without a password, so Django will need peer or trust authentication.');
  }
  if (conn.targets.length > 1) notes.push(`HOST lists ${conn.targets.length} hosts: the database is created on the first one (${conn.targets[0].label}) only.`);

  const createDb = opts.createDb ?? isLocal;
  const createDbReason = opts.createDb !== undefined
    ? (createDb ? 'CREATEDB requested: `manage.py test` can create and drop its test database.'
      : 'CREATEDB not requested: `manage.py test` will fail to create its test database unless it exists already.')
    : isLocal
      ? 'CREATEDB is on because the server is on this machine: `manage.py test` needs it to create its test database.'
      : 'CREATEDB is off because the server is remote: turn it on only if tests run against this server (`manage.py test` creates a test database).';

  const passwordShown = password === '' ? undefined : MASKED;
  const steps: PlanStep[] = [
    {
      id: 'role', title: `Create role "${role}" with LOGIN${password ? ' and the PASSWORD from the settings' : ''}`,
      sql: roleSql(role, passwordShown, 'CREATE'), sqlWhenExists: password ? roleSql(role, passwordShown, 'ALTER') : undefined, runsIn: 'maintenance',
    },
    { id: 'createdb', title: createDb ? `Allow "${role}" to create databases (CREATEDB)` : 'CREATEDB not granted', sql: createDb ? sqlFor.createdb(role) : '', runsIn: 'maintenance' },
    {
      id: 'database', title: `Create database "${database}" owned by "${role}", encoding UTF8`,
      sql: databaseSql(database, role, false), runsIn: 'maintenance',
    },
    { id: 'grantDatabase', title: `Grant all privileges on database "${database}" to "${role}"`, sql: sqlFor.grantDatabase(database, role), runsIn: 'maintenance' },
    { id: 'grantSchema', title: `Grant USAGE and CREATE on schema public to "${role}" (needed on PostgreSQL 15+)`, sql: sqlFor.grantSchema(role), runsIn: 'target' },
  ];
  const plan: PlanWithSecret = {
    alias: db.alias, role, database, owner: role, encoding: 'UTF8', createDb, createDbReason, host, port, isLocal,
    hasPassword: password !== '', steps, problems, notes: [...notes, ...conn.notes.filter((n) => n.startsWith('HOST is empty'))],
  };
  // Kept off the enumerable fields so the plan can be logged or sent over JSON without the password.
  Object.defineProperty(plan, PASSWORD, { value: password, enumerable: false });
  return plan;
}

/** Parse `postgres://user[:password]@host[:port][/database][?sslmode=...&host=/socket/dir]` into an admin connection. */
export function adminFromUrl(url: string): AdminConnection {
  const parsed = new URL(url);
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) throw new Error('The admin URL must start with postgres:// or postgresql://');
  const admin: AdminConnection = {};
  const socketDir = parsed.searchParams.get('host');
  if (socketDir) admin.host = socketDir;
  else if (parsed.hostname) admin.host = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ''));
  if (parsed.port) admin.port = Number(parsed.port);
  if (parsed.username) admin.user = decodeURIComponent(parsed.username);
  if (parsed.password) admin.password = decodeURIComponent(parsed.password);
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (path) admin.database = path;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode === 'disable') admin.ssl = false;
  else if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'allow') admin.ssl = { rejectUnauthorized: false };
  else if (sslmode === 'verify-ca' || sslmode === 'verify-full') admin.ssl = { rejectUnauthorized: true };
  return admin;
}

function adminConfig(plan: CreateDatabasePlan, admin: AdminConnection, database: string): ClientConfig {
  const host = admin.host ?? plan.host;
  const local = host.startsWith('/') || isLocalHost(host);
  return {
    host, port: admin.port ?? plan.port, user: admin.user ?? 'postgres', password: admin.password, database,
    ssl: host.startsWith('/') ? false : admin.ssl ?? (local ? false : { rejectUnauthorized: false }),
    connectionTimeoutMillis: admin.connectTimeoutMs ?? 10_000, client_encoding: 'UTF8',
  };
}

async function one<Row>(client: Client, sql: string, params: unknown[]): Promise<Row | undefined> {
  return (await client.query(sql, params)).rows[0] as Row | undefined;
}

/** Run the plan as the admin. Idempotent: existing objects are reported, not recreated; nothing is dropped. */
export async function executeCreateDatabase(
  plan: CreateDatabasePlan, admin: AdminConnection, opts: { updatePassword: boolean },
): Promise<CreateDatabaseReport> {
  const password = (plan as PlanWithSecret)[PASSWORD] ?? '';
  const secrets = [password, admin.password ?? ''].filter((s) => s !== '');
  const steps: StepReport[] = plan.steps.map((s) => ({ id: s.id, title: s.title, outcome: 'notRun', message: '' }));
  const warnings: string[] = [];
  const report = (): CreateDatabaseReport => ({ ok: steps.every((s) => s.outcome !== 'failed' && s.outcome !== 'notRun'), steps, warnings });
  if (plan.problems.length > 0) {
    return { ...report(), ok: false, failure: { kind: 'other', cause: plan.problems[0], fix: 'Fix the settings, then run again.', detail: plan.problems.join(' ') } };
  }
  const { role, database } = plan;
  const step = (id: StepId) => steps.find((s) => s.id === id) as StepReport;
  const set = (id: StepId, outcome: StepOutcome, message: string) => Object.assign(step(id), { outcome, message });
  let current: StepId = 'role';
  let client: Client | undefined;
  const maintenance = adminConfig(plan, admin, admin.database ?? 'postgres');
  try {
    client = await connectClient(maintenance);

    current = 'role';
    const existing = await one<{ rolcreatedb: boolean; rolsuper: boolean; rolcanlogin: boolean }>(client,
      'SELECT rolcreatedb, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
    // The server gets a SCRAM-SHA-256 verifier, never the password itself: nothing readable can reach its
    // statement log (log_statement = 'ddl') or pg_stat_activity.
    const passwordSql = password === '' ? undefined : escapeLiteral(scramSha256Verifier(password));
    if (!existing) {
      await client.query(roleSql(role, passwordSql, 'CREATE'));
      set('role', 'created', `Role "${role}" created with LOGIN${password ? ' and its password' : ''}.`);
    } else if (opts.updatePassword && passwordSql !== undefined) {
      await client.query(roleSql(role, passwordSql, 'ALTER'));
      set('role', 'updated', `Role "${role}" already existed; its password was updated${existing.rolcanlogin ? '' : ' and LOGIN granted'}.`);
    } else {
      set('role', 'alreadyExisted', `Role "${role}" already exists; its password was left unchanged.`);
      if (!existing.rolcanlogin) warnings.push(`Role "${role}" exists but cannot log in (NOLOGIN); Django will not be able to connect as it.`);
    }

    current = 'createdb';
    if (!plan.createDb) {
      set('createdb', 'skipped', `CREATEDB not granted to "${role}".`);
    } else if (existing && (existing.rolcreatedb || existing.rolsuper)) {
      set('createdb', 'alreadyExisted', `"${role}" can already create databases.`);
    } else {
      await client.query(sqlFor.createdb(role));
      set('createdb', 'updated', `"${role}" may now create databases (for manage.py test).`);
    }

    current = 'database';
    const dbRow = await one<{ owner: string; encoding: string }>(client,
      'SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1', [database]);
    if (dbRow) {
      set('database', 'alreadyExisted', `Database "${database}" already exists (owner "${dbRow.owner}", encoding ${dbRow.encoding}).`);
      if (dbRow.owner !== role) warnings.push(`Database "${database}" is owned by "${dbRow.owner}", not "${role}"; it was left as it is.`);
      if (dbRow.encoding !== 'UTF8') warnings.push(`Database "${database}" uses encoding ${dbRow.encoding}, not UTF8; it was left as it is.`);
    } else {
      const template = await one<{ encoding: string }>(client, "SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = 'template1'", []);
      const useTemplate0 = template?.encoding !== 'UTF8';
      await client.query(databaseSql(database, role, useTemplate0));
      set('database', 'created', `Database "${database}" created, owner "${role}", encoding UTF8${useTemplate0 ? ` (from template0: the cluster's default encoding is ${template?.encoding})` : ''}.`);
    }

    current = 'grantDatabase';
    const dbPrivileges = await one<{ all: boolean }>(client,
      "SELECT has_database_privilege($1, $2, 'CREATE') AND has_database_privilege($1, $2, 'CONNECT') AND has_database_privilege($1, $2, 'TEMPORARY') AS all",
      [role, database]);
    if (dbPrivileges?.all) {
      set('grantDatabase', 'alreadyExisted', `"${role}" already has all privileges on database "${database}".`);
    } else {
      await client.query(sqlFor.grantDatabase(database, role));
      set('grantDatabase', 'updated', `Granted all privileges on database "${database}" to "${role}".`);
    }
    await client.end();
    client = undefined;

    current = 'grantSchema';
    client = await connectClient(adminConfig(plan, admin, database));
    const schemaPrivileges = await one<{ all: boolean }>(client,
      "SELECT has_schema_privilege($1, 'public', 'USAGE') AND has_schema_privilege($1, 'public', 'CREATE') AS all", [role]);
    if (schemaPrivileges?.all) {
      set('grantSchema', 'alreadyExisted', `"${role}" can already create tables in schema public.`);
    } else {
      await client.query(sqlFor.grantSchema(role));
      set('grantSchema', 'updated', `"${role}" may now create tables in schema public of "${database}".`);
    }
    return report();
  } catch (error) {
    const failure = explainError(error, {
      target: `${maintenance.host}:${maintenance.port}`, user: maintenance.user, database: current === 'grantSchema' ? database : maintenance.database, secrets,
    });
    if (!client && ['badPassword', 'noRole', 'peerAuth', 'noHbaEntry'].includes(failure.kind)) {
      // The admin connection failed: the fix is about the admin credentials, not DATABASES.
      failure.fix = `Check the admin connection (user "${maintenance.user}", its password, host and port); on the server itself you can use the Unix socket directory where peer authentication works.`;
    }
    set(current, 'failed', sanitize(failure.detail, secrets));
    return { ...report(), ok: false, failure };
  } finally {
    await client?.end().catch(() => undefined);
  }
}
