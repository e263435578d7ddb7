// Test Connection: connect with the alias' effective settings, report what the app will meet, or why it cannot.
import { dirname } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import type { ResolvedDatabase } from '../model/resolved';
import { djangoConninfo, type ConnectionConfigOptions, type UnsupportedOption } from './connectionConfig';
import { adviseFailure, inspectProject, projectAdvice, projectNotes, type ProjectProbe, type ProjectView, type Suggestion } from './advice';
import { explainError, sanitize, type FailureExplanation } from './errors';
import { alterRoleStatements, pgbouncerEvidence, type PgBouncerEvidence } from './pgbouncerDetect';
import { get, resolveConninfo, type LibpqSystem, type ResolvedConninfo } from './libpq/conninfo';
import type { AttemptRequest, WalkStep } from './libpq/connect';
import { connectLikeDriver, type Driver } from './libpq/drivers';
import { lookupPassword } from './libpq/passfile';
import { attemptWithPg, nodeLibpqSystem, pgTransport, unconfirmableSettings } from './pgTransport';
import { probePooler, type PoolerFacts } from './poolerProbe';
import { detectProjectVersions, diskProjectFiles, type ProjectVersions } from '../project/projectVersions';
import { serverTooOldForProject } from '../project/serverSupport';

export type { PoolerFacts } from './poolerProbe';
export type { Driver } from './libpq/drivers';

export interface TestConnectionOptions extends ConnectionConfigOptions {
  /** Where to look for docker compose and pgbouncer.ini files, and the editor's environment. */
  project?: ProjectProbe;
  /** The driver Django will use: psycopg 3 (Django's default when installed) or psycopg2. They walk host lists differently.
   *  Default: the one installed or pinned in the project, else psycopg 3. */
  driver?: Driver;
  /** The project's Django, driver and libpq (default: detected from the settings file's folder up). */
  versions?: ProjectVersions;
  /** What libpq reads from the machine (default: this process's environment, home and files). */
  system?: LibpqSystem;
}

/** Connected; Failed; or Cannot confirm: Django may fail because of something this test cannot reproduce. */
export type Verdict = 'connected' | 'failed' | 'cannotConfirm';

/** What `manage.py test` will meet: the test database name, whether the role may create it, its TEMPLATE. */
export interface TestDatabaseFacts {
  /** TEST NAME, or "test_" + NAME. */
  name: string;
  exists: boolean;
  canCreate: boolean;
  template?: { name: string; exists: boolean };
}

export interface ConnectionFacts {
  /** host:port (or socket) that answered. */
  target: string;
  /** inet_server_port(): the port PostgreSQL itself listens on (null over a Unix socket). */
  serverPort?: number | null;
  /** The authentication the server asked for (SCRAM-SHA-256-PLUS, SCRAM-SHA-256, md5, password, none). */
  authentication?: string;
  serverVersion: string;
  serverVersionNum: number;
  user: string;
  database: string;
  ssl: { inUse: boolean; protocol?: string; cipher?: string };
  roundTripMs: number;
  canCreateInPublic: boolean;
  maxConnections: number;
  connectionsInUse: number;
  migrationsTableExists: boolean;
  /** The role can create databases (CREATEDB or superuser), so `manage.py test` can create its test database. */
  canCreateTestDatabase: boolean;
  isSuperuser: boolean;
  /** superuser_reserved_connections: slots ordinary roles never get. */
  reservedConnections?: number;
  testDatabase?: TestDatabaseFacts;
  /** Set when the settings lead to PgBouncer. */
  pooler?: PoolerFacts;
}

export interface AttemptFailure extends FailureExplanation {
  target: string;
}

export interface TestConnectionSuccess {
  ok: true;
  verdict: 'connected';
  facts: ConnectionFacts;
  /** Earlier hosts of the list that failed. */
  failedAttempts: AttemptFailure[];
  unsupported: UnsupportedOption[];
  notes: string[];
  /** Changes or statements the commands may offer. */
  suggestions?: Suggestion[];
}

export interface TestConnectionFailure {
  ok: false;
  /** failed: Django fails too. cannotConfirm: the failure says why Django may fail ("Cannot confirm: …"). */
  verdict: 'failed' | 'cannotConfirm';
  /** The failure to show (the last host's, or the configuration problem). */
  failure: FailureExplanation;
  /** What libpq would print, host by host. */
  libpqMessage?: string;
  /** Set when a server answered but the verdict is cannotConfirm. */
  facts?: ConnectionFacts;
  attempts: AttemptFailure[];
  unsupported: UnsupportedOption[];
  notes: string[];
  suggestions?: Suggestion[];
}

