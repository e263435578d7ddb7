// Does an alias talk to PgBouncer or another pooler? Port 6432, a host naming pgbouncer, a pgbouncer.ini of the
// project whose listen_port is the alias' PORT, or a managed service's documented pooler (catalog/managedServices.ts:
// Supabase's 6543, Neon's -pooler hosts, DigitalOcean's 25061). Shared by Test Connection and the diagnostics.
// PgBouncer settings: https://www.pgbouncer.org/config.html
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { genericPoolers, managedServices, type ManagedPooler } from '../catalog/managedServices';
import { findSetting, parseIni } from '../pgbouncer/ini';

export const PGBOUNCER_DEFAULT_PORT = 6432;

/** What the project's pgbouncer.ini says about the settings that matter to Django. */
export interface PgBouncerIniFacts {
  file: string;
  listenPort: number;
  poolMode?: string;
  /** undefined when the file does not set it (0 on PgBouncer before 1.24). */
  maxPreparedStatements?: number;
  ignoreStartupParameters: string[];
}

export interface PgBouncerEvidence {
  /** Why we think so, in plain words ("PORT is 6432, PgBouncer's default port"). */
  reason: string;
  ini?: PgBouncerIniFacts;
  /** Known to be PgBouncer; false for another pooler (Supavisor) or one whose software is not documented. */
  pgbouncer: boolean;
  /** The pool mode the managed service documents for this pooler. */
  poolMode?: 'transaction' | 'session';
  /** The managed service whose pooler it is. */
  service?: string;
}

/** Reads the [pgbouncer] section's settings that matter here; undefined when it has none. */
export function readPgBouncerIni(text: string, file: string): PgBouncerIniFacts {
  const ini = parseIni(text);
  const value = (key: string) => findSetting(ini, 'pgbouncer', key)?.value;
  const port = Number(value('listen_port') ?? PGBOUNCER_DEFAULT_PORT);
  const maxPrepared = value('max_prepared_statements');
  return {
    file,
    listenPort: Number.isInteger(port) ? port : PGBOUNCER_DEFAULT_PORT,
    poolMode: value('pool_mode') ?? undefined,
    maxPreparedStatements: maxPrepared !== undefined && /^\d+$/.test(maxPrepared) ? Number(maxPrepared) : undefined,
    ignoreStartupParameters: (value('ignore_startup_parameters') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

/** The nearest pgbouncer.ini in `startDir` or a folder above it. */
export function findPgBouncerIni(startDir: string, fileExists: (file: string) => boolean = existsSync): string | undefined {
  for (let dir = startDir; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'pgbouncer.ini'), join(dir, 'pgbouncer', 'pgbouncer.ini')]) {
      if (fileExists(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

const iniCache = new Map<string, { text: string; facts: PgBouncerIniFacts }>();

function iniFactsAt(file: string): PgBouncerIniFacts | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const cached = iniCache.get(file);
  if (cached?.text === text) return cached.facts;
  const facts = readPgBouncerIni(text, file);
  iniCache.set(file, { text, facts });
  return facts;
}

const patterns = new Map<string, RegExp>();
const matchesHost = (pattern: string, host: string) => {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'i')));
  return regex.test(host);
};

function poolerMatches(pooler: ManagedPooler, host: string, ports: number[]): boolean {
  return (pooler.port === undefined || ports.includes(pooler.port)) && (pooler.hostPattern === undefined || matchesHost(pooler.hostPattern, host));
}

/** A managed service's documented pooler, else a pooler recognised by the conventions they made common. */
function managedPoolerEvidence(host: string, ports: number[]): PgBouncerEvidence | undefined {
  for (const service of managedServices) {
    if (!matchesHost(service.hostPattern, host)) continue;
    const pooler = service.poolers.find((p) => poolerMatches(p, host, ports));
    if (pooler) return { reason: pooler.reason, pgbouncer: pooler.software === 'PgBouncer', poolMode: pooler.poolMode, service: service.name };
  }
  const pooler = genericPoolers.find((p) => poolerMatches(p, host, ports));
  return pooler ? { reason: pooler.reason, pgbouncer: pooler.software === 'PgBouncer', poolMode: pooler.poolMode } : undefined;
}

/**
 * Evidence that HOST/PORT lead to PgBouncer (or another pooler). `projectDir` is where to look for a pgbouncer.ini
 * (the settings file's folder); its facts are attached whenever its listen_port matches, whatever the first evidence was.
 */
export function pgbouncerEvidence(host: string | undefined, port: string | number | undefined, projectDir?: string): PgBouncerEvidence | undefined {
  const ports = String(port ?? '').split(',').map((p) => p.trim()).filter(Boolean).map(Number);
  const iniFile = projectDir ? findPgBouncerIni(projectDir) : undefined;
  const ini = iniFile ? iniFactsAt(iniFile) : undefined;
  const iniMatches = ini !== undefined && ports.includes(ini.listenPort);
  if (iniMatches) return { reason: `PORT ${ini.listenPort} is the listen_port of ${ini.file}`, ini, pgbouncer: true };
  if (ports.includes(PGBOUNCER_DEFAULT_PORT)) return { reason: `PORT ${PGBOUNCER_DEFAULT_PORT} is PgBouncer's default port`, pgbouncer: true };
  if (host && /pgbouncer/i.test(host)) return { reason: `HOST "${host}" names PgBouncer`, pgbouncer: true };
  return managedPoolerEvidence(host ?? '', ports);
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** ALTER ROLE … SET statements carrying the `-c name=value` settings of an `options` string to the server. */
export function alterRoleStatements(role: string, options: string): string[] {
  const settings = [...options.matchAll(/(?:-c\s*|--)([A-Za-z_][\w.]*)=((?:\\.|\S)+)/g)];
  return settings.map(([, name, value]) => `ALTER ROLE ${quoteIdentifier(role)} SET ${name} = ${quoteLiteral(value.replace(/\\(.)/g, '$1'))};`);
}
