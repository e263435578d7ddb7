// User journeys in real VS Code (code-server + Chromium) with the packaged extension installed from its .vsix,
// on a copy of the Django fixture project.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  copyWorkspace, djangoFixture, ensureCodeServerInstalled, INSTALL_DEADLINE_MS, packageVsix, startCodeServer, type CodeServer,
} from './support/codeServer';
import { openWorkbench, type Workbench } from './support/workbench';

const SETTINGS = 'config/settings.py';
/** The hover waits for the extension and its language server to start in a cold workbench. */
const FIRST_HOVER_MS = 60_000;

/** Sets OPTIONS['sslmode'] of the copied settings file to `value` (the fixture's own value may differ). */
function setSslmode(workspace: string, value: string): void {
  const file = join(workspace, SETTINGS);
  const text = readFileSync(file, 'utf8');
  const sslmode = /'sslmode':\s*'[^']*'/;
  assert.match(text, sslmode, `${SETTINGS} of the fixture sets OPTIONS['sslmode']`);
  writeFileSync(file, text.replace(sslmode, `'sslmode': '${value}'`));
}

describe('journeys in the real workbench', function () {
  this.timeout(120_000);
  let workspace: string;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(INSTALL_DEADLINE_MS + 120_000);
    await ensureCodeServerInstalled();
    workspace = copyWorkspace(djangoFixture, 'journeys');
    setSslmode(workspace, 'require');
    server = await startCodeServer({ workspace, vsix: await packageVsix(), label: 'journeys' });
    workbench = await openWorkbench(server, { folder: workspace, openFile: SETTINGS });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it("1: hovering 'sslmode' in OPTIONS explains it and its values; hovering 'require' explains that value", async () => {
    const wb = workbench!;
    const keyHover = await wb.hoverToken("'sslmode'", { line: 'sslmode', expect: /verify-full/, timeoutMs: FIRST_HOVER_MS });
    assert.match(keyHover, /SSL|TLS/i, 'the sslmode hover says what the keyword is about');
    for (const value of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']) {
      assert.match(keyHover, new RegExp(`\\b${value}\\b`), `the sslmode hover lists ${value}`);
    }

    const valueHover = await wb.hoverToken("'require'", { line: 'sslmode', expect: /require/ });
    assert.notEqual(valueHover, keyHover, 'hovering the value explains the value, not the keyword');
    assert.match(valueHover, /encrypt|SSL|TLS/i, 'the require hover says what the value does');
    await wb.screenshot('journey-1-sslmode-require-hover');
  });
});
