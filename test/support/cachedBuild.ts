// A folder built once and reused by later test runs (venvs, PostgreSQL binaries): built in a scratch folder
// and renamed into place with a marker, so a half-built one is never used and two test processes cannot
// trip over each other.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const READY_MARKER = 'django-postgres-ready';

/** `root`/`name`, built with `build(scratchDir)` unless a finished one is there; `mode` for the folder (mkdtemp gives 0700). */
export async function cachedBuild(root: string, name: string, build: (dir: string) => Promise<void>, mode?: number): Promise<string> {
  const dir = join(root, name);
  if (existsSync(join(dir, READY_MARKER))) return dir;
  mkdirSync(root, { recursive: true });
  const scratch = mkdtempSync(join(root, `.building-${name}-`));
  if (mode !== undefined) chmodSync(scratch, mode);
  try {
    await build(scratch);
    writeFileSync(join(scratch, READY_MARKER), '');
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(scratch, dir);
    } catch (error) {
      // Another process finished the same folder first: use theirs.
      if (!existsSync(join(dir, READY_MARKER))) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}
