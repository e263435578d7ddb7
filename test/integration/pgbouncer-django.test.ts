// The PgBouncer proof: Debian's PgBouncer 1.18 in transaction mode, started with the pgbouncer.ini and the
// SCRAM userlist.txt our generator writes, in front of a real PostgreSQL; a real Django project whose
// settings are the dbpg-pgbouncer snippet as inserted (every default kept) migrates through it, Test
// Connection passes through it, and QuerySet.iterator() shows why the snippet disables server-side cursors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { testConnection } from '../../server/src/postgres/testConnection';
import { planManageRun } from '../../server/src/project/manageCommand';
import { resolvedDatabase, sharedCluster, type PgCluster } from '../support/pgCluster';
import { startPgBouncer, type RunningPgBouncer } from '../support/pgbouncer';
import { debianPython, djangoLtsPython, type TestPython } from '../support/python';
import { expandWithDefaults, snippetByPrefix } from '../support/snippetBodies';

const fixture = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'djangoproject');
const SETTINGS_MODULE = 'config.settings_pgbouncer';

// Runs one iterator() over 10 rows in chunks of 2 and prints what happened as JSON.
//   argv[1] scenario: `alone` (nobody else uses PgBouncer), `busy` (after the first chunk another client
//   opens a transaction, so PgBouncer lends that client the server connection the cursor was declared
//   on), `atomic-busy` (busy, with the iteration inside transaction.atomic()).
//   argv[2] `on` keeps server-side cursors (DISABLE_SERVER_SIDE_CURSORS False), `off` is the snippet's True.
const ITERATOR_PROBE = `
import json, sys
import django
from django.conf import settings

scenario, server_side = sys.argv[1], sys.argv[2] == 'on'
settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'] = not server_side
django.setup()
from django.db import connection, transaction
from items.models import Item

if Item.objects.count() < 10:
    Item.objects.bulk_create([Item(name='item %d' % i) for i in range(10)])


def iterate():
    rows = Item.objects.order_by('id').iterator(chunk_size=2)
    names = [next(rows).name]
    other = None
    if scenario != 'alone':
        other = connection.copy()
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute('SELECT 1')
    try:
        names += [item.name for item in rows]
    finally:
        if other is not None:
            other.rollback()
            other.close()
    return names


try:
    if scenario == 'atomic-busy':
        with transaction.atomic():
            names = iterate()
    else:
        names = iterate()
    print(json.dumps({'ok': True, 'rows': len(names)}))
except Exception as error:
    print(json.dumps({'ok': False, 'error': type(error).__module__ + '.' + type(error).__name__, 'message': str(error).strip()}))
`;

interface ProbeResult { ok: boolean; rows?: number; error?: string; message?: string }

interface PooledProject {
  db: { name: string; user: string; password: string };
  bouncer: RunningPgBouncer;
  project: string;
  /** What the project's .env would hold: the snippet reads these. */
  env: Record<string, string>;
}

function run(argv: string[], cwd: string, env: Record<string, string>): Promise<{ exitCode: number | null; output: string }> {
  // Nothing from the runner's own environment may answer for the project's settings.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DB_|PG|DJANGO_)/.test(name)));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...inherited, ...env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('error', reject);
    child.once('close', (exitCode) => resolvePromise({ exitCode, output }));
  });
}

