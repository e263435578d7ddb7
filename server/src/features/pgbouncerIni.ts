// pgbouncer.ini: completion and hover for settings (by section) and their values, diagnostics from the
// PgBouncer engine. The ini parser and the checks live in server/src/pgbouncer; this is the LSP side.
import { CompletionItemKind, DiagnosticSeverity, MarkupKind, type CompletionItem, type Diagnostic, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pgbouncerRules } from '../catalog/pgbouncerRules';
import { pgbouncerSettings } from '../catalog/pgbouncerSettings';
import type { PgBouncerSetting } from '../catalog/types';
import { checkPgBouncerIni } from '../pgbouncer/check';
import { parseConnectionParams, parseIni, type IniSection } from '../pgbouncer/ini';
import { renderKeyDoc, renderValueDoc } from './docs';
import { findValue } from './keys';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };
const rulesByCode = new Map(pgbouncerRules.map((r) => [r.code, r]));
const ENTRY_SECTIONS = new Set(['databases', 'users', 'peers']);

export function pgbouncerDiagnostics(doc: TextDocument): Diagnostic[] {
  return checkPgBouncerIni(doc.getText()).map((d) => ({
    range: { start: doc.positionAt(d.from), end: doc.positionAt(d.to) },
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: rulesByCode.get(d.code) ? { href: rulesByCode.get(d.code)!.docsUrl } : undefined,
    source: 'Django Postgres',
    message: d.message,
  }));
}

/** The section the offset is in, and the line text before it. */
function context(doc: TextDocument, offset: number): { section: IniSection | undefined; lineBefore: string; lineStart: number } {
  const text = doc.getText();
  const file = parseIni(text);
  const section = [...file.sections].reverse().find((s) => s.headerRange.from <= offset);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { section, lineBefore: text.slice(lineStart, offset), lineStart };
}

function settingsFor(section: IniSection | undefined): PgBouncerSetting[] {
  const name = section?.name.toLowerCase() ?? 'pgbouncer';
  // In [databases]/[users]/[peers] the keys live inside the entry's value (`app = host=… port=…`).
  return pgbouncerSettings.filter((s) => s.section === (ENTRY_SECTIONS.has(name) ? name : 'pgbouncer'));
}

export function pgbouncerCompletion(doc: TextDocument, offset: number): CompletionItem[] {
  const { section, lineBefore, lineStart } = context(doc, offset);
  const trimmed = lineBefore.trimStart();
  if (trimmed.startsWith(';') || trimmed.startsWith('#') || trimmed.startsWith('[')) return [];
  const settings = settingsFor(section);
  const isEntrySection = ENTRY_SECTIONS.has(section?.name.toLowerCase() ?? '');
  const eq = lineBefore.indexOf('=');
  if (!isEntrySection && eq >= 0) {
    // After `key =`: the values of that key.
    const setting = settings.find((s) => s.name === lineBefore.slice(0, eq).trim());
    if (!setting?.values) return [];
    const valueStart = lineStart + eq + 1 + (lineBefore.slice(eq + 1).length - lineBefore.slice(eq + 1).trimStart().length);
    const range = { start: doc.positionAt(valueStart), end: doc.positionAt(offset) };
    return setting.values.map((v) => ({
      label: v.value,
      kind: CompletionItemKind.EnumMember,
      documentation: { kind: MarkupKind.Markdown, value: renderValueDoc(setting, v) },
      textEdit: { range, newText: v.value },
      sortText: v.recommended ? '0' : '1',
    }));
  }
  if (isEntrySection && eq < 0) return [];
  // A key: at the line start in [pgbouncer], or after a space inside an entry's connection string.
  const wordStart = Math.max(lineBefore.lastIndexOf(' '), isEntrySection ? lineBefore.indexOf('=') : -1) + 1;
  const range = { start: doc.positionAt(lineStart + wordStart), end: doc.positionAt(offset) };
  const present = new Set(section?.settings.map((s) => s.key));
  return settings
    .filter((s) => isEntrySection || !present.has(s.name))
    .map((s) => ({
      label: s.name,
      kind: CompletionItemKind.Property,
      detail: s.summary,
      documentation: { kind: MarkupKind.Markdown, value: renderKeyDoc(s, 'PgBouncer setting') },
      textEdit: { range, newText: isEntrySection ? `${s.name}=` : `${s.name} = ` },
    }));
}

export function pgbouncerHover(doc: TextDocument, offset: number): Hover | null {
  const text = doc.getText();
  const file = parseIni(text);
  for (const section of file.sections) {
    const settings = settingsFor(section);
    for (const setting of section.settings) {
      if (offset < setting.lineRange.from || offset > setting.lineRange.to) continue;
      if (ENTRY_SECTIONS.has(section.name.toLowerCase())) return entryParamHover(doc, settings, setting.value, setting.valueRange.from, offset);
      const known = settings.find((s) => s.name === setting.key);
      if (!known) return null;
      const onValue = offset >= setting.valueRange.from;
      const value = onValue ? findValue(known, setting.value) : undefined;
      const range = onValue ? setting.valueRange : setting.keyRange;
      return {
        contents: { kind: MarkupKind.Markdown, value: value ? renderValueDoc(known, value) : renderKeyDoc(known, 'PgBouncer setting') },
        range: { start: doc.positionAt(range.from), end: doc.positionAt(range.to) },
      };
    }
  }
  return null;
}

/** `app = host=db port=5432 pool_mode=transaction`: hover one of the entry's parameters. */
function entryParamHover(doc: TextDocument, settings: PgBouncerSetting[], value: string, valueFrom: number, offset: number): Hover | null {
  const param = parseConnectionParams(value, valueFrom).params.find((p) => p.keyRange.from <= offset && offset <= p.valueRange.to);
  const known = param && settings.find((s) => s.name === param.key);
  if (!param || !known) return null;
  const enumValue = offset >= param.valueRange.from ? findValue(known, param.value) : undefined;
  return {
    contents: { kind: MarkupKind.Markdown, value: enumValue ? renderValueDoc(known, enumValue) : renderKeyDoc(known, 'PgBouncer connection parameter') },
    range: { start: doc.positionAt(param.keyRange.from), end: doc.positionAt(param.valueRange.to) },
  };
}
