// What Test Connection adds from the project around the settings: docker compose services, dev containers,
// PgBouncer, the test database and the connection budget. The texts live in `projectAdvice` so that
// docs/troubleshooting.md (scripts/gen-troubleshooting.ts) shows exactly what the extension says.
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ResolvedDatabase } from '../model/resolved';
import { composeVariables, containerEnvironment, findComposeFiles, readComposeProject, type ComposeService } from '../project/compose';
import type { FailureExplanation } from './errors';

/** Something the user can switch to or run, for the commands to offer. */
export interface Suggestion {
  title: string;
  /** Connect here instead (HOST/PORT). */
  host?: string;
  port?: number;
  /** SQL to run as a superuser. */
  sql?: string;
}

/** How Test Connection looks at the project; every field has a default for real use. */
export interface ProjectProbe {
  /** Folder of the project (default: the settings file's folder; compose files are searched upwards from it). */
  projectDir?: string;
  /** Environment of the editor (dev-container variables). */
  env?: Record<string, string | undefined>;
  fileExists?: (file: string) => boolean;
}

/** An advice text with an example, so the troubleshooting page can show it without a project. */
interface Advice<P> {
  title: string;
  symptoms: string[];
  cause(p: P): string;
  fix(p: P): string;
  example: P;
}

const advice = <P>(a: Advice<P>): Advice<P> => a;
const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

