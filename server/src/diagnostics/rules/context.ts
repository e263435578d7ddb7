// What every rule needs, computed once per check: each DATABASES entry written in this file with its role
// and alias, and per alias the engine kind and the effective entries that live in this file.
import { engines } from '../../catalog/engines';
import { decodeDatabaseUrl, POSTGRES_URL_SCHEMES } from '../../model/databaseUrl';
import type { DictEntry, DictModel, DictRole, EffectiveAlias, EffectiveEntry, EngineGuard, PyValue, Span } from '../../model/types';
import { engineWordKind } from '../../model/engineTests';
import { templateReason } from '../../settingsGraph/templates';
import type { ProjectContext } from '../../settingsGraph/types';
import type { CheckInput, Finding, Fix, Severity } from '../types';

/** How much of the PostgreSQL advice applies to an alias. */
export type EngineKind =
  /** Django's own PostgreSQL or PostGIS backend. */
  | 'postgres'
  /** A third-party wrapper around it: it may read extra OPTIONS keys of its own. */
  | 'postgres-wrapper'
  /** Another database: none of our checks apply. */
  | 'other'
  /**
   * Not knowable without running the project (an environment variable without a PostgreSQL default, an
   * f-string, a URL from the environment, branches with different engines): PostgreSQL-only findings are
   * information at most.
   */
  | 'unknown';

export interface CheckedEntry {
  role: DictRole;
  alias?: string;
  entry: DictEntry;
  /** The dict literal holding it; undefined for `X['KEY'] = value` and DATABASE_URL keywords. */
  dict?: DictModel;
  engine: EngineKind;
  engineName?: string;
  /** Why the engine is unknown, for messages. */
  engineNote?: string;
}

export interface AliasView {
  alias: EffectiveAlias;
  engine: EngineKind;
  engineName?: string;
  engineNote?: string;
  /** The effective entry of a key when it is written in this file (not inherited from another one). */
  local(where: 'entries' | 'options' | 'test', key: string): DictEntry | undefined;
  /** The effective entry wherever it is written. */
  effective(where: 'entries' | 'options' | 'test', key: string): EffectiveEntry | undefined;
}

export interface RuleContext {
  input: CheckInput;
  entries: CheckedEntry[];
  /** The checked entry whose key starts at this offset (with this role). */
  at(role: DictRole, entry: DictEntry): CheckedEntry | undefined;
  aliases: AliasView[];
}

/** A literal we may judge: the value itself, or an env lookup's literal default. Never a computed value. */
export type Literal =
  | { kind: 'string'; value: string; span: Span; quote: string; raw: boolean; fromDefault: boolean }
  | { kind: 'number'; value: number; text: string; isInt: boolean; span: Span; fromDefault: boolean }
  | { kind: 'bool'; value: boolean; span: Span; fromDefault: boolean }
  | { kind: 'none'; span: Span; fromDefault: boolean };

export function literalOf(value: PyValue | undefined): Literal | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'none':
      return { ...value, fromDefault: false } as Literal;
    case 'env': {
      const inner = value.default ? literalOf(value.default) : undefined;
      return inner ? { ...inner, fromDefault: true } : undefined;
    }
    default:
      return undefined;
  }
}

/** A string literal's text, or a number's, as Django would hand it over in a str() context. */
export function textOf(literal: Literal | undefined): string | undefined {
  if (literal?.kind === 'string') return literal.value;
  if (literal?.kind === 'number') return literal.text;
  return undefined;
}

const engineByName = new Map(engines.map((e) => [e.name, e]));

interface EngineClass {
  kind: EngineKind;
  name?: string;
  /** Why it is unknown. */
  note?: string;
}

