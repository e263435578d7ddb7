// Entry modules: the settings modules DJANGO_SETTINGS_MODULE names in manage.py, wsgi.py, asgi.py, pytest
// and tox configuration, .env and compose files. Python files are read with the settings model's parser;
// INI, TOML, dotenv and compose files with line readers (they are not Python).
import { basename, dirname, join } from 'node:path';
import { settingsModuleOf } from '../model/managePy';
import { COMPOSE_FILE_NAMES, interpolateCompose, parseCompose } from '../project/compose';
import { readDotenv } from '../project/dotenv';
import { SKIPPED_DIRS as WORKSPACE_SKIPPED_DIRS, walkFiles } from '../project/walk';
import { kindOfName } from './kinds';
import type { EntryModule, ModuleKind } from './types';

const PYTHON_ENTRIES = new Set(['manage.py', 'wsgi.py', 'asgi.py']);
const CONFIG_ENTRIES = new Set(['pytest.ini', 'pyproject.toml', 'setup.cfg', 'tox.ini', '.env']);
const SKIPPED_DIRS = new Set([...WORKSPACE_SKIPPED_DIRS, 'static', 'media', 'migrations', 'node_modules']);
const MAX_DEPTH = 5;
const VARIABLE = 'DJANGO_SETTINGS_MODULE';

export type ReadText = (path: string) => string | undefined;
export type FileExists = (path: string) => boolean;

/** The files under the roots that may name DJANGO_SETTINGS_MODULE. */
function entryDeclarations(roots: readonly string[]): string[] {
  // .env is a dotfile: accepted by name, while dot-folders are still skipped.
  return walkFiles(roots, MAX_DEPTH, (_path, name) => PYTHON_ENTRIES.has(name) || CONFIG_ENTRIES.has(name) || COMPOSE_FILE_NAMES.includes(name), SKIPPED_DIRS).sort();
}

/** `DJANGO_SETTINGS_MODULE = x` in INI and TOML files (pytest.ini, setup.cfg, tox.ini setenv, pyproject.toml), quoted or not. */
function settingsModulesInConfig(text: string): string[] {
  const modules: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) continue;
    line = line.replace(/^-\s*/, '').replace(/^export\s+/, '').replace(/^["']/, '');
    if (!line.startsWith(VARIABLE)) continue;
    const rest = line.slice(VARIABLE.length).replace(/^["']/, '').trimStart();
    if (rest[0] !== '=' && rest[0] !== ':') continue;
    const value = unquote(rest.slice(1).trim().replace(/\s+[#;].*$/, ''));
    if (/^[A-Za-z_][\w.]*$/.test(value)) modules.push(value);
  }
  return modules;
}

function unquote(text: string): string {
  const t = text.replace(/,$/, '').trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}

/** The module names one declaring file gives. */
export function settingsModulesIn(file: string, text: string): string[] {
  const name = basename(file);
  if (PYTHON_ENTRIES.has(name)) {
    const module = settingsModuleOf(text);
    return module ? [module] : [];
  }
  if (name === '.env') {
    // The project's own dotenv reader, so quoting and comments are read as the project's tools read them.
    const module = readDotenv(file)?.[VARIABLE];
    return module && /^[A-Za-z_][\w.]*$/.test(module) ? [module] : [];
  }
  if (COMPOSE_FILE_NAMES.includes(name)) {
    let modules: string[];
    try {
      modules = parseCompose(text, file).services.map((s) => s.environment[VARIABLE]).filter((v): v is string => !!v);
    } catch {
      return []; // not valid YAML: compose itself would refuse it
    }
    return modules.map((m) => interpolateCompose(m, {})).filter((m) => /^[A-Za-z_][\w.]*$/.test(m));
  }
  return settingsModulesInConfig(text);
}

/** A dotted module name as a file, from the declaring file's folder or one above it (where manage.py sits). */
export function moduleFile(module: string, declaredIn: string, exists: FileExists): string | undefined {
  const parts = module.split('.');
  for (let dir = dirname(declaredIn), i = 0; i < 4; i++, dir = dirname(dir)) {
    for (const candidate of [join(dir, ...parts) + '.py', join(dir, ...parts, '__init__.py')]) if (exists(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  return undefined;
}

/** What the declaring file says about the module when its name does not say it. */
function kindOf(module: string, declaredIn: string): ModuleKind {
  const byName = kindOfName(module.split('.').slice(-1)[0]);
  if (byName !== 'unknown') return byName;
  const name = basename(declaredIn);
  if (name === 'wsgi.py' || name === 'asgi.py') return 'production';
  if (name === 'pytest.ini' || name === 'tox.ini' || name === 'setup.cfg' || name === 'pyproject.toml') return 'test';
  if (COMPOSE_FILE_NAMES.includes(name)) return 'development';
  return 'unknown';
}

export function discoverEntries(roots: readonly string[], readText: ReadText, exists: FileExists): EntryModule[] {
  const entries: EntryModule[] = [];
  for (const declaredIn of entryDeclarations(roots)) {
    const text = readText(declaredIn);
    if (text === undefined) continue;
    for (const module of settingsModulesIn(declaredIn, text)) {
      const file = moduleFile(module, declaredIn, exists);
      if (file && !entries.some((e) => e.file === file && e.declaredIn === declaredIn)) entries.push({ module, file, declaredIn, kind: kindOf(module, declaredIn) });
    }
  }
  return entries;
}
