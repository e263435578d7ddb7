// The workspace as the server sees it: which files are settings files, and the environment a settings
// file's lookups resolve in (the process environment, then the project's .env).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findDotenv, readDotenv } from './project/dotenv';
import type { LookupEnvironment } from './model/resolved';
import type { SettingsLoader } from './model/resolve';
import { isSettingsFileName } from './settings';

/** Folders never searched for project files (environments, caches, build output). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'site-packages', '.tox', 'dist', 'build', '.mypy_cache']);
const MAX_DEPTH = 6;

/**
 * Walks the project folders (skipping environments, caches and hidden folders, MAX_DEPTH deep):
 * `onFolder` sees every folder walked into, `onFile` every file.
 */
export function walkWorkspace(roots: readonly string[], onFile: (path: string, name: string) => void, onFolder: (path: string, name: string) => void = () => undefined): void {
  const visit = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) {
        onFolder(path, entry.name);
        visit(path, depth + 1);
      } else if (entry.isFile()) onFile(path, entry.name);
    }
  };
  for (const root of roots) visit(root, 0);
}

/** Settings files that define DATABASES, shallowest first (config/settings.py before deeper copies). */
export function findSettingsFiles(roots: readonly string[], globs: readonly string[], loader: SettingsLoader): string[] {
  const found: string[] = [];
  walkWorkspace(roots, (path, name) => {
    if (name.endsWith('.py') && isSettingsFileName(path, globs) && loader.load(path)?.hasDatabases) found.push(path);
  });
  return found.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/**
 * Hover and diagnostics ask on every request: the .env is parsed again only when it changed (its
 * modification time or size), so a value written a moment ago by a command is seen at once.
 */
const parsedDotenv = new Map<string, { stamp: string; values: Record<string, string> }>();

export function lookupEnvironmentFor(file: string | undefined, workspaceFolders: readonly string[]): LookupEnvironment {
  if (!file) return { process: process.env, dotenv: {} };
  const root = workspaceFolders.find((folder) => !relative(folder, file).startsWith('..'));
  const dotenvFile = findDotenv(file, root ?? dirname(dirname(file)));
  return { process: process.env, dotenv: (dotenvFile && dotenvValues(dotenvFile)) || {}, dotenvFile };
}

function dotenvValues(file: string): Record<string, string> | undefined {
  let stamp: string;
  try {
    const stat = statSync(file);
    stamp = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
  const cached = parsedDotenv.get(file);
  if (cached?.stamp === stamp) return cached.values;
  const values = readDotenv(file);
  if (values) parsedDotenv.set(file, { stamp, values });
  return values;
}
