// The language server reads the project, not only the open file: entry modules, the modules they run,
// and unsaved edits of one module seen by the others.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';

const BASE = `DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n    }\n}\n`;
const PRODUCTION = `from .base import *\n\nDATABASES["default"]["HOST"] = "db"\n`;

describe('language server: the settings modules of the project', function () {
  this.timeout(20000);
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpg-project-'));
    mkdirSync(join(dir, 'config', 'settings'), { recursive: true });
    writeFileSync(join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n');
    writeFileSync(join(dir, 'config', 'wsgi.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n');
    writeFileSync(join(dir, 'config', '__init__.py'), '');
    writeFileSync(join(dir, 'config', 'settings', '__init__.py'), '');
    writeFileSync(join(dir, 'config', 'settings', 'base.py'), BASE);
    writeFileSync(join(dir, 'config', 'settings', 'local.py'), 'from .base import *\n\nDATABASES["default"]["NAME"] = "dev"\n');
    writeFileSync(join(dir, 'config', 'settings', 'production.py'), PRODUCTION);
    client = await LspTestClient.start(dir);
  });
  after(() => client.stop());

  async function until(uri: string, test: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const diagnostics = await client.diagnosticsFor(uri);
      if (test(diagnostics) || Date.now() > deadline) return diagnostics;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('reports the missing NAME in base.py naming the entry that lacks it, and drops it once production.py (unsaved) adds it', async () => {
    const base = client.open(join(dir, 'config', 'settings', 'base.py'), BASE);
    const before = (await client.diagnosticsFor(base)).filter((d) => d.code === 'DPG120');
    assert.equal(before.length, 1);
    assert.equal(before[0].severity, 1);
    assert.match(String(before[0].message), /config\.settings\.production \(DJANGO_SETTINGS_MODULE in wsgi\.py\)/);

    const production = client.open(join(dir, 'config', 'settings', 'production.py'), PRODUCTION);
    await client.diagnosticsFor(production);
    const end = PRODUCTION.length;
    client.change(production, PRODUCTION, end, end, 'DATABASES["default"]["NAME"] = "shop"\n');
    const after = await until(base, (diagnostics) => !diagnostics.some((d) => d.code === 'DPG120'));
    assert.deepEqual(after.filter((d) => d.code === 'DPG120').map((d) => d.message), []);
  });
});
