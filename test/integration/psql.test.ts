// Open psql's plan against real servers: psql started with only the planned environment and arguments
// logs in as the alias's role, on its database, over TLS when the settings ask for it; the password is
// in PGPASSWORD and nowhere on the command line.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { planPsql } from '../../server/src/postgres/psql';
import { resolvedDatabase, sharedCluster, startCluster, type PgCluster } from '../support/pgCluster';

const run = promisify(execFile);

async function createRole(cluster: PgCluster): Promise<{ name: string; password: string }> {
  const name = `psql_${randomBytes(4).toString('hex')}`;
  // Characters a shell or a conninfo string would need quoting for: the environment needs none.
  const password = `p w'"$;${randomBytes(4).toString('hex')}`;
  await cluster.sql(`CREATE ROLE ${escapeIdentifier(name)} LOGIN PASSWORD ${escapeLiteral(password)}`);
  await cluster.sql(`CREATE DATABASE ${escapeIdentifier(name)} OWNER ${escapeIdentifier(name)}`);
  return { name, password };
}

/** psql as the terminal starts it: the plan's environment over a clean one, the plan's arguments. */
async function psqlQuery(plan: ReturnType<typeof planPsql>, sql: string): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...plan.env };
  const { stdout } = await run('psql', [...plan.args, '-X', '-A', '-t', '-c', sql], { env, timeout: 30_000 });
  return stdout.trim();
}

describe('Open psql: the plan psql runs with', function () {
  this.timeout(120_000);
  let tlsCluster: PgCluster | undefined;
  after(async () => { await tlsCluster?.stop(); });

  it('logs in as the alias role on its database; the password only in PGPASSWORD', async () => {
    const cluster = await sharedCluster();
    const role = await createRole(cluster);
    const plan = planPsql(resolvedDatabase(cluster, { name: role.name, user: role.name, password: role.password, options: { application_name: 'django postgres' } }), { env: {} });
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.env.PGPASSWORD, role.password);
    assert.ok(!plan.args.join(' ').includes(role.password), 'no password in the arguments');
    assert.equal(await psqlQuery(plan, 'select current_user, current_database(), current_setting(\'application_name\')'), `${role.name}|${role.name}|django postgres`);
  });

  it('passes TLS settings as libpq variables: verify-full with the CA file connects encrypted', async () => {
    tlsCluster = await startCluster({ ssl: true });
    const role = await createRole(tlsCluster);
    const plan = planPsql(resolvedDatabase(tlsCluster, {
      name: role.name, user: role.name, password: role.password, host: 'localhost', options: { sslmode: 'verify-full', sslrootcert: tlsCluster.caFile!, keepalives: 1 },
    }), { env: {} });
    assert.equal(plan.env.PGSSLMODE, 'verify-full');
    assert.equal(plan.env.PGSSLROOTCERT, tlsCluster.caFile);
    assert.deepEqual(plan.args, ['keepalives=1'], 'a keyword without a variable goes in a conninfo argument');
    assert.equal(await psqlQuery(plan, 'select current_user, ssl from pg_stat_ssl where pid = pg_backend_pid()'), `${role.name}|t`);
  });

  it('refuses settings it cannot know (a computed USER) with the reason', () => {
    const db = resolvedDatabase({ host: '127.0.0.1', port: 5432 }, { name: 'shop', user: 'x', password: 'y' });
    const plan = planPsql({ ...db, user: { value: null, source: 'computed' } }, { env: {} });
    assert.match(plan.problems.join('\n'), /USER is computed in Python/);
  });
});
