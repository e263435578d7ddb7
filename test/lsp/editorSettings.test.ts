// Editors other than VS Code keep their settings in different places; the server reads each of them the same
// way: initializationOptions.settings, the answer to workspace/configuration (asked at start), and
// workspace/didChangeConfiguration.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient } from '../support/lspClient';

const TEXT = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'CONN_MAX_AGES': 60}}\n";

async function codesOnceSettled(client: LspTestClient, uri: string, done: (codes: unknown[]) => boolean): Promise<unknown[]> {
  const deadline = Date.now() + 5000;
  let codes = (await client.diagnosticsFor(uri)).map((d) => d.code);
  while (!done(codes) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    codes = (await client.diagnosticsFor(uri)).map((d) => d.code);
  }
  return codes;
}

describe('settings from any editor', function () {
  this.timeout(20_000);
  const dir = mkdtempSync(join(tmpdir(), 'dpg-editor-settings-'));

  it('initializationOptions.settings (Neovim, Helix, eglot)', async () => {
    const client = await LspTestClient.start(dir, { diagnostics: { ignore: ['DPG201'] } }, { clientCommands: [] });
    try {
      const uri = client.open(join(dir, 'settings.py'), TEXT);
      assert.deepEqual((await client.diagnosticsFor(uri)).map((d) => d.code), []);
    } finally {
      await client.stop();
    }
  });

  it('an empty workspace/didChangeConfiguration keeps the initializationOptions (eglot sends one at start)', async () => {
    const client = await LspTestClient.start(dir, { diagnostics: { ignore: ['DPG201'] } }, { clientCommands: [], configuration: null });
    try {
      const uri = client.open(join(dir, 'settings.py'), TEXT);
      assert.deepEqual((await client.diagnosticsFor(uri)).map((d) => d.code), []);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      // Had the server fallen back to its defaults, DPG201 would come back within this wait.
      assert.deepEqual(await codesOnceSettled(client, uri, (c) => c.includes('DPG201')), []);
    } finally {
      await client.stop();
    }
  });

  it('the answer to workspace/configuration, asked once at start (Zed, Sublime LSP, LSP4IJ)', async () => {
    const client = await LspTestClient.start(dir, undefined, { clientCommands: [], configuration: { diagnostics: { ignore: ['DPG201'] } } });
    try {
      const uri = client.open(join(dir, 'settings.py'), TEXT);
      const codes = await codesOnceSettled(client, uri, (c) => !c.includes('DPG201'));
      assert.deepEqual(codes, [], 'DPG201 is ignored as the editor configured');
    } finally {
      await client.stop();
    }
  });

  it('an empty answer keeps the defaults (DPG201 reported)', async () => {
    const client = await LspTestClient.start(dir, undefined, { clientCommands: [] });
    try {
      const uri = client.open(join(dir, 'settings.py'), TEXT);
      assert.deepEqual((await client.diagnosticsFor(uri)).map((d) => d.code), ['DPG201']);
    } finally {
      await client.stop();
    }
  });
});
