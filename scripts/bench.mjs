// `npm run bench`: measures the language server on a generated 10,000-line settings file (the base module of a
// workspace of 200 settings modules) and prints
// figures (it asserts nothing): server start, open → first diagnostics, edit → diagnostics, hover and
// completion p50/p99, peak RSS; then the same for pyright-langserver on the same file, with ratios;
// then the .vsix size and, when the real-workbench suite left one, the activation → initialized time.
// Usage: node scripts/bench.mjs [--lines 10000] [--samples 200] [--modules 200] [--edits 200] [--no-pyright]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const LINES = option('--lines', 10_000);
const SAMPLES = option('--samples', 200);
const MODULES = option('--modules', 200);
const EDIT_SAMPLES = option('--edits', 200);

/** A settings file the size of a large real one: DATABASES in the middle of many other settings. */
function generateSettings(lines) {
  const out = ['import os', 'from pathlib import Path', '', 'BASE_DIR = Path(__file__).resolve().parent.parent', ''];
  let i = 0;
  while (out.length < lines / 2) {
    out.push(`FEATURE_FLAG_${i} = os.environ.get("FEATURE_FLAG_${i}", "off") == "on"`);
    out.push(`CACHE_TIMEOUT_${i} = {"default": ${i * 10}, "long": ${i * 100}}`);
    i++;
  }
  out.push(
    'DATABASES = {',
    '    "default": {',
    '        "ENGINE": "django.db.backends.postgresql",',
    '        "NAME": os.environ.get("DB_NAME", "app"),',
    '        "USER": os.environ.get("DB_USER", "app"),',
    '        "PASSWORD": os.environ.get("DB_PASSWORD", ""),',
    '        "HOST": os.environ.get("DB_HOST", "localhost"),',
    '        "PORT": os.environ.get("DB_PORT", "5432"),',
    '        "CONN_MAX_AGE": 60,',
    '        "CONN_HEALTH_CHECKS": True,',
    '        "OPTIONS": {',
    '            "sslmode": "require",',
    '            "connect_timeout": 10,',
    '            "application_name": "bench",',
    '            ',
    '        },',
    '    },',
    '}',
  );
  while (out.length < lines) {
    out.push(`def handler_${i}(request):`, `    return {"status": ${i}, "flag": FEATURE_FLAG_${i % 50}}`, '');
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/** Asks the server to shut down, then ends its process (by its own handle). */
async function stopServer(connection, child) {
  try {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } catch {
    // already gone
  }
  connection.dispose();
  child.kill();
}

async function measure(name, command, commandArgs, { workspace, file, text }) {
  const started = performance.now();
  const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = [];
  let wake;
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    published.push({ at: performance.now(), params });
    wake?.();
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => {});
  connection.listen();
  const uri = pathToFileURL(file).toString();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).toString(),
    workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'bench' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {}, completion: { completionItem: { snippetSupport: true } } } },
  });
  const startMs = performance.now() - started;
  await connection.sendNotification('initialized', {});
  const waitForDiagnostics = async (afterIndex, timeoutMs = 60_000) => {
    const deadline = performance.now() + timeoutMs;
    while (published.length <= afterIndex || !published.slice(afterIndex).some((p) => p.params.uri === uri)) {
      if (performance.now() > deadline) return NaN;
      await new Promise((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
    return published.slice(afterIndex).find((p) => p.params.uri === uri).at;
  };
  const openedAt = performance.now();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  const firstDiagnosticsMs = (await waitForDiagnostics(0)) - openedAt;

  const hoverOffset = text.indexOf('"sslmode"') + 3;
  const completionOffset = text.indexOf('            \n        },') + 12;
  const timeRequests = async (method, offset) => {
    const times = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      await connection.sendRequest(method, { textDocument: { uri }, position: positionAt(text, offset) });
      times.push(performance.now() - t);
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  // Warm up once, as an editor would have by the time the user hovers.
  await timeRequests('textDocument/hover', hoverOffset);
  const hover = await timeRequests('textDocument/hover', hoverOffset);
  const completion = await timeRequests('textDocument/completion', completionOffset);

  // Edits as a user types them: one character at a time inside the sslmode value, diagnostics after each.
  // Enough edits for a p99 that is not just the slowest one; pyright takes seconds per edit, so it gets fewer.
  const EDITS = name === 'pyright' ? 21 : EDIT_SAMPLES + 1;
  const editAt = positionAt(text, text.indexOf('"require"') + 1);
  const editTimes = [];
  for (let version = 2; version < 2 + EDITS; version++) {
    const before = published.length;
    const editedAt = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: editAt, end: { line: editAt.line, character: editAt.character + 1 } }, text: version % 2 ? 'r' : 'x' }],
    });
    editTimes.push((await waitForDiagnostics(before)) - editedAt);
  }
  const firstEditMs = editTimes[0];
  const editDiagnostics = { first: firstEditMs, p50: percentile(editTimes.slice(1), 50), p99: percentile(editTimes.slice(1), 99) };
  const rss = peakRssMb(child.pid);
  await stopServer(connection, child);
  return { name, startMs, firstDiagnosticsMs, editDiagnostics, hover, completion, rss };
}

