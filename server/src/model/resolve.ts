// From the settings model to what Django will see: settings files loaded with their star imports,
// environment lookups resolved (process environment, then .env, then the lookup's default) and
// DATABASE_URLs decoded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { decodeDatabaseUrl } from './databaseUrl';
import { PythonSource } from './python';
import type { LookupEnvironment, ResolvedDatabase, ResolvedValue } from './resolved';
import { buildSettingsModel } from './settingsModel';
import type { EffectiveAlias, EffectiveEntry, IncludeKind, PyValue, SettingsModel } from './types';

/** Where settings files come from: disk, or an editor's unsaved text first. */
export type ReadText = (path: string) => string | undefined;

/** Texts read from disk, by path, with the stamp (modification time and size) they were read at. */
const diskTexts = new Map<string, { stamp: string; text: string }>();

export const readFromDisk: ReadText = (path) => {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return undefined;
    // Checking a workspace of settings modules again costs a stat per file, not a read.
    const stamp = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
    const known = diskTexts.get(path);
    if (known?.stamp === stamp) return known.text;
    // Settings files are small; a huge file is still read once and parsed tolerantly.
    const text = readFileSync(path, 'utf8');
    diskTexts.set(path, { stamp, text });
    return text;
  } catch {
    return undefined;
  }
};

/**
 * Loads settings models, following `from .base import *`, split-settings `include()` and `exec(open(...))`
 * between modules. Caches by path and text, and re-checks a cached model's dependencies: editing base.py
 * rebuilds the modules that import it (from their cached parse), nothing else. Within one epoch (until the
 * next `invalidate()`), a module is checked once however many modules import it.
 */
export class SettingsLoader {
  private readonly cache = new Map<string, { text: string; source: PythonSource; model: SettingsModel; deps: Map<string, SettingsModel | undefined> }>();
  private readonly loading = new Set<string>();
  private epoch = new Map<string, SettingsModel | undefined>();
  /** Modules whose last build read this one. */
  private readonly dependents = new Map<string, Set<string>>();

  constructor(private readonly readText: ReadText = readFromDisk) {}

  /**
   * Something changed: check texts again on the next load. With a path (an editor's edit), only that module
   * and the modules that import it, directly or not; without one (files may have changed on disk), all.
   */
  invalidate(path?: string): void {
    if (path === undefined) {
      this.epoch = new Map();
      return;
    }
    const pending = [path];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (!this.epoch.delete(next) && next !== path) continue;
      pending.push(...(this.dependents.get(next) ?? []));
    }
  }

  /** The model of a file whose source we already parsed (the open editor). */
  modelOf(path: string, source: PythonSource): SettingsModel {
    return this.build(path, source).model;
  }

  /** Like modelOf, and keeps the result so modules importing this one reuse it. */
  remember(path: string, source: PythonSource): SettingsModel {
    const built = this.build(path, source);
    this.cache.set(path, { text: source.text, source, ...built });
    this.epoch.set(path, built.model);
    return built.model;
  }

  load(path: string): SettingsModel | undefined {
    if (this.epoch.has(path)) return this.epoch.get(path);
    const text = this.readText(path);
    if (text === undefined || this.loading.has(path)) return undefined;
    this.loading.add(path);
    try {
      const cached = this.cache.get(path);
      let model: SettingsModel;
      if (cached && cached.text === text && [...cached.deps].every(([dep, used]) => this.load(dep) === used)) model = cached.model;
      else {
        const source = cached && cached.text === text ? cached.source : PythonSource.parse(text);
        const built = this.build(path, source);
        this.cache.set(path, { text, source, ...built });
        model = built.model;
      }
      this.epoch.set(path, model);
      return model;
    } finally {
      this.loading.delete(path);
    }
  }

  forget(path: string): void {
    this.cache.delete(path);
    this.epoch.delete(path);
  }

  private build(path: string, source: PythonSource): { model: SettingsModel; deps: Map<string, SettingsModel | undefined> } {
    const deps = new Map<string, SettingsModel | undefined>();
    const loadDep = (file: string) => {
      const model = this.load(file);
      deps.set(file, model);
      let dependents = this.dependents.get(file);
      if (!dependents) this.dependents.set(file, (dependents = new Set()));
      dependents.add(path);
      return model;
    };
    const model = buildSettingsModel(source, {
      resolveImport: (module, level) => {
        for (const file of candidateModuleFiles(path, module, level)) {
          const model = loadDep(file);
          if (model) return { model, file };
        }
        return undefined;
      },
      resolveInclude: (pattern, kind) =>
        includedFiles(path, pattern, kind).flatMap((file) => {
          const model = loadDep(file);
          return model ? [{ model, file }] : [];
        }),
    });
    return { model, deps };
  }
}

