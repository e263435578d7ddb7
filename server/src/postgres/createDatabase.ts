// Create Postgres DB for Django: plan (shown to the user first), then run idempotently as an admin role,
// a superuser or the CREATEROLE CREATEDB login of a managed service. Never DROPs, never touches a database
// other than the maintenance database and the target.
// Statements: https://www.postgresql.org/docs/current/sql-createrole.html, sql-createdatabase.html, sql-grant.html
// What a non-superuser admin may do differs by version (checked on 14 to 18 by test/integration/postgres-matrix):
// CREATE DATABASE … OWNER r needs membership in r (14, 15: "must be member of role") or the SET option on it
// (16+: "must be able to SET ROLE"); on 16+ a CREATEROLE admin holds ADMIN OPTION only on the roles it created,
// and gives CREATEDB only if it has CREATEDB itself.
import { escapeIdentifier, escapeLiteral, type Client, type ClientConfig } from 'pg';
import { scramSha256Verifier } from '../pgbouncer/scram';
import type { ResolvedDatabase } from '../model/resolved';
import { buildConnectionPlan, isLocalHost, type ConnectionConfigOptions } from './connectionConfig';
import { explainError, sanitize, type FailureExplanation } from './errors';
import { connectClient } from './testConnection';

export type StepId = 'role' | 'createdb' | 'membership' | 'database' | 'grantDatabase' | 'grantSchema';

export interface PlanStep {
  id: StepId;
  title: string;
  /** The SQL that runs when the object is missing; passwords masked. */
  sql: string;
  /** The SQL that runs when it exists and an update was agreed to (role password); passwords masked. */
  sqlWhenExists?: string;
  /** The SQL PostgreSQL 14 and 15 get instead, where it differs. */
  sqlBefore16?: string;
  /** The admin powers the step needs, in a few words. */
  needs: string;
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
  /** The admin connection succeeded (a failure after it is a statement's, never "could not connect"). */
  connected: boolean;
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

/** The admin may make `role` a database owner: the SET option on 16+ (INHERIT is not needed), plain membership before. */
function membershipSql(role: string, admin: string, serverVersionNum: number): string {
  return `GRANT ${escapeIdentifier(role)} TO ${admin}${serverVersionNum >= 160000 ? ' WITH INHERIT FALSE, SET TRUE' : ''}`;
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
      needs: 'CREATEROLE; changing the password of an existing role on PostgreSQL 16+ needs ADMIN OPTION on it',
    },
    {
      id: 'createdb', title: createDb ? `Allow "${role}" to create databases (CREATEDB)` : 'CREATEDB not granted', sql: createDb ? sqlFor.createdb(role) : '', runsIn: 'maintenance',
      needs: 'CREATEROLE; on PostgreSQL 16+ also CREATEDB itself and ADMIN OPTION on the role (it has it on roles it created); skipped with a warning when the admin may not',
    },
    {
      id: 'membership', title: `Let the admin hand "${role}" a database (role membership; not needed by a superuser)`,
      sql: membershipSql(role, 'CURRENT_USER', 160000), sqlBefore16: membershipSql(role, 'CURRENT_USER', 150000), runsIn: 'maintenance',
      needs: 'CREATEROLE on 14 and 15; on 16+ ADMIN OPTION on the role, which a CREATEROLE admin has on the roles it created',
    },
    {
      id: 'database', title: `Create database "${database}" owned by "${role}", encoding UTF8`,
      sql: databaseSql(database, role, false), runsIn: 'maintenance',
      needs: 'CREATEDB, and membership in the role (14, 15) or the SET option on it (16+)',
    },
    {
      id: 'grantDatabase', title: `Grant all privileges on database "${database}" to "${role}"`, sql: sqlFor.grantDatabase(database, role), runsIn: 'maintenance',
      needs: 'nothing when the role owns the database; otherwise ownership of it',
    },
    {
      id: 'grantSchema', title: `Grant USAGE and CREATE on schema public to "${role}" (only where it lacks them: PostgreSQL 15+ and a database it does not own)`,
      sql: sqlFor.grantSchema(role), runsIn: 'target',
      needs: 'nothing when the role owns the database; otherwise ownership of the database (schema public belongs to pg_database_owner on 15+)',
    },
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

/** A statement the server refused after we connected: which one, its SQLSTATE, and what a superuser would run instead. */
class StatementError extends Error {
  constructor(readonly statement: string, readonly superuserStatement: string, message: string, readonly code: string) {
    super(message);
  }
}

/** SQLSTATE of "insufficient privilege", and of the warning "no privileges were granted". */
const INSUFFICIENT_PRIVILEGE = '42501';
const PRIVILEGE_NOT_GRANTED = '01007';

/** A GRANT that changed nothing: PostgreSQL only warns ("no privileges were granted") when the grantor lacks the right. */
function nothingGranted(statement: string, superuserStatement: string, target: string): StatementError {
  return new StatementError(statement, superuserStatement,
    `no privileges were granted for "${target}": the admin neither owns it nor holds grant options on it`, PRIVILEGE_NOT_GRANTED);
}

/** Runs `sql` (shown as `shown`); a server error comes back as a StatementError naming the statement and what a superuser would run. */
async function runStatement(client: Client, sql: string, shown = sql, superuserStatement = `${shown};`): Promise<void> {
  try {
    await client.query(sql);
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) throw new StatementError(shown, superuserStatement, String(e.message), e.code);
    throw error;
  }
}

