// `npm start`: a playground in one command. Builds and packages the extension, copies the sample Django
// project to .vscode-test/playground/mysite (git-ignored; recreated at each start), starts a throw-away
// PostgreSQL when Debian's postgresql package is installed (the app's role and database are NOT created,
// so "Create Postgres DB for Django" has something to do), starts code-server on 127.0.0.1 with the
// .vsix installed, and prints the URL and the admin login. Ctrl+C stops what it started, by PID.
// Reuses the test harness (test/support/pgCluster.ts, test/e2e/support/codeServer.ts), bundled by esbuild.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const playground = join(root, '.vscode-test', 'playground');
const project = join(playground, 'mysite');
const vsix = join(playground, 'django-postgres.vsix');
const harnessBundle = join(playground, '.harness', 'harness.cjs');
const SYSTEM_PYTHON = '/usr/bin/python3';

function say(line = '') {
  console.log(line);
}

function timed(what, action) {
  const started = Date.now();
  process.stdout.write(`${what}… `);
  const result = action();
  const finish = (value) => {
    console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return value;
  };
  return result instanceof Promise ? result.then(finish) : finish(result);
}

/** The harness modules as one CommonJS file (they are TypeScript; `pg` stays a normal dependency). */
async function loadHarness() {
  await esbuild.build({
    stdin: {
      contents: "export { startCluster } from './test/support/pgCluster';\n" +
        "export { startCodeServer, ensureCodeServerInstalled } from './test/e2e/support/codeServer';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: harnessBundle, logLevel: 'warning',
    external: ['pg', 'pg-native', 'playwright-core'],
  });
  return createRequire(import.meta.url)(harnessBundle);
}

/** A Python with Django and a PostgreSQL driver for Run migrate: Debian's, in the project's .venv. */
function makeVenv() {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import django\ntry:\n import psycopg2\nexcept ImportError:\n import psycopg'], { stdio: 'ignore' });
  } catch {
    return `no ${SYSTEM_PYTHON} with Django and psycopg: give the project a .venv with them (or set djangoPostgres.pythonCommand) before Run migrate`;
  }
  execFileSync(SYSTEM_PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', join(project, '.venv')], { stdio: 'inherit' });
  return `.venv uses ${SYSTEM_PYTHON} with Debian's Django`;
}

const stoppers = [];
let stopping;
function stopAll(code) {
  stopping ??= (async () => {
    say('\nStopping…');
    for (const stop of stoppers.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`  ${error.message}`);
      }
    }
    say('Stopped.');
    process.exit(code);
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll(0));

try {
  await timed('Building and packaging the extension', () =>
    execFileSync(process.execPath, [join(root, 'scripts', 'package-vsix.mjs'), '--out', vsix], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }));
  const harness = await loadHarness();
  await timed('Installing code-server if needed (about a minute the first time)', () => harness.ensureCodeServerInstalled());

  rmSync(project, { recursive: true, force: true });
  mkdirSync(playground, { recursive: true });
  cpSync(join(root, 'test', 'fixtures', 'djangoproject'), project, { recursive: true });
  const python = makeVenv();

  let database;
  try {
    const cluster = await timed('Starting a throw-away PostgreSQL', () => harness.startCluster());
    stoppers.push(() => cluster.stop());
    database = { host: cluster.host, port: cluster.port, user: cluster.superuser, password: cluster.superPassword, pid: cluster.pid };
  } catch (error) {
    say(`\nNo throw-away PostgreSQL: ${error.message.split('\n')[0]}`);
    say('The project points at 127.0.0.1:5432; use your own server and admin role there.');
  }
  const host = database?.host ?? '127.0.0.1';
  const port = database?.port ?? 5432;
  // No DB_PASSWORD: "Create Postgres DB for Django" offers to generate one into this file.
  writeFileSync(join(project, '.env'), `DB_NAME=django_app\nDB_USER=django_app\nDB_PASSWORD=\nDB_HOST=${host}\nDB_PORT=${port}\n`);

  const server = await timed('Starting code-server', () => harness.startCodeServer({ workspace: project, vsix, label: 'playground' }));
  stoppers.push(() => server.stop());

  say();
  say('Django Postgres playground');
  say(`  Open        ${server.url}/?folder=${encodeURIComponent(project)}`);
  say(`  Project     ${relative(root, project)} (a fresh copy of test/fixtures/djangoproject; .env points at ${host}:${port})`);
  say(`  Python      ${python}`);
  if (database) {
    say(`  PostgreSQL  ${host}:${port}, throw-away (PID ${database.pid}; its data is deleted on exit)`);
    say(`  Admin       user ${database.user}, password ${database.password}`);
  }
  say();
  say('Try: hover a key in config/settings.py; then Command Palette (F1) → "Django Postgres: Create Postgres DB for Django"');
  say(`     → "Generate and save to .env" → "Connect as admin…" → ${database ? `${database.user}@${host}:${port} and the password above` : 'your admin role'}`);
  say('     → "Test Connection" in the summary, then "Django Postgres: Run migrate".');
  say(`code-server log: ${relative(root, server.logFile)}`);
  say('Ctrl+C stops code-server and PostgreSQL.');
} catch (error) {
  console.error(`\nnpm start failed: ${error.message}`);
  await stopAll(1);
}
