// Version facts the project detection and the version rules read: which PostgreSQL each Django needs,
// which libpq the psycopg binary wheels bundle, what psycopg2 does with psycopg-3-only OPTIONS. Data only.
// Sources: /shared/reference/django-databases-keys.md §1 and §6, postgres-options-keys.md §B, psycopg's
// release notes (docs/news.rst) and wheels installed from pip's cache here.

/** The Django LTS assumed when a project's Django version cannot be found. */
export const currentDjangoLts = '5.2';

/**
 * The oldest PostgreSQL server each Django accepts (it raises NotSupportedError
 * "PostgreSQL <min> or later is required (found <x.y>)." since 4.1). Newest first.
 */
export const djangoMinimumPostgres: { django: string; postgres: number }[] = [
  { django: '6.1', postgres: 15 },
  { django: '6.0', postgres: 14 },
  { django: '5.2', postgres: 14 },
  { django: '5.1', postgres: 13 },
  { django: '5.0', postgres: 12 },
  { django: '4.2', postgres: 12 },
  { django: '4.1', postgres: 11 },
  { django: '4.0', postgres: 10 },
];

/** The first Django release whose PostgreSQL backend checks the server version when it connects. */
export const djangoChecksServerVersionSince = '4.1';

export interface BundledLibpq {
  /** The pip package (normalized name). */
  package: 'psycopg-binary' | 'psycopg2-binary';
  /** First release of the package with this libpq (inclusive); the entry holds until the next one. */
  from: string;
  /** libpq major version in the Linux and macOS wheels. */
  libpq: number;
  /** libpq major version in the Windows wheels, where it differs; undefined = not known. */
  windowsLibpq?: number;
  evidence: string;
}

/**
 * The libpq bundled in the binary wheels, by release. Only releases with evidence are listed; a pinned
 * release older than the first entry tells nothing about libpq.
 */
export const bundledLibpq: BundledLibpq[] = [
  { package: 'psycopg-binary', from: '3.1.4', libpq: 15, evidence: 'psycopg 3.1.4 release notes: binary packages built with libpq from PostgreSQL 15.0' },
  { package: 'psycopg-binary', from: '3.2.0', libpq: 16, evidence: 'psycopg issue #852: the 3.2 binary packages wrap libpq 16' },
  { package: 'psycopg-binary', from: '3.2.3', libpq: 17, evidence: 'psycopg 3.2.3 release notes: binary packages include the PostgreSQL 17 libpq' },
  { package: 'psycopg-binary', from: '3.2.4', libpq: 17, windowsLibpq: 16, evidence: 'psycopg 3.2.4 release notes: libpq 17.2 on Linux and macOS, 16.4 on Windows' },
  { package: 'psycopg-binary', from: '3.3.6', libpq: 18, evidence: 'psycopg-binary 3.3.6 installed here: psycopg.pq.version() reports libpq 18' },
  { package: 'psycopg2-binary', from: '2.9.13', libpq: 17, evidence: 'psycopg2-binary 2.9.13 installed here: psycopg2.__libpq_version__ reports libpq 17' },
];

/** What happens to an OPTIONS key that only psycopg 3 understands when Django runs on psycopg2. */
export const psycopg2Handling: Record<string, { outcome: 'refused' | 'ignored'; effect: string }> = {
  pool: { outcome: 'refused', effect: 'Django refuses to connect: "Database pooling requires psycopg >= 3"' },
  prepare_threshold: { outcome: 'refused', effect: 'psycopg2 fails at connect with "invalid dsn: invalid connection option "prepare_threshold""' },
  server_side_binding: { outcome: 'ignored', effect: 'Django removes the key and psycopg2 has no server-side binding, so it does nothing' },
};
