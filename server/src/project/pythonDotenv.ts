// python-dotenv's .env grammar and `${VAR}` expansion, ported statement by statement from its parser
// (https://github.com/theskumar/python-dotenv, dotenv/parser.py and dotenv/variables.py, release 1.2.4).
// The differential test runs the real python-dotenv over the same files and compares the key/value maps.

/** Characters Python's `\s` and `str.isspace()` accept (JavaScript's `\s` is a different set). */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACE_NO_NEWLINE = PY_SPACE.replace('\\n', '').replace('\\r', '');

const sticky = (source: string, flags = '') => new RegExp(source, `y${flags}`);
const MULTILINE_WHITESPACE = sticky(`[${PY_SPACE}]*`);
const WHITESPACE = sticky(`[${PY_SPACE_NO_NEWLINE}]*`);
const EXPORT = sticky(`(?:export[${PY_SPACE_NO_NEWLINE}]+)?`);
const SINGLE_QUOTED_KEY = sticky("'([^']+)'");
const UNQUOTED_KEY = sticky(`([^=#${PY_SPACE}]+)`);
const EQUAL_SIGN = sticky(`(=[${PY_SPACE_NO_NEWLINE}]*)`);
// A backslash always pairs with the character after it (1.2.3+), so `\\"` closes the value.
const SINGLE_QUOTED_VALUE = sticky("'((?:\\\\[\\s\\S]|[^'\\\\])*)'");
const DOUBLE_QUOTED_VALUE = sticky('"((?:\\\\[\\s\\S]|[^"\\\\])*)"');
const UNQUOTED_VALUE = sticky('([^\\r\\n]*)');
const COMMENT = sticky(`(?:[${PY_SPACE_NO_NEWLINE}]*#[^\\r\\n]*)?`);
const END_OF_LINE = sticky(`[${PY_SPACE_NO_NEWLINE}]*(?:\\r\\n|\\n|\\r|$)`);
const REST_OF_LINE = sticky('[^\\r\\n]*(?:\\r\\n|\\r|\\n)?');
const INLINE_COMMENT = new RegExp(`[${PY_SPACE}]+#[\\s\\S]*`, 'g');
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** One statement of the file, with where it sits in the text (offsets into the text given to the parser). */
export interface DotenvBinding {
  /** undefined for blank lines, comments and statements python-dotenv rejects. */
  key?: string;
  /** null for a bare `KEY` (no `=`): python-dotenv knows the key but sets nothing. */
  value?: string | null;
  /** The statement was invalid: python-dotenv logs a warning and skips it. */
  error: boolean;
  /** 1-based line where the statement starts. */
  line: number;
  /** Where the key starts (after indentation and `export`). */
  keyFrom: number;
  /** Where the value (with its quotes) ends, before any inline comment. */
  valueTo: number;
  /** The whole statement including its line ending (python-dotenv's `original`). */
  from: number;
  to: number;
}

class ParseError extends Error {}

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  hasNext(): boolean {
    return this.position < this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.position);
  }

  readRegex(regex: RegExp): string[] {
    regex.lastIndex = this.position;
    const match = regex.exec(this.text);
    if (!match) throw new ParseError('pattern not found');
    this.position += match[0].length;
    return match.slice(1);
  }
}

function decodeEscapes(value: string, single: boolean): string {
  return value.replace(/\\([\s\S])/g, (all, char: string) => {
    if (single) return char === '\\' || char === "'" ? char : all;
    return DOUBLE_QUOTE_ESCAPES[char] ?? all;
  });
}

function parseValue(reader: Reader): string {
  const char = reader.peek();
  if (char === "'") return decodeEscapes(reader.readRegex(SINGLE_QUOTED_VALUE)[0], true);
  if (char === '"') return decodeEscapes(reader.readRegex(DOUBLE_QUOTED_VALUE)[0], false);
  if (char === '' || char === '\n' || char === '\r') return '';
  const [part] = reader.readRegex(UNQUOTED_VALUE);
  return part.replace(INLINE_COMMENT, '').replace(TRAILING_SPACE, '');
}

