// Values: enumerations and integers as libpq parses them, PORT, ENGINE, NAME, and the types Django expects.
import { engines } from '../../catalog/engines';
import type { CatalogKey } from '../../catalog/types';
import { findKey, findValue } from '../../features/keys';
import { engineWordKind } from '../../model/engineTests';
import { didYouMean, suggest } from '../suggest';
import type { CheckInput, Finding } from '../types';
import { contextOf, engineByName, finding, literalOf, postgresEntries, replaceStringFix, textOf, type Literal } from './context';

/** Enumerations libpq itself validates before connecting (replication and gsslib are not checked by libpq). */
const VALIDATED_ENUMS = new Set([
  'sslmode', 'gssencmode', 'channel_binding', 'target_session_attrs', 'ssl_min_protocol_version', 'ssl_max_protocol_version',
  'load_balance_hosts', 'sslcertmode', 'sslnegotiation', 'min_protocol_version', 'max_protocol_version',
]);
/** Enumerations where libpq treats '' as "not set". */
const EMPTY_MEANS_UNSET = new Set(['ssl_min_protocol_version', 'ssl_max_protocol_version']);
/** Integer keywords libpq parses with its strict integer parser. */
const PARSED_INTEGERS = new Set(['port', 'connect_timeout', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout']);
/** Ranges the Linux kernel accepts for the TCP keepalive socket options; outside them connecting fails. */
const KEEPALIVE_RANGES: Record<string, [number, number]> = { keepalives_idle: [1, 32767], keepalives_interval: [1, 32767], keepalives_count: [1, 127] };
const INT32 = 2 ** 31;

const valueNamesByKey = new Map<CatalogKey, string[]>();
/** The allowed spellings of an enum key, one array per key (suggest() caches per array). */
function valueNames(key: CatalogKey): string[] {
  let names = valueNamesByKey.get(key);
  if (!names) valueNamesByKey.set(key, (names = (key.values ?? []).map((v) => v.value)));
  return names;
}

/** What the driver hands libpq: Python's str() of the value; undefined for None (dropped). */
function asLibpqText(literal: Literal): string | undefined {
  switch (literal.kind) {
    case 'string':
      return literal.value;
    case 'number':
      return literal.isInt ? String(literal.value) : String(literal.value).includes('.') || String(literal.value).includes('e') ? String(literal.value) : `${literal.value}.0`;
    case 'bool':
      return literal.value ? 'True' : 'False';
    case 'none':
      return undefined;
  }
}

/** libpq's integer parser: optional spaces and sign, digits, optional spaces, within a C int. */
export function parseLibpqInt(text: string): number | undefined {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) return undefined;
  const value = Number(text.trim());
  return value >= -INT32 && value < INT32 ? value : undefined;
}

function enumFinding(input: CheckInput, key: CatalogKey, literal: Literal, text: string): Finding | undefined {
  if (findValue(key, text)) return undefined;
  if (text === '' && EMPTY_MEANS_UNSET.has(key.name)) return undefined;
  const names = valueNames(key);
  const suggestion = names.find((v) => v.toLowerCase() === text.trim().toLowerCase()) ?? suggest(text, names);
  const fromDefault = literal.fromDefault ? ' (the default of the environment lookup)' : '';
  const message = `Invalid ${key.name} value '${text}'${fromDefault}: libpq refuses it. Valid values: ${names.join(', ')}.${didYouMean(suggestion)}`;
  const fixes = suggestion && literal.kind === 'string' ? [{ ...replaceStringFix(input.src.text, literal, suggestion, `Change to '${suggestion}'`), safe: true }] : undefined;
  return finding('DPG102', 'error', message, literal.span, { fixes });
}

function requireAuthFinding(key: CatalogKey, literal: Literal, text: string): Finding | undefined {
  const items = text.split(',');
  const names = new Set(valueNames(key));
  const problems: string[] = [];
  const negated = items.filter((i) => i.startsWith('!')).length;
  if (negated > 0 && negated < items.length) problems.push("negated ('!method') and plain methods cannot be mixed");
  const seen = new Set<string>();
  for (const item of items) {
    const method = item.startsWith('!') ? item.slice(1) : item;
    if (!names.has(method)) problems.push(`'${item}' is not a method (${[...names].join(', ')})${didYouMean(suggest(method, valueNames(key)))}`);
    else if (seen.has(method)) problems.push(`'${method}' is listed twice`);
    seen.add(method);
  }
  if (problems.length === 0) return undefined;
  return finding('DPG102', 'error', `Invalid require_auth value '${text}': ${problems.join('; ')}. libpq refuses it.`, literal.span);
}

function integerFinding(key: CatalogKey, literal: Literal, text: string): Finding | undefined {
  const fromDefault = literal.fromDefault ? ' (the default of the environment lookup)' : '';
  if (key.name === 'port') return portFinding(literal, text, 'OPTIONS port');
  const value = parseLibpqInt(text);
  if (value === undefined) {
    return finding('DPG103', 'error', `${key.name} must be a whole number, not '${text}'${fromDefault}: libpq refuses it ("invalid integer value").`, literal.span);
  }
  const range = KEEPALIVE_RANGES[key.name];
  if (range && (value < range[0] || value > range[1])) {
    return finding('DPG117', 'error', `${key.name} ${value} is outside ${range[0]}–${range[1]}: the operating system (Linux) rejects the keepalive setting and connecting fails.`, literal.span);
  }
  return undefined;
}

/** PORT and OPTIONS port: '' means the default; a comma list gives one port per host. */
function portFinding(literal: Literal, text: string, what: string): Finding | undefined {
  if (literal.kind === 'bool') return finding('DPG104', 'error', `${what} must be a port number (1–65535), not ${text}.`, literal.span);
  if (literal.kind === 'number' && !literal.isInt) return finding('DPG104', 'error', `${what} must be a whole port number (1–65535), not ${literal.text}.`, literal.span);
  for (const part of text.split(',')) {
    if (part === '') continue;
    const value = parseLibpqInt(part);
    if (value === undefined) return finding('DPG104', 'error', `${what} '${text}' is not a port number: libpq refuses it ("invalid integer value").`, literal.span);
    if (value < 1 || value > 65535) return finding('DPG104', 'error', `${what} ${part.trim()} is outside 1–65535: libpq refuses it ("invalid port number").`, literal.span);
  }
  return undefined;
}

/** DPG102 enum values, DPG103 integers, DPG104 OPTIONS port, DPG117 keepalive ranges. */
export function optionValues(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const { entry } of postgresEntries(contextOf(input), 'options')) {
    const key = findKey('options', entry.key);
    const literal = literalOf(entry.value);
    if (!key || !literal) continue;
    const text = asLibpqText(literal);
    if (text === undefined) continue;
    let result: Finding | undefined;
    if (key.type === 'enum' && VALIDATED_ENUMS.has(key.name)) result = enumFinding(input, key, literal, text);
    else if (key.type === 'enumList') result = requireAuthFinding(key, literal, text);
    else if (key.type === 'int' && PARSED_INTEGERS.has(key.name)) result = integerFinding(key, literal, text);
    if (result) out.push(result);
  }
  return out;
}

