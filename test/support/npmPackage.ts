// The npm package as a user gets it: `npm pack` of this repository, then `npm install -g` of the tarball into
// a throw-away prefix. Done once per test process; the bundles must be built first (run-tests builds them).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface InstalledPackage {
  tarball: string;
  /** The install prefix; its bin/ holds the two commands. */
  prefix: string;
  cli: string;
  languageServer: string;
}

let installed: Promise<InstalledPackage> | undefined;

export function installedPackage(): Promise<InstalledPackage> {
  installed ??= (async () => {
    const work = mkdtempSync(join(tmpdir(), 'dpg-npm-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, timeout: 120_000 });
    const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
    const tarball = join(work, filename);
    const prefix = join(work, 'prefix');
    // The package's own dependencies come from npm's cache (filled by npm ci); its bins need none of them.
    await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { timeout: 300_000 });
    const bin = (name: string) => {
      const path = join(prefix, 'bin', name);
      if (!existsSync(path)) throw new Error(`npm install of ${filename} did not install the ${name} command`);
      return path;
    };
    return { tarball, prefix, cli: bin('django-postgres'), languageServer: bin('django-postgres-language-server') };
  })();
  return installed;
}
