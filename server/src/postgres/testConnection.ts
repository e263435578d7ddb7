// Test Connection: connect with the alias' effective settings, report what the app will meet, or why it cannot.
import { dirname } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import type { ResolvedDatabase } from '../model/resolved';
import { buildConnectionPlan, type ConnectionConfigOptions, type ConnectionPlan, type UnsupportedOption } from './connectionConfig';
import { adviseFailure, inspectProject, projectAdvice, projectNotes, type ProjectProbe, type ProjectView, type Suggestion } from './advice';
import { explainError, sanitize, type FailureExplanation } from './errors';
import { alterRoleStatements, pgbouncerEvidence, type PgBouncerEvidence } from './pgbouncerDetect';

export interface TestConnectionOptions extends ConnectionConfigOptions {
  /** Where to look for docker compose and pgbouncer.ini files, and the editor's environment. */
  project?: ProjectProbe;
}

/** What `manage.py test` will meet: the test database name, whether the role may create it, its TEMPLATE. */
export interface TestDatabaseFacts {
  /** TEST NAME, or "test_" + NAME. */
  name: string;
  exists: boolean;
  canCreate: boolean;
  template?: { name: string; exists: boolean };
}

export interface PoolerFacts {
  kind: 'pgbouncer';
  /** Why we think it is PgBouncer. */
  reason: string;
  poolMode?: string;
  /** Where poolMode comes from, or why it is unknown. */
  poolModeFrom: string;
}