export type TestConnectionResult = TestConnectionSuccess | TestConnectionFailure;

/** Connect a client with our own timer, so a timeout is recognised whatever the driver says. */
export async function connectClient(config: ClientConfig): Promise<Client> {
  const client = new Client(config);
  // Errors after connect (server shutdown...) must not crash the host process.
  client.on('error', () => undefined);
  const timeoutMs = config.connectionTimeoutMillis ?? 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    if (timeoutMs > 0) {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout expired'), { code: 'ETIMEDOUT' })), timeoutMs + 250);
    }
  });
  try {
    await Promise.race([client.connect(), timedOut]);
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** TEST NAME as Django computes it. */
export function testDatabaseName(db: ResolvedDatabase): string {
  const explicit = db.test.NAME?.value;
  return typeof explicit === 'string' && explicit !== '' ? explicit : `test_${String(db.name.value ?? '')}`;
}

async function gatherFacts(client: Client, target: string, db: ResolvedDatabase): Promise<ConnectionFacts> {
  const started = process.hrtime.bigint();
  await client.query('SELECT 1');
  const roundTripMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { rows: [row] } = await client.query(`
    SELECT current_setting('server_version') AS server_version,
           current_setting('server_version_num')::int AS server_version_num,
           current_user AS user_name,
           current_database() AS database_name,
           has_schema_privilege(current_user, 'public', 'CREATE') AS can_create_public,
           current_setting('max_connections')::int AS max_connections,
           (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections_in_use,
           to_regclass('django_migrations') IS NOT NULL AS migrations_table,
           (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user) AS can_create_db,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS is_superuser,
           current_setting('superuser_reserved_connections')::int AS reserved_connections,
           EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS test_db_exists,
           EXISTS (SELECT 1 FROM pg_database WHERE datname = $2) AS template_exists,
           inet_server_port() AS server_port,
           s.ssl, s.version AS ssl_version, s.cipher
      FROM (SELECT 1) one
      LEFT JOIN pg_stat_ssl s ON s.pid = pg_backend_pid()`, [testDatabaseName(db), templateName(db) ?? '']);
  const template = templateName(db);
  return {
    target,
    serverPort: row.server_port ?? null,
    serverVersion: row.server_version,
    serverVersionNum: row.server_version_num,
    user: row.user_name,
    database: row.database_name,
    ssl: row.ssl ? { inUse: true, protocol: row.ssl_version ?? undefined, cipher: row.cipher ?? undefined } : { inUse: false },
    roundTripMs: Math.round(roundTripMs * 100) / 100,
    canCreateInPublic: row.can_create_public === true,
    maxConnections: row.max_connections,
    connectionsInUse: row.connections_in_use,
    migrationsTableExists: row.migrations_table === true,
    canCreateTestDatabase: row.can_create_db === true,
    isSuperuser: row.is_superuser === true,
    reservedConnections: row.reserved_connections,
    testDatabase: {
      name: testDatabaseName(db),
      exists: row.test_db_exists === true,
      canCreate: row.can_create_db === true,
      template: template === undefined ? undefined : { name: template, exists: row.template_exists === true },
    },
  };
}

function templateName(db: ResolvedDatabase): string | undefined {
  const value = db.test.TEMPLATE?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Notes after a successful connection: test database, TEMPLATE, PgBouncer, the connection budget. */
function successNotes(db: ResolvedDatabase, facts: ConnectionFacts, evidence: PgBouncerEvidence | undefined): string[] {
  const notes: string[] = [];
  const a = projectAdvice;
  const testDatabase = facts.testDatabase ?? { name: testDatabaseName(db), exists: false, canCreate: facts.canCreateTestDatabase };
  if (testDatabase.canCreate) {
    notes.push(`manage.py test creates "${testDatabase.name}": "${facts.user}" may create databases${testDatabase.exists ? ` (it exists already: Django asks before deleting it)` : ''}.`);
  } else {
    const words = { user: facts.user, testName: testDatabase.name };
    notes.push(`${a.testDatabase.cause(words)} ${a.testDatabase.fix(words)}`);
  }
  if (testDatabase.template && !testDatabase.template.exists) {
    const words = { template: testDatabase.template.name };
    notes.push(`${a.testTemplate.cause(words)} ${a.testTemplate.fix(words)}`);
  }
  const pooler = facts.pooler;
  if (pooler?.kind === 'pgbouncer') {
    const words = { reason: pooler.reason, poolMode: pooler.poolMode, from: pooler.poolModeFrom };
    notes.push(`${a.pgbouncer.cause(words)} ${a.pgbouncer.fix(words)}`);
  } else if (pooler?.kind === 'pooler') {
    const words = { reason: pooler.reason, from: pooler.poolModeFrom };
    notes.push(`${a.poolerBetween.cause(words)} ${a.poolerBetween.fix(words)}`);
  } else if (pooler?.kind === 'proxy') {
    notes.push(`${a.proxyBetween.cause(pooler)} ${a.proxyBetween.fix(pooler)}`);
  }
  const options = db.options.options?.value;
  if (facts.pooler && evidence?.ini?.ignoreStartupParameters.includes('options') && typeof options === 'string' && options.trim() !== '') {
    const words = { file: evidence.ini.file, statements: alterRoleStatements(facts.user, options) };
    notes.push(`${a.optionsDropped.cause(words)} ${a.optionsDropped.fix(words)}`);
  }
  const maxAge = db.connMaxAge.value;
  if (maxAge !== 0 && maxAge !== '0' && db.connMaxAge.source !== 'computed') {
    const words = { connMaxAge: maxAge === null ? 'None (unlimited)' : String(maxAge), maxConnections: facts.maxConnections, reserved: facts.reservedConnections ?? 0, inUse: facts.connectionsInUse };
    notes.push(`${a.connectionBudget.cause(words)} ${a.connectionBudget.fix(words)}`);
  }
  return notes;
}

/** Where libpq found the values Django left to it (service file, PG* variables, password file). */
function sourceNotes(c: ResolvedConninfo, passwordFrom: string | undefined, system: LibpqSystem): string[] {
  const notes: string[] = [];
  if (!get(c, 'password')) {
    const ignored = lookupPassword(c, system, { host: get(c, 'host')?.split(',')[0] ?? '', hostaddr: get(c, 'hostaddr')?.split(',')[0] || undefined, port: get(c, 'port')?.split(',')[0] || '5432' }).ignored;
    if (ignored) notes.push(`libpq ignores the password file: ${ignored} (chmod 600 it).`);
  }
  const interesting = ['host', 'hostaddr', 'port', 'user', 'dbname', 'password', 'sslmode', 'sslrootcert', 'target_session_attrs', 'require_auth', 'channel_binding', 'gssencmode', 'options', 'load_balance_hosts'];
  const fromService = interesting.filter((k) => c.options[k]?.source === 'service');
  if (fromService.length > 0 && c.serviceFile) notes.push(`From the service "${get(c, 'service')}" in ${c.serviceFile}: ${fromService.join(', ')}.`);
  const fromEnv = interesting.filter((k) => c.options[k]?.source === 'environment').map((k) => `${k} (${c.options[k].from})`);
  if (fromEnv.length > 0) notes.push(`From the environment, as libpq reads it: ${fromEnv.join(', ')}.`);
  if (passwordFrom) notes.push(`The password comes from ${passwordFrom}, as libpq reads it when PASSWORD and PGPASSWORD are empty.`);
  if (get(c, 'load_balance_hosts') === 'random') notes.push('load_balance_hosts=random: libpq picks the hosts in random order, so another run may reach another host.');
  return notes;
}

/** psycopg 3 went past a host where libpq (psycopg2) would have stopped: say so, the two drivers differ here. */
function driverNotes(steps: WalkStep[], target: string, driver: Driver): string[] {
  const stopper = steps.find((s) => s.target !== target && (s.rule === 'server' || s.rule === 'auth' || s.rule === 'tls') && s.code !== '57P03');
  if (driver !== 'psycopg' || !stopper) return [];
  return [`psycopg 3 went on to ${target} after ${stopper.target} failed (${stopper.message.split('\n')[0]}); under psycopg2, libpq stops at that failure and Django would not connect.`];
}

/** The libpq step that decides the outcome, explained in Django terms. */
function explainStep(step: WalkStep, c: ResolvedConninfo | undefined, secrets: string[]): FailureExplanation {
  const socket = step.target.includes('Unix socket');
  return explainError({ code: step.code, message: step.message }, {
    target: step.target || undefined, user: c ? get(c, 'user') : undefined, database: c ? get(c, 'dbname') : undefined,
    connectTimeoutMs: c && Number(get(c, 'connect_timeout')) > 0 ? Number(get(c, 'connect_timeout')) * 1000 : 10_000,
    timedOut: step.code === 'ETIMEDOUT', secrets, unixSocket: socket, targetSessionAttrs: c ? get(c, 'target_session_attrs') : undefined,
  });
}

const CANNOT_CONFIRM_FIX = 'Run the connection from Django itself (python manage.py dbshell, or connection.ensure_connection() in manage.py shell) to see what it does; this test cannot reproduce that part.';

/** Connect as Django + libpq would (hosts, TLS fallbacks, authentication rules, target_session_attrs) and report facts or the cause of failure. Never throws. */
export async function testConnection(db: ResolvedDatabase, opts: TestConnectionOptions = {}): Promise<TestConnectionResult> {
  // libpq in Django's process also reads the PG* variables the project's .env exports there.
  const env = { ...(opts.env ?? process.env), ...db.libpqEnvironment };
  const system = opts.system ?? { ...nodeLibpqSystem(env), socketDir: opts.defaultSocketDir };
  const django = djangoConninfo(db);
  const secrets = [django.keywords.password, django.keywords.sslpassword].filter((s): s is string => typeof s === 'string' && s !== '');
  const mask = (s: string) => sanitize(s, secrets);
  const probe: ProjectProbe = { env, ...opts.project };
  const project: ProjectView = inspectProject(db, probe);
  const notes = [...django.notes, ...projectNotes(db, project, probe)];
  const failed = (failure: FailureExplanation, extra: Partial<TestConnectionFailure> = {}): TestConnectionFailure => ({
    ok: false, verdict: 'failed', failure: { ...failure, cause: mask(failure.cause), fix: mask(failure.fix), detail: mask(failure.detail) },
    attempts: [], unsupported: [], notes: notes.map(mask), suggestions: [], ...extra,
  });
  if (django.blocking.length > 0) {
    const first = django.blocking[0];
    return failed({
      kind: 'other', cause: `${first.option} ${first.reason}.`, fix: 'Fix the settings listed above, then test again.',
      detail: django.blocking.map((b) => `${b.option} ${b.reason}`).join('; '),
    });
  }
  const resolved = resolveConninfo(django.keywords, system);
  if ('error' in resolved) {
    return failed(explainStep({ target: '', message: resolved.error, text: resolved.error, rule: 'conninfo' }, undefined, secrets), { libpqMessage: mask(resolved.error) });
  }
  const conninfo = resolved;
  for (const value of [get(conninfo, 'password'), get(conninfo, 'sslpassword')]) if (value) secrets.push(value);
  const evidence = pgbouncerEvidence(get(conninfo, 'host'), get(conninfo, 'port'), probe.projectDir ?? dirname(db.settingsFile));

  const versions = opts.versions ?? detectProjectVersions(dirname(db.settingsFile), { workspaceRoot: probe.projectDir, files: diskProjectFiles() });
  const driver = opts.driver ?? versions.driver?.name ?? 'psycopg';
  const walk = await connectLikeDriver(conninfo, system, pgTransport(env, opts.defaultConnectTimeoutMs ?? 10_000), driver);
  // Passwords taken from a password file are secrets too.
  for (const request of [...walk.steps.map((s) => s.request), walk.ok ? walk.request : undefined]) if (request?.password) secrets.push(request.password);
  const attempts = walk.steps.map((step) => ({ ...explainStep(step, conninfo, secrets), target: step.target }));
  const libpqMessage = mask(walk.steps.map((s) => s.text).join('\n'));
  if (!walk.ok) {
    if (walk.unconfirmable) {
      return failed({ kind: 'cannotConfirm', cause: `Cannot confirm: Django may fail because ${walk.unconfirmable}.`, fix: CANNOT_CONFIRM_FIX, detail: walk.unconfirmable },
        { verdict: 'cannotConfirm', attempts, libpqMessage });
    }
    const last = walk.steps[walk.steps.length - 1];
    let explanation = attempts[decisiveStep(walk.steps)] ?? explainStep({ target: '', message: 'no host to try', text: '', rule: 'conninfo' }, conninfo, secrets);
    if (explanation.kind === 'noHbaEntry' && get(conninfo, 'sslmode') === 'disable' && last?.request && !last.request.socket && await tlsWouldBeAdmitted(last.request)) {
      explanation = { ...explanation, ...sslOnlyExplanation(last.target, get(conninfo, 'user') ?? '') };
    }
    const advised = adviseFailure(db, explanation, project);
    return failed(advised.failure, { attempts, libpqMessage, notes: [...notes, ...sourceNotes(conninfo, undefined, system), ...advised.notes].map(mask), suggestions: advised.suggestions });
  }

  const { session, request } = walk;
  try {
    if (db.options.assume_role?.value) await session.client.query(`SET ROLE ${session.client.escapeIdentifier(String(db.options.assume_role.value))}`);
    const facts = await gatherFacts(session.client, walk.target, db);
    facts.authentication = session.authentication;
    facts.pooler = await probePooler(session, request, walk.parameters, facts.database, evidence);
    const passwordFrom = request.passwordFile && !get(conninfo, 'password') ? request.passwordFile : undefined;
    const allNotes = [...notes, ...sourceNotes(conninfo, passwordFrom, system), ...driverNotes(walk.steps, walk.target, driver), ...successNotes(db, facts, evidence)].map(mask);
    const support = serverTooOldForProject(facts.serverVersionNum, versions);
    if (support?.refusedByDjango) {
      const failure = { kind: 'serverTooOld' as const, cause: support.message, fix: `Upgrade the server to PostgreSQL ${support.minimum} or later, or use a Django release that supports PostgreSQL ${support.server}.`, detail: support.message };
      // With the Django version only assumed, Django may still accept it: say so rather than fail.
      if (support.assumed) return failed({ ...failure, kind: 'cannotConfirm', cause: `Cannot confirm: Django may fail because ${support.message}` }, { verdict: 'cannotConfirm', facts, attempts, libpqMessage, notes: allNotes });
      return failed(failure, { facts, attempts, libpqMessage, notes: allNotes });
    }
    if (support) allNotes.push(mask(support.message));
    const unconfirmed = unconfirmableSettings(conninfo, request.socket);
    if (unconfirmed.length > 0) {
      const reasons = unconfirmed.map((u) => `${u.option}: ${u.reason}`).join('; ');
      return failed({ kind: 'cannotConfirm', cause: `Cannot confirm: Django may fail because ${reasons}.`, fix: CANNOT_CONFIRM_FIX, detail: reasons },
        { verdict: 'cannotConfirm', facts, attempts, unsupported: unconfirmed.map((u) => ({ option: u.option, reason: mask(u.reason) })), libpqMessage, notes: allNotes });
    }
    return { ok: true, verdict: 'connected', facts, failedAttempts: attempts, unsupported: [], notes: allNotes, suggestions: [] };
  } catch (error) {
    const explanation = explainError(error, { target: walk.target, user: request.user, database: request.dbname, secrets });
    return failed(explanation, { attempts: [...attempts, { ...explanation, target: walk.target }], libpqMessage });
  } finally {
    await session.client.end().catch(() => undefined);
  }
}

/**
 * The step whose explanation helps: the last one, except when a TLS attempt failed and the plain retry was then
 * refused for lack of encryption (sslmode prefer): the TLS failure is what to fix.
 */
function decisiveStep(steps: WalkStep[]): number {
  const last = steps.length - 1;
  const before = steps[last - 1];
  if (last > 0 && before.rule === 'tls' && before.target === steps[last].target && /no encryption/i.test(steps[last].message)) return last - 1;
  return last;
}

/** After "no pg_hba.conf entry … no encryption" under sslmode=disable: would a TLS connection be let in? */
async function tlsWouldBeAdmitted(request: AttemptRequest): Promise<boolean> {
  // No password: a request for one already shows that a pg_hba.conf line admits the role over TLS.
  const outcome = await attemptWithPg({ ...request, encryption: 'tls', tls: {}, password: undefined }, [], 5000);
  if (outcome.kind === 'connected') await outcome.session.client.end().catch(() => undefined);
  return outcome.kind === 'connected' || outcome.kind === 'clientRefused'
    || (outcome.kind === 'serverError' && !/no pg_hba\.conf entry/i.test(outcome.message));
}

/** pg_hba.conf admits the role only over TLS and sslmode is disable. */
function sslOnlyExplanation(target: string, user: string): Pick<FailureExplanation, 'kind' | 'cause' | 'fix'> {
  return {
    kind: 'sslRequired',
    cause: `The server at ${target} has no pg_hba.conf line letting "${user}" in without SSL, and sslmode is "disable".`,
    fix: 'Set OPTIONS {"sslmode": "require"} (better: "verify-full" with sslrootcert pointing at the server\'s CA), or add a "host" line for this address to pg_hba.conf.',
  };
}
