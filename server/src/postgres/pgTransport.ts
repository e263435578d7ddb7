// libpq's connection attempts carried out with `pg`: one socket per attempt, TLS as libpq's TlsPolicy says, and
// the authentication request the server sends observed on pg's Connection (it emits 'authenticationMD5Password',
// 'authenticationSASL', … before the Client answers) so require_auth and channel_binding refuse before any
// password leaves. Also: the machine libpq would read (environment, home, files), and what pg cannot reproduce.
import { lookup } from 'node:dns/promises';
import { readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { Client, type ClientConfig } from 'pg';
import { refuseAuthRequest, type AuthRequest } from './libpq/auth';
import type { AttemptOutcome, AttemptRequest, Transport } from './libpq/connect';
import { get, type LibpqSystem, type ResolvedConninfo } from './libpq/conninfo';
import { verifyPeerName, type TlsPolicy } from './libpq/tls';

export interface PgSession {
  client: Client;
  /** Process id from BackendKeyData: a pooler invents its own. */
  backendKeyPid?: number;
  /** The authentication the server asked for: "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "md5", "password" or "none". */
  authentication: string;
}

/** The machine as libpq sees it, from this process. */
export function nodeLibpqSystem(env: Record<string, string | undefined>): LibpqSystem {
  let user: { username: string; uid: number } = { username: 'unknown', uid: 0 };
  try {
    user = userInfo();
  } catch { /* no passwd entry: keep the placeholder */ }
  return {
    env,
    home: env.HOME || homedir(),
    osUser: user.username,
    uid: user.uid,
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    stat: (path) => {
      try {
        const s = statSync(path);
        return { mode: s.mode & 0o777, isFile: s.isFile() };
      } catch {
        return undefined;
      }
    },
  };
}

/** Settings whose effect `pg` cannot reproduce: libpq might fail where this test connects. */
export function unconfirmableSettings(c: ResolvedConninfo, socket: boolean): { option: string; reason: string }[] {
  const out: { option: string; reason: string }[] = [];
  const set = (key: string) => { const v = get(c, key); return v !== undefined && v !== ''; };
  if (get(c, 'sslcertmode') === 'require') out.push({ option: 'sslcertmode', reason: 'libpq refuses a server that does not ask for the client certificate; this test cannot see whether it asked' });
  if (set('requirepeer') && socket) out.push({ option: 'requirepeer', reason: 'libpq checks which OS user runs the server on the Unix socket; Node cannot read the peer credentials' });
  for (const key of ['min_protocol_version', 'max_protocol_version']) if (set(key)) out.push({ option: key, reason: 'the pg driver always speaks protocol 3.0 and cannot negotiate another version' });
  for (const key of ['oauth_issuer', 'oauth_client_id']) if (set(key)) out.push({ option: key, reason: 'the OAuth flow of libpq 18 cannot be run here' });
  if (set('sslcrldir')) out.push({ option: 'sslcrldir', reason: 'a directory of revocation lists cannot be loaded here; a revoked server certificate would go unnoticed' });
  if (set('scram_client_key')) out.push({ option: 'scram_client_key', reason: 'SCRAM pass-through keys cannot be used by the pg driver' });
  return out;
}

function namesOf(cert: PeerCertificate) {
  const san = (cert.subjectaltname ?? '').split(',').map((s) => s.trim());
  const cn = cert.subject?.CN;
  return {
    commonName: Array.isArray(cn) ? cn[0] : cn,
    dnsNames: san.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
    ipAddresses: san.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11)),
  };
}

function tlsOptions(policy: TlsPolicy): ConnectionOptions {
  const options: ConnectionOptions = {
    cert: policy.cert, key: policy.key, passphrase: policy.passphrase, crl: policy.crl, servername: policy.servername,
    minVersion: policy.minVersion as ConnectionOptions['minVersion'], maxVersion: policy.maxVersion as ConnectionOptions['maxVersion'],
  };
  if (policy.ca === undefined) return { ...options, rejectUnauthorized: false };
  const verifyName = policy.verifyName;
  return {
    ...options,
    ca: policy.ca === 'system' ? undefined : policy.ca,
    rejectUnauthorized: true,
    checkServerIdentity: (_name, cert) => {
      const refused = verifyName === undefined ? undefined : verifyPeerName(verifyName, namesOf(cert));
      return refused ? Object.assign(new Error(refused), { code: 'HOSTNAME_MISMATCH' }) : undefined;
    },
  };
}

