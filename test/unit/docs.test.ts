// The committed docs are generated from the catalog: fail when someone changed one without the other.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticsMarkdown, keysMarkdown, readmeWithDiagnostics } from '../../scripts/gen-docs';
import { readmeWithTroubleshooting } from '../../scripts/gen-troubleshooting';

const root = join(__dirname, '..', '..', '..');

describe('generated documentation', () => {
  it('docs/keys.md lists every key as the catalog says (run npm run docs after changing the catalog)', () => {
    assert.equal(readFileSync(join(root, 'docs', 'keys.md'), 'utf8'), keysMarkdown());
    it('README.md lists every diagnostic code with an example (run npm run docs after changing a rule doc)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithDiagnostics(readme));
    assert.ok(readme.includes('| [DPG102]'));
  });
  it('README.md has the Troubleshooting table built from the causes and fixes the extension shows', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithTroubleshooting(readme));
    assert.ok(readme.includes('[Password authentication failed](docs/troubleshooting.md#password-authentication-failed)'));
  });
});
  it('docs/diagnostics.md documents every rule (run npm run docs after changing a rule doc)', () => {
    const text = readFileSync(join(root, 'docs', 'diagnostics.md'), 'utf8');
    assert.equal(text, diagnosticsMarkdown());
    for (const code of ['DPG101', 'DPG201', 'DPG301', 'DPG504']) assert.ok(text.includes(`### ${code} `), `${code} documented`);
    it('README.md lists every diagnostic code with an example (run npm run docs after changing a rule doc)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithDiagnostics(readme));
    assert.ok(readme.includes('| [DPG102]'));
  });
  it('README.md has the Troubleshooting table built from the causes and fixes the extension shows', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithTroubleshooting(readme));
    assert.ok(readme.includes('[Password authentication failed](docs/troubleshooting.md#password-authentication-failed)'));
  });
});
  it('README.md lists every diagnostic code with an example (run npm run docs after changing a rule doc)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithDiagnostics(readme));
    assert.ok(readme.includes('| [DPG102]'));
  });
  it('README.md has the Troubleshooting table built from the causes and fixes the extension shows', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithTroubleshooting(readme));
    assert.ok(readme.includes('[Password authentication failed](docs/troubleshooting.md#password-authentication-failed)'));
  });
});
