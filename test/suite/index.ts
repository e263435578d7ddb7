// Entry point of the extension-host test suite, in the layout @vscode/test-electron and the workbench's
// `extensionTestsPath` both expect: `run()` resolves when every test passed and rejects otherwise.
// Runs inside VS Code (scripts/test-electron.mjs, or code-server through test/e2e/extensionHost.test.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { tests, passes } = runner.stats ?? { tests: 0, passes: 0 };
      console.log(`EXTENSION_HOST_RESULT ${JSON.stringify({ tests, passes, failures })}`);
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else if (passes === 0) reject(new Error('no extension-host test ran'));
      else resolve();
    });
  });
}