/** What one ENGINE value (a literal, a lookup with a default, a DATABASE_URL...) tells. */
function classifyEngineValue(value: PyValue): EngineClass {
  if (value.kind === 'string') {
    const known = engineByName.get(value.value);
    if (known) return { kind: !known.postgres ? 'other' : known.builtin ? 'postgres' : 'postgres-wrapper', name: value.value };
    const word = engineWordKind(value.value);
    if (word === 'other' || /dummy/i.test(value.value)) return { kind: 'other', name: value.value };
    // A typo of a built-in path is its own error; the OPTIONS still go to libpq.
    if (value.value.startsWith('django.') || word === 'postgres') return { kind: value.value.startsWith('django.') ? 'postgres' : 'postgres-wrapper', name: value.value };
    // A third-party backend whose name says nothing: it may not be PostgreSQL at all.
    return { kind: 'unknown', name: value.value, note: `the ENGINE '${value.value}' is not a backend we know` };
  }
  if (value.kind === 'env') {
    const fallback = value.default && classifyEngineValue(value.default);
    // The project's own default says PostgreSQL: judge it as PostgreSQL.
    if (fallback && (fallback.kind === 'postgres' || fallback.kind === 'postgres-wrapper')) return fallback;
    const defaultText = fallback?.name ? `, defaulting to '${fallback.name}'` : '';
    return { kind: 'unknown', note: `the ENGINE is read from ${value.variable}${defaultText}` };
  }
  if (value.kind === 'databaseUrl') {
    const literal = literalOf(value.url);
    const decoded = literal?.kind === 'string' ? decodeDatabaseUrl(literal.value) : undefined;
    if (decoded && POSTGRES_URL_SCHEMES.has(decoded.scheme)) return { kind: 'postgres', name: decoded.engine };
    // A non-PostgreSQL URL is the engine only when nothing can replace it; as a default, the variable decides.
    if (decoded && value.variable === undefined) return { kind: 'other', name: decoded.engine };
    if (decoded) return { kind: 'unknown', note: `the ENGINE comes from ${value.variable}, which defaults to a ${decoded.scheme}:// URL` };
    return { kind: 'unknown', note: `the ENGINE comes from the scheme of ${value.variable ?? 'a database URL'}, which is only known at run time` };
  }
  if (value.kind === 'computed' && value.placeholder) return { kind: 'unknown', note: 'the ENGINE is a template placeholder' };
  return { kind: 'unknown', note: `the ENGINE is computed at run time (${value.kind === 'computed' ? shorten(value.text) : value.kind})` };
}

const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/**
 * Every ENGINE the alias may run with: PostgreSQL only if all of them are. A module that only changes an alias
 * (split settings, local_settings.py) gets the ENGINEs the modules running it end up with.
 */
function classifyEngine(alias: EffectiveAlias, project: ProjectContext | undefined): EngineClass {
  let engines = alias.engines;
  if (engines.length === 0 && !alias.entries.has('ENGINE') && project) {
    const runners = project.entries.length ? project.entries.map((e) => e.model) : project.importers.map((i) => i.model);
    engines = runners.flatMap((model) => model.aliases.find((a) => a.alias === alias.alias)?.engines ?? []);
  }
  if (engines.length === 0) {
    const engineEntry = alias.entries.get('ENGINE')?.entry;
    if (engineEntry) return classifyEngineValue(engineEntry.value);
    return { kind: 'unknown', note: 'no ENGINE is set where we can see it' };
  }
  const classes = engines.map(classifyEngineValue);
  const unknown = classes.find((c) => c.kind === 'unknown');
  if (unknown) return unknown;
  if (classes.every((c) => c.kind === 'other')) return classes[classes.length - 1];
  if (classes.every((c) => c.kind !== 'other')) return classes.find((c) => c.kind === 'postgres-wrapper') ?? classes[classes.length - 1];
  const names = [...new Set(classes.map((c) => c.name))].map((n) => `'${n}'`).join(' or ');
  return { kind: 'unknown', note: `the ENGINE is ${names} depending on the branch that runs` };
}

