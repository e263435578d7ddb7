// How to open psql on a DATABASES alias with the settings Django connects with: every connection value
// travels in libpq's environment variables (PGHOST, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, ...),
// so the command line is a bare `psql` and the password is never typed or shown.
// https://www.postgresql.org/docs/current/libpq-envars.html
import { libpqKeywords } from '../catalog/libpqKeywords';
import type { ResolvedDatabase } from '../model/resolved';
import { buildConnectionPlan, type ConnectionConfigOptions } from './connectionConfig';

export interface PsqlPlan {
  /** Arguments after `psql`: only keywords that have no environment variable (never a secret). */
  args: string[];
  /** Variables to add to the terminal's environment; PGPASSWORD among them. */
  env: Record<string, string>;
  /** Why psql cannot be opened with these settings (computed values, an empty USER...). */
  problems: string[];
  /** Settings psql does not get, in plain words. */
  notes: string[];
  /** The role psql logs in as, for messages. */
  user?: string;
  /** Where it connects, for messages (never the password). */
  target: string;
}

/** OPTIONS keys Django's backend handles itself: they are not libpq keywords. */
const DJANGO_ONLY = new Set(['isolation_level', 'server_side_binding', 'pool', 'prepare_threshold', 'cursor_factory', 'context', 'assume_role',
  'autocommit', 'row_factory', 'connection_factory', 'async', 'async_']);
/** Set from the connection plan (Django's precedence), not copied from OPTIONS. */
const FROM_PLAN = new Set(['host', 'port', 'dbname', 'user', 'password', 'sslmode', 'requiressl']);

const envVarOf = new Map(libpqKeywords.filter((k) => k.envVar).map((k) => [k.name, k.envVar!]));
const secretKeyword = new Set(libpqKeywords.filter((k) => k.secret).map((k) => k.name));

/** A conninfo value, quoted as libpq reads it. */
const conninfoValue = (value: string) => (/^[^\s'\\]+$/.test(value) ? value : `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`);

export function planPsql(db: ResolvedDatabase, opts: ConnectionConfigOptions = {}): PsqlPlan {
  // libpq in Django's process also reads the PG* variables the project's .env exports there.
  const plan = buildConnectionPlan(db, { ...opts, env: { ...(opts.env ?? process.env), ...db.libpqEnvironment } });
  const problems = plan.blocking.map((b) => `${b.option} ${b.reason}`);
  const first = plan.targets[0]?.config;
  // The PG* variables the project's .env exports into Django's environment; the settings' own values win below.
  const env: Record<string, string> = { ...db.libpqEnvironment };
  const args: string[] = [];
  const notes: string[] = [];
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') env[name] = String(value);
  };
  const hostGiven = [db.host.value, db.options.host?.value].some((v) => v !== undefined && v !== null && v !== '');
  // An empty HOST means libpq's own default socket: leave PGHOST unset so psql's libpq picks the same.
  if (hostGiven) set('PGHOST', plan.targets.map((t) => t.config.host).join(','));
  set('PGPORT', [...new Set(plan.targets.map((t) => t.config.port))].join(','));
  set('PGDATABASE', first?.database);
  set('PGUSER', first?.user);
  if (typeof first?.password === 'string') set('PGPASSWORD', first.password);
  set('PGSSLMODE', plan.sslmode);
  const conninfo: string[] = [];
  for (const [key, resolved] of Object.entries(db.options)) {
    if (FROM_PLAN.has(key) || DJANGO_ONLY.has(key) || resolved.value === null || resolved.value === '') continue;
    const value = typeof resolved.value === 'boolean' ? (resolved.value ? '1' : '0') : String(resolved.value);
    const variable = envVarOf.get(key);
    if (variable) set(variable, value);
    else if (secretKeyword.has(key)) notes.push(`OPTIONS.${key} is a secret without an environment variable: psql will ask for it.`);
    else conninfo.push(`${key}=${conninfoValue(value)}`);
  }
  if (conninfo.length) args.push(conninfo.join(' '));
  if (plan.assumeRole) notes.push(`Django runs SET ROLE ${plan.assumeRole} after connecting (OPTIONS.assume_role); psql logs in as ${first?.user ?? 'the user'}.`);
  const target = `${first?.user ?? '?'}@${plan.targets[0]?.label ?? 'the local socket'}/${first?.database ?? '?'}`;
  return { args, env, problems, notes, user: first?.user, target };
}

/** The line that installs psql on the user's system. */
export function psqlInstallHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'brew install libpq && brew link --force libpq';
  if (platform === 'win32') return 'winget install PostgreSQL.PostgreSQL (its command-line tools include psql)';
  return 'sudo apt install postgresql-client (Debian, Ubuntu) or sudo dnf install postgresql (Fedora)';
}
