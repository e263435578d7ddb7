// `npm test`: build, type-check, lint, then run every mocha suite (unit, LSP, integration against a
// throw-away PostgreSQL/PgBouncer, real-workbench journeys) and print one closing line for CI.
// Usage: node scripts/run-tests.mjs [--grep PATTERN] [--no-build] [suite dirs...]
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args.splice(grepAt, 2)[1] : process.env.TEST_GREP;
const skipBuild = args.includes('--no-build');
const suites = args.filter((a) => !a.startsWith('--'));
const suiteDirs = suites.length ? suites : ['unit', 'lsp', 'integration', 'e2e'];

function step(name, cmd, cmdArgs) {
  const started = Date.now();
  console.log(`\n> ${name}`);
  execFileSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  console.log(`  ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (!skipBuild) {
  step('build (esbuild)', process.execPath, ['scripts/build.mjs']);
  step('type-check (tsc)', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.']);
  // eslint's package exports do not include its bin script: run it by path.
  step('lint (eslint)', process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const Mocha = require('mocha');
const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, grep });
const hooks = join(root, 'out/test/support/rootHooks.js');
if (existsSync(hooks)) mocha.rootHooks(require(hooks).mochaHooks);
for (const suite of suiteDirs) for (const file of testFiles(join(root, 'out/test', suite)).sort()) mocha.addFile(file);

const runner = mocha.run((failures) => {
  const { passes, pending } = runner.stats;
  // The plain closing line CI reads, whatever the runner.
  console.log(`\nDjango Postgres tests: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures || passes === 0 ? 1 : 0;
});
