// The workspace as the server sees it: which files are settings files, and the environment a settings
// file's lookups resolve in (the process environment, then the project's .env).
import { statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { lookupEnvironmentOf, type PythonFiles } from './project/projectDotenv';
import { detectProjectVersions, diskProjectFiles, type ProjectVersions } from './project/projectVersions';
import type { LookupEnvironment } from './model/resolved';

export { findSettingsFiles } from './project/settingsDiscovery';

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

/**
 * The Django, driver and libpq of the project holding `file`, detected once and kept until one of the
 * files or folders the detection read changes (checked at most every two seconds), so a `pip install`
 * or an edited lock file is seen without a restart and typing never waits on the disk.
 */
const detectedVersions = new Map<string, { versions: ProjectVersions; read: string[]; stamp: string; checkedAt: number }>();
const RECHECK_MS = 2000;

export function projectVersionsFor(file: string | undefined, workspaceFolders: readonly string[], pythonCommand?: string): ProjectVersions | undefined {
  if (!file) return undefined;
  const root = workspaceFolders.find((folder) => !relative(folder, file).startsWith('..'));
  const startDir = dirname(file);
  const key = `${root ?? ''}\0${startDir}\0${pythonCommand ?? ''}`;
  const cached = detectedVersions.get(key);
  const now = Date.now();
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.versions;
  if (cached && stampOf(cached.read) === cached.stamp) {
    cached.checkedAt = now;
    return cached.versions;
  }
  const read: string[] = [];
  const files = diskProjectFiles((path) => read.push(path));
  const versions = detectProjectVersions(startDir, { workspaceRoot: root, files, pythonCommand });
  detectedVersions.set(key, { versions, read, stamp: stampOf(read), checkedAt: now });
  return versions;
}

function stampOf(paths: readonly string[]): string {
  return paths.map((path) => {
    try {
      const stat = statSync(path);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return '-';
    }
  }).join('|');
}
