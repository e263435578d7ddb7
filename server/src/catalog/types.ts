// Shapes of the catalog. The catalog is data only: no functions, no logic.
// Features (completion, hover, diagnostics) read it; nothing here reads them.

/** How a value is written in settings and how it is checked. */
export type ValueType =
  | 'string'
  | 'int'
  | 'bool'
  | 'enum'
  /** Comma-separated list of enum items (libpq `require_auth`). */
  | 'enumList'
  | 'path'
  | 'dict'
  | 'list'
  /** int seconds or None (CONN_MAX_AGE). */
  | 'intOrNone'
  /** Python object (cursor classes, IsolationLevel members, pool dicts). */
  | 'object'
  | 'stringOrNone'
  | 'real';

export interface EnumValue {
  value: string;
  /** What choosing this value does, in one or two sentences. */
  doc: string;
  /** First version with this value, e.g. libpq 14 for `prefer-standby`. */
  sinceLibpq?: number;
  /** Shown in completion as the recommended choice. */
  recommended?: boolean;
}

export interface VersionNotes {
  /** libpq major version that added the keyword (13–18); undefined = older than 13. */
  libpqAdded?: number;
  /** libpq major version that removed it. */
  libpqRemoved?: number;
  djangoAdded?: string;
  djangoDeprecated?: string;
  djangoRemoved?: string;
  /** PostgreSQL server version that added a server setting. */
  postgresAdded?: number;
  /** Which driver honours it: psycopg 3 only, psycopg2 only, or both. */
  driver?: 'psycopg' | 'psycopg2' | 'both';
  pgbouncerAdded?: string;
  /** Free text notes about versions, shown as bullets in hover. */
  notes?: string[];
}

export interface CatalogKey {
  name: string;
  /** One line, shown in completion lists. */
  summary: string;
  /** Markdown: what it does, when to use it, a common mistake. */
  doc: string;
  type: ValueType;
  values?: EnumValue[];
  /** Enum comparison ignores case (libpq ssl_*_protocol_version). */
  caseInsensitive?: boolean;
  default?: string;
  units?: string;
  min?: number;
  max?: number;
  envVar?: string;
  versions?: VersionNotes;
  /** The value is a secret: mask it in hover and never log it. */
  secret?: boolean;
  /** Hidden, debug-only or legacy: not offered in completion. */
  hidden?: boolean;
  /** Deprecated or removed: offered with a strike-through, diagnosed. */
  deprecated?: string;
  /** Upstream documentation for this key. */
  docsUrl: string;
  /** A short Python example of correct use. */
  example?: string;
}

/** A server setting usable as `-c name=value` in the libpq `options` string. */
export interface ServerSetting extends CatalogKey {
  /** Base unit for a bare number: 'ms', 's', 'kB', '8kB', or none. */
  baseUnit?: string;
  unitKind?: 'time' | 'memory';
  /** pg_settings context: 'user' any role may set it, 'superuser' needs privileges. */
  context: 'user' | 'superuser';
  /** PgBouncer forwards it in `options` (tracked parameter). */
  pgbouncerTracked?: boolean;
}

export interface EngineInfo {
  name: string;
  doc: string;
  postgres: boolean;
  builtin: boolean;
  /** A legacy spelling that still works. */
  deprecated?: string;
  docsUrl: string;
}

export interface PgBouncerSetting extends CatalogKey {
  section: 'pgbouncer' | 'databases' | 'users' | 'peers';
}

/** The documentation of one diagnostic rule, in the style of ruff's rule pages. */
export interface RuleDoc {
  code: string;
  name: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** What it does. */
  what: string;
  /** Why it matters. */
  why: string;
  /** A Python example that triggers it, and the fix. */
  example: string;
  fix?: string;
  docsUrl: string;
  /** The project versions the example assumes (rules that depend on the project's Django, driver or libpq). */
  exampleProject?: { django?: string; psycopg?: string; psycopg2?: string; libpq?: number };
}
