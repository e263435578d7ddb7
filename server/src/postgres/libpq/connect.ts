// libpq's connection state machine (fe-connect.c PQconnectPoll), one place for every rule: host slots in order
// (or shuffled by load_balance_hosts), each name's addresses, the encryption methods sslmode/gssencmode allow and
// when libpq moves to the next one, the next address, the next host, or stops; require_auth and channel_binding on
// each authentication request; target_session_attrs on each session. The socket work is done by a `Transport`
// (pg in practice), so this file is plain data in, plain data out.
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-MULTIPLE-HOSTS
import { parseRequireAuth, type RequireAuth } from './auth';
import { get, hostLists, integerOptionError, type HostSlot, type LibpqSystem, type ResolvedConninfo } from './conninfo';
import { lookupPassword } from './passfile';
import { tlsPolicy, type TlsPolicy } from './tls';

export type Encryption = 'tls' | 'plain';

/** One connection attempt: one address of one host, one encryption method. */
export interface AttemptRequest {
  /** The host as written ('' when only hostaddr or the default socket). */
  host: string;
  /** IP address or socket directory to connect to. */
  address: string;
  socket: boolean;
  port: number;
  encryption: Encryption;
  tls?: TlsPolicy;
  user: string;
  dbname: string;
  password?: string;
  /** The password file the password came from. */
  passwordFile?: string;
  startup: { options?: string; application_name?: string; fallback_application_name?: string; replication?: string };
  requireAuth?: RequireAuth;
  channelBinding: string;
  sslnegotiation: string;
  /** connect_timeout in ms; 0 waits forever. */
  timeoutMs: number;
}

export type AttemptOutcome<S> =
  /** No server reached: DNS, refused, unreachable, timeout. */
  | { kind: 'unreachable'; message: string; code?: string }
  /** The server answered N to SSLRequest. */
  | { kind: 'sslRefused' }
  /** TLS handshake or certificate failure. */
  | { kind: 'tlsFailed'; message: string; code?: string }
  /** An ErrorResponse from the server; `beforeAuth` when no AuthenticationOk came first. */
  | { kind: 'serverError'; beforeAuth: boolean; sqlstate?: string; message: string }
  /** The client refused to go on (require_auth, channel_binding, no password). */
  | { kind: 'clientRefused'; message: string }
  /** Something the transport cannot reproduce (GSSAPI, SSPI): what libpq would do is unknown. */
  | { kind: 'unconfirmable'; reason: string; kerberos?: boolean }
  | { kind: 'connected'; session: S; parameters: Record<string, string>; tls: boolean };

export interface Transport<S> {
  /** Addresses of a host name in resolver order, or the resolver's message. */
  resolve(host: string): Promise<string[] | { error: string }>;
  attempt(request: AttemptRequest): Promise<AttemptOutcome<S>>;
  /** First column of the first row, or the error text. */
  query(session: S, sql: string): Promise<string | { error: string }>;
  close(session: S): Promise<void>;
}

/** One failed step, with the text libpq would print for it. */
export interface WalkStep {
  /** host:port or socket, for our messages. */
  target: string;
  /** libpq's message without the host prefix. */
  message: string;
  /** libpq's full line(s), with "connection to server at … failed: " where libpq adds it. */
  text: string;
  /** SQLSTATE or errno code, for classification. */
  code?: string;
  /** Which rule produced it. */
  rule: 'conninfo' | 'network' | 'tls' | 'server' | 'auth' | 'targetSessionAttrs' | 'gss';
  /** The attempt that failed, when one was made. */
  request?: AttemptRequest;
}

export type WalkResult<S> =
  | { ok: true; session: S; request: AttemptRequest; target: string; parameters: Record<string, string>; tls: boolean; steps: WalkStep[] }
  | { ok: false; steps: WalkStep[]; unconfirmable?: string };

/** Label used in our messages; matches the labels Test Connection always used. */
function targetLabel(slot: HostSlot, port: string, address: string, socket: boolean): string {
  if (socket) return `${address} (Unix socket, port ${port})`;
  const host = slot.host || slot.hostaddr || address;
  return `${host}:${port}${slot.hostaddr && slot.host && slot.hostaddr !== slot.host ? ` (address ${slot.hostaddr})` : ''}`;
}

function prefix(slot: HostSlot, address: string, port: number, socket: boolean): string {
  if (socket) return `connection to server on socket "${address}/.s.PGSQL.${port}" failed: `;
  const shown = slot.host || address;
  return `connection to server at "${shown}"${shown !== address ? ` (${address})` : ''}, port ${port} failed: `;
}

/** Kerberos credential cache present? (gssencmode needs one; without, libpq skips or refuses GSS.) */
function hasKerberosCache(system: LibpqSystem): boolean {
  const name = system.env.KRB5CCNAME;
  if (name !== undefined && name !== '') {
    const file = /^FILE:/i.test(name) ? name.slice(5) : name.includes(':') ? undefined : name;
    return file === undefined ? true : system.stat(file) !== undefined;
  }
  return system.stat(`/tmp/krb5cc_${system.uid ?? 0}`) !== undefined;
}

