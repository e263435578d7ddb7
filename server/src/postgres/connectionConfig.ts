// Turn a resolved DATABASES alias into `pg` client configurations, following what Django and libpq would do
// (https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-notes,
//  https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS).
// Whatever `pg` cannot do is listed in `unsupported` rather than dropped silently.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientConfig } from 'pg';
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import type { ResolvedDatabase, ResolvedValue } from '../model/resolved';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface UnsupportedOption {
  /** The DATABASES key or OPTIONS key, e.g. "OPTIONS.service". */
  option: string;
  reason: string;
}

/** One host of the HOST list, tried in order. */
export interface HostTarget {
  /** host:port or the socket directory, for messages. */
  label: string;
  config: ClientConfig;
  /**
   * libpq's sslmode=prefer/allow retry: the configuration to try when the first attempt fails because
   * the server refused TLS (prefer) or insisted on it (allow).
   */
  sslFallback?: { config: ClientConfig; when: 'serverRefusedSsl' | 'serverRequiresSsl' };
}

export interface ConnectionPlan {
  targets: HostTarget[];
  sslmode: SslMode;
  /** Options `pg` cannot honour (listed for the user, not ignored silently). */
  unsupported: UnsupportedOption[];
  /** Problems that make a connection attempt meaningless (computed values, mismatched host/port lists...). */
  blocking: UnsupportedOption[];
  /** How settings were interpreted, in plain words. */
  notes: string[];
  /** Secrets to mask in any text shown to the user (passwords, key passphrases). */
  secrets: string[];
  /** Role to SET after connecting (OPTIONS.assume_role). */
  assumeRole?: string;
  /** connect_timeout in milliseconds, 0 when unlimited. */
  connectTimeoutMs: number;
}

export interface ConnectionConfigOptions {
  /** Environment for libpq's PG* fallbacks (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Default socket directory when HOST is empty (Debian's libpq default). */
  defaultSocketDir?: string;
  /** Used when connect_timeout is not set, in ms (0 = unlimited). Test Connection passes a finite one. */
  defaultConnectTimeoutMs?: number;
}

/** OPTIONS keys Django's backend consumes itself: they never reach libpq and do not affect connecting. */
const DJANGO_ONLY_OPTIONS = new Set([
  'isolation_level', 'server_side_binding', 'pool', 'prepare_threshold', 'cursor_factory', 'context', 'assume_role',
]);

/** libpq keywords that need no handling here, or that are handled explicitly below. */
const HANDLED = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'connect_timeout', 'client_encoding', 'options',
  'application_name', 'fallback_application_name', 'keepalives', 'keepalives_idle', 'sslmode', 'requiressl', 'sslcert',
  'sslkey', 'sslrootcert', 'sslpassword', 'sslcrl', 'ssl_min_protocol_version', 'ssl_max_protocol_version',
  'sslnegotiation', 'channel_binding', 'gssencmode', 'target_session_attrs', 'load_balance_hosts', 'sslsni',
]);

/** libpq keywords `pg` has no equivalent for, with the reason shown to the user. */
const NOT_IN_PG: Record<string, string> = {
  service: 'the pg driver cannot read pg_service.conf; put the connection values in DATABASES instead',
  keepalives_interval: 'Node sockets cannot set the keepalive interval; the OS default is used',
  keepalives_count: 'Node sockets cannot set the keepalive probe count; the OS default is used',
  tcp_user_timeout: 'Node sockets cannot set TCP_USER_TIMEOUT; the OS default is used',
  sslcompression: 'TLS compression is not available (and is disabled by modern OpenSSL anyway)',
  sslcrldir: 'a CRL directory cannot be loaded; use sslcrl with a single file',
  requirepeer: 'the pg driver cannot check the server process user on a Unix socket',
  krbsrvname: 'the pg driver has no Kerberos/GSSAPI support',
  gsslib: 'the pg driver has no Kerberos/GSSAPI support',
  gssdelegation: 'the pg driver has no Kerberos/GSSAPI support',
  replication: 'replication connections are not tested',
  require_auth: 'the pg driver cannot restrict which authentication methods the server may ask for',
  sslcertmode: 'the pg driver sends the client certificate whenever sslcert is set',
  sslkeylogfile: 'TLS key logging is not supported',
  min_protocol_version: 'the pg driver always speaks protocol 3.0',
  max_protocol_version: 'the pg driver always speaks protocol 3.0',
  oauth_issuer: 'the pg driver has no OAuth support',
  oauth_client_id: 'the pg driver has no OAuth support',
  oauth_client_secret: 'the pg driver has no OAuth support',
  oauth_scope: 'the pg driver has no OAuth support',
};

