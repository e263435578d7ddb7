// The .env values a Django project's process really ends up with: which files its settings (and
// manage.py) load, with which library and options, in which order, and who wins against the
// environment. With no load in the code, the nearest .env is read with python-dotenv's rules (Run
// migrate hands it to manage.py's process).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findDotenvLoads, type DotenvLoad } from '../model/dotenvLoads';
import { PythonSource } from '../model/python';
import { settingsModuleOf } from '../model/managePy';
import { readFromDisk, resolveAlias, SettingsLoader } from '../model/resolve';
import { composeVariables, containerEnvironment, findComposeFiles, readComposeProject, type ComposeFile, type ComposeService } from './compose';
import type { DotenvOrigin, DotenvTarget, LookupEnvironment } from '../model/resolved';
import { readDotenvFileText, findDotenv, projectDotenvFile } from './dotenv';
import { describeReader, PYTHON_DOTENV, readDotenvText, type DotenvReader } from './dotenvReaders';

/** How to read Python files: the editor's unsaved text first, and the star imports of a settings module. */
export interface PythonFiles {
  readText(file: string): string | undefined;
  /** Files a settings module star-imports (`from .base import *`), in import order. */
  starImports(file: string): string[];
  /** The HOST of each DATABASES alias of a settings file, resolved in `env` (to spot a compose service name). */
  hostsOf?(file: string, env: LookupEnvironment): string[];
  /** The parsed source of a file the editor already holds, so it is not parsed a second time. */
  sourceOf?(file: string): PythonSource | undefined;
}

export interface ProjectDotenvOptions {
  workspaceRoot?: string;
  /** The environment the project's process starts with. */
  environ?: Record<string, string | undefined>;
  python?: PythonFiles;
  fileExists?: (file: string) => boolean;
  /** Only the files the code loads: no nearest-.env fallback (inside a container, nobody hands it over). */
  onlyLoads?: boolean;
}

/** One .env file the project reads. */
export interface DotenvSource extends DotenvOrigin {
  /** The load call, when the code makes one. */
  load?: DotenvLoad;
  /** The file is missing: the library reads nothing. */
  missing?: boolean;
}

export interface ProjectDotenv {
  /** The files read, in the order the process reads them. */
  sources: DotenvSource[];
  /** Loads the code makes whose file we cannot work out (named by a variable, a function...). */
  unresolved: DotenvLoad[];
  /** A file Python cannot decode: the project's settings import fails. */
  errors: string[];
  /** Merged variables as the files set them (each key from the source that wins). */
  values: Record<string, string>;
  origins: Record<string, DotenvOrigin>;
  /** A later load with override=True replaces values the environment already has. */
  overrides: boolean;
  /** Where a new variable should be written. */
  target: DotenvTarget;
}

/** Python files from disk, star imports followed by a settings loader of their own (the CLI, Run migrate). */
export function pythonFilesOnDisk(loader = new SettingsLoader()): PythonFiles {
  return { readText: readFromDisk, starImports: (file) => loader.load(file)?.starImports ?? [], hostsOf: settingsHosts(loader) };
}

/** hostsOf for PythonFiles: every alias's HOST as Django would see it. */
export function settingsHosts(loader: SettingsLoader): NonNullable<PythonFiles['hostsOf']> {
  return (file, env) => (loader.load(file)?.aliases ?? []).map((alias) => String(resolveAlias(alias, file, env).host.value ?? ''));
}

const loadsCache = new Map<string, { text: string; loads: DotenvLoad[] }>();
const loadsOfSource = new WeakMap<PythonSource, DotenvLoad[]>();

function loadsOf(file: string, python: PythonFiles): DotenvLoad[] {
  const source = python.sourceOf?.(file);
  if (source) {
    const known = loadsOfSource.get(source);
    if (known) return known;
    const loads = findDotenvLoads(source, file);
    loadsOfSource.set(source, loads);
    return loads;
  }
  const text = python.readText(file);
  if (text === undefined) return [];
  const cached = loadsCache.get(file);
  if (cached?.text === text) return cached.loads;
  const loads = findDotenvLoads(PythonSource.parse(text), file);
  loadsCache.set(file, { text, loads });
  return loads;
}

/** manage.py in the folder of `file` or above, within the workspace. */
export function nearestManagePy(file: string, workspaceRoot: string | undefined, fileExists: (file: string) => boolean = existsSync): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fileExists(path.join(dir, 'manage.py'))) return path.join(dir, 'manage.py');
    const outside = workspaceRoot !== undefined && (dir === workspaceRoot || path.relative(workspaceRoot, dir).startsWith('..'));
    if (outside || path.dirname(dir) === dir) return undefined;
  }
}

/** The modules that run, in order, when manage.py imports the settings: manage.py, the star-imported bases, the settings. */
function executionOrder(settingsFile: string, python: PythonFiles, managePy: string | undefined): string[] {
  const order: string[] = [];
  const visit = (file: string, depth: number) => {
    if (order.includes(file) || depth > 8) return;
    for (const imported of python.starImports(file)) visit(imported, depth + 1);
    order.push(file);
  };
  visit(settingsFile, 0);
  return managePy && managePy !== settingsFile ? [managePy, ...order] : order;
}

