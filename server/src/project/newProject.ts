// "New Django Project on PostgreSQL": the commands that create the project (uv when installed, else a
// .venv with pip), and the files written after `startproject`: DATABASES reading the environment (the
// dbpg-minimal snippet), .env loaded by python-dotenv with generated credentials, .env in .gitignore.
// Plain planning: no VS Code, nothing run here. Existing files are never overwritten.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { databasesSnippets, plainText } from '../features/snippets';
import { PythonSource } from '../model/python';
import { settingsModelOf } from '../model/settingsModel';

export type ProjectTool = 'uv' | 'pip';

export interface NewProjectStep {
  title: string;
  argv: string[];
  cwd: string;
}

export interface NewProjectPlan {
  tool: ProjectTool;
  steps: NewProjectStep[];
  /** The Python of the project once the steps ran (for manage.py). */
  python: string[];
  settingsFile: string;
  managePy: string;
}

/** Packages the project needs: Django, psycopg 3 with its bundled libpq, python-dotenv to read .env. */
export const PROJECT_PACKAGES = ['django', 'psycopg[binary]', 'python-dotenv'];

/** Names startproject refuses or that would shadow a module the project imports. */
const RESERVED = new Set(['django', 'test', 'site', 'code', 'os', 'sys', 'json', 'types', 'string', 'random', 'dotenv', 'psycopg', 'config_test']);

/** Why `name` cannot be a project (package) name, or undefined when it can. */
export function projectNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'use letters, digits and underscores, not starting with a digit (it becomes a Python package)';
  if (RESERVED.has(name.toLowerCase())) return `"${name}" would shadow a Python module the project imports`;
  return undefined;
}

/** A project name from a folder name: `my-shop` → `my_shop`. */
export function suggestedProjectName(folder: string): string {
  const base = path.basename(folder).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[a-z_]/.test(base) ? base : `site_${base}`;
  return projectNameProblem(name) || name === '' ? 'mysite' : name;
}

/** Files and folders the project would create that already exist: the command stops rather than overwrite them. */
export function existingConflicts(folder: string, name: string, exists: (p: string) => boolean = existsSync): string[] {
  return ['manage.py', name].filter((entry) => exists(path.join(folder, entry)));
}

export function planNewProject(folder: string, name: string, tool: ProjectTool, options: { python?: string; platform?: NodeJS.Platform; exists?: (p: string) => boolean } = {}): NewProjectPlan {
  const exists = options.exists ?? existsSync;
  const platform = options.platform ?? process.platform;
  const steps: NewProjectStep[] = [];
  let python: string[];
  if (tool === 'uv') {
    // uv init refuses a folder that already has a pyproject.toml: add to that project instead.
    if (!exists(path.join(folder, 'pyproject.toml'))) steps.push({ title: 'uv init', argv: ['uv', 'init', '--name', name], cwd: folder });
    steps.push({ title: 'uv add django psycopg[binary] python-dotenv', argv: ['uv', 'add', ...PROJECT_PACKAGES], cwd: folder });
    python = ['uv', 'run', 'python'];
  } else {
    const venvPython = platform === 'win32' ? path.join(folder, '.venv', 'Scripts', 'python.exe') : path.join(folder, '.venv', 'bin', 'python');
    if (!exists(venvPython)) steps.push({ title: 'python -m venv .venv', argv: [options.python ?? (platform === 'win32' ? 'python' : 'python3'), '-m', 'venv', '.venv'], cwd: folder });
    steps.push({ title: 'pip install django psycopg[binary] python-dotenv', argv: [venvPython, '-m', 'pip', 'install', '--disable-pip-version-check', ...PROJECT_PACKAGES], cwd: folder });
    python = [venvPython];
  }
  steps.push({ title: `django-admin startproject ${name} .`, argv: [...python, '-m', 'django', 'startproject', name, '.'], cwd: folder });
  return { tool, steps, python, settingsFile: path.join(folder, name, 'settings.py'), managePy: path.join(folder, 'manage.py') };
}

/**
 * startproject's settings.py with DATABASES reading the environment (the dbpg-minimal snippet) and
 * python-dotenv loading the project's .env. Found through the settings model, not by searching text.
 */
export function postgresSettings(settingsText: string): string {
  const snippet = databasesSnippets().find((s) => s.prefix === 'dbpg-minimal');
  if (!snippet) throw new Error('the dbpg-minimal snippet is missing from the extension');
  const model = settingsModelOf(settingsText);
  const databases = model.dicts.find((d) => d.role === 'databases');
  if (!databases) throw new Error('settings.py has no DATABASES block to replace');
  const src = PythonSource.parse(settingsText);
  let text = settingsText.slice(0, databases.dict.span.from) + plainText(snippet.value).trimEnd() + settingsText.slice(databases.dict.span.to);
  // After the imports: load .env next to manage.py (BASE_DIR is defined right below them by startproject).
  const imports = [];
  for (let node = src.tree.topNode.firstChild; node; node = node.nextSibling) if (node.name === 'ImportStatement') imports.push(node);
  const baseDir = findAssignment(src, 'BASE_DIR');
  const loadAt = baseDir ? lineEnd(settingsText, baseDir.to) : imports.length ? lineEnd(settingsText, imports[imports.length - 1].to) : 0;
  const load = baseDir ? "\n\n# Connection values and secrets live in .env (never committed).\nload_dotenv(BASE_DIR / '.env')" : '\nload_dotenv()';
  text = text.slice(0, loadAt) + load + text.slice(loadAt);
  const importAt = imports.length ? imports[0].from : 0;
  return text.slice(0, importAt) + 'import os\n\nfrom dotenv import load_dotenv\n' + text.slice(importAt);
}

function findAssignment(src: PythonSource, name: string) {
  for (let node = src.tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === 'AssignStatement' && node.firstChild && src.textOf(node.firstChild) === name) return node;
  }
  return undefined;
}

const lineEnd = (text: string, offset: number) => {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
};

/** The .env variables the DATABASES block reads, with a generated password; host and port follow PGHOST/PGPORT like libpq. */
export function projectDotenv(name: string, env: Record<string, string | undefined> = process.env): [string, string][] {
  return [
    ['DB_NAME', name],
    ['DB_USER', name],
    ['DB_PASSWORD', randomBytes(18).toString('base64url')],
    ['DB_HOST', env.PGHOST && !env.PGHOST.startsWith('/') ? env.PGHOST : 'localhost'],
    ['DB_PORT', env.PGPORT || '5432'],
  ];
}
