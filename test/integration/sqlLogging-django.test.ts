// The SQL logging block under a real Django: the snippet compiles, `manage.py check` passes, and the
// queries show up on the console while DEBUG is True and not while it is False.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sharedCluster, type PgCluster } from '../support/pgCluster';
import { debianPython, djangoLtsPython, type TestPython } from '../support/python';
import { toggled } from '../support/sqlLogging';

const run = promisify(execFile);

const SETTINGS = (cluster: PgCluster) => `import os

SECRET_KEY = "sql-logging"
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
INSTALLED_APPS = []
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": "${cluster.host}",
        "PORT": "${cluster.port}",
    }
}
`;

const QUERY = 'import django; django.setup(); from django.db import connection; connection.cursor().execute("SELECT 4242 AS logged_answer")';

describe('SQL logging under Django', function () {
  this.timeout(180_000);
  let dir: string;
  let cluster: PgCluster;
  let python: TestPython;

  before(async () => {
    cluster = await sharedCluster();
    const lts = await djangoLtsPython();
    python = lts.python === undefined ? await debianPython() : lts;
    dir = mkdtempSync(join(tmpdir(), 'django-postgres-sqllog-'));
    writeFileSync(join(dir, 'settings.py'), toggled(SETTINGS(cluster)).text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const env = (debug: boolean) => ({ PATH: process.env.PATH, PYTHONPATH: dir, DJANGO_SETTINGS_MODULE: 'settings', DJANGO_DEBUG: debug ? '1' : '0', DB_PASSWORD: cluster.superPassword });

  it(`the toggled settings module passes py_compile and check`, async function () {
    this.test!.title += ` (Django ${python.django})`;
    await run(python.python, ['-m', 'py_compile', join(dir, 'settings.py')]);
    for (const debug of [true, false]) {
      const { stdout, stderr } = await run(python.python, ['-m', 'django', 'check'], { cwd: dir, env: env(debug) });
      assert.match(stdout + stderr, /System check identified no issues/);
    }
  });

  it('logs the SQL only while DEBUG is True', async () => {
    const on = await run(python.python, ['-c', QUERY], { cwd: dir, env: env(true) });
    assert.match(on.stderr, /SELECT 4242 AS logged_answer/);
    const off = await run(python.python, ['-c', QUERY], { cwd: dir, env: env(false) });
    assert.doesNotMatch(off.stderr, /4242/);
  });
});
