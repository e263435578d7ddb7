// Docker compose files, read with the `yaml` package (anchors, merge keys `<<: *common`, flow style) and
// combined as `docker compose` does: compose.yaml plus compose.override.yaml, `${VAR}` interpolation from
// the shell and the project's .env, env_file lists read with compose's own .env rules. Only what Test
// Connection and the .env reader need: services, published ports, the environment a container gets.
// https://github.com/compose-spec/compose-spec/blob/main/spec.md
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { composeEnvValues, interpolateCompose as interpolate } from './dotenvReaders';

export interface PublishedPort {
  /** The port on the machine running Docker; undefined when compose picks one at random. */
  published?: number;
  /** The port inside the container. */
  target: number;
  /** The host address it is bound to, when given (127.0.0.1:5433:5432). */
  hostIp?: string;
}

/** One `env_file:` entry (short string form or long form with path/required/format). */
export interface EnvFileEntry {
  /** Absolute path (relative paths start at the compose file's folder). */
  path: string;
  required: boolean;
  /** `format: raw`: compose takes the lines as they are, without its .env parsing. */
  raw: boolean;
}

export interface ComposeService {
  name: string;
  image?: string;
  /** The service is built from source (`build:`): the project's own code usually runs in it. */
  build: boolean;
  ports: PublishedPort[];
  /** `environment:` (map or list form); a bare name (`- DEBUG`, `DEBUG:`) is null: it comes from the shell. */
  environment: Record<string, string | null>;
  envFiles: EnvFileEntry[];
}

export interface ComposeFile {
  /** The first file; `files` lists all of them (overrides last). */
  file: string;
  files: string[];
  services: ComposeService[];
}

/** File names `docker compose` looks for, in its order of preference, each with its override file. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE_NAMES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
};

type Lookup = ((name: string) => string | undefined) | Record<string, string | undefined>;

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` and `$$`. */
export function interpolateCompose(value: string, variables: Lookup): string {
  return interpolate(value, typeof variables === 'function' ? variables : (name) => variables[name]);
}

/** Interpolates every string of a parsed YAML tree (keys stay as written, as compose does). */
function interpolateTree(node: unknown, lookup: Lookup | undefined): unknown {
  if (lookup === undefined) return node;
  if (typeof node === 'string') return interpolateCompose(node, lookup);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, lookup));
  if (isMap(node)) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, lookup)]));
  return node;
}

const isMap = (node: unknown): node is Record<string, unknown> => typeof node === 'object' && node !== null && !Array.isArray(node);
const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

/** "5433:5432", "127.0.0.1:5433:5432/tcp", "5432", "[::1]:5433:5432". */
export function parsePortSpec(spec: string): PublishedPort | undefined {
  const text = spec.trim().replace(/\/(tcp|udp)$/i, '');
  const parts = text.startsWith('[') ? [text.slice(1, text.indexOf(']')), ...text.slice(text.indexOf(']') + 2).split(':')] : text.split(':');
  const toPort = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  const target = toPort(parts[parts.length - 1]);
  if (target === undefined) return undefined;
  if (parts.length === 1) return { target };
  const published = toPort(parts[parts.length - 2]);
  const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : undefined;
  return { target, published, hostIp: hostIp || undefined };
}

function readPorts(node: unknown): PublishedPort[] {
  if (!Array.isArray(node)) return [];
  const ports: PublishedPort[] = [];
  for (const item of node) {
    if (isMap(item)) {
      const target = Number(scalar(item.target));
      const published = scalar(item.published);
      if (Number.isInteger(target)) ports.push({ target, published: published && /^\d+$/.test(published) ? Number(published) : undefined, hostIp: scalar(item.host_ip) });
      continue;
    }
    const port = scalar(item) === undefined ? undefined : parsePortSpec(scalar(item)!);
    if (port) ports.push(port);
  }
  return ports;
}

function readEnvironment(node: unknown): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  if (Array.isArray(node)) {
    for (const item of node) {
      const text = scalar(item);
      if (text === undefined) continue;
      const eq = text.indexOf('=');
      if (eq > 0) env[text.slice(0, eq)] = text.slice(eq + 1);
      else if (text !== '') env[text] = null;
    }
  } else if (isMap(node)) {
    for (const [key, value] of Object.entries(node)) env[key] = value === null || value === undefined ? null : scalar(value) ?? JSON.stringify(value);
  }
  return env;
}

function readEnvFiles(node: unknown, baseDir: string): EnvFileEntry[] {
  const items = node === undefined || node === null ? [] : Array.isArray(node) ? node : [node];
  const entries: EnvFileEntry[] = [];
  for (const item of items) {
    const path = isMap(item) ? scalar(item.path) : scalar(item);
    if (path === undefined) continue;
    const required = isMap(item) && item.required !== undefined ? item.required !== false && item.required !== 'false' : true;
    entries.push({ path: resolve(baseDir, path), required, raw: isMap(item) && item.format === 'raw' });
  }
  return entries;
}

/**
 * One compose file's services. `variables` interpolates every value as compose does; without it the
 * values stay as written. Throws the yaml package's error on a file that is not YAML.
 */
