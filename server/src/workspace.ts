// The workspace as the server sees it: which files are settings files, and the environment a settings
// file's lookups resolve in (the process environment, then the project's .env).
import { statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { findDotenv, readDotenv } from './project/dotenv';
import type { LookupEnvironment } from './model/resolved';

export { findSettingsFiles } from './project/settingsDiscovery';

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
