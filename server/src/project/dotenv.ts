// The project's .env: read it with the rules of the library the project uses (python-dotenv unless the
// settings say otherwise), find it, set one variable without disturbing the rest, and keep the file out
// of git. Django never reads .env itself: the project's code (load_dotenv, read_env, decouple) or the
// process that runs manage.py does.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PYTHON_DOTENV, readDotenvText, type DotenvReader } from './dotenvReaders';
import { parsePythonDotenv } from './pythonDotenv';

/** A .env file Python cannot decode: the project's reader stops with UnicodeDecodeError. */
export class DotenvDecodeError extends Error {}

/**
 * A .env file's text as Python decodes it (UTF-8, strict). Hover and diagnostics ask on every request:
 * the file is read again only when it changed (time or size), so a value written a moment ago is seen.
 */
export function readDotenvFileText(file: string): string | undefined {
  let stamp: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return undefined;
    stamp = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
  const cached = decodedFiles.get(file);
  if (cached?.stamp === stamp) return cached.text;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(file));
  } catch {
    throw new DotenvDecodeError(`${file} is not valid UTF-8: Python's .env readers stop with UnicodeDecodeError on it`);
  }
  decodedFiles.set(file, { stamp, text });
  return text;
}

const decodedFiles = new Map<string, { stamp: string; text: string }>();

/**
 * The variables a .env file gives the project, read with `reader`'s rules (python-dotenv by default),
 * or undefined when there is no such file. `environ` is the environment `${VAR}` expands from.
 */
export function readDotenv(file: string, reader: DotenvReader = PYTHON_DOTENV, environ: Record<string, string | undefined> = {}): Record<string, string> | undefined {
  const text = readDotenvFileText(file);
  if (text === undefined) return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of readDotenvText(text, reader, environ)) if (value !== null) values[key] = value;
  return values;
}

/**
 * The .env a project's lookups read: the nearest existing one in the folder of `file` (a settings file or
 * manage.py) or above it, up to `stopAt` (the workspace folder). The language server, the CLI and Run
 * migrate all read this one, and Save to .env writes to it (projectDotenvFile), so they never disagree.
 */
export function findDotenv(file: string, stopAt?: string, fileExists: (file: string) => boolean = existsSync): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    const candidate = path.join(dir, '.env');
    if (fileExists(candidate)) return candidate;
    const parent = path.dirname(dir);
    const insideStop = stopAt !== undefined && !path.relative(stopAt, parent).startsWith('..') && !path.isAbsolute(path.relative(stopAt, parent));
    if (parent === dir || !insideStop) return undefined;
    dir = parent;
  }
}

/**
 * Where to write a variable for the project a file belongs to: the .env its lookups already read
 * (findDotenv), else a new one next to the nearest manage.py above the file, else at the workspace root.
 */
