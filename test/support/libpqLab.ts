// A laboratory for libpq's connection rules: a TLS primary (test-made CA) whose pg_hba.conf admits one role only
// over TLS, one by md5, one by trust, one by Kerberos (gss) and one nowhere, a streaming standby made with `pg_basebackup -R` whose
// pg_hba.conf differs in one line, and a temporary HOME with .pgpass, .pg_service.conf and other password files.
// Built on pgCluster.ts's startCluster; the standby is started and stopped by PID here.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, appendFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, postgresBinDir, startCluster, type PgCluster } from './pgCluster';
import { stopChild } from './processes';

export interface LabRole {
  user: string;
  password: string;
}

export interface LibpqLab {
  primary: PgCluster;
  standby: { port: number; socketDir: string; pid: number };
  /** A port nobody listens on. */
  deadPort: number;
  database: string;
  roles: { scram: LabRole; md5: LabRole; sslOnly: LabRole; trust: LabRole; standbyOnly: LabRole; gss: LabRole };
  home: string;
  /** Homes whose ~/.postgresql/root.crt is the server's CA, or another CA. */
  homes: { rightCa: string; wrongCa: string };
  files: { wrongPassfile: string; goodPassfile: string; loosePassfile: string; emptySysconf: string; serviceFile: string };
  caFile: string;
  stop(): Promise<void>;
}

function osUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root but there is no `postgres` OS user');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

const ROLES = {
  scram: { user: 'lab_scram', password: 'scram-secret-1' },
  md5: { user: 'lab_md5', password: 'md5-secret-2' },
  sslOnly: { user: 'lab_sslonly', password: 'ssl-secret-3' },
  trust: { user: 'lab_trust', password: 'unused' },
  standbyOnly: { user: 'lab_standbyonly', password: 'standby-secret-4' },
  gss: { user: 'lab_gss', password: 'gss-secret-5' },
};

/** pg_hba.conf of the primary; the standby's differs for lab_standbyonly (trusted there, rejected here). */
function hba(standby: boolean): string[] {
  return [
    'local all postgres scram-sha-256',
    'local all all scram-sha-256',
    'host replication postgres 127.0.0.1/32 scram-sha-256',
    `host all ${ROLES.standbyOnly.user} 127.0.0.1/32 ${standby ? 'trust' : 'reject'}`,
    `hostnossl all ${ROLES.sslOnly.user} 127.0.0.1/32 reject`,
    `host all ${ROLES.md5.user} 127.0.0.1/32 md5`,
    `host all ${ROLES.trust.user} 127.0.0.1/32 trust`,
    `host all ${ROLES.gss.user} 127.0.0.1/32 gss`,
    'host all all 127.0.0.1/32 scram-sha-256',
  ];
}

