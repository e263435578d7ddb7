// Keys and values the project's libpq, Django or driver does not know. The versions come from
// djangoPostgres.targetLibpqVersion when set, else from the project (virtual environment, pins); where
// none is known we say so as information instead of warning on a guess.
import { psycopg2Handling } from '../../catalog/versions';
import { findKey, findValue } from '../../features/keys';
import { allOlderThan, describeVersion, type ProjectVersions } from '../../project/projectVersions';
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, literalOf, postgresEntries } from './context';

interface LibpqTarget {
  major: number;
  /** Why we believe it, for the message. */
  why: string;
}

function libpqTarget(input: CheckInput): LibpqTarget | undefined {
  const configured = input.settings.targetLibpqVersion;
  if (configured !== undefined && Number.isInteger(configured)) return { major: configured, why: `djangoPostgres.targetLibpqVersion is ${configured}` };
  const found = input.versions?.libpq;
  return found ? { major: found.major, why: `the project's libpq is ${found.major} (${found.source})` } : undefined;
}

function unknownLibpq(project: ProjectVersions | undefined): string {
  const looked = project?.searched.length ? `looked in ${project.searched.slice(0, 3).join(', ')}${project.searched.length > 3 ? ', …' : ''}` : 'no virtual environment, lock file or system libpq';
  return `No libpq version was found for this project (${looked}), so this assumes yours has it: recent psycopg binary wheels bundle libpq 17 or 18, but a system libpq or an older wheel may not. Set djangoPostgres.targetLibpqVersion to check.`;
}

/** DPG205 keyword newer than the target libpq, DPG307 value newer than it. */
export function libpqVersionRules(input: CheckInput): Finding[] {
  const target = libpqTarget(input);
  const out: Finding[] = [];
  for (const { entry } of postgresEntries(contextOf(input), 'options')) {
    const key = findKey('options', entry.key);
    const added = key?.versions?.libpqAdded;
    if (!key) continue;
    if (added !== undefined && (!target || added > target.major)) {
      out.push(target
        ? finding('DPG205', 'warning', `'${entry.key}' needs libpq ${added} or newer, and ${target.why}: that libpq refuses it as an invalid connection option. Use a psycopg built with a newer libpq, or remove the keyword.`, entry.keySpan)
        : finding('DPG205', 'information', `'${entry.key}' needs libpq ${added} or newer. ${unknownLibpq(input.versions)}`, entry.keySpan));
      continue;
    }
    const literal = literalOf(entry.value);
    if (literal?.kind !== 'string') continue;
    const items = key.type === 'enumList' ? literal.value.split(',').map((i) => i.replace(/^!/, '')) : [literal.value];
    for (const item of items) {
      const since = findValue(key, item)?.sinceLibpq;
      if (since !== undefined && (!target || since > target.major)) {
        out.push(finding('DPG307', 'information', target
          ? `${entry.key} '${item}' needs libpq ${since} or newer, and ${target.why}: that libpq refuses it.`
          : `${entry.key} '${item}' needs libpq ${since} or newer. ${unknownLibpq(input.versions)}`, literal.span));
        break;
      }
    }
  }
  return out;
}

/**
 * DPG220 OPTIONS key newer than the project's Django (it reaches the driver and fails), DPG221 a
 * psycopg-3-only key the project's psycopg2 refuses, DPG320 a key the project's versions ignore.
 */
export function projectVersionRules(input: CheckInput): Finding[] {
  const django = input.versions?.django;
  const driver = input.versions?.driver;
  const out: Finding[] = [];
  const context = contextOf(input);
  const djangoText = django && `the project's Django is ${describeVersion(django)} (${django.source})`;
  for (const { entry } of postgresEntries(context, 'options')) {
    const added = findKey('options', entry.key)?.versions?.djangoAdded;
    if (added && allOlderThan(django, added)) {
      const receiver = driver?.name ?? 'the driver';
      out.push(finding('DPG220', 'warning', `OPTIONS '${entry.key}' needs Django ${added} or newer, and ${djangoText}: it does not know the key and hands it to ${receiver}, which fails at connect with invalid connection option "${entry.key}". Upgrade Django or remove the key.`, entry.keySpan));
      continue;
    }
    const handling = driver?.name === 'psycopg2' ? psycopg2Handling[entry.key] : undefined;
    if (!handling) continue;
    const message = `OPTIONS '${entry.key}' is for psycopg 3, and the project's driver is psycopg2 ${describeVersion(driver!.version)} (${driver!.version.source}): ${handling.effect}.`;
    out.push(handling.outcome === 'refused'
      ? finding('DPG221', 'warning', `${message} Install psycopg 3 (Django imports it before psycopg2) or remove the key.`, entry.keySpan)
      : finding('DPG320', 'information', message, entry.keySpan));
  }
  // Pool arguments Django passes itself until a later release lets the dict set them (check: 6.1).
  for (const { entry } of postgresEntries(context, 'pool')) {
    const added = findKey('pool', entry.key)?.versions?.djangoAdded;
    if (added && allOlderThan(django, added)) {
      out.push(finding('DPG220', 'warning', `pool '${entry.key}' needs Django ${added} or newer, and ${djangoText}: that Django passes its own '${entry.key}' to ConnectionPool, so creating the pool fails with "got multiple values for keyword argument '${entry.key}'". Use CONN_HEALTH_CHECKS = True instead, or upgrade Django.`, entry.keySpan));
    }
  }
  for (const role of ['entry', 'test'] as const) {
    for (const { entry } of postgresEntries(context, role)) {
      const added = findKey(role, entry.key)?.versions?.djangoAdded;
      if (added && allOlderThan(django, added)) {
        const where = role === 'test' ? `TEST '${entry.key}'` : entry.key;
        out.push(finding('DPG320', 'information', `${where} needs Django ${added} or newer, and ${djangoText}, which silently ignores it.`, entry.keySpan));
      }
    }
  }
  return out;
}