export const projectAdvice = {
  composeServiceHost: advice<{ service: string; file: string; published?: number; target: number }>({
    title: 'HOST is a docker compose service name',
    symptoms: ['could not translate host name "db" to address', 'getaddrinfo ENOTFOUND db'],
    cause: (p) => `"${p.service}" is a service of ${p.file}: that name only resolves inside the compose network (from the project's other containers), not on this machine.`,
    fix: (p) => p.published !== undefined
      ? `From this machine connect to localhost:${p.published}, the port compose publishes for the container's ${p.target} (set HOST to "localhost" and PORT to "${p.published}", e.g. in .env); keep HOST "${p.service}" for code running inside the compose network.`
      : `Publish the port in ${p.file} (ports: ["5432:${p.target}"] under "${p.service}"), then connect to localhost with that port; keep HOST "${p.service}" for code running inside the compose network.`,
    example: { service: 'db', file: 'docker-compose.yml', published: 5433, target: 5432 },
  }),
  devContainerLocalhost: advice<{ services: string[] }>({
    title: 'HOST is localhost inside a dev container',
    symptoms: ['Connection refused at localhost:5432 (in a dev container or Codespace)'],
    cause: () => 'This editor runs inside a dev container, where "localhost" is the container itself, not your computer or the database container.',
    fix: (p) => p.services.length > 0
      ? `The database runs in the compose service ${quoted(p.services)}: set HOST to that name (with the container's port, usually 5432) when the dev container joins the compose network, or forward the port into the dev container (forwardPorts in devcontainer.json).`
      : 'If PostgreSQL runs on your computer, set HOST to "host.docker.internal" (Docker Desktop; on Linux add --add-host=host.docker.internal:host-gateway); if it runs in another container, use that container\'s service name, or forward its port (forwardPorts in devcontainer.json).',
    example: { services: ['db'] },
  }),
  composePassword: advice<{ service: string; file: string; settingsPassword: string }>({
    title: 'POSTGRES_PASSWORD in compose differs from the settings',
    symptoms: ['password authentication failed for user "postgres" (database in docker compose)'],
    cause: (p) => `POSTGRES_PASSWORD of compose service "${p.service}" (${p.file}) differs from the PASSWORD the settings read (${p.settingsPassword}).`,
    fix: () => 'The postgres image applies POSTGRES_PASSWORD only when it creates the data volume: make both the same, then either change the role\'s password on the running server (ALTER ROLE … PASSWORD) or recreate the volume (docker compose down -v deletes its data).',
    example: { service: 'db', file: 'docker-compose.yml', settingsPassword: 'DB_PASSWORD in .env' },
  }),
  pgbouncer: advice<{ reason: string; poolMode?: string; from: string }>({
    title: 'Talking to PgBouncer',
    symptoms: ['Test Connection: "Talking to PgBouncer …"'],
    cause: (p) => `Talking to PgBouncer (${p.reason}), ${p.poolMode ? `in ${p.poolMode} pool mode (${p.from})` : `pool mode unknown (${p.from})`}.`,
    fix: (p) => p.poolMode === 'session'
      ? 'Session mode keeps one server connection per client connection: Django works unchanged.'
      : 'In transaction mode set DISABLE_SERVER_SIDE_CURSORS = True, keep OPTIONS prepare_threshold unset (None) unless PgBouncer 1.21+ has max_prepared_statements, and put timeouts on the role (ALTER ROLE … SET) instead of OPTIONS options.',
    example: { reason: 'PORT 6432 is PgBouncer\'s default port', poolMode: 'transaction', from: 'SHOW POOLS on the admin console' },
  }),
  poolerBetween: advice<{ reason: string; from: string }>({
    title: 'A connection pooler or proxy is between you and PostgreSQL',
    symptoms: ['Test Connection: "A connection pooler or proxy is between you and PostgreSQL …"'],
    cause: (p) => `A connection pooler or proxy is between you and PostgreSQL (${p.reason}); its pool mode is unknown (${p.from}).`,
    fix: () => 'If it pools by transaction (PgBouncer, Supavisor or RDS Proxy in transaction mode, the managed poolers on ports 6543 and 25061), set DISABLE_SERVER_SIDE_CURSORS = True, keep OPTIONS prepare_threshold unset (None), and put timeouts on the role (ALTER ROLE … SET) instead of OPTIONS options; in session mode Django works unchanged.',
    example: { reason: 'the process id given at login (31337) is not the server process serving the queries (4242)', from: 'the admin console refused "app"' },
  }),
  proxyBetween: advice<{ reason: string }>({
    title: 'A proxy or port mapping relays the connection',
    symptoms: ['Test Connection: "A proxy or port mapping is between you and PostgreSQL …"'],
    cause: (p) => `A proxy or port mapping is between you and PostgreSQL (${p.reason}).`,
    fix: () => 'Each connection still reaches a server process of its own, so Django needs no change; keep HOST and PORT pointing at the proxy, and check its idle timeout against CONN_MAX_AGE (CONN_HEALTH_CHECKS = True helps).',
    example: { reason: 'PostgreSQL listens on port 5432, not 15432' },
  }),
  optionsDropped: advice<{ file: string; statements: string[] }>({
    title: 'PgBouncer drops OPTIONS options (ignore_startup_parameters)',
    symptoms: ['statement_timeout from OPTIONS options has no effect behind PgBouncer'],
    cause: (p) => `${p.file} lists options in ignore_startup_parameters, so PgBouncer accepts OPTIONS['options'] and silently drops it: none of its -c settings reach the server.`,
    fix: (p) => `Set them on the role instead: ${p.statements.join(' ')}`,
    example: { file: 'pgbouncer.ini', statements: ['ALTER ROLE "app" SET statement_timeout = \'5s\';'] },
  }),
  testDatabase: advice<{ user: string; testName: string }>({
    title: 'manage.py test cannot create the test database',
    symptoms: ['Got an error creating the test database: permission denied to create database'],
    cause: (p) => `"${p.user}" lacks CREATEDB, so manage.py test fails with "permission denied to create database" when it creates "${p.testName}".`,
    fix: (p) => `Run "Create Postgres DB for Django" with CREATEDB, or as a superuser: ALTER ROLE "${p.user}" CREATEDB;`,
    example: { user: 'app', testName: 'test_shop' },
  }),
  testTemplate: advice<{ template: string }>({
    title: 'TEST TEMPLATE names a database that does not exist',
    symptoms: ['template database "template_postgis" does not exist'],
    cause: (p) => `TEST TEMPLATE "${p.template}" does not exist on this server, so manage.py test fails when it creates the test database from it.`,
    fix: () => 'Create the template database, fix the name, or remove TEMPLATE to use template1.',
    example: { template: 'template_postgis' },
  }),
  connectionBudget: advice<{ connMaxAge: string; maxConnections: number; reserved: number; inUse: number }>({
    title: 'Persistent connections and max_connections',
    symptoms: ['FATAL: remaining connection slots are reserved for non-replication superuser connections'],
    cause: (p) =>
      `CONN_MAX_AGE is ${p.connMaxAge}: each Django worker process or thread keeps its own connection to this alias open. The server gives ordinary roles max_connections ${p.maxConnections} − superuser_reserved_connections ${p.reserved} = ${p.maxConnections - p.reserved} connections, ${p.inUse} in use now, so ${Math.max(0, p.maxConnections - p.reserved - p.inUse)} more workers × threads can hold one before new connections fail with "remaining connection slots are reserved".`,
    fix: () => 'Keep workers × threads × aliases (plus shells, Celery, cron) below that number, lower CONN_MAX_AGE, or put PgBouncer in front; set CONN_HEALTH_CHECKS = True so connections closed while idle are replaced instead of failing with "server closed the connection unexpectedly".',
    example: { connMaxAge: '60', maxConnections: 100, reserved: 3, inUse: 12 },
  }),
};

/** Title, symptoms, cause and fix of every advice, filled with its example (for docs/troubleshooting.md). */
export function adviceDocs(): { title: string; symptoms: string[]; cause: string; fix: string }[] {
  const render = <P>(a: Advice<P>) => ({ title: a.title, symptoms: a.symptoms, cause: a.cause(a.example), fix: a.fix(a.example) });
  const p = projectAdvice;
  return [render(p.composeServiceHost), render(p.devContainerLocalhost), render(p.composePassword), render(p.pgbouncer), render(p.poolerBetween), render(p.proxyBetween),
    render(p.optionsDropped), render(p.testDatabase), render(p.testTemplate), render(p.connectionBudget)];
}

