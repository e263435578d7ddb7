// N+1 hints on the fixture project: every `# expect:` marker of catalog/shapes.py is reported, and
// nothing else is. The integration test runs the same shapes under Django to prove the fixes.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@lezer/python';
import { analyseFixtureFile, expectedHints, N_PLUS_ONE_FIXTURE, reportedHints } from '../support/nplusone';
import { ModelGraph, readModelsFile } from '../../server/src/queries/models';
import { findNPlusOne } from '../../server/src/queries/nplusone';
import { queryRules } from '../../server/src/catalog/queryRules';
import type { Finding } from '../../server/src/diagnostics/types';

describe('N+1 hints (DPG401, DPG402)', () => {
  const text = readFileSync(join(N_PLUS_ONE_FIXTURE, 'catalog', 'shapes.py'), 'utf8');

  it('reports every marked loop shape and no other', () => {
    const expected = expectedHints(text);
    assert.ok(expected.length >= 20, 'the fixture marks its hints');
    assert.ok((text.match(/^def shape_/gm) ?? []).length >= 25, 'at least 25 loop shapes');
    assert.deepEqual(reportedHints(text, analyseFixtureFile('catalog/shapes.py')).sort(), expected.sort());
  });

  it('says how many queries the loop costs and what to add', () => {
    const findings = analyseFixtureFile('catalog/shapes.py');
    const chained = findings.find((f) => f.message.includes("'author__publisher'") && f.message.startsWith('1 + 2N'));
    assert.ok(chained, findings.map((f) => f.message).join('\n'));
    assert.match(chained.message, /^1 \+ 2N queries: `book\.author\.publisher` runs a query for every row; add `\.select_related\('author__publisher'\)`$/);
    const template = findings.find((f) => f.code === 'DPG402');
    assert.match(template!.message, /in catalog\/book_list\.html \(line 3\)/);
  });

  /** The line a finding's quick fix edits, after the edit. */
  const fixedLine = (f: Finding) => {
    const edit = f.fixes![0].edits[0];
    const patched = text.slice(0, edit.from) + edit.newText + text.slice(edit.to);
    // The line holding the inserted text (for an inserted line, the new line itself).
    const at = edit.newText.startsWith('\n') ? edit.from + 1 : edit.from;
    return patched.slice(patched.lastIndexOf('\n', at - 1) + 1, patched.indexOf('\n', at) < 0 ? undefined : patched.indexOf('\n', at)).trim();
  };

  it('the quick fix extends the queryset where it is built, adds to an existing call, keeps a slice last', () => {
    const lines = analyseFixtureFile('catalog/shapes.py').map(fixedLine);
    for (const expected of [
      "books = Book.objects.filter(editor__isnull=False).select_related('editor')",
      "books = books.filter(title__contains=\"o\").select_related('author')",
      "return sum(len(r.reviewer.name) for r in Review.objects.all().select_related('reviewer'))  # expect: DPG401 select_related('reviewer')",
      'for book in Book.objects.select_related("author", \'author__publisher\'):',
      'for book in Book.objects.prefetch_related(Prefetch("reviews"), \'tags\'):',
      "for book in Book.objects.order_by(\"title\").select_related('author')[:10]:",
      "queryset = Book.objects.select_related('author')",
      'queryset = Tag.objects.order_by("name").prefetch_related(\'books\')  # expect: DPG402 prefetch_related(\'books\')',
    ]) assert.ok(lines.includes(expected), `${expected}\n not in:\n${lines.join('\n')}`);
  });

  it('reads relations across apps: string references, self, related_name, abstract bases, + names', () => {
    const read = (app: string) => readModelsFile(join(N_PLUS_ONE_FIXTURE, app, 'models.py'), readFileSync(join(N_PLUS_ONE_FIXTURE, app, 'models.py'), 'utf8'));
    const graph = new ModelGraph(['people', 'catalog', 'reviews'].map(read));
    const relations = (key: string) => Object.fromEntries([...graph.models.get(key)!.relations.values()].map((r) => [r.name, `${r.kind} ${r.target}`]));
    assert.deepEqual(relations('catalog.Book'), {
      created_by: 'single people.Person', author: 'single catalog.Author', editor: 'single people.Person', tags: 'many catalog.Tag', reviews: 'many reviews.Review',
    });
    assert.deepEqual(relations('people.Person'), {
      mentor: 'single people.Person', mentees: 'many people.Person', profile: 'single people.Profile', author: 'single catalog.Author',
      edited_books: 'many catalog.Book', review_set: 'many reviews.Review',
    });
    assert.equal(graph.models.get('catalog.Tracked')!.relations.size, 0, 'an abstract model has no table and no relations of its own');
  });

  it('only hints in code that loops; an empty or half-typed file is fine', () => {
    assert.deepEqual(analyseFixtureFile('catalog/models.py'), []);
    assert.deepEqual(analyseFixtureFile('x.py', 'for book in Book.objects.filter(\n    print(book.'), []);
    assert.deepEqual(analyseFixtureFile('x.py', ''), []);
  });
});

describe('N+1 rule docs', () => {
  it('the DPG401 example triggers it with the documented severity', () => {
    const doc = queryRules.find((r) => r.code === 'DPG401')!;
    const graph = new ModelGraph([readModelsFile('/example/app/models.py', doc.example)]);
    const findings = findNPlusOne({ text: doc.example, tree: parser.parse(doc.example), graph });
    assert.deepEqual(findings.map((f) => `${f.code} ${f.severity}`), ['DPG401 information']);
  });
});
