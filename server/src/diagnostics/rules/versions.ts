// Keywords and values newer than the oldest libpq the project supports (djangoPostgres.targetLibpqVersion).
import { findKey, findValue } from '../../features/keys';
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, literalOf, postgresEntries } from './context';

/** DPG205 keyword newer than the target libpq, DPG307 value newer than it. */
export function libpqVersionRules(input: CheckInput): Finding[] {
  const target = input.settings.targetLibpqVersion;
  const out: Finding[] = [];
  for (const { entry } of postgresEntries(contextOf(input), 'options')) {
    const key = findKey('options', entry.key);
    const added = key?.versions?.libpqAdded;
    if (!key) continue;
    if (added !== undefined && added > target) {
      out.push(finding('DPG205', 'warning', `'${entry.key}' needs libpq ${added} or newer; an older libpq (the project targets ${target}) refuses it as an invalid connection option. Check the libpq your psycopg uses, or raise djangoPostgres.targetLibpqVersion.`, entry.keySpan));
      continue;
    }
    const literal = literalOf(entry.value);
    if (literal?.kind !== 'string') continue;
    const items = key.type === 'enumList' ? literal.value.split(',').map((i) => i.replace(/^!/, '')) : [literal.value];
    for (const item of items) {
      const since = findValue(key, item)?.sinceLibpq;
      if (since !== undefined && since > target) {
        out.push(finding('DPG307', 'information', `${entry.key} '${item}' needs libpq ${since} or newer; the project targets libpq ${target}, which refuses it.`, literal.span));
        break;
      }
    }
  }
  return out;
}
