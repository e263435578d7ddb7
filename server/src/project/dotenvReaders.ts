// The other readers a Django project may hand its .env to, each with its own rules (README, "How .env
// is read"): django-environ's Env.read_env, python-decouple's RepositoryEnv, and docker compose's
// env_file parser (compose-go's dotenv package). python-dotenv itself lives in pythonDotenv.ts.
import { PY_SPACE, pythonDotenvValues, pythonTextMode } from './pythonDotenv';

export type DotenvReaderKind = 'python-dotenv' | 'django-environ' | 'decouple' | 'compose';

/** How a project reads a .env file: the library and the options it passes. */
export interface DotenvReader {
  kind: DotenvReaderKind;
  /** python-dotenv load_dotenv(override=True), django-environ read_env(overwrite=True): the file beats the environment. */
  override?: boolean;
  /** python-dotenv load_dotenv(interpolate=False). */
  interpolate?: boolean;
  /** django-environ read_env(parse_comments=True). */
  parseComments?: boolean;
}

export const PYTHON_DOTENV: DotenvReader = { kind: 'python-dotenv' };

/** A .env file and the library the project reads it with: where to write a variable. */
export interface DotenvTarget {
  file: string;
  reader: DotenvReader;
}

const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const pyStrip = (text: string) => text.replace(PY_STRIP, '');

/** Python's str.splitlines(): also breaks at VT, FF, FS, GS, RS, NEL, LS and PS. */
export function pySplitLines(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- FS, GS and RS are line breaks to Python
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const ENVIRON_LINE = /^(?:export )?([A-Za-z_0-9]+)=([\s\S]*)$/;
const ENVIRON_SINGLE_QUOTED = /^'([\s\S]*)'$/;
const ENVIRON_SINGLE_QUOTED_COMMENT = new RegExp(`^[${PY_SPACE}]*'([\\s\\S]*)'[${PY_SPACE}]*(#[\\s\\S]*)?$`);
const ENVIRON_DOUBLE_QUOTED = /^"([\s\S]*)"$/;

/**
 * django-environ's Env.read_env (0.12+; parse_comments=True is also what 0.11.0–0.11.2 always did).
 * `before010`: releases before 0.10 (Debian bookworm ships 0.4.4): no `export`, every `\X` becomes X,
 * and the first assignment of a key wins (each line went straight to os.environ.setdefault).
 */
export function djangoEnvironValues(fileText: string, parseComments = false, before010 = false): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of pySplitLines(pythonTextMode(fileText))) {
    const m1 = ENVIRON_LINE.exec(line);
    if (!m1 || (before010 && (line.startsWith('export ') || values.has(m1[1])))) continue;
    let value = m1[2];
    if (!parseComments) {
      value = ENVIRON_SINGLE_QUOTED.exec(value)?.[1] ?? value;
    } else {
      const quoted = ENVIRON_SINGLE_QUOTED_COMMENT.exec(value);
      value = quoted ? quoted[1] : value.split('#')[0];
    }
    const doubleQuoted = ENVIRON_DOUBLE_QUOTED.exec(value);
    // Every `\X` becomes X, except \n \r \t which stay as written.
    if (doubleQuoted) value = doubleQuoted[1].replace(/\\(.)/g, (all, char: string) => (!before010 && 'rnt'.includes(char) ? all : char));
    values.set(m1[1], value);
  }
  return values;
}

/** python-decouple's RepositoryEnv (3.x): strip, split at the first `=`, drop one pair of matching quotes. */
export function decoupleValues(fileText: string): Map<string, string> {
  const values = new Map<string, string>();
  // Python iterates a text file by '\n' after newline translation.
  for (const raw of pythonTextMode(fileText).split('\n')) {
    const line = pyStrip(raw);
    if (line === '' || line.startsWith('#') || !line.includes('=')) continue;
    const eq = line.indexOf('=');
    const key = pyStrip(line.slice(0, eq));
    let value = pyStrip(line.slice(eq + 1));
    if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]) value = value.slice(1, -1);
    values.set(key, value);
  }
  return values;
}

// ---- docker compose (compose-go's dotenv parser and its interpolation) ------------------------

/** Compose variable substitution: `$$`, `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:+r}`, `${VAR+r}`, `${VAR:?e}`, `${VAR?e}`. */
export function interpolateCompose(value: string, lookup: (name: string) => string | undefined, backslashEscapesDollar = false): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const char = value[i];
    // In an env_file, `\$` is a literal `$` (compose-go's dotenv expandVariables).
    if (backslashEscapesDollar && char === '\\' && value[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (char !== '$') {
      out += char;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(value, i + 2);
      if (end < 0) {
        out += value.slice(i);
        break;
      }
      out += substitute(value.slice(i + 2, end), lookup);
      i = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1))?.[0];
      if (name) {
        out += lookup(name) ?? '';
        i += 1 + name.length;
      } else {
        out += '$';
        i++;
      }
    }
  }
  return out;
}

/** The `}` that closes a `${`, skipping nested `${…}` in a default. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(body: string, lookup: (name: string) => string | undefined): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?])([\s\S]*))?$/.exec(body);
  if (!match) return '';
  const [, name, colon, operator, argument] = match;
  const value = lookup(name);
  const unset = value === undefined || (colon === ':' && value === '');
  if (operator === '-') return unset ? interpolateCompose(argument, lookup) : value!;
  if (operator === '+') return unset ? '' : interpolateCompose(argument, lookup);
  // `?` makes compose stop with an error when the variable is missing: nothing sensible to show.
  return value ?? '';
}

const COMPOSE_SPACE = /[\t\v\f\r \x85\xa0]/;

/**
 * compose-go's env_file / project .env parser: unquoted values end at ` #`, double-quoted values take
 * `\n`, `\r` and escaped characters, single quotes are literal, unquoted and double-quoted values are
 * interpolated (the shell environment first, then earlier keys). Returns undefined when compose would
 * reject the file (it aborts on the first error).
 */
