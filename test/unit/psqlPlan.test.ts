// Open psql, as planned: which libpq variables carry which settings, what psql cannot be given, the
// dbshell fallback's arguments and the install line.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planPsql, psqlInstallHint } from '../../server/src/postgres/psql';
import { buildManageArgs } from '../../server/src/project/manageCommand';
// The client's lookup, without VS Code: it only reads the file system.
import { findExecutable } from '../../client/src/executables';
import { resolvedDatabase } from '../support/pgCluster';

describe('Open psql: the plan', () => {
  const db = (options: Record<string, string | number> = {}, host?: string) =>
    resolvedDatabase({ host: '127.0.0.1', port: 5433 }, { name: 'shop', user: 'shop_app', password: "s3cret 'x'", host, options });

  it('puts every connection value in libpq variables, the password in PGPASSWORD, nothing in the arguments', () => {
    const plan = planPsql(db({ sslmode: 'verify-full', sslrootcert: '/etc/ca.pem', application_name: 'shop web', connect_timeout: 5 }), { env: {} });
    assert.deepEqual(plan.env, {
      PGHOST: '127.0.0.1', PGPORT: '5433', PGDATABASE: 'shop', PGUSER: 'shop_app', PGPASSWORD: "s3cret 'x'",
      PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/ca.pem', PGAPPNAME: 'shop web', PGCONNECT_TIMEOUT: '5',
    });
    assert.deepEqual(plan.args, []);
    assert.equal(plan.target, 'shop_app@127.0.0.1:5433/shop');
  });

  it("leaves PGHOST unset for an empty HOST, so psql's libpq picks the same default socket as Django's", () => {
    const plan = planPsql(db({}, ''), { env: {} });
    assert.equal(plan.env.PGHOST, undefined);
    assert.equal(plan.env.PGUSER, 'shop_app');
  });

  it("keeps the PG* variables the project's .env exports into Django's environment, under the settings' own values", () => {
    const exported = { ...db({ sslmode: 'verify-full' }), libpqEnvironment: { PGTARGETSESSIONATTRS: 'read-write', PGSSLMODE: 'require', PGUSER: 'someone_else' } };
    const plan = planPsql(exported, { env: {} });
    assert.equal(plan.env.PGTARGETSESSIONATTRS, 'read-write');
    assert.equal(plan.env.PGSSLMODE, 'verify-full', 'OPTIONS sslmode beats PGSSLMODE, as in libpq');
    assert.equal(plan.env.PGUSER, 'shop_app', 'USER beats PGUSER');
    const fromDotenv = planPsql({ ...db(), libpqEnvironment: { PGSSLMODE: 'require' } }, { env: {} });
    assert.equal(fromDotenv.env.PGSSLMODE, 'require', 'without OPTIONS sslmode, the exported PGSSLMODE is what libpq uses');
  });

  it('says what psql does not get: a secret without a variable, Django-only options', () => {
    const plan = planPsql(db({ sslpassword: 'key-pass', assume_role: 'shop_owner', isolation_level: 3, keepalives_idle: 30 }), { env: {} });
    assert.equal(plan.env.PGSSLPASSWORD, undefined);
    assert.ok(!plan.args.join(' ').includes('key-pass'), 'the key passphrase is not on the command line');
    assert.deepEqual(plan.args, ['keepalives_idle=30']);
    assert.match(plan.notes.join('\n'), /OPTIONS\.sslpassword is a secret without an environment variable/);
    assert.match(plan.notes.join('\n'), /SET ROLE shop_owner/);
  });

  it('falls back to manage.py dbshell on the same alias, and names the install line of the system', () => {
    assert.deepEqual(buildManageArgs('dbshell', { alias: 'replica' }), ['dbshell', '--database', 'replica']);
    assert.match(psqlInstallHint('linux'), /sudo apt install postgresql-client/);
    assert.match(psqlInstallHint('darwin'), /brew install libpq/);
    assert.match(psqlInstallHint('win32'), /PostgreSQL/);
  });

  it('findExecutable finds an executable file on the search path and skips one that is not executable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-exe-'));
    try {
      writeFileSync(join(dir, 'psql'), '#!/bin/sh\n');
      assert.equal(findExecutable('psql', dir, []), undefined, 'not executable yet');
      chmodSync(join(dir, 'psql'), 0o755);
      assert.equal(findExecutable('psql', `/nonexistent:${dir}`, []), join(dir, 'psql'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
