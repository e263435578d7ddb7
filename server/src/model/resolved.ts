// A DATABASES alias with every value resolved to what Django would see at run time:
// environment lookups read from an environment (process env, then the project's .env),
// DATABASE_URLs decoded. Plain data, shared by the language server, the client and the CLI.
import type { DotenvTarget } from '../project/dotenvReaders';

export type { DotenvTarget };

/** Where a resolved value came from, so messages can say "DB_PASSWORD in .env is empty". */
export type ValueSource =
  | 'literal'
  /** the process environment */
  | 'environment'
  /** the project's .env file */
  | 'dotenv'
  /** the lookup's default argument */
  | 'default'
  /** a DATABASE_URL (from the environment, .env or a literal) */
  | 'url'
  /** Django's own default for a key that is not set */
  | 'django-default'
  /** the lookup found nothing and had no default */
  | 'missing'
  /** computed in Python: we do not guess */
  | 'computed';

export type Scalar = string | number | boolean | null;

export interface ResolvedValue {
  value: Scalar;
  source: ValueSource;
  /** The environment variable read, when there is one (DB_PASSWORD, DATABASE_URL...). */
  variable?: string;
}

export interface ResolvedDatabase {
  alias: string;
  /** Absolute path of the settings file this came from. */
  settingsFile: string;
  engine: ResolvedValue;
  name: ResolvedValue;
  user: ResolvedValue;
  password: ResolvedValue;
  host: ResolvedValue;
  port: ResolvedValue;
  connMaxAge: ResolvedValue;
  /** OPTIONS, resolved; nested dicts (pool) are kept as JSON text. */
  options: Record<string, ResolvedValue>;
  /** TEST sub-keys, resolved. */
  test: Record<string, ResolvedValue>;
  /** Set when the entry came from dj_database_url / env.db: the variable and whether it had a value. */
  databaseUrl?: { variable?: string; source: ValueSource };
  /** The .env file that was read, when one was. */
  envFile?: string;
  /** Where a value for the password's variable is written so that the project reads it (Create DB). */
  passwordDotenv?: DotenvTarget;
  /**
   * libpq's own variables (PGSSLMODE, PGTARGETSESSIONATTRS…) that the project's .env puts into Django's
   * process environment, where libpq reads them: load_dotenv and read_env export what they read, compose
   * passes env_file, and Run migrate hands a .env the settings do not load. decouple only returns values.
   */
  libpqEnvironment?: Record<string, string>;
}

export interface DotenvOrigin extends DotenvTarget {
  /** How the project reads the file, in words: `load_dotenv(BASE_DIR / ".env")` in settings.py (python-dotenv). */
  description: string;
}

/** Environment used to resolve lookups: the process environment first, then the .env file. */
export interface LookupEnvironment {
  process: Record<string, string | undefined>;
  dotenv: Record<string, string>;
  dotenvFile?: string;
  /** The project loads its .env with override=True (or overwrite=True): its values beat the environment. */
  dotenvOverrides?: boolean;
  /** For each .env variable: the file and the reader its value came from. */
  dotenvOrigins?: Record<string, DotenvOrigin>;
  /** Where a new variable goes so that the project reads it, for Save to .env and Create DB. */
  dotenvTarget?: DotenvTarget;
  /** What we could not read: a .env that is not UTF-8, a load whose file the code computes. */
  dotenvNotes?: string[];
}