export function composeEnvValues(fileText: string, environ: Record<string, string | undefined> = {}): Map<string, string> | undefined {
  const values = new Map<string, string>();
  const lookup = (name: string) => environ[name] ?? values.get(name);
  let rest = fileText.replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  for (;;) {
    rest = statementStart(rest);
    if (rest === '') return values;
    const located = locateKey(rest);
    if (!located) return undefined;
    const { key, left, inherited } = located;
    if (key.includes(' ')) return undefined;
    if (inherited) {
      const fromEnv = environ[key];
      if (fromEnv !== undefined) values.set(key, fromEnv);
      rest = left;
      continue;
    }
    const extracted = extractValue(left, lookup);
    if (!extracted) return undefined;
    values.set(key, extracted.value);
    rest = extracted.rest;
  }
}

function statementStart(text: string): string {
  for (;;) {
    const at = text.search(/[^\s\x85\xa0]/);
    if (at < 0) return '';
    text = text.slice(at);
    if (text[0] !== '#') return text;
    const newline = text.indexOf('\n');
    if (newline < 0) return '';
    text = text.slice(newline);
  }
}

function locateKey(text: string): { key: string; left: string; inherited: boolean } | undefined {
  let src = text.startsWith('export ') ? text.slice('export '.length) : text;
  src = src.replace(/^[\t\v\f\r \x85\xa0]+/, '');
  for (let i = 0; i < src.length; i++) {
    const char = src[i];
    if (COMPOSE_SPACE.test(char)) continue;
    if (char === '=' || char === ':' || char === '\n') {
      const key = src.slice(0, i).replace(/\s+$/, '');
      return { key, left: src.slice(i + 1).replace(/^[\t\v\f\r \x85\xa0]+/, ''), inherited: char === '\n' };
    }
    if (!/[_.\-[\]\p{L}\p{N}]/u.test(char)) return undefined;
  }
  // A last line with a bare name: compose copies it from the environment.
  return src === '' ? undefined : { key: src.replace(/\s+$/, ''), left: '', inherited: true };
}

function extractValue(src: string, lookup: (name: string) => string | undefined): { value: string; rest: string } | undefined {
  const quote = src[0];
  if (quote !== '"' && quote !== "'") {
    const newline = src.indexOf('\n');
    let value = newline < 0 ? src : src.slice(0, newline);
    const rest = newline < 0 ? '' : src.slice(newline + 1);
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment);
    return { value: interpolateCompose(value.replace(/\s+$/, ''), lookup, true), rest };
  }
  let chars = '';
  let escaped = false;
  for (let i = 1; i < src.length; i++) {
    const char = src[i];
    if (char !== quote) {
      if (!escaped && char === '\\') {
        escaped = true;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += '\\';
      }
      chars += char;
      continue;
    }
    if (escaped) {
      escaped = false;
      chars += char;
      continue;
    }
    const value = quote === '"' ? interpolateCompose(composeEscapes(chars), lookup, true) : chars;
    return { value, rest: src.slice(i + 1) };
  }
  return undefined;
}

/** `\n` and `\r` become line breaks, `\$` stays for the interpolation to keep, other `\X` become X. */
function composeEscapes(text: string): string {
  const expanded = text.replace(/\\[\s\S]/g, (match) => (match === '\\n' ? '\n' : match === '\\r' ? '\r' : match));
  return expanded.replace(/\\([^$])/g, '$1');
}

// ---- one entry point ----------------------------------------------------------------------------

/**
 * The variables a reader takes from a .env text, before they meet the process environment. For
 * python-dotenv, `${VAR}` is expanded against `environ` the way the reader's call does it.
 */
export function readDotenvText(text: string, reader: DotenvReader, environ: Record<string, string | undefined> = {}): Map<string, string | null> {
  switch (reader.kind) {
    case 'python-dotenv':
      return pythonDotenvValues(text, { environ, override: reader.override ?? false, interpolate: reader.interpolate });
    case 'django-environ':
      return djangoEnvironValues(text, reader.parseComments);
    case 'decouple':
      return decoupleValues(text);
    case 'compose':
      return composeEnvValues(text, environ) ?? new Map();
  }
}

/** The value a variable has in the project's process once the reader ran: who wins, the environment or the file. */
export function mergeWithEnvironment(fileValues: ReadonlyMap<string, string | null>, reader: DotenvReader, environ: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of fileValues) {
    if (value === null) continue;
    if (reader.override || environ[key] === undefined) merged[key] = value;
  }
  return merged;
}

/** A short name for messages and hovers: "python-dotenv load_dotenv(override=True)". */
export function describeReader(reader: DotenvReader): string {
  switch (reader.kind) {
    case 'python-dotenv':
      return `python-dotenv${reader.override ? ' (override=True)' : ''}${reader.interpolate === false ? ' (interpolate=False)' : ''}`;
    case 'django-environ':
      return `django-environ Env.read_env${reader.override ? ' (overwrite=True)' : ''}${reader.parseComments ? ' (parse_comments=True)' : ''}`;
    case 'decouple':
      return 'python-decouple config()';
    case 'compose':
      return 'docker compose env_file';
  }
}
