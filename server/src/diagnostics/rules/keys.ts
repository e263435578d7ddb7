// Key names: unknown or misspelt keys, keys of other backends, keys Django overrides, removed and legacy keys.
import { foreignOptionKeys, reservedPoolKeys } from '../../catalog/djangoOptions';
import { findKey, findServerSetting, keysFor } from '../../features/keys';
import type { DictEntry } from '../../model/types';
import type { CheckInput, Finding } from '../types';
import { didYouMean, suggest } from '../suggest';
import { contextOf, finding, literalOf, postgresEntries, removeItemFix, renameKeyFix, textOf, type CheckedEntry } from './context';
import { moveToOptionsStringFix } from './optionsString';

const namesOf = (role: 'entry' | 'test' | 'options' | 'pool') => keysFor(role).filter((k) => !k.hidden).map((k) => k.name);
const visible = { entry: namesOf('entry'), test: namesOf('test'), options: namesOf('options'), pool: namesOf('pool') };
const visibleNames = (role: keyof typeof visible): string[] => visible[role];
const foreignByName = new Map(foreignOptionKeys.map((k) => [k.name, k]));

/** DPG201 unknown DATABASES/TEST key, DPG202 another backend's TEST key. */
export function unknownDatabaseKeys(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const checked of contextOf(input).entries) {
    if (checked.engine === 'other' || (checked.role !== 'entry' && checked.role !== 'test')) continue;
    const { entry, role } = checked;
    const known = findKey(role, entry.key);
    if (known && !known.hidden) continue;
    if (known?.hidden) {
      out.push(finding('DPG202', 'warning', `TEST '${entry.key}' is only used by the Oracle backend; PostgreSQL ignores it. Remove it.`, entry.keySpan, { tags: ['unnecessary'], fixes: optional(removeItemFix(input.src.text, entry, `Remove '${entry.key}'`)) }));
      continue;
    }
    const suggestion = suggest(entry.key, visibleNames(role));
    // Third-party engines read keys of their own (POOL_OPTIONS…): only typos of Django's keys are worth a word.
    const thirdParty = checked.engine === 'postgres-wrapper' || (checked.engine === 'unknown' && checked.engineName !== undefined);
    if (thirdParty && !suggestion) continue;
    const where = role === 'test' ? 'TEST' : 'DATABASES entry';
    const nestedAlias = role === 'entry' && entry.value.kind === 'dict' && entry.value.dict.entries.some((e) => e.key === 'ENGINE' || e.key === 'NAME');
    const hint = nestedAlias ? ` It looks like a database alias nested inside '${checked.alias}' by mistake: move it up into DATABASES.` : didYouMean(suggestion);
    out.push(finding('DPG201', 'warning', `Unknown ${where} key '${entry.key}': Django ignores it.${hint}`, entry.keySpan, { fixes: suggestion ? [renameKeyFix(entry, suggestion)] : undefined }));
  }
  return out;
}

/** DPG101 unknown libpq keyword, DPG112 other backends' keys, DPG113 `database`, DPG114 server setting, DPG115 removed keyword. */
export function unknownOptionKeys(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const checked of postgresEntries(contextOf(input), 'options')) {
    const { entry } = checked;
    const known = findKey('options', entry.key);
    if (known?.versions?.libpqRemoved !== undefined) {
      out.push(finding('DPG115', 'error', `'${entry.key}' was removed from libpq ${known.versions.libpqRemoved}; current libpq refuses it as an invalid connection option. Remove it.`, entry.keySpan, { tags: ['deprecated'], fixes: optional(removeItemFix(input.src.text, entry, `Remove '${entry.key}'`)) }));
      continue;
    }
    if (known) continue;
    const foreign = foreignByName.get(entry.key);
    if (entry.key === 'database') {
      out.push(finding('DPG113', 'error', "OPTIONS 'database' clashes with the dbname Django sets from NAME (psycopg2: \"you can't specify both 'database' and 'dbname'\"; psycopg 3: invalid connection option). Put the database name in NAME.", entry.keySpan, { fixes: optional(removeItemFix(input.src.text, entry, "Remove 'database'")) }));
    } else if (foreign) {
      if (checked.engine === 'postgres-wrapper' && checked.engineName && foreign.backend.includes('geventpool') && checked.engineName.includes('geventpool')) continue;
      out.push(finding('DPG112', 'error', `'${entry.key}' is an OPTIONS key of ${foreign.backend}, not of PostgreSQL: libpq refuses it as an invalid connection option. ${foreign.doc}`, entry.keySpan));
    } else if (findServerSetting(entry.key)) {
      const setting = findServerSetting(entry.key)!;
      out.push(finding('DPG114', 'error', `'${entry.key}' is a server setting, not a libpq connection option (libpq refuses it). Put it in the 'options' string: '-c ${setting.name}=…'.`, entry.keySpan, { fixes: optional(moveToOptionsStringFix(input, checked, setting.name)) }));
    } else {
      const suggestion = suggest(entry.key, visibleNames('options'));
      out.push(finding('DPG101', 'error', `'${entry.key}' is not a libpq connection option: connecting fails with 'invalid connection option'.${didYouMean(suggestion)}`, entry.keySpan, { fixes: suggestion ? [{ ...renameKeyFix(entry, suggestion), safe: true }] : undefined }));
    }
  }
  return out;
}

