// A small, tolerant reader for pgbouncer.ini: sections, `key = value` lines, `;`/`#` comment lines and
// `%include`. It never throws; lines it cannot read become problems. Offsets are UTF-16 indexes into the
// text, so the language server can turn them into positions. No LSP types here.
//
// PgBouncer's own rules, observed with 1.18: comments are whole lines only (`listen_port = 6432 ; x` makes
// the value `6432 ; x`), section and setting names are case-sensitive, the value is the rest of the line, trimmed.

export interface TextRange {
  from: number;
  to: number;
}

export interface IniSetting {
  key: string;
  keyRange: TextRange;
  value: string;
  /** Empty range right after `=` when the value is empty. */
  valueRange: TextRange;
  /** The whole line, without its line break. */
  lineRange: TextRange;
  /** Zero-based line number. */
  line: number;
  /** Section name as written ('' before the first header); PgBouncer matches it case-sensitively. */
  section: string;
}

export interface IniSection {
  /** Name as written between the brackets. */
  name: string;
  nameRange: TextRange;
  headerRange: TextRange;
  settings: IniSetting[];
}

export interface IniInclude {
  path: string;
  pathRange: TextRange;
  lineRange: TextRange;
}

export interface IniProblem {
  message: string;
  range: TextRange;
}

export interface IniFile {
  /** Sections in file order; settings before the first header live in a section named ''. */
  sections: IniSection[];
  includes: IniInclude[];
  problems: IniProblem[];
}

/** One `key=value` pair of a [databases], [users] or [peers] entry value. */
export interface ConnectionParam {
  key: string;
  keyRange: TextRange;
  /** Unquoted value. */
  value: string;
  valueRange: TextRange;
}

interface Line {
  text: string;
  start: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const match of text.matchAll(/\r\n|\r|\n/g)) {
    lines.push({ text: text.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  lines.push({ text: text.slice(start), start });
  return lines;
}

/** Range of `part` (found at `index` inside `line`) with surrounding blanks trimmed. */
function trimmedRange(line: Line, index: number, part: string): { text: string; range: TextRange } {
  const leading = part.length - part.trimStart().length;
  const text = part.trim();
  const from = line.start + index + leading;
  return { text, range: { from, to: from + text.length } };
}

export function parseIni(text: string): IniFile {
  const file: IniFile = { sections: [], includes: [], problems: [] };
  let current: IniSection | undefined;
  splitLines(text).forEach((line, lineNumber) => {
    const body = line.text.trim();
    const lineRange = { from: line.start, to: line.start + line.text.length };
    if (body === '' || body.startsWith(';') || body.startsWith('#')) return;
    const indent = line.text.length - line.text.trimStart().length;
    if (body.startsWith('[')) {
      const close = body.indexOf(']');
      const inner = close < 0 ? body.slice(1) : body.slice(1, close);
      const name = trimmedRange(line, indent + 1, inner);
      current = { name: name.text, nameRange: name.range, headerRange: lineRange, settings: [] };
      file.sections.push(current);
      if (close < 0) file.problems.push({ message: 'Section header is missing its closing `]`.', range: lineRange });
      else if (body.slice(close + 1).trim() !== '') {
        file.problems.push({ message: 'Unexpected text after the section header.', range: { from: line.start + indent + close + 1, to: lineRange.to } });
      }
      return;
    }
    if (body.startsWith('%include')) {
      const rest = line.text.slice(indent + '%include'.length);
      const path = trimmedRange(line, indent + '%include'.length, rest);
      file.includes.push({ path: path.text, pathRange: path.range, lineRange });
      if (path.text === '') file.problems.push({ message: '`%include` needs a file name.', range: lineRange });
      return;
    }
    const equals = line.text.indexOf('=');
    if (equals < 0) {
      file.problems.push({ message: 'Expected `name = value`, a `[section]` header or a comment.', range: { from: line.start + indent, to: lineRange.to } });
      return;
    }
    const key = trimmedRange(line, 0, line.text.slice(0, equals));
    const value = trimmedRange(line, equals + 1, line.text.slice(equals + 1));
    if (value.text === '') value.range = { from: line.start + equals + 1, to: line.start + equals + 1 };
    if (!current) {
      current = { name: '', nameRange: { from: 0, to: 0 }, headerRange: { from: 0, to: 0 }, settings: [] };
      file.sections.push(current);
    }
    if (key.text === '') {
      file.problems.push({ message: 'A setting name is missing before `=`.', range: lineRange });
      return;
    }
    current.settings.push({
      key: key.text, keyRange: key.range, value: value.text, valueRange: value.range, lineRange, line: lineNumber,
      section: current.name,
    });
  });
  return file;
}

/**
 * Splits a [databases]/[users]/[peers] entry value (`host=db port=5432 dbname=app`) into pairs.
 * Values may be single-quoted (`connect_query='SELECT 1'`, a quote inside doubled). `offset` is where
 * the value starts in the file, so the ranges are file offsets.
 */
export function parseConnectionParams(value: string, offset: number): { params: ConnectionParam[]; problems: IniProblem[] } {
  const params: ConnectionParam[] = [];
  const problems: IniProblem[] = [];
  let i = 0;
  const skipBlanks = () => { while (i < value.length && /\s/.test(value[i])) i++; };
  while (true) {
    skipBlanks();
    if (i >= value.length) break;
    const keyStart = i;
    while (i < value.length && !/[\s=]/.test(value[i])) i++;
    const key = value.slice(keyStart, i);
    skipBlanks();
    if (value[i] !== '=') {
      problems.push({ message: `Expected \`${key}=value\`.`, range: { from: offset + keyStart, to: offset + i } });
      continue;
    }
    i++;
    skipBlanks();
    let text = '';
    const valueStart = i;
    if (value[i] === "'") {
      i++;
      let closed = false;
      while (i < value.length) {
        if (value[i] === "'" && value[i + 1] === "'") { text += "'"; i += 2; continue; }
        if (value[i] === "'") { closed = true; i++; break; }
        text += value[i++];
      }
      if (!closed) problems.push({ message: 'Unclosed quote.', range: { from: offset + valueStart, to: offset + i } });
    } else {
      while (i < value.length && !/\s/.test(value[i])) text += value[i++];
    }
    params.push({ key, keyRange: { from: offset + keyStart, to: offset + keyStart + key.length }, value: text, valueRange: { from: offset + valueStart, to: offset + i } });
  }
  return { params, problems };
}

/** The last value of `key` in `section` (PgBouncer keeps the last one), or undefined. */
export function findSetting(file: IniFile, section: string, key: string): IniSetting | undefined {
  let found: IniSetting | undefined;
  for (const s of file.sections) {
    if (s.name !== section) continue;
    for (const setting of s.settings) if (setting.key === key) found = setting;
  }
  return found;
}
