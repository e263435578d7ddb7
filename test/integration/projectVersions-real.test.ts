// Differential test of the project-version detection: what we read from a real virtual environment's
// files (dist-info folders, the libpq bundled next to the binary packages) and from the system libpq
// must agree with what that environment's Python itself reports.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { detectProjectVersions, diskProjectFiles, type ProjectVersions } from '../../server/src/project/projectVersions';
import { djangoLtsPython } from '../support/python';

interface Reported {
  django: string;
  driver: 'psycopg' | 'psycopg2';
  psycopg?: string;
  psycopgLibpq?: number;
  psycopg2: string;
  psycopg2Libpq: number;
}

const ASK = [
  'import json, django, psycopg2, psycopg2.extensions',
  'try:',
  '    from django.db.backends.postgresql.psycopg_any import is_psycopg3',
  'except ImportError:  # Django before 4.2 knows psycopg2 only',
  '    is_psycopg3 = False',
  'out = {"django": django.get_version(), "driver": "psycopg" if is_psycopg3 else "psycopg2",',
  '       "psycopg2": psycopg2.__version__.split()[0], "psycopg2Libpq": psycopg2.extensions.libpq_version()}',
  'try:',
  '    import psycopg',
  '    out.update(psycopg=psycopg.__version__, psycopgLibpq=psycopg.pq.version())',
  'except ImportError:',
  '    pass',
  'print(json.dumps(out))',
].join('\n');

function ask(python: string): Reported {
  return JSON.parse(execFileSync(python, ['-c', ASK], { encoding: 'utf8', timeout: 60_000 })) as Reported;
}

function detectIn(project: string): ProjectVersions {
  mkdirSync(join(project, 'config'), { recursive: true });
  return detectProjectVersions(join(project, 'config'), { workspaceRoot: project, files: diskProjectFiles(), platform: 'linux' });
}

describe('project versions against a real virtual environment (differential)', function () {
  this.timeout(600_000);
  const scratch: string[] = [];
  const tempProject = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-versions-'));
    scratch.push(dir);
    return dir;
  };
  after(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('the system libpq we read is the one Debian\'s psycopg2 loads', () => {
    const reported = ask('/usr/bin/python3');
    const found = detectIn(tempProject());
    assert.deepEqual([found.django, found.driver, found.venv], [undefined, undefined, undefined], 'an empty project has no Django or driver');
    assert.equal(found.libpq?.major, Math.floor(reported.psycopg2Libpq / 10000), `detected ${found.libpq?.source}`);
  });

  it('Django, psycopg and its bundled libpq read from a pip-made venv match what its Python reports', async function () {
    const lts = await djangoLtsPython();
    if (lts.python === undefined) {
      this.test!.title += ` — NOT TESTED: ${lts.reason}`;
      assert.fail(`the differential venv could not be built: ${lts.reason}`);
    }
    const venv = dirname(dirname(lts.python));
    const reported = ask(lts.python);
    const project = tempProject();
    symlinkSync(venv, join(project, '.venv'));
    const found = detectIn(project);
    assert.equal(found.django?.exact, reported.django);
    assert.equal(found.driver?.name, reported.driver);
    assert.equal(found.driver?.version.exact, reported.driver === 'psycopg' ? reported.psycopg : reported.psycopg2);
    const libpq = reported.driver === 'psycopg' ? reported.psycopgLibpq! : reported.psycopg2Libpq;
    assert.equal(found.libpq?.major, Math.floor(libpq / 10000), `detected ${found.libpq?.source}; Python reports ${libpq}`);
  });

  it('with only psycopg2-binary installed, the libpq read from psycopg2_binary.libs matches psycopg2.extensions.libpq_version()', async function () {
    const lts = await djangoLtsPython();
    if (lts.python === undefined) assert.fail(`the differential venv could not be built: ${lts.reason}`);
    const venv = dirname(dirname(lts.python));
    const reported = ask(lts.python);
    // The same installed files, without psycopg 3: a venv view holding Django and psycopg2-binary only.
    const lib = join(venv, 'lib');
    const pythonDir = readdirSync(lib).find((d) => d.startsWith('python'))!;
    const site = join(lib, pythonDir, 'site-packages');
    const project = tempProject();
    const viewSite = join(project, '.venv', 'lib', pythonDir, 'site-packages');
    mkdirSync(viewSite, { recursive: true });
    writeFileSync(join(project, '.venv', 'pyvenv.cfg'), readFileSync(join(venv, 'pyvenv.cfg')));
    for (const entry of readdirSync(site).filter((e) => /^(django|psycopg2)/i.test(e))) symlinkSync(join(site, entry), join(viewSite, entry));
    const found = detectIn(project);
    assert.equal(found.django?.exact, reported.django);
    assert.deepEqual([found.driver?.name, found.driver?.version.exact], ['psycopg2', reported.psycopg2]);
    assert.equal(found.libpq?.major, Math.floor(reported.psycopg2Libpq / 10000), `detected ${found.libpq?.source}`);
    assert.match(found.libpq?.source ?? '', /psycopg2-binary/);
  });
});