/** The engine a dict or an assignment runs with: its branch's test, its own entry's ENGINE, else the alias's. */
function engineFor(alias: AliasView | undefined, guard: EngineGuard | undefined, own: PyValue | undefined): EngineClass {
  if (guard && (guard.alias === undefined || guard.alias === alias?.alias.alias)) {
    if (!guard.postgres) return { kind: 'other', name: 'another backend (the branch tests the ENGINE)' };
    return alias && alias.engine !== 'other' && alias.engine !== 'unknown' ? { kind: alias.engine, name: alias.engineName } : { kind: 'postgres' };
  }
  if (own) return classifyEngineValue(own);
  return alias ? { kind: alias.engine, name: alias.engineName, note: alias.engineNote } : { kind: 'postgres' };
}

const templates = new WeakMap<CheckInput, string | null>();

/** Why the checked file is a settings template (by name or placeholders), or undefined. Its values are never judged. */
export function templateOf(input: CheckInput): string | undefined {
  if (!templates.has(input)) templates.set(input, templateReason(input.file, input.model) ?? null);
  return templates.get(input) ?? undefined;
}

const contexts = new WeakMap<CheckInput, RuleContext>();

export function contextOf(input: CheckInput): RuleContext {
  let context = contexts.get(input);
  if (!context) {
    context = buildContext(input);
    contexts.set(input, context);
  }
  return context;
}

function buildContext(input: CheckInput): RuleContext {
  const { model } = input;
  const aliases: AliasView[] = model.aliases.map((alias) => {
    const { kind, name, note } = classifyEngine(alias, input.project);
    const maps = { entries: alias.entries, options: alias.options, test: alias.test };
    return {
      alias,
      engine: kind,
      engineName: name,
      engineNote: note,
      effective: (where, key) => maps[where].get(key),
      local: (where, key) => {
        const found = maps[where].get(key);
        return found && found.file === undefined ? found.entry : undefined;
      },
    };
  });
  const byAlias = new Map(aliases.map((a) => [a.alias.alias, a]));
  const engineOf = (alias: string | undefined) => (alias === undefined ? undefined : byAlias.get(alias));

  const entries: CheckedEntry[] = [];
  // Keyed by position: the merged view may hold copies of the entries the dicts hold.
  const seen = new Set<string>();
  const where = (role: DictRole, entry: DictEntry) => `${role}@${entry.keySpan.from}:${entry.keySpan.to}`;
  for (const roleDict of model.dicts) {
    const engine = engineFor(engineOf(roleDict.alias), roleDict.guard, roleDict.engine);
    for (const entry of roleDict.dict.entries) {
      seen.add(where(roleDict.role, entry));
      entries.push({ role: roleDict.role, alias: roleDict.alias, entry, dict: roleDict.dict, engine: engine.kind, engineName: engine.name, engineNote: engine.note });
    }
  }
  // `X['KEY'] = value` in every branch (the merged view keeps only the last one of each key).
  for (const assigned of model.itemAssignments) {
    if (seen.has(where(assigned.role, assigned.entry))) continue;
    seen.add(where(assigned.role, assigned.entry));
    const engine = engineFor(engineOf(assigned.alias), assigned.guard, undefined);
    entries.push({ role: assigned.role, alias: assigned.alias, entry: assigned.entry, engine: engine.kind, engineName: engine.name, engineNote: engine.note });
  }
  // DATABASE_URL keywords are only in the merged view.
  const roles: [keyof Pick<EffectiveAlias, 'entries' | 'options' | 'test'>, DictRole][] = [
    ['entries', 'entry'],
    ['options', 'options'],
    ['test', 'test'],
  ];
  for (const view of aliases) {
    for (const [map, role] of roles) {
      for (const effective of view.alias[map].values()) {
        if (effective.file !== undefined || seen.has(where(role, effective.entry))) continue;
        seen.add(where(role, effective.entry));
        entries.push({ role, alias: view.alias.alias, entry: effective.entry, engine: view.engine, engineName: view.engineName, engineNote: view.engineNote });
      }
    }
  }
  const byPosition = new Map(entries.map((e) => [where(e.role, e.entry), e]));
  return { input, entries, aliases, at: (role, entry) => byPosition.get(where(role, entry)) };
}