function text(value: ResolvedValue | undefined): string | undefined {
  if (!value || value.value === null || value.source === 'missing') return undefined;
  return String(value.value);
}

function nonEmpty(value: ResolvedValue | undefined): string | undefined {
  const v = text(value);
  return v === undefined || v === '' ? undefined : v;
}

function splitList(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((part) => part.trim());
}

function isTruthyFlag(value: string): boolean {
  return !['0', 'false', 'off', 'no'].includes(value.trim().toLowerCase());
}

export { isLocalHost } from './hosts';

/** The password in a libpq passfile line matching host, port, database and user (`*` matches anything). */
export function lookupPassfile(file: string, host: string, port: number, database: string, user: string): string | undefined {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of content.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    // Fields are separated by unescaped colons; \: and \\ are escapes.
    const fields: string[] = [''];
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
      else if (line[i] === ':' && fields.length < 5) fields.push('');
      else fields[fields.length - 1] += line[i];
    }
    if (fields.length < 5) continue;
    const hostField = host.startsWith('/') ? 'localhost' : host;
    const wanted = [hostField, String(port), database, user];
    if (wanted.every((w, i) => fields[i] === '*' || fields[i] === w)) return fields[4];
  }
  return undefined;
}

function readPem(path: string, option: string, blocking: UnsupportedOption[]): string | undefined {
  try {
    return readFileSync(path.startsWith('~/') ? join(homedir(), path.slice(2)) : path, 'utf8');
  } catch (error) {
    blocking.push({ option, reason: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    return undefined;
  }
}

/** With hostaddr the socket goes to the address, but SNI and verify-full must use the HOST name. */
function withIdentityOf(host: string, tls: ConnectionOptions, sslmode: SslMode): ConnectionOptions {
  const named: ConnectionOptions = isIP(host) === 0 ? { ...tls, servername: host } : { ...tls };
  if (sslmode === 'verify-full') named.checkServerIdentity = (_name, cert) => checkServerIdentity(host, cert);
  return named;
}

/** Build the `pg` configurations for a resolved alias. Never throws; problems are reported in the plan. */
export function buildConnectionPlan(db: ResolvedDatabase, opts: ConnectionConfigOptions = {}): ConnectionPlan {
  const env = opts.env ?? process.env;
  const unsupported: UnsupportedOption[] = [];
  const blocking: UnsupportedOption[] = computedProblems(db);
  const notes: string[] = [];
  const options = db.options;
  const opt = (key: string) => nonEmpty(options[key]);

  // Django: conn_params = {dbname: NAME, **OPTIONS}; then USER/PASSWORD/HOST/PORT override when non-empty.
  const name = db.name.value === null && db.name.source !== 'missing' ? 'postgres' : nonEmpty(db.name);
  const database = opt('dbname') ?? name ?? env.PGDATABASE;
  if (opt('dbname') && name && opt('dbname') !== name) notes.push(`OPTIONS.dbname "${opt('dbname')}" is used instead of NAME "${name}", as Django does.`);
  const user = nonEmpty(db.user) ?? opt('user') ?? env.PGUSER;
  const password = nonEmpty(db.password) ?? opt('password') ?? env.PGPASSWORD;
  const hostText = nonEmpty(db.host) ?? opt('host') ?? env.PGHOST;
  const portText = nonEmpty(db.port) ?? opt('port') ?? env.PGPORT;

  const defaultSocketDir = opts.defaultSocketDir ?? '/var/run/postgresql';
  let hosts = splitList(hostText);
  if (hosts.length === 0) {
    hosts = [defaultSocketDir];
    notes.push(`HOST is empty: connecting through the Unix socket in ${defaultSocketDir}, as libpq does.`);
  }
  hosts = hosts.map((h) => (h === '' ? defaultSocketDir : h));
  const hostaddrs = splitList(opt('hostaddr'));
  if (hostaddrs.length > 0 && hostaddrs.length !== hosts.length && hostText !== undefined) {
    blocking.push({ option: 'OPTIONS.hostaddr', reason: `${hostaddrs.length} addresses for ${hosts.length} host names; libpq needs one per host` });
  }
  const portList = splitList(portText).map((p) => (p === '' ? '5432' : p));
  const ports = portList.length === 0 ? hosts.map(() => 5432) : portList.map(Number);
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    blocking.push({ option: 'PORT', reason: `"${portText}" is not a port number (1-65535)` });
  }
  if (ports.length !== 1 && ports.length !== hosts.length) {
    blocking.push({ option: 'PORT', reason: `${ports.length} ports for ${hosts.length} hosts; give one port, or one per host` });
  }
  if (!user) blocking.push({ option: 'USER', reason: 'is empty: Django would connect as the operating-system user of the web process; set USER' });
  if (!database) blocking.push({ option: 'NAME', reason: 'is empty: Django refuses an empty NAME' });

  // connect_timeout: seconds, <= 0 means wait forever, 1 is raised to 2 (libpq).
  const timeoutText = opt('connect_timeout') ?? env.PGCONNECT_TIMEOUT;
  let connectTimeoutMs = opts.defaultConnectTimeoutMs ?? 0;
  if (timeoutText !== undefined) {
    const seconds = Number(timeoutText);
    if (!Number.isInteger(seconds)) {
      blocking.push({ option: 'OPTIONS.connect_timeout', reason: `"${timeoutText}" is not a whole number of seconds; libpq refuses it` });
    } else {
      connectTimeoutMs = seconds <= 0 ? 0 : Math.max(seconds, 2) * 1000;
      if (seconds <= 0) notes.push('connect_timeout is 0 or negative: libpq waits forever.');
    }
  }

  // sslmode (requiressl is the legacy spelling that silently overrides it).
  let sslmodeText = opt('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  const requiressl = opt('requiressl');
  if (requiressl !== undefined) {
    sslmodeText = isTruthyFlag(requiressl) ? 'require' : 'prefer';
    notes.push(`OPTIONS.requiressl is a deprecated libpq keyword that overrides sslmode; it means sslmode=${sslmodeText}.`);
  }
  let sslmode: SslMode = 'prefer';
  if ((SSL_MODES as readonly string[]).includes(sslmodeText)) sslmode = sslmodeText as SslMode;
  else blocking.push({ option: 'OPTIONS.sslmode', reason: `"${sslmodeText}" is not one of ${SSL_MODES.join(', ')} (case matters)` });

  const tls: ConnectionOptions = {};
  const rootcert = opt('sslrootcert') ?? env.PGSSLROOTCERT;
  const certFile = opt('sslcert') ?? env.PGSSLCERT;
  const keyFile = opt('sslkey') ?? env.PGSSLKEY;
  const verifying = sslmode === 'verify-ca' || sslmode === 'verify-full';
  if (rootcert === 'system') {
    notes.push('sslrootcert=system: using the operating system\'s trusted certificate authorities.');
  } else if (rootcert !== undefined && sslmode !== 'disable') {
    tls.ca = readPem(rootcert, 'OPTIONS.sslrootcert', blocking);
  } else if (verifying) {
    const fallback = join(homedir(), '.postgresql', 'root.crt');
    tls.ca = readPem(fallback, 'OPTIONS.sslrootcert', blocking);
  }
  if (rootcert !== undefined && rootcert !== 'system' && sslmode === 'require') {
    // libpq: require with a root certificate behaves like verify-ca.
    notes.push('sslmode=require with sslrootcert set: the server certificate is checked against that CA, as libpq does.');
    sslmode = 'verify-ca';
  }
  if (certFile !== undefined && sslmode !== 'disable') tls.cert = readPem(certFile, 'OPTIONS.sslcert', blocking);
  if (keyFile !== undefined && sslmode !== 'disable') tls.key = readPem(keyFile, 'OPTIONS.sslkey', blocking);
  const sslpassword = opt('sslpassword');
  if (sslpassword !== undefined) tls.passphrase = sslpassword;
  const crl = opt('sslcrl') ?? env.PGSSLCRL;
  if (crl !== undefined && sslmode !== 'disable') tls.crl = readPem(crl, 'OPTIONS.sslcrl', blocking);
  for (const [key, field] of [['ssl_min_protocol_version', 'minVersion'], ['ssl_max_protocol_version', 'maxVersion']] as const) {
    const v = opt(key);
    if (v === undefined) continue;
    if (['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].includes(v)) tls[field] = v as 'TLSv1.2';
    else blocking.push({ option: `OPTIONS.${key}`, reason: `"${v}" is not one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3` });
  }
  if (opt('sslsni') !== undefined && !isTruthyFlag(opt('sslsni') as string)) {
    unsupported.push({ option: 'OPTIONS.sslsni', reason: 'the pg driver always sends the host name (SNI) for non-IP hosts' });
  }

  const encrypted: ConnectionOptions =
    sslmode === 'verify-full' ? { ...tls, rejectUnauthorized: true }
      : sslmode === 'verify-ca' ? { ...tls, rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { ...tls, rejectUnauthorized: false };
  if (sslmode === 'prefer') {
    notes.push('sslmode=prefer: the pg driver has no opportunistic TLS, so TLS (certificate not checked) is tried first and a plain connection only if the server refuses TLS, as libpq does.');
  } else if (sslmode === 'allow') {
    notes.push('sslmode=allow: a plain connection is tried first and TLS (certificate not checked) only if the server demands it, as libpq does.');
  }

  // Remaining options.
  const base: ClientConfig = { user, password, database, client_encoding: 'UTF8' };
  const clientEncoding = opt('client_encoding');
  if (clientEncoding !== undefined && clientEncoding.toUpperCase() !== 'UTF8') notes.push(`OPTIONS.client_encoding "${clientEncoding}" is replaced by UTF8, as Django does.`);
  const appName = opt('application_name') ?? env.PGAPPNAME;
  if (appName !== undefined) base.application_name = appName;
  const fallbackAppName = opt('fallback_application_name');
  if (fallbackAppName !== undefined) base.fallback_application_name = fallbackAppName;
  const serverOptions = opt('options') ?? env.PGOPTIONS;
  if (serverOptions !== undefined) base.options = serverOptions;
  const keepalives = opt('keepalives');
  if (keepalives !== undefined) base.keepAlive = Number(keepalives) !== 0;
  else base.keepAlive = true;
  const keepalivesIdle = opt('keepalives_idle');
  if (keepalivesIdle !== undefined && Number.isFinite(Number(keepalivesIdle))) base.keepAliveInitialDelayMillis = Number(keepalivesIdle) * 1000;
  if (connectTimeoutMs > 0) base.connectionTimeoutMillis = connectTimeoutMs;

  const channelBinding = opt('channel_binding') ?? env.PGCHANNELBINDING;
  if (channelBinding === 'prefer' || channelBinding === 'require') base.enableChannelBinding = true;
  if (channelBinding === 'require') unsupported.push({ option: 'OPTIONS.channel_binding', reason: 'the pg driver uses channel binding when it can but does not refuse a server that skips it' });
  const sslnegotiation = opt('sslnegotiation');
  if (sslnegotiation === 'direct' && sslmode !== 'disable') base.sslnegotiation = 'direct';
  const gssencmode = opt('gssencmode') ?? env.PGGSSENCMODE;
  if (gssencmode === 'require') unsupported.push({ option: 'OPTIONS.gssencmode', reason: 'the pg driver has no GSSAPI encryption; the connection is tried without it' });
  const targetAttrs = opt('target_session_attrs') ?? env.PGTARGETSESSIONATTRS;
  if (targetAttrs !== undefined && targetAttrs !== 'any') unsupported.push({ option: 'OPTIONS.target_session_attrs', reason: `the pg driver does not check "${targetAttrs}"; hosts are tried in order and the first that answers is used` });
  if (opt('load_balance_hosts') === 'random') unsupported.push({ option: 'OPTIONS.load_balance_hosts', reason: 'hosts are tried in the listed order, not at random' });

  const passfile = opt('passfile') ?? env.PGPASSFILE;
  for (const key of Object.keys(options)) {
    if (HANDLED.has(key) || DJANGO_ONLY_OPTIONS.has(key)) continue;
    if (key in NOT_IN_PG) {
      if (nonEmpty(options[key]) !== undefined) unsupported.push({ option: `OPTIONS.${key}`, reason: NOT_IN_PG[key] });
    } else if (!['autocommit', 'row_factory', 'connection_factory', 'async', 'async_'].includes(key)) {
      unsupported.push({ option: `OPTIONS.${key}`, reason: 'is not a libpq connection keyword: psycopg would fail with "invalid connection option"' });
    }
  }

  const targets: HostTarget[] = hosts.map((host, index) => {
    const port = ports.length === 1 ? ports[0] : ports[index];
    const address = hostaddrs[index];
    const connectHost = address ?? host;
    const config: ClientConfig = { ...base, host: connectHost, port };
    if (password === undefined && passfile !== undefined && user && database) {
      const fromFile = lookupPassfile(passfile, host, port, database, user);
      if (fromFile !== undefined) config.password = fromFile;
    }
    const label = host.startsWith('/') ? `${host} (Unix socket, port ${port})` : `${host}:${port}${address ? ` (address ${address})` : ''}`;
    // TLS host name checks use the HOST name even when hostaddr picks the address.
    const tlsForHost: ConnectionOptions = address && !host.startsWith('/') ? withIdentityOf(host, encrypted, sslmode) : encrypted;
    if (host.startsWith('/')) {
      // libpq never uses TLS over a Unix socket.
      return { label, config: { ...config, ssl: false } };
    }
    switch (sslmode) {
      case 'disable':
        return { label, config: { ...config, ssl: false } };
      case 'allow':
        return { label, config: { ...config, ssl: false }, sslFallback: { config: { ...config, ssl: tlsForHost }, when: 'serverRequiresSsl' } };
      case 'prefer':
        return { label, config: { ...config, ssl: tlsForHost }, sslFallback: { config: { ...config, ssl: false }, when: 'serverRefusedSsl' } };
      default:
        return { label, config: { ...config, ssl: tlsForHost } };
    }
  });

  const secrets = [password, sslpassword, ...targets.map((t) => (typeof t.config.password === 'string' ? t.config.password : undefined))]
    .filter((s): s is string => typeof s === 'string' && s !== '');
  return { targets, sslmode, unsupported, blocking, notes, secrets, assumeRole: opt('assume_role'), connectTimeoutMs };
}

/** OPTIONS keys the drivers take as Python arguments rather than libpq keywords. */
const DRIVER_ARGUMENTS = new Set(['autocommit', 'row_factory', 'connection_factory', 'async', 'async_']);

/** DATABASES values that are computed in Python: no connection attempt can stand for Django's. */
function computedProblems(db: ResolvedDatabase): UnsupportedOption[] {
  const problems: UnsupportedOption[] = [];
  for (const [key, label] of [['name', 'NAME'], ['user', 'USER'], ['password', 'PASSWORD'], ['host', 'HOST'], ['port', 'PORT']] as const) {
    if (db[key].source === 'computed') problems.push({ option: label, reason: 'is computed in Python; its value cannot be known without running Django' });
  }
  for (const [key, value] of Object.entries(db.options)) {
    if (value.source === 'computed') problems.push({ option: `OPTIONS.${key}`, reason: 'is computed in Python; its value cannot be known without running Django' });
  }
  return problems;
}

/** A Python value as psycopg writes it into a conninfo string (str()). */
function pythonText(value: ResolvedValue['value']): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

export interface DjangoConninfo {
  /** The libpq keywords Django passes to the driver. */
  keywords: Record<string, string>;
  /** Problems Django itself raises (ImproperlyConfigured) or values we cannot know. */
  blocking: UnsupportedOption[];
  notes: string[];
}

/**
 * The keywords Django 5.2's PostgreSQL backend hands to the driver (base.py get_connection_params): dbname from NAME
 * (None → "postgres"), OPTIONS merged over it minus Django's own keys, USER/PASSWORD/HOST/PORT only when non-empty,
 * client_encoding UTF8. libpq fills the rest from the service file, PG* variables and defaults.
 */
export function djangoConninfo(db: ResolvedDatabase): DjangoConninfo {
  const blocking = computedProblems(db);
  const notes: string[] = [];
  const keywords: Record<string, string> = {};
  const name = db.name.source === 'missing' ? '' : db.name.value;
  const service = text(db.options.service);
  if ((name === '' || name === undefined) && !service) {
    blocking.push({ option: 'NAME', reason: "is empty: Django raises ImproperlyConfigured (\"Please supply the NAME or OPTIONS['service'] value\")" });
  } else if (typeof name === 'string' && name.length > 63) {
    blocking.push({ option: 'NAME', reason: `is longer than PostgreSQL's limit (63 characters): Django raises ImproperlyConfigured` });
  }
  if (name === null) keywords.dbname = 'postgres';
  else if (name !== '' && name !== undefined) keywords.dbname = pythonText(name);
  for (const [key, value] of Object.entries(db.options)) {
    if (DJANGO_ONLY_OPTIONS.has(key) || DRIVER_ARGUMENTS.has(key) || value.source === 'missing' || value.value === null) continue;
    keywords[key] = pythonText(value.value);
  }
  if (keywords.dbname !== undefined && text(db.options.dbname) !== undefined && typeof name === 'string' && name !== '' && keywords.dbname !== name) {
    notes.push(`OPTIONS.dbname "${keywords.dbname}" is used instead of NAME "${name}", as Django does.`);
  }
  for (const [key, keyword] of [['user', 'user'], ['password', 'password'], ['host', 'host'], ['port', 'port']] as const) {
    const value = nonEmpty(db[key]);
    if (value !== undefined) keywords[keyword] = value;
  }
  if (keywords.client_encoding !== undefined && keywords.client_encoding.toUpperCase() !== 'UTF8') {
    notes.push(`OPTIONS.client_encoding "${keywords.client_encoding}" is replaced by UTF8, as Django does.`);
  }
  keywords.client_encoding = 'UTF8';
  return { keywords, blocking, notes };
}
