// The project's .env: read it (dotenv's own parser), find the one next to manage.py, set one variable
// without disturbing the rest, and keep the file out of git. Django never reads .env itself; we hand
// its variables to the process that runs manage.py.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'dotenv';

/** The variables of a .env file, or undefined when there is no such file. */
export function readDotenv(file: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  return parse(readFileSync(file));
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

/** A `NAME=value` line that dotenv parses back to exactly `value`. */
export function dotenvLine(name: string, value: string): string {
  if (!VARIABLE_NAME.test(name)) throw new Error(`"${name}" is not a valid environment variable name`);
  // Candidates from the most readable; the round trip through dotenv's parser picks the first faithful one.
  const forms = [
    /^[A-Za-z0-9_\-.:/@%+=,]*$/.test(value) ? value : undefined,
    value.includes("'") ? undefined : `'${value}'`,
    value.includes('`') ? undefined : `\`${value}\``,
    value.includes('"') || value.includes('\\') ? undefined : `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`,
    value,
  ];
  for (const form of forms) {
    if (form === undefined) continue;
    const line = `${name}=${form}`;
    if (parse(line)[name] === value) return line;
  }
  throw new Error(`The value of ${name} cannot be written to a .env file: it uses ', " and \` together with characters that need quoting, which dotenv cannot read back`);
}

/** Where each assignment of `name` starts and ends (a quoted value may span several lines). */
function assignmentSpans(lines: readonly string[], name: string): { start: number; end: number }[] {
  const head = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*[=:]\\s*(.*)$`);
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = head.exec(lines[i]);
    if (!match) continue;
    let end = i;
    const rest = match[1];
    const quote = rest[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !rest.slice(1).includes(quote)) {
      while (end + 1 < lines.length && !lines[end + 1].includes(quote)) end++;
      if (end + 1 < lines.length) end++;
    }
    spans.push({ start: i, end });
    i = end;
  }
  return spans;
}

/**
 * Sets one variable in a .env file: creates the file (readable by its owner only) if needed, replaces
 * the variable's existing line (dropping later duplicates), keeps every other line and the line endings.
 */
export function writeDotenvVariable(file: string, name: string, value: string): void {
  const line = dotenvLine(name, value);
  if (!existsSync(file)) {
    writeFileSync(file, `${line}\n`, { mode: 0o600 });
    return;
  }
  const text = readFileSync(file, 'utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const trailingNewline = lines[lines.length - 1] === '';
  if (trailingNewline) lines.pop();
  const spans = assignmentSpans(lines, name);
  if (spans.length === 0) {
    lines.push(line);
  } else {
    for (const span of [...spans].reverse()) {
      const replacement = span === spans[0] ? [line] : [];
      lines.splice(span.start, span.end - span.start + 1, ...replacement);
    }
  }
  writeFileSync(file, lines.join(eol) + eol);
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
