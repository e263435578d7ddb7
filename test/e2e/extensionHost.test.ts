// Runs the extension-host mocha suite (test/suite) inside real VS Code: code-server loads this repository as
// the extension under development and runs out/test/suite/index.js, like @vscode/test-electron would.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  copyWorkspace, djangoFixture, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, repoRoot, startCodeServer, type CodeServer,
} from './support/codeServer';
import { formatAutomationLog, openWorkbench, type Workbench } from './support/workbench';

const SUITE_DEADLINE_MS = 180_000;
/** Workbench chatter that reaches the same log channel; kept in the log file, not echoed. */
const NOISE = /open-vsx\.org|ChatSessionStore|Creation of workbench contribution/;

describe('extension-host suite in code-server', function () {
  this.timeout(SUITE_DEADLINE_MS + 120_000);
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS);
    await ensureCodeServerInstalled();
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('passes every test of test/suite', async () => {
    for (const built of ['dist/extension.js', 'out/test/suite/index.js']) {
      assert.ok(existsSync(join(repoRoot, built)), `${built} is missing: run npm run build and npx tsc -p .`);
    }
    const workspace = copyWorkspace(djangoFixture, 'exthost');
    server = await startCodeServer({ workspace, label: 'exthost' });
    const logFile = join(server.runDir, 'extension-host.log');
    const log: string[] = [];
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    workbench = await openWorkbench(server, {
      folder: workspace,
      payload: [
        ['extensionDevelopmentPath', server.remote(repoRoot)],
        ['extensionTestsPath', server.remote(join(repoRoot, 'out', 'test', 'suite'))],
      ],
      // The workbench's test runner reports through these two hooks (VS Code's own browser test harness uses them).
      expose: {
        codeAutomationLog: (_type: string, args: unknown[]) => {
          const line = formatAutomationLog(args);
          log.push(line);
          appendFileSync(logFile, `${line}\n`);
          if (!NOISE.test(line)) console.log(`      [extension host] ${line}`);
        },
        codeAutomationExit: (code: number) => reportExit(code),
      },
    });
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), SUITE_DEADLINE_MS).unref()),
    ]);
    const screenshot = code === 0 ? '' : await workbench.screenshot(`FAILED-extension-host-suite-${Date.now()}`);
    assert.equal(code, 0, `the extension-host suite exited with ${code}` +
      `\n  screenshot: ${screenshot}\n  code-server log: ${server.logFile}\n  extension-host log (mocha output, echoed above): ${logFile}`);
    assert.ok(log.some((line) => /EXTENSION_HOST_RESULT .*"failures":0/.test(line)), 'the suite reported its result');
  });
});
