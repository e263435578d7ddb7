// The package's version, from its package.json at run time: the bundles sit in dist/ one level below it (in the
// repository, the npm package and the .vsix alike). Not an import: the type-checked build must not copy
// package.json into out/, where tools that look for the repository root would take out/ for it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached === undefined) {
    cached = 'unknown';
    for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === 'django-postgres' && version) {
        cached = version;
        break;
      }
    }
  }
  return cached;
}
