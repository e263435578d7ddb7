// Packages the extension into a .vsix with vsce, then checks what went in: only the whitelist of
// .vscodeignore, no dependency folders (esbuild bundles them), and under 2 MB.
// Usage: node scripts/package-vsix.mjs [--no-build] [--out FILE]   (default out: dist/django-postgres.vsix)
//   without --no-build it first runs a production build (minified) into dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(root, 'dist', 'django-postgres.vsix'));
const MAX_BYTES = 2 * 1024 * 1024;
// Anything else in the package is a .vscodeignore mistake.
const ALLOWED = [/^package\.json$/, /^(README|CHANGELOG)\.md$/, /^LICENSE(\.\w+)?$/, /^dist\/[\w.-]+\.js(\.map)?$/,
  /^(snippets|syntaxes|images|walkthrough)\//];

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

if (!args.includes('--no-build')) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const main = join(root, manifest.main ?? '');
if (!existsSync(main)) fail(`${manifest.main} is missing: run npm run build first`);

const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
const vsceArgs = ['--no-dependencies'];
// vsce asks about these interactively; say so here instead, and let the package be made.
if (!manifest.repository) {
  console.warn('package-vsix: warning: package.json has no "repository" field');
  vsceArgs.push('--allow-missing-repository');
}
if (!readdirSync(root).some((name) => /^LICENSE/i.test(name))) {
  console.warn('package-vsix: warning: no LICENSE file');
  vsceArgs.push('--skip-license');
}

function vsceRun(vsceCommand, options = {}) {
  try {
    return execFileSync(process.execPath, [vsce, ...vsceCommand], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
  } catch {
    return fail(`vsce ${vsceCommand[0]} failed (its message is above)`);
  }
}

const listed = vsceRun(['ls', '--no-dependencies'])
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean);
const unexpected = listed.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
if (unexpected.length) fail(`files outside the .vscodeignore whitelist would ship:\n  ${unexpected.join('\n  ')}`);

mkdirSync(dirname(out), { recursive: true });
vsceRun(['package', ...vsceArgs, '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] });
const size = statSync(out).size;
console.log(`package-vsix: ${out} (${(size / 1024).toFixed(0)} KiB, ${listed.length} files)`);
if (size > MAX_BYTES) fail(`${out} is ${size} bytes, over the ${MAX_BYTES}-byte budget`);
