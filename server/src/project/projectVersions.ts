// The Django, driver and libpq a project really uses, found without running Python: the virtual
// environment's dist-info folders and the libpq bundled next to psycopg's binary package, else the pins
// in lock files and requirements, else the system libpq. Plain data in and out; the caller supplies file
// access (a handful of small reads and directory listings, never a walk of site-packages).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundledLibpq } from '../catalog/versions';
import { directoriesUpTo } from './pythonCommand';

/** A version as far as the project tells it: an exact one (installed, locked, `==`), or only bounds. */
export interface VersionFact {
  /** The exact version, when installed, locked or pinned with `==`. */
  exact?: string;
  /** Lower bound (inclusive) from a range such as `>=4.2`. */
  min?: string;
  /** Upper bound from a range such as `<5.0`; `maxInclusive` for `<=`. */
  max?: string;
  maxInclusive?: boolean;
  /** Where it was found, for messages: "installed in .venv", "locked in uv.lock". */
  source: string;
}

export type DriverName = 'psycopg' | 'psycopg2';

export interface ProjectVersions {
  django?: VersionFact;
  /** The driver Django imports: psycopg (3) when installed, else psycopg2. */
  driver?: { name: DriverName; version: VersionFact };
  /** Major version of the libpq that driver loads. */
  libpq?: { major: number; source: string };
  /** The virtual environment read, if any. */
  venv?: string;
  /** What was looked at: shown when nothing was found. */
  searched: string[];
}

export interface ProjectFiles {
  /** Names in a directory, or undefined when it cannot be listed. */
  readDir(dir: string): string[] | undefined;
  /** A file's text, or undefined when it cannot be read. */
  readFile(file: string): string | undefined;
}

/** The disk, telling `onRead` every path read or listed (so a cache knows what to watch). */
export function diskProjectFiles(onRead: (path: string) => void = () => {}): ProjectFiles {
  const attempt = <T>(target: string, read: () => T): T | undefined => {
    onRead(target);
    try {
      return read();
    } catch {
      return undefined;
    }
  };
  return {
    readDir: (dir) => attempt(dir, () => readdirSync(dir)),
    readFile: (file) => attempt(file, () => readFileSync(file, 'utf8')),
  };
}

export interface DetectOptions {
  /** The workspace folder: the search goes from the settings file's folder up to here. */
  workspaceRoot?: string;
  /** djangoPostgres.pythonCommand: when it is the path of a venv's interpreter, that venv is read first. */
  pythonCommand?: string;
  files: ProjectFiles;
  /** Where the system libpq may be (default: Linux library folders). Empty = no system libpq. */
  systemLibDirs?: string[];
  platform?: NodeJS.Platform;
}

/** Folders a virtual environment is conventionally kept in, nearest project folder first. */
export const VENV_DIRS = ['.venv', 'venv', 'env', '.env'];

/** Lock and requirement files read for pins, most exact first. */
const LOCK_FILES = ['uv.lock', 'poetry.lock', 'Pipfile.lock'];

const PACKAGES = ['django', 'psycopg', 'psycopg-binary', 'psycopg-c', 'psycopg2', 'psycopg2-binary'] as const;
type PackageName = (typeof PACKAGES)[number];
type Found = Partial<Record<PackageName, VersionFact>>;

export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const isPackage = (name: string): name is PackageName => (PACKAGES as readonly string[]).includes(name);

// ---- versions ----

function versionParts(version: string): number[] {
  return (version.match(/^\d+(?:\.\d+)*/)?.[0] ?? '0').split('.').map(Number);
}

/** Compares dotted release numbers (pre-release suffixes are ignored): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** True when every version the fact allows is older than `version`. */
export function allOlderThan(fact: VersionFact | undefined, version: string): boolean {
  if (!fact) return false;
  if (fact.exact) return compareVersions(fact.exact, version) < 0;
  if (!fact.max) return false;
  const order = compareVersions(fact.max, version);
  return fact.maxInclusive ? order < 0 : order <= 0;
}

