// Runs the extension-host suite (out/test/suite) in desktop VS Code via @vscode/test-electron, on a copy of
// the Django fixture project. Needs a machine that can download VS Code (and a display, e.g. xvfb-run, on
// Linux). Where the download is impossible the same suite runs inside code-server instead:
// `node scripts/run-tests.mjs --no-build e2e` (test/e2e/extensionHost.test.ts).
// Usage: npm run build && npx tsc -p . && node scripts/test-electron.mjs   (VSCODE_TEST_VERSION=stable|x.y.z)
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = resolve(import.meta.dirname, '..');
const suite = join(root, 'out', 'test', 'suite', 'index.js');
const version = process.env.VSCODE_TEST_VERSION ?? 'stable';

function fail(message, exitCode = 1) {
  console.error(`test-electron: ${message}`);
  process.exit(exitCode);
}

if (!existsSync(join(root, 'dist', 'extension.js'))) fail('dist/extension.js is missing: run `npm run build` first');
if (!existsSync(suite)) fail('out/test/suite/index.js is missing: run `npx tsc -p .` first');

const workspace = join(root, 'test-output', 'electron', 'workspace');
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });
cpSync(join(root, 'test', 'fixtures', 'djangoproject'), workspace, { recursive: true });

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version, timeout: 20_000 });
} catch (error) {
  fail(
    `cannot download desktop VS Code ${version} (${error instanceof Error ? error.message : error}).\n` +
      '  This machine cannot reach the VS Code download servers. The same suite runs inside code-server:\n' +
      '  node scripts/run-tests.mjs --no-build e2e   (test/e2e/extensionHost.test.ts)',
    2,
  );
}

try {
  const exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  process.exit(exitCode);
} catch (error) {
  fail(`the extension-host suite failed: ${error instanceof Error ? error.message : error}`);
}