/** DPG116 unknown or reserved psycopg_pool argument. */
export function poolArguments(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const { entry } of postgresEntries(contextOf(input), 'pool')) {
    if (reservedPoolKeys.includes(entry.key)) {
      if (entry.key === 'check') continue; // Django 6.1 accepts it; the catalog documents the older clash.
      out.push(finding('DPG116', 'error', `Django passes '${entry.key}' to the connection pool itself; setting it here fails with "got multiple values for keyword argument". Remove it.`, entry.keySpan));
    } else if (!findKey('pool', entry.key)) {
      const suggestion = suggest(entry.key, visibleNames('pool'));
      out.push(finding('DPG116', 'error', `'${entry.key}' is not an argument of psycopg_pool.ConnectionPool: creating the pool fails with a TypeError.${didYouMean(suggestion)}`, entry.keySpan, { fixes: suggestion ? [renameKeyFix(entry, suggestion)] : undefined }));
    }
  }
  return out;
}

/** DPG209 requiressl. */
export function legacyRequiressl(input: CheckInput): Finding[] {
  return postgresEntries(contextOf(input), 'options')
    .filter(({ entry }) => entry.key === 'requiressl')
    .map(({ entry }) =>
      finding('DPG209', 'warning', "'requiressl' is a legacy alias that silently overrides sslmode ('requiressl': 0 turns verify-full into prefer). Remove it and set sslmode.", entry.keySpan, {
        tags: ['deprecated'],
        fixes: optional(removeItemFix(input.src.text, entry, "Remove 'requiressl'")),
      }),
    );
}

const isSet = (entry: DictEntry | undefined): boolean => {
  if (!entry) return false;
  if (entry.value.kind === 'env' || entry.value.kind === 'computed') return true;
  const text = textOf(literalOf(entry.value));
  return text !== undefined && text !== '';
};

const OVERRIDDEN_BY_TOP_LEVEL: Record<string, string> = { host: 'HOST', port: 'PORT', user: 'USER', password: 'PASSWORD' };

/** DPG206 OPTIONS keys Django sets itself. */
export function optionsDjangoSets(input: CheckInput): Finding[] {
  const context = contextOf(input);
  const out: Finding[] = [];
  for (const view of context.aliases) {
    if (view.engine === 'other') continue;
    for (const [key, top] of Object.entries(OVERRIDDEN_BY_TOP_LEVEL)) {
      const option = view.local('options', key);
      if (option && isSet(view.effective('entries', top)?.entry)) {
        out.push(finding('DPG206', 'warning', `OPTIONS '${key}' has no effect: Django replaces it with ${top}. Remove it and keep ${top}.`, option.keySpan, { tags: ['unnecessary'], fixes: optional(removeItemFix(input.src.text, option, `Remove '${key}'`)) }));
      }
    }
    const dbname = view.local('options', 'dbname');
    if (dbname && isSet(view.effective('entries', 'NAME')?.entry)) {
      out.push(finding('DPG206', 'warning', "OPTIONS 'dbname' silently wins over NAME, so NAME is not the database Django uses. Keep the name in NAME and remove 'dbname'.", dbname.keySpan, { fixes: optional(removeItemFix(input.src.text, dbname, "Remove 'dbname'")) }));
    }
    const encoding = view.local('options', 'client_encoding');
    if (encoding) {
      out.push(finding('DPG206', 'warning', "OPTIONS 'client_encoding' has no effect: Django always uses UTF8. Remove it.", encoding.keySpan, { tags: ['unnecessary'], fixes: optional(removeItemFix(input.src.text, encoding, "Remove 'client_encoding'")) }));
    }
  }
  return out;
}

/** DPG210 the same key twice in one dict literal: Python keeps the last one. */
export function duplicateKeys(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const roleDict of input.model.dicts) {
    const lastByKey = new Map<string, DictEntry>();
    const entries = roleDict.dict.entries.filter((e) => e.origin === 'literal' || e.origin === 'keyword');
    for (const entry of entries) lastByKey.set(entry.key, entry);
    for (const entry of entries) {
      const last = lastByKey.get(entry.key);
      if (last && last !== entry) {
        out.push(finding('DPG210', 'warning', `'${entry.key}' is set again later in this dict; Python keeps only the last value, so this one is ignored. Remove it.`, entry.keySpan, { tags: ['unnecessary'], fixes: optional(removeItemFix(input.src.text, entry, `Remove the first '${entry.key}'`)) }));
      }
    }
  }
  return out;
}

/** DPG111 TEST COLLATION, DPG304 TEST SERIALIZE. */
export function testKeys(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const { entry } of postgresEntries(contextOf(input), 'test') as CheckedEntry[]) {
    if (entry.key === 'COLLATION' && literalOf(entry.value)?.kind !== 'none') {
      out.push(finding('DPG111', 'error', 'PostgreSQL does not support TEST COLLATION: creating the test database raises ImproperlyConfigured. Remove it (use TEMPLATE with a template database of the right collation).', entry.keySpan, { fixes: optional(removeItemFix(input.src.text, entry, "Remove 'COLLATION'")) }));
    } else if (entry.key === 'SERIALIZE') {
      out.push(finding('DPG304', 'hint', 'TEST SERIALIZE was deprecated in Django 4.0 and removed in 5.0; it does nothing now. Remove it (use serialized_rollback on test cases).', entry.keySpan, { tags: ['deprecated'], fixes: optional(removeItemFix(input.src.text, entry, "Remove 'SERIALIZE'")) }));
    }
  }
  return out;
}

export function optional<T>(value: T | undefined): T[] | undefined {
  return value === undefined ? undefined : [value];
}