/** libpq's rendering of a server ErrorResponse: "FATAL:  text" plus DETAIL/HINT lines. */
function serverText(error: { severity?: string; message: string; detail?: string; hint?: string }): string {
  return [`${error.severity ?? 'FATAL'}:  ${error.message}`, error.detail ? `DETAIL:  ${error.detail}` : '', error.hint ? `HINT:  ${error.hint}` : '']
    .filter(Boolean).join('\n');
}

const CERT_ERROR = /certificate|self.signed|unable to (get|verify)|hostname|altname/i;

/** Startup parameters libpq takes from PGDATESTYLE/PGTZ/PGGEQO; pg carries them in `options`. */
function environmentStartup(env: Record<string, string | undefined>): string[] {
  return [['PGDATESTYLE', 'datestyle'], ['PGTZ', 'timezone'], ['PGGEQO', 'geqo']]
    .filter(([variable]) => env[variable] !== undefined && env[variable] !== 'default')
    .map(([variable, name]) => `-c ${name}=${String(env[variable]).replace(/([\\ ])/g, '\\$1')}`);
}

/** A transport making real connections with `pg`. `defaultTimeoutMs` applies when connect_timeout is unset. */
export function pgTransport(env: Record<string, string | undefined>, defaultTimeoutMs: number): Transport<PgSession> {
  return {
    async resolve(host) {
      try {
        return (await lookup(host, { all: true })).map((a) => a.address);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { error: code === 'ENOTFOUND' ? 'Name or service not known' : code === 'EAI_AGAIN' ? 'Temporary failure in name resolution' : String((error as Error).message) };
      }
    },
    attempt: (request) => attemptWithPg(request, environmentStartup(env), defaultTimeoutMs),
    async query(session, sql) {
      try {
        const { rows } = await session.client.query({ text: sql, rowMode: 'array' });
        return String((rows[0] as unknown[] | undefined)?.[0]);
      } catch (error) {
        return { error: String((error as Error).message) };
      }
    },
    close: async (session) => { await session.client.end().catch(() => undefined); },
  };
}

