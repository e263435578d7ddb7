// From the settings model to what Django will see: settings files loaded with their star imports,
// environment lookups resolved (process environment, then .env, then the lookup's default) and
// DATABASE_URLs decoded.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { decodeDatabaseUrl } from './databaseUrl';
import { PythonSource } from './python';
import type { LookupEnvironment, ResolvedDatabase, ResolvedValue } from './resolved';
import { buildSettingsModel, type ImportedSettings } from './settingsModel';
import type { EffectiveAlias, EffectiveEntry, PyValue, SettingsModel } from './types';

/** Where settings files come from: disk, or an editor's unsaved text first. */
export type ReadText = (path: string) => string | undefined;

export const readFromDisk: ReadText = (path) => {
  try {
    // Settings files are small; a huge file is still read once and parsed tolerantly.
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Loads settings models, following `from .base import *` between modules of one package.
 * Caches by path and text, so an import shared by many files is parsed once.
 */
export class SettingsLoader {
  private readonly cache = new Map<string, { text: string; model: SettingsModel }>();
  private readonly loading = new Set<string>();

  constructor(private readonly readText: ReadText = readFromDisk) {}

  /** The model of a file whose source we already parsed (the open editor). */
  modelOf(path: string, source: PythonSource): SettingsModel {
    return buildSettingsModel(source, { resolveImport: (module, level) => this.resolveImport(path, module, level) });
  }

  load(path: string): SettingsModel | undefined {
    const text = this.readText(path);
    if (text === undefined || this.loading.has(path)) return undefined;
    const cached = this.cache.get(path);
    if (cached && cached.text === text) return cached.model;
    this.loading.add(path);
    try {
      const model = this.modelOf(path, PythonSource.parse(text));
      this.cache.set(path, { text, model });
      return model;
    } finally {
      this.loading.delete(path);
    }
  }

  forget(path: string): void {
    this.cache.delete(path);
  }

  private resolveImport(fromFile: string, module: string, level: number): ImportedSettings | undefined {
    for (const file of candidateModuleFiles(fromFile, module, level)) {
      const model = this.load(file);
      if (model) return { model, file };
    }
    return undefined;
  }
}

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
  return resolved;
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
