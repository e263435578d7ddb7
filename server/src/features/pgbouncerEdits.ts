// The Django settings changes a PgBouncer config implies, as text edits of one settings file. The client
// owns the decision (it generated the config and its DjangoChange list); this file owns the Python: it
// replaces values where this file sets them, inserts keys into the alias's own dict literal, and appends
// `DATABASES[...][...] = ...` overrides when the value comes from elsewhere (a base settings module, a
// DATABASE_URL) so the file still wins at run time.
import { fileURLToPath } from 'node:url';
import type { PgBouncerEditsParams, PgBouncerEditsResult } from '../lsp_ext';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { insertItemFix, quoteNear, removeItemFix } from '../diagnostics/rules/context';
import type { TextEdit as OffsetEdit } from '../diagnostics/types';
import type { DjangoChange } from '../pgbouncer/generate';
import type { DictEntry, DictModel, EffectiveAlias, EffectiveEntry, SettingsModel } from '../model/types';

interface ChangeTarget {
  /** 'entry' for top-level keys (HOST), 'options' for OPTIONS['x']. */
  role: 'entry' | 'options';
  key: string;
}

function targetOf(changeKey: string): ChangeTarget {
  const option = /^OPTIONS\[['"](.+)['"]\]$/.exec(changeKey);
  return option ? { role: 'options', key: option[1] } : { role: 'entry', key: changeKey };
}

/** A generator literal ('…') in the quote style the file uses, when that needs no escaping. */
function inFileQuotes(literal: string, quote: string): string {
  const simple = /^'([^'"\\]*)'$/.exec(literal);
  return simple ? `${quote}${simple[1]}${quote}` : literal;
}

function pyString(value: string, quote: string): string {
  return `${quote}${value.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`)}${quote}`;
}

/** The dict literal of this file that defines the alias's entry or OPTIONS (the last one wins in Python). */
function ownDict(model: SettingsModel, alias: string, role: ChangeTarget['role']): DictModel | undefined {
  const dicts = model.dicts.filter((d) => d.role === role && d.alias === alias && d.dict.form === 'literal' && !d.dict.incomplete);
  return dicts[dicts.length - 1]?.dict;
}

/** Set in this file, by an item whose value means the same key (ssl_require=True is not an sslmode). */
function editableHere(effective: EffectiveEntry | undefined, target: ChangeTarget): DictEntry | undefined {
  if (!effective || effective.file !== undefined) return undefined;
  if (effective.entry.origin === 'databaseUrl' && target.role === 'options') return undefined;
  return effective.entry;
}

class EditPlan {
  readonly edits: OffsetEdit[] = [];
  readonly notes: string[] = [];
  private readonly inserts = new Map<DictModel, string[]>();
  private readonly appended: string[] = [];

  constructor(private readonly src: string, private readonly alias: string, readonly quote: string) {}

  insert(dict: DictModel, item: string): void {
    this.inserts.set(dict, [...(this.inserts.get(dict) ?? []), item]);
  }

  append(line: string): void {
    this.appended.push(line);
  }

  subscript(...keys: string[]): string {
    return `DATABASES${[this.alias, ...keys].map((k) => `[${pyString(k, this.quote)}]`).join('')}`;
  }

  finish(): OffsetEdit[] {
    for (const [dict, items] of this.inserts) {
      // One edit per dict: two inserts at the same offset would each add their own separating comma.
      const last = dict.entries[dict.entries.length - 1];
      const lineStart = last ? this.src.lastIndexOf('\n', last.itemSpan.from - 1) + 1 : 0;
      const indent = last ? this.src.slice(lineStart, last.itemSpan.from) : '';
      const separator = last && indent.trim() === '' ? `,\n${indent}` : ', ';
      const fix = insertItemFix(this.src, dict, items.join(separator), 'insert');
      if (fix) this.edits.push(...fix.edits);
    }
    if (this.appended.length) {
      const end = this.src.length;
      const lead = end === 0 || this.src.endsWith('\n') ? '' : '\n';
      const block = ['# Behind PgBouncer (from Django Postgres: Generate PgBouncer config).', ...this.appended].join('\n');
      this.edits.push({ from: end, to: end, newText: `${lead}\n${block}\n` });
    }
    return mergeDeletions(this.edits);
  }
}

/** Removing two neighbouring items may claim the same comma: join overlapping deletions into one. */
function mergeDeletions(edits: OffsetEdit[]): OffsetEdit[] {
  const sorted = [...edits].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: OffsetEdit[] = [];
  for (const edit of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && previous.newText === '' && edit.newText === '' && edit.from < previous.to) previous.to = Math.max(previous.to, edit.to);
    else merged.push({ ...edit });
  }
  return merged;
}

function planChange(plan: EditPlan, model: SettingsModel, alias: EffectiveAlias, change: DjangoChange, src: string): void {
  const target = targetOf(change.key);
  const effective = target.role === 'entry' ? alias.entries.get(target.key) : alias.options.get(target.key);
  const here = editableHere(effective, target);
  const path = target.role === 'entry' ? [target.key] : ['OPTIONS', target.key];

  if (change.to === null) {
    if (!effective) return;
    const removal = here ? removeItemFix(src, here, 'remove') : undefined;
    if (removal) plan.edits.push(...removal.edits);
    else plan.append(`${plan.subscript(...path.slice(0, -1))}.pop(${pyString(target.key, plan.quote)}, None)`);
    return;
  }

  const quote = here?.keyQuote || plan.quote;
  const value = inFileQuotes(change.to, quote);
  if (here) {
    plan.edits.push({ from: here.value.span.from, to: here.value.span.to, newText: value });
    return;
  }
  const dict = ownDict(model, alias.alias, target.role);
  if (dict && !alias.databaseUrl) {
    plan.insert(dict, `${pyString(target.key, quote)}: ${value}`);
  } else if (target.role === 'options') {
    plan.append(`${plan.subscript()}.setdefault(${pyString('OPTIONS', quote)}, {})[${pyString(target.key, quote)}] = ${value}`);
  } else {
    plan.append(`${plan.subscript(target.key)} = ${value}`);
  }
}

/** The quote of the alias's own keys in this file, else of any DATABASES key here. */
function fileQuote(model: SettingsModel, alias: EffectiveAlias): string {
  const own = [...alias.entries.values(), ...alias.options.values()].find((e) => e.file === undefined && e.entry.keyQuote);
  return quoteNear(own?.entry ?? model.dicts.flatMap((d) => d.dict.entries).find((e) => e.keyQuote));
}

/** Text edits that make `alias` in this settings file match `changes`; pure, for the server and tests. */
export function pgbouncerSettingsEdits(src: string, model: SettingsModel, alias: string, changes: DjangoChange[]): { edits: OffsetEdit[]; notes: string[] } {
  const effective = model.aliases.find((a) => a.alias === alias);
  if (!effective) return { edits: [], notes: [`This file does not define DATABASES['${alias}'].`] };
  const plan = new EditPlan(src, alias, fileQuote(model, effective));
  for (const change of changes) planChange(plan, model, effective, change, src);
  if (effective.computedChanges.length) {
    plan.notes.push(`DATABASES['${alias}'] is also changed by code Django Postgres does not follow; check the result by hand.`);
  }
  return { edits: plan.finish(), notes: plan.notes };
}

/** The request handler's work: the same edits as LSP ranges of the file's current text. */
export function pgbouncerSettingsEditsFor(
  params: PgBouncerEditsParams,
  readText: (path: string) => string | undefined,
  loadModel: (path: string) => SettingsModel | undefined,
): PgBouncerEditsResult {
  const path = fileURLToPath(params.uri);
  const text = readText(path);
  const model = text === undefined ? undefined : loadModel(path);
  if (text === undefined || !model) return { edits: [], notes: [`Cannot read ${path}.`] };
  const doc = TextDocument.create(params.uri, 'python', 0, text);
  const { edits, notes } = pgbouncerSettingsEdits(text, model, params.alias, params.changes);
  return {
    edits: edits.map((e) => ({ range: { start: doc.positionAt(e.from), end: doc.positionAt(e.to) }, newText: e.newText })),
    notes,
  };
}