/** "5.2.17", ">=4.2,<5.0", "<5": the fact as a short text. */
export function describeVersion(fact: VersionFact): string {
  if (fact.exact) return fact.exact;
  const bounds = [fact.min ? `>=${fact.min}` : '', fact.max ? `${fact.maxInclusive ? '<=' : '<'}${fact.max}` : ''].filter(Boolean);
  return bounds.join(',') || 'any version';
}

/** `major.minor` of a version, e.g. 4.2 for 4.2.11. */
export function minorOf(version: string): string {
  return versionParts(version).slice(0, 2).join('.');
}

/** The version with part `position` raised by one and the parts after it zeroed: bump('4.2', 0) = '5.0'. */
function bump(version: string, position: number): string {
  const parts = versionParts(version);
  while (parts.length <= position) parts.push(0);
  return parts.map((part, i) => (i < position ? part : i === position ? part + 1 : 0)).join('.');
}

/** A PEP 440 / Poetry specifier list ("==4.2.11", ">=4.2,<5", "~=4.2", "^4.2", "4.2.*") as a fact. */
export function parseSpecifier(spec: string, source: string): VersionFact | undefined {
  const fact: VersionFact = { source };
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(===|==|~=|<=|>=|!=|<|>|\^|~|=)?\s*v?(\d[\w.*+!-]*)$/.exec(raw);
    if (!m) continue;
    const [, op = '==', version] = m;
    const release = version.replace(/\.\*$/, '');
    if (op === '!=' || op === '>') continue;
    if ((op === '==' || op === '===' || op === '=') && version.endsWith('.*')) {
      fact.min = release;
      fact.max = bump(release, versionParts(release).length - 1);
    } else if (op === '==' || op === '===' || op === '=') fact.exact = version;
    else if (op === '>=') fact.min = version;
    else if (op === '<' || op === '<=') {
      fact.max = version;
      fact.maxInclusive = op === '<=';
    } else if (op === '~=') {
      fact.min = version;
      fact.max = bump(version, Math.max(versionParts(version).length - 2, 0));
    } else if (op === '^') {
      fact.min = version;
      const parts = versionParts(version);
      const firstNonZero = parts.findIndex((p) => p !== 0);
      fact.max = bump(version, firstNonZero < 0 ? parts.length - 1 : firstNonZero);
    } else if (op === '~') {
      fact.min = version;
      fact.max = bump(version, versionParts(version).length > 1 ? 1 : 0);
    }
  }
  return fact.exact || fact.min || fact.max ? fact : undefined;
}

// ---- the virtual environment ----

function sitePackagesOf(venv: string, files: ProjectFiles, p: path.PlatformPath, platform: NodeJS.Platform): string | undefined {
  if (platform === 'win32') {
    const site = p.join(venv, 'Lib', 'site-packages');
    return files.readDir(site) ? site : undefined;
  }
  const lib = p.join(venv, 'lib');
  const python = (files.readDir(lib) ?? []).filter((d) => /^python\d/.test(d)).sort().pop();
  return python ? p.join(lib, python, 'site-packages') : undefined;
}

/** The installed packages we care about, from `name-version.dist-info` folders (METADATA's Version wins). */
function installedPackages(site: string, listing: string[], files: ProjectFiles, p: path.PlatformPath, source: string): Found {
  const found: Found = {};
  for (const entry of listing) {
    const m = /^(.+?)-(\d[^-]*?)\.(dist-info|egg-info)$/.exec(entry);
    if (!m) continue;
    const name = normalizePackageName(m[1]);
    if (!isPackage(name) || found[name]) continue;
    const metadata = files.readFile(p.join(site, entry, m[3] === 'dist-info' ? 'METADATA' : 'PKG-INFO'));
    const version = metadata?.match(/^Version:\s*(\S+)/m)?.[1] ?? m[2];
    found[name] = { exact: version, source };
  }
  return found;
}

/** libpq major from a bundled library name such as `libpq-e9b5c9ac.so.5.18` (libpq 10+ use 5.<major>). */
function libpqMajorIn(listing: string[] | undefined): { major: number; file: string } | undefined {
  for (const file of listing ?? []) {
    const m = /^libpq(?:[-.][\w]+)?\.so\.5\.(\d+)(?:\.\d+)*$/.exec(file);
    if (m && Number(m[1]) >= 10) return { major: Number(m[1]), file };
  }
  return undefined;
}

