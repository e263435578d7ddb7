// Large settings files: find the top-level blocks that can matter to DATABASES, so the parser reads
// only those. A small Python tokenizer (strings, comments, brackets, line continuations — the lexical
// rules, not patterns over the text) splits the file into top-level blocks: a statement at column 0
// and the indented lines that belong to it.

export interface Block {
  from: number;
  to: number;
  /** The first identifier (an assignment target, or a keyword such as `import` or `if`). */
  first: string;
  /** The block mentions DATABASES (or another name that always matters). */
  mentionsKeyName: boolean;
}

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const STRING_PREFIX = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

/** Split Python source into top-level blocks. Linear in the text length. */
export function topLevelBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let depth = 0;
  let atLineStart = true;
  let continued = false;
  const n = text.length;
  let i = 0;
  const close = (end: number) => {
    if (current) {
      current.to = end;
      blocks.push(current);
    }
    current = undefined;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (atLineStart) {
      atLineStart = false;
      // A new top-level statement starts at column 0 outside brackets and continuations.
      if (depth === 0 && !continued && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 35) {
        close(i);
        current = { from: i, to: n, first: '', mentionsKeyName: false };
      }
      continued = false;
    }
    if (c === 10) {
      atLineStart = true;
      i++;
      continue;
    }
    if (c === 35) {
      // Comment to the end of the line.
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === 92 && (text.charCodeAt(i + 1) === 10 || (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10))) {
      continued = true;
      i += text.charCodeAt(i + 1) === 13 ? 2 : 1;
      continue;
    }
    if (c === 34 || c === 39) {
      i = skipString(text, i);
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      // Slicing every identifier of a large file costs more than the scan: compare in place.
      if ((next === 34 || next === 39) && j - i <= 2 && STRING_PREFIX.has(text.slice(i, j).toLowerCase())) {
        i = skipString(text, j);
        continue;
      }
      if (current) {
        if (current.first === '') current.first = text.slice(i, j);
        else if (!current.mentionsKeyName && isKeyName(text, i, j)) current.mentionsKeyName = true;
      }
      i = j;
      continue;
    }
    i++;
  }
  close(n);
  return blocks;
}

/** Index just past the string literal starting at `start` (a quote). Unterminated strings end at the line end. */
function skipString(text: string, start: number): number {
  const quote = text[start];
  const triple = text.startsWith(quote.repeat(3), start);
  let i = start + (triple ? 3 : 1);
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (triple) {
      if (text.startsWith(quote.repeat(3), i)) return i + 3;
    } else {
      if (c === quote) return i + 1;
      if (c === '\n') return i;
    }
    i++;
  }
  return text.length;
}

/** Names whose module-level meaning DATABASES may depend on, besides the names DATABASES blocks use. */
const ALWAYS_RELEVANT = ['DATABASES', 'USE_TZ', 'TIME_ZONE'];

function isKeyName(text: string, from: number, to: number): boolean {
  return ALWAYS_RELEVANT.some((name) => name.length === to - from && text.startsWith(name, from));
}

/** Every identifier of a block (only computed for the few relevant blocks). */
function namesIn(text: string, block: Block): string[] {
  const names: string[] = [];
  for (let i = block.from; i < block.to; ) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) i = skipString(text, i);
    else if (c === 35) {
      const end = text.indexOf('\n', i);
      i = end < 0 || end > block.to ? block.to : end;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < block.to && isIdentPart(text.charCodeAt(j))) j++;
      names.push(text.slice(i, j));
      i = j;
    } else i++;
  }
  return names;
}

/**
 * The blocks that can change what we know about DATABASES: imports, blocks that mention DATABASES,
 * and the assignments of every name those blocks use (followed transitively).
 */
export function relevantBlocks(text: string, blocks: Block[]): Block[] {
  const wanted = new Set<string>();
  const relevant = new Set<Block>();
  const mark = (block: Block) => {
    if (relevant.has(block)) return false;
    relevant.add(block);
    for (const name of namesIn(text, block)) wanted.add(name);
    return true;
  };
  for (const block of blocks) {
    if (block.first === 'import' || block.first === 'from' || block.mentionsKeyName || ALWAYS_RELEVANT.includes(block.first)) mark(block);
  }
  // Assignments of names used by relevant blocks (a dict defined earlier, `env = environ.Env()`...).
  for (let changed = true; changed; ) {
    changed = false;
    for (const block of blocks) {
      if (!relevant.has(block) && wanted.has(block.first) && mark(block)) changed = true;
    }
  }
  return blocks.filter((b) => relevant.has(b));
}
