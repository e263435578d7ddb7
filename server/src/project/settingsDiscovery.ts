// Which files of a project are Django settings files, found the way Django and the language server find them:
// the module manage.py names in DJANGO_SETTINGS_MODULE (with the other modules of its package, for split
// settings), files matching the settings globs, and any other Python file that assigns DATABASES.
// One small module on purpose: a full graph of settings modules can replace it behind the same functions.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { settingsModuleOf } from '../model/managePy';
import type { SettingsLoader } from '../model/resolve';
import { isSettingsFileName } from '../settings';
import { walkFiles } from './walk';

const MAX_DEPTH = 6;

/** manage.py in `start` or the nearest directory above it. */
export function findManagePyUpward(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'manage.py'))) return join(dir, 'manage.py');
    if (dirname(dir) === dir) return undefined;
  }
}

/** The file of a dotted module (`config.settings`) under one of the roots: a module, or a package's __init__.py. */
export function moduleFile(module: string, roots: readonly string[]): string | undefined {
  for (const root of roots) {
    const base = join(root, ...module.split('.'));
    for (const candidate of [`${base}.py`, join(base, '__init__.py')]) if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The settings module a manage.py names, as a file next to it; undefined when it names none or none exists. */
export function settingsFileOfManagePy(managePy: string): { module: string; file?: string } | undefined {
  let text: string;
  try {
    text = readFileSync(managePy, 'utf8');
  } catch {
    return undefined;
  }
  const module = settingsModuleOf(text);
  return module === undefined ? undefined : { module, file: moduleFile(module, [dirname(managePy)]) };
}

/** Python files under the roots (skipping virtualenvs, dependencies and hidden folders), shallowest first. */
function pythonFiles(roots: readonly string[]): string[] {
  return walkFiles(roots, MAX_DEPTH, (_path, name) => name.endsWith('.py')).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** Files matching the settings globs that define DATABASES (what the language server lists as settings files). */
export function findSettingsFiles(roots: readonly string[], globs: readonly string[], loader: SettingsLoader): string[] {
  return pythonFiles(roots).filter((path) => isSettingsFileName(path, globs) && loader.load(path)?.hasDatabases);
}

export interface DiscoveryOptions {
  globs: readonly string[];
  loader: SettingsLoader;
  /** A dotted settings module to check besides the ones manage.py names (pyproject's settings-module). */
  settingsModule?: string;
  /** Where that module is looked up; default: the roots. */
  moduleRoots?: readonly string[];
}

export interface Discovery {
  /** Settings files, the ones manage.py or the configuration names first. */
  files: string[];
  /** A settings module that was asked for and is not there. */
  missingModule?: string;
}

/** Every settings file under the roots, as `django-postgres check` with no file arguments sees them. */
export function discoverSettings(roots: readonly string[], options: DiscoveryOptions): Discovery {
  const all = pythonFiles(roots);
  const managePyFiles = all.filter((path) => basename(path) === 'manage.py');
  for (const root of roots) {
    // A project checked from a folder below its manage.py still follows it.
    const above = findManagePyUpward(root);
    if (above && !managePyFiles.includes(above)) managePyFiles.push(above);
  }
  const named: string[] = [];
  let missingModule: string | undefined;
  if (options.settingsModule) {
    const file = moduleFile(options.settingsModule, options.moduleRoots ?? roots);
    if (file) named.push(file);
    else missingModule = options.settingsModule;
  }
  for (const managePy of managePyFiles) {
    const file = settingsFileOfManagePy(managePy)?.file;
    if (file) named.push(file);
  }
  // A settings package (settings/__init__.py) is usually split: base.py, dev.py, production.py beside it.
  const packages = named.filter((file) => basename(file) === '__init__.py').map(dirname);
  const defines = (path: string) => {
    const text = readTextOrEmpty(path);
    // A cheap test first: only a file that names DATABASES can define it.
    return text.includes('DATABASES') && !!options.loader.load(path)?.hasDatabases;
  };
  const rest = all.filter((path) => {
    if (named.includes(path)) return false;
    if (packages.includes(dirname(path))) return defines(path) || isSettingsFileName(path, options.globs);
    return defines(path) || (isSettingsFileName(path, options.globs) && !!options.loader.load(path)?.hasDatabases);
  });
  return { files: [...new Set([...named, ...rest])], missingModule };
}

function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
