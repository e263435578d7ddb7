// The fixture Django project (test/fixtures/djangoproject) copied into a scratch folder with a .env, and
// manage.py commands planned by the same code the VS Code command uses, then started as the terminal would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeDotenvVariable } from '../../server/src/project/dotenv';
import { manageRunEnvironment, pythonFilesOnDisk } from '../../server/src/project/projectDotenv';
import { planManageRun, type ManageRunPlan, type ManageVariantId } from '../../server/src/project/manageCommand';
import { choosePythonCommand } from '../../server/src/project/pythonCommand';
import type { TestPython } from './python';

const fixture = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'djangoproject');

export interface AppDatabase { name: string; user: string; password: string }

export interface RunResult { exitCode: number | null; output: string; processCommandLine?: string }

/** Starts a planned manage.py command the way the terminal does: argv as the command, .env as environment. */
export function runPlan(plan: ManageRunPlan): Promise<RunResult> {
  // Nothing from the test runner's own environment may answer for the project's settings.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => !/^(DB_|PG|DJANGO_)/.test(name)));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(plan.argv[0], plan.argv.slice(1), {
      cwd: plan.cwd, env: { ...inherited, ...plan.env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let processCommandLine: string | undefined;
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    // 'spawn' fires once the program is exec'd: /proc then shows Python's real command line.
    child.once('spawn', () => {
      const proc = `/proc/${child.pid}/cmdline`;
      if (existsSync(proc)) processCommandLine = readFileSync(proc, 'utf8').split('\0').join(' ');
    });
    child.once('error', reject);
    child.once('close', (exitCode) => resolvePromise({ exitCode, output, processCommandLine }));
  });
}

/** A copy of the fixture in a new scratch folder (pushed onto `scratchDirs`) with a .env for `db` on host:port. */
export function fixtureProjectFor(db: AppDatabase, server: { host: string; port: number }, scratchDirs: string[], password = db.password): string {
  const scratch = mkdtempSync(join(tmpdir(), 'django-postgres-migrate-'));
  scratchDirs.push(scratch);
  const project = join(scratch, 'shop');
  cpSync(fixture, project, { recursive: true });
  const envFile = join(project, '.env');
  for (const [name, value] of Object.entries({
    DB_NAME: db.name, DB_USER: db.user, DB_PASSWORD: password, DB_HOST: server.host, DB_PORT: String(server.port),
  })) writeDotenvVariable(envFile, name, value);
  return project;
}

/** The plan the VS Code command makes, with the test venv standing in for the Python extension's interpreter. */
export function planManageFor(project: string, python: TestPython, variant: ManageVariantId): ManageRunPlan {
  const managePy = join(project, 'manage.py');
  const command = choosePythonCommand(project, {
    pythonExtensionInterpreter: python.python,
    workspaceRoot: project,
    fileExists: existsSync,
    readFile: (file) => readFileSync(file, 'utf8'),
  });
  assert.deepEqual(command.argv, [python.python]);
  // What the language server answers Run migrate: the .env as the project's reader reads it.
  const environment = manageRunEnvironment(managePy, undefined, { workspaceRoot: project, environ: {}, python: pythonFilesOnDisk() });
  assert.deepEqual(environment.files, [join(project, '.env')], 'the .env next to manage.py was not found');
  return planManageRun({ python: command, managePy, variant, dotenv: environment.variables });
}