const builtinEngineNames = engines.filter((e) => e.builtin).map((e) => e.name);
const BOOL_KEYS = new Set(['ATOMIC_REQUESTS', 'AUTOCOMMIT', 'CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS']);
const MAX_NAME_LENGTH = 63;

function engineFindings(input: CheckInput, literal: Literal): Finding[] {
  if (literal.kind !== 'string') {
    return literal.kind === 'none' ? [] : [finding('DPG105', 'error', 'ENGINE must be a dotted module path string such as \'django.db.backends.postgresql\'.', literal.span)];
  }
  const name = literal.value;
  const known = engineByName.get(name);
  if (known?.deprecated) {
    return [finding('DPG305', 'hint', `'${name}' is the legacy name of the PostgreSQL backend; Django still maps it to 'django.db.backends.postgresql'. Use the current name.`, literal.span, {
      tags: ['deprecated'],
      fixes: [replaceStringFix(input.src.text, literal, 'django.db.backends.postgresql', "Change to 'django.db.backends.postgresql'")],
    })];
  }
  if (known) return [];
  if (name === '') return [finding('DPG105', 'error', "ENGINE is empty: Django falls back to its dummy backend and every query fails (\"Please supply the ENGINE value\"). Use 'django.db.backends.postgresql'.", literal.span)];
  if (name.startsWith('django.')) {
    const suggestion = suggest(name, builtinEngineNames) ?? (name.startsWith('django.db.backends.postg') ? 'django.db.backends.postgresql' : undefined);
    return [finding('DPG105', 'error', `'${name}' is not one of Django's database backends: Django raises ImproperlyConfigured ("isn't an available database backend").${didYouMean(suggestion)}`, literal.span, {
      fixes: suggestion ? [{ ...replaceStringFix(input.src.text, literal, suggestion, `Change to '${suggestion}'`), safe: true }] : undefined,
    })];
  }
  const assumption = engineWordKind(name) === 'postgres' ? "its name says PostgreSQL, so we assume it wraps Django's PostgreSQL backend" : 'PostgreSQL findings on this alias are information only';
  return [finding('DPG306', 'hint', `'${name}' is not a backend we know; ${assumption}. Make sure the package is installed.`, literal.span)];
}

