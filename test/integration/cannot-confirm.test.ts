// The third verdict end to end: the CLI's test-connection exits 3 with "Cannot confirm: Django may fail because …"
// when a setting decides Django's outcome and the test cannot reproduce it, even though the server answered.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, runTestConnectionCommand } from '../../server/src/postgres/cliCommands';
import { main } from '../../server/src/cli';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

describe('Cannot confirm: django-postgres test-connection exits 3, never "Connected"', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let project: string;

  before(async () => {
    cluster = await sharedCluster();
    project = mkdtempSync(join(tmpdir(), 'django-postgres-unconfirmed-'));
    mkdirSync(join(project, 'site'));
    writeFileSync(join(project, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n");
    writeFileSync(join(project, 'site', '__init__.py'), '');
    writeFileSync(join(project, 'site', 'settings.py'), `import os
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'postgres',
        'USER': 'postgres',
        'PASSWORD': os.environ['DB_PASSWORD'],
        'HOST': '${cluster.socketDir}',
        'PORT': '${cluster.port}',
        'OPTIONS': {'requirepeer': 'postgres'},
    },
}
`);
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it('requirepeer on the Unix socket: the server answers, but the verdict is Cannot confirm (exit 3)', async () => {
    const lines: string[] = [];
    const code = await runTestConnectionCommand({}, {
      log: (l) => lines.push(`out: ${l}`), error: (l) => lines.push(`err: ${l}`), cwd: project, env: { DB_PASSWORD: cluster.superPassword, HOME: project },
    });
    assert.equal(code, EXIT.cannotConfirm);
    assert.equal(code, 3);
    assert.equal(lines[0], 'err: Cannot confirm: Django may fail because requirepeer: libpq checks which OS user runs the server on the Unix socket; Node cannot read the peer credentials.');
    assert.ok(!lines.some((l) => l.includes('Connected to')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('err:   The server answered at')), lines.join('\n'));
    assert.ok(!lines.join('\n').includes(cluster.superPassword));
  });

  it('--driver takes psycopg or psycopg2 only (usage error, exit 2)', async () => {
    const errors: string[] = [];
    const code = await main(['test-connection', '--driver', 'pg8000'], { out: () => undefined, err: (l) => errors.push(l) });
    assert.equal(code, 2);
    assert.match(errors.join('\n'), /--driver is psycopg \(psycopg 3, Django's default\) or psycopg2/);
  });
});