function parseBinding(reader: Reader, lineAt: (offset: number) => number): DotenvBinding {
  const from = reader.position;
  const done = (binding: Omit<DotenvBinding, 'from' | 'to' | 'line'>): DotenvBinding => ({ ...binding, from, to: reader.position, line: lineAt(from) });
  try {
    reader.readRegex(MULTILINE_WHITESPACE);
    if (!reader.hasNext()) return done({ error: false, keyFrom: reader.position, valueTo: reader.position });
    reader.readRegex(EXPORT);
    const keyFrom = reader.position;
    let key: string | undefined;
    if (reader.peek() === "'") [key] = reader.readRegex(SINGLE_QUOTED_KEY);
    else if (reader.peek() !== '#') [key] = reader.readRegex(UNQUOTED_KEY);
    reader.readRegex(WHITESPACE);
    let value: string | null = null;
    let valueTo = reader.position;
    if (reader.peek() === '=') {
      const [equalSign] = reader.readRegex(EQUAL_SIGN);
      const valueFrom = reader.position;
      // `KEY= # comment` is empty (1.2.4); `KEY=#x` keeps the `#`.
      value = equalSign.length > 1 && reader.peek() === '#' ? '' : parseValue(reader);
      valueTo = reader.position;
      if (!`'"`.includes(reader.text.charAt(valueFrom))) {
        // An unquoted value ends where its inline comment or its trailing blanks start.
        const part = reader.text.slice(valueFrom, valueTo);
        INLINE_COMMENT.lastIndex = 0;
        const comment = INLINE_COMMENT.exec(part);
        valueTo = valueFrom + (comment ? comment.index : part.replace(TRAILING_SPACE, '').length);
      }
    }
    reader.readRegex(COMMENT);
    reader.readRegex(END_OF_LINE);
    return done({ key, value: key === undefined ? undefined : value, error: false, keyFrom, valueTo });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    reader.readRegex(REST_OF_LINE);
    return done({ error: true, keyFrom: from, valueTo: from });
  }
}

/** Every statement of a .env text as python-dotenv splits it (the text as given: no newline translation). */
export function parsePythonDotenv(text: string): DotenvBinding[] {
  const reader = new Reader(text);
  const lineStarts = [0];
  for (const match of text.matchAll(/\r\n|\n|\r/g)) lineStarts.push(match.index + match[0].length);
  const lineAt = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return line + 1;
  };
  const bindings: DotenvBinding[] = [];
  while (reader.hasNext()) bindings.push(parseBinding(reader, lineAt));
  return bindings;
}

/** What Python's text-mode read of a UTF-8 file gives: CRLF and lone CR become LF. */
export function pythonTextMode(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** `${NAME}` and `${NAME:-default}`; nothing else is expanded (no `$NAME`, no escape). */
const POSIX_VARIABLE = /\$\{([^}:]*)(?::-([^}]*))?\}/g;

export function expandVariables(value: string, lookup: (name: string) => string | null | undefined): string {
  return value.replace(POSIX_VARIABLE, (_all, name: string, fallback: string | undefined) => {
    const found = lookup(name);
    if (found === undefined) return fallback ?? '';
    return found ?? '';
  });
}

export interface PythonDotenvOptions {
  /** The environment the Python process starts with (for `${VAR}` and for override=False). */
  environ?: Record<string, string | undefined>;
  /** load_dotenv(override=True) and dotenv_values(): the file's earlier values beat the environment in `${}` lookups. */
  override?: boolean;
  /** load_dotenv(interpolate=False). */
  interpolate?: boolean;
}

/**
 * The key/value map python-dotenv's `dotenv_values()` (override: true) or `load_dotenv()` computes for
 * a file's text: null for a bare key. Later duplicates win; `${}` sees only earlier keys.
 */
export function pythonDotenvValues(fileText: string, options: PythonDotenvOptions = {}): Map<string, string | null> {
  const text = pythonTextMode(fileText).replace(/^\ufeff/, '');
  const environ = options.environ ?? {};
  const values = new Map<string, string | null>();
  for (const binding of parsePythonDotenv(text)) {
    if (binding.key === undefined) continue;
    let value = binding.value ?? null;
    if (value !== null && options.interpolate !== false) {
      const lookup = (name: string) => {
        const fromEnviron = Object.prototype.hasOwnProperty.call(environ, name) ? environ[name] : undefined;
        const fromFile = values.has(name) ? values.get(name) : undefined;
        if (options.override === false) return fromEnviron !== undefined ? fromEnviron : fromFile;
        return fromFile !== undefined ? fromFile : fromEnviron;
      };
      value = expandVariables(value, lookup);
    }
    values.set(binding.key, value);
  }
  return values;
}
