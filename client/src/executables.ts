// Programs the commands start (psql, uv), looked up on VS Code's PATH and where installers put them
// (VS Code started from a desktop often lacks the login shell's PATH).
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

/** Where installers put psql and uv when VS Code's PATH misses them. */
const WELL_KNOWN_DIRS = process.platform === 'darwin'
  ? ['/opt/homebrew/opt/libpq/bin', '/usr/local/opt/libpq/bin', '/opt/homebrew/bin', '/usr/local/bin', '/Applications/Postgres.app/Contents/Versions/latest/bin', path.join(process.env.HOME ?? '', '.local', 'bin'), path.join(process.env.HOME ?? '', '.cargo', 'bin')]
  : process.platform === 'win32' ? [] : ['/usr/bin', '/usr/local/bin', path.join(process.env.HOME ?? '', '.local', 'bin'), path.join(process.env.HOME ?? '', '.cargo', 'bin')];

export function findExecutable(name: string, searchPath = process.env.PATH ?? '', extraDirs = WELL_KNOWN_DIRS): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of [...searchPath.split(path.delimiter), ...extraDirs]) {
    if (!dir) continue;
    for (const candidate of names.map((n) => path.join(dir, n))) {
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

