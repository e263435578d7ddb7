// The N+1 hints against the real thing: every shape of the fixture project runs under Django on a real
// PostgreSQL with CaptureQueriesContext, once as written and once with every quick fix applied. A hinted
// loop must cost 1 + N queries before and 1 (2 with a prefetch) after, with the same result; a loop the
// analysis calls loaded must already run in at most 2 queries.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { sharedCluster, type PgCluster } from '../support/pgCluster';
import { debianPython, djangoLtsPython, type TestPython } from '../support/python';
import { analyseFixtureFile, expectedHints, N_PLUS_ONE_FIXTURE } from '../support/nplusone';

const run = promisify(execFile);

/** Runs every shape_* function and prints {name: [queries, repr(result)]} as JSON. */
const COUNT_QUERIES = `
import inspect, json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "site_config.settings"
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

call_command("migrate", run_syncdb=True, verbosity=0)
from catalog.models import Author, Book, Publisher, Tag
from people.models import Person, Profile
from reviews.models import Review

if not Book.objects.exists():
    people = []
    for i in range(4):
        people.append(Person.objects.create(name=f"person {i}", mentor=people[-1] if people else None))
        Profile.objects.create(person=people[-1], bio=f"bio {i}")
    publishers = [Publisher.objects.create(name=f"publisher {i}") for i in range(2)]
    authors = [Author.objects.create(name=f"author {i}", publisher=publishers[i % 2], person=people[i]) for i in range(3)]
    tags = [Tag.objects.create(name=name) for name in ("python", "postgres", "django")]
    for i, title in enumerate(["Bobo", "Boolean", "Robots", "Bonobo", "Toolbox"]):
        book = Book.objects.create(title=title, author=authors[i % 3], editor=people[(i + 1) % 4], created_by=people[0])
        book.tags.set(tags[: 1 + i % 3])
        for j in range(2):
            Review.objects.create(book=book, reviewer=people[(i + j) % 4], stars=1 + (i + j) % 5)

import catalog.shapes as shapes
results = {}
for name, function in inspect.getmembers(shapes, inspect.isfunction):
    if not name.startswith("shape_"):
        continue
    with CaptureQueriesContext(connection) as queries:
        result = function()
    results[name] = [len(queries.captured_queries), repr(sorted(result) if isinstance(result, list) else result)]
print(json.dumps(results))
`;

/** Shapes the analysis leaves alone because their relations are loaded: Django must agree. */
const LOADED_SHAPES = ['shape_02', 'shape_04', 'shape_07', 'shape_08', 'shape_23', 'shape_25', 'shape_26', 'shape_28', 'shape_36', 'shape_38'];