function vsixFigure() {
  const dist = join(root, 'dist');
  const vsix = existsSync(dist) ? readdirSync(dist).find((f) => f.endsWith('.vsix')) : undefined;
  return vsix ? { file: vsix, mb: statSync(join(dist, vsix)).size / 1024 / 1024 } : undefined;
}

function activationFigure() {
  const file = join(root, 'test-output', 'e2e', 'activation.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/**
 * A workspace of MODULES settings modules: projects of five modules each (a package __init__, base, local,
 * production, test) with their entry points (manage.py, wsgi.py, pytest.ini). The measured file is the first
 * project's base.py, which its local, production and test modules star-import: every edit re-merges them.
 */
function generateWorkspace(workspace, text) {
  const projects = Math.ceil(MODULES / 5);
  let modules = 0;
  for (let p = 0; p < projects; p++) {
    const pkg = join(workspace, `project${String(p).padStart(3, '0')}`);
    const settingsDir = join(pkg, `app${p}`, 'settings');
    mkdirSync(settingsDir, { recursive: true });
    const module = `app${p}.settings`;
    writeFileSync(join(pkg, 'manage.py'), `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}.local")\n`);
    writeFileSync(join(pkg, `app${p}`, 'wsgi.py'), `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}.production")\n`);
    writeFileSync(join(pkg, 'pytest.ini'), `[pytest]\nDJANGO_SETTINGS_MODULE = ${module}.test\n`);
    writeFileSync(join(pkg, `app${p}`, '__init__.py'), '');
    const files = {
      '__init__.py': '',
      'base.py': p === 0 ? text : `import os\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "ATOMIC_REQUESTS": True}}\n`,
      'local.py': 'from .base import *\n\nDATABASES["default"]["NAME"] = "dev"\n',
      'production.py': 'import os\n\nfrom .base import *\n\nDATABASES["default"].update({"NAME": os.environ["DB_NAME"], "HOST": os.environ["DB_HOST"]})\n',
      'test.py': 'from .base import *\n\nDATABASES["default"]["NAME"] = "test"\n',
    };
    for (const [name, content] of Object.entries(files)) {
      if (modules++ < MODULES) writeFileSync(join(settingsDir, name), content);
    }
  }
  return join(workspace, 'project000', 'app0', 'settings', 'base.py');
}

const workspace = mkdtempSync(join(tmpdir(), 'dpg-bench-'));
const text = generateSettings(LINES);
const file = generateWorkspace(workspace, text);
console.log(`Benchmark: ${text.split('\n').length - 1} lines, ${(text.length / 1024).toFixed(0)} KiB, in a workspace of ${MODULES} settings modules; ${SAMPLES} samples per request type\n`);

/** Node's own start on this machine, for scale: the server's start figure includes it. */
async function nodeStartMs() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await new Promise((resolvePromise) => spawn(process.execPath, ['-e', '0']).on('exit', resolvePromise));
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}
const bareNodeMs = await nodeStartMs();

const ours = await measure('django-postgres', process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { workspace, file, text });
const results = [ours];
const pyrightBin = join(root, 'node_modules', 'pyright', 'langserver.index.js');
if (!args.includes('--no-pyright') && existsSync(pyrightBin)) {
  results.push(await measure('pyright', process.execPath, [pyrightBin, '--stdio'], { workspace, file, text }));
}

/**
 * N+1 hints on a views module of `loops` functions over querysets of a generated models.py (20 models in
 * 4 apps): open → first diagnostics and edit → diagnostics, typing inside a comment of the last function.
 */
async function measureViews(loops) {
  const dir = mkdtempSync(join(tmpdir(), 'dpg-bench-views-'));
  const models = [];
  for (let app = 0; app < 4; app++) {
    const lines = ['from django.db import models', ''];
    for (let m = 0; m < 5; m++) {
      lines.push(`class Model${app}_${m}(models.Model):`, '    name = models.CharField(max_length=50)');
      if (m > 0) lines.push(`    parent = models.ForeignKey("app${app}.Model${app}_${m - 1}", on_delete=models.CASCADE, related_name="children_${m}")`);
      lines.push(`    tags = models.ManyToManyField("app${(app + 1) % 4}.Model${(app + 1) % 4}_0")`, '');
      models.push(`Model${app}_${m}`);
    }
    const appDir = join(dir, `app${app}`);
    mkdirSync(appDir);
    writeFileSync(join(appDir, 'models.py'), lines.join('\n'));
  }
  const view = ['from app0.models import *', ''];
  for (let i = 0; i < loops; i++) {
    const model = models[1 + (i % 4)];
    view.push(`def view_${i}(request):`, `    rows = ${model}.objects.filter(name="x")  # comment`, '    for row in rows:', '        print(row.parent.name, row.tags.all())', '');
  }
  const text = view.join('\n');
  const file = join(dir, 'app0', 'views.py');
  writeFileSync(file, text);
  const child = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => published.push({ at: performance.now(), params }));
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).toString(), workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'views' }], capabilities: {} });
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL(file).toString();
  const next = async (after) => {
    while (published.length <= after) await new Promise((r) => setTimeout(r, 1));
    return published[published.length - 1];
  };
  const openedAt = performance.now();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  const first = await next(0);
  const at = positionAt(text, text.lastIndexOf('# comment') + 2);
  const edits = [];
  for (let version = 2; version < 22; version++) {
    const before = published.length;
    const t = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: 'x' }] });
    await next(before);
    edits.push(performance.now() - t);
  }
  await stopServer(connection, child);
  return { lines: text.split('\n').length, hints: first.params.diagnostics.length, firstMs: first.at - openedAt, p50: percentile(edits, 50), p99: percentile(edits, 99) };
}

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 0) : 'n/a');
console.log('| server | start ms | open→diagnostics ms | edit→diagnostics first / p50 / p99 ms | hover p50/p99 ms | completion p50/p99 ms | peak RSS MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.name} | ${fmt(r.startMs)} | ${fmt(r.firstDiagnosticsMs)} | ${fmt(r.editDiagnostics.first)} / ${fmt(r.editDiagnostics.p50)} / ${fmt(r.editDiagnostics.p99)} | ${fmt(r.hover.p50)} / ${fmt(r.hover.p99)} | ${fmt(r.completion.p50)} / ${fmt(r.completion.p99)} | ${fmt(r.rss)} |`);
}
if (results.length === 2) {
  const [a, b] = results;
  const ratio = (x, y) => (Number.isFinite(x) && Number.isFinite(y) && x > 0 ? `${(y / x).toFixed(1)}×` : 'n/a');
  console.log(`\npyright ÷ django-postgres: start ${ratio(a.startMs, b.startMs)}, first diagnostics ${ratio(a.firstDiagnosticsMs, b.firstDiagnosticsMs)}, edit → diagnostics p50 ${ratio(a.editDiagnostics.p50, b.editDiagnostics.p50)}, ` +
    `hover p99 ${ratio(a.hover.p99, b.hover.p99)}, completion p99 ${ratio(a.completion.p99, b.completion.p99)}, peak RSS ${ratio(a.rss, b.rss)}`);
}
console.log(`\nA bare \`node -e 0\` starts in ${fmt(bareNodeMs)} ms on this machine (included in both servers' start).`);
console.log('Targets: first diagnostics < 90 ms, edit → diagnostics < 50 ms, hover and completion p99 < 5 ms, server start < 150 ms.');
const views = await measureViews(1000);
console.log(`N+1 hints: a ${views.lines}-line views module (${views.hints} hints, models of 4 apps): open → diagnostics ${fmt(views.firstMs)} ms, ` +
  `edit → diagnostics p50 ${fmt(views.p50)} / p99 ${fmt(views.p99)} ms (target < 50 ms; settings files never run this analysis)`);
const vsix = vsixFigure();
console.log(vsix ? `.vsix: ${vsix.file} ${vsix.mb.toFixed(2)} MB (target < 2 MB)` : '.vsix: not built (run npm run package)');
const activation = activationFigure();
console.log(activation
  ? `Activation (real workbench): the extension's own work ${activation.ownMs?.toFixed(1) ?? 'n/a'} ms (target < 50 ms); ` +
    `activation → language server initialized ${activation.ms.toFixed(1)} ms (includes starting the server process)`
  : 'Activation: no figure yet (the real-workbench suite writes test-output/e2e/activation.json)');
