// The commands take a DATABASE_URL configuration exactly like a dict one: dj_database_url.config() and
// django-environ env.db() read the URL from .env, create-db creates what it names, test-connection connects.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCreateDbCommand, runTestConnectionCommand, EXIT, type CliIo } from '../../server/src/postgres/cliCommands';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

const SETTINGS = {
  'dj_database_url.config()': "import dj_database_url\nDATABASES = {'default': dj_database_url.config(conn_max_age=0)}\n",
  'env.db()': "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n",
};

describe('commands on a DATABASE_URL configuration', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  const made: { roles: string[]; databases: string[]; dirs: string[] } = { roles: [], databases: [], dirs: [] };

  before(async () => {
    cluster = await sharedCluster();
  });

  after(async () => {
    for (const database of made.databases) await cluster.sql(`DROP DATABASE IF EXISTS "${database}"`);
    for (const role of made.roles) await cluster.sql(`DROP ROLE IF EXISTS "${role}"`);
    for (const dir of made.dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const [style, settings] of Object.entries(SETTINGS)) {
    it(`${style}: create-db creates the role and database the URL names, then test-connection connects`, async () => {
      const name = `url_${randomBytes(3).toString('hex')}`;
      // A password that must be percent-encoded in the URL: the decoding is part of what is tested.
      const password = 'p@ss:w/rd#1 %';
      made.roles.push(name);
      made.databases.push(name);
      const root = mkdtempSync(join(tmpdir(), 'django-postgres-url-'));
      made.dirs.push(root);
      mkdirSync(join(root, 'mysite'));
      writeFileSync(join(root, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
      writeFileSync(join(root, 'mysite', 'settings.py'), settings);
      writeFileSync(join(root, '.env'), `DATABASE_URL=postgres://${name}:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/${name}?sslmode=disable\n`);
      const lines: string[] = [];
      const io: CliIo = { log: (l) => lines.push(l), error: (l) => lines.push(`err: ${l}`), env: {}, cwd: root };

      const admin = `postgres://${cluster.superuser}:${encodeURIComponent(cluster.superPassword)}@127.0.0.1:${cluster.port}/postgres?sslmode=disable`;
      assert.equal(await runCreateDbCommand({ admin, yes: true }, io), EXIT.ok, lines.join('\n'));
      const [row] = (await cluster.sql('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [name])) as { owner: string }[];
      assert.equal(row?.owner, name, 'the database the URL names exists, owned by the URL user');

      lines.length = 0;
      assert.equal(await runTestConnectionCommand({}, io), EXIT.ok, lines.join('\n'));
      assert.ok(lines.some((l) => l.includes(name)), lines.join('\n'));
      assert.ok(!lines.join('\n').includes(password), 'the password is never printed');
    });
  }
});