function nameFinding(literal: Literal): Finding | undefined {
  if (literal.kind !== 'string') return undefined;
  const length = [...literal.value].length;
  if (length <= MAX_NAME_LENGTH) return undefined;
  return finding('DPG106', 'error', `NAME is ${length} characters long; PostgreSQL names are limited to ${MAX_NAME_LENGTH}, and Django refuses to connect (ImproperlyConfigured). Use a shorter name.`, literal.span);
}

function typeFinding(key: string, literal: Literal): Finding | undefined {
  if (BOOL_KEYS.has(key) && literal.kind === 'string') {
    return finding('DPG109', 'error', `${key} must be True or False, not the string '${literal.value}' (any non-empty string counts as True). Remove the quotes.`, literal.span);
  }
  if (key === 'CONN_MAX_AGE') {
    if (literal.kind === 'string' || literal.kind === 'bool') {
      return finding('DPG109', 'error', `CONN_MAX_AGE must be a number of seconds or None, not ${literal.kind === 'string' ? `the string '${literal.value}'` : literal.value ? 'True' : 'False'}.`, literal.span);
    }
    if (literal.kind === 'number' && literal.value < 0) {
      return finding('DPG109', 'error', `CONN_MAX_AGE must be 0 or more seconds (or None for unlimited), not ${literal.text}.`, literal.span);
    }
  }
  return undefined;
}

/** DPG104 PORT, DPG105/DPG305/DPG306 ENGINE, DPG106 NAME, DPG109 types, DPG110 TIME_ZONE without USE_TZ. */
export function entryValues(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  const useTz = input.model.globals.get('USE_TZ');
  for (const checked of contextOf(input).entries) {
    if (checked.role !== 'entry') continue;
    const { entry } = checked;
    const literal = literalOf(entry.value);
    if (!literal) continue;
    // ENGINE is checked for every alias: a typo of a built-in path is what makes the engine unknown.
    if (entry.key === 'ENGINE') {
      out.push(...engineFindings(input, literal));
      continue;
    }
    if (checked.engine === 'other') continue;
    let result: Finding | undefined;
    if (entry.key === 'PORT') result = literal.kind === 'none' ? undefined : portFinding(literal, textOf(literal) ?? String(asLibpqText(literal)), 'PORT');
    else if (entry.key === 'NAME') result = nameFinding(literal);
    else if (entry.key === 'TIME_ZONE' && useTz?.kind === 'bool' && !useTz.value && literal.kind !== 'none') {
      result = finding('DPG110', 'error', 'TIME_ZONE cannot be set on a connection while USE_TZ is False: Django raises ImproperlyConfigured. Remove TIME_ZONE or set USE_TZ = True.', entry.keySpan);
    } else if (!(entry.value.kind === 'env' && entry.value.cast)) {
      // A cast (int(...), env.int, cast=bool) converts the default, so its literal type says nothing.
      result = typeFinding(entry.key, literal);
    }
    if (result) out.push(result);
  }
  return out;
}
