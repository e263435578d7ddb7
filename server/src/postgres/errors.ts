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
  | 'createDbDenied'
  | 'adminPrivilege'
  | 'noTemplate'
  | 'pgbouncerStartupParameter'
  | 'preparedStatement'
  | 'targetSessionAttrs'
  | 'requireAuth'
  | 'channelBinding'
  | 'kerberos'
  | 'libpqSettings'
  | 'serviceFile'
  | 'rootCertificate'
  | 'startupSettings'
  | 'tlsHandshake'
  | 'cannotConfirm'
  /** Connected, but the project's Django refuses this PostgreSQL version. */
  | 'serverTooOld'
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
  /** The settings connect through a Unix socket (HOST empty or a directory). */
  unixSocket?: boolean;
  /** Set once connected: the statement (or step) that failed, passwords masked. A failure then is never "could not connect". */
  statement?: string;
  /** What a superuser would run instead of a refused statement. */
  superuserStatement?: string;
  /** target_session_attrs in effect (for its own message). */
  targetSessionAttrs?: string;
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

/** What a cause's texts may mention; the troubleshooting page fills it with placeholders. */
export interface CauseWords {
  /** " at host:port", or '' */
  where: string;
  /** `"role"` or "the USER" */
  user: string;
  /** `"db"` or "the NAME database" */
  database: string;
  /** " within 10 s", or '' */
  within: string;
  /** The driver's message. */
  message: string;
  /** The pg_hba.conf line that would let this connection in. */
  hbaLine: string;
  /** The connection went to a Unix socket (HOST empty). */
  unixSocket: boolean;
  /** "without SSL" when the server said "no encryption". */
  noEncryption: boolean;
  /** The startup parameter PgBouncer refused, or the missing template's name. */
  name: string;
  /** The statement that failed after connecting, or '' before. */
  statement: string;
  /** What a superuser would run instead, or ''. */
  superuserStatement: string;
  /** target_session_attrs in effect ("any" when unset). */
  targetSessionAttrs: string;
}

/** One failure we recognise: how to spot it, and the words shown in Test Connection, the CLI and docs/troubleshooting.md. */
export interface FailureCause {
  kind: FailureKind;
  /** Heading of the troubleshooting entry. */
  title: string;
  /** Error texts users search for (as PostgreSQL, libpq, psycopg or PgBouncer print them). */
  symptoms: string[];
  matches(code: string | undefined, lowerMessage: string, ctx: ErrorContext): boolean;
  cause(words: CauseWords): string;
  fix(words: CauseWords): string;
}

const includesAny = (m: string, texts: string[]) => texts.some((t) => m.includes(t));

/** libpq's require_auth reasons in the words of pg_hba.conf methods. */
const REQUESTED_METHOD: readonly [string, string][] = [
  ['SASL', 'asks for scram-sha-256'], ['SCRAM-SHA-256', 'asks for scram-sha-256'], ['hashed password', 'asks for md5'],
  ['cleartext password', 'asks for a cleartext password'], ['GSSAPI', 'asks for Kerberos (gss)'], ['SSPI', 'asks for SSPI'],
  ['did not complete authentication', 'lets the role in without asking for anything (trust)'],
];

