// The settings model: what a Python settings file says about DATABASES.
// Offsets are UTF-16 code unit offsets into the file's text (as JavaScript strings index),
// so features can turn them into editor positions. No LSP or VS Code types here.

export interface Span {
  from: number;
  to: number;
}

/** Where an environment lookup reads from, in the words of the library the user wrote. */
export type EnvLookupStyle =
  | 'os.environ.get'
  | 'os.environ[]'
  | 'os.getenv'
  | 'django-environ'
  | 'decouple';

export type PyValue =
  | { kind: 'string'; value: string; span: Span; quote: string; /** a raw string r'...' */ raw: boolean; /** f-string or concatenation */ interpolated?: false }
  | { kind: 'number'; value: number; text: string; isInt: boolean; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'dict'; dict: DictModel; span: Span }
  | { kind: 'list'; items: PyValue[]; span: Span }
  | EnvLookup
  | DatabaseUrl
  | {
      kind: 'computed';
      text: string;
      span: Span;
      /** a dotted name such as `IsolationLevel.SERIALIZABLE` when it is one */
      name?: string;
      /** a template placeholder (`'{{ db.port }}'`, `'{% ... %}'`): filled in when the file is rendered */
      placeholder?: boolean;
    };

export interface EnvLookup {
  kind: 'env';
  style: EnvLookupStyle;
  variable: string;
  variableSpan: Span;
  /** The literal default, when one is given. */
  default?: PyValue;
  /** python-decouple `cast=` or django-environ `env.int(...)`: 'int', 'bool', 'str', ... */
  cast?: string;
  span: Span;
}

export interface DatabaseUrl {
  kind: 'databaseUrl';
  style: 'dj_database_url.config' | 'dj_database_url.parse' | 'env.db' | 'env.db_url';
  /** Environment variable holding the URL (dj_database_url.config: env=, default DATABASE_URL). */
  variable?: string;
  /** A literal URL: the argument of parse(), or the default= of config()/env.db(). */
  url?: PyValue;
  /** Keyword arguments and the DATABASES key each one sets (conn_max_age → CONN_MAX_AGE). */
  keywords: DictEntry[];
  span: Span;
}

/** How an entry got into its dict. */
export type EntryOrigin =
  /** `{'KEY': value}` */
  | 'literal'
  /** `dict(KEY=value)` */
  | 'keyword'
  /** `X['KEY'] = value` after the dict was built */
  | 'subscript'
  /** `X.update({...})` or `X |= {...}` */
  | 'update'
  /** derived from a DATABASE_URL call's keyword argument */
  | 'databaseUrl';

export interface DictEntry {
  key: string;
  keySpan: Span;
  /** The quote character of a string key (`'` or `"`), or '' for keyword/derived keys. */
  keyQuote: string;
  value: PyValue;
  origin: EntryOrigin;
  /** Span of the whole `key: value` item, for removal quick fixes. */
  itemSpan: Span;
}

export interface DictModel {
  span: Span;
  form: 'literal' | 'call';
  entries: DictEntry[];
  /** The parser recovered from an error inside it (half-typed). */
  incomplete: boolean;
  /** `**something` inside the dict: a DATABASE_URL call we can read, or computed. */
  spreads?: PyValue[];
}

/** The role a dict plays in DATABASES, so features know which catalog applies. */
export type DictRole = 'databases' | 'entry' | 'options' | 'test' | 'pool';

/**
 * What an `if` around some code says about the ENGINE it runs with: `if "mysql" in DATABASES["default"]["ENGINE"]:`
 * runs only when the engine is not PostgreSQL; its `else:` says nothing. `postgres` is true for a branch that runs
 * only with PostgreSQL, false for one that runs only with another database.
 */
export interface EngineGuard {
  /** The alias whose ENGINE is tested; undefined when the test reads a variable the ENGINE is built from. */
  alias?: string;
  postgres: boolean;
  /** The condition, for messages. */
  span: Span;
}

/** A dict literal/call found in the file with its role, alias and the file that holds it. */
export interface RoleDict {
  role: DictRole;
  alias?: string;
  dict: DictModel;
  /** Alternative assignments (if/else, try/except) are all candidates; this counts them. */
  branch: number;
  /** The branch runs only with (or only without) a PostgreSQL ENGINE. */
  guard?: EngineGuard;
  /** The ENGINE written in the same DATABASES entry (`{'ENGINE': ..., 'OPTIONS': {...}}`), when there is one. */
  engine?: PyValue;
}

/** The effective, merged view of one alias after every assignment and mutation in order. */
export interface EffectiveAlias {
  alias: string;
  /** Top-level keys with the last value that set each. */
  entries: Map<string, EffectiveEntry>;
  options: Map<string, EffectiveEntry>;
  test: Map<string, EffectiveEntry>;
  /** The whole entry comes from a DATABASE_URL (dj_database_url / env.db). */
  databaseUrl?: DatabaseUrl;
  /** Something we could not follow (a loop, a function call) changed this alias. */
  computedChanges: Span[];
  /**
   * Every ENGINE this alias may run with: the values written in each branch (an unconditional assignment
   * replaces the earlier ones), a DATABASE_URL's, or none when no ENGINE is written anywhere we can see.
   */
  engines: PyValue[];
}

export interface EffectiveEntry {
  entry: DictEntry;
  /** The file that set it (for split settings); undefined = this file. */
  file?: string;
}

export interface ComputedChange {
  span: Span;
  /** What we saw, e.g. "a for loop over DATABASES". */
  reason: string;
}

/** One key set by item assignment (`DATABASES['default']['OPTIONS']['sslmode'] = ...`). */
export interface RoleEntry {
  role: DictRole;
  alias: string;
  entry: DictEntry;
  branch: number;
  guard?: EngineGuard;
}

/** How another settings module's code gets into this one. */
export type IncludeKind =
  /** `from .base import *` (also inside try/except ImportError) */
  | 'star-import'
  /** django-split-settings `include('base.py', optional('local.py'))` */
  | 'include'
  /** `exec(open('local_settings.py').read())` */
  | 'exec';

export interface ModuleInclude {
  kind: IncludeKind;
  /** The files it brings in, in order (an `include()` glob may match several; a missing optional one none). */
  files: string[];
  /** `optional(...)`, or a star import inside `try:`: missing is fine. */
  optional: boolean;
  span: Span;
}

export interface SettingsModel {
  /** Every dict with a known role, in source order (for completion, hover and diagnostics). */
  dicts: RoleDict[];
  /** Every key set by item assignment, in every branch (the merged view keeps only the last one). */
  itemAssignments: RoleEntry[];
  /** Merged view per alias, in order of first definition. */
  aliases: EffectiveAlias[];
  /** DATABASES is assigned (or imported from a settings module) in this file. */
  hasDatabases: boolean;
  /** `DATABASES = ...` is written in this file (not only mutated). */
  assignsDatabases?: boolean;
  /** Star imports of sibling settings modules, resolved to file paths. */
  starImports: string[];
  /** Every module whose code this one runs (star imports, split-settings include(), exec), in order. */
  includes: ModuleInclude[];
  /** String values holding template placeholders (`{{ ... }}`, `{% ... %}`): the file is a template. */
  placeholders: Span[];
  /** Changes we could not follow: never guess at them. */
  computed: ComputedChange[];
  /** Module-level simple assignments we read (USE_TZ, DEBUG...), literal values only. */
  globals: Map<string, PyValue>;
}
