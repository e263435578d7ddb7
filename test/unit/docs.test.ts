// The committed docs and the README's tables are generated from the catalog and the failure texts: fail
// when someone changed one without the other (npm run docs regenerates them).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticsMarkdown, keysMarkdown, readmeWithDiagnostics } from '../../scripts/gen-docs';
import { readmeWithTroubleshooting } from '../../scripts/gen-troubleshooting';

const root = join(__dirname, '..', '..', '..');
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');

describe('generated documentation (run npm run docs after changing the catalog or a rule doc)', () => {
  it('docs/keys.md lists every key as the catalog says', () => {
    assert.equal(read('docs', 'keys.md'), keysMarkdown());
  });

  it('docs/diagnostics.md documents every rule', () => {
    const text = read('docs', 'diagnostics.md');
    assert.equal(text, diagnosticsMarkdown());
    for (const code of ['DPG101', 'DPG201', 'DPG301', 'DPG504']) assert.ok(text.includes(`### ${code} `), `${code} documented`);
  });

  it('README.md lists every diagnostic code with an example', () => {
    const readme = read('README.md');
    assert.equal(readme, readmeWithDiagnostics(readme));
    assert.ok(readme.includes("| [DPG102](docs/diagnostics.md#dpg102-invalid-enum-value-error) | error |"));
  });

  it('README.md has the Troubleshooting table built from the causes and fixes the extension shows', () => {
    const readme = read('README.md');
    assert.equal(readme, readmeWithTroubleshooting(readme));
    assert.ok(readme.includes('[Password authentication failed](docs/troubleshooting.md#password-authentication-failed)'));
  });
});
