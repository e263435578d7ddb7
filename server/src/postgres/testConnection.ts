// Test Connection: connect with the alias' effective settings, report what the app will meet, or why it cannot.
import { Client, type ClientConfig } from 'pg';
import type { ResolvedDatabase } from '../model/resolved';
import { buildConnectionPlan, type ConnectionConfigOptions, type ConnectionPlan, type UnsupportedOption } from './connectionConfig';
import { explainError, sanitize, type FailureExplanation } from './errors';

export type TestConnectionOptions = ConnectionConfigOptions;

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
}

export interface TestConnectionFailure {
  ok: false;
  /** The failure to show (the last host's, or the configuration problem). */
  failure: FailureExplanation;
  attempts: AttemptFailure[];
  unsupported: UnsupportedOption[];
  notes: string[];
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

async function gatherFacts(client: Client, target: string): Promise<ConnectionFacts> {
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
           s.ssl, s.version AS ssl_version, s.cipher
      FROM (SELECT 1) one
      LEFT JOIN pg_stat_ssl s ON s.pid = pg_backend_pid()`);
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
  };
}

/** Connect with the alias' settings (hosts in order) and report facts or the cause of failure. Never throws. */
export async function testConnection(db: ResolvedDatabase, opts: TestConnectionOptions = {}): Promise<TestConnectionResult> {
  const plan = buildConnectionPlan(db, { defaultConnectTimeoutMs: 10_000, ...opts });
  const mask = (s: string) => sanitize(s, plan.secrets);
  const notes = plan.notes.map(mask);
  const unsupported = plan.unsupported.map((u) => ({ option: u.option, reason: mask(u.reason) }));
  if (plan.blocking.length > 0) {
    const first = plan.blocking[0];
    const failure: FailureExplanation = {
      kind: 'other',
      cause: mask(`${first.option} ${first.reason}.`),
      fix: 'Fix the settings listed above, then test again.',
      detail: mask(plan.blocking.map((b) => `${b.option} ${b.reason}`).join('; ')),
    };
    return { ok: false, failure, attempts: [], unsupported, notes };
  }

  const attempts: AttemptFailure[] = [];
  for (let index = 0; index < plan.targets.length; index++) {
    const target = plan.targets[index];
    const ctx = {
      target: target.label, user: target.config.user, database: target.config.database,
      connectTimeoutMs: plan.connectTimeoutMs, secrets: plan.secrets,
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
      const facts = await gatherFacts(client, target.label);
      return { ok: true, facts, failedAttempts: attempts, unsupported, notes };
    } catch (error) {
      attempts.push({ ...explainError(error, ctx), target: target.label });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { ok: false, failure: attempts[attempts.length - 1], attempts, unsupported, notes };
}
