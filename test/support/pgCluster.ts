// A throw-away PostgreSQL cluster for integration tests: Debian's binaries (or those of another major
// version, see postgresVersions.ts), a temp data directory, a free port on 127.0.0.1, scram-sha-256 auth,
// started and stopped by PID.
// Works as root (initdb and postgres run with the uid/gid of the `postgres` OS user) or as that user.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { freePort, stopChild } from './processes';
export { freePort } from './processes';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ResolvedDatabase, ResolvedValue, Scalar } from '../../server/src/model/resolved';

export interface ClusterOptions {
  /** max_connections for the server (default 30). */
  maxConnections?: number;
  /** Lines of pg_hba.conf replacing the default (scram-sha-256 for local sockets and 127.0.0.1); keep a `local all postgres scram-sha-256` line for `sql()`. */
  hba?: string[];
  /** Serve TLS with a throw-away CA; `caFile` is then set on the cluster. */
  ssl?: boolean;
  /** Cluster (template1) encoding, default UTF8. */
  encoding?: string;
  /** Directory holding initdb and postgres; default Debian's newest (postgresBinDir()). */
  binDir?: string;
}

export interface PgCluster {
  host: '127.0.0.1';
  port: number;
  superuser: 'postgres';
  superPassword: string;
  dataDir: string;
  /** Directory holding the server's Unix socket. */
  socketDir: string;
  /** PEM file of the CA that signed the server certificate (ssl clusters only); the certificate names 127.0.0.1 and localhost. */
  caFile?: string;
  pid: number;
  /** The server's major version (server_version_num / 10000), e.g. 15. */
  major: number;
  /** server_version, e.g. "15.14 (Debian 15.14-0+deb12u1)". */
  serverVersion: string;
  /** Run one query as the superuser (own connection, closed afterwards). */
  sql<Row = Record<string, unknown>>(query: string, params?: unknown[], database?: string): Promise<Row[]>;
  stop(): Promise<void>;
}

const running = new Set<RunningCluster>();

interface RunningCluster {
  child: ChildProcess;
  baseDir: string;
  exited: Promise<void>;
}

/** The newest Debian PostgreSQL server: its major version and bin directory (/usr/lib/postgresql/<major>/bin). */
export function debianPostgresBinDir(): { major: number; binDir: string } {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root).filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'initdb')))
    : [];
  if (majors.length === 0) throw new Error(`No PostgreSQL server binaries under ${root} (apt-get install postgresql)`);
  majors.sort((a, b) => Number(b) - Number(a));
  return { major: Number(majors[0]), binDir: join(root, majors[0], 'bin') };
}

/** The newest Debian PostgreSQL bin directory, the default for startCluster(). */
export function postgresBinDir(): string {
  return debianPostgresBinDir().binDir;
}

interface OsUser { uid: number; gid: number }

/** The OS user the server runs as: `postgres` when we are root (the server refuses root), else ourselves. */
function serverOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root but there is no `postgres` OS user to run the server');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(file: string, args: string[], user: OsUser | undefined, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, uid: user?.uid, gid: user?.gid, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } },
      (error, _stdout, stderr) => (error ? reject(new Error(`${file} failed: ${stderr || error.message}`)) : resolve()));
  });
}

function giveTo(path: string, user: OsUser | undefined): void {
  if (user) chownSync(path, user.uid, user.gid);
}

/** A CA and a server certificate for 127.0.0.1/localhost, written into dir; returns the file names. */
async function makeCertificates(dir: string, user: OsUser | undefined) {
  const ca = { key: join(dir, 'ca.key'), cert: join(dir, 'ca.crt') };
  const server = { key: join(dir, 'server.key'), csr: join(dir, 'server.csr'), cert: join(dir, 'server.crt') };
  const ext = join(dir, 'server.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const openssl = (args: string[]) => run('openssl', args, undefined, dir);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=django-postgres test CA',
    '-keyout', ca.key, '-out', ca.cert]);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', server.key, '-out', server.csr]);
  await openssl(['x509', '-req', '-in', server.csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2',
    '-extfile', ext, '-out', server.cert]);
  for (const file of [server.key, server.cert, ca.cert]) giveTo(file, user);
  return { caFile: ca.cert, certFile: server.cert, keyFile: server.key };
}