export interface ConnectionFacts {
  /** host:port (or socket) that answered. */
  target: string;
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
  /** The failure to show (the last host's, or the configuration problem). */
  failure: FailureExplanation;
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

function isSslRefused(error: unknown): boolean {
  return /does not support ssl/i.test(String((error as Error)?.message));
}

function isHbaWithoutEncryption(error: unknown): boolean {
  return /no pg_hba\.conf entry.*no encryption/i.test(String((error as Error)?.message));
}

/** Try one host, following libpq's prefer/allow retry. */
async function connectTarget(plan: ConnectionPlan, index: number): Promise<Client> {
  const target = plan.targets[index];
  try {
    return await connectClient(target.config);
  } catch (error) {
    const fallback = target.sslFallback;
    if (fallback && ((fallback.when === 'serverRefusedSsl' && isSslRefused(error)) || (fallback.when === 'serverRequiresSsl' && isHbaWithoutEncryption(error)))) {
      return connectClient(fallback.config);
    }
    throw error;
  }
}

/** When a plain connection hit "no pg_hba.conf entry ... no encryption", see whether TLS would be let in. */
async function sslWouldBeAccepted(config: ClientConfig): Promise<boolean> {
  try {
    const client = await connectClient({ ...config, ssl: { rejectUnauthorized: false } });
    await client.end();
    return true;
  } catch (error) {
    return !/no pg_hba\.conf entry/i.test(String((error as Error)?.message)) && !isSslRefused(error);
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
           s.ssl, s.version AS ssl_version, s.cipher
      FROM (SELECT 1) one
      LEFT JOIN pg_stat_ssl s ON s.pid = pg_backend_pid()`, [testDatabaseName(db), templateName(db) ?? '']);
  const template = templateName(db);
  return {
    target,
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

/** Ask PgBouncer's admin console (database "pgbouncer") for the pool mode; the project's pgbouncer.ini is the fallback. */
async function inspectPgBouncer(config: ClientConfig, evidence: PgBouncerEvidence, database: string): Promise<PoolerFacts | undefined> {
  const fromIni = evidence.ini?.poolMode ? { poolMode: evidence.ini.poolMode, poolModeFrom: `pool_mode in ${evidence.ini.file}` }
    : evidence.poolMode ? { poolMode: evidence.poolMode, poolModeFrom: `${evidence.service ?? 'the pooler'}'s documentation` } : undefined;
  let client: Client | undefined;
  try {
    // The admin console refuses startup parameters it does not know, such as options.
    client = await connectClient({ ...config, database: 'pgbouncer', options: undefined, application_name: undefined });
    const pools = (await client.query('SHOW POOLS')).rows as { database?: string; pool_mode?: string }[];
    const poolMode = pools.find((p) => p.database === database)?.pool_mode
      ?? ((await client.query('SHOW CONFIG')).rows as { key: string; value: string }[]).find((r) => r.key === 'pool_mode')?.value;
    return { kind: 'pgbouncer', reason: evidence.reason, poolMode, poolModeFrom: 'SHOW POOLS on the admin console' };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    // PostgreSQL itself answers: there is no PgBouncer in between after all.
    if ((error as { code?: string })?.code === '3D000' && !evidence.ini) return undefined;
    return { kind: 'pgbouncer', reason: evidence.reason, ...(fromIni ?? { poolModeFrom: `the admin console refused "${String(config.user)}" (${message}); list the role in stats_users to let Test Connection read it` }) };
  } finally {
    await client?.end().catch(() => undefined);
  }
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
  if (facts.pooler) {
    const words = { reason: facts.pooler.reason, poolMode: facts.pooler.poolMode, from: facts.pooler.poolModeFrom };
    notes.push(`${a.pgbouncer.cause(words)} ${a.pgbouncer.fix(words)}`);
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

/** Connect with the alias' settings (hosts in order) and report facts or the cause of failure. Never throws. */
export async function testConnection(db: ResolvedDatabase, opts: TestConnectionOptions = {}): Promise<TestConnectionResult> {
  const plan = buildConnectionPlan(db, { defaultConnectTimeoutMs: 10_000, ...opts });
  const mask = (s: string) => sanitize(s, plan.secrets);
  const probe: ProjectProbe = { env: opts.env, ...opts.project };
  const project: ProjectView = inspectProject(db, probe);
  const notes = [...plan.notes, ...projectNotes(db, project, probe)].map(mask);
  const unsupported = plan.unsupported.map((u) => ({ option: u.option, reason: mask(u.reason) }));
  if (plan.blocking.length > 0) {
    const first = plan.blocking[0];
    const failure: FailureExplanation = {
      kind: 'other',
      cause: mask(`${first.option} ${first.reason}.`),
      fix: 'Fix the settings listed above, then test again.',
      detail: mask(plan.blocking.map((b) => `${b.option} ${b.reason}`).join('; ')),
    };
    return { ok: false, failure, attempts: [], unsupported, notes, suggestions: [] };
  }
  const evidence = pgbouncerEvidence(String(db.host.value ?? ''), String(db.port.value ?? ''), probe.projectDir ?? dirname(db.settingsFile));

  const attempts: AttemptFailure[] = [];
  for (let index = 0; index < plan.targets.length; index++) {
    const target = plan.targets[index];
    const ctx = {
      target: target.label, user: target.config.user, database: target.config.database,
      connectTimeoutMs: plan.connectTimeoutMs, secrets: plan.secrets, unixSocket: target.label.includes('Unix socket'),
    };
    let client: Client;
    try {
      client = await connectTarget(plan, index);
    } catch (error) {
      let explanation = explainError(error, ctx);
      if (explanation.kind === 'noHbaEntry' && target.config.ssl === false && !target.label.includes('Unix socket')
        && await sslWouldBeAccepted(target.config)) {
        explanation = {
          kind: 'sslRequired',
          cause: `The server at ${target.label} accepts "${target.config.user}" only over SSL, but sslmode is "${plan.sslmode}".`,
          fix: 'Set OPTIONS {"sslmode": "require"} (better: "verify-full" with sslrootcert pointing at the server\'s CA).',
          detail: explanation.detail,
        };
      }
      attempts.push({ ...explanation, target: target.label });
      continue;
    }
    try {
      if (plan.assumeRole) await client.query(`SET ROLE ${client.escapeIdentifier(plan.assumeRole)}`);
      const facts = await gatherFacts(client, target.label, db);
      if (evidence) facts.pooler = await inspectPgBouncer(target.config, evidence, facts.database);
      return { ok: true, facts, failedAttempts: attempts, unsupported, notes: [...notes, ...successNotes(db, facts, evidence).map(mask)], suggestions: [] };
    } catch (error) {
      attempts.push({ ...explainError(error, ctx), target: target.label });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const advised = adviseFailure(db, attempts[attempts.length - 1], project);
  const failure = { ...advised.failure, cause: mask(advised.failure.cause), fix: mask(advised.failure.fix) };
  return { ok: false, failure, attempts, unsupported, notes: [...notes, ...advised.notes.map(mask)], suggestions: advised.suggestions };
}
