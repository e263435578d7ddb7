// Django settings behind PgBouncer 1.18 (Debian) in transaction mode, for real: psycopg 3 with an integer
// prepare_threshold fails, None works; an `options` string is refused; Test Connection says it talks to
// PgBouncer and in which pool mode.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { explainError } from '../../server/src/postgres/errors';
import { testConnection } from '../../server/src/postgres/testConnection';
import { resolvedDatabase, sharedCluster, type PgCluster } from '../support/pgCluster';
import { startPgBouncer, type RunningPgBouncer } from '../support/pgbouncer';

const run = promisify(execFile);

/**
 * Client A runs a query (psycopg prepares it when prepare_threshold allows), client B then holds that server
 * connection in a transaction, so A's next run of the same query lands on a fresh server connection.
 */
const PREPARED_STATEMENT_SCRIPT = `
import os, sys, psycopg
threshold = None if sys.argv[1] == 'None' else int(sys.argv[1])
params = dict(host='127.0.0.1', port=int(os.environ['PGPORT']), user=os.environ['PGUSER'], dbname='postgres')
a = psycopg.connect(autocommit=True, prepare_threshold=threshold, **params)
b = psycopg.connect(autocommit=False, prepare_threshold=None, **params)
query = 'SELECT %s::int + 1'
a.execute(query, (1,))
b.execute('SELECT 1')
try:
    print('OK', a.execute(query, (2,)).fetchone()[0])
except psycopg.Error as error:
    print('ERROR', error.sqlstate, str(error).splitlines()[0])
`;

describe('PgBouncer 1.18 in transaction mode with psycopg 3 (Debian python3-psycopg)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let bouncer: RunningPgBouncer;
  let project: string;
  const user = `i8_pgb_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');

  before(async () => {
    cluster = await sharedCluster();
    await cluster.sql(`CREATE ROLE ${user} LOGIN`);
    bouncer = await startPgBouncer({ cluster, poolMode: 'transaction', user, password });
    for (const statement of bouncer.generated.serverSql) await cluster.sql(statement);
    project = mkdtempSync(join(tmpdir(), 'django-postgres-pgb-project-'));
  });

  after(async () => {
    await bouncer?.stop();
    rmSync(project, { recursive: true, force: true });
    await cluster.sql(`DROP ROLE IF EXISTS ${user}`);
  });

  async function preparedStatementRun(threshold: string): Promise<string> {
    // The password travels in the environment only.
    const { stdout } = await run('/usr/bin/python3', ['-c', PREPARED_STATEMENT_SCRIPT, threshold], {
      env: { PATH: process.env.PATH, PGPORT: String(bouncer.port), PGUSER: user, PGPASSWORD: password, PGSSLMODE: 'disable' }, timeout: 60_000,
    });
    return stdout.trim();
  }

  it('prepare_threshold 0 fails with a prepared-statement error that Test Connection explains; None works', async () => {
    const failed = await preparedStatementRun('0');
    assert.equal(failed, 'ERROR 26000 prepared statement "_pg3_0" does not exist');
    const explained = explainError(Object.assign(new Error(failed.replace(/^ERROR \S+ /, '')), { code: '26000' }));
    assert.equal(explained.kind, 'preparedStatement');
    assert.equal(explained.fix, "Remove OPTIONS['prepare_threshold'] or set it to None (Django's default, no named prepared statements), or use PgBouncer 1.21+ with max_prepared_statements > 0.");
    assert.equal(await preparedStatementRun('None'), 'OK 3');
  });

  it("an options string is refused with 'unsupported startup parameter: options', explained with ALTER ROLE", async () => {
    const db = resolvedDatabase(bouncer, { name: 'postgres', user, password, options: { options: '-c statement_timeout=5s', sslmode: 'disable' } });
    const result = await testConnection(db);
    assert.ok(!result.ok);
    assert.equal(result.failure.kind, 'pgbouncerStartupParameter');
    assert.match(result.failure.detail, /unsupported startup parameter: options/);
    assert.equal(result.failure.cause, `PgBouncer at 127.0.0.1:${bouncer.port} refuses the "options" startup parameter, which libpq sends for OPTIONS['options'].`);
    assert.match(result.failure.fix, /ALTER ROLE USER SET statement_timeout = '5s'/);
  });

  it('Test Connection says it talks to PgBouncer and in which pool mode (pgbouncer.ini of the project)', async () => {
    const settingsFile = join(project, 'settings.py');
    const db = { ...resolvedDatabase(bouncer, { name: 'postgres', user, password, options: { sslmode: 'disable' } }), settingsFile };
    // A random port and no pgbouncer.ini: only the live probe can tell (PgBouncer's login process id is its own).
    const seenLive = await testConnection(db);
    assert.ok(seenLive.ok);
    assert.equal(seenLive.facts.pooler?.kind, 'pooler');
    assert.match(seenLive.facts.pooler?.reason ?? '', /^the process id given at login \(-?\d+\) is not the server process serving the queries \(\d+\)/);
    assert.ok(seenLive.notes.some((n) => n.startsWith('A connection pooler or proxy is between you and PostgreSQL (')), seenLive.notes.join('\n'));

    writeFileSync(join(project, 'pgbouncer.ini'), bouncer.generated.ini);
    const result = await testConnection(db);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.facts.pooler?.poolMode, 'transaction');
    const iniFile = join(project, 'pgbouncer.ini');
    assert.equal(result.facts.pooler?.reason, `PORT ${bouncer.port} is the listen_port of ${iniFile}`);
    // The generated ini makes no admin or stats user, so the console refuses and the project's ini answers.
    assert.equal(result.facts.pooler?.poolModeFrom, `pool_mode in ${iniFile}`);
    assert.ok(result.notes.includes(`Talking to PgBouncer (PORT ${bouncer.port} is the listen_port of ${iniFile}), in transaction pool mode (pool_mode in ${iniFile}). In transaction mode set DISABLE_SERVER_SIDE_CURSORS = True, keep OPTIONS prepare_threshold unset (None) unless PgBouncer 1.21+ has max_prepared_statements, and put timeouts on the role (ALTER ROLE … SET) instead of OPTIONS options.`), result.notes.join('\n'));
  });

  it('reads the pool mode from the admin console when the role may use it, over what pgbouncer.ini claims', async () => {
    // Reuse the secret the server already stores, so both PgBouncers can log in to PostgreSQL as the role.
    const [{ rolpassword }] = (await cluster.sql('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [user])) as { rolpassword: string }[];
    const consoleBouncer = await startPgBouncer({ cluster, poolMode: 'transaction', user, password, adminUser: user, serverSecret: rolpassword });
    const consoleProject = mkdtempSync(join(tmpdir(), 'django-postgres-pgb-console-'));
    try {
      // The project's ini is stale (session): the console's answer must win.
      writeFileSync(join(consoleProject, 'pgbouncer.ini'), `[pgbouncer]\nlisten_port = ${consoleBouncer.port}\npool_mode = session\n`);
      const db = { ...resolvedDatabase(consoleBouncer, { name: 'postgres', user, password, options: { sslmode: 'disable' } }), settingsFile: join(consoleProject, 'settings.py') };
      const result = await testConnection(db);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.facts.pooler?.poolMode, 'transaction');
      assert.equal(result.facts.pooler?.poolModeFrom, 'SHOW POOLS on the admin console');
    } finally {
      await consoleBouncer.stop();
      rmSync(consoleProject, { recursive: true, force: true });
    }
  });
});