function quoteConf(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function waitUntilReady(cluster: Pick<PgCluster, 'socketDir' | 'port' | 'superPassword'>, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const client = new Client({ host: cluster.socketDir, port: cluster.port, user: 'postgres', password: cluster.superPassword, database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
  throw new Error(`PostgreSQL did not become ready: ${String(lastError)}\n${log}`);
}

export async function startCluster(opts: ClusterOptions = {}): Promise<PgCluster> {
  const bin = opts.binDir ?? postgresBinDir();
  const user = serverOsUser();
  const baseDir = mkdtempSync(join(tmpdir(), 'django-postgres-pg-'));
  giveTo(baseDir, user);
  const dataDir = join(baseDir, 'data');
  const socketDir = join(baseDir, 'socket');
  mkdirSync(socketDir);
  giveTo(socketDir, user);
  const superPassword = randomBytes(18).toString('base64url');
  try {
    // The password goes through a file readable by the server user only, never a command line.
    const pwfile = join(baseDir, 'pwfile');
    writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
    giveTo(pwfile, user);
    await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`,
      `--encoding=${opts.encoding ?? 'UTF8'}`, '--locale=C', '--no-sync'], user, baseDir);
    rmSync(pwfile);

    const port = await freePort();
    const conf = [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = ${quoteConf(socketDir)}`,
      `max_connections = ${opts.maxConnections ?? 30}`,
      `superuser_reserved_connections = ${Math.min(3, Math.max(0, (opts.maxConnections ?? 30) - 2))}`,
      `fsync = off`, `synchronous_commit = off`, `full_page_writes = off`,
      `shared_buffers = '16MB'`, `logging_collector = off`,
    ];
    let caFile: string | undefined;
    if (opts.ssl) {
      const certs = await makeCertificates(baseDir, user);
      caFile = certs.caFile;
      conf.push('ssl = on', `ssl_cert_file = ${quoteConf(certs.certFile)}`, `ssl_key_file = ${quoteConf(certs.keyFile)}`);
    }
    appendFileSync(join(dataDir, 'postgresql.conf'), `\n# django-postgres test cluster\n${conf.join('\n')}\n`);
    if (opts.hba) writeFileSync(join(dataDir, 'pg_hba.conf'), `${opts.hba.join('\n')}\n`);

    const logFile = join(baseDir, 'server.log');
    const logFd = openSync(logFile, 'a');
    const child = spawn(join(bin, 'postgres'), ['-D', dataDir], {
      uid: user?.uid, gid: user?.gid, cwd: baseDir, stdio: ['ignore', logFd, logFd],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    });
    closeSync(logFd);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const entry: RunningCluster = { child, baseDir, exited };
    running.add(entry);
    if (child.pid === undefined) throw new Error('postgres did not start');

    const info = { host: '127.0.0.1' as const, port, superuser: 'postgres' as const, superPassword, dataDir, socketDir, caFile, pid: child.pid };
    const cluster: PgCluster = {
      ...info,
      major: 0,
      serverVersion: '',
      async sql<Row>(query: string, params?: unknown[], database = 'postgres'): Promise<Row[]> {
        // Through the Unix socket, so clusters whose pg_hba.conf only allows SSL over TCP still answer.
        const client = new Client({ host: socketDir, port, user: 'postgres', password: superPassword, database });
        await client.connect();
        try {
          return (await client.query(query, params)).rows as Row[];
        } finally {
          await client.end();
        }
      },
      stop: () => stopEntry(entry),
    };
    try {
      await waitUntilReady(info, child, logFile);
      const [version] = await cluster.sql<{ num: string; text: string }>(
        "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
      cluster.major = Math.floor(Number(version.num) / 10000);
      cluster.serverVersion = version.text;
    } catch (error) {
      await stopEntry(entry);
      throw error;
    }
    return cluster;
  } catch (error) {
    if (![...running].some((e) => e.baseDir === baseDir)) rmSync(baseDir, { recursive: true, force: true });
    throw error;
  }
}

/** A stop slower than this is reported with the end of the server log, before the log is removed. */
const SLOW_STOP_MS = 5_000;

/** Fast shutdown by PID (SIGINT), escalate to immediate (SIGQUIT) after 20 s, then remove the temp dir. */
async function stopEntry(entry: RunningCluster): Promise<void> {
  if (!running.delete(entry)) return;
  const started = Date.now();
  await stopChild(entry.child, entry.exited, 'SIGINT', 'SIGQUIT', 20_000);
  if (Date.now() - started > SLOW_STOP_MS) {
    const log = join(entry.baseDir, 'server.log');
    console.log(`    PostgreSQL (pid ${entry.child.pid}) took ${Date.now() - started} ms to stop; its log ends:\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-1500) : '(no log)'}`);
  }
  // Asynchronously: a synchronous remove of one data directory would hold up the exit events of the others.
  await rm(entry.baseDir, { recursive: true, force: true });
}

const shared = new Map<string, Promise<PgCluster>>();

/** Stop every cluster this process started. */
export async function stopAllClusters(): Promise<void> {
  shared.clear();
  await Promise.all([...running].map(stopEntry));
}

/** One cluster per bin directory for the whole test run, started on first use (stopped by the root hooks). */
export function sharedCluster(binDir = postgresBinDir()): Promise<PgCluster> {
  let cluster = shared.get(binDir);
  if (!cluster) {
    cluster = startCluster({ binDir });
    shared.set(binDir, cluster);
    cluster.catch(() => shared.delete(binDir));
  }
  return cluster;
}

// Safety net: if the run ends without the root hooks (crash, Ctrl-C), stop servers by PID and remove their files.
function killSync(): void {
  for (const entry of running) {
    if (entry.child.pid !== undefined && entry.child.exitCode === null) {
      try { process.kill(entry.child.pid, 'SIGQUIT'); } catch { /* already gone */ }
    }
    rmSync(entry.baseDir, { recursive: true, force: true });
  }
  running.clear();
}
process.once('exit', killSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killSync();
    process.kill(process.pid, signal);
  });
}

/** A resolved DATABASES alias (all values literal) pointing at a cluster; override any key. */
export function resolvedDatabase(
  cluster: Pick<PgCluster, 'host' | 'port'>,
  values: { name: string; user: string; password: string; host?: string; port?: string | number; options?: Record<string, string | number> },
): ResolvedDatabase {
  const literal = (value: Scalar): ResolvedValue => ({ value, source: 'literal' });
  return {
    alias: 'default',
    settingsFile: '/project/settings.py',
    engine: literal('django.db.backends.postgresql'),
    name: literal(values.name),
    user: literal(values.user),
    password: literal(values.password),
    host: literal(values.host ?? cluster.host),
    port: literal(String(values.port ?? cluster.port)),
    connMaxAge: { value: 0, source: 'django-default' },
    options: Object.fromEntries(Object.entries(values.options ?? {}).map(([k, v]) => [k, literal(v)])),
    test: {},
  };
}
