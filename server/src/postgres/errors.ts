// Explain a failed PostgreSQL connection or statement in one line, with the fix, in Django terms.
// SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html

export type FailureKind =
  | 'refused'
  | 'hostNotFound'
  | 'timeout'
  | 'badPassword'
  | 'noRole'
  | 'noDatabase'
  | 'noHbaEntry'
  | 'sslNotSupported'
  | 'sslRequired'
  | 'certificate'
  | 'tooManyConnections'
  | 'permissionPublic'
  | 'peerAuth'
  | 'closedUnexpectedly'
  | 'other';

export interface FailureExplanation {
  kind: FailureKind;
  /** What went wrong, one line. */
  cause: string;
  /** What to do about it, one line. */
  fix: string;
  /** The driver's own message (sanitized), for the curious. */
  detail: string;
}

export interface ErrorContext {
  /** host:port or socket directory that was tried. */
  target?: string;
  user?: string;
  database?: string;
  /** True when our own connect timer fired. */
  timedOut?: boolean;
  connectTimeoutMs?: number;
  /** Texts that must never be echoed (passwords). */
  secrets?: string[];
}

const MASK = '********';

/** Replace every secret (and any password=... / :pass@ pattern) in text. */
export function sanitize(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(MASK);
  }
  return out
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, `$1${MASK}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, `$1${MASK}@`);
}

interface ErrorFields {
  code?: string;
  errno?: string | number;
  message: string;
}

function fields(error: unknown): ErrorFields {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; errno?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : undefined,
      errno: typeof e.errno === 'string' || typeof e.errno === 'number' ? e.errno : undefined,
      message: typeof e.message === 'string' ? e.message : String(error),
    };
  }
  return { message: String(error) };
}

const CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
]);

/** Classify a pg/Node error. Every text returned has the secrets masked. */
export function explainError(error: unknown, ctx: ErrorContext = {}): FailureExplanation {
  const { code, message } = fields(error);
  const m = message.toLowerCase();
  const where = ctx.target ? ` at ${ctx.target}` : '';
  const user = ctx.user ? `"${ctx.user}"` : 'the USER';
  const database = ctx.database ? `"${ctx.database}"` : 'the NAME database';
  const make = (kind: FailureKind, cause: string, fix: string): FailureExplanation => {
    const secrets = ctx.secrets ?? [];
    return { kind, cause: sanitize(cause, secrets), fix: sanitize(fix, secrets), detail: sanitize(message, secrets) };
  };

  if (ctx.timedOut || code === 'ETIMEDOUT' || m.includes('timeout expired') || m.includes('connection timeout')) {
    const seconds = ctx.connectTimeoutMs ? ` within ${Math.round(ctx.connectTimeoutMs / 1000)} s` : '';
    return make('timeout', `No answer from PostgreSQL${where}${seconds}.`,
      'Check HOST and PORT, that a firewall or security group lets you reach the port, and that the server is not overloaded; raise OPTIONS connect_timeout if the network is slow.');
  }
  if (code === 'ECONNREFUSED') {
    return make('refused', `Connection refused${where}: no PostgreSQL server is listening there.`,
      'Start the PostgreSQL server, or fix PORT (default 5432) / HOST; on a remote server check listen_addresses in postgresql.conf.');
  }
  if (code === 'ENOENT' && (m.includes('.s.pgsql') || (ctx.target ?? '').startsWith('/'))) {
    return make('refused', `No PostgreSQL Unix socket${where}: the server is not running or uses another socket directory or port.`,
      'Start the PostgreSQL server, or set HOST to the right socket directory (or to "localhost" to use TCP) and check PORT.');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return make('hostNotFound', `The host name${where} cannot be resolved.`,
      'Check the spelling of HOST (or the host in DATABASE_URL), or use an IP address; inside Docker use the service name.');
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return make('timeout', `The host${where} cannot be reached from this machine.`,
      'Check HOST, your network/VPN and any firewall between you and the server.');
  }
  if (code === '53300' || m.includes('too many clients') || m.includes('remaining connection slots are reserved')) {
    return make('tooManyConnections', `The server has no free connection slots${where} (max_connections reached; the last slots are reserved for superusers).`,
      'Close idle connections (lower CONN_MAX_AGE, stop stray workers/shells), use a pooler such as PgBouncer, or raise max_connections on the server.');
  }
  if (m.includes('peer authentication failed')) {
    return make('peerAuth', `Peer authentication failed for ${user}: over the Unix socket the server requires the operating-system user to have the same name as the database role.`,
      'Set HOST to "localhost" (TCP, password authentication) with a PASSWORD, or run as the matching OS user, or change the "local" line in pg_hba.conf.');
  }
  if (m.includes('ident authentication failed')) {
    return make('peerAuth', `Ident authentication failed for ${user}: the server maps connections to OS users.`,
      'Set HOST to "localhost" with a PASSWORD, or change the matching line in pg_hba.conf to scram-sha-256.');
  }
  if (code === '28P01' || m.includes('password authentication failed')) {
    return make('badPassword', `Password authentication failed for ${user}${where}: the PASSWORD is wrong, or the role does not exist (the server does not say which).`,
      'Check PASSWORD (and the environment variable or .env it comes from); if the role may be missing, run "Create Postgres DB for Django".');
  }
  if (m.includes('client password must be a string') || m.includes('password must be a non-empty string')) {
    return make('badPassword', `The server asks for a password for ${user}, but PASSWORD is empty.`,
      'Set PASSWORD in DATABASES (or the environment variable it reads), or use a ~/.pgpass file.');
  }
  if (m.includes('role') && m.includes('does not exist') && (code === '28000' || code === undefined)) {
    return make('noRole', `The role ${user} does not exist on the server${where}.`,
      'Create it with "Create Postgres DB for Django", or fix USER.');
  }
  if (code === '3D000' || (m.includes('database') && m.includes('does not exist'))) {
    return make('noDatabase', `The database ${database} does not exist on the server${where}.`,
      'Create it with "Create Postgres DB for Django", or fix NAME.');
  }
  if (m.includes('no pg_hba.conf entry')) {
    const noEncryption = m.includes('no encryption');
    return make('noHbaEntry', `The server's pg_hba.conf has no rule allowing ${user} to reach ${database} from this address${noEncryption ? ' without SSL' : ''}.`,
      'Add a matching "host" (or "hostssl") line to pg_hba.conf and reload PostgreSQL, or connect with a user/database that is allowed; on managed services check the allowed networks.');
  }
  if (m.includes('does not support ssl')) {
    return make('sslNotSupported', `The server${where} does not support SSL, but OPTIONS sslmode asks for it.`,
      'Use sslmode "prefer" or "disable" for this server, or enable ssl in postgresql.conf.');
  }
  if (m.includes('ssl off') || m.includes('ssl required') || m.includes('ssl connection is required') || m.includes('sslmode value "require"')) {
    return make('sslRequired', `The server${where} only accepts SSL connections.`,
      'Set OPTIONS {"sslmode": "require"} (or verify-full with sslrootcert).');
  }
  if ((code !== undefined && CERT_CODES.has(code)) || m.includes('certificate') || m.includes("hostname/ip does not match")) {
    return make('certificate', `The server's SSL certificate could not be verified${where}: ${message}.`,
      'Point OPTIONS sslrootcert at the CA file that signed the server certificate (from your provider), make HOST match the certificate name, or use sslmode "require" to encrypt without verifying.');
  }
  if (code === '42501' && m.includes('schema public')) {
    return make('permissionPublic', `${user} may not create tables in schema "public" (PostgreSQL 15+ no longer allows it by default), so migrate will fail.`,
      'Make the role the database owner or grant it: GRANT USAGE, CREATE ON SCHEMA public TO the role ("Create Postgres DB for Django" does this).');
  }
  if (m.includes('connection terminated unexpectedly') || m.includes('server closed the connection unexpectedly') || code === 'ECONNRESET' || code === 'EPIPE') {
    return make('closedUnexpectedly', `The server${where} closed the connection unexpectedly.`,
      'Check the server log: it may have crashed or restarted, a proxy or PgBouncer may have dropped the client, or the port may belong to something else than PostgreSQL.');
  }
  return make('other', `Could not connect${where}: ${message}`, 'Check the settings shown above and the PostgreSQL server log.');
}
