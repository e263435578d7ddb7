// "Generate PgBouncer config": from one resolved DATABASES alias, a pgbouncer.ini, a userlist.txt holding a
// SCRAM-SHA-256 verifier (never the password), and the Django settings changes the pooler implies.
import type { ResolvedDatabase, Scalar } from '../model/resolved';
import { parseScramVerifier, scramSha256Verifier, scramVerifierMatches } from './scram';

export { scramSha256Verifier, scramVerifierMatches, parseScramVerifier } from './scram';

/** Statement mode is not offered: it refuses the multi-statement transactions Django runs. */
export type GeneratedPoolMode = 'session' | 'transaction';

export interface GenerateOptions {
  poolMode: GeneratedPoolMode;
  listenPort?: number;
  listenAddr?: string;
  authType?: 'scram-sha-256' | 'md5';
  /** Added to admin_users (console access). */
  adminUser?: string;
  /** Path written as auth_file; Debian's packaged location by default. */
  authFile?: string;
  /** unix_socket_dir; omitted from the file (PgBouncer's default /tmp) when undefined, '' disables the socket. */
  unixSocketDir?: string;
  /**
   * The role's verifier as PostgreSQL stores it (pg_authid.rolpassword). When given and made from the
   * password, it is reused so PgBouncer can log in to PostgreSQL with it; otherwise a fresh one is made
   * and `serverSql` says how to store that same verifier on the server.
   */
  serverSecret?: string;
  /** Iterations for a fresh verifier (default 4096). */
  iterations?: number;
}

export interface DjangoChange {
  /** `HOST`, `PORT`, `CONN_MAX_AGE`, `OPTIONS['sslmode']`… */
  key: string;
  /** Python literal of the current value; null when it is not set or not known. */
  from: string | null;
  /** Python literal of the new value; null means remove the key. */
  to: string | null;
  why: string;
}

export interface GeneratedPgBouncerConfig {
  ini: string;
  userlist: string;
  djangoChanges: DjangoChange[];
  /**
   * SQL to run on PostgreSQL so the server stores the same verifier as userlist.txt (PgBouncer reuses a
   * SCRAM secret for its server login only when both are identical). Holds no plain password. Empty when
   * `serverSecret` was reused.
   */
  serverSql: string[];
}

const tlsModes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

function text(value: Scalar): string {
  return value === null ? '' : String(value);
}

