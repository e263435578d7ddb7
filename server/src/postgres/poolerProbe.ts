// Is something between us and PostgreSQL? Asked live, after connecting, on any port: the process id the server
// gave at login (BackendKeyData; PgBouncer invents its own) against pg_backend_pid(), the address and port
// PostgreSQL sees (inet_server_addr/inet_server_port) against the ones we dialled, the application_name round trip,
// and the parameter status a PostgreSQL 14+ always reports. Then PgBouncer's admin console, when the role may
// use it, for its version and pool mode (https://www.pgbouncer.org/usage.html#admin-console).
import type { AttemptRequest } from './libpq/connect';
import type { PgBouncerEvidence } from './pgbouncerDetect';
import { attemptWithPg, type PgSession } from './pgTransport';

export interface PoolerFacts {
  /** pgbouncer: PgBouncer answered (or its port/ini says so); pooler: sessions are multiplexed by something; proxy: a one-to-one relay or port mapping. */
  kind: 'pgbouncer' | 'pooler' | 'proxy';
  /** Why we think so. */
  reason: string;
  poolMode?: string;
  /** Where poolMode comes from, or why it is unknown. */
  poolModeFrom: string;
  /** "PgBouncer 1.18.0" when the admin console said. */
  version?: string;
}

interface ServerView {
  pid: number;
  address: string | null;
  port: number | null;
  applicationName: string;
  versionNum: number;
}

async function serverView(session: PgSession): Promise<ServerView | undefined> {
  try {
    const { rows: [row] } = await session.client.query(`SELECT pg_backend_pid() AS pid, host(inet_server_addr()) AS address,
      inet_server_port() AS port, current_setting('application_name') AS app, current_setting('server_version_num')::int AS num`);
    return { pid: row.pid, address: row.address, port: row.port, applicationName: row.app, versionNum: row.num };
  } catch {
    return undefined;
  }
}

/** What PgBouncer's admin console says, or why it would not. */
async function askAdminConsole(request: AttemptRequest, database: string): Promise<{ version?: string; poolMode?: string; refused?: string; notPgBouncer?: boolean }> {
  // The console refuses startup parameters it does not know (options), and only speaks the simple protocol.
  // require_auth stays: the password goes only where the settings allow it to.
  const outcome = await attemptWithPg({ ...request, dbname: 'pgbouncer', startup: {} }, [], 5000);
  if (outcome.kind !== 'connected') {
    const message = 'message' in outcome ? outcome.message : outcome.kind;
    return { refused: message, notPgBouncer: outcome.kind === 'serverError' && outcome.sqlstate === '3D000' };
  }
  const client = outcome.session.client;
  try {
    const version = ((await client.query('SHOW VERSION')).rows[0] as { version?: string } | undefined)?.version;
    const pools = (await client.query('SHOW POOLS')).rows as { database?: string; pool_mode?: string }[];
    const config = (await client.query('SHOW CONFIG')).rows as { key: string; value: string }[];
    const poolMode = pools.find((p) => p.database === database)?.pool_mode ?? config.find((r) => r.key === 'pool_mode')?.value;
    return { version, poolMode };
  } catch (error) {
    return { refused: String((error as Error).message) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Look for a pooler or proxy on an open session; `staticEvidence` is what the port, host or pgbouncer.ini suggest. */
export async function probePooler(session: PgSession, request: AttemptRequest, parameters: Record<string, string>, database: string, staticEvidence?: PgBouncerEvidence): Promise<PoolerFacts | undefined> {
  const view = await serverView(session);
  const pooled: string[] = [];
  const relayed: string[] = [];
  if (view) {
    if (session.backendKeyPid !== undefined && session.backendKeyPid !== view.pid) {
      pooled.push(`the process id given at login (${session.backendKeyPid}) is not the server process serving the queries (${view.pid})`);
    }
    if (!request.socket && view.port !== null && view.port !== request.port) relayed.push(`PostgreSQL listens on port ${view.port}, not ${request.port}`);
    if (!request.socket && view.address !== null && view.address !== request.address && !(isLoopback(view.address) && isLoopback(request.address))) {
      relayed.push(`PostgreSQL sees the connection arrive at ${view.address}, not ${request.address}`);
    }
    const sent = request.startup.application_name;
    if (sent !== undefined && sent !== '' && view.applicationName !== sent) pooled.push(`application_name "${sent}" came back as "${view.applicationName}"`);
    if (view.versionNum >= 140000 && parameters.in_hot_standby === undefined) pooled.push('the login did not report in_hot_standby, which PostgreSQL 14+ always sends');
  }
  if (pooled.length === 0 && relayed.length === 0 && !staticEvidence) return undefined;
  const admin = await askAdminConsole(request, database);
  if (admin.version !== undefined || admin.poolMode !== undefined) {
    return {
      kind: 'pgbouncer', reason: [admin.version ?? 'PgBouncer', ...pooled].join('; '),
      poolMode: admin.poolMode, poolModeFrom: 'SHOW POOLS on the admin console', version: admin.version,
    };
  }
  // Without the console: the project's pgbouncer.ini, else what the managed service documents for this pooler.
  const fromIni = staticEvidence?.ini?.poolMode ? { poolMode: staticEvidence.ini.poolMode, poolModeFrom: `pool_mode in ${staticEvidence.ini.file}` }
    : staticEvidence?.poolMode ? { poolMode: staticEvidence.poolMode, poolModeFrom: `${staticEvidence.service ?? 'the pooler'}'s documentation` } : undefined;
  // A managed pooler that is not PgBouncer (Supabase's Supavisor) is named as a pooler, not as PgBouncer.
  const staticKind = staticEvidence?.pgbouncer === false ? 'pooler' : 'pgbouncer';
  const consoleRefused = `the admin console refused "${request.user}" (${admin.refused ?? 'no answer'}); list the role in stats_users to let Test Connection read it`;
  if (pooled.length > 0) {
    return { kind: staticEvidence ? staticKind : 'pooler', reason: staticEvidence?.reason ?? pooled.join('; '), ...(fromIni ?? { poolModeFrom: consoleRefused }) };
  }
  // PostgreSQL itself answered on the console's database name: nothing pools in between.
  if (admin.notPgBouncer && !staticEvidence?.ini && !staticEvidence?.service) {
    return relayed.length > 0 ? { kind: 'proxy', reason: relayed.join('; '), poolModeFrom: 'sessions reach one server process each' } : undefined;
  }
  if (staticEvidence) return { kind: staticKind, reason: staticEvidence.reason, ...(fromIni ?? { poolModeFrom: consoleRefused }) };
  return { kind: 'proxy', reason: relayed.join('; '), poolModeFrom: 'sessions reach one server process each' };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}
