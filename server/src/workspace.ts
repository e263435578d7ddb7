// The workspace as the server sees it: which files are settings files, and the environment a settings
// file's lookups resolve in (the process environment, then the project's .env).
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { lookupEnvironmentOf, type PythonFiles } from './project/projectDotenv';
import type { LookupEnvironment } from './model/resolved';
import type { SettingsLoader } from './model/resolve';
import { isSettingsFileName } from './settings';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'site-packages', '.tox', 'dist', 'build', '.mypy_cache']);
const MAX_DEPTH = 6;

/** Settings files that define DATABASES, shallowest first (config/settings.py before deeper copies). */
export function findSettingsFiles(roots: readonly string[], globs: readonly string[], loader: SettingsLoader): string[] {
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
      if (entry.isDirectory() && depth < MAX_DEPTH && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) visit(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.py') && isSettingsFileName(path, globs) && loader.load(path)?.hasDatabases) found.push(path);
    }
  };
  for (const root of roots) visit(root, 0);
  return found.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/**
 * The environment a settings file's lookups resolve in: the server's process environment and the .env
 * files the project loads (projectDotenv: the settings' own load_dotenv / read_env / decouple calls, or
 * the nearest .env). Hover and diagnostics ask on every request; the settings' loads are parsed again
 * only when their text changed, and the .env is read fresh, so a value written a moment ago is seen.
 */
export function lookupEnvironmentFor(file: string | undefined, workspaceFolders: readonly string[], python?: PythonFiles): LookupEnvironment {
  if (!file) return { process: process.env, dotenv: {} };
  const root = workspaceFolders.find((folder) => !relative(folder, file).startsWith('..'));
  return lookupEnvironmentOf(file, { workspaceRoot: root ?? dirname(dirname(file)), environ: process.env, python });
}
