// The project as Django runs it: which settings modules are entry points (DJANGO_SETTINGS_MODULE) and which
// modules each one runs. Plain data for the diagnostics; no LSP or VS Code types.
import type { SettingsModel } from '../model/types';

/** What a settings module is for, from its name or from what selects it. */
export type ModuleKind = 'production' | 'development' | 'test' | 'unknown';

/** A settings module Django runs with, and where DJANGO_SETTINGS_MODULE names it. */
export interface EntryModule {
  /** The dotted module name (config.settings.production). */
  module: string;
  /** Its file. */
  file: string;
  /** The file that names it: manage.py, wsgi.py, pytest.ini, .env, compose.yaml... */
  declaredIn: string;
  kind: ModuleKind;
}

export interface ReachingEntry {
  entry: EntryModule;
  /** The entry's effective settings (every module it runs merged in order). */
  model: SettingsModel;
}

/** What the diagnostics of one settings file may know about the rest of the project. */
export interface ProjectContext {
  /** Entry modules whose settings run this file (it may be one itself). */
  entries: ReachingEntry[];
  /** Some entry module is known in the project (even if none runs this file). */
  entriesKnown: boolean;
  /** Modules that run this one (star import, include, exec) and that no other module runs, when no entry does. */
  importers: { file: string; model: SettingsModel }[];
  /** Service names of the project's compose file: a HOST naming one is a container next to the app. */
  composeServices: string[];
}