function systemLibpq(options: DetectOptions, platform: NodeJS.Platform): { major: number; source: string } | undefined {
  if (platform !== 'linux' && options.systemLibDirs === undefined) return undefined;
  const dirs = options.systemLibDirs ?? [
    ...(options.files.readDir('/usr/lib') ?? []).filter((d) => /-linux-gnu/.test(d)).map((d) => `/usr/lib/${d}`),
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  for (const dir of dirs) {
    const found = libpqMajorIn(options.files.readDir(dir));
    if (found) return { major: found.major, source: `the system libpq (${path.posix.join(dir, found.file)})` };
  }
  return undefined;
}

// ---- pins ----

function lockPackages(text: string, source: string): Found {
  const found: Found = {};
  for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const name = normalizePackageName(/^name\s*=\s*"([^"]+)"/m.exec(block)?.[1] ?? '');
    const version = /^version\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    if (isPackage(name) && version && !found[name]) found[name] = { exact: version, source };
  }
  return found;
}

function pipfileLockPackages(text: string, source: string): Found {
  const found: Found = {};
  let json: Record<string, Record<string, { version?: string }>>;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return found;
  }
  for (const section of ['default', 'develop']) {
    for (const [rawName, info] of Object.entries(json[section] ?? {})) {
      const name = normalizePackageName(rawName);
      const fact = typeof info?.version === 'string' ? parseSpecifier(info.version, source) : undefined;
      if (isPackage(name) && fact && !found[name]) found[name] = fact;
    }
  }
  return found;
}

/** One PEP 508 requirement ("psycopg[binary,pool]>=3.1; python_version>'3.8'") into `found`. */
function addRequirement(found: Found, line: string, source: string): void {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(?:\(?\s*([^;()]*?)\s*\)?)?\s*(?:;.*)?$/.exec(line);
  if (!m) return;
  const name = normalizePackageName(m[1]);
  const fact = parseSpecifier(m[3] ?? '', `${source} (${line.trim()})`) ?? { source: `${source} (${line.trim()})` };
  const add = (n: string) => {
    if (isPackage(n) && !found[n]) found[n] = fact;
  };
  add(name);
  const extras = (m[2] ?? '').split(',').map((e) => e.trim().toLowerCase());
  if (name === 'psycopg' && extras.includes('binary')) add('psycopg-binary');
  if (name === 'psycopg' && extras.includes('c')) add('psycopg-c');
}

function requirementsPackages(text: string, source: string): Found {
  const found: Found = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line && !line.startsWith('-')) addRequirement(found, line, source);
  }
  return found;
}

