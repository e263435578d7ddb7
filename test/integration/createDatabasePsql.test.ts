// The SQL that "Copy SQL" / "Open SQL in terminal" hands to people without an admin password really
// works in psql, creates what the plan says, and can run twice.
import * as assert from 'node:assert/strict';
import { psqlScript } from '../../client/src/commands/createDatabaseFlow';
import { planCreateDatabase } from '../../server/src/postgres/createDatabase';
import { resolvedDatabase, sharedCluster, type PgCluster } from '../support/pgCluster';
import { runPsql } from '../support/psql';

describe('Create Postgres DB for Django: the psql script (real psql and PostgreSQL)', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  before(async () => { cluster = await sharedCluster(); });

  it('creates the role with LOGIN and CREATEDB, the UTF8 database it owns and the schema grant, twice without error', async () => {
    // Without a password: \password would wait for a terminal, which a test does not have.
    const plan = planCreateDatabase(resolvedDatabase(cluster, { name: 'psql_shop', user: 'psql_shop_app', password: '' }));
    const script = psqlScript(plan, undefined);
    await runPsql(cluster, script);
    await runPsql(cluster, script);
    const [row] = await cluster.sql<{ owner: string; encoding: string; createdb: boolean; login: boolean }>(
      `SELECT pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding, r.rolcreatedb AS createdb, r.rolcanlogin AS login
         FROM pg_database d, pg_roles r WHERE d.datname = 'psql_shop' AND r.rolname = 'psql_shop_app'`);
    assert.deepEqual(row, { owner: 'psql_shop_app', encoding: 'UTF8', createdb: true, login: true });
    const [grant] = await cluster.sql<{ can: boolean }>(
      "SELECT has_schema_privilege('psql_shop_app', 'public', 'CREATE') AS can", [], 'psql_shop');
    assert.equal(grant.can, true);
  });
});
