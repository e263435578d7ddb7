import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCreateDbCommand, runTestConnectionCommand, EXIT, type CliIo } from '../../server/src/postgres/cliCommands';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

/** A Django project whose settings read DB_PASSWORD from the environment / .env. */
function makeProject(cluster: PgCluster, dotenv: string): string {
  const root = mkdtempSync(join(tmpdir(), 'django-postgres-cli-'));
  mkdirSync(join(root, 'mysite'));
  writeFileSync(join(root, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
  writeFileSync(join(root, 'mysite', '__init__.py'), '');
  writeFileSync(join(root, 'mysite', 'settings.py'), `import os
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'cli_db',
        'USER': 'cli_user',
        'PASSWORD': os.environ.get('DB_PASSWORD', ''),
        'HOST': '127.0.0.1',
        'PORT': '${cluster.port}',
        'OPTIONS': {'sslmode': 'disable', 'connect_timeout': 5},
    },
}
`);
  writeFileSync(join(root, '.env'), dotenv);
  return root;
}

interface Captured { io: CliIo; lines: string[] }
function capture(cwd: string, env: Record<string, string | undefined> = {}, answers: boolean[] = []): Captured {
  const lines: string[] = [];
  return {
    lines,
    io: {
      log: (l) => lines.push(`out: ${l}`),
      error: (l) => lines.push(`err: ${l}`),
      confirm: async (q) => { lines.push(`ask: ${q}`); return answers.shift() ?? false; },
      env, cwd,
    },
  };
}

describe('django-postgres CLI: test-connection and create-db', function () {
  this.timeout(60_000);
  const appPassword = `cli'pw; DROP ROLE postgres; -- ☃`;
  let cluster: PgCluster;
  let project: string;
  // Everything written to stdout/stderr while these tests run, to prove no password leaks anywhere.
  const everything: string[] = [];
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  before(async () => {
    cluster = await sharedCluster();
    project = makeProject(cluster, `DB_PASSWORD="${appPassword.replace(/"/g, '\\"')}"\n`);
    const tee = (target: 'out' | 'err') => (chunk: string | Uint8Array, ...rest: unknown[]) => {
      everything.push(String(chunk));
      return (originals[target] as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
    process.stdout.write = tee('out') as typeof process.stdout.write;
    process.stderr.write = tee('err') as typeof process.stderr.write;
  });
  after(() => {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
    rmSync(project, { recursive: true, force: true });
  });

  it('test-connection before the database exists: exit 1, the cause, and the Create DB hint', async () => {
    const run = capture(project);
    const code = await runTestConnectionCommand({}, run.io);
    everything.push(...run.lines);
    assert.equal(code, EXIT.failed);
    assert.match(run.lines.join('\n'), /Password authentication failed for "cli_user"/);
    assert.match(run.lines.join('\n'), /Create Postgres DB for Django/);
  });

  it('create-db without --yes and a declined prompt runs nothing (exit 3)', async () => {
    const run = capture(project, {}, [false]);
    const code = await runCreateDbCommand({ admin: `postgres://postgres@127.0.0.1:${cluster.port}/postgres`, settings: 'mysite/settings.py' }, run.io);
    everything.push(...run.lines);
    assert.equal(code, EXIT.declined);
    assert.match(run.lines.join('\n'), /CREATE ROLE "cli_user" WITH LOGIN PASSWORD '\*\*\*\*\*\*\*\*'/);
    const roles = await cluster.sql("SELECT 1 FROM pg_roles WHERE rolname = 'cli_user'");
    assert.equal(roles.length, 0);
  });

  it('create-db --yes creates everything, a second run reports "already exists", then test-connection succeeds', async () => {
    const admin = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
    const first = capture(project, { PGPASSWORD: cluster.superPassword });
    assert.equal(await runCreateDbCommand({ admin, yes: true }, first.io), EXIT.ok, first.lines.join('\n'));
    everything.push(...first.lines);
    assert.match(first.lines.join('\n'), /\[created\] Role "cli_user" created/);

    const second = capture(project, { PGPASSWORD: cluster.superPassword });
    assert.equal(await runCreateDbCommand({ admin, yes: false }, second.io), EXIT.declined);
    const again = capture(project, { PGPASSWORD: cluster.superPassword }, [true, false]);
    assert.equal(await runCreateDbCommand({ admin }, again.io), EXIT.ok, again.lines.join('\n'));
    everything.push(...second.lines, ...again.lines);
    assert.match(again.lines.join('\n'), /\[already exists\] Database "cli_db" already exists/);
    assert.match(again.lines.join('\n'), /ask: Role "cli_user" exists/);

    const probe = capture(project);
    assert.equal(await runTestConnectionCommand({ alias: 'default' }, probe.io), EXIT.ok, probe.lines.join('\n'));
    everything.push(...probe.lines);
    assert.match(probe.lines.join('\n'), /user: +cli_user/);
  });

  it('process environment beats .env; --env-file picks another file', async () => {
    const wrong = capture(project, { DB_PASSWORD: 'env-wins-and-is-wrong' });
    assert.equal(await runTestConnectionCommand({}, wrong.io), EXIT.failed);
    const other = join(project, 'other.env');
    writeFileSync(other, 'DB_PASSWORD=from-other-env-file\n');
    const viaFile = capture(project);
    assert.equal(await runTestConnectionCommand({ envFile: 'other.env' }, viaFile.io), EXIT.failed);
    everything.push(...wrong.lines, ...viaFile.lines);
    assert.match(viaFile.lines.join('\n'), /Password authentication failed/);
  });

  it('an unknown alias or a missing settings file is a usage error (exit 2)', async () => {
    const run = capture(project);
    assert.equal(await runTestConnectionCommand({ alias: 'replica' }, run.io), EXIT.usage);
    assert.equal(await runTestConnectionCommand({ settings: 'nope.py' }, run.io), EXIT.usage);
    everything.push(...run.lines);
    assert.match(run.lines.join('\n'), /No DATABASES alias "replica".*found: default/);
  });

  it('a wrong admin password in the URL fails with the cause and is never echoed', async () => {
    const run = capture(project);
    const code = await runCreateDbCommand({ admin: `postgres://postgres:Adm1n-Wrong-Secret@127.0.0.1:${cluster.port}/postgres`, yes: true }, run.io);
    everything.push(...run.lines);
    assert.equal(code, EXIT.failed);
    assert.match(run.lines.join('\n'), /Password authentication failed for "postgres"/);
    assert.match(run.lines.join('\n'), /Check the admin connection/);
  });

  it('no password appears in anything printed, returned or thrown during the run', () => {
    const text = everything.join('\n');
    assert.ok(text.length > 500, 'the capture saw the output');
    for (const secret of [appPassword, cluster.superPassword, 'Adm1n-Wrong-Secret', 'env-wins-and-is-wrong', 'from-other-env-file']) {
      assert.equal(text.includes(secret), false, `a password leaked: ${secret.slice(0, 3)}…`);
    }
  });
});
