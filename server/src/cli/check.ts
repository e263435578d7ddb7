// `django-postgres check`: the language server's diagnostics as a linter, following ruff's conventions.
// Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (or, with --diff, fixes to apply),
// 2 a usage or configuration error.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { checkSettings } from '../diagnostics';
import type { DiagnosticSettings, Finding, Severity } from '../diagnostics/types';
import { applySafeFixes } from '../features/fixes';
import { PythonSource } from '../model/python';
import { readFromDisk, SettingsLoader } from '../model/resolve';
import { pythonFilesOnDisk } from '../project/projectDotenv';
import { ProjectGraph } from '../settingsGraph/graph';
import { lookupEnvironmentFor, projectVersionsFor } from '../workspace';
import { discoverSettings, findManagePyUpward } from '../project/settingsDiscovery';
import { defaultServerSettings } from '../settings';
import { packageVersion } from '../version';
import { ConfigError, findProjectConfig, parseLibpqVersion, readProjectConfig, SEVERITIES, type ProjectConfig } from './config';
import { FORMATS, render, type Format, type Reported } from './formats';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** The tool as SARIF describes it. */
const TOOL = { name: 'django-postgres', informationUri: 'https://github.com/django-postgres/vscode-django-postgres' };

/** Rounds of --fix: a fix skipped because it overlapped another is applied in the next round. */
const MAX_FIX_ROUNDS = 5;

class UsageError extends Error {}

interface CheckOptions {
  format: Format;
  failOn: Severity;
  diagnostics: DiagnosticSettings;
  globs: string[];
  settingsModule?: string;
  fix: boolean;
  diff: boolean;
  /** List the settings files that would be checked, as ruff's --show-files does. */
  showFiles: boolean;
  config: ProjectConfig;
}

export function check(args: string[], io: Output): number {
  try {
    const { options, paths } = readOptions(args);
    const files = filesToCheck(paths, options, io);
    if (options.showFiles) {
      for (const file of files) io.out(displayPath(file));
      return 0;
    }
    return run(files, options, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`django-postgres check: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

function readOptions(args: string[]): { options: CheckOptions; paths: string[] } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      ignore: { type: 'string', multiple: true },
      'target-libpq': { type: 'string' },
      'fail-on': { type: 'string' },
      'settings-module': { type: 'string' },
      'extra-settings-glob': { type: 'string', multiple: true },
      config: { type: 'string' },
      fix: { type: 'boolean', default: false },
      diff: { type: 'boolean', default: false },
      'show-files': { type: 'boolean', default: false },
    },
  });
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  if (values['fail-on'] !== undefined && !SEVERITIES.includes(values['fail-on'] as Severity)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not "${values['fail-on']}"`);
  }
  const configFile = values.config ? resolve(values.config) : findProjectConfig(positionals[0] ? dirOf(resolve(positionals[0])) : process.cwd());
  if (values.config && !isFile(configFile!)) throw new UsageError(`--config ${values.config}: no such file`);
  const config = configFile ? readProjectConfig(configFile) : {};
  const ignore = values.ignore?.flatMap((list) => list.split(',').map((code) => code.trim().toUpperCase()).filter(Boolean));
  const badCode = ignore?.find((code) => !/^DPG\d{3}$/.test(code));
  if (badCode) throw new UsageError(`--ignore: "${badCode}" is not a diagnostic code such as DPG203`);
  const targetLibpq = values['target-libpq'] !== undefined
    ? parseLibpqVersion(values['target-libpq'], () => new UsageError('--target-libpq must be a libpq major version from 9 to 18'))
    : config.targetLibpq;
  // Command-line flags win over pyproject.toml, which wins over the defaults.
  const options: CheckOptions = {
    format: format as Format,
    failOn: (values['fail-on'] as Severity | undefined) ?? config.failOn ?? 'warning',
    diagnostics: {
      ignore: ignore ?? config.ignore ?? [],
      targetLibpqVersion: targetLibpq ?? defaultServerSettings.diagnostics.targetLibpqVersion,
    },
    globs: [...defaultServerSettings.settingsGlobs, ...(values['extra-settings-glob'] ?? config.extraSettingsGlobs ?? [])],
    settingsModule: values['settings-module'] ?? config.settingsModule,
    fix: values.fix,
    diff: values.diff,
    showFiles: values['show-files'],
    config,
  };
  return { options, paths: positionals };
}