/** Checks made before any host is tried that end the connection, or make it unconfirmable. */
function precheck(c: ResolvedConninfo, system: LibpqSystem): { error: string; rule: WalkStep['rule'] } | { unconfirmable: string } | undefined {
  const requireAuth = parseRequireAuth(get(c, 'require_auth'));
  if (requireAuth && 'error' in requireAuth) return { error: requireAuth.error, rule: 'conninfo' };
  const gssencmode = get(c, 'gssencmode') ?? 'disable';
  if (gssencmode !== 'disable' && hasKerberosCache(system)) {
    return { unconfirmable: `gssencmode=${gssencmode} with a Kerberos credential cache: libpq would try GSSAPI encryption first, which this test cannot do` };
  }
  return undefined;
}

/** The items in order, or shuffled (Fisher-Yates) when `random`: load_balance_hosts. */
export const order = <T>(items: T[], random: boolean): T[] => {
  if (!random) return items;
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};

/** Encryption methods in libpq's order for this sslmode (init_allowed_encryption_methods). */
function encryptionMethods(sslmode: string, socket: boolean): Encryption[] {
  if (socket) return ['plain'];
  switch (sslmode) {
    case 'disable': return ['plain'];
    case 'allow': return ['plain', 'tls'];
    case 'prefer': return ['tls', 'plain'];
    default: return ['tls'];
  }
}

type SessionCheck = { ok: true } | { ok: false; message: string };

/** target_session_attrs on an open session (PQconnectPoll CONNECTION_CHECK_TARGET). */
async function checkTargetSession<S>(wanted: string, parameters: Record<string, string>, session: S, transport: Transport<S>): Promise<SessionCheck> {
  if (wanted === 'any') return { ok: true };
  let readOnly = parameters.default_transaction_read_only;
  let standby = parameters.in_hot_standby;
  if (readOnly === undefined || standby === undefined) {
    // Servers before 14 do not report both: libpq asks.
    if (wanted === 'read-write' || wanted === 'read-only') {
      const answer = await transport.query(session, 'SHOW transaction_read_only');
      if (typeof answer !== 'string') return { ok: false, message: '"SHOW transaction_read_only" failed' };
      readOnly = standby = answer;
    } else {
      const answer = await transport.query(session, 'SELECT pg_catalog.pg_is_in_recovery()');
      if (typeof answer !== 'string') return { ok: false, message: '"SELECT pg_is_in_recovery()" failed' };
      standby = answer === 't' || answer === 'true' ? 'on' : 'off';
      readOnly = readOnly ?? 'off';
    }
  }
  const isReadOnly = readOnly === 'on' || standby === 'on';
  const isStandby = standby === 'on';
  switch (wanted) {
    case 'read-write': return isReadOnly ? { ok: false, message: 'session is read-only' } : { ok: true };
    case 'read-only': return isReadOnly ? { ok: true } : { ok: false, message: 'session is not read-only' };
    case 'primary': return isStandby ? { ok: false, message: 'server is in hot standby mode' } : { ok: true };
    case 'standby': return isStandby ? { ok: true } : { ok: false, message: 'server is not in hot standby mode' };
    default: return { ok: true };
  }
}

