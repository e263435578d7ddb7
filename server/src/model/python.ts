// Python source text and its syntax tree (@lezer/python): error-tolerant, and incremental on edits.
// Lezer keeps the structure of half-typed code (an unclosed brace, a key with no value), which is
// what completion needs while the user types.
import { parser } from '@lezer/python';
import { TreeFragment, type ChangedRange, type SyntaxNode, type Tree } from '@lezer/common';
import { relevantBlocks, topLevelBlocks } from './blocks';

export type { SyntaxNode, Tree };

/** A text change: replace [from, to) of the old text with `insertedLength` characters. */
export interface TextChange {
  from: number;
  to: number;
  insertedLength: number;
}

export class PythonSource {
  readonly tree: Tree;
  private readonly fragments: readonly TreeFragment[];

  private constructor(readonly text: string, tree: Tree, private readonly whole = false) {
    this.tree = tree;
    this.fragments = TreeFragment.addTree(tree);
  }

  static parse(text: string): PythonSource {
    return new PythonSource(text, parser.parse(text, undefined, rangesToParse(text)));
  }

  /** The whole file, however large (code analyses that are not about DATABASES need every statement). */
  static parseWhole(text: string): PythonSource {
    return new PythonSource(text, parser.parse(text), true);
  }

  /** Parse the new text, reusing the unchanged parts of this tree. */
  edit(newText: string, changes: readonly TextChange[]): PythonSource {
    if (changes.length === 0) return this.whole ? PythonSource.parseWhole(newText) : PythonSource.parse(newText);
    // Lezer wants the changes in old-document order with positions in both documents.
    const ranges: ChangedRange[] = [];
    let shift = 0;
    for (const change of [...changes].sort((a, b) => a.from - b.from)) {
      ranges.push({ fromA: change.from, toA: change.to, fromB: change.from + shift, toB: change.from + shift + change.insertedLength });
      shift += change.insertedLength - (change.to - change.from);
    }
    const fragments = TreeFragment.applyChanges(this.fragments, ranges);
    return new PythonSource(newText, parser.parse(newText, fragments, this.whole ? undefined : rangesToParse(newText)), this.whole);
  }

  textOf(node: { from: number; to: number }): string {
    return this.text.slice(node.from, node.to);
  }
}

/**
 * Files above this size are parsed only where DATABASES can be affected (see blocks.ts): a 10,000-line
 * settings file then costs milliseconds, not a full parse. Smaller files are parsed whole.
 */
export const SELECTIVE_PARSE_LENGTH = 64 * 1024;

function rangesToParse(text: string): { from: number; to: number }[] | undefined {
  if (text.length <= SELECTIVE_PARSE_LENGTH) return undefined;
  // Lezer positions a ranged tree relative to the first range: an empty range at 0 keeps positions
  // those of the document.
  const ranges = relevantBlocks(text, topLevelBlocks(text)).map((b) => ({ from: b.from, to: b.to }));
  return ranges[0]?.from === 0 ? ranges : [{ from: 0, to: 0 }, ...ranges];
}

/** Children of a node, error nodes included (their name is '⚠'). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

export const isErrorNode = (node: SyntaxNode): boolean => node.type.isError;

export interface DecodedString {
  value: string;
  quote: string;
  raw: boolean;
  /** An f-string or a byte string: not a plain constant. */
  interpolated: boolean;
  /** The closing quote is missing (the user is typing). */
  unterminated: boolean;
  /** Offset where the content starts, relative to the literal. */
  contentStart: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0',
};

/** Decode one Python string literal (prefix, quotes, escapes). */
export function decodeStringLiteral(literal: string): DecodedString {
  let i = 0;
  while (i < literal.length && 'rRbBuUfF'.includes(literal[i])) i++;
  const prefix = literal.slice(0, i).toLowerCase();
  const rest = literal.slice(i);
  const quoteChar = rest[0] === '"' ? '"' : "'";
  const triple = rest.startsWith(quoteChar.repeat(3));
  const quote = triple ? quoteChar.repeat(3) : quoteChar;
  const contentStart = i + quote.length;
  const unterminated = !(rest.length >= quote.length * 2 && rest.endsWith(quote));
  const body = literal.slice(contentStart, unterminated ? literal.length : literal.length - quote.length);
  const raw = prefix.includes('r');
  const value = raw ? body : unescape(body);
  return { value, quote: quoteChar, raw, interpolated: prefix.includes('f') || prefix.includes('b'), unterminated, contentStart };
}

function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
    else if (next === '\n') continue;
    else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + length);
      if (hex.length === length && [...hex].every((c) => '0123456789abcdefABCDEF'.includes(c))) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += length;
      } else out += '\\' + next;
    } else out += '\\' + next; // Python keeps unknown escapes as written.
  }
  return out;
}