describe('Django behind PgBouncer in transaction mode (generated pgbouncer.ini, SCRAM userlist.txt)', function () {
  this.timeout(240_000);
  let cluster: PgCluster;
  const scratchDirs: string[] = [];
  const bouncers: RunningPgBouncer[] = [];
  const databases: PooledProject['db'][] = [];
  const pooled = new Map<string, Promise<PooledProject>>();
  let debianProven = false;

  before(async () => {
    cluster = await sharedCluster();
  });

  after(async () => {
    await Promise.all(bouncers.map((b) => b.stop()));
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    for (const db of databases) {
      await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(db.name)} WITH (FORCE)`);
      await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(db.user)}`);
    }
  });

  /** A role and database, a transaction-mode PgBouncer for them, and a copy of the fixture project set up for it. */
  async function createPooledProject(): Promise<PooledProject> {
    const suffix = randomBytes(4).toString('hex');
    const db = { name: `pgb_django_${suffix}`, user: `pgb_django_${suffix}`, password: `pw'"$ ;${suffix}` };
    await cluster.sql(`CREATE ROLE ${escapeIdentifier(db.user)} LOGIN PASSWORD ${escapeLiteral(db.password)}`);
    await cluster.sql(`CREATE DATABASE ${escapeIdentifier(db.name)} OWNER ${escapeIdentifier(db.user)}`);
    databases.push(db);
    const bouncer = await startPgBouncer({ cluster, poolMode: 'transaction', user: db.user, password: db.password, database: db.name });
    bouncers.push(bouncer);
    // The server must store the userlist's verifier for PgBouncer to log in with it.
    for (const statement of bouncer.generated.serverSql) await cluster.sql(statement);

    const scratch = mkdtempSync(join(tmpdir(), 'django-postgres-pgbouncer-django-'));
    scratchDirs.push(scratch);
    const project = join(scratch, 'shop');
    cpSync(fixture, project, { recursive: true });
    const block = expandWithDefaults(snippetByPrefix('dbpg-pgbouncer'));
    writeFileSync(join(project, 'config', 'settings_pgbouncer.py'), `from .settings import *  # noqa: F401,F403\n\n${block}\n`);
    writeFileSync(join(project, 'iterator_probe.py'), ITERATOR_PROBE);
    const env = { DB_NAME: db.name, DB_USER: db.user, DB_PASSWORD: db.password, PGBOUNCER_HOST: bouncer.host, PGBOUNCER_PORT: String(bouncer.port) };
    return { db, bouncer, project, env };
  }

  function pooledProjectFor(label: string): Promise<PooledProject> {
    if (!pooled.has(label)) pooled.set(label, createPooledProject());
    return pooled.get(label)!;
  }

  async function migrateThroughPgBouncer(python: TestPython, setup: PooledProject): Promise<void> {
    const plan = planManageRun({ python: { argv: [python.python], reason: 'test venv' }, managePy: join(setup.project, 'manage.py'), variant: 'migrate', dotenv: setup.env, settingsModule: SETTINGS_MODULE });
    const result = await run(plan.argv, plan.cwd, plan.env);
    assert.equal(result.exitCode, 0, `${result.output}\n--- PgBouncer log ---\n${setup.bouncer.log().slice(-2000)}`);
    assert.match(result.output, /Applying items\.0001_initial\.\.\. OK/);
    assert.ok(!result.output.includes(setup.db.password), "password in Django's output");
    const [tables] = await cluster.sql<{ items: string | null }>("SELECT to_regclass('public.items_item')::text AS items", [], setup.db.name);
    assert.equal(tables.items, 'items_item');
    assert.ok(!setup.bouncer.log().includes(setup.db.password), 'password in the PgBouncer log');
  }

  async function probe(python: TestPython, setup: PooledProject, scenario: 'alone' | 'busy' | 'atomic-busy', serverSideCursors: 'on' | 'off'): Promise<ProbeResult> {
    const result = await run([python.python, 'iterator_probe.py', scenario, serverSideCursors], setup.project, { ...setup.env, DJANGO_SETTINGS_MODULE: SETTINGS_MODULE });
    const last = result.output.trim().split('\n').pop() ?? '';
    assert.equal(result.exitCode, 0, result.output);
    return JSON.parse(last) as ProbeResult;
  }

  async function assertIteratorBehaviour(python: TestPython, setup: PooledProject, driverModule: string): Promise<void> {
    // The snippet's settings (DISABLE_SERVER_SIDE_CURSORS True): iterator() works, even with another client busy.
    assert.deepEqual(await probe(python, setup, 'alone', 'off'), { ok: true, rows: 10 });
    assert.deepEqual(await probe(python, setup, 'busy', 'off'), { ok: true, rows: 10 });
    // Server-side cursors on: alone, PgBouncer happens to hand back the same server connection, so it works…
    assert.deepEqual(await probe(python, setup, 'alone', 'on'), { ok: true, rows: 10 });
    // …but once another client holds that connection, the FETCH lands on a second one that never saw the DECLARE.
    const broken = await probe(python, setup, 'busy', 'on');
    assert.equal(broken.ok, false, JSON.stringify(broken));
    assert.equal(broken.error, `${driverModule}.errors.InvalidCursorName`);
    assert.match(broken.message ?? '', /^cursor "_django_curs_\d+_sync_\d+" does not exist$/);
    // Inside atomic() the whole iteration is one transaction, so one server connection: it works again.
    assert.deepEqual(await probe(python, setup, 'atomic-busy', 'on'), { ok: true, rows: 10 });
  }

  it('writes a SCRAM-SHA-256 verifier into userlist.txt and pool_mode = transaction into pgbouncer.ini, never the password', async () => {
    const setup = await pooledProjectFor('debian');
    const { ini, userlist } = setup.bouncer.generated;
    assert.match(ini, /^pool_mode = transaction$/m);
    assert.match(userlist, new RegExp(`^"${setup.db.user}" "SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"\\n$`));
    for (const text of [ini, userlist, ...setup.bouncer.generated.serverSql]) assert.ok(!text.includes(setup.db.password));
  });

  it('Test Connection through PgBouncer succeeds as the app role', async () => {
    const setup = await pooledProjectFor('debian');
    const result = await testConnection(resolvedDatabase(cluster, {
      name: setup.db.name, user: setup.db.user, password: setup.db.password, host: setup.bouncer.host, port: setup.bouncer.port,
    }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.facts.user, setup.db.user);
    assert.equal(result.facts.database, setup.db.name);
    assert.ok(!JSON.stringify(result).includes(setup.db.password), 'password in the Test Connection result');
  });

  it("Debian's Django 3.2 + psycopg2: migrate through PgBouncer with the dbpg-pgbouncer block; iterator() needs DISABLE_SERVER_SIDE_CURSORS in transaction mode only", async () => {
    const python = await debianPython();
    assert.match(python.django, /^3\.2\./);
    const setup = await pooledProjectFor('debian');
    await migrateThroughPgBouncer(python, setup);
    await assertIteratorBehaviour(python, setup, 'psycopg2');
    // The control: the same busy iteration with server-side cursors through a session-mode PgBouncer works,
    // since each client keeps its server connection. It reuses the role's stored verifier, leaving the server as is.
    const [{ rolpassword }] = await cluster.sql<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [setup.db.user]);
    const session = await startPgBouncer({ cluster, poolMode: 'session', user: setup.db.user, password: setup.db.password, database: setup.db.name, serverSecret: rolpassword });
    bouncers.push(session);
    assert.deepEqual(session.generated.serverSql, []);
    const throughSession = { ...setup, env: { ...setup.env, PGBOUNCER_PORT: String(session.port) } };
    assert.deepEqual(await probe(python, throughSession, 'busy', 'on'), { ok: true, rows: 10 });
    debianProven = true;
  });

  it('Django 5.2 + psycopg 3: the same migrate and iterator() results (or says why it could not run)', async function () {
    const lts = await djangoLtsPython();
    if (lts.python === undefined) {
      this.test!.title = `Django 5.2 NOT TESTED (${lts.reason}); the Debian Django 3.2 run stands alone`;
      assert.ok(debianProven, 'neither Django 5.2 nor Debian Django 3.2 was proven behind PgBouncer');
      return;
    }
    assert.match(lts.django, /^5\.2\./);
    const setup = await pooledProjectFor('lts');
    await migrateThroughPgBouncer(lts, setup);
    await assertIteratorBehaviour(lts, setup, 'psycopg');
  });
});