interface AdminFacts {
  admin: string;
  superuser: boolean;
  /** server_version_num, e.g. 160004. */
  version: number;
}

/** Run the plan as the admin. Idempotent: existing objects are reported, not recreated; nothing is dropped. */
export async function executeCreateDatabase(
  plan: CreateDatabasePlan, admin: AdminConnection, opts: { updatePassword: boolean },
): Promise<CreateDatabaseReport> {
  const password = (plan as PlanWithSecret)[PASSWORD] ?? '';
  const secrets = [password, admin.password ?? ''].filter((s) => s !== '');
  const steps: StepReport[] = plan.steps.map((s) => ({ id: s.id, title: s.title, outcome: 'notRun', message: '' }));
  const warnings: string[] = [];
  let connected = false;
  const report = (): CreateDatabaseReport => ({ ok: steps.every((s) => s.outcome !== 'failed' && s.outcome !== 'notRun'), connected, steps, warnings });
  if (plan.problems.length > 0) {
    return { ...report(), ok: false, failure: { kind: 'other', cause: plan.problems[0], fix: 'Fix the settings, then run again.', detail: plan.problems.join(' ') } };
  }
  const { role, database } = plan;
  const step = (id: StepId) => steps.find((s) => s.id === id) as StepReport;
  const set = (id: StepId, outcome: StepOutcome, message: string) => Object.assign(step(id), { outcome, message });
  let current: StepId = 'role';
  let client: Client | undefined;
  let facts: AdminFacts | undefined;
  const maintenance = adminConfig(plan, admin, admin.database ?? 'postgres');
  try {
    client = await connectClient(maintenance);
    connected = true;
    facts = await one<AdminFacts>(client,
      "SELECT current_user AS admin, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser, current_setting('server_version_num')::int AS version", []);
    if (!facts) throw new Error('the server did not say who the admin is');
    const adminName = escapeIdentifier(facts.admin);
    const v16 = facts.version >= 160000;

    current = 'role';
    const existing = await one<{ rolcreatedb: boolean; rolsuper: boolean; rolcanlogin: boolean }>(client,
      'SELECT rolcreatedb, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
    // The server gets a SCRAM-SHA-256 verifier, never the password itself: nothing readable can reach its
    // statement log (log_statement = 'ddl') or pg_stat_activity.
    const passwordSql = password === '' ? undefined : escapeLiteral(scramSha256Verifier(password));
    const shownPassword = password === '' ? undefined : MASKED;
    if (!existing) {
      await runStatement(client, roleSql(role, passwordSql, 'CREATE'), roleSql(role, shownPassword, 'CREATE'));
      set('role', 'created', `Role "${role}" created with LOGIN${password ? ' and its password' : ''}.`);
    } else if (opts.updatePassword && passwordSql !== undefined) {
      await runStatement(client, roleSql(role, passwordSql, 'ALTER'), roleSql(role, shownPassword, 'ALTER'));
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
      try {
        await runStatement(client, sqlFor.createdb(role));
        set('createdb', 'updated', `"${role}" may now create databases (for manage.py test).`);
      } catch (error) {
        if (!(error instanceof StatementError) || error.code !== INSUFFICIENT_PRIVILEGE) throw error;
        // Optional: the database can still be made; only `manage.py test` will miss it.
        const why = v16 ? 'on PostgreSQL 16+ that takes CREATEDB in the admin itself and ADMIN OPTION on the role' : 'that takes CREATEROLE';
        set('createdb', 'skipped', `"${facts.admin}" may not give "${role}" CREATEDB (${why}); a superuser would run: ${error.superuserStatement}`);
        warnings.push(`"${role}" lacks CREATEDB, so manage.py test cannot create its test database; a superuser would run: ${error.superuserStatement}`);
      }
    }

    current = 'database';
    const dbRow = await one<{ owner: string; encoding: string }>(client,
      'SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1', [database]);
    current = 'membership';
    if (dbRow) {
      set('membership', 'skipped', `Not needed: database "${database}" already exists.`);
    } else if (facts.superuser) {
      set('membership', 'skipped', `Not needed: "${facts.admin}" is a superuser.`);
    } else {
      const able = await one<{ able: boolean }>(client, 'SELECT pg_has_role(current_user, $1, $2) AS able', [role, v16 ? 'SET' : 'MEMBER']);
      if (able?.able) {
        set('membership', 'alreadyExisted', `"${facts.admin}" can already act as "${role}".`);
      } else {
        const grant = membershipSql(role, adminName, facts.version);
        await runStatement(client, grant);
        set('membership', 'updated', `"${facts.admin}" may now hand databases to "${role}" (${grant}); it stays a member, so a second run needs no grant.`);
      }
    }

    current = 'database';
    if (dbRow) {
      set('database', 'alreadyExisted', `Database "${database}" already exists (owner "${dbRow.owner}", encoding ${dbRow.encoding}).`);
      if (dbRow.owner !== role) warnings.push(`Database "${database}" is owned by "${dbRow.owner}", not "${role}"; it was left as it is.`);
      if (dbRow.encoding !== 'UTF8') warnings.push(`Database "${database}" uses encoding ${dbRow.encoding}, not UTF8; it was left as it is.`);
    } else {
      const template = await one<{ encoding: string }>(client, "SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = 'template1'", []);
      const useTemplate0 = template?.encoding !== 'UTF8';
      await runStatement(client, databaseSql(database, role, useTemplate0));
      set('database', 'created', `Database "${database}" created, owner "${role}", encoding UTF8${useTemplate0 ? ` (from template0: the cluster's default encoding is ${template?.encoding})` : ''}.`);
    }

    current = 'grantDatabase';
    const databasePrivileges = "SELECT has_database_privilege($1, $2, 'CREATE') AND has_database_privilege($1, $2, 'CONNECT') AND has_database_privilege($1, $2, 'TEMPORARY') AS all, has_database_privilege($1, $2, 'CONNECT') AS connect";
    const dbPrivileges = await one<{ all: boolean }>(client, databasePrivileges, [role, database]);
    if (dbPrivileges?.all) {
      set('grantDatabase', 'alreadyExisted', `"${role}" already has all privileges on database "${database}".`);
    } else {
      await runStatement(client, sqlFor.grantDatabase(database, role));
      const after = await one<{ all: boolean; connect: boolean }>(client, databasePrivileges, [role, database]);
      if (after?.all) {
        set('grantDatabase', 'updated', `Granted all privileges on database "${database}" to "${role}".`);
      } else if (after?.connect) {
        // Django needs CONNECT only (PUBLIC has it by default): say what is missing, and go on.
        set('grantDatabase', 'skipped', `"${facts.admin}" may not grant privileges on "${database}" (it does not own it); "${role}" can connect, which is what Django needs. A superuser would run: ${sqlFor.grantDatabase(database, role)};`);
      } else {
        throw nothingGranted(sqlFor.grantDatabase(database, role), `${sqlFor.grantDatabase(database, role)};`, database);
      }
    }
    await client.end();
    client = undefined;

    current = 'grantSchema';
    client = await connectClient(adminConfig(plan, admin, database));
    const schemaPrivileges = "SELECT has_schema_privilege($1, 'public', 'USAGE') AND has_schema_privilege($1, 'public', 'CREATE') AS all";
    if ((await one<{ all: boolean }>(client, schemaPrivileges, [role]))?.all) {
      set('grantSchema', 'alreadyExisted', `"${role}" can already create tables in schema public.`);
    } else {
      const asSuperuser = `${sqlFor.grantSchema(role)};   -- in database ${escapeIdentifier(database)}`;
      await runStatement(client, sqlFor.grantSchema(role), undefined, asSuperuser);
      if (!(await one<{ all: boolean }>(client, schemaPrivileges, [role]))?.all) throw nothingGranted(sqlFor.grantSchema(role), asSuperuser, 'public');
      set('grantSchema', 'updated', `"${role}" may now create tables in schema public of "${database}".`);
    }
    return report();
  } catch (error) {
    const failed = error instanceof StatementError ? error : undefined;
    const failure = explainError(error, {
      target: `${maintenance.host}:${maintenance.port}`, user: facts?.admin ?? maintenance.user,
      database: current === 'grantSchema' ? database : maintenance.database, secrets,
      // Once connected, a failure is a statement's: never reported as "could not connect".
      statement: failed?.statement ?? (connected ? plan.steps.find((s) => s.id === current)?.title : undefined),
      superuserStatement: failed?.superuserStatement,
    });
    if (!connected && ['badPassword', 'noRole', 'peerAuth', 'noHbaEntry'].includes(failure.kind)) {
      // The admin connection failed: the fix is about the admin credentials, not DATABASES.
      failure.fix = `Check the admin connection (user "${maintenance.user}", its password, host and port); on the server itself you can use the Unix socket directory where peer authentication works.`;
    }
    const refused = failed && [INSUFFICIENT_PRIVILEGE, PRIVILEGE_NOT_GRANTED].includes(failed.code);
    // One line: the statement, why the server refused it, and what a superuser would run instead.
    set(current, 'failed', refused ? `${failure.cause} A superuser would run: ${failed.superuserStatement}` : failed ? failure.cause : sanitize(failure.detail, secrets));
    return { ...report(), ok: false, failure };
  } finally {
    await client?.end().catch(() => undefined);
  }
}
