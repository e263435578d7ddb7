// "Toggle SQL Logging": the edit that adds the SQL logging block (the snippet shipped in
// snippets/django-sql-logging.code-snippets, so the command and the snippet never differ) at the end
// of a settings module, or removes the block when the module has it. Offsets in, offsets out.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PythonSource } from '../model/python';

const SNIPPET_FILE = 'django-sql-logging.code-snippets';
export const SQL_LOGGING_START = '# >>> Django Postgres: SQL logging';
export const SQL_LOGGING_END = '# <<< Django Postgres: SQL logging';

let cachedBlock: string | undefined;

/** The block as the snippet inserts it (it has no placeholders). */
export function sqlLoggingBlock(): string {
  if (cachedBlock) return cachedBlock;
  const path = [join(__dirname, '..', 'snippets', SNIPPET_FILE), join(__dirname, '..', '..', '..', '..', 'snippets', SNIPPET_FILE)].find(existsSync);
  if (!path) throw new Error(`${SNIPPET_FILE} is missing from the extension`);
  const [snippet] = Object.values(JSON.parse(readFileSync(path, 'utf8')) as Record<string, { body: string[] }>);
  cachedBlock = snippet.body.join('\n');
  return cachedBlock;
}

export interface SqlLoggingToggle {
  /** Whether the module logs SQL after the edit. */
  enabled: boolean;
  edit: { from: number; to: number; newText: string };
}

export function toggleSqlLogging(src: PythonSource): SqlLoggingToggle {
  const text = src.text;
  const comments = topLevelComments(src);
  const start = comments.find((c) => src.textOf(c).startsWith(SQL_LOGGING_START));
  const end = start && comments.find((c) => c.from > start.from && src.textOf(c).startsWith(SQL_LOGGING_END));
  if (start && end) {
    // Remove the lines of the block, and the blank line the command put before it.
    let from = text.lastIndexOf('\n', start.from - 1) + 1;
    if (text.slice(0, from).endsWith('\n\n')) from -= 1;
    const lineEnd = text.indexOf('\n', end.to);
    return { enabled: false, edit: { from, to: lineEnd < 0 ? text.length : lineEnd + 1, newText: '' } };
  }
  let block = sqlLoggingBlock();
  // A module that neither sets DEBUG nor star-imports a base module that may: read it without a NameError.
  if (!definesDebug(src)) block = block.replace('if DEBUG:', 'if globals().get("DEBUG"):');
  const lead = text.length === 0 ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return { enabled: true, edit: { from: text.length, to: text.length, newText: `${lead}${block}\n` } };
}

function topLevelComments(src: PythonSource) {
  const out = [];
  for (let node = src.tree.topNode.firstChild; node; node = node.nextSibling) if (node.name === 'Comment') out.push(node);
  return out;
}

/** A top-level `DEBUG = ...` or a `from ... import *` (split settings get DEBUG from their base). */
function definesDebug(src: PythonSource): boolean {
  for (let node = src.tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === 'AssignStatement' && node.firstChild?.name === 'VariableName' && src.textOf(node.firstChild) === 'DEBUG') return true;
    if (node.name === 'ImportStatement' && node.getChild('*')) return true;
  }
  return false;
}