/** Run libpq's connection algorithm for one conninfo (one PQconnectdb call). */
export async function libpqConnect<S>(c: ResolvedConninfo, system: LibpqSystem, transport: Transport<S>): Promise<WalkResult<S>> {
  const steps: WalkStep[] = [];
  const stop = (step: Omit<WalkStep, 'text'> & { text?: string }): WalkResult<S> => {
    steps.push({ ...step, text: step.text ?? step.message });
    return { ok: false, steps };
  };
  const pre = precheck(c, system);
  if (pre && 'unconfirmable' in pre) return { ok: false, steps, unconfirmable: pre.unconfirmable };
  if (pre) return stop({ target: '', message: pre.error, rule: pre.rule });
  const lists = hostLists(c);
  if ('error' in lists) return stop({ target: '', message: lists.error, rule: 'conninfo' });
  const requireAuth = parseRequireAuth(get(c, 'require_auth')) as RequireAuth | undefined;
  const sslmode = get(c, 'sslmode') ?? 'prefer';
  const gssencmode = get(c, 'gssencmode') ?? 'disable';
  const random = get(c, 'load_balance_hosts') === 'random';
  const socketDir = system.socketDir ?? '/var/run/postgresql';
  const wanted = get(c, 'target_session_attrs') ?? 'any';
  const timeoutSeconds = Number(get(c, 'connect_timeout') ?? '0');
  const integerError = integerOptionError(c);

  const passes = wanted === 'prefer-standby' ? ['standby', 'any'] : [wanted];
  const slots = order(lists.slots, random);
  for (const pass of passes) {
    for (const slot of slots) {
      const port = Number(slot.port);
      if (!/^\s*\d+\s*$/.test(slot.port)) return stop({ target: slot.host, message: `invalid integer value "${slot.port}" for connection option "port"`, rule: 'conninfo' });
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        steps.push({ target: `${slot.host}:${slot.port}`, message: `invalid port number: "${slot.port}"`, text: `invalid port number: "${slot.port}"`, rule: 'conninfo' });
        continue;
      }
      const hostText = slot.host === '' && !slot.hostaddr ? socketDir : slot.host;
      const socket = !slot.hostaddr && (hostText.startsWith('/') || hostText.startsWith('@'));
      if (socket && gssencmode === 'require') return stop({ target: hostText, message: 'GSSAPI encryption required but it is not supported over a local socket', rule: 'gss' });
      if (!socket && gssencmode === 'require') return stop({ target: hostText, message: 'GSSAPI encryption required but no credential cache', rule: 'gss' });
      let addresses: string[];
      if (socket) addresses = [hostText];
      else if (slot.hostaddr) addresses = [slot.hostaddr];
      else {
        const resolved = await transport.resolve(hostText);
        if (!Array.isArray(resolved)) {
          const message = `could not translate host name "${hostText}" to address: ${resolved.error}`;
          steps.push({ target: `${hostText}:${port}`, message, text: message, code: 'ENOTFOUND', rule: 'network' });
          continue;
        }
        addresses = order(resolved, random);
      }
      const password = get(c, 'password') || undefined;
      const fromFile = password === undefined ? lookupPassword(c, system, { host: slot.host, hostaddr: slot.hostaddr, port: String(port) }) : undefined;
      addressLoop:
      for (const address of addresses) {
        const target = targetLabel({ ...slot, host: hostText }, String(port), address, socket);
        const head = prefix({ ...slot, host: socket ? '' : hostText }, address, port, socket);
        if (integerError) return stop({ target, message: integerError, text: head + integerError, rule: 'conninfo' });
        const methods = encryptionMethods(sslmode, socket);
        for (let m = 0; m < methods.length; m++) {
          const more = m + 1 < methods.length;
          const encryption = methods[m];
          let tls: TlsPolicy | undefined;
          if (encryption === 'tls') {
            const policy = tlsPolicy(c, system, slot.host);
            if ('error' in policy) {
              steps.push({ target, message: policy.error, text: head + policy.error, rule: 'tls' });
              if (more) continue;
              return { ok: false, steps };
            }
            tls = policy;
          }
          const request: AttemptRequest = {
            host: slot.host, address, socket, port, encryption, tls,
            user: get(c, 'user') ?? '', dbname: get(c, 'dbname') ?? '',
            password: password ?? fromFile?.password, passwordFile: fromFile?.password !== undefined ? fromFile.file : undefined,
            startup: {
              options: get(c, 'options') || undefined, application_name: get(c, 'application_name'),
              fallback_application_name: get(c, 'fallback_application_name'), replication: get(c, 'replication'),
            },
            requireAuth, channelBinding: get(c, 'channel_binding') ?? 'prefer', sslnegotiation: get(c, 'sslnegotiation') ?? 'postgres',
            timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : 0,
          };
          const outcome = await transport.attempt(request);
          const fail = (message: string, rule: WalkStep['rule'], code?: string) => steps.push({ target, message, text: head + message, code, rule, request });
          switch (outcome.kind) {
            case 'unreachable':
              fail(outcome.message, 'network', outcome.code);
              continue addressLoop;
            case 'sslRefused':
              if (more) continue;
              fail('server does not support SSL, but SSL was required', 'tls');
              return { ok: false, steps };
            case 'tlsFailed':
              fail(outcome.message, 'tls', outcome.code);
              if (more) continue;
              return { ok: false, steps };
            case 'serverError': {
              const wrongFilePassword = outcome.sqlstate === '28P01' && request.passwordFile ? `\npassword retrieved from file "${request.passwordFile}"` : '';
              fail(outcome.message + wrongFilePassword, 'server', outcome.sqlstate);
              if (outcome.sqlstate === '57P03') continue addressLoop;
              if (outcome.beforeAuth && more) continue;
              return { ok: false, steps };
            }
            case 'clientRefused':
              fail(outcome.message, 'auth');
              return { ok: false, steps };
            case 'unconfirmable':
              // Without a ticket, libpq's GSSAPI exchange fails at once: that much is certain.
              if (outcome.kerberos && !hasKerberosCache(system)) {
                fail('GSSAPI continuation error: Unspecified GSS failure.  Minor code may provide more information: No Kerberos credentials available', 'gss');
                return { ok: false, steps };
              }
              return { ok: false, steps, unconfirmable: outcome.reason };
            case 'connected': {
              const check = await checkTargetSession(pass, outcome.parameters, outcome.session, transport);
              if (check.ok) return { ok: true, session: outcome.session, request, target, parameters: outcome.parameters, tls: outcome.tls, steps };
              await transport.close(outcome.session);
              fail(check.message, 'targetSessionAttrs');
              // A rejected session moves on to the next host, skipping this host's other addresses.
              break addressLoop;
            }
          }
        }
      }
    }
  }
  return { ok: false, steps };
}