/** In the order they are tried: the first that matches explains the error. */
export const failureCauses: readonly FailureCause[] = [
  {
    kind: 'timeout', title: 'The connection times out',
    symptoms: ['timeout expired', 'Connection timed out'],
    matches: (code, m, ctx) => ctx.timedOut === true || code === 'ETIMEDOUT' || includesAny(m, ['timeout expired', 'connection timeout']),
    cause: (w) => `No answer from PostgreSQL${w.where}${w.within}.`,
    fix: () => 'Check HOST and PORT, that a firewall or security group lets you reach the port, and that the server is not overloaded; raise OPTIONS connect_timeout if the network is slow.',
  },
  {
    kind: 'refused', title: 'Connection refused',
    symptoms: ['Connection refused', 'Is the server running on that host and accepting TCP/IP connections?'],
    matches: (code) => code === 'ECONNREFUSED',
    cause: (w) => `Connection refused${w.where}: no PostgreSQL server is listening there.`,
    fix: () => 'Start the PostgreSQL server, or fix PORT (default 5432) / HOST; on a remote server check listen_addresses in postgresql.conf.',
  },
  {
    kind: 'refused', title: 'No Unix socket',
    symptoms: ['No such file or directory. Is the server running locally and accepting connections on Unix domain socket "/var/run/postgresql/.s.PGSQL.5432"?'],
    matches: (code, m, ctx) => code === 'ENOENT' && (m.includes('.s.pgsql') || (ctx.target ?? '').startsWith('/')),
    cause: (w) => `No PostgreSQL Unix socket${w.where}: the server is not running or uses another socket directory or port.`,
    fix: () => 'Start the PostgreSQL server, or set HOST to the right socket directory (or to "localhost" to use TCP) and check PORT.',
  },
  {
    kind: 'hostNotFound', title: 'The host name does not resolve',
    symptoms: ['could not translate host name "db" to address: Name or service not known', 'getaddrinfo ENOTFOUND db'],
    matches: (code) => code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME',
    cause: (w) => `The host name${w.where} cannot be resolved.`,
    fix: () => 'Check the spelling of HOST (or the host in DATABASE_URL), or use an IP address; a docker compose service name only resolves inside the compose network: from the host use localhost and the published port.',
  },
  {
    kind: 'timeout', title: 'The host cannot be reached',
    symptoms: ['No route to host', 'Network is unreachable'],
    matches: (code) => code === 'EHOSTUNREACH' || code === 'ENETUNREACH',
    cause: (w) => `The host${w.where} cannot be reached from this machine.`,
    fix: () => 'Check HOST, your network/VPN and any firewall between you and the server.',
  },
  {
    kind: 'tooManyConnections', title: 'No connection slots left',
    symptoms: ['FATAL: sorry, too many clients already', 'FATAL: remaining connection slots are reserved for non-replication superuser connections'],
    matches: (code, m) => code === '53300' || includesAny(m, ['too many clients', 'remaining connection slots are reserved']),
    cause: (w) => `The server has no free connection slots${w.where}: max_connections is reached, and the last superuser_reserved_connections slots are kept for superusers, so an ordinary role gets max_connections − superuser_reserved_connections connections in all.`,
    fix: () => 'Count what holds connections: with CONN_MAX_AGE each Django process (times its threads) keeps one connection per alias open, so workers × threads × aliases, plus shells, Celery and cron jobs, must stay below max_connections − superuser_reserved_connections. Lower CONN_MAX_AGE or the worker count, put PgBouncer in front, or raise max_connections.',
  },
  {
    kind: 'peerAuth', title: 'Peer authentication failed',
    symptoms: ['FATAL: Peer authentication failed for user "django_app"'],
    matches: (_code, m) => m.includes('peer authentication failed'),
    cause: (w) => `Peer authentication failed for ${w.user}: ${w.unixSocket ? 'HOST is empty (or a directory), so Django connects through the Unix socket, where ' : 'over the Unix socket '}the server (Debian and Ubuntu's default "local all all peer" line) only lets in an operating-system user with the same name as the role.`,
    fix: (w) => `Set HOST to "localhost" (TCP, where the "host ... scram-sha-256" lines ask for the PASSWORD), or add the line "${w.hbaLine}" to pg_hba.conf above the "local all all peer" line and reload PostgreSQL (SELECT pg_reload_conf()).`,
  },
  {
    kind: 'peerAuth', title: 'Ident authentication failed',
    symptoms: ['FATAL: Ident authentication failed for user "django_app"'],
    matches: (_code, m) => m.includes('ident authentication failed'),
    cause: (w) => `Ident authentication failed for ${w.user}: the server maps connections to OS users.`,
    fix: (w) => `Set HOST to "localhost" with a PASSWORD, or replace the matching pg_hba.conf line with "${w.hbaLine}" and reload PostgreSQL.`,
  },
  {
    kind: 'targetSessionAttrs', title: 'target_session_attrs: the server is not the kind asked for',
    symptoms: ['server is not in hot standby mode', 'server is in hot standby mode', 'session is read-only', 'session is not read-only'],
    matches: (_code, m) => includesAny(m, ['hot standby mode', 'session is read-only', 'session is not read-only', '"show transaction_read_only" failed', '"select pg_is_in_recovery()" failed']),
    cause: (w) => {
      const kind = w.message.includes('not in hot standby') || w.message.includes('not read-only') ? 'a primary (read-write)' : 'a standby or read-only';
      return `The server${w.where} is ${kind}; target_session_attrs=${w.targetSessionAttrs} needs ${/standby|read-only/.test(w.targetSessionAttrs) ? 'a standby (read-only)' : 'a primary (read-write)'}, so libpq refuses it and tries the next host.`;
    },
    fix: (w) => /standby|read-only/.test(w.targetSessionAttrs)
      ? 'Point HOST at the replica (or list the primary and the standby together in HOST and PORT), or drop target_session_attrs if any server will do.'
      : 'Point HOST at the primary (or list every server in HOST and PORT so libpq finds it); a session made read-only by default_transaction_read_only or options also counts as read-only.',
  },
  {
    kind: 'requireAuth', title: 'require_auth: the server uses another authentication method',
    symptoms: ['authentication method requirement "scram-sha-256" failed: server requested a hashed password', 'authentication method requirement "md5" failed: server requested SASL authentication'],
    matches: (_code, m) => m.includes('authentication method requirement'),
    cause: (w) => {
      const [, setting, reason = ''] = /requirement "([^"]*)" failed: (.*)/.exec(w.message) ?? [];
      const method = REQUESTED_METHOD.find(([text]) => reason.includes(text))?.[1] ?? 'asks for an authentication method';
      return `The server${w.where} ${method}, which OPTIONS require_auth${setting ? ` "${setting}"` : ''} does not allow, so libpq stops before sending the password.`;
    },
    fix: () => 'Make require_auth list the method the server uses (scram-sha-256, md5, password, none), or change the server: the pg_hba.conf line\'s method, and for scram-sha-256 the role\'s password stored with password_encryption = scram-sha-256 (set it again).',
  },
  {
    kind: 'channelBinding', title: 'channel_binding=require cannot be met',
    symptoms: ['channel binding required, but SSL not in use', "channel binding required but not supported by server's authentication request", 'channel binding required, but server authenticated client without channel binding'],
    matches: (_code, m) => m.includes('channel binding') || m.includes('scram-sha-256-plus'),
    cause: (w) => `OPTIONS channel_binding is "require", but the connection${w.where} cannot bind: ${w.message.replace(/^channel binding (is )?required,? (but )?/, '')}.`,
    fix: () => 'Channel binding needs TLS (sslmode require or stricter) and SCRAM-SHA-256 authentication (a scram-sha-256 line in pg_hba.conf and a SCRAM password); otherwise set channel_binding to "prefer".',
  },
  {
    kind: 'kerberos', title: 'gssencmode=require without Kerberos',
    symptoms: ['GSSAPI encryption required but no credential cache', 'GSSAPI encryption required but it is not supported over a local socket'],
    matches: (_code, m) => m.includes('gssapi encryption required') || m.includes("server doesn't support gssapi encryption"),
    cause: (w) => (w.message.includes('local socket')
      ? 'OPTIONS gssencmode is "require", but the connection goes through a Unix socket, where GSSAPI encryption does not exist.'
      : w.message.includes("doesn't support")
        ? `OPTIONS gssencmode is "require", but the server${w.where} does not offer GSSAPI encryption.`
        : 'OPTIONS gssencmode is "require", but there is no Kerberos ticket (no credential cache), so libpq refuses to connect.'),
    fix: () => 'Get a ticket with kinit (or set KRB5CCNAME) where Django runs, or set gssencmode to "prefer" or "disable" unless the server requires GSSAPI encryption.',
  },
  {
    kind: 'kerberos', title: 'The server asks for Kerberos (GSSAPI) and there is no ticket',
    symptoms: ['GSSAPI continuation error: Unspecified GSS failure.  Minor code may provide more information: No Kerberos credentials available'],
    matches: (_code, m) => m.includes('gssapi continuation error'),
    cause: (w) => `The server${w.where} asks for Kerberos (GSSAPI) authentication, and there is no Kerberos ticket (credential cache) here, so libpq cannot answer.`,
    fix: () => 'Get a ticket with kinit (or set KRB5CCNAME) where Django runs, or have the pg_hba.conf line for this role use scram-sha-256 instead of gss.',
  },
  {
    kind: 'serviceFile', title: 'The connection service cannot be read',
    symptoms: ['definition of service "mydb" not found', 'service file "/etc/pg_service.conf" not found', 'syntax error in service file'],
    matches: (_code, m) => m.includes('service file') || m.includes('definition of service') || m.includes('nested service specifications'),
    cause: (w) => `libpq cannot use the connection service: ${w.message}.`,
    fix: () => 'Define the [service] section in ~/.pg_service.conf, in the file PGSERVICEFILE names, or in PGSYSCONFDIR/pg_service.conf (one key=value per line, no spaces around =), or fix OPTIONS service / PGSERVICE.',
  },
  {
    kind: 'rootCertificate', title: 'verify-ca/verify-full without the root certificate',
    symptoms: ['root certificate file "/home/app/.postgresql/root.crt" does not exist', 'host name must be specified for a verified SSL connection'],
    matches: (_code, m) => m.includes('root certificate file') || m.includes('host name must be specified for a verified ssl connection'),
    cause: (w) => (w.message.includes('host name must be specified')
      ? 'sslmode is "verify-full", but only hostaddr is set: there is no host name to check the certificate against.'
      : `sslmode asks libpq to verify the server certificate, but the CA file is missing: ${w.message.split('\n')[0]}.`),
    fix: () => 'Set OPTIONS sslrootcert to the CA certificate that signed the server\'s (your provider publishes it), or put it at ~/.postgresql/root.crt; sslrootcert "system" uses the system\'s trusted CAs; sslmode "require" encrypts without verifying.',
  },
  {
    kind: 'libpqSettings', title: 'libpq refuses a connection setting',
    symptoms: ['invalid sslmode value: "Require"', 'invalid connection option "timeout"', 'could not match 2 port numbers to 3 hosts', 'invalid integer value "abc" for connection option "port"'],
    matches: (_code, m) => /^(invalid (connection option|integer value|port number|[a-z_"]+ value)|could not match \d+|weak sslmode|invalid ssl protocol version range)/.test(m.replace(/^connection to server [^:]*: /, '')),
    cause: (w) => `libpq refuses the settings before connecting: ${w.message.split('\n')[0]}.`,
    fix: (w) => (w.message.includes('invalid connection option')
      ? 'Remove that key from OPTIONS: every key except Django\'s own (isolation_level, assume_role, pool, server_side_binding, prepare_threshold, cursor_factory) is passed to libpq, which knows only its connection keywords.'
      : 'Correct the value (libpq\'s values are case-sensitive; lists in HOST, PORT and hostaddr must have the same length, or PORT one value for all hosts).'),
  },
  {
    kind: 'badPassword', title: 'Wrong password in the password file',
    symptoms: ['password retrieved from file "/home/app/.pgpass"'],
    matches: (code, m) => (code === '28P01' || m.includes('password authentication failed')) && m.includes('password retrieved from file'),
    cause: (w) => `Password authentication failed for ${w.user}${w.where} with the password libpq took from a password file (${/password retrieved from file "([^"]*)"/.exec(w.message)?.[1] ?? 'the passfile'}).`,
    fix: () => 'Fix the matching line (host:port:database:user:password, first match wins) in that file, or set PASSWORD, which libpq prefers to the file.',
  },
  {
    kind: 'badPassword', title: 'Password authentication failed',
    symptoms: ['FATAL: password authentication failed for user "django_app"'],
    matches: (code, m) => code === '28P01' || m.includes('password authentication failed'),
    cause: (w) => `Password authentication failed for ${w.user}${w.where}: the PASSWORD is wrong, or the role does not exist (the server does not say which).`,
    fix: () => 'Check PASSWORD (and the environment variable or .env it comes from); if the role may be missing, run "Create Postgres DB for Django". With docker compose, POSTGRES_PASSWORD only applies when the data volume is first created.',
  },
  {
    kind: 'badPassword', title: 'No password supplied',
    symptoms: ['fe_sendauth: no password supplied', 'client password must be a string'],
    matches: (_code, m) => includesAny(m, ['client password must be a string', 'password must be a non-empty string', 'no password supplied']),
    cause: (w) => `The server asks for a password for ${w.user}, but PASSWORD is empty.`,
    fix: () => 'Set PASSWORD in DATABASES (or the environment variable it reads), or use a ~/.pgpass file.',
  },
  {
    kind: 'noRole', title: 'The role does not exist',
    symptoms: ['FATAL: role "django_app" does not exist'],
    matches: (code, m) => m.includes('role') && m.includes('does not exist') && (code === '28000' || code === undefined),
    cause: (w) => `The role ${w.user} does not exist on the server${w.where}.`,
    fix: () => 'Create it with "Create Postgres DB for Django", or fix USER.',
  },
  {
    kind: 'noTemplate', title: 'The TEST TEMPLATE database does not exist',
    symptoms: ['template database "template_postgis" does not exist'],
    matches: (_code, m) => m.includes('template database') && m.includes('does not exist'),
    cause: (w) => `The template database ${w.name} named in TEST TEMPLATE does not exist${w.where}, so creating the test database fails.`,
    fix: () => 'Create that template database on the server, fix TEST TEMPLATE, or remove it to use template1.',
  },
  {
    kind: 'noDatabase', title: 'The database does not exist',
    symptoms: ['FATAL: database "shop" does not exist'],
    matches: (code, m) => code === '3D000' || (m.includes('database') && m.includes('does not exist')),
    cause: (w) => `The database ${w.database} does not exist on the server${w.where}.`,
    fix: () => 'Create it with "Create Postgres DB for Django", or fix NAME.',
  },
  {
    kind: 'sslRequired', title: 'pg_hba.conf rejects connections without SSL',
    symptoms: ['FATAL: pg_hba.conf rejects connection for host "127.0.0.1", user "django_app", database "shop", no encryption'],
    matches: (_code, m) => m.includes('pg_hba.conf rejects connection') && m.includes('no encryption'),
    cause: (w) => `The server's pg_hba.conf rejects ${w.user} on ${w.database}${w.where} unless the connection uses SSL, and this connection did not.`,
    fix: () => 'Set OPTIONS {"sslmode": "require"} (better: "verify-full" with sslrootcert pointing at the server\'s CA); sslmode prefer or allow also let libpq retry with SSL.',
  },
  {
    kind: 'noHbaEntry', title: 'pg_hba.conf rejects the connection',
    symptoms: ['FATAL: pg_hba.conf rejects connection for host "127.0.0.1", user "django_app", database "shop", SSL encryption'],
    matches: (_code, m) => m.includes('pg_hba.conf rejects connection'),
    cause: (w) => `A "reject" line of the server's pg_hba.conf matches ${w.user} on ${w.database}${w.where}.`,
    fix: (w) => `Ask the server's administrator which lines apply; a line such as "${w.hbaLine}" placed above the reject line and a reload (SELECT pg_reload_conf()) let the role in.`,
  },
  {
    kind: 'noHbaEntry', title: 'No pg_hba.conf entry',
    symptoms: ['FATAL: no pg_hba.conf entry for host "127.0.0.1", user "django_app", database "shop", no encryption'],
    matches: (_code, m) => m.includes('no pg_hba.conf entry'),
    cause: (w) => `The server's pg_hba.conf has no rule allowing ${w.user} to reach ${w.database} from this address${w.noEncryption ? ' without SSL' : ''}.`,
    fix: (w) => `Add the line "${w.hbaLine}" to pg_hba.conf (above any line that would reject it) and reload PostgreSQL (SELECT pg_reload_conf()); ${w.unixSocket ? 'HOST is empty, so Django uses the Unix socket: setting HOST to "localhost" makes it use the TCP lines instead' : 'an empty HOST would use the Unix socket and its "local" lines instead'}. On managed services check the allowed networks.`,
  },
  {
    kind: 'sslNotSupported', title: 'The server does not support SSL',
    symptoms: ['server does not support SSL, but SSL was required', 'The server does not support SSL connections'],
    matches: (_code, m) => m.includes('does not support ssl'),
    cause: (w) => `The server${w.where} does not support SSL, but OPTIONS sslmode asks for it.`,
    fix: () => 'Use sslmode "prefer" or "disable" for this server, or enable ssl in postgresql.conf.',
  },
  {
    kind: 'sslRequired', title: 'The server requires SSL',
    symptoms: ['FATAL: SSL off', 'SSL connection is required'],
    matches: (_code, m) => includesAny(m, ['ssl off', 'ssl required', 'ssl connection is required', 'sslmode value "require"']),
    cause: (w) => `The server${w.where} only accepts SSL connections.`,
    fix: () => 'Set OPTIONS {"sslmode": "require"} (or verify-full with sslrootcert).',
  },
  {
    kind: 'certificate', title: 'The SSL certificate cannot be verified',
    symptoms: ['self-signed certificate in certificate chain', 'certificate verify failed'],
    matches: (code, m) => (code !== undefined && CERT_CODES.has(code)) || m.includes('certificate') || m.includes('hostname/ip does not match'),
    cause: (w) => `The server's SSL certificate could not be verified${w.where}: ${w.message}.`,
    fix: () => 'Point OPTIONS sslrootcert at the CA file that signed the server certificate (from your provider), make HOST match the certificate name, or use sslmode "require" to encrypt without verifying.',
  },
  {
    kind: 'adminPrivilege', title: 'Create Postgres DB for Django: the admin role may not run a statement',
    symptoms: ['must be member of role "django_app"', 'must be able to SET ROLE "django_app"', 'permission denied to grant role "django_app"',
      'permission denied to alter role', 'permission denied to create role', 'no privileges were granted for "public"'],
    // 42501 insufficient_privilege; 01007 is the warning a GRANT without grant options gives instead of an error.
    matches: (code, _m, ctx) => ctx.statement !== undefined && (code === '42501' || code === '01007'),
    cause: (w) => `The admin role ${w.user} may not run ${w.statement}${w.where}: ${w.message}.`,
    fix: (w) => `A superuser would run: ${w.superuserStatement || 'the statement shown.'} Managed services (RDS, Cloud SQL, Azure, DigitalOcean, Supabase, Neon) give an admin with CREATEROLE and CREATEDB instead of a superuser: to make a role a database owner it must be a member of that role on PostgreSQL 14 and 15, and hold the SET option on it on 16+, where a CREATEROLE admin may grant that (and CREATEDB, if it has CREATEDB itself) only for the roles it created.`,
  },
  {
    kind: 'createDbDenied', title: 'manage.py test: permission denied to create database',
    symptoms: ['Got an error creating the test database: permission denied to create database'],
    matches: (code, m) => m.includes('permission denied to create database') || (code === '42501' && m.includes('create database')),
    cause: (w) => `${w.user} may not create databases, and \`manage.py test\` creates its test database (TEST NAME, by default "test_" + NAME) before running the tests.`,
    fix: (w) => `Grant it once as a superuser: ALTER ROLE ${w.user === 'the USER' ? 'USER' : w.user} CREATEDB ("Create Postgres DB for Django" offers it), or point the tests at a server where the role may create databases.`,
  },
  {
    kind: 'permissionPublic', title: 'permission denied for schema public',
    symptoms: ['permission denied for schema public'],
    matches: (code, m) => code === '42501' && m.includes('schema public'),
    cause: (w) => `${w.user} may not create tables in schema "public" (PostgreSQL 15+ no longer allows it by default), so migrate will fail.`,
    fix: () => 'Make the role the database owner or grant it: GRANT USAGE, CREATE ON SCHEMA public TO the role ("Create Postgres DB for Django" does this).',
  },
  {
    kind: 'pgbouncerStartupParameter', title: 'PgBouncer: unsupported startup parameter',
    symptoms: ['FATAL: unsupported startup parameter: options', 'unsupported startup parameter in options: statement_timeout'],
    matches: (_code, m) => m.includes('unsupported startup parameter') || m.includes('unsupported options startup parameter'),
    cause: (w) => `PgBouncer${w.where} refuses the "${w.name}" startup parameter, which libpq sends for OPTIONS['${w.name}'].`,
    fix: () => "Remove OPTIONS['options'] and set those values on the server instead (ALTER ROLE USER SET statement_timeout = '5s'; and so on), which works through any pool mode. Listing options in PgBouncer's ignore_startup_parameters only hides the error: the settings are then silently dropped.",
  },
  {
    kind: 'preparedStatement', title: 'PgBouncer: prepared statement "_pg3_0" does not exist / already exists',
    symptoms: ['prepared statement "_pg3_0" does not exist', 'prepared statement "_pg3_0" already exists'],
    matches: (code, m) => code === '26000' || code === '42P05' || /prepared statement "[^"]*" (does not exist|already exists)/.test(m),
    cause: () => 'psycopg 3 prepared a named statement on one server connection and PgBouncer (transaction or statement pool mode) ran the next query on another one.',
    fix: () => "Remove OPTIONS['prepare_threshold'] or set it to None (Django's default, no named prepared statements), or use PgBouncer 1.21+ with max_prepared_statements > 0.",
  },
  {
    kind: 'startupSettings', title: 'The server refuses a setting sent at login',
    symptoms: ['FATAL: invalid value for parameter "work_mem": "abc"', 'FATAL: unrecognized configuration parameter "nosuch_param"', 'FATAL: invalid value for parameter "TimeZone": "Bogus/Zone"'],
    matches: (_code, m) => includesAny(m, ['invalid value for parameter', 'unrecognized configuration parameter', 'requires a value', 'invalid command-line argument for server process', 'cannot be changed without restarting', 'permission denied to set parameter']),
    cause: (w) => `The server${w.where} refuses a setting sent when logging in: ${w.message.replace(/^FATAL: +/, '').split('\n')[0]}.`,
    fix: () => "Correct the -c name=value settings in OPTIONS['options'] or the PGOPTIONS variable (libpq also sends PGTZ, PGDATESTYLE and PGGEQO at login); SHOW name on the server and the PostgreSQL documentation give the valid values.",
  },
  {
    kind: 'tlsHandshake', title: 'The TLS handshake fails',
    symptoms: ['SSL error: unexpected eof while reading', 'SSL SYSCALL error: EOF detected', 'SSL error: no protocols available'],
    matches: (_code, m) => m.startsWith('ssl error') || m.startsWith('ssl syscall error'),
    cause: (w) => `The TLS handshake with the server${w.where} failed: ${w.message.replace(/^SSL (SYSCALL )?error: /i, '')}.`,
    fix: () => 'With sslnegotiation=direct the server must be PostgreSQL 17 or later: keep the default sslnegotiation=postgres for older servers; otherwise check ssl_min_protocol_version / ssl_max_protocol_version against the TLS versions the server offers.',
  },
  {
    kind: 'closedUnexpectedly', title: 'server closed the connection unexpectedly',
    symptoms: ['server closed the connection unexpectedly', 'Connection terminated unexpectedly'],
    matches: (code, m) => includesAny(m, ['connection terminated unexpectedly', 'server closed the connection unexpectedly']) || code === 'ECONNRESET' || code === 'EPIPE',
    cause: (w) => `The server${w.where} closed the connection unexpectedly.`,
    fix: () => 'If it happens after the site sat idle with CONN_MAX_AGE set, something (a firewall, a load balancer, PgBouncer, a server restart, idle_session_timeout) closed the persistent connection: set CONN_HEALTH_CHECKS = True (Django 4.1+) or lower CONN_MAX_AGE. Otherwise check the server log: it may have crashed or restarted, or the port may belong to something else than PostgreSQL.',
  },
];

/** The last resort, when nothing above matches: a connection that failed, or a statement after connecting. */
export const otherCause = {
  cause: (w: CauseWords) => (w.statement ? `${w.statement} failed${w.where}: ${w.message}` : `Could not connect${w.where}: ${w.message}`),
  fix: 'Check the settings shown above and the PostgreSQL server log.',
};

/** The pg_hba.conf line that admits this connection, from PostgreSQL's own "no pg_hba.conf entry for host ..." when it says. */
export function hbaLineFor(message: string, ctx: Pick<ErrorContext, 'user' | 'database' | 'unixSocket'>): string {
  const said = /(?:no pg_hba\.conf entry|pg_hba\.conf rejects connection) for host "([^"]*)", user "([^"]*)", database "([^"]*)"/i.exec(message);
  const user = said?.[2] ?? ctx.user ?? 'USER';
  const database = said?.[3] ?? ctx.database ?? 'NAME';
  const address = said?.[1];
  // PostgreSQL writes the Unix socket as host "[local]".
  if (address === '[local]' || (address === undefined && ctx.unixSocket)) return `local    ${database}    ${user}    scram-sha-256`;
  const cidr = address === undefined ? 'CLIENT_ADDRESS/32' : address.includes(':') ? `${address}/128` : `${address}/32`;
  const type = said && !/no encryption/i.test(message) ? 'hostssl' : 'host';
  return `${type}    ${database}    ${user}    ${cidr}    scram-sha-256`;
}

