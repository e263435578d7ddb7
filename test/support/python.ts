// Python interpreters with Django for tests, as virtual environments cached under test-output/venvs:
// Debian's python3 with its python3-django (3.2) and python3-psycopg2, and, when pip can serve it,
// Django 5.2 LTS with psycopg 3. Each venv is built in a scratch folder and renamed into place, so a
// half-built one is never used and two test processes cannot trip over each other (cachedBuild.ts).
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cachedBuild } from './cachedBuild';

const run = promisify(execFile);
const venvRoot = resolve(__dirname, '..', '..', '..', 'test-output', 'venvs');

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

/** Builds the venv `name` with `build(dir)` unless a finished one is cached. */
async function cachedVenv(name: string, build: (dir: string) => Promise<void>): Promise<TestPython> {
  const python = await cachedVenvPython(name, build);
  return { python, django: await djangoVersion(python) };
}

/** The interpreter of venv `name`, built with `build(dir)` unless a finished one is cached. */
async function cachedVenvPython(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  return venvPython(await cachedVenvDir(name, build));
}

/** The folder of venv `name`, built with `build(dir)` unless a finished one is cached. */
function cachedVenvDir(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  return cachedBuild(venvRoot, name, build);
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

export interface DotenvOracle {
  python: string;
  /** python-dotenv's version inside it. */
  version: string;
  /** Where it came from: pip's local cache, or Debian's python3-dotenv. */
  origin: string;
}

let dotenvOracle: Promise<DotenvOracle | { python: undefined; reason: string }> | undefined;

/**
 * A Python with the real python-dotenv: a venv with python-dotenv from pip's local cache, else Debian's
 * python3-dotenv under /usr/bin/python3.
 */
export function pythonDotenvOracle(): Promise<DotenvOracle | { python: undefined; reason: string }> {
  const version = async (python: string) =>
    (await run(python, ['-c', 'from importlib.metadata import version; print(version("python-dotenv"))'], { timeout: 30_000 })).stdout.trim();
  dotenvOracle ??= (async () => {
    try {
      const python = await cachedVenvPython('python-dotenv', async (dir) => {
        await run('python3', ['-m', 'venv', dir], { timeout: 120_000 });
        await run(venvPython(dir), ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '--timeout', '5', 'python-dotenv'], { timeout: 300_000 });
      });
      return { python, version: await version(python), origin: "pip's local cache" };
    } catch (pipError) {
      try {
        return { python: '/usr/bin/python3', version: await version('/usr/bin/python3'), origin: "Debian's python3-dotenv" };
      } catch {
        return { python: undefined, reason: `python-dotenv is neither in pip's cache nor installed from Debian: ${String(pipError).split('\n').slice(-2).join(' ')}` };
      }
    }
  })();
  return dotenvOracle;
}

let preCommitVenv: Promise<string[]> | undefined;

/**
 * How to run pre-commit from a venv that pip's cache fills (python3 from PATH): `python -m pre_commit`, since the
 * venv is built elsewhere and moved, which breaks its bin/ scripts. Rejects with pip's words when pip cannot.
 */
export function preCommitCommand(): Promise<string[]> {
  preCommitVenv ??= cachedVenvDir('pre-commit', async (dir) => {
    await run('python3', ['-m', 'venv', dir], { timeout: 120_000 });
    await run(venvPython(dir), ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '--timeout', '5', 'pre-commit'], { timeout: 300_000 });
  }).then((dir) => [venvPython(dir), '-m', 'pre_commit']);
  return preCommitVenv;
}