describe('N+1 hints: query counts under Django and PostgreSQL', function () {
  this.timeout(300_000);
  let cluster: PgCluster;
  const scratch: string[] = [];
  const db = { name: `nplusone_${randomBytes(4).toString('hex')}`, password: `pw-${randomBytes(6).toString('hex')}` };

  before(async () => {
    cluster = await sharedCluster();
    await cluster.sql(`CREATE ROLE ${escapeIdentifier(db.name)} LOGIN PASSWORD ${escapeLiteral(db.password)}`);
    await cluster.sql(`CREATE DATABASE ${escapeIdentifier(db.name)} OWNER ${escapeIdentifier(db.name)}`);
  });

  after(async () => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    await cluster.sql(`DROP DATABASE IF EXISTS ${escapeIdentifier(db.name)} WITH (FORCE)`);
    await cluster.sql(`DROP ROLE IF EXISTS ${escapeIdentifier(db.name)}`);
  });

  async function countQueries(python: TestPython, shapesText: string): Promise<Record<string, [number, string]>> {
    const dir = mkdtempSync(join(tmpdir(), 'django-postgres-nplusone-'));
    scratch.push(dir);
    cpSync(N_PLUS_ONE_FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, 'catalog', 'shapes.py'), shapesText);
    writeFileSync(join(dir, 'count_queries.py'), COUNT_QUERIES);
    const env = { PATH: process.env.PATH, DB_NAME: db.name, DB_USER: db.name, DB_PASSWORD: db.password, DB_HOST: cluster.host, DB_PORT: String(cluster.port) };
    const { stdout } = await run(python.python, ['count_queries.py'], { cwd: dir, env, timeout: 120_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  it('every quick fix brings its loop from 1 + N queries to 1 (or 2 with a prefetch), with the same result', async function () {
    const lts = await djangoLtsPython();
    const python = lts.python === undefined ? await debianPython() : lts;
    if (lts.python === undefined) this.test!.title += ` (Django 5.2 NOT TESTED: ${lts.reason}; Debian's Django ${python.django} ran)`;
    else assert.match(python.django, /^5\.2\./);

    const original = readFileSync(join(N_PLUS_ONE_FIXTURE, 'catalog', 'shapes.py'), 'utf8');
    // As a user does: apply one quick fix, let the analysis run again on the result, until no hint is left.
    let fixed = original;
    for (let round = 0; round < 100; round++) {
      const [next] = analyseFixtureFile('catalog/shapes.py', fixed).filter((f) => f.fixes?.length);
      if (!next) break;
      for (const edit of [...next.fixes![0].edits].sort((a, b) => b.from - a.from)) fixed = fixed.slice(0, edit.from) + edit.newText + fixed.slice(edit.to);
    }
    assert.deepEqual(analyseFixtureFile('catalog/shapes.py', fixed).map((f) => f.message), [], 'every hint is fixed');

    const before = await countQueries(python, original);
    const after = await countQueries(python, fixed);

    // The hinted shapes, and how many prefetch lookups their fixes add (each costs one query).
    // A marker belongs to the shape function it is in, or, in a view class, to the shape function after the class.
    const lines = original.split('\n');
    const shapeAt = (line: number): string | undefined => {
      let top = line - 1;
      while (top > 0 && !/^(def|class) /.test(lines[top])) top--;
      const below = lines.slice(top).findIndex((l) => /^def shape_\d+/.test(l));
      return /^def (shape_\d+)/.exec(lines[top + below])?.[1];
    };
    const prefetches = new Map<string, number>();
    for (const hint of expectedHints(original)) {
      const shape = shapeAt(Number(hint.split(':')[0]))!;
      prefetches.set(shape, (prefetches.get(shape) ?? 0) + (hint.includes('prefetch_related') ? 1 : 0));
    }
    // A prefetch_related the shape already had costs its own query too.
    for (const [shape, count] of prefetches) {
      const body = original.slice(original.indexOf(`def ${shape}`)).split('\n\n\n')[0];
      prefetches.set(shape, count + (body.match(/prefetch_related\(/g)?.length ?? 0));
    }
    assert.ok(prefetches.size >= 18, `${prefetches.size} hinted shapes`);
    const report: string[] = [];
    for (const [name, [queries, result]] of Object.entries(before)) {
      const shape = name.slice(0, 'shape_00'.length);
      const [fixedQueries, fixedResult] = after[name];
      report.push(`${name}: ${queries} → ${fixedQueries}`);
      assert.equal(fixedResult, result, `${name}: the fix changed the result`);
      if (prefetches.has(shape)) {
        assert.ok(queries >= 3, `${name}: hinted, but Django ran only ${queries} queries as written`);
        assert.ok(fixedQueries <= 1 + prefetches.get(shape)!, `${name}: ${fixedQueries} queries after the fix`);
      } else {
        assert.equal(fixedQueries, queries, `${name}: not hinted, so not changed`);
      }
      if (LOADED_SHAPES.includes(shape)) assert.ok(queries <= 2, `${name}: called loaded, but ran ${queries} queries`);
    }
    console.log(`      ${report.join(', ')}`);
  });
});