/** Files named on the command line, the settings files of folders named there, or the project's. */
function filesToCheck(paths: string[], options: CheckOptions, io: Output): string[] {
  const loader = new SettingsLoader();
  const configDir = options.config.file ? dirname(options.config.file) : undefined;
  const discover = (root: string, settingsModule: string | undefined) => {
    const managePy = findManagePyUpward(root);
    const moduleRoots = [...new Set([configDir ?? root, ...(managePy ? [dirname(managePy)] : []), root])];
    return discoverSettings([root], { globs: options.globs, loader, settingsModule, moduleRoots });
  };
  if (!paths.length) {
    const managePy = findManagePyUpward(process.cwd());
    const root = configDir ?? (managePy ? dirname(managePy) : process.cwd());
    const found = discover(root, options.settingsModule);
    if (found.missingModule) throw new UsageError(`settings module ${found.missingModule} not found under ${displayPath(root) || '.'}`);
    if (!found.files.length) {
      throw new UsageError(
        `no Django settings found under ${displayPath(root) || '.'}: no manage.py naming DJANGO_SETTINGS_MODULE, and no file matching ${options.globs.join(' or ')} or assigning DATABASES. ` +
          'Name the settings files (django-postgres check path/to/settings.py) or set settings-module in [tool.django-postgres] of pyproject.toml.',
      );
    }
    return found.files;
  }
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    let stat;
    try {
      stat = statSync(absolute);
    } catch (error) {
      throw new UsageError(`${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (stat.isDirectory()) {
      // The configured module counts only when it lies inside the folder being checked.
      const found = discover(absolute, options.settingsModule).files.filter((file) => !relative(absolute, file).startsWith('..'));
      if (!found.length) io.err(`django-postgres check: warning: no Django settings found in ${path}`);
      files.push(...found);
    } else {
      files.push(absolute);
    }
  }
  return [...new Set(files)];
}

function run(files: string[], options: CheckOptions, io: Output): number {
  const reported: Reported[] = [];
  const patches: string[] = [];
  let fixedCount = 0;
  const loader = new SettingsLoader();
  // What the language server knows of the workspace, from the project's folder: entry modules and what
  // they import, the .env the settings load, the Django/psycopg/libpq installed or pinned.
  const managePy = findManagePyUpward(process.cwd());
  const roots = [options.config.file ? dirname(options.config.file) : managePy ? dirname(managePy) : process.cwd()];
  const project: ProjectView = { roots, graph: new ProjectGraph(roots, loader, readFromDisk), python: pythonFilesOnDisk(loader) };
  for (const file of files) {
    let text: string;
    let utf8: boolean;
    try {
      const bytes = readFileSync(file);
      text = bytes.toString('utf8');
      // Writing back a file that is not UTF-8 would replace its other bytes: such a file is checked, never fixed.
      utf8 = Buffer.from(text, 'utf8').equals(bytes);
    } catch (error) {
      io.err(`django-postgres check: ${displayPath(file)}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return 2;
    }
    const original = text;
    let findings = findingsOf(file, text, options, loader, project);
    if ((options.fix || options.diff) && !utf8) {
      io.err(`django-postgres check: ${displayPath(file)}: not UTF-8, so not fixed`);
    } else if (options.fix || options.diff) {
      for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
        const { text: fixed, applied } = applySafeFixes(text, findings);
        if (!applied.length) break;
        fixedCount += applied.length;
        text = fixed;
        findings = findingsOf(file, text, options, loader, project);
      }
      if (text !== original) {
        const shown = displayPath(file);
        patches.push(createTwoFilesPatch(`a/${shown}`, `b/${shown}`, original, text, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
        if (!options.diff) writeFileSync(file, text);
      }
    }
    const starts = lineStarts(text);
    for (const finding of findings) {
      const start = position(starts, finding.from);
      const end = position(starts, finding.to);
      reported.push({ file: displayPath(file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column, finding });
    }
  }

  if (options.diff) {
    // Like ruff: only the diff, nothing written, exit 1 when there is something to fix.
    if (patches.length) io.out(patches.join('').trimEnd());
    io.err(patches.length ? `${fixedCount} fix${fixedCount === 1 ? '' : 'es'} would be applied (run with --fix).` : 'No safe fixes to apply.');
    return patches.length ? 1 : 0;
  }
  if (patches.length) {
    // Machine-readable formats own stdout: the diff of what --fix wrote goes to stderr beside them.
    const write = options.format === 'text' ? io.out : io.err;
    write(patches.join('').trimEnd());
  }
  const output = render(options.format, reported, { ...TOOL, version: packageVersion(), baseUri: pathToFileURL(process.cwd()).toString() });
  if (output) io.out(output);
  if (options.format === 'text' || options.format === 'github') {
    const summary = summarize(reported, files.length, fixedCount);
    if (summary) io.err(summary);
  }
  const threshold = SEVERITIES.indexOf(options.failOn);
  return reported.some((r) => SEVERITIES.indexOf(r.finding.severity) <= threshold) ? 1 : 0;
}

interface ProjectView {
  roots: string[];
  graph: ProjectGraph;
  python: ReturnType<typeof pythonFilesOnDisk>;
}

function findingsOf(file: string, text: string, options: CheckOptions, loader: SettingsLoader, project: ProjectView): Finding[] {
  const src = PythonSource.parse(text);
  const model = loader.modelOf(file, src);
  return checkSettings({
    file, src, model, settings: options.diagnostics,
    env: lookupEnvironmentFor(file, project.roots, project.python),
    project: project.graph.contextFor(file),
    versions: projectVersionsFor(file, project.roots),
  });
}

function summarize(reported: readonly Reported[], fileCount: number, fixedCount: number): string {
  const parts: string[] = [];
  if (fixedCount) parts.push(`Fixed ${fixedCount} problem${fixedCount === 1 ? '' : 's'}.`);
  if (reported.length) {
    const bySeverity = SEVERITIES.map((s) => [s, reported.filter((r) => r.finding.severity === s).length] as const).filter(([, n]) => n > 0);
    const fixable = reported.filter((r) => r.finding.fixes?.some((f) => f.safe)).length;
    parts.push(
      `Found ${reported.length} problem${reported.length === 1 ? '' : 's'} (${bySeverity.map(([s, n]) => `${n} ${n === 1 || s === 'information' ? s : `${s}s`}`).join(', ')}) in ${fileCount} settings file${fileCount === 1 ? '' : 's'}.` +
        (fixable ? ` ${fixable} fixable with --fix.` : ''),
    );
  }
  return parts.join(' ');
}

/** Relative to the working directory with forward slashes when the file is under it, else absolute. */
function displayPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath.startsWith('..') || resolve(relativePath) !== resolve(file) ? resolve(file) : relativePath.split(sep).join('/');
}

function dirOf(path: string): string {
  return isFile(path) ? dirname(path) : path;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
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
