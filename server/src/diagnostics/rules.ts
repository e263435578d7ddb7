// Every diagnostic rule. Each rule reads the settings model and the catalog and returns findings; its
// documentation (what, why, example) lives in the catalog's rule docs (server/src/catalog/rules.ts).
import type { CheckInput, Finding } from './types';
import { duplicateKeys, legacyRequiressl, optionsDjangoSets, poolArguments, testKeys, unknownDatabaseKeys, unknownOptionKeys } from './rules/keys';
import { optionsStringRule } from './rules/optionsString';
import { poolingRules, pgbouncerRules } from './rules/pooling';
import { hardCodedPassword, tlsRules } from './rules/security';
import { entryValues, optionValues } from './rules/values';
import { libpqVersionRules, projectVersionRules } from './rules/versions';
import { databaseUrlRules } from './rules/databaseUrl';
import { healthCheckRules, pgbouncerSessionRules } from './rules/poolers';
import { testDatabaseRules } from './rules/testDatabases';
import { hostPortLists, missingDefault, missingName, passwordFallback } from './rules/connectionTarget';
import { sqlLoggingInProduction } from './rules/sqlLogging';

export type Rule = (input: CheckInput) => Finding[];

export const rules: Rule[] = [
  unknownOptionKeys,
  optionValues,
  entryValues,
  poolingRules,
  optionsStringRule,
  testKeys,
  poolArguments,
  unknownDatabaseKeys,
  hardCodedPassword,
  tlsRules,
  libpqVersionRules,
  projectVersionRules,
  optionsDjangoSets,
  legacyRequiressl,
  duplicateKeys,
  pgbouncerRules,
  testDatabaseRules,
  databaseUrlRules,
  pgbouncerSessionRules,
  healthCheckRules,
  missingName,
  missingDefault,
  hostPortLists,
  passwordFallback,
  sqlLoggingInProduction,
];
