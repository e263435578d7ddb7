// The language server reads the project's versions from its venv: diagnostics and hover follow them, and
// a package installed while the editor is open is seen without a restart.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hoverText, LspTestClient } from '../support/lspClient';

const FIXTURES = resolve(__dirname, '../../../test/fixtures/project-versions');

const SETTINGS = `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'HOST': 'a.example.com,b.example.com',
        'OPTIONS': {'pool': True, 'load_balance_hosts': 'random'},
    }
}
`;

describe('project versions over LSP', function () {
  this.timeout(20000);
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'dpg-versions-lsp-'));
    cpSync(join(FIXTURES, 'venv-django41'), workspace, { recursive: true });
    client = await LspTestClient.start(workspace);
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('warns about OPTIONS pool under the venv\'s Django 4.1, not about load_balance_hosts under its libpq 16, and hover says so', async () => {
    const uri = client.open(join(workspace, 'config', 'settings.py'), SETTINGS);
    const diagnostics = await client.diagnosticsFor(uri);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'DPG220').map((d) => d.severity), [2]);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'DPG205'), [], 'libpq 16 from psycopg2_binary.libs knows load_balance_hosts');
    const shown = hoverText(await client.hover(uri, SETTINGS, SETTINGS.indexOf("'pool'") + 2));
    assert.match(shown, /Your project:\*\* Django 4\.1\.13, psycopg2 2\.9\.9, libpq 16\./);
  });

  it('sees Django upgraded in the venv without a restart', async () => {
    const site = join(workspace, 'venv', 'lib', 'python3.10', 'site-packages');
    renameSync(join(site, 'Django-4.1.13.dist-info'), join(site, 'django-5.1.4.dist-info'));
    writeFileSync(join(site, 'django-5.1.4.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: Django\nVersion: 5.1.4\n');
    await new Promise((wake) => setTimeout(wake, 2100));
    const uri = client.open(join(workspace, 'config', 'settings.py'), SETTINGS);
    const diagnostics = await client.diagnosticsFor(uri);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'DPG220'), [], `still: ${diagnostics.map((d) => d.message).join(' | ')}`);
  });
});
