// Completion for DATABASES: keys per dict role, enum and boolean values, server settings inside the
// `options` string, and subscript keys (`DATABASES['default']['OPTIONS']['`).
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CatalogKey } from '../catalog/types';
import { locate, type Location } from '../model/locate';
import type { PythonSource } from '../model/python';
import type { DictRole, SettingsModel } from '../model/types';
import { renderKeyDoc, renderValueDoc } from './docs';
import { findKey, findServerSetting, keysFor, serverSettings, valuesOf } from './keys';

/**
 * Key lists are long (every libpq keyword): their documentation is sent on completionItem/resolve,
 * when the editor shows an item, instead of with every list.
 */
export type DocRef = { doc: 'key'; role: DictRole; name: string } | { doc: 'setting'; name: string };

export function resolveCompletion(item: CompletionItem): CompletionItem {
  const ref = item.data as DocRef | undefined;
  if (!ref || item.documentation) return item;
  const key = ref.doc === 'key' ? findKey(ref.role, ref.name) : findServerSetting(ref.name);
  if (key) item.documentation = { kind: MarkupKind.Markdown, value: renderKeyDoc(key, ref.doc === 'key' ? ref.role : 'setting') };
  return item;
}

export function complete(doc: TextDocument, src: PythonSource, model: SettingsModel, offset: number): CompletionItem[] {
  const at = locate(src, model, offset);
  if (!at) return [];
  const range: Range = { start: doc.positionAt(at.replace.from), end: doc.positionAt(at.replace.to) };
  switch (at.part) {
    case 'key':
      return at.role === 'databases' ? aliasItems(at, range) : keyItems(at, range);
    case 'value':
      return valueItems(at, range);
    case 'optionsSetting':
      return serverSettings.map((setting, index) => ({
        label: setting.name,
        kind: CompletionItemKind.Property,
        detail: setting.summary,
        data: { doc: 'setting', name: setting.name } satisfies DocRef,
        textEdit: { range, newText: `${setting.name}=` },
        sortText: String(index).padStart(4, '0'),
        command: { title: 'values', command: 'editor.action.triggerSuggest' },
      }));
    case 'optionsValue': {
      const setting = at.setting ? findServerSetting(at.setting) : undefined;
      return setting ? valuesOf(setting).map((v) => valueItem(setting, v.value, v.value, range, v.recommended)) : [];
    }
  }
}

function keyItems(at: Location, range: Range): CompletionItem[] {
  const present = new Set(at.existingKeys.filter((k) => k !== at.key));
  return keysFor(at.role)
    // Removed and legacy keys are never offered; libpq's debugging-only keywords come last; other
    // hidden keys (Oracle's TEST keys) are not for PostgreSQL.
    .filter((key) => !present.has(key.name) && (!key.hidden || (at.role === 'options' && !key.deprecated)))
    .map((key, index) => ({
      label: key.name,
      kind: CompletionItemKind.Property,
      detail: key.summary,
      data: { doc: 'key', role: at.role, name: key.name } satisfies DocRef,
      tags: key.deprecated ? [CompletionItemTag.Deprecated] : undefined,
      sortText: `${key.hidden ? 2 : key.deprecated ? 1 : 0}${String(index).padStart(4, '0')}`,
      filterText: at.inString ? key.name : `${at.quote}${key.name}`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: keyInsertText(key, at) },
    }));
}

/** `'sslmode': '${1|require,...|}'` outside a string; just the name (and closing quote) inside one. */
function keyInsertText(key: CatalogKey, at: Location): string {
  const name = escapeSnippet(key.name);
  if (at.keywordForm) return `${name}=${valuePlaceholder(key, at.quote)}`;
  if (at.inString) return at.unterminated ? `${name}${at.quote}: ${valuePlaceholder(key, at.quote)}` : name;
  return `${at.quote}${name}${at.quote}: ${valuePlaceholder(key, at.quote)}`;
}

function valuePlaceholder(key: CatalogKey, quote: string): string {
  const values = valuesOf(key);
  if (key.type === 'bool') return '${1|True,False|}';
  if (values.length && (key.type === 'enum' || key.name === 'ENGINE')) {
    const choices = [...values].sort((a, b) => Number(!!b.recommended) - Number(!!a.recommended)).map((v) => escapeChoice(v.value));
    return `${quote}\${1|${choices.join(',')}|}${quote}`;
  }
  if (key.type === 'dict') return '{$0}';
  if (key.type === 'int' || key.type === 'intOrNone' || key.type === 'real') return `\${1:${escapeSnippet(key.default && isNumeric(key.default) ? key.default : '0')}}`;
  return `${quote}$1${quote}`;
}

function valueItems(at: Location, range: Range): CompletionItem[] {
  const key = at.key ? findKey(at.role, at.key) : undefined;
  if (!key) return [];
  if (key.type === 'bool') return ['True', 'False'].map((v) => valueItem(key, v, v, range));
  if (key.type === 'intOrNone' && !at.inString) return [valueItem(key, 'None', 'None', range)];
  return valuesOf(key).map((v) => valueItem(key, v.value, at.inString ? v.value : `${at.quote}${v.value}${at.quote}`, range, v.recommended));
}

function valueItem(key: CatalogKey, label: string, newText: string, range: Range, recommended?: boolean): CompletionItem {
  const value = valuesOf(key).find((v) => v.value === label);
  return {
    label,
    kind: CompletionItemKind.EnumMember,
    detail: value ? `${key.name} = ${label}` : key.summary,
    documentation: { kind: MarkupKind.Markdown, value: value ? renderValueDoc(key, value) : renderKeyDoc(key, 'value') },
    textEdit: { range, newText },
    filterText: newText,
    sortText: recommended ? '0' : '1',
    preselect: recommended,
  };
}

/** In `DATABASES = {` the keys are aliases: offer `default` first. */
function aliasItems(at: Location, range: Range): CompletionItem[] {
  return ['default', 'replica']
    .filter((alias) => !at.existingKeys.includes(alias))
    .map((alias) => ({
      label: alias,
      kind: CompletionItemKind.Module,
      detail: alias === 'default' ? 'The alias Django uses unless told otherwise' : 'A second database, e.g. a read replica',
      textEdit: { range, newText: at.inString ? alias : `${at.quote}${alias}${at.quote}: {\n\t$0\n}` },
      insertTextFormat: InsertTextFormat.Snippet,
    }));
}

const escapeSnippet = (text: string) => text.replace(/[$}\\]/g, '\\$&');
const escapeChoice = (text: string) => text.replace(/[$}\\,|]/g, '\\$&');
const isNumeric = (text: string) => text.trim() !== '' && !Number.isNaN(Number(text));
