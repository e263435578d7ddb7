// A diagnostic as the engine reports it: offsets, a stable code, plain words. No LSP types, so the
// CLI and the language server report exactly the same findings.
import type { LookupEnvironment } from '../model/resolved';
import type { PythonSource } from '../model/python';
import type { SettingsModel } from '../model/types';
import type { ProjectVersions } from '../project/projectVersions';
import type { ProjectContext } from '../settingsGraph/types';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  from: number;
  to: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Also set a variable in the project's .env (moving a hard-coded secret there). */
  dotenv?: { name: string; value: string };
  /** The obvious fix: editors may apply it with "Fix all". */
  preferred?: boolean;
  /**
   * Applied without asking by `django-postgres check --fix`: the code as written cannot work (an error) and the
   * fix keeps what the author meant (a misspelt value or keyword, a server setting moved into 'options').
   */
  safe?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  from: number;
  to: number;
  /** Shown struck through (Deprecated) or faded (Unnecessary) by editors. */
  tags?: ('deprecated' | 'unnecessary')[];
  fixes?: Fix[];
}

export interface DiagnosticSettings {
  /** Codes to never report (djangoPostgres.diagnostics.ignore). */
  ignore: string[];
  /**
   * Oldest libpq (PostgreSQL client library) major version the project must work with, when the user set
   * djangoPostgres.targetLibpqVersion; undefined (or not an integer) = use the libpq found in the project.
   */
  targetLibpqVersion?: number;
}

export const defaultDiagnosticSettings: DiagnosticSettings = { ignore: [] };

export interface CheckInput {
  file: string;
  src: PythonSource;
  model: SettingsModel;
  settings: DiagnosticSettings;
  /** For information about resolved .env values; checks never depend on it for errors. */
  env?: LookupEnvironment;
  /** The Django, driver and libpq found in the project (its virtual environment, lock files, pins). */
  versions?: ProjectVersions;
  /** The entry modules and importers that run this file, when the caller knows the project. */
  project?: ProjectContext;
}