export function projectDotenvFile(file: string, workspaceRoot: string | undefined, exists: (file: string) => boolean = existsSync): string {
  const existing = findDotenv(file, workspaceRoot, exists);
  if (existing) return existing;
  const inside = (dir: string) => workspaceRoot === undefined || dir === workspaceRoot || !path.relative(workspaceRoot, dir).startsWith('..');
  for (let dir = path.dirname(file); inside(dir); dir = path.dirname(dir)) {
    if (exists(path.join(dir, 'manage.py'))) return path.join(dir, '.env');
    if (path.dirname(dir) === dir) break;
  }
  return path.join(workspaceRoot ?? path.dirname(file), '.env');
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Characters every reader takes literally in an unquoted value. */
const PLAIN_VALUE = /^[A-Za-z0-9_\-.:/@%+,=]*$/;
/** Characters that end a line for one reader or another: never inside single quotes. */
// eslint-disable-next-line no-control-regex -- FS, GS and RS are line breaks to Python's str.splitlines
const LINE_BREAKS = /[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]/;

/**
 * A double-quoted value python-dotenv (every release since 1.0) reads back exactly: backslashes and
 * quotes escaped, line breaks as \r and \n, `${` written as `${:-$}{` (an empty-named variable whose
 * default is `$`: python-dotenv has no other way to keep `${` literal), and a trailing backslash
 * followed by `${:-}` so that releases before 1.2.3 do not take `\\"` for an escaped quote.
 */
export function encodeForPythonDotenv(value: string, interpolate = true): string {
  let body = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  if (interpolate) {
    body = body.replace(/\$\{/g, '${:-$}{');
    if (value.endsWith('\\')) body += '${:-}';
  }
  return `"${body}"`;
}

/** `'value'` when every reader (python-dotenv, django-environ, decouple, compose, npm dotenv) reads it back as is. */
function portableSingleQuoted(value: string): string | undefined {
  if (value.includes("'") || value.includes('\\') || value.includes('${') || LINE_BREAKS.test(value)) return undefined;
  return `'${value}'`;
}

/** A `NAME=value` line that `reader` (python-dotenv by default) reads back to exactly `value`. */
export function dotenvLine(name: string, value: string, reader: DotenvReader = PYTHON_DOTENV): string {
  if (!VARIABLE_NAME.test(name)) throw new Error(`"${name}" is not a valid environment variable name`);
  if (value.includes('\0')) throw new Error(`The value of ${name} holds a NUL character, which no environment variable can hold`);
  // From the most readable form to the most escaped; the first one the reader reads back exactly wins.
  const forms = [
    PLAIN_VALUE.test(value) ? value : undefined,
    portableSingleQuoted(value),
    encodeForPythonDotenv(value, reader.interpolate !== false),
    value,
  ];
  for (const form of forms) {
    if (form === undefined) continue;
    const line = `${name}=${form}`;
    if (readDotenvText(line, reader).get(name) === value) return line;
  }
  throw new Error(`The value of ${name} cannot be written so that the project's .env reader reads it back unchanged`);
}

/**
 * Sets one variable in a .env file: creates the file (readable by its owner only) if needed, rewrites
 * every assignment of the variable in place (as python-dotenv's set_key does; a quoted value may span
 * lines), keeps `export`, inline comments and every other byte of the file.
 */
export function writeDotenvVariable(file: string, name: string, value: string, reader: DotenvReader = PYTHON_DOTENV): void {
  const line = dotenvLine(name, value, reader);
  const text = readDotenvFileText(file);
  if (text === undefined) {
    writeFileSync(file, `${line}\n`, { mode: 0o600 });
    return;
  }
  const bom = text.startsWith('\ufeff') ? 1 : 0;
  const bindings = parsePythonDotenv(text.slice(bom)).filter((b) => b.key === name);
  let updated: string;
  if (bindings.length === 0) {
    const eol = /\r\n/.test(text) ? '\r\n' : '\n';
    const separator = text.slice(bom) === '' || /[\r\n]$/.test(text) ? '' : eol;
    updated = `${text}${separator}${line}${eol}`;
  } else {
    updated = text;
    for (const binding of [...bindings].reverse()) {
      updated = updated.slice(0, bom + binding.keyFrom) + line + updated.slice(bom + binding.valueTo);
    }
  }
  writeFileSync(file, updated);
}

function gitignorePatternMatches(pattern: string, entry: string): boolean {
  // A pattern ending in '/' matches folders only, never our file.
  if (pattern.endsWith('/')) return false;
  let body = pattern;
  const anchored = body.startsWith('/') || body.slice(0, -1).includes('/');
  body = body.replace(/^\/+/, '').replace(/^\*\*\//, '');
  if (anchored && body.includes('/')) return false;
  const regex = new RegExp(`^${body.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*+/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return regex.test(entry);
}

/** Whether a .gitignore's text ignores a file name at the repository root (last matching rule wins). */
export function gitignoreIgnores(gitignoreText: string, entry: string): boolean {
  let ignored = false;
  for (const raw of gitignoreText.split(/\r?\n/)) {
    const rule = raw.trim();
    if (rule === '' || rule.startsWith('#')) continue;
    const negated = rule.startsWith('!');
    if (gitignorePatternMatches(negated ? rule.slice(1) : rule, entry)) ignored = !negated;
  }
  return ignored;
}

export type GitignoreChange = 'already-ignored' | 'added' | 'created';

/** Makes sure `.gitignore` in workspaceDir ignores `entry` (a file name such as `.env`), appending a line if needed. */
export function ensureGitignored(workspaceDir: string, entry: string): GitignoreChange {
  const file = path.join(workspaceDir, '.gitignore');
  if (!existsSync(file)) {
    writeFileSync(file, `${entry}\n`);
    return 'created';
  }
  const text = readFileSync(file, 'utf8');
  if (gitignoreIgnores(text, entry)) return 'already-ignored';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  writeFileSync(file, `${text}${separator}${entry}${eol}`);
  return 'added';
}
