// Which catalog applies where: DATABASES entry keys, TEST keys, OPTIONS (libpq + Django's own), pool.
import { databaseKeys, testKeys } from '../catalog/databaseKeys';
import { djangoOptionKeys, poolOptionKeys } from '../catalog/djangoOptions';
import { engines } from '../catalog/engines';
import { libpqKeywords } from '../catalog/libpqKeywords';
import { serverSettings } from '../catalog/serverSettings';
import type { CatalogKey, EnumValue, ServerSetting } from '../catalog/types';
import type { DictRole } from '../model/types';

const optionKeys = [...djangoOptionKeys, ...libpqKeywords];

const byName = (keys: readonly CatalogKey[]) => new Map(keys.map((k) => [k.name, k]));
const indexes: Record<DictRole, Map<string, CatalogKey>> = {
  databases: new Map(),
  entry: byName(databaseKeys),
  options: byName(optionKeys),
  test: byName(testKeys),
  pool: byName(poolOptionKeys),
};
const settingsIndex = new Map<string, ServerSetting>(serverSettings.map((s) => [s.name.toLowerCase(), s]));

export function keysFor(role: DictRole): CatalogKey[] {
  return [...indexes[role].values()];
}

export function findKey(role: DictRole, name: string): CatalogKey | undefined {
  return indexes[role].get(name);
}

/** Server settings are case-insensitive (`TimeZone` = `timezone`). */
export function findServerSetting(name: string): ServerSetting | undefined {
  return settingsIndex.get(name.toLowerCase());
}

export function findValue(key: CatalogKey, value: string): EnumValue | undefined {
  return key.values?.find((v) => (key.caseInsensitive ? v.value.toLowerCase() === value.toLowerCase() : v.value === value));
}

/** Allowed values of a key: its enum values, or the engines for ENGINE. */
export function valuesOf(key: CatalogKey): EnumValue[] {
  if (key.values?.length) return key.values;
  if (key.name === 'ENGINE') return engines.map((e) => ({ value: e.name, doc: e.doc, recommended: e.postgres && e.builtin && !e.deprecated }));
  return [];
}

/** Every key name of every role, for `explain` and "did you mean". */
export function allKeys(): { role: DictRole; key: CatalogKey }[] {
  return (Object.keys(indexes) as DictRole[]).flatMap((role) => keysFor(role).map((key) => ({ role, key })));
}

export { serverSettings };
