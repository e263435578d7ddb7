// libpq's option resolution: explicit keyword, then the service file, then the PG* environment variable, then the
// compiled default (fe-connect.c conninfo_add_defaults / pqConnectOptions2), with libpq's validation texts.
// Plain data in, plain data out: files are read through the `LibpqSystem` the caller passes.
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS
// https://www.postgresql.org/docs/current/libpq-envars.html
import { findService } from './serviceFile';

/** What libpq reads from the machine: environment, home directory and files. */
export interface LibpqSystem {
  env: Record<string, string | undefined>;
  /** $HOME (libpq falls back to the passwd entry). */
  home: string;
  /** Name of the OS user (libpq's default user). */
  osUser: string;
  /** Numeric user id (default Kerberos credential cache /tmp/krb5cc_<uid>). */
  uid?: number;
  readFile(path: string): string | undefined;
  /** File mode bits and whether it is a regular file; undefined when it does not exist. */
  stat(path: string): { mode: number; isFile: boolean } | undefined;
  /** libpq's compiled sysconfdir (pg_service.conf); Debian and the psycopg wheels use /etc/postgresql-common. */
  sysconfdir?: string;
  /** libpq's compiled socket directory; /var/run/postgresql in Debian's and the wheels' libpq. */
  socketDir?: string;
}

/** Where a keyword's value came from. */
export type OptionSource = 'keyword' | 'service' | 'environment' | 'default';

export interface Option {
  value: string;
  source: OptionSource;
  /** The environment variable or file that gave it. */
  from?: string;
}

/** Every keyword libpq reads from an environment variable (PQconndefaults of libpq 17/18). */
export const ENVIRONMENT_VARIABLES: Readonly<Record<string, string>> = {
  host: 'PGHOST', hostaddr: 'PGHOSTADDR', port: 'PGPORT', dbname: 'PGDATABASE', user: 'PGUSER', password: 'PGPASSWORD',
  passfile: 'PGPASSFILE', service: 'PGSERVICE', options: 'PGOPTIONS', application_name: 'PGAPPNAME',
  client_encoding: 'PGCLIENTENCODING', connect_timeout: 'PGCONNECT_TIMEOUT', sslmode: 'PGSSLMODE',
  sslnegotiation: 'PGSSLNEGOTIATION', sslcompression: 'PGSSLCOMPRESSION', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY',
  sslcertmode: 'PGSSLCERTMODE', sslrootcert: 'PGSSLROOTCERT', sslcrl: 'PGSSLCRL', sslcrldir: 'PGSSLCRLDIR', sslsni: 'PGSSLSNI',
  ssl_min_protocol_version: 'PGSSLMINPROTOCOLVERSION', ssl_max_protocol_version: 'PGSSLMAXPROTOCOLVERSION',
  min_protocol_version: 'PGMINPROTOCOLVERSION', max_protocol_version: 'PGMAXPROTOCOLVERSION', requirepeer: 'PGREQUIREPEER',
  require_auth: 'PGREQUIREAUTH', channel_binding: 'PGCHANNELBINDING', gssencmode: 'PGGSSENCMODE', krbsrvname: 'PGKRBSRVNAME',
  gsslib: 'PGGSSLIB', gssdelegation: 'PGGSSDELEGATION', target_session_attrs: 'PGTARGETSESSIONATTRS',
  load_balance_hosts: 'PGLOADBALANCEHOSTS',
};

/** Keywords without an environment variable. */
const OTHER_KEYWORDS = ['fallback_application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count',
  'tcp_user_timeout', 'sslpassword', 'replication', 'oauth_issuer', 'oauth_client_id', 'oauth_client_secret', 'oauth_scope',
  'scram_client_key', 'scram_server_key', 'sslkeylogfile', 'requiressl'];

export const LIBPQ_KEYWORDS: ReadonlySet<string> = new Set([...Object.keys(ENVIRONMENT_VARIABLES), ...OTHER_KEYWORDS]);

/** Compiled defaults of the libpq Django runs on (psycopg-binary's libpq 18: gssencmode disable). */
const DEFAULTS: Readonly<Record<string, string>> = {
  port: '5432', sslmode: 'prefer', channel_binding: 'prefer', target_session_attrs: 'any', load_balance_hosts: 'disable',
  sslnegotiation: 'postgres', ssl_min_protocol_version: 'TLSv1.2', krbsrvname: 'postgres', sslsni: '1', sslcompression: '0',
};

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  sslmode: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'],
  gssencmode: ['disable', 'prefer', 'require'],
  channel_binding: ['disable', 'prefer', 'require'],
  target_session_attrs: ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'],
  load_balance_hosts: ['disable', 'random'],
  sslnegotiation: ['postgres', 'direct'],
  sslcertmode: ['disable', 'allow', 'require'],
};

