// N+1 hints over LSP: a views file of the fixture project gets the hint, its quick fix removes it, and
// editing a model (unsaved) changes the hints of the open views file at once.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, LspTestClient } from '../support/lspClient';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/nplusone');

describe('LSP: N+1 hints in views', function () {
  this.timeout(20_000);
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start(FIXTURE); });
  after(async () => { await client.stop(); });

  const VIEW = 'from catalog.models import Book\n\n\ndef names():\n    return [b.author.name for b in Book.objects.all()]\n';

  it('publishes DPG401 with the query count, and the quick fix removes it', async () => {
    const path = join(FIXTURE, 'catalog', 'views_probe.py');
    const uri = client.open(path, VIEW);
    const [diagnostic, ...rest] = await client.diagnosticsFor(uri);
    assert.deepEqual(rest, []);
    assert.equal(diagnostic.code, 'DPG401');
    assert.equal(diagnostic.severity, 3, 'information');
    assert.match(String(diagnostic.message), /^1 \+ N queries: .*add `\.select_related\('author'\)`$/);
    const [action] = await client.codeActions(uri, diagnostic);
    const fixed = applyEdits(VIEW, action.edit!.changes![uri] as TextEdit[]);
    assert.ok(fixed.includes("Book.objects.all().select_related('author')]"));
    client.change(uri, VIEW, 0, VIEW.length, fixed);
    assert.deepEqual(await client.diagnosticsFor(uri), []);
  });

  it('sees loops anywhere in a views file larger than the selective-parse limit, also after edits', async () => {
    const padding = Array.from({ length: 2000 }, (_, i) => `def helper_${i}():\n    return ${i}\n`).join('\n');
    const big = `${VIEW}\n${padding}\n\ndef late():\n    return [b.author.name for b in Book.objects.all()]\n`;
    assert.ok(big.length > 64 * 1024);
    const uri = client.open(join(FIXTURE, 'catalog', 'views_big.py'), big);
    assert.deepEqual((await client.diagnosticsFor(uri)).map((d) => d.range.start.line), [4, big.split('\n').length - 2]);
    const edited = client.change(uri, big, big.length - 2, big.length - 1, ']  # done');
    assert.equal((await client.diagnosticsFor(uri)).length, 2, edited.slice(-40));
  });

  it('a relation added to an open models file counts at once', async () => {
    const viewPath = join(FIXTURE, 'catalog', 'views_probe2.py');
    const view = 'from catalog.models import Tag\n\n\ndef owners():\n    return [t.owner.name for t in Tag.objects.all()]\n';
    const viewUri = client.open(viewPath, view);
    assert.deepEqual(await client.diagnosticsFor(viewUri), []);
    const modelsPath = join(FIXTURE, 'catalog', 'models.py');
    const models = readFileSync(modelsPath, 'utf8');
    const modelsUri = client.open(modelsPath, models);
    const at = models.indexOf('    name = models.CharField(max_length=50)');
    client.change(modelsUri, models, at, at, '    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE)\n');
    const deadline = Date.now() + 5000;
    let codes: unknown[] = [];
    while (Date.now() < deadline && !codes.length) {
      codes = (await client.diagnosticsFor(viewUri).catch(() => [])).map((d) => d.code);
      if (!codes.length) await new Promise((wake) => setTimeout(wake, 100));
    }
    assert.deepEqual(codes, ['DPG401']);
  });
});
