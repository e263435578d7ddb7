// The libpq `options` string (`-c name=value …`): its syntax, setting names and units.
import { findServerSetting, serverSettings } from '../../features/keys';
import type { ServerSetting } from '../../catalog/types';
import type { Span } from '../../model/types';
import { parseOptionsString } from '../optionsString';
import { didYouMean, suggest } from '../suggest';
import type { CheckInput, Finding, Fix } from '../types';
import { optional } from './keys';
import { contextOf, finding, literalOf, postgresEntries, removeItemFix, type CheckedEntry, type Literal } from './context';

const TIME_UNITS = ['us', 'ms', 's', 'min', 'h', 'd'];
const MEMORY_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
const settingNames = serverSettings.map((s) => s.name);

/** Maps offsets in a string literal's decoded value to file offsets; falls back to the whole literal. */
function offsetMapper(src: string, literal: Literal & { kind: 'string' }): (from: number, to: number) => Span {
  const text = src.slice(literal.span.from, literal.span.to);
  const quoteAt = text.indexOf(literal.quote);
  const quoteLength = text.startsWith(literal.quote.repeat(3), quoteAt) ? 3 : 1;
  const contentFrom = literal.span.from + quoteAt + quoteLength;
  const content = src.slice(contentFrom, literal.span.to - quoteLength);
  const identity = content === literal.value;
  return (from, to) => (identity ? { from: contentFrom + from, to: contentFrom + to } : literal.span);
}

function unitProblem(setting: ServerSetting, value: string): string | undefined {
  if (setting.type !== 'int' && setting.type !== 'real') return undefined;
  const match = /^\s*[-+]?(\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*([A-Za-z]*)\s*$/.exec(value);
  if (!setting.unitKind) {
    if (match && match[2]) return `${setting.name} takes a plain number without a unit, not '${value}'.`;
    return undefined;
  }
  const units = setting.unitKind === 'time' ? TIME_UNITS : MEMORY_UNITS;
  const unitList = units.join(', ');
  if (!match) return `'${value}' is not a valid ${setting.name}: write one number with one unit (${unitList}), such as ${setting.unitKind === 'time' ? "'90min'" : "'64MB'"}.`;
  const unit = match[2];
  if (unit && !units.includes(unit)) {
    const close = units.find((u) => u.toLowerCase() === unit.toLowerCase());
    const hint = close ? ` Units are case-sensitive: write '${close}'.` : '';
    return `'${unit}' is not a unit the server accepts for ${setting.name} (${unitList}).${hint}`;
  }
  return undefined;
}

/** DPG108 malformed options string, DPG207 unknown setting name, DPG208 bad unit. */
export function optionsStringRule(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const { entry } of postgresEntries(contextOf(input), 'options')) {
    if (entry.key !== 'options') continue;
    const literal = literalOf(entry.value);
    if (literal?.kind !== 'string') continue;
    const map = offsetMapper(input.src.text, literal);
    const parsed = parseOptionsString(literal.value);
    for (const problem of parsed.problems) out.push(finding('DPG108', 'error', `Malformed 'options': ${problem.message} The server refuses the connection.`, map(problem.from, problem.to)));
    for (const setting of parsed.settings) {
      const known = findServerSetting(setting.name);
      if (!known) {
        if (setting.name.includes('.')) continue; // custom settings (myapp.tenant) are allowed
        const suggestion = suggest(setting.name, settingNames);
        // Our list holds the settings people use here, not all of PostgreSQL's: only a near miss is a typo.
        if (!suggestion) continue;
        out.push(finding('DPG207', 'warning', `Unknown server setting '${setting.name}': the server refuses the connection ("unrecognized configuration parameter").${didYouMean(suggestion)}`, map(setting.nameFrom, setting.nameTo), { fixes: literal.fromDefault ? undefined : optional(renameInOptionsFix(input.src.text, literal, setting, suggestion)) }));
        continue;
      }
      const problem = unitProblem(known, setting.value);
      if (problem) out.push(finding('DPG208', 'warning', `${problem} The server refuses the connection.`, map(setting.valueFrom, setting.valueTo)));
    }
  }
  return out;
}

function renameInOptionsFix(src: string, literal: Literal & { kind: 'string' }, setting: { nameFrom: number; nameTo: number }, newName: string): Fix | undefined {
  const span = offsetMapper(src, literal)(setting.nameFrom, setting.nameTo);
  if (span === literal.span) return undefined; // escapes in the literal: no exact position to edit
  return { title: `Change to '${newName}'`, edits: [{ from: span.from, to: span.to, newText: newName }], preferred: true };
}

/** A value as it must be written after `-c name=` (spaces escaped), or undefined when not a literal. */
function optionsValueText(literal: Literal | undefined): string | undefined {
  if (!literal || literal.fromDefault) return undefined;
  if (literal.kind === 'number') return literal.text;
  if (literal.kind === 'bool') return literal.value ? 'on' : 'off';
  if (literal.kind === 'string') return literal.value.replaceAll('\\', '\\\\').replaceAll(' ', '\\ ');
  return undefined;
}

/** Move `'statement_timeout': 5000` into the `options` string (extending it, or creating it in place). */
export function moveToOptionsStringFix(input: CheckInput, checked: CheckedEntry, settingName: string): Fix | undefined {
  const { entry } = checked;
  const valueText = optionsValueText(literalOf(entry.value));
  if (valueText === undefined) return undefined;
  const src = input.src.text;
  const item = `-c ${settingName}=${valueText}`;
  const title = `Move to 'options' as '${item}'`;
  const existing = checked.dict?.entries.find((e) => e.key === 'options');
  const existingLiteral = literalOf(existing?.value);
  if (existing && existingLiteral?.kind === 'string' && !existingLiteral.fromDefault) {
    const removal = removeItemFix(src, entry, title);
    if (!removal) return undefined;
    const escapedItem = existingLiteral.raw ? item : item.replaceAll('\\', '\\\\');
    const insertAt = existingLiteral.span.to - (src.slice(existingLiteral.span.from, existingLiteral.span.to).endsWith(existingLiteral.quote.repeat(3)) ? 3 : 1);
    const separator = existingLiteral.value.trim() === '' ? '' : ' ';
    return { title, edits: [{ from: insertAt, to: insertAt, newText: `${separator}${escapedItem}` }, ...removal.edits], preferred: true, safe: true };
  }
  if (existing || (entry.origin !== 'literal' && entry.origin !== 'keyword')) return undefined;
  const quote = entry.keyQuote || "'";
  const key = entry.keyQuote ? `${quote}options${quote}: ` : 'options=';
  return { title, edits: [{ from: entry.itemSpan.from, to: entry.itemSpan.to, newText: `${key}${quote}${item.replaceAll('\\', '\\\\')}${quote}` }], preferred: true, safe: true };
}