const INTEGER_KEYWORDS = ['connect_timeout', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout'];
const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface ResolvedConninfo {
  options: Record<string, Option>;
  /** The service file whose section was used. */
  serviceFile?: string;
}

/** A libpq error raised before any host is tried (no "connection to server at" prefix). */
export interface ConninfoError {
  error: string;
}

export const get = (c: ResolvedConninfo, key: string): string | undefined => c.options[key]?.value;

/** Resolve keywords the way libpq does; returns libpq's own error text when it would refuse them. */
export function resolveConninfo(keywords: Readonly<Record<string, string>>, system: LibpqSystem): ResolvedConninfo | ConninfoError {
  for (const key of Object.keys(keywords)) {
    if (!LIBPQ_KEYWORDS.has(key)) return { error: `invalid connection option "${key}"` };
  }
  const options: Record<string, Option> = {};
  for (const [key, value] of Object.entries(keywords)) options[key] = { value, source: 'keyword' };

  // The service file fills what the keywords left out (libpq: keyword > service > environment > default).
  let serviceFile: string | undefined;
  const serviceName = keywords.service ?? system.env.PGSERVICE;
  if (serviceName !== undefined) {
    const found = findService(serviceName, system);
    if ('error' in found) return found;
    serviceFile = found.file;
    for (const [key, value] of Object.entries(found.values)) {
      if (!LIBPQ_KEYWORDS.has(key) || key === 'service') return { error: key === 'service' ? `nested service specifications not supported in service file "${found.file}", line ${found.lines[key]}` : `syntax error in service file "${found.file}", line ${found.lines[key]}` };
      if (!(key in options)) options[key] = { value, source: 'service', from: found.file };
    }
  }
  for (const [key, variable] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = system.env[variable];
    if (!(key in options) && value !== undefined) options[key] = { value, source: 'environment', from: variable };
  }
  // PGREQUIRESSL=1 means sslmode=require unless PGSSLMODE is set (and requiressl=1 likewise).
  const requiressl = options.requiressl?.value ?? system.env.PGREQUIRESSL;
  if (requiressl !== undefined && requiressl.startsWith('1') && (!options.sslmode || options.sslmode.source === 'default')) {
    options.sslmode = { value: 'require', source: options.requiressl ? options.requiressl.source : 'environment', from: options.requiressl ? 'requiressl' : 'PGREQUIRESSL' };
  }
  // sslrootcert=system raises the default sslmode to verify-full.
  if (options.sslrootcert?.value === 'system' && !options.sslmode) options.sslmode = { value: 'verify-full', source: 'default', from: 'sslrootcert=system' };
  for (const [key, value] of Object.entries(DEFAULTS)) {
    if (!(key in options)) options[key] = { value, source: 'default' };
  }
  if (!options.user) options.user = { value: system.osUser, source: 'default', from: 'the operating-system user' };
  if (!options.dbname || options.dbname.value === '') options.dbname = { value: options.user.value, source: 'default', from: 'the user name' };
  const resolved: ResolvedConninfo = { options, serviceFile };
  const invalid = validate(resolved);
  return invalid ? { error: invalid } : resolved;
}

/** libpq's checks made when options are parsed (pqConnectOptions2), in its order where it matters. */
function validate(c: ResolvedConninfo): string | undefined {
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = get(c, key);
    if (value !== undefined && !allowed.includes(value)) return `invalid ${key} value: "${value}"`;
  }
  for (const key of ['ssl_min_protocol_version', 'ssl_max_protocol_version']) {
    const value = get(c, key);
    if (value !== undefined && value !== '' && !TLS_VERSIONS.includes(value)) return `invalid "${key}" value: "${value}"`;
  }
  const min = get(c, 'ssl_min_protocol_version');
  const max = get(c, 'ssl_max_protocol_version');
  if (min && max && TLS_VERSIONS.indexOf(min) > TLS_VERSIONS.indexOf(max)) return 'invalid SSL protocol version range';
  const sslmode = get(c, 'sslmode') ?? 'prefer';
  if (get(c, 'sslrootcert') === 'system' && sslmode !== 'verify-full') return `weak sslmode "${sslmode}" may not be used with sslrootcert=system (use "verify-full")`;
  if (get(c, 'sslnegotiation') === 'direct' && !['require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    return `weak sslmode "${sslmode}" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")`;
  }
  const lists = hostLists(c);
  if ('error' in lists) return lists.error;
  return undefined;
}

/** Integer options are parsed when the blocking connect starts: libpq's text, or undefined when fine. */
export function integerOptionError(c: ResolvedConninfo): string | undefined {
  for (const key of INTEGER_KEYWORDS) {
    const value = get(c, key);
    if (value !== undefined && value.trim() !== '' && !/^\s*[+-]?\d+\s*$/.test(value)) return `invalid integer value "${value}" for connection option "${key}"`;
  }
  return undefined;
}

/** One host slot: libpq pairs host[i], hostaddr[i] and port[i]. */
export interface HostSlot {
  /** As written; '' when only hostaddr was given or the default applies. */
  host: string;
  hostaddr?: string;
  /** Port text (validated when the slot is reached). */
  port: string;
}

/** The host list paired with hostaddr and port, or libpq's mismatch error. */
export function hostLists(c: ResolvedConninfo): { slots: HostSlot[] } | ConninfoError {
  const split = (v: string | undefined) => (v === undefined || v === '' ? [] : v.split(',').map((s) => s.trim()));
  const hostaddrs = split(get(c, 'hostaddr'));
  let hosts = split(get(c, 'host'));
  const ports = split(get(c, 'port'));
  const count = hostaddrs.length > 0 ? hostaddrs.length : Math.max(hosts.length, 1);
  if (hostaddrs.length > 0 && hosts.length > 0 && hosts.length !== hostaddrs.length) {
    return { error: `could not match ${hosts.length} host names to ${hostaddrs.length} hostaddr values` };
  }
  if (hosts.length === 0) hosts = Array.from({ length: count }, () => '');
  if (ports.length > 1 && ports.length !== count) return { error: `could not match ${ports.length} port numbers to ${count} hosts` };
  return {
    slots: hosts.map((host, i) => ({
      host,
      hostaddr: hostaddrs[i] === '' ? undefined : hostaddrs[i],
      port: (ports.length === 1 ? ports[0] : ports[i] ?? '') || DEFAULTS.port,
    })),
  };
}