/** The PostgreSQL entries of one role, the ones our catalog speaks about. */
export function postgresEntries(context: RuleContext, role: DictRole): CheckedEntry[] {
  return context.entries.filter((e) => e.role === role && e.engine !== 'other');
}

export function finding(code: string, severity: Severity, message: string, span: Span, extra: Partial<Finding> = {}): Finding {
  return { code, severity, message, from: span.from, to: span.to, ...extra };
}

/** Replace a string literal's content, keeping the user's quotes and prefix. */
export function replaceStringFix(src: string, literal: Literal & { kind: 'string' }, newValue: string, title: string): Fix {
  const text = src.slice(literal.span.from, literal.span.to);
  const quoteAt = text.indexOf(literal.quote);
  const prefix = quoteAt > 0 ? text.slice(0, quoteAt) : '';
  const escaped = literal.raw ? newValue : newValue.replaceAll('\\', '\\\\').replaceAll(literal.quote, `\\${literal.quote}`);
  return {
    title,
    edits: [{ from: literal.span.from, to: literal.span.to, newText: `${prefix}${literal.quote}${escaped}${literal.quote}` }],
    preferred: true,
  };
}

/** Rename a dict key, keeping its quote style (keyword arguments have none). */
export function renameKeyFix(entry: DictEntry, newKey: string): Fix {
  const newText = entry.keyQuote ? `${entry.keyQuote}${newKey}${entry.keyQuote}` : newKey;
  return { title: `Change to '${newKey}'`, edits: [{ from: entry.keySpan.from, to: entry.keySpan.to, newText }], preferred: true };
}

/** Remove a whole `key: value` item, its comma and, when it stands alone on its line, the line. */
export function removeItemFix(src: string, entry: DictEntry, title: string): Fix | undefined {
  if (entry.origin !== 'literal' && entry.origin !== 'keyword') return undefined;
  let { from, to } = entry.itemSpan;
  let after = to;
  while (after < src.length && (src[after] === ' ' || src[after] === '\t')) after++;
  if (src[after] === ',') {
    to = after + 1;
  } else {
    // The last item: take the comma before it instead.
    let before = from;
    while (before > 0 && /\s/.test(src[before - 1])) before--;
    if (src[before - 1] === ',') from = before - 1;
  }
  const lineStart = src.lastIndexOf('\n', from - 1) + 1;
  let lineEnd = to;
  while (lineEnd < src.length && (src[lineEnd] === ' ' || src[lineEnd] === '\t')) lineEnd++;
  if (src.slice(lineStart, from).trim() === '' && (src[lineEnd] === '\n' || lineEnd === src.length)) {
    from = lineStart;
    to = Math.min(src.length, lineEnd + 1);
  }
  return { title, edits: [{ from, to, newText: '' }] };
}

/** Text to insert a new item into a dict literal, matching the indentation of its last item. */
export function insertItemFix(src: string, dict: DictModel, itemText: string, title: string): Fix | undefined {
  if (dict.form !== 'literal') return undefined;
  const last = dict.entries[dict.entries.length - 1];
  if (!last) {
    return { title, edits: [{ from: dict.span.from + 1, to: dict.span.from + 1, newText: itemText }] };
  }
  let end = last.itemSpan.to;
  while (end < dict.span.to && (src[end] === ' ' || src[end] === '\t')) end++;
  const hasComma = src[end] === ',';
  const insertAt = hasComma ? end + 1 : last.itemSpan.to;
  const lineStart = src.lastIndexOf('\n', last.itemSpan.from - 1) + 1;
  const indent = src.slice(lineStart, last.itemSpan.from);
  const multiLine = indent.trim() === '';
  const newText = multiLine ? `${hasComma ? '' : ','}\n${indent}${itemText},` : `${hasComma ? ' ' : ', '}${itemText}`;
  return { title, edits: [{ from: insertAt, to: insertAt, newText }] };
}

/** Quote character the file uses for dict keys near this entry. */
export function quoteNear(entry: DictEntry | undefined): string {
  return entry?.keyQuote || "'";
}

export { engineByName };