export async function attemptWithPg(request: AttemptRequest, extraOptions: string[], defaultTimeoutMs: number): Promise<AttemptOutcome<PgSession>> {
  const tls = request.encryption === 'tls';
  let refusal: string | undefined;
  let pending: AuthRequest | undefined;
  let exchanged = false;
  let authOk = false;
  let tcpConnected = false;
  let tlsEstablished = false;
  let offered: string[] = [];
  const parameters: Record<string, string> = {};
  let backendKeyPid: number | undefined;
  const options = [request.startup.options, ...extraOptions].filter(Boolean).join(' ');
  const timeoutMs = request.timeoutMs > 0 ? request.timeoutMs : defaultTimeoutMs;
  const config: ClientConfig = {
    host: request.address, port: request.port, user: request.user, database: request.dbname,
    // Called by pg on every password request, after our listeners saw which one: libpq's checks happen here.
    password: async () => {
      refusal = pending ? refuseAuthRequest(request.requireAuth, request.channelBinding, tlsEstablished, pending) : undefined;
      if (!refusal && (request.password === undefined || request.password === '')) refusal = 'fe_sendauth: no password supplied';
      if (refusal) throw new Error(refusal);
      exchanged = true;
      return request.password as string;
    },
    ssl: tls && request.tls ? tlsOptions(request.tls) : false,
    sslnegotiation: request.sslnegotiation === 'direct' && tls ? 'direct' : undefined,
    client_encoding: 'UTF8',
    application_name: request.startup.application_name,
    fallback_application_name: request.startup.fallback_application_name,
    options: options || undefined,
    keepAlive: true,
    enableChannelBinding: request.channelBinding !== 'disable',
    connectionTimeoutMillis: timeoutMs > 0 ? timeoutMs : undefined,
  };
  if (request.startup.replication !== undefined) (config as { replication?: string }).replication = request.startup.replication;
  const client = new Client(config);
  client.on('error', () => undefined);
  const con = client.connection as unknown as NodeJS.EventEmitter & { stream: NodeJS.EventEmitter & { destroy(error?: Error): void } };
  guardDataEvents(con.stream);
  con.on('connect', () => { tcpConnected = true; });
  // pg swaps in the TLS socket and attaches its parser just before 'sslconnect'; no data can have arrived yet.
  // 'sslconnect' comes as soon as the handshake starts; 'secureConnect' on the TLS socket when it succeeded.
  con.on('sslconnect', () => {
    guardDataEvents(con.stream);
    con.stream.once('secureConnect', () => { tlsEstablished = true; });
  });
  con.on('authenticationCleartextPassword', () => { pending = { kind: 'cleartext' }; });
  con.on('authenticationMD5Password', () => { pending = { kind: 'md5' }; });
  con.on('authenticationSASL', (msg: { mechanisms: string[] }) => { offered = msg.mechanisms; pending = { kind: 'sasl', mechanisms: msg.mechanisms }; });
  con.on('authenticationOk', () => { authOk = true; });
  con.on('parameterStatus', (msg: { parameterName: string; parameterValue: string }) => { parameters[msg.parameterName] = msg.parameterValue; });
  con.on('backendKeyData', (msg: { processID: number }) => { backendKeyPid = msg.processID; });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const e = error as Error & { code?: string; severity?: string; detail?: string; hint?: string };
    const message = String(e.message ?? error);
    if (refusal) return { kind: 'clientRefused', message: refusal };
    const unknownAuth = /Unknown authenticationOk message type (7|9)\b/.exec(message);
    if (unknownAuth) {
      const refused = refuseAuthRequest(request.requireAuth, request.channelBinding, tlsEstablished, { kind: unknownAuth[1] === '7' ? 'gss' : 'sspi' });
      if (refused) return { kind: 'clientRefused', message: refused };
      return { kind: 'unconfirmable', kerberos: true, reason: `the server at ${request.host || request.address}:${request.port} asks for GSSAPI/SSPI (Kerberos) authentication, which this test cannot perform` };
    }
    if (e.severity !== undefined || (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code))) {
      return { kind: 'serverError', beforeAuth: !authOk, sqlstate: e.code, message: serverText(e) };
    }
    if (/does not support SSL/i.test(message)) return { kind: 'sslRefused' };
    if (/timeout expired/i.test(message) || e.code === 'ETIMEDOUT') return { kind: 'unreachable', message: 'timeout expired', code: 'ETIMEDOUT' };
    if (!tcpConnected) return { kind: 'unreachable', message: networkText(e, request), code: e.code };
    if (tls && !tlsEstablished) {
      const certificate = CERT_ERROR.test(message) || e.code === 'HOSTNAME_MISMATCH';
      return { kind: 'tlsFailed', message: certificate && e.code !== 'HOSTNAME_MISMATCH' ? `SSL error: certificate verify failed (${message})` : certificate ? message : `SSL error: ${message}`, code: e.code };
    }
    return { kind: 'serverError', beforeAuth: !authOk, message: `server closed the connection unexpectedly (${message})` };
  }
  // AuthenticationOk: libpq's last checks (require_auth "none", channel_binding=require).
  const channelBound = tlsEstablished && offered.includes('SCRAM-SHA-256-PLUS') && request.channelBinding !== 'disable';
  const finalRefusal = refuseAuthRequest(request.requireAuth, request.channelBinding, tlsEstablished, { kind: 'ok', exchanged, channelBound });
  if (finalRefusal) {
    await client.end().catch(() => undefined);
    return { kind: 'clientRefused', message: finalRefusal };
  }
  const authentication = !exchanged ? 'none' : pending?.kind === 'sasl' ? (channelBound ? 'SCRAM-SHA-256-PLUS' : 'SCRAM-SHA-256') : pending?.kind === 'md5' ? 'md5' : 'password';
  return { kind: 'connected', session: { client, backendKeyPid, authentication }, parameters, tls: tlsEstablished };
}

/**
 * pg's protocol parser throws on authentication requests it does not know (GSSAPI 7, SSPI 9), from inside the
 * socket's 'data' event, which would be an uncaught exception. Turn such a throw into a socket error, which pg
 * reports as a failed connect.
 */
function guardDataEvents(stream: NodeJS.EventEmitter & { destroy(error?: Error): void }): void {
  const emit = stream.emit.bind(stream);
  stream.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args);
    try {
      return emit(event, ...args);
    } catch (error) {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  };
}

function networkText(e: Error & { code?: string }, request: AttemptRequest): string {
  if (e.code === 'ECONNREFUSED') return 'Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?';
  if (e.code === 'ENOENT') return 'No such file or directory\n\tIs the server running locally and accepting connections on that socket?';
  return request.socket ? e.message : e.message.replace(/^connect /, '');
}
