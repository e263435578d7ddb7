// The connection service file (fe-connect.c parseServiceInfo / parseServiceFile):
// PGSERVICEFILE (must exist), else ~/.pg_service.conf, then PGSYSCONFDIR/pg_service.conf; the first file holding
// the section is used alone. https://www.postgresql.org/docs/current/libpq-pgservice.html
import { join } from 'node:path';
import type { ConninfoError, LibpqSystem } from './conninfo';

export interface ServiceSection {
  file: string;
  values: Record<string, string>;
  /** Line of each key, for libpq's error texts. */
  lines: Record<string, number>;
}

/** The section `[name]` of a service file, libpq's syntax error, or undefined when the file lacks it. */
export function parseServiceFile(text: string, file: string, name: string): ServiceSection | ConninfoError | undefined {
  let inSection = false;
  let found: ServiceSection | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].replace(/\r$/, '').trim();
    const number = index + 1;
    if (line.length >= 1023) return { error: `line ${number} too long in service file "${file}"` };
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (found) return found;
      inSection = line.slice(1, line.indexOf(']') < 0 ? undefined : line.indexOf(']')) === name;
      if (inSection) found = { file, values: {}, lines: {} };
      continue;
    }
    if (!inSection || !found) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `syntax error in service file "${file}", line ${number}` };
    const key = line.slice(0, eq);
    if (!(key in found.values)) {
      found.values[key] = line.slice(eq + 1);
      found.lines[key] = number;
    }
  }
  return found;
}

/** Find the service the way libpq searches for it. */
export function findService(name: string, system: LibpqSystem): ServiceSection | ConninfoError {
  const explicit = system.env.PGSERVICEFILE;
  const candidates: string[] = [];
  if (explicit !== undefined) {
    if (system.readFile(explicit) === undefined) return { error: `service file "${explicit}" not found` };
    candidates.push(explicit);
  } else {
    candidates.push(join(system.home, '.pg_service.conf'));
  }
  candidates.push(join(system.env.PGSYSCONFDIR ?? system.sysconfdir ?? '/etc/postgresql-common', 'pg_service.conf'));
  for (const file of candidates) {
    const text = system.readFile(file);
    if (text === undefined) continue;
    const section = parseServiceFile(text, file, name);
    if (section) return section;
  }
  return { error: `definition of service "${name}" not found` };
}