/** The body of a TOML table, from its header to the next header. */
function tomlTable(text: string, header: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `[${header}]`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

function pyprojectPackages(text: string, source: string): Found {
  const found: Found = {};
  const project = tomlTable(text, 'project');
  const list = project ? /^dependencies\s*=\s*\[([\s\S]*?)\]/m.exec(project)?.[1] : undefined;
  for (const m of (list ?? '').matchAll(/"([^"]+)"|'([^']+)'/g)) addRequirement(found, m[1] ?? m[2], source);
  const poetry = tomlTable(text, 'tool.poetry.dependencies') ?? '';
  for (const m of poetry.matchAll(/^\s*([A-Za-z0-9._-]+)\s*=\s*(.+)$/gm)) {
    const name = normalizePackageName(m[1]);
    const value = m[2].trim();
    const spec = /^["']([^"']*)["']/.exec(value)?.[1] ?? /version\s*=\s*["']([^"']*)["']/.exec(value)?.[1];
    const fact = spec ? parseSpecifier(spec, `${source} ([tool.poetry.dependencies] ${m[1]} = ${value})`) : undefined;
    if (isPackage(name) && fact && !found[name]) found[name] = fact;
    if (name === 'psycopg' && fact && /extras\s*=\s*\[[^\]]*["']binary["']/.test(value) && !found['psycopg-binary']) found['psycopg-binary'] = fact;
  }
  return found;
}

function pinsIn(dir: string, files: ProjectFiles, p: path.PlatformPath, searched: string[], show: (file: string) => string): Found {
  const found: Found = {};
  const merge = (more: Found) => {
    for (const name of PACKAGES) if (!found[name] && more[name]) found[name] = more[name];
  };
  const listing = files.readDir(dir) ?? [];
  const read = (name: string, parse: (text: string, source: string) => Found) => {
    if (!listing.includes(name)) return;
    const file = p.join(dir, name);
    searched.push(file);
    const text = files.readFile(file);
    if (text !== undefined) merge(parse(text, `${LOCK_FILES.includes(name) ? 'locked' : 'required'} in ${show(file)}`));
  };
  read('uv.lock', lockPackages);
  read('poetry.lock', lockPackages);
  read('Pipfile.lock', pipfileLockPackages);
  for (const name of listing.filter((n) => /^requirements.*\.txt$/i.test(n)).sort()) read(name, requirementsPackages);
  if (listing.includes('requirements')) {
    const sub = p.join(dir, 'requirements');
    for (const name of (files.readDir(sub) ?? []).filter((n) => n.endsWith('.txt')).sort()) {
      const file = p.join(sub, name);
      searched.push(file);
      const text = files.readFile(file);
      if (text !== undefined) merge(requirementsPackages(text, `required in ${show(file)}`));
    }
  }
  read('pyproject.toml', pyprojectPackages);
  return found;
}

/** The libpq a pinned binary wheel bundles, when its release is known. */
export function libpqOfWheel(pkg: 'psycopg-binary' | 'psycopg2-binary', version: string, platform: NodeJS.Platform = process.platform): number | undefined {
  const entry = bundledLibpq.filter((b) => b.package === pkg && compareVersions(version, b.from) >= 0).pop();
  if (!entry) return undefined;
  return platform === 'win32' ? entry.windowsLibpq : entry.libpq;
}

// ---- putting it together ----

function driverOf(found: Found): ProjectVersions['driver'] {
  if (found.psycopg) return { name: 'psycopg', version: found.psycopg };
  const psycopg2 = found.psycopg2 ?? found['psycopg2-binary'];
  return psycopg2 ? { name: 'psycopg2', version: psycopg2 } : undefined;
}

/** The bundled wheel the driver loads its libpq from, if it uses one. */
function bundledWheel(found: Found, driver: ProjectVersions['driver']): 'psycopg-binary' | 'psycopg2-binary' | undefined {
  if (driver?.name === 'psycopg') return found['psycopg-c'] || !found['psycopg-binary'] ? undefined : 'psycopg-binary';
  if (driver?.name === 'psycopg2') return found['psycopg2-binary'] && !found.psycopg2 ? 'psycopg2-binary' : undefined;
  return undefined;
}

/** What a virtual environment holds, if it is one and holds Django or a driver. */
function readVenv(venv: string, options: DetectOptions, p: path.PlatformPath, platform: NodeJS.Platform, searched: string[], show: (file: string) => string): ProjectVersions | undefined {
  if (options.files.readFile(p.join(venv, 'pyvenv.cfg')) === undefined) return undefined;
  searched.push(venv);
  const site = sitePackagesOf(venv, options.files, p, platform);
  const listing = site ? options.files.readDir(site) : undefined;
  if (!site || !listing) return undefined;
  const found = installedPackages(site, listing, options.files, p, `installed in ${show(venv)}`);
  const driver = driverOf(found);
  if (!found.django && !driver) return undefined;
  const result: ProjectVersions = { venv, django: found.django, driver, searched };
  const wheel = bundledWheel(found, driver);
  const libsDir = wheel && p.join(site, `${wheel.replace('-', '_')}.libs`);
  const bundled = libsDir ? libpqMajorIn(options.files.readDir(libsDir)) : undefined;
  const wheelVersion = wheel && found[wheel]?.exact;
  // No libpq-*.so.5.NN to read (macOS and Windows wheels): the release tells, where it is known.
  const released = wheel && wheelVersion ? libpqOfWheel(wheel, wheelVersion, platform) : undefined;
  if (bundled) result.libpq = { major: bundled.major, source: `${wheel} in ${show(venv)} (${bundled.file})` };
  else if (released) result.libpq = { major: released, source: `${wheel} ${wheelVersion} in ${show(venv)}` };
  else if (driver && !wheel) result.libpq = systemLibpq(options, platform);
  return result;
}

export function detectProjectVersions(startDir: string, options: DetectOptions): ProjectVersions {
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dirs = directoriesUpTo(startDir, options.workspaceRoot, p);
  const searched: string[] = [];
  const result: ProjectVersions = { searched };
  // Paths in messages relative to the workspace folder where they lie inside it: `.venv`, `requirements/base.txt`.
  const root = options.workspaceRoot;
  const show = (file: string) => {
    const inside = root ? p.relative(root, file) : '';
    return root && inside && !inside.startsWith('..') && !p.isAbsolute(inside) ? inside : file;
  };

  // 1. The venv of the configured interpreter, else one in the project: what is installed is what runs.
  const configured = venvOfInterpreter(options.pythonCommand, p);
  const candidates = [...(configured ? [configured] : []), ...dirs.flatMap((dir) => VENV_DIRS.map((name) => p.join(dir, name)))];
  for (const venv of candidates) {
    const installed = readVenv(venv, options, p, platform, searched, show);
    if (installed) return { ...installed, searched };
  }

  // 2. Pins: lock files first, then requirements and pyproject.toml, nearest folder first.
  const pins: Found = {};
  for (const dir of dirs) {
    const more = pinsIn(dir, options.files, p, searched, show);
    for (const name of PACKAGES) if (!pins[name] && more[name]) pins[name] = more[name];
  }
  result.django = pins.django;
  result.driver = driverOf(pins);
  // A binary wheel never loads the system libpq, so its pin says more than the system library does.
  const wheel = bundledWheel(pins, result.driver);
  const wheelVersion = wheel ? pins[wheel]?.exact : undefined;
  const wheelLibpq = wheel && wheelVersion ? libpqOfWheel(wheel, wheelVersion, platform) : undefined;
  if (wheel && wheelVersion && wheelLibpq) {
    result.libpq = { major: wheelLibpq, source: `${wheel} ${wheelVersion} ${pins[wheel]?.source ?? ''}`.trim() };
  } else if (!wheel) {
    result.libpq = systemLibpq(options, platform);
  }
  return result;
}

/** The venv folder of a command that is one interpreter path (`/p/.venv/bin/python`); not `uv run python`. */
function venvOfInterpreter(command: string | undefined, p: path.PlatformPath): string | undefined {
  if (!command || !p.isAbsolute(command.replace(/^["']|["']$/g, ''))) return undefined;
  const interpreter = command.replace(/^["']|["']$/g, '');
  const bin = p.dirname(interpreter);
  return /^(bin|Scripts)$/i.test(p.basename(bin)) ? p.dirname(bin) : undefined;
}

/** A fixed set of versions (tests, documentation examples, a user's explicit choice). */
export function fixedProjectVersions(versions: { django?: string; psycopg?: string; psycopg2?: string; libpq?: number }, source = 'given'): ProjectVersions {
  const result: ProjectVersions = { searched: [] };
  if (versions.django) result.django = { exact: versions.django, source };
  if (versions.psycopg) result.driver = { name: 'psycopg', version: { exact: versions.psycopg, source } };
  else if (versions.psycopg2) result.driver = { name: 'psycopg2', version: { exact: versions.psycopg2, source } };
  if (versions.libpq) result.libpq = { major: versions.libpq, source };
  return result;
}

/** "Django 4.2, psycopg 3.1, libpq 16" (or what is missing), for hover. */
export function summarizeProjectVersions(versions: ProjectVersions): string {
  const parts = [
    versions.django ? `Django ${describeVersion(versions.django)}` : undefined,
    versions.driver ? `${versions.driver.name} ${describeVersion(versions.driver.version)}` : undefined,
    versions.libpq ? `libpq ${versions.libpq.major}` : undefined,
  ].filter((x) => x !== undefined);
  return parts.join(', ');
}
