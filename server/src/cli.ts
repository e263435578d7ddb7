// `django-postgres`: the language server's engine on the command line, for CI and terminals.
//   django-postgres check [--format text|json] [--ignore CODES] [--target-libpq N] [files…]
//   django-postgres explain KEY
//   django-postgres test-connection [--settings FILE] [--alias A] [--env-file F] [--driver psycopg|psycopg2]
//     exit 0 Connected, 1 Failed, 2 usage error, 3 Cannot confirm (Django may fail for a reason the test cannot reproduce)
//   django-postgres create-db --admin postgres://… [--settings FILE] [--alias A] [--yes]
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkSettings, type Finding } from './diagnostics';
import { renderKeyDoc, renderValueDoc } from './features/docs';
import { allKeys, findServerSetting, findValue } from './features/keys';
import { PythonSource } from './model/python';
import { SettingsLoader } from './model/resolve';
import { runCreateDbCommand, runTestConnectionCommand } from './postgres/cliCommands';
import { defaultServerSettings } from './settings';

const USAGE = `Usage:
  django-postgres check [--format text|json] [--ignore DPG101,DPG202] [--target-libpq 13] [files...]
  django-postgres explain KEY[=VALUE]
  django-postgres test-connection [--settings FILE] [--alias ALIAS] [--env-file FILE] [--driver psycopg|psycopg2]
      exit 0 Connected, 1 Failed, 3 Cannot confirm
  django-postgres create-db --admin postgres://USER@HOST:PORT [--settings FILE] [--alias ALIAS] [--yes]`;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const console_: Output = { out: (line) => process.stdout.write(line + '\n'), err: (line) => process.stderr.write(line + '\n') };

export async function main(argv: string[], io: Output = console_): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return check(rest, io);
    case 'explain':
      return explain(rest, io);
    case 'test-connection':
    case 'create-db':
      return postgresCommand(command, rest, io);
    case undefined:
    case '-h':
    case '--help':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

function check(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, ignore: { type: 'string', default: '' }, 'target-libpq': { type: 'string' } },
  });
  const files = positionals.length ? positionals : ['settings.py'];
  const settings = {
    ignore: values.ignore ? values.ignore.split(',').map((c) => c.trim()) : [],
    targetLibpqVersion: Number(values['target-libpq'] ?? defaultServerSettings.diagnostics.targetLibpqVersion),
  };
  const loader = new SettingsLoader();
  const report: { file: string; line: number; column: number; endLine: number; endColumn: number; finding: Finding }[] = [];
  let unreadable = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      unreadable++;
      continue;
    }
    const src = PythonSource.parse(text);
    const model = loader.modelOf(resolve(file), src);
    const lines = lineStarts(text);
    for (const finding of checkSettings({ file, src, model, settings })) {
      const start = position(lines, finding.from);
      const end = position(lines, finding.to);
      report.push({ file: displayPath(file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column, finding });
    }
  }
  if (values.format === 'json') {
    io.out(JSON.stringify(report.map((r) => ({ file: r.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, severity: r.finding.severity, code: r.finding.code, message: r.finding.message })), null, 2));
  } else {
    for (const r of report) io.out(`${r.file}:${r.line}:${r.column} ${r.finding.severity} ${r.finding.code} ${r.finding.message}`);
  }
  return report.some((r) => r.finding.severity === 'error') || unreadable ? 1 : 0;
}

async function postgresCommand(command: 'test-connection' | 'create-db', args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      settings: { type: 'string' },
      alias: { type: 'string' },
      'env-file': { type: 'string' },
      driver: { type: 'string' },
      admin: { type: 'string' },
      yes: { type: 'boolean', default: false },
    },
  });
  const common = { settings: values.settings, alias: values.alias, envFile: values['env-file'] };
  const cliIo = { log: io.out, error: io.err };
  if (command === 'test-connection') {
    if (values.driver !== undefined && values.driver !== 'psycopg' && values.driver !== 'psycopg2') {
      io.err('--driver is psycopg (psycopg 3, Django\'s default) or psycopg2.');
      return 2;
    }
    return runTestConnectionCommand({ ...common, driver: values.driver }, cliIo);
  }
  if (!values.admin) {
    io.err('create-db needs --admin postgres://USER@HOST:PORT (the password from PGPASSWORD, never on the command line).');
    return 2;
  }
  return runCreateDbCommand({ ...common, admin: values.admin, yes: values.yes }, cliIo);
}

function explain(args: string[], io: Output): number {
  const [query] = args;
  if (!query) {
    io.err('explain needs a key, e.g. `django-postgres explain sslmode` or `explain sslmode=verify-full`.');
    return 2;
  }
  const [name, value] = query.split('=', 2);
  const matches = allKeys().filter(({ key }) => key.name === name || key.name.toLowerCase() === name.toLowerCase());
  const setting = findServerSetting(name);
  if (!matches.length && !setting) {
    io.err(`No DATABASES key, TEST key, OPTIONS key or server setting is called "${name}".`);
    return 1;
  }
  const docs = matches.map(({ key, role }) => {
    const enumValue = value !== undefined ? findValue(key, value) : undefined;
    return enumValue ? renderValueDoc(key, enumValue) : renderKeyDoc(key, role);
  });
  if (setting && !matches.length) docs.push(renderKeyDoc(setting, 'setting'));
  io.out(docs.join('\n\n---\n\n'));
  return 0;
}

/** Relative to the working directory when the file is under it, else absolute. */
function displayPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath && !relativePath.startsWith('..') ? relativePath : resolve(file);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`django-postgres: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