function pyLiteral(value: Scalar): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A [databases] entry name: bare when PgBouncer allows it, else in SQL double quotes. */
function databaseKey(name: string): string {
  return /^[_0-9A-Za-z]+$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A connection-string value, single-quoted when it holds blanks or quotes. */
function connValue(value: string): string {
  return /^[^\s'"]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

function userlistField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function requireText(db: ResolvedDatabase, key: 'name' | 'user' | 'password'): string {
  const resolved = db[key];
  const value = text(resolved.value);
  if (value === '' || resolved.source === 'missing' || resolved.source === 'computed') {
    const where = resolved.variable ? ` (from ${resolved.variable})` : '';
    throw new Error(`DATABASES['${db.alias}'] has no usable ${key.toUpperCase()}${where}: PgBouncer needs it to write its config.`);
  }
  return value;
}

function userSecret(user: string, password: string, opts: GenerateOptions): { secret: string; serverSql: string[] } {
  if (opts.serverSecret && parseScramVerifier(opts.serverSecret) && scramVerifierMatches(password, opts.serverSecret)) {
    return { secret: opts.serverSecret.trim(), serverSql: [] };
  }
  const secret = scramSha256Verifier(password, { iterations: opts.iterations });
  // PostgreSQL stores a SCRAM verifier given as the password verbatim, so both sides then agree.
  return { secret, serverSql: [`ALTER ROLE ${sqlIdentifier(user)} PASSWORD '${secret}';`] };
}

function djangoChangesFor(db: ResolvedDatabase, opts: Required<Pick<GenerateOptions, 'poolMode' | 'listenPort' | 'listenAddr'>>): DjangoChange[] {
  const changes: DjangoChange[] = [];
  const current = (value: Scalar, source: string) => (source === 'missing' || source === 'django-default' ? null : pyLiteral(value));
  changes.push({ key: 'HOST', from: current(db.host.value, db.host.source), to: pyLiteral(opts.listenAddr), why: 'Django connects to PgBouncer, which connects to PostgreSQL.' });
  changes.push({ key: 'PORT', from: current(db.port.value, db.port.source), to: pyLiteral(String(opts.listenPort)), why: 'PgBouncer\'s listen_port.' });
  if (db.connMaxAge.value !== 0) {
    changes.push({
      key: 'CONN_MAX_AGE', from: current(db.connMaxAge.value, db.connMaxAge.source), to: '0',
      why: opts.poolMode === 'session'
        ? 'In session mode a persistent Django connection pins a server connection for its whole life, so the pool cannot share it; reconnecting to a local PgBouncer is cheap.'
        : 'PgBouncer does the pooling; a persistent Django connection would only hold a client slot (max_client_conn).',
    });
  }
  if (opts.poolMode === 'transaction') {
    changes.push({ key: 'DISABLE_SERVER_SIDE_CURSORS', from: null, to: 'True', why: 'QuerySet.iterator() declares server-side cursors that a later FETCH may look for on another server connection ("cursor … does not exist").' });
  }
  const options = db.options;
  if (options.options) {
    changes.push({ key: "OPTIONS['options']", from: pyLiteral(options.options.value), to: null, why: 'PgBouncer before 1.20 refuses the `options` startup parameter, and later versions accept only tracked settings; set statement_timeout and friends with ALTER ROLE … SET instead.' });
  }
  const sslmode = options.sslmode ? text(options.sslmode.value) : '';
  if (sslmode && sslmode !== 'disable' && sslmode !== 'prefer' && sslmode !== 'allow') {
    changes.push({ key: "OPTIONS['sslmode']", from: pyLiteral(sslmode), to: pyLiteral('prefer'), why: `PgBouncer serves no TLS on ${opts.listenAddr}; it keeps sslmode=${sslmode} on its own connection to PostgreSQL (server_tls_sslmode).` });
  }
  if (opts.poolMode === 'transaction') {
    if (options.assume_role) {
      changes.push({ key: "OPTIONS['assume_role']", from: pyLiteral(options.assume_role.value), to: null, why: 'SET ROLE is session state: in transaction mode later transactions may run under another role, and the role leaks to other clients. Log in as that role instead.' });
    }
    const threshold = options.prepare_threshold;
    if (threshold && threshold.value !== null) {
      changes.push({ key: "OPTIONS['prepare_threshold']", from: pyLiteral(threshold.value), to: 'None', why: 'Named prepared statements need PgBouncer 1.21+ with max_prepared_statements; without it they clash between clients.' });
    }
  }
  if (options.pool) {
    changes.push({ key: "OPTIONS['pool']", from: pyLiteral(options.pool.value), to: null, why: 'Django\'s own pool in front of PgBouncer pools twice; one pooler is enough.' });
  }
  return changes;
}

/** pgbouncer.ini, userlist.txt and the Django changes for one DATABASES alias. Throws when NAME, USER or PASSWORD is unusable. */
export function generatePgBouncerConfig(db: ResolvedDatabase, options: GenerateOptions): GeneratedPgBouncerConfig {
  const opts = { listenPort: 6432, listenAddr: '127.0.0.1', authType: 'scram-sha-256' as const, authFile: '/etc/pgbouncer/userlist.txt', ...options };
  if ((opts.poolMode as string) === 'statement') throw new Error('Statement pooling refuses multi-statement transactions; Django cannot use it. Choose session or transaction.');
  if (!Number.isInteger(opts.listenPort) || opts.listenPort < 1 || opts.listenPort > 65535) throw new Error(`listen port ${opts.listenPort} is not a TCP port`);
  const name = requireText(db, 'name');
  const user = requireText(db, 'user');
  const password = requireText(db, 'password');
  const { secret, serverSql } = userSecret(user, password, opts);

  const host = text(db.host.value);
  const port = text(db.port.value);
  const params = [host && `host=${connValue(host)}`, port && `port=${connValue(port)}`, `dbname=${connValue(name)}`].filter(Boolean);
  const sslmode = db.options.sslmode ? text(db.options.sslmode.value) : '';
  const serverTls = tlsModes.includes(sslmode) ? sslmode : 'prefer';

  const lines = [
    `;; PgBouncer for DATABASES['${db.alias}'], written by Django Postgres.`,
    ';; Pool modes: session (default) keeps a server connection per client connection and is always safe;',
    ';; transaction lends one per transaction (Django needs DISABLE_SERVER_SIDE_CURSORS = True, no SET /',
    ';; advisory locks / LISTEN); statement breaks Django transactions.',
    '',
    '[databases]',
    `${databaseKey(name)} = ${params.join(' ')}`,
    '',
    '[pgbouncer]',
    `listen_addr = ${opts.listenAddr}`,
    `listen_port = ${opts.listenPort}`,
    ...(opts.unixSocketDir === undefined ? [] : [`unix_socket_dir = ${opts.unixSocketDir}`]),
    `pool_mode = ${opts.poolMode}`,
    `auth_type = ${opts.authType}`,
    `auth_file = ${opts.authFile}`,
    ...(opts.adminUser ? [`admin_users = ${opts.adminUser}`] : []),
    'max_client_conn = 100',
    'default_pool_size = 20',
    ';; TLS from PgBouncer to PostgreSQL, taken from the Django sslmode.',
    `server_tls_sslmode = ${serverTls}`,
    '',
  ];
  const userlist = `${userlistField(user)} ${userlistField(secret)}\n`;
  return { ini: lines.join('\n'), userlist, djangoChanges: djangoChangesFor(db, opts), serverSql };
}
