// The password file (fe-connect.c passwordFromFile, pwdfMatchesString, pgpassfileWarning):
// passfile > PGPASSFILE > ~/.pgpass; read only when no password was given; ignored when group/world may read it.
// https://www.postgresql.org/docs/current/libpq-pgpass.html
import { join } from 'node:path';
import type { LibpqSystem, ResolvedConninfo } from './conninfo';
import { get } from './conninfo';

export interface PassfileLookup {
  file: string;
  /** The password found, if any. */
  password?: string;
  /** Why the file was not used (libpq prints this as a warning on stderr). */
  ignored?: string;
}

/** The password file libpq would read for these options. */
export function passfilePath(c: ResolvedConninfo, system: LibpqSystem): string {
  return get(c, 'passfile') || join(system.home, '.pgpass');
}

/** Split one line into its fields: `\` escapes, `:` separates; the password ends at the first unescaped `:`. */
function fieldsOf(line: string): string[] {
  const fields: string[] = [''];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
    else if (ch === ':') {
      if (fields.length === 5) break;
      fields.push('');
    } else fields[fields.length - 1] += ch;
  }
  return fields;
}

/** Look up host slot (host, hostaddr, port) with the user and dbname the way libpq does. */
export function lookupPassword(c: ResolvedConninfo, system: LibpqSystem, slot: { host: string; hostaddr?: string; port: string }): PassfileLookup {
  const file = passfilePath(c, system);
  const user = get(c, 'user');
  const dbname = get(c, 'dbname');
  if (!user || !dbname) return { file };
  const stat = system.stat(file);
  if (!stat) return { file };
  if (!stat.isFile) return { file, ignored: `password file "${file}" is not a plain file` };
  if ((stat.mode & 0o077) !== 0) return { file, ignored: `password file "${file}" has group or world access; permissions should be u=rw (0600) or less` };
  const text = system.readFile(file);
  if (text === undefined) return { file };
  const socketDir = system.socketDir ?? '/var/run/postgresql';
  const hostKey = slot.host !== '' ? slot.host : slot.hostaddr ?? 'localhost';
  const hostMatches = (field: string) => field === '*' || field === hostKey || (field === 'localhost' && (slot.host === '' && !slot.hostaddr || slot.host === socketDir));
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const fields = fieldsOf(line);
    if (fields.length < 5) continue;
    const [host, port, database, username, password] = fields;
    if (hostMatches(host) && [port === slot.port, database === dbname, username === user].every((ok, i) => ok || [port, database, username][i] === '*')) {
      return { file, password };
    }
  }
  return { file };
}
