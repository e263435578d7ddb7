// The language server's settings (djangoPostgres.*), typed, with defaults. The client sends them on
// start and on every change (workspace/didChangeConfiguration): no reload needed.
import type { DiagnosticSettings } from './diagnostics/types';

export interface ServerSettings {
  /** Globs (relative to the workspace) of files treated as settings files even without DATABASES. */
  settingsGlobs: string[];
  diagnostics: DiagnosticSettings & { enable: boolean };
  /** djangoPostgres.pythonCommand: when it is an interpreter's path, its venv is the project's. */
  pythonCommand?: string;
}

export const defaultServerSettings: ServerSettings = {
  settingsGlobs: ['**/settings.py', '**/settings/*.py'],
  diagnostics: { enable: true, ignore: [] },
};

/** Merge what the client sent over the defaults, ignoring values of the wrong type. */
export function readServerSettings(raw: unknown): ServerSettings {
  const section = (raw ?? {}) as Record<string, unknown>;
  const diagnostics = (section.diagnostics ?? {}) as Record<string, unknown>;
  const strings = (value: unknown, fallback: string[]) => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : fallback);
  const version = Number(section.targetLibpqVersion ?? diagnostics.targetLibpqVersion);
  return {
    settingsGlobs: strings(section.settingsGlobs, defaultServerSettings.settingsGlobs),
    pythonCommand: typeof section.pythonCommand === 'string' && section.pythonCommand.trim() ? section.pythonCommand.trim() : undefined,
    diagnostics: {
      enable: typeof diagnostics.enable === 'boolean' ? diagnostics.enable : true,
      ignore: strings(diagnostics.ignore, []),
      // Unset (null, the default) means: use the libpq found in the project.
      targetLibpqVersion: Number.isInteger(version) && version >= 9 ? version : undefined,
    },
  };
}

/** Is this path a settings file by name? (A file that assigns DATABASES is one whatever its name.) */
export function isSettingsFileName(path: string, globs: readonly string[]): boolean {
  const normalized = path.replaceAll('\\', '/');
  return globs.some((glob) => globToRegExp(glob).test(normalized));
}

function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      pattern += '(?:.*/)?';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') pattern += '[^/]*';
    else if (ch === '?') pattern += '[^/]';
    else pattern += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${pattern}$`);
}
