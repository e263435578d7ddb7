// Python interpreters with Django for tests, as virtual environments cached under test-output/venvs:
// Debian's python3 with its python3-django (3.2) and python3-psycopg2, and, when pip can serve it,
// Django 5.2 LTS with psycopg 3. Each venv is built in a scratch folder and renamed into place, so a
// half-built one is never used and two test processes cannot trip over each other.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const venvRoot = resolve(__dirname, '..', '..', '..', 'test-output', 'venvs');
const READY_MARKER = 'django-postgres-ready';

export interface TestPython {
  python: string;
  /** django.__version__ inside it. */
  django: string;
}

export type TestPythonOrReason = TestPython | { python: undefined; reason: string };

function venvPython(dir: string): string {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

async function djangoVersion(python: string): Promise<string> {
  const { stdout } = await run(python, ['-c', 'import django; print(django.__version__)'], { timeout: 30_000 });
  return stdout.trim();
}

/** Builds the venv `name` with `build(dir)` unless a finished one is cached; returns its folder. */
async function venvDir(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(venvRoot, name);
  if (!existsSync(join(dir, READY_MARKER))) {
    mkdirSync(venvRoot, { recursive: true });
    const scratch = mkdtempSync(join(venvRoot, `.building-${name}-`));
    try {
      await build(scratch);
      writeFileSync(join(scratch, READY_MARKER), '');
      rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(scratch, dir);
      } catch (error) {
        // Another process finished the same venv first: use theirs.
        if (!existsSync(join(dir, READY_MARKER))) throw error;
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return dir;
}

/** A venv with Django in it, and Django's version. */
async function cachedVenv(name: string, build: (dir: string) => Promise<void>): Promise<TestPython> {
  const python = venvPython(await venvDir(name, build));
  return { python, django: await djangoVersion(python) };
}

let debian: Promise<TestPython> | undefined;

/** Debian's /usr/bin/python3 in a venv that sees the system's python3-django and python3-psycopg2. */
export function debianPython(): Promise<TestPython> {
  debian ??= cachedVenv('debian', async (dir) => {
    await run('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '--without-pip', dir], { timeout: 120_000 });
    await run(venvPython(dir), ['-c', 'import django, psycopg2'], { timeout: 30_000 });
  });
  return debian;
}

export const DJANGO_LTS_REQUIREMENTS = ['django>=5.2,<5.3', 'psycopg', 'psycopg-binary', 'psycopg2-binary'];

let lts: Promise<TestPythonOrReason> | undefined;

/** `python3` from PATH in a venv with Django 5.2 and psycopg 3, or the reason pip could not provide them. */
export function djangoLtsPython(): Promise<TestPythonOrReason> {
  lts ??= cachedVenv('django52', async (dir) => {
    await run('python3', ['-m', 'venv', dir], { timeout: 120_000 });
    await run(venvPython(dir), ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '--timeout', '5',
      ...DJANGO_LTS_REQUIREMENTS], { timeout: 300_000 });
  }).catch((error: unknown): TestPythonOrReason => {
    const detail = error instanceof Error ? ((error as { stderr?: string }).stderr || error.message) : String(error);
    const lastLines = detail.trim().split('\n').slice(-3).join(' / ');
    return { python: undefined, reason: `no venv with ${DJANGO_LTS_REQUIREMENTS.join(" ")} (python3 -m venv + pip install failed): ${lastLines}` };
  });
  return lts;
}

let preCommitVenv: Promise<string[]> | undefined;

/**
 * How to run pre-commit from a venv that pip's cache fills (python3 from PATH): `python -m pre_commit`, since the
 * venv is built elsewhere and moved, which breaks its bin/ scripts. Rejects with pip's words when pip cannot.
 */
export function preCommitCommand(): Promise<string[]> {
  preCommitVenv ??= venvDir('pre-commit', async (dir) => {
    await run('python3', ['-m', 'venv', dir], { timeout: 120_000 });
    await run(venvPython(dir), ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '--timeout', '5', 'pre-commit'], { timeout: 300_000 });
  }).then((dir) => [venvPython(dir), '-m', 'pre_commit']);
  return preCommitVenv;
}
