// A small reader for docker compose files: the services, the ports they publish and their environment.
// Only what Test Connection needs to tell "db only exists inside the compose network" from a typo; it is
// an indentation-based reader of the common block style (https://docs.docker.com/reference/compose-file/services/),
// not a YAML parser, and it never throws.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PublishedPort {
  /** The port on the machine running Docker; undefined when compose picks one at random. */
  published?: number;
  /** The port inside the container. */
  target: number;
  /** The host address it is bound to, when given (127.0.0.1:5433:5432). */
  hostIp?: string;
}

export interface ComposeService {
  name: string;
  image?: string;
  ports: PublishedPort[];
  /** `environment:` as written (map or list form); values are not interpolated. */
  environment: Record<string, string>;
}

export interface ComposeFile {
  file: string;
  services: ComposeService[];
}

/** File names `docker compose` looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

interface Line {
  indent: number;
  text: string;
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/** Drop a comment: a '#' at the start or after a blank, outside quotes. */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      return text.slice(0, i);
    }
  }
  return text;
}

function linesOf(text: string): Line[] {
  return text.split(/\r?\n/)
    .map((raw) => stripComment(raw).replace(/\s+$/, ''))
    .filter((l) => l.trim() !== '' && l.trim() !== '---')
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
}

/** The lines nested under lines[at] (more indented than it). */
function childrenOf(lines: Line[], at: number): Line[] {
  const out: Line[] = [];
  for (let i = at + 1; i < lines.length && lines[i].indent > lines[at].indent; i++) out.push(lines[i]);
  return out;
}

/** `key: value` → [key, value]; undefined for other lines. */
function keyValue(text: string): [string, string] | undefined {
  const match = /^("[^"]*"|'[^']*'|[^:\s][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  return match ? [unquote(match[1]), match[2] ?? ''] : undefined;
}

/** Direct children of a block: the lines at the block's first indentation, with their own children. */
function entriesOf(block: Line[]): { line: Line; children: Line[] }[] {
  if (block.length === 0) return [];
  const indent = block[0].indent;
  const out: { line: Line; children: Line[] }[] = [];
  block.forEach((line, i) => {
    if (line.indent === indent) out.push({ line, children: childrenOf(block, i) });
  });
  return out;
}

/** Items of a flow list `[a, "b"]`. */
function flowItems(value: string): string[] | undefined {
  const v = value.trim();
  if (!v.startsWith('[') || !v.endsWith(']')) return undefined;
  return v.slice(1, -1).split(',').map(unquote).filter((s) => s !== '');
}

/** "5433:5432", "127.0.0.1:5433:5432/tcp", "5432". */
export function parsePortSpec(spec: string): PublishedPort | undefined {
  const text = unquote(spec).replace(/\/(tcp|udp)$/i, '');
  const parts = text.startsWith('[') ? [text.slice(1, text.indexOf(']')), ...text.slice(text.indexOf(']') + 2).split(':')] : text.split(':');
  const toPort = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  const target = toPort(parts[parts.length - 1]);
  if (target === undefined) return undefined;
  if (parts.length === 1) return { target };
  const published = toPort(parts[parts.length - 2]);
  const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : undefined;
  return { target, published, hostIp: hostIp || undefined };
}

function readPorts(value: string, children: Line[]): PublishedPort[] {
  const inline = flowItems(value);
  if (inline) return inline.map(parsePortSpec).filter((p): p is PublishedPort => p !== undefined);
  const ports: PublishedPort[] = [];
  for (const { line, children: more } of entriesOf(children)) {
    if (!line.text.startsWith('-')) continue;
    const item = line.text.slice(1).trim();
    const long = keyValue(item);
    if (long && ['target', 'published', 'host_ip', 'protocol', 'mode'].includes(long[0])) {
      // Long syntax: `- target: 5432` followed by `published: 5433` lines.
      const fields = new Map([long, ...more.map((l) => keyValue(l.text)).filter((kv): kv is [string, string] => kv !== undefined)]
        .map(([k, v]) => [k, unquote(v)]));
      const target = Number(fields.get('target'));
      const published = fields.get('published');
      if (Number.isInteger(target)) ports.push({ target, published: published && /^\d+$/.test(published) ? Number(published) : undefined, hostIp: fields.get('host_ip') });
    } else {
      const port = parsePortSpec(item);
      if (port) ports.push(port);
    }
  }
  return ports;
}

function readEnvironment(value: string, children: Line[]): Record<string, string> {
  const env: Record<string, string> = {};
  const assign = (item: string) => {
    const text = unquote(item);
    const eq = text.indexOf('=');
    if (eq > 0) env[text.slice(0, eq)] = text.slice(eq + 1);
  };
  const inline = flowItems(value);
  if (inline) {
    inline.forEach(assign);
    return env;
  }
  for (const { line } of entriesOf(children)) {
    if (line.text.startsWith('-')) {
      assign(line.text.slice(1));
      continue;
    }
    const kv = keyValue(line.text);
    if (kv) env[kv[0]] = unquote(kv[1]);
  }
  return env;
}

export function parseCompose(text: string, file = 'compose.yaml'): ComposeFile {
  const lines = linesOf(text);
  const servicesAt = lines.findIndex((l) => l.indent === 0 && /^services\s*:\s*$/.test(l.text));
  if (servicesAt < 0) return { file, services: [] };
  const services: ComposeService[] = [];
  for (const { line, children } of entriesOf(childrenOf(lines, servicesAt))) {
    const name = keyValue(line.text)?.[0];
    if (!name) continue;
    const service: ComposeService = { name, ports: [], environment: {} };
    for (const { line: keyLine, children: block } of entriesOf(children)) {
      const kv = keyValue(keyLine.text);
      if (!kv) continue;
      if (kv[0] === 'image') service.image = unquote(kv[1]);
      else if (kv[0] === 'ports') service.ports = readPorts(kv[1], block);
      else if (kv[0] === 'environment') service.environment = readEnvironment(kv[1], block);
    }
    services.push(service);
  }
  return { file, services };
}

/** The compose file of the project holding `startDir`: the nearest one in it or a folder above (up to `stopAt`). */
export function findComposeFile(startDir: string, stopAt?: string, fileExists: (file: string) => boolean = existsSync): string | undefined {
  for (let dir = startDir; ; dir = dirname(dir)) {
    for (const name of COMPOSE_FILE_NAMES) {
      if (fileExists(join(dir, name))) return join(dir, name);
    }
    if (dir === stopAt || dirname(dir) === dir) return undefined;
  }
}

export function readComposeFile(file: string): ComposeFile | undefined {
  try {
    return parseCompose(readFileSync(file, 'utf8'), file);
  } catch {
    return undefined;
  }
}

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR`, from the given variables. */
export function interpolateCompose(value: string, variables: Record<string, string | undefined>): string {
  // '$$' is a literal '$': split on it so the pieces are interpolated on their own.
  return value.split('$$').map((piece) => piece
    .replace(/\$\{([A-Za-z_]\w*)(?:(:?)-([^}]*))?\}/g, (_all, name: string, colon: string, fallback: string | undefined) => {
      const v = variables[name];
      if (fallback !== undefined && (v === undefined || (colon === ':' && v === ''))) return fallback;
      return v ?? '';
    })
    .replace(/\$([A-Za-z_]\w*)/g, (_all, name: string) => variables[name] ?? '')).join('$');
}
