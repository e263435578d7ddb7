// Whether a PostgreSQL server is new enough for the project's Django. Test Connection reads the server's
// server_version_num; this says what Django will do with it. Plain data in, plain words out.
import { currentDjangoLts, djangoChecksServerVersionSince, djangoMinimumPostgres } from '../catalog/versions';
import { compareVersions, describeVersion, minorOf, type ProjectVersions } from './projectVersions';

export interface ServerSupport {
  /** The oldest PostgreSQL major this Django supports. */
  minimum: number;
  /** The server's version as PostgreSQL prints it, e.g. "12.4" or "9.6.24". */
  server: string;
  message: string;
  /** Django itself refuses the server when it connects (4.1+ checks the version). */
  refusedByDjango: boolean;
  /** No Django was found in the project: the current LTS was assumed. */
  assumed?: boolean;
}

/** "15.18" from 150018, "9.6.24" from 90624. */
export function formatServerVersion(serverVersionNum: number): string {
  if (serverVersionNum >= 100000) return `${Math.floor(serverVersionNum / 10000)}.${serverVersionNum % 10000}`;
  return `${Math.floor(serverVersionNum / 10000)}.${Math.floor(serverVersionNum / 100) % 100}.${serverVersionNum % 100}`;
}

/** The oldest PostgreSQL major a Django release supports; undefined for releases older than our table. */
export function minimumPostgresFor(django: string): number | undefined {
  return djangoMinimumPostgres.find((entry) => compareVersions(minorOf(django), entry.django) >= 0)?.postgres;
}

/**
 * When the server (its `server_version_num`) is older than `django` supports, what happens; undefined
 * when it is supported or the Django release is older than the versions we know.
 */
export function serverTooOldForDjango(serverVersionNum: number, django: string): ServerSupport | undefined {
  const minimum = minimumPostgresFor(django);
  if (minimum === undefined || serverVersionNum >= minimum * 10000) return undefined;
  const server = formatServerVersion(serverVersionNum);
  const refusedByDjango = compareVersions(django, djangoChecksServerVersionSince) >= 0;
  const consequence = refusedByDjango
    // Django prints divmod(server_version, 10000), which differs from `server` only before PostgreSQL 10.
    ? `Django refuses it when it connects: "PostgreSQL ${minimum} or later is required (found ${Math.floor(serverVersionNum / 10000)}.${serverVersionNum % 10000})."`
    : 'this Django does not check the version, so expect failures in queries and migrations rather than a clear error.';
  return { minimum, server, refusedByDjango, message: `PostgreSQL ${server} is older than Django ${minorOf(django)} supports (PostgreSQL ${minimum} or later): ${consequence}` };
}

/**
 * The same for the project's Django as detected: its exact version, else the oldest its pins allow (so
 * we only speak when even that one refuses the server), else the current LTS, saying it was assumed.
 */
export function serverTooOldForProject(serverVersionNum: number, project: ProjectVersions | undefined): ServerSupport | undefined {
  const fact = project?.django;
  const django = fact ? (fact.exact ?? fact.min) : currentDjangoLts;
  if (!django) return undefined;
  const support = serverTooOldForDjango(serverVersionNum, django);
  if (!support) return undefined;
  if (!fact) return { ...support, assumed: true, message: `${support.message} (No Django version was found in the project, so Django ${currentDjangoLts}, the current LTS, is assumed.)` };
  return { ...support, message: `${support.message} (Django ${describeVersion(fact)} ${fact.source}.)` };
}
