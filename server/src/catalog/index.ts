// The catalog: everything completion, hover and diagnostics know about
// DATABASES, OPTIONS and the `options` string. Data only.
export * from './types';
export { docs } from './urls';
export { engines } from './engines';
export { databaseKeys, testKeys } from './databaseKeys';
export { libpqKeywords } from './libpqKeywords';
export {
  djangoOptionKeys,
  foreignOptionKeys,
  poolOptionKeys,
  reservedPoolKeys,
  reservedPoolKeysAcceptedSince,
} from './djangoOptions';
export { serverSettings } from './serverSettings';
export { ruleDocs } from './rules';
export { pgbouncerSettings } from './pgbouncerSettings';
export { pgbouncerRules } from './pgbouncerRules';
export { queryRules } from './queryRules';