function walkUp(start: string, name: string, fileExists: (file: string) => boolean, stopBeforeRoot = false): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (stopBeforeRoot && path.dirname(dir) === dir) return undefined;
    if (fileExists(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The file a load reads, as its library finds it; undefined when it finds none. */
function fileOfLoad(load: DotenvLoad, caller: string, cwd: string, fileExists: (file: string) => boolean): string | undefined {
  switch (load.search) {
    case 'find_dotenv':
      return walkUp(path.dirname(caller), load.path ?? '.env', fileExists);
    case 'find_dotenv_cwd':
      return walkUp(cwd, load.path ?? '.env', fileExists);
    case 'beside_caller':
      return path.join(path.dirname(caller), '.env');
    case 'decouple':
      // AutoConfig: settings.ini before .env in each folder, from searchFrom up (the root is not searched).
      for (let dir = load.searchFrom ?? path.dirname(caller); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        if (fileExists(path.join(dir, 'settings.ini'))) return undefined;
        if (fileExists(path.join(dir, '.env'))) return path.join(dir, '.env');
      }
      return undefined;
    default:
      return load.path === undefined ? undefined : path.resolve(cwd, load.path);
  }
}

function readerOf(load: DotenvLoad): DotenvReader {
  switch (load.library) {
    case 'python-dotenv':
      return { kind: 'python-dotenv', override: load.override, interpolate: load.interpolate };
    case 'django-environ':
      return { kind: 'django-environ', override: load.override, parseComments: load.parseComments };
    case 'decouple':
      return { kind: 'decouple' };
  }
}

/**
 * What the project's .env files give its process: the loads its code makes (or, with none, the nearest
 * .env read as python-dotenv does), each file read with its library's rules against the environment
 * built so far.
 */
export function projectDotenv(settingsFile: string, options: ProjectDotenvOptions = {}): ProjectDotenv {
  const fileExists = options.fileExists ?? existsSync;
  const python = options.python ?? pythonFilesOnDisk();
  const managePy = nearestManagePy(settingsFile, options.workspaceRoot, fileExists);
  // manage.py runs from its own folder (Run migrate does so): relative paths start there.
  const cwd = path.dirname(managePy ?? settingsFile);
  const sources: DotenvSource[] = [];
  const unresolved: DotenvLoad[] = [];
  // PYTHON_DOTENV_DISABLED=1 turns every load_dotenv into a no-op (python-dotenv 1.2+).
  const dotenvDisabled = ['1', 'true', 't', 'yes', 'y'].includes((options.environ?.PYTHON_DOTENV_DISABLED ?? '').toLowerCase());
  for (const caller of executionOrder(settingsFile, python, managePy)) {
    for (const load of loadsOf(caller, python)) {
      if (dotenvDisabled && load.library === 'python-dotenv') continue;
      if (load.unresolved) {
        unresolved.push(load);
        continue;
      }
      const file = fileOfLoad(load, caller, cwd, fileExists);
      const reader = readerOf(load);
      const where = path.relative(options.workspaceRoot ?? cwd, caller) || path.basename(caller);
      if (file) sources.push({ file, reader, load, description: `\`${load.call}\` in ${where} (${describeReader(reader)})`, missing: !fileExists(file) });
    }
  }
  if (sources.length === 0 && unresolved.length === 0 && !options.onlyLoads) {
    const nearest = findDotenv(settingsFile, options.workspaceRoot ?? path.dirname(cwd), fileExists);
    if (nearest) sources.push({ file: nearest, reader: PYTHON_DOTENV, description: 'the extension\'s Run migrate, which hands it to manage.py (python-dotenv\'s rules). Your settings load no .env themselves, so runserver, gunicorn and the shell see these values only if something else sets them' });
  }
  const environ = { ...(options.environ ?? {}) };
  const values: Record<string, string> = {};
  const origins: Record<string, DotenvOrigin> = {};
  const errors: string[] = [];
  for (const source of sources) {
    if (source.missing) continue;
    let text: string | undefined;
    try {
      text = readDotenvFileText(source.file);
    } catch (error) {
      errors.push((error as Error).message);
    }
    if (text === undefined) continue;
    for (const [key, value] of readDotenvText(text, source.reader, environ)) {
      if (value === null) continue;
      const taken = environ[key] !== undefined;
      if (taken && !source.reader.override) continue;
      // A variable that came from an earlier file counts as "in the environment" for the next load.
      environ[key] = value;
      values[key] = value;
      origins[key] = { file: source.file, reader: source.reader, description: source.description };
    }
  }
  const first = sources.find((s) => !s.missing) ?? sources[0];
  const target: DotenvTarget = first
    ? { file: first.file, reader: first.reader }
    : { file: projectDotenvFile(settingsFile, options.workspaceRoot, fileExists), reader: PYTHON_DOTENV };
  return { sources, unresolved, errors, values, origins, overrides: sources.some((s) => s.reader.override), target };
}

/**
 * The lookup environment of a settings file: the process environment and the project's .env values.
 * When a DATABASES HOST is a docker compose service, Django runs in the compose network: the
 * environment is then the app container's (its env_file entries read with compose's rules, and
 * `environment:` on top), not the editor's.
 */
export function lookupEnvironmentOf(settingsFile: string, options: ProjectDotenvOptions & { environ: Record<string, string | undefined> }): LookupEnvironment {
  const project = projectDotenv(settingsFile, options);
  const onHost: LookupEnvironment = {
    process: options.environ,
    dotenv: project.values,
    dotenvFile: project.sources.find((s) => !s.missing)?.file,
    dotenvOverrides: project.overrides,
    dotenvOrigins: project.origins,
    dotenvTarget: project.target,
    dotenvNotes: notesOf(project),
  };
  const hostsOf = options.python?.hostsOf;
  if (!hostsOf) return onHost;
  const compose = readComposeProject(findComposeFiles(path.dirname(settingsFile), options.workspaceRoot, options.fileExists ?? existsSync), options.environ);
  const hosts = compose ? hostsOf(settingsFile, onHost) : [];
  const app = compose && hosts.some((host) => compose.services.some((s) => s.name === host)) ? appService(compose, hosts, onHost.dotenvFile) : undefined;
  return compose && app ? containerLookupEnvironment(settingsFile, compose, app, options) : onHost;
}

function notesOf(project: ProjectDotenv): string[] | undefined {
  const notes = [
    ...project.errors,
    ...project.unresolved.map((load) => `\`${load.call}\` loads a file the code computes at run time: its values are not shown here.`),
  ];
  return notes.length > 0 ? notes : undefined;
}

/** The service the Django code runs in: not a database host, built from source or fed an env_file (the project's .env first). */
function appService(compose: ComposeFile, hosts: string[], dotenvFile: string | undefined): ComposeService | undefined {
  const candidates = compose.services.filter((s) => !hosts.includes(s.name) && (s.build || s.envFiles.length > 0));
  const score = (s: ComposeService) => Number(s.envFiles.some((e) => e.path === dotenvFile)) * 2 + Number(s.build);
  return candidates.sort((a, b) => score(b) - score(a))[0];
}

function containerLookupEnvironment(settingsFile: string, compose: ComposeFile, app: ComposeService, options: ProjectDotenvOptions & { environ: Record<string, string | undefined> }): LookupEnvironment {
  const container = containerEnvironment(app, options.environ, composeVariables(path.dirname(compose.file), options.environ));
  const composeFile = path.basename(compose.file);
  const dotenv: Record<string, string> = {};
  const origins: Record<string, DotenvOrigin> = {};
  for (const [key, { value, file }] of Object.entries(container.fromFiles)) {
    dotenv[key] = value;
    origins[key] = { file, reader: { kind: 'compose' }, description: `\`env_file\` of compose service "${app.name}" in ${composeFile} (${describeReader({ kind: 'compose' })})` };
  }
  // The settings' own loads run in the container too, on top of what compose gave it.
  const inside = projectDotenv(settingsFile, { ...options, onlyLoads: true, environ: { ...dotenv, ...container.environment } });
  for (const [key, value] of Object.entries(inside.values)) {
    dotenv[key] = value;
    origins[key] = inside.origins[key];
  }
  const firstEnvFile = app.envFiles.find((e) => !e.raw)?.path;
  return {
    process: container.environment,
    dotenv,
    dotenvFile: firstEnvFile ?? inside.sources[0]?.file,
    dotenvOverrides: inside.overrides,
    dotenvOrigins: origins,
    dotenvTarget: firstEnvFile ? { file: firstEnvFile, reader: { kind: 'compose' } } : inside.target,
  };
}

/** The settings file a manage.py run imports: the module given, else the one manage.py sets by default. */
export function settingsFileOfManagePy(managePy: string, settingsModule: string | undefined, python: PythonFiles, fileExists: (file: string) => boolean = existsSync): string | undefined {
  const text = python.readText(managePy);
  const module = settingsModule ?? (text === undefined ? undefined : settingsModuleOf(text));
  if (!module) return undefined;
  const base = path.join(path.dirname(managePy), ...module.split('.'));
  return [`${base}.py`, path.join(base, '__init__.py')].find(fileExists);
}

/**
 * The variables Run migrate hands manage.py: none when the project's code loads its .env itself (its
 * own reader then reads it exactly), else the .env's values as python-dotenv reads them, leaving out
 * variables the environment already sets.
 */
export function manageRunEnvironment(managePy: string, settingsModule: string | undefined, options: ProjectDotenvOptions & { python: PythonFiles }): { variables: Record<string, string>; files: string[]; loadedByProject: boolean } {
  const settingsFile = settingsFileOfManagePy(managePy, settingsModule, options.python, options.fileExists) ?? managePy;
  const project = projectDotenv(settingsFile, options);
  const files = project.sources.filter((s) => !s.missing).map((s) => s.file);
  const loadedByProject = project.sources.some((s) => s.load !== undefined) || project.unresolved.length > 0;
  return { variables: loadedByProject ? {} : project.values, files, loadedByProject };
}
