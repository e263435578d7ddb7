// The DATABASES snippets (snippets/django-databases.code-snippets) offered in context: where the value
// of `DATABASES =` is expected, completion offers each block's dict, and adds `import os` /
// `import dj_database_url` at the top when the block needs it and the file lacks it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PythonSource } from '../model/python';

interface SnippetFile {
  [title: string]: { prefix: string; description: string; body: string[] };
}

export interface DatabasesSnippet {
  title: string;
  prefix: string;
  description: string;
  /** The lines before `DATABASES =` (imports, comments). */
  preamble: string[];
  /** From the value after `DATABASES = ` to the end of the body. */
  value: string;
}

const SNIPPET_FILE = 'django-databases.code-snippets';

/** The snippet file ships next to dist/ in the .vsix, and lives at the repository root in tests. */
function snippetPath(): string | undefined {
  return [join(__dirname, '..', 'snippets', SNIPPET_FILE), join(__dirname, '..', '..', '..', '..', 'snippets', SNIPPET_FILE)].find(existsSync);
}

let cached: DatabasesSnippet[] | undefined;

export function databasesSnippets(): DatabasesSnippet[] {
  if (cached) return cached;
  const path = snippetPath();
  const file: SnippetFile = path ? JSON.parse(readFileSync(path, 'utf8')) : {};
  cached = Object.entries(file).flatMap(([title, snippet]) => {
    const at = snippet.body.findIndex((line) => line.startsWith('DATABASES = '));
    // Split-settings snippets that only mutate DATABASES are not values of `DATABASES =`.
    if (at < 0) return [];
    const value = [snippet.body[at].slice('DATABASES = '.length), ...snippet.body.slice(at + 1)].join('\n');
    return [{ title, prefix: snippet.prefix, description: snippet.description, preamble: snippet.body.slice(0, at), value }];
  });
  return cached;
}

/** Is the offset right after `DATABASES =` (nothing typed yet, or the start of a dict)? */
export function expectsDatabasesValue(src: PythonSource, offset: number): boolean {
  const lineStart = src.text.lastIndexOf('\n', offset - 1) + 1;
  let node = src.tree.resolveInner(offset, -1);
  while (node.parent && node.name !== 'AssignStatement' && node.from >= lineStart) node = node.parent;
  if (node.name !== 'AssignStatement') return false;
  const target = node.firstChild;
  const op = target?.nextSibling;
  if (!target || !op || src.textOf(target) !== 'DATABASES' || op.name !== 'AssignOp' || op.to > offset) return false;
  // Only whitespace (or an opening brace being typed) between `=` and the cursor.
  const between = src.text.slice(op.to, offset).trim();
  return between === '' || between === '{';
}

export function snippetItems(doc: TextDocument, src: PythonSource, offset: number): CompletionItem[] {
  if (!expectsDatabasesValue(src, offset)) return [];
  const assignOpEnd = src.text.lastIndexOf('=', offset - 1) + 1;
  const range = { start: doc.positionAt(assignOpEnd), end: doc.positionAt(offset) };
  return databasesSnippets().map((snippet, index) => ({
    label: snippet.prefix,
    kind: CompletionItemKind.Snippet,
    detail: snippet.title,
    documentation: { kind: MarkupKind.Markdown, value: `${snippet.description}\n\n\`\`\`python\nDATABASES = ${plainText(snippet.value)}\n\`\`\`` },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: ` ${snippet.value}` },
    additionalTextEdits: missingImports(doc, src, snippet.preamble),
    sortText: `0${index}`,
    filterText: `${snippet.prefix} ${snippet.title}`,
  }));
}

/** `import os` and friends from the snippet's preamble that the file does not import yet. */
function missingImports(doc: TextDocument, src: PythonSource, preamble: string[]): TextEdit[] {
  const imported = new Set<string>();
  for (let node = src.tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === 'ImportStatement') imported.add(src.textOf(node).trim());
  }
  const needed = preamble.filter((line) => line.startsWith('import ') && !imported.has(line.trim()));
  return needed.length ? [{ range: { start: doc.positionAt(0), end: doc.positionAt(0) }, newText: needed.map((l) => `${l}\n`).join('') }] : [];
}

/** The snippet with its placeholders replaced by their defaults, for documentation. */
export function plainText(body: string): string {
  return body
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}
