// `[tool.django-postgres]` in pyproject.toml: the closest pyproject.toml that has the table, as ruff finds
// `[tool.ruff]`. Keys are kebab-case like ruff's; an unknown key or a wrong type is a usage error, never ignored.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as Toml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { Severity } from '../diagnostics/types';

// smol-toml ships CommonJS beside its ES module, but its types are ES-only: require the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('smol-toml') as typeof Toml;

export interface ProjectConfig {
  /** The pyproject.toml it came from (undefined: no configuration). */
  file?: string;
  ignore?: string[];
  targetLibpq?: number;
  /** Dotted module, relative to the pyproject.toml's folder (or manage.py's). */
  settingsModule?: string;
  /** Globs added to the default settings globs. */
  extraSettingsGlobs?: string[];
  failOn?: Severity;
}

export class ConfigError extends Error {}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
const CODE = /^DPG\d{3}$/;

/** The closest pyproject.toml at or above `start` with a [tool.django-postgres] table. */
export function findProjectConfig(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate) && /^\s*\[tool\.django-postgres\]/m.test(readFileSync(candidate, 'utf8'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function readProjectConfig(file: string): ProjectConfig {
  let table: unknown;
  try {
    table = (parse(readFileSync(file, 'utf8')) as { tool?: Record<string, unknown> }).tool?.['django-postgres'];
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (table === undefined) return { file };
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new ConfigError(`${file}: [tool.django-postgres] must be a table`);
  const config: ProjectConfig = { file };
  const bad = (key: string, wanted: string) => new ConfigError(`${file}: [tool.django-postgres] ${key} must be ${wanted}`);
  for (const [key, value] of Object.entries(table)) {
    switch (key) {
      case 'ignore':
        if (!isStringArray(value) || !value.every((code) => CODE.test(code.toUpperCase()))) throw bad(key, 'a list of codes such as ["DPG203"]');
        config.ignore = value.map((code) => code.toUpperCase());
        break;
      case 'target-libpq':
        config.targetLibpq = parseLibpqVersion(value, () => bad(key, 'a libpq major version from 9 to 18'));
        break;
      case 'settings-module':
        if (typeof value !== 'string' || !/^[\w.]+$/.test(value)) throw bad(key, 'a dotted module name such as "config.settings"');
        config.settingsModule = value;
        break;
      case 'extra-settings-globs':
        if (!isStringArray(value)) throw bad(key, 'a list of globs such as ["**/conf/*.py"]');
        config.extraSettingsGlobs = value;
        break;
      case 'fail-on':
        if (!SEVERITIES.includes(value as Severity)) throw bad(key, `one of ${SEVERITIES.join(', ')}`);
        config.failOn = value as Severity;
        break;
      default:
        throw new ConfigError(`${file}: unknown key "${key}" in [tool.django-postgres] (known: ignore, target-libpq, settings-module, extra-settings-globs, fail-on)`);
    }
  }
  return config;
}

/** A libpq major version from the command line or the configuration. */
export function parseLibpqVersion(value: unknown, error: () => Error): number {
  const version = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 9 || version > 18) throw error();
  return version;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
