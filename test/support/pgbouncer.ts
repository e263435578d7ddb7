// A throw-away PgBouncer (Debian's /usr/sbin/pgbouncer) in front of a test cluster, configured with the
// extension's own generator, on a free loopback port. It refuses to run as root, so when we are root it runs
// with the uid/gid of the `postgres` OS user. Stopped by PID (SIGTERM: immediate shutdown).
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedDatabase, ResolvedValue } from '../../server/src/model/resolved';
import { generatePgBouncerConfig, type GeneratedPgBouncerConfig, type GeneratedPoolMode } from '../../server/src/pgbouncer/generate';
import type { PgCluster } from './pgCluster';
import { freePort, stopChild } from './processes';

export const pgbouncerBinary = '/usr/sbin/pgbouncer';

export interface StartPgBouncerOptions {
  cluster: PgCluster;
  poolMode: GeneratedPoolMode;
  /** Login role and its password; default the cluster's superuser. */
  user?: string;
  password?: string;
  /** Database the entry points at (default `postgres`). */
  database?: string;
  /** The role's pg_authid secret, passed to the generator so PgBouncer can reuse it for its server login. */
  serverSecret?: string;
  /** A role allowed on the admin console (`admin_users`), to test what the console reports. */
  adminUser?: string;
}

export interface RunningPgBouncer {
  host: '127.0.0.1';
  port: number;
  pid: number;
  /** What the generator wrote (ini and userlist as used). */
  generated: GeneratedPgBouncerConfig;
  /** The log so far (for failure messages; holds no passwords). */
  log(): string;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  dir: string;
  exited: Promise<void>;
}
const running = new Set<Running>();

function osUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root but there is no `postgres` OS user to run PgBouncer');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function value(v: string | number | null): ResolvedValue {
  return { value: v, source: 'literal' };
}

/** The DATABASES entry a Django project would have for the cluster (used as the generator's input). */
export function clusterDatabase(cluster: PgCluster, user: string, password: string, database: string): ResolvedDatabase {
  return {
    alias: 'default', settingsFile: '/dev/null',
    engine: value('django.db.backends.postgresql'), name: value(database), user: value(user), password: value(password),
    host: value(cluster.host), port: value(String(cluster.port)), connMaxAge: value(0), options: {}, test: {},
  };
}

export async function startPgBouncer(opts: StartPgBouncerOptions): Promise<RunningPgBouncer> {
  const user = osUser();
  const dir = mkdtempSync(join(tmpdir(), 'django-postgres-pgbouncer-'));
  const entry: Running = { child: undefined as unknown as ChildProcess, dir, exited: Promise.resolve() };
  try {
    if (user) chownSync(dir, user.uid, user.gid);
    const port = await freePort();
    const db = clusterDatabase(opts.cluster, opts.user ?? opts.cluster.superuser, opts.password ?? opts.cluster.superPassword, opts.database ?? 'postgres');
    const generated = generatePgBouncerConfig(db, {
      poolMode: opts.poolMode, listenPort: port, listenAddr: '127.0.0.1',
      authFile: join(dir, 'userlist.txt'), unixSocketDir: dir, serverSecret: opts.serverSecret, adminUser: opts.adminUser,
    });
    // Readable by the PgBouncer user only: userlist.txt holds a verifier, still a secret.
    for (const [name, content] of [['pgbouncer.ini', generated.ini], ['userlist.txt', generated.userlist]] as const) {
      writeFileSync(join(dir, name), content, { mode: 0o600 });
      if (user) chownSync(join(dir, name), user.uid, user.gid);
    }
    const logFile = join(dir, 'pgbouncer.log');
    const logFd = openSync(logFile, 'a');
    const child = spawn(pgbouncerBinary, [join(dir, 'pgbouncer.ini')], {
      uid: user?.uid, gid: user?.gid, cwd: dir, stdio: ['ignore', logFd, logFd], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    });
    closeSync(logFd);
    entry.child = child;
    entry.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    running.add(entry);
    if (child.pid === undefined) throw new Error('pgbouncer did not start');
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    const deadline = Date.now() + 15_000;
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PgBouncer did not start listening:\n${log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { host: '127.0.0.1', port, pid: child.pid, generated, log, stop: () => stopEntry(entry) };
  } catch (error) {
    await stopEntry(entry);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function stopEntry(entry: Running): Promise<void> {
  running.delete(entry);
  await stopChild(entry.child, entry.exited, 'SIGTERM', 'SIGKILL', 10_000);
  rmSync(entry.dir, { recursive: true, force: true });
}

/** Stop every PgBouncer this process started (for root hooks). */
export async function stopAllPgBouncers(): Promise<void> {
  await Promise.all([...running].map(stopEntry));
}

process.once('exit', () => {
  for (const entry of running) {
    if (entry.child?.pid !== undefined && entry.child.exitCode === null) {
      try { process.kill(entry.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(entry.dir, { recursive: true, force: true });
  }
});