/**
 * Files an `include('components/*.py')` (relative to the including file, globs sorted as split-settings does)
 * or an `exec(open('local_settings.py').read())` (the file's folder, then its parents) names.
 */
function includedFiles(fromFile: string, pattern: string, kind: IncludeKind): string[] {
  const dir = dirname(fromFile);
  if (isAbsolute(pattern)) return [pattern];
  if (kind === 'exec') {
    const found = [dir, dirname(dir), dirname(dirname(dir))].map((base) => join(base, pattern)).find(isFile);
    return found ? [found] : [];
  }
  if (!pattern.includes('*') && !pattern.includes('?')) return [join(dir, pattern)];
  const slash = pattern.lastIndexOf('/');
  const folder = join(dir, pattern.slice(0, slash + 1));
  const name = globPattern(pattern.slice(slash + 1));
  try {
    return readdirSync(folder)
      .filter((f) => name.test(f))
      .sort()
      .map((f) => join(folder, f));
  } catch {
    return [];
  }
}

function globPattern(glob: string): RegExp {
  const escaped = [...glob].map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${escaped}$`);
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Files a `from <module> import *` may name: relative to the package, or absolute from a project root. */
function candidateModuleFiles(fromFile: string, module: string, level: number): string[] {
  const parts = module ? module.split('.') : [];
  const asFiles = (base: string) => [join(base, ...parts) + '.py', join(base, ...parts, '__init__.py')];
  if (level > 0) {
    let base = dirname(fromFile);
    for (let i = 1; i < level; i++) base = dirname(base);
    return parts.length ? asFiles(base) : [join(base, '__init__.py')];
  }
  const roots: string[] = [];
  for (let dir = dirname(fromFile), i = 0; i < 6; i++, dir = dirname(dir)) {
    roots.push(dir);
    if (dirname(dir) === dir) break;
  }
  return roots.flatMap(asFiles);
}

// ---- value resolution ------------------------------------------------------------------------

export function resolveValue(value: PyValue | undefined, env: LookupEnvironment): ResolvedValue {
  if (!value) return { value: null, source: 'django-default' };
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return { value: value.value, source: 'literal' };
    case 'none':
      return { value: null, source: 'literal' };
    case 'env': {
      // override=True: a variable the .env sets beats the one in the environment.
      const fromProcess = env.dotenvOverrides && value.variable in env.dotenv ? undefined : env.process[value.variable];
      const found: ResolvedValue | undefined =
        fromProcess !== undefined
          ? { value: fromProcess, source: 'environment', variable: value.variable }
          : value.variable in env.dotenv
            ? { value: env.dotenv[value.variable], source: 'dotenv', variable: value.variable }
            : undefined;
      if (found) return { ...found, value: cast(found.value, value.cast) };
      if (value.default) return { ...resolveValue(value.default, env), source: 'default', variable: value.variable };
      return { value: null, source: 'missing', variable: value.variable };
    }
    default:
      return { value: value.kind === 'computed' ? value.text : null, source: 'computed' };
  }
}

function cast(value: ResolvedValue['value'], to: string | undefined): ResolvedValue['value'] {
  if (typeof value !== 'string') return value;
  if (to === 'int' && value.trim() !== '' && Number.isInteger(Number(value))) return Number(value);
  if (to === 'bool') return ['true', 'on', 'yes', '1'].includes(value.toLowerCase());
  return value;
}

const DJANGO_DEFAULTS: Record<string, ResolvedValue['value']> = {
  ENGINE: '',
  NAME: '',
  USER: '',
  PASSWORD: '',
  HOST: '',
  PORT: '',
  CONN_MAX_AGE: 0,
};

export function resolveAlias(alias: EffectiveAlias, settingsFile: string, env: LookupEnvironment): ResolvedDatabase {
  const fromEntries = (key: string): ResolvedValue => {
    const entry = alias.entries.get(key);
    return entry ? resolveValue(entry.entry.value, env) : { value: DJANGO_DEFAULTS[key] ?? null, source: 'django-default' };
  };
  const resolveMap = (entries: Map<string, EffectiveEntry>) =>
    Object.fromEntries([...entries].map(([key, e]) => [key, resolveValue(e.entry.value, env)]));
  const resolved: ResolvedDatabase = {
    alias: alias.alias,
    settingsFile,
    engine: fromEntries('ENGINE'),
    name: fromEntries('NAME'),
    user: fromEntries('USER'),
    password: fromEntries('PASSWORD'),
    host: fromEntries('HOST'),
    port: fromEntries('PORT'),
    connMaxAge: fromEntries('CONN_MAX_AGE'),
    options: resolveMap(alias.options),
    test: resolveMap(alias.test),
    envFile: env.dotenvFile,
  };
  if (env.dotenvTarget) {
    const variable = resolved.password.variable;
    const origin = variable ? env.dotenvOrigins?.[variable] : undefined;
    resolved.passwordDotenv = origin ? { file: origin.file, reader: origin.reader } : env.dotenvTarget;
  }
  if (alias.databaseUrl) applyDatabaseUrl(resolved, alias, env);
  const libpqEnvironment = libpqVariablesOf(env);
  if (Object.keys(libpqEnvironment).length) resolved.libpqEnvironment = libpqEnvironment;
  return resolved;
}

/** The PG* variables of the .env that reach Django's environment, where the process does not set them already. */
function libpqVariablesOf(env: LookupEnvironment): Record<string, string> {
  const exported: Record<string, string> = {};
  for (const [name, value] of Object.entries(env.dotenv)) {
    if (!name.startsWith('PG') || env.dotenvOrigins?.[name]?.reader.kind === 'decouple') continue;
    if (!env.dotenvOverrides && env.process[name] !== undefined) continue;
    exported[name] = value;
  }
  return exported;
}

function applyDatabaseUrl(resolved: ResolvedDatabase, alias: EffectiveAlias, env: LookupEnvironment): void {
  const url = alias.databaseUrl!;
  const variable = url.variable;
  let text: ResolvedValue = { value: null, source: 'missing', variable };
  if (variable !== undefined) {
    text = resolveValue({ kind: 'env', style: 'os.environ.get', variable, variableSpan: url.span, default: url.url, span: url.span }, env);
  } else if (url.url) text = resolveValue(url.url, env);
  resolved.databaseUrl = { variable, source: text.source };
  if (typeof text.value !== 'string') return;
  const decoded = decodeDatabaseUrl(text.value);
  if (!decoded) return;
  const fromUrl = (value: string): ResolvedValue => ({ value, source: 'url', variable });
  // Keys set explicitly next to the URL call win, as they do in Django (the dict is built after).
  const keep = (key: string, current: ResolvedValue) => (alias.entries.has(key) ? current : undefined);
  resolved.engine = keep('ENGINE', resolved.engine) ?? (decoded.engine ? fromUrl(decoded.engine) : resolved.engine);
  resolved.name = keep('NAME', resolved.name) ?? fromUrl(decoded.name);
  resolved.user = keep('USER', resolved.user) ?? fromUrl(decoded.user);
  resolved.password = keep('PASSWORD', resolved.password) ?? fromUrl(decoded.password);
  resolved.host = keep('HOST', resolved.host) ?? fromUrl(decoded.host);
  resolved.port = keep('PORT', resolved.port) ?? (decoded.port ? { ...fromUrl(decoded.port), value: Number(decoded.port) || decoded.port } : resolved.port);
  for (const [key, value] of Object.entries(decoded.options)) resolved.options[key] ??= fromUrl(value);
}

/** Every DATABASES alias of a settings file, resolved. The CLI and the language server share this. */
export function resolveSettingsFile(path: string, env: LookupEnvironment, loader = new SettingsLoader()): ResolvedDatabase[] {
  const absolute = resolvePath(path);
  const model = loader.load(absolute);
  return model ? model.aliases.map((alias) => resolveAlias(alias, absolute, env)) : [];
}
