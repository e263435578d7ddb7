// Walks the workspace folders for files, skipping virtual environments, caches and VCS folders.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'site-packages', '.tox', 'dist', 'build', '.mypy_cache']);

/**
 * Visits the roots down to `maxDepth` folders (skipping environments, caches and hidden folders):
 * `onFolder` sees every folder walked into, `onFile` every file.
 */
export function walkTree(
  roots: readonly string[], maxDepth: number, onFile: (path: string, name: string) => void,
  onFolder: (path: string, name: string) => void = () => undefined, skipped: ReadonlySet<string> = SKIPPED_DIRS,
): void {
  const visit = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && !skipped.has(entry.name) && !entry.name.startsWith('.')) {
          onFolder(path, entry.name);
          visit(path, depth + 1);
        }
      } else if (entry.isFile()) onFile(path, entry.name);
    }
  };
  for (const root of roots) visit(root, 0);
}

/** Every file under the roots, down to `maxDepth` folders, for which `accept(path, name)` holds. */
export function walkFiles(roots: readonly string[], maxDepth: number, accept: (path: string, name: string) => boolean, skipped: ReadonlySet<string> = SKIPPED_DIRS): string[] {
  const found: string[] = [];
  walkTree(roots, maxDepth, (path, name) => {
    if (accept(path, name)) found.push(path);
  }, undefined, skipped);
  return found;
}