export function parseCompose(text: string, file = 'compose.yaml', variables?: Lookup): ComposeFile {
  const document = interpolateTree(parseYaml(text, { merge: true, maxAliasCount: 1000 }), variables);
  const services: ComposeService[] = [];
  const declared = isMap(document) && isMap(document.services) ? document.services : {};
  for (const [name, body] of Object.entries(declared)) {
    const service = isMap(body) ? body : {};
    services.push({
      name,
      image: scalar(service.image),
      build: service.build !== undefined,
      ports: readPorts(service.ports),
      environment: readEnvironment(service.environment),
      envFiles: readEnvFiles(service.env_file, dirname(resolve(file))),
    });
  }
  return { file, files: [file], services };
}

/** A later file's service on top of an earlier one: scalars replace, ports and env_file add up, environment merges by name. */
function mergeService(base: ComposeService, over: ComposeService): ComposeService {
  const ports = [...base.ports];
  for (const port of over.ports) if (!ports.some((p) => JSON.stringify(p) === JSON.stringify(port))) ports.push(port);
  return {
    name: base.name,
    image: over.image ?? base.image,
    build: base.build || over.build,
    ports,
    environment: { ...base.environment, ...over.environment },
    envFiles: [...base.envFiles, ...over.envFiles.filter((e) => !base.envFiles.some((b) => b.path === e.path))],
  };
}

export function mergeComposeFiles(files: ComposeFile[]): ComposeFile {
  const services = new Map<string, ComposeService>();
  for (const file of files) {
    for (const service of file.services) {
      const earlier = services.get(service.name);
      services.set(service.name, earlier ? mergeService(earlier, service) : service);
    }
  }
  return { file: files[0].file, files: files.flatMap((f) => f.files), services: [...services.values()] };
}

/** The compose files of the project holding `startDir`: the nearest folder (up to `stopAt`) with one, and its override file. */
export function findComposeFiles(startDir: string, stopAt?: string, fileExists: (file: string) => boolean = existsSync): string[] {
  for (let dir = startDir; ; dir = dirname(dir)) {
    const main = COMPOSE_FILE_NAMES.find((name) => fileExists(join(dir, name)));
    if (main) {
      const override = OVERRIDE_NAMES[main].find((name) => fileExists(join(dir, name)));
      return [join(dir, main), ...(override ? [join(dir, override)] : [])];
    }
    if (dir === stopAt || dirname(dir) === dir) return [];
  }
}

/**
 * The variables compose interpolates the files with: the shell environment first, then the project
 * folder's .env read with compose's rules.
 */
export function composeVariables(projectDir: string, environ: Record<string, string | undefined>): Record<string, string | undefined> {
  const dotenv = readText(join(projectDir, '.env'));
  const fromFile = dotenv === undefined ? undefined : composeEnvValues(dotenv, environ);
  return { ...Object.fromEntries(fromFile ?? []), ...environ };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The compose project as `docker compose` sees it: every file parsed, interpolated with the shell
 * environment and the project's .env, and merged in order. undefined when there is no compose file or
 * one cannot be read (a YAML error): never throws.
 */
export function readComposeProject(files: string[], environ: Record<string, string | undefined> = {}): ComposeFile | undefined {
  if (files.length === 0) return undefined;
  // Hover and diagnostics ask on every request: parse again only when a file (or the project .env) changed.
  const stamp = [...files, join(dirname(files[0]), '.env')].map(fileStamp).join('|');
  const cached = projectCache.get(files[0]);
  if (cached && cached.stamp === stamp && cached.environ === environ) return cached.project;
  const variables = composeVariables(dirname(files[0]), environ);
  let project: ComposeFile | undefined;
  try {
    project = mergeComposeFiles(files.map((file) => parseCompose(readFileSync(file, 'utf8'), file, variables)));
  } catch {
    project = undefined;
  }
  projectCache.set(files[0], { stamp, environ, project });
  return project;
}

const projectCache = new Map<string, { stamp: string; environ: Record<string, string | undefined>; project: ComposeFile | undefined }>();

function fileStamp(file: string): string {
  try {
    const stat = statSync(file);
    return `${file}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
  } catch {
    return `${file}:-`;
  }
}

export interface ContainerEnvironment {
  /** `environment:` entries, interpolated (bare names taken from the shell). */
  environment: Record<string, string>;
  /** Values from the env_file entries, in order (a later file wins), each with the file it came from. */
  fromFiles: Record<string, { value: string; file: string }>;
  /** Required env_file entries that do not exist: compose refuses to start the service. */
  missing: string[];
}

/** The environment a service's container starts with: env_file values, then `environment:` on top. */
export function containerEnvironment(service: ComposeService, environ: Record<string, string | undefined>, projectVariables: Record<string, string | undefined>): ContainerEnvironment {
  const fromFiles: ContainerEnvironment['fromFiles'] = {};
  const missing: string[] = [];
  for (const entry of service.envFiles) {
    const text = readText(entry.path);
    if (text === undefined) {
      if (entry.required) missing.push(entry.path);
      continue;
    }
    const values = entry.raw ? rawEnvFile(text) : composeEnvValues(text, projectVariables);
    for (const [key, value] of values ?? []) fromFiles[key] = { value, file: entry.path };
  }
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment)) {
    const resolved = value ?? environ[key];
    if (resolved !== undefined) environment[key] = resolved;
  }
  return { environment, fromFiles, missing };
}

/** `format: raw`: KEY=VALUE lines taken as they are. */
function rawEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}
