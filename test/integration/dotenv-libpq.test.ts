// libpq in Django's process reads PG* variables from the environment, and the project's .env puts them there
// when the settings load it with python-dotenv (load_dotenv exports what it reads) but not when they read it
// with decouple (config() only returns values). Test Connection must see what Django's libpq sees.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettingsFile } from '../../server/src/model/resolve';
import { testConnection, type TestConnectionResult } from '../../server/src/postgres';
import { lookupEnvironmentOf, pythonFilesOnDisk } from '../../server/src/project/projectDotenv';
import { sharedCluster, type PgCluster } from '../support/pgCluster';

describe('PG* variables in the project .env reach Test Connection as they reach Django', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  const scratch: string[] = [];

  before(async () => {
    cluster = await sharedCluster();
  });
  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  /** A project on the shared (primary) cluster whose .env asks libpq for a standby. */
  function project(settingsHead: string, passwordLookup: string): string {
    const root = mkdtempSync(join(tmpdir(), 'django-postgres-pgenv-'));
    scratch.push(root);
    mkdirSync(join(root, 'site'));
    writeFileSync(join(root, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n");
    writeFileSync(join(root, 'site', '__init__.py'), '');
    writeFileSync(join(root, '.env'), `DB_PASSWORD=${cluster.superPassword}\nPGTARGETSESSIONATTRS=standby\n`);
    writeFileSync(join(root, 'site', 'settings.py'), `import os
from pathlib import Path
${settingsHead}
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'postgres',
        'USER': 'postgres',
        'PASSWORD': ${passwordLookup},
        'HOST': '127.0.0.1',
        'PORT': '${cluster.port}',
    },
}
`);
    return root;
  }

  async function testProject(root: string, environ: Record<string, string | undefined>): Promise<TestConnectionResult> {
    const settings = join(root, 'site', 'settings.py');
    const [alias] = resolveSettingsFile(settings, lookupEnvironmentOf(settings, { workspaceRoot: root, environ, python: pythonFilesOnDisk() }));
    return testConnection(alias, { env: environ });
  }

  const kindOf = (result: TestConnectionResult) => (result.ok ? 'connected' : result.failure.kind);

  it('load_dotenv exports PGTARGETSESSIONATTRS=standby: the primary is refused, as libpq in Django refuses it', async () => {
    const root = project("from dotenv import load_dotenv\nBASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / '.env')", "os.environ['DB_PASSWORD']");
    const result = await testProject(root, {});
    assert.equal(kindOf(result), 'targetSessionAttrs', JSON.stringify(result));
  });

  it('decouple only returns values: the .env PGTARGETSESSIONATTRS never reaches libpq, so it connects', async () => {
    const root = project('from decouple import config', "config('DB_PASSWORD')");
    assert.equal(kindOf(await testProject(root, {})), 'connected');
  });

  it('a variable already in the environment wins over load_dotenv, unless override=True', async () => {
    const head = (override: string) => `from dotenv import load_dotenv\nBASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / '.env'${override})`;
    const environ = { PGTARGETSESSIONATTRS: 'any' };
    assert.equal(kindOf(await testProject(project(head(''), "os.environ['DB_PASSWORD']"), environ)), 'connected');
    assert.equal(kindOf(await testProject(project(head(', override=True'), "os.environ['DB_PASSWORD']"), environ)), 'targetSessionAttrs');
  });
});
