// Feeds a script to Debian's psql on stdin, as the superuser or another role; the password travels in the
// environment only. Debian's psql (15) talks to every server of the matrix.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { postgresBinDir, type PgCluster } from './pgCluster';

export function runPsql(cluster: PgCluster, script: string, login: { user: string; password: string } = { user: 'postgres', password: cluster.superPassword }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(join(postgresBinDir(), 'psql'), ['-X', '-h', cluster.host, '-p', String(cluster.port), '-U', login.user, '-d', 'postgres'],
      { env: { ...process.env, PGPASSWORD: login.password } },
      (error, stdout, stderr) => (error ? reject(new Error(`psql failed: ${stderr}`)) : resolve(stdout + stderr)));
    child.stdin?.end(script);
  });
}