async function waitForStandby(port: number, socketDir: string, password: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const client = new Client({ host: socketDir, port, user: 'postgres', password, database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows: [row] } = await client.query('SELECT pg_is_in_recovery() AS standby');
      await client.end();
      if (row.standby === true) return;
    } catch {
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the standby did not start:\n${readFileSync(log, 'utf8').slice(-2000)}`);
}

export async function startLab(): Promise<LibpqLab> {
  const primary = await startCluster({ ssl: true, hba: hba(false) });
  const user = osUser();
  const dir = mkdtempSync(join(tmpdir(), 'django-postgres-lab-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const stopStandby = async () => {
    await stopChild(child, exited, 'SIGINT', 'SIGQUIT', 20_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await primary.sql('CREATE DATABASE labdb');
    for (const role of [ROLES.scram, ROLES.sslOnly, ROLES.trust, ROLES.standbyOnly, ROLES.gss]) {
      await primary.sql(`CREATE ROLE ${role.user} LOGIN PASSWORD '${role.password}'`);
    }
    // md5 needs an md5 hash stored: set password_encryption for that one statement.
    const client = new Client({ host: primary.socketDir, port: primary.port, user: 'postgres', password: primary.superPassword, database: 'postgres' });
    await client.connect();
    await client.query("SET password_encryption = 'md5'");
    await client.query(`CREATE ROLE ${ROLES.md5.user} LOGIN PASSWORD '${ROLES.md5.password}'`);
    await client.end();
    await primary.sql('GRANT ALL ON DATABASE labdb TO PUBLIC');

    // The standby: a base backup with -R (standby.signal + primary_conninfo), its own port and socket directory.
    if (user) chownSync(dir, user.uid, user.gid);
    const dataDir = join(dir, 'data');
    const socketDir = join(dir, 'socket');
    mkdirSync(socketDir);
    if (user) chownSync(socketDir, user.uid, user.gid);
    const bin = postgresBinDir();
    await new Promise<void>((resolve, reject) => {
      // The password goes through the environment, never the command line.
      execFile(join(bin, 'pg_basebackup'), ['-D', dataDir, '-R', '-X', 'stream', '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '--no-sync'], {
        uid: user?.uid, gid: user?.gid, cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PGPASSWORD: primary.superPassword, PGSSLMODE: 'disable' },
      }, (error, _stdout, stderr) => (error ? reject(new Error(`pg_basebackup failed: ${stderr || error.message}`)) : resolve()));
    });
    const port = await freePort();
    appendFileSync(join(dataDir, 'postgresql.conf'), `\n# standby\nport = ${port}\nunix_socket_directories = '${socketDir}'\nhot_standby = on\n`);
    writeFileSync(join(dataDir, 'pg_hba.conf'), `${hba(true).join('\n')}\n`);
    if (user) chownSync(join(dataDir, 'pg_hba.conf'), user.uid, user.gid);
    const log = join(dir, 'standby.log');
    const logFd = openSync(log, 'a');
    child = spawn(join(bin, 'postgres'), ['-D', dataDir], {
      uid: user?.uid, gid: user?.gid, cwd: dir, stdio: ['ignore', logFd, logFd], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    });
    closeSync(logFd);
    const started = child;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    if (child.pid === undefined) throw new Error('the standby did not start');
    process.once('exit', () => { if (started.exitCode === null && started.pid) try { process.kill(started.pid, 'SIGQUIT'); } catch { /* gone */ } });
    await waitForStandby(port, socketDir, primary.superPassword, child, log);

    // HOME: .pgpass (0600), a service file, password files of other kinds, no ~/.postgresql.
    const home = join(dir, 'home');
    mkdirSync(home);
    const P = primary.port;
    const pgpass = [
      '# lab password file',
      `127.0.0.1:${P}:*:${ROLES.scram.user}:${ROLES.scram.password}`,
      `127.0.0.1:${port}:*:${ROLES.scram.user}:${ROLES.scram.password}`,
      `localhost:*:*:${ROLES.md5.user}:${ROLES.md5.password}`,
      `${primary.socketDir}:${P}:*:${ROLES.scram.user}:${ROLES.scram.password}`,
    ].join('\n');
    writeFileSync(join(home, '.pgpass'), `${pgpass}\n`, { mode: 0o600 });
    const files = {
      wrongPassfile: join(home, 'wrong.pgpass'),
      goodPassfile: join(home, 'good.pgpass'),
      loosePassfile: join(home, 'loose.pgpass'),
      emptySysconf: join(home, 'sysconf'),
      serviceFile: join(home, 'custom-services.conf'),
    };
    writeFileSync(files.serviceFile, `[lab_custom]\nhost=127.0.0.1\nport=${P}\nuser=${ROLES.scram.user}\npassword=${ROLES.scram.password}\ndbname=labdb\n`, { mode: 0o600 });
    writeFileSync(files.wrongPassfile, `*:*:*:${ROLES.scram.user}:not-the-password\n`, { mode: 0o600 });
    writeFileSync(files.goodPassfile, `*:*:*:*:${ROLES.scram.password}\n`, { mode: 0o600 });
    writeFileSync(files.loosePassfile, `*:*:*:*:${ROLES.scram.password}\n`);
    chmodSync(files.loosePassfile, 0o644);
    mkdirSync(files.emptySysconf);
    writeFileSync(join(home, '.pg_service.conf'), [
      '# lab services',
      '[lab_primary]',
      `host=127.0.0.1`, `port=${P}`, `user=${ROLES.scram.user}`, 'dbname=labdb',
      '',
      '[lab_standby]',
      `host=127.0.0.1`, `port=${port}`, `user=${ROLES.scram.user}`, 'dbname=labdb',
      '',
      '[lab_both]',
      'host=127.0.0.1,127.0.0.1', `port=${port},${P}`, `user=${ROLES.scram.user}`, 'dbname=labdb', 'target_session_attrs=read-write',
      '',
    ].join('\n'));
    // ~/.postgresql/root.crt makes libpq verify the chain even under sslmode=require (and prefer).
    const homes = { rightCa: join(dir, 'home-right-ca'), wrongCa: join(dir, 'home-wrong-ca') };
    for (const path of Object.values(homes)) mkdirSync(join(path, '.postgresql'), { recursive: true });
    writeFileSync(join(homes.rightCa, '.postgresql', 'root.crt'), readFileSync(primary.caFile as string));
    await new Promise<void>((resolve, reject) => {
      execFile('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=another CA',
        '-keyout', join(homes.wrongCa, 'other-ca.key'), '-out', join(homes.wrongCa, '.postgresql', 'root.crt')], { cwd: dir },
      (error, _stdout, stderr) => (error ? reject(new Error(`openssl failed: ${stderr || error.message}`)) : resolve()));
    });
    const deadPort = await freePort();
    return {
      primary, standby: { port, socketDir, pid: child.pid }, deadPort, database: 'labdb', roles: ROLES, home, homes, files,
      caFile: primary.caFile as string,
      async stop() {
        await stopStandby();
        await primary.stop();
      },
    };
  } catch (error) {
    await stopStandby();
    await primary.stop();
    throw error;
  }
}
