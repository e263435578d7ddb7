// How a Django project runs Python, and where its manage.py lives. Pure functions over paths and file
// contents (the caller supplies file access), so the client and the tests share one decision.
import * as path from 'node:path';

export interface PythonCommand {
  /** The command prefix that runs Python for this project, e.g. ['uv', 'run', 'python']. */
  argv: string[];
  /** Why this command was chosen, for the log and the terminal's tooltip. */
  reason: string;
}

export interface PythonCommandOptions {
  /** The `djangoPostgres.pythonCommand` setting: a command prefix such as `uv run python` or a path. */
  override?: string;
  /** The interpreter selected in the Python extension (path to the executable), when that extension is installed. */
  pythonExtensionInterpreter?: string;
  /** The workspace folder holding the project: lock files are looked for from the project up to here. */
  workspaceRoot?: string;
  platform?: NodeJS.Platform;
  fileExists(file: string): boolean;
  /** The file's text, or undefined when it cannot be read. */
  readFile(file: string): string | undefined;
}

/** Splits a command prefix the way a shell would for the simple cases: whitespace, single and double quotes. */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote) throw new Error(`Unclosed ${quote} quote in the Python command "${line}"`);
  if (started) args.push(current);
  return args;
}

/** Directories from `dir` up to `root` (inclusive) when `dir` lies inside `root`; otherwise `dir` alone. */
export function directoriesUpTo(dir: string, root: string | undefined, p: path.PlatformPath): string[] {
  const dirs = [dir];
  if (!root) return dirs;
  const relative = p.relative(root, dir);
  if (relative.startsWith('..') || p.isAbsolute(relative)) return dirs;
  let current = dir;
  while (current !== root && p.dirname(current) !== current) {
    current = p.dirname(current);
    dirs.push(current);
  }
  return dirs;
}

function pyprojectHasTable(text: string | undefined, tool: string): boolean {
  if (!text) return false;
  // A table header [tool.uv] or a sub-table such as [tool.poetry.dependencies].
  const header = new RegExp(`^\\s*\\[\\s*tool\\.${tool}\\s*[\\].]`, 'm');
  return header.test(text);
}

interface ProjectTool {
  name: string;
  argv: string[];
  lockFile: string;
  pyprojectTable?: string;
}

const PROJECT_TOOLS: ProjectTool[] = [
  { name: 'uv', argv: ['uv', 'run', 'python'], lockFile: 'uv.lock', pyprojectTable: 'uv' },
  { name: 'Poetry', argv: ['poetry', 'run', 'python'], lockFile: 'poetry.lock', pyprojectTable: 'poetry' },
  { name: 'Pipenv', argv: ['pipenv', 'run', 'python'], lockFile: 'Pipfile' },
];

/** The virtual environment folders looked for in the project, in order. */
const VENV_DIRS = ['.venv', 'venv'];

export function choosePythonCommand(projectDir: string, options: PythonCommandOptions): PythonCommand {
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;

  const override = options.override?.trim();
  if (override) {
    // A path with spaces that names an existing file is one argument, not several.
    const argv = options.fileExists(override) ? [override] : splitCommandLine(override);
    return { argv, reason: 'the djangoPostgres.pythonCommand setting' };
  }

  const dirs = directoriesUpTo(projectDir, options.workspaceRoot, p);
  for (const tool of PROJECT_TOOLS) {
    for (const dir of dirs) {
      const lock = p.join(dir, tool.lockFile);
      if (options.fileExists(lock)) return { argv: tool.argv, reason: `${tool.name} project (${lock})` };
      const pyproject = p.join(dir, 'pyproject.toml');
      if (tool.pyprojectTable && options.fileExists(pyproject)
        && pyprojectHasTable(options.readFile(pyproject), tool.pyprojectTable)) {
        return { argv: tool.argv, reason: `${tool.name} project ([tool.${tool.pyprojectTable}] in ${pyproject})` };
      }
    }
  }

  if (options.pythonExtensionInterpreter) {
    return { argv: [options.pythonExtensionInterpreter], reason: 'the interpreter selected in the Python extension' };
  }

  const venvPython = platform === 'win32' ? ['Scripts', 'python.exe'] : ['bin', 'python'];
  for (const dir of dirs) {
    for (const venv of VENV_DIRS) {
      const python = p.join(dir, venv, ...venvPython);
      if (options.fileExists(python)) return { argv: [python], reason: `the virtual environment ${p.join(dir, venv)}` };
    }
  }

  const fallback = platform === 'win32' ? 'python' : 'python3';
  return { argv: [fallback], reason: `no project tool, selected interpreter or virtual environment found: ${fallback} from PATH` };
}

// ---- manage.py ----

/** Path segments that hold installed packages or tooling, never the user's project. */
const NOT_PROJECT_DIRS = new Set(['.venv', 'venv', 'env', 'site-packages', 'dist-packages', 'node_modules', '.tox', '.nox', '.git', '__pypackages__', '.mypy_cache']);

function segments(file: string): string[] {
  return file.split(/[\\/]+/);
}

/** The manage.py files among `files`, leaving out copies inside virtual environments and installed packages. */
export function managePyCandidates(files: readonly string[]): string[] {
  return files.filter((file) => {
    const parts = segments(file);
    return parts[parts.length - 1] === 'manage.py' && !parts.slice(0, -1).some((part) => NOT_PROJECT_DIRS.has(part));
  });
}

function dirnameOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut <= 0 ? file.slice(0, cut + 1) : file.slice(0, cut);
}

/**
 * The manage.py that runs a settings file: the nearest one in a folder above the settings package
 * (`proj/config/settings.py` and `proj/config/settings/dev.py` both belong to `proj/manage.py`).
 */
export function managePyForSettings(settingsFile: string, managePyFiles: readonly string[]): string | undefined {
  const byDir = new Map(managePyCandidates(managePyFiles).map((file) => [dirnameOf(file), file]));
  let dir = dirnameOf(dirnameOf(settingsFile));
  for (;;) {
    const found = byDir.get(dir);
    if (found) return found;
    const parent = dirnameOf(dir);
    if (parent === dir || parent === '') return undefined;
    dir = parent;
  }
}

/** The dotted module name of a settings file as seen from manage.py's folder, e.g. `config.settings.dev`. */
export function settingsModuleName(managePy: string, settingsFile: string): string | undefined {
  const root = dirnameOf(managePy);
  const rootWithSeparator = /[\\/]$/.test(root) ? root : root + managePy.charAt(root.length);
  if (!settingsFile.startsWith(rootWithSeparator) || !settingsFile.endsWith('.py')) return undefined;
  const parts = segments(settingsFile.slice(rootWithSeparator.length, -'.py'.length));
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.length > 0 && parts.every((part) => /^[A-Za-z_]\w*$/.test(part)) ? parts.join('.') : undefined;
}

/**
 * manage.py files ordered for a picker: those next to a settings package first (they are the Django
 * projects), then the rest, each group by path.
 */
export function rankManagePy(managePyFiles: readonly string[], settingsFiles: readonly string[]): string[] {
  const candidates = managePyCandidates(managePyFiles);
  const owners = new Set(settingsFiles.map((settings) => managePyForSettings(settings, candidates)).filter((f) => f !== undefined));
  const sorted = [...candidates].sort();
  return [...sorted.filter((f) => owners.has(f)), ...sorted.filter((f) => !owners.has(f))];
}
