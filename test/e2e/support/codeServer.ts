// Real VS Code (code-server 4.100.3 = VS Code 1.100.3) for the e2e tests, one throw-away server per call.
//
//   const server = await startCodeServer({ workspace, vsix: await packageVsix() });
//   const wb = await openWorkbench(server, { folder: workspace, openFile: 'config/settings.py' }); // workbench.ts
//   ... wb.hoverToken('sslmode') ...
//   await wb.close(); await server.stop();
//
// The first call installs code-server into <repo>/.vscode-test/cs with test/e2e/harness/install.sh (about a
// minute; then a no-op thanks to its stamp file). Each server gets a free 127.0.0.1 port and its own
// user-data, extensions and XDG dirs under test-output/e2e/<run>/, so nothing is written to $HOME and no
// state leaks between runs. The server log (code-server.log in the run folder) is kept for post-mortems.
// Debian packages needed: chromium ripgrep libkrb5-dev (see install.sh).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort } from '../../support/processes';
import { dirname, join, resolve } from 'node:path';

export interface CodeServerOptions {
  /** Folder the server may open (also its launch folder). */
  workspace: string;
  /** A packaged extension, installed with `--install-extension` before the server starts. */
  vsix?: string;
  /** User settings merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host. */
  env?: Record<string, string>;
  /** Workspace trust stays off unless a test is about trust. */
  trustEnabled?: boolean;
  /** Short label for the run folder (default `server`). */
  label?: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  workspace: string;
  /** The folder holding this server's data, extensions, XDG dirs and log. */
  runDir: string;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  /** A `vscode-remote://` URI for a path on this server, as the workbench's payload needs it. */
  remote(path: string): string;
  /** Tail of the server log, for error messages. */
  logTail(lines?: number): string;
  /** Stops the server's process group; idempotent. */
  stop(): Promise<void>;
}

const HEALTH_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 10_000;
/** Upper bound for the first install (about a minute on two cores); use it as the mocha timeout of a `before`. */
export const INSTALL_DEADLINE_MS = 10 * 60_000;

/** The repository root: the nearest folder up from here whose package.json is this extension's. */
export const repoRoot: string = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'django-postgres') return dir;
  }
  throw new Error(`No django-postgres package.json above ${__dirname}`);
})();

/** The Django project the e2e tests open (copied first: tests may edit it). */
export const djangoFixture = join(repoRoot, 'test', 'fixtures', 'djangoproject');

/** Screenshots, run folders and packaged test builds go here (git-ignored). */
export const e2eOutputDir = join(repoRoot, 'test-output', 'e2e');

const codeServerDir = process.env.E2E_CODE_SERVER_DIR ?? join(repoRoot, '.vscode-test', 'cs');
const entryScript = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'terminal.integrated.gpuAcceleration': 'off', // else the terminal text is only on a WebGL canvas
  'editor.hover.delay': 100,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // Workspaces live under test-output/, inside this repository: no prompt about the parent repository.
  'git.openRepositoryInParentFolders': 'never',
};

function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeout: number }): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed (${error.code ?? error.signal}):\n${stdout}${stderr}`));
      else resolvePromise(stdout + stderr);
    });
  });
}

let installed: Promise<void> | undefined;

/** Installs code-server once per process (install.sh skips itself when its stamp matches). */
export function ensureCodeServerInstalled(): Promise<void> {
  installed ??= run('bash', [join(repoRoot, 'test', 'e2e', 'harness', 'install.sh')], { timeout: INSTALL_DEADLINE_MS })
    .then(() => undefined);
  return installed;
}

let vsixBuilt: Promise<string> | undefined;

/**
 * Packages the current `dist/` build (what `npm run build` made; `npm test` builds first) into a .vsix under
 * test-output/e2e, once per process. Going through the .vsix checks that .vscodeignore ships what runs.
 */
export function packageVsix(): Promise<string> {
  const out = join(e2eOutputDir, 'django-postgres-e2e.vsix');
  vsixBuilt ??= run(process.execPath, [join(repoRoot, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', out], {
    timeout: 120_000,
  }).then(() => out);
  return vsixBuilt;
}

/** Copies a fixture folder to a fresh place under test-output/e2e so tests may edit it freely. */
export function copyWorkspace(fixture: string, label: string): string {
  const target = join(e2eOutputDir, `${label}-workspace-${stamp()}`);
  cpSync(fixture, target, { recursive: true });
  return target;
}

function stamp(): string {
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
}

async function waitHealthy(url: string, child: ChildProcess, describe: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}).\n${describe()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${HEALTH_DEADLINE_MS} ms.\n${describe()}`);
}

/** Process groups still running, stopped if the test process exits without calling stop(). */
const runningGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of runningGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  await ensureCodeServerInstalled();
  const runDir = join(e2eOutputDir, `${options.label ?? 'server'}-${stamp()}`);
  const userDataDir = join(runDir, 'data');
  const extensionsDir = join(runDir, 'extensions');
  const logFile = join(runDir, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\n');
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      { ...DEFAULT_SETTINGS, 'security.workspace.trust.enabled': options.trustEnabled ?? false, ...options.settings },
      null,
      2,
    ),
  );
  // code-server writes config and logs under XDG dirs even when told where its data lives.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(runDir, 'xdg', 'cache'),
    ...options.env,
  };
  const commonArgs = ['--config', join(runDir, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const logTail = (lines = 40): string => {
    if (!existsSync(logFile)) return '(no server log)';
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  };

  if (options.vsix) {
    const output = await run(process.execPath, [entryScript, ...commonArgs, '--install-extension', resolve(options.vsix), '--force'], {
      env,
      timeout: 60_000,
    });
    writeFileSync(logFile, `--install-extension ${options.vsix}\n${output}\n`);
    if (!/successfully installed/i.test(output)) throw new Error(`Installing ${options.vsix} failed:\n${output}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [entryScript, ...commonArgs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
      '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened', options.workspace],
    { env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start (no PID)');
  runningGroups.add(pid);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const signalGroup = (signal: NodeJS.Signals): void => {
        try {
          process.kill(-pid, signal);
        } catch {
          // the group is gone already
        }
      };
      signalGroup('SIGTERM');
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), STOP_DEADLINE_MS).unref()),
      ]);
      // Children (extension host, pty host) may outlive the leader briefly; make sure the group is gone.
      signalGroup('SIGKILL');
      if (timedOut) await exited;
      runningGroups.delete(pid);
    })();
    return stopping;
  };

  const server: CodeServer = {
    url,
    port,
    workspace: options.workspace,
    runDir,
    logFile,
    userDataDir,
    extensionsDir,
    remote: (path) => `vscode-remote://127.0.0.1:${port}${encodeURI(resolve(path))}`,
    logTail,
    stop,
  };
  try {
    await waitHealthy(url, child, () => `Server log ${logFile}:\n${logTail()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}