function startupParameter(message: string): string {
  return /unsupported startup parameter(?: in options)?: (\S+)/i.exec(message)?.[1] ?? 'options';
}

/** Classify a pg/Node error. Every text returned has the secrets masked. */
export function explainError(error: unknown, ctx: ErrorContext = {}): FailureExplanation {
  const { code, message } = fields(error);
  const m = message.toLowerCase();
  const words: CauseWords = {
    where: ctx.target ? ` at ${ctx.target}` : '',
    user: ctx.user ? `"${ctx.user}"` : 'the USER',
    database: ctx.database ? `"${ctx.database}"` : 'the NAME database',
    within: ctx.connectTimeoutMs ? ` within ${Math.round(ctx.connectTimeoutMs / 1000)} s` : '',
    message,
    hbaLine: hbaLineFor(message, ctx),
    unixSocket: ctx.unixSocket ?? (ctx.target ?? '').includes('Unix socket'),
    noEncryption: m.includes('no encryption'),
    name: m.includes('template database') ? `"${/template database "([^"]*)"/i.exec(message)?.[1] ?? ''}"` : startupParameter(message),
    statement: ctx.statement ?? '',
    superuserStatement: ctx.superuserStatement ?? '',
    targetSessionAttrs: ctx.targetSessionAttrs ?? 'any',
  };
  const secrets = ctx.secrets ?? [];
  const make = (kind: FailureKind, cause: string, fix: string): FailureExplanation =>
    ({ kind, cause: sanitize(cause, secrets), fix: sanitize(fix, secrets), detail: sanitize(message, secrets) });
  const known = failureCauses.find((c) => c.matches(code, m, ctx));
  if (known) return make(known.kind, known.cause(words), known.fix(words));
  return make('other', otherCause.cause(words), otherCause.fix);
}
