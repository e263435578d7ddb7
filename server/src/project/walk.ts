// Walks the workspace folders for files, skipping virtual environments, caches and VCS folders.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'site-packages', '.tox', 'dist', 'build', '.mypy_cache']);

/** Every file under the roots, down to `maxDepth` folders, for which `accept(path, name)` holds. */
export function walkFiles(roots: readonly string[], maxDepth: number, accept: (path: string, name: string) => boolean, skipped: ReadonlySet<string> = SKIPPED_DIRS): string[] {
  const found: string[] = [];
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
        if (depth < maxDepth && !skipped.has(entry.name) && !entry.name.startsWith('.')) visit(path, depth + 1);
      } else if (entry.isFile() && accept(path, entry.name)) found.push(path);
    }
  };
  for (const root of roots) visit(root, 0);
  return found;
}
