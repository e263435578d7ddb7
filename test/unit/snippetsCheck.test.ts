// Every DATABASES snippet, inserted with its defaults (first choice of each `${n|a,b|}`), passes our own
// checker (`django-postgres check`) without an error or a warning. The split-settings snippets are checked
// together as modules of one `settings/` package, so their star imports resolve to the base module.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli';
import { expandWithDefaults, readSnippets, snippetByPrefix } from '../support/snippetBodies';

interface Reported { file: string; line: number; severity: string; code: string; message: string }

async function check(files: string[]): Promise<{ exitCode: number; findings: Reported[]; errors: string[] }> {
  const out: string[] = [];
  const errors: string[] = [];
  const exitCode = await main(['check', '--format', 'json', ...files], { out: (line) => out.push(line), err: (line) => errors.push(line) });
  return { exitCode, findings: JSON.parse(out.join('\n') || '[]') as Reported[], errors };
}

function describeFindings(findings: Reported[]): string {
  return findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.code} ${f.message}`).join('\n');
}

const SPLIT_MODULES: Record<string, string> = { 'dbpg-split-base': 'base', 'dbpg-split-local': 'local', 'dbpg-split-production': 'production' };

describe('DATABASES snippets as inserted pass django-postgres check', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'dpg-snippets-check-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const standalone = Object.values(readSnippets()).filter((s) => !(s.prefix in SPLIT_MODULES));

  for (const snippet of standalone) {
    it(`${snippet.prefix}: no error, no warning`, async () => {
      const folder = join(dir, snippet.prefix);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'settings.py');
      writeFileSync(file, `${expandWithDefaults(snippet)}\n`);
      const { exitCode, findings, errors } = await check([file]);
      assert.deepEqual(errors, []);
      const problems = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.equal(describeFindings(problems), '');
      assert.equal(exitCode, 0);
    });
  }

  /** The split snippets as settings/base.py, settings/local.py and settings/production.py; `edit` may spoil one. */
  function writeSplitPackage(name: string, edit: (module: string, text: string) => string = (_m, t) => t): string[] {
    const pkg = join(dir, name, 'settings');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '__init__.py'), '');
    return Object.entries(SPLIT_MODULES).map(([prefix, module]) => {
      const file = join(pkg, `${module}.py`);
      writeFileSync(file, `${edit(module, expandWithDefaults(snippetByPrefix(prefix)))}\n`);
      return file;
    });
  }

  it('dbpg-split-base with dbpg-split-local and dbpg-split-production in one settings package: no error, no warning', async () => {
    const { exitCode, findings, errors } = await check(writeSplitPackage('split'));
    assert.deepEqual(errors, []);
    assert.equal(describeFindings(findings.filter((f) => f.severity === 'error' || f.severity === 'warning')), '');
    assert.equal(exitCode, 0);
  });

  it('reports what is wrong in the same package: a misspelt sslmode in production.py is an error', async () => {
    const files = writeSplitPackage('split-spoilt', (module, text) => (module === 'production' ? text.replace('"sslmode": "require"', '"sslmode": "requre"') : text));
    const { exitCode, findings } = await check(files);
    assert.ok(findings.some((f) => f.file.endsWith('production.py') && f.severity === 'error' && /requre/.test(f.message)), describeFindings(findings));
    assert.equal(exitCode, 1);
  });
});