// ---- looking at the project ----

export interface ProjectView {
  compose?: { file: string; services: ComposeService[] };
  inDevContainer: boolean;
}

export function inspectProject(db: ResolvedDatabase, probe: ProjectProbe = {}): ProjectView {
  const fileExists = probe.fileExists ?? existsSync;
  const env = probe.env ?? process.env;
  const projectDir = probe.projectDir ?? dirname(db.settingsFile);
  // Interpolated from the shell and the project's .env, overrides merged: what `docker compose` runs.
  const compose = readComposeProject(findComposeFiles(projectDir, undefined, fileExists), env);
  const inDevContainer = fileExists('/.dockerenv') || env.REMOTE_CONTAINERS === 'true' || env.CODESPACES === 'true' || env.REMOTE_CONTAINERS_IPC !== undefined;
  return { compose, inDevContainer };
}

const isPostgresService = (s: ComposeService) =>
  /postgres|postgis|timescale/i.test(s.image ?? '') || s.environment.POSTGRES_PASSWORD !== undefined || s.ports.some((p) => p.target === 5432);

export interface AdvisedFailure {
  failure: FailureExplanation;
  notes: string[];
  suggestions: Suggestion[];
}

function passwordOrigin(db: ResolvedDatabase): string {
  const variable = db.password.variable;
  if (db.password.source === 'dotenv') return `${variable ?? 'a variable'} in ${db.envFile ? basename(db.envFile) : '.env'}`;
  if (db.password.source === 'environment') return `${variable ?? 'a variable'} from the environment`;
  if (db.password.source === 'url') return `the password in ${variable ?? 'the database URL'}`;
  return 'PASSWORD in the settings';
}

/** Notes that hold whether or not the connection worked (the compose password). */
export function projectNotes(db: ResolvedDatabase, view: ProjectView, probe: ProjectProbe = {}): string[] {
  const notes: string[] = [];
  const password = db.password.value;
  if (!view.compose || typeof password !== 'string') return notes;
  const host = String(db.host.value ?? '');
  const env = probe.env ?? process.env;
  const variables = composeVariables(dirname(view.compose.file), env);
  for (const service of view.compose.services.filter(isPostgresService)) {
    // The container's POSTGRES_PASSWORD: `environment:` over its env_file entries.
    const container = containerEnvironment(service, env, variables);
    const composePassword = container.environment.POSTGRES_PASSWORD ?? container.fromFiles.POSTGRES_PASSWORD?.value;
    if (composePassword === undefined) continue;
    const servesThisAlias = service.name === host || ['localhost', '127.0.0.1', '::1', ''].includes(host);
    if (servesThisAlias && composePassword !== password) {
      const p = projectAdvice.composePassword;
      const words = { service: service.name, file: basename(view.compose.file), settingsPassword: passwordOrigin(db) };
      notes.push(`${p.cause(words)} ${p.fix(words)}`);
    }
  }
  return notes;
}

/** Rewrites a failure with what the project shows (compose service names, dev containers). */
export function adviseFailure(db: ResolvedDatabase, failure: FailureExplanation, view: ProjectView): AdvisedFailure {
  const host = String(db.host.value ?? '');
  const suggestions: Suggestion[] = [];
  const service = view.compose?.services.find((s) => s.name === host);
  if (service && view.compose && failure.kind === 'hostNotFound') {
    const port = service.ports.find((p) => p.target === 5432) ?? service.ports[0];
    const words = { service: service.name, file: basename(view.compose.file), published: port?.published, target: port?.target ?? 5432 };
    const p = projectAdvice.composeServiceHost;
    if (port?.published !== undefined) suggestions.push({ title: `Use localhost:${port.published}`, host: 'localhost', port: port.published });
    return { failure: { ...failure, cause: p.cause(words), fix: p.fix(words) }, notes: [], suggestions };
  }
  const localhost = ['localhost', '127.0.0.1', '::1'].includes(host.toLowerCase());
  if (view.inDevContainer && localhost && ['refused', 'timeout', 'hostNotFound'].includes(failure.kind)) {
    const services = view.compose?.services.filter(isPostgresService).map((s) => s.name) ?? [];
    const p = projectAdvice.devContainerLocalhost;
    for (const name of services) suggestions.push({ title: `Use the compose service "${name}"`, host: name, port: 5432 });
    return { failure: { ...failure, cause: `${failure.cause} ${p.cause({ services })}`, fix: `${p.fix({ services })} Otherwise: ${failure.fix}` }, notes: [], suggestions };
  }
  return { failure, notes: [], suggestions };
}
