// The npm package (npm pack): two commands, django-postgres and django-postgres-language-server, each a
// self-contained bundle that runs with nothing but node, and nothing else in the tarball.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient } from '../support/lspClient';
import { installedPackage, REPO_ROOT } from '../support/npmPackage';

const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

describe('npm package', function () {
  this.timeout(300_000);

  it('holds the two command bundles, the server bundle, its snippets and the documents, nothing else', async () => {
    const { tarball } = await installedPackage();
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, ['package/CHANGELOG.md', 'package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/dist/language-server.js', 'package/dist/server.js', 'package/package.json', 'package/snippets/django-databases.code-snippets', 'package/snippets/django-sql-logging.code-snippets']);
  });

  it('installs django-postgres and django-postgres-language-server as commands', async () => {
    const { cli, languageServer } = await installedPackage();
    assert.equal(execFileSync(cli, ['--version'], { encoding: 'utf8' }), `django-postgres ${version}\n`);
    assert.equal(execFileSync(languageServer, ['--version'], { encoding: 'utf8' }), `django-postgres-language-server ${version}\n`);
    assert.match(execFileSync(languageServer, ['--help'], { encoding: 'utf8' }), /--stdio/);
  });

  it('both commands run from the unpacked tarball alone, with no node_modules anywhere', async () => {
    const { tarball } = await installedPackage();
    const dir = mkdtempSync(join(tmpdir(), 'dpg-unpacked-'));
    execFileSync('tar', ['xzf', tarball, '-C', dir]);
    const settings = join(dir, 'settings.py');
    writeFileSync(settings, "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'sslmode': 'requre'}}}\n");
    let output = '';
    try {
      execFileSync(process.execPath, [join(dir, 'package/dist/cli.js'), 'check', settings], { encoding: 'utf8', cwd: dir, stdio: 'pipe' });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    assert.match(output, /error DPG102/);
    // No transport flag: the language server speaks on stdin/stdout, as editors start it.
    const client = await LspTestClient.start(dir, {}, { command: [process.execPath, join(dir, 'package/dist/language-server.js')] });
    try {
      const uri = client.open(settings, readFileSync(settings, 'utf8'));
      assert.ok((await client.diagnosticsFor(uri)).some((d) => d.code === 'DPG102'));
    } finally {
      await client.stop();
    }
  });
});
