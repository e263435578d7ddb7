// The DATABASES snippets: valid JSON with a description each, and every expansion (defaults and each
// choice) is Python that parses and follows our own rules: secrets from the environment, sslmode values
// libpq accepts, no options string behind PgBouncer, CONN_MAX_AGE 0 with Django's pool.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Snippet { prefix: string; body: string[]; description: string; scope?: string }

const file = join(__dirname, '..', '..', '..', 'snippets', 'django-databases.code-snippets');
const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Snippet>;
const libpqSslModes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** The text a snippet inserts when the user keeps every default and picks choice number `pick` (or the last one). */
function expand(body: string[], pick: number): string {
  return body.join('\n')
    .replace(/\$\{\d+\|([^|]*)\|\}/g, (_m, choices: string) => { const list = choices.split(','); return list[Math.min(pick, list.length - 1)]; })
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

/** Python's own parser (Debian's python3; pyenv's would do as well): throws on a syntax error. */
function assertPython(source: string): void {
  execFileSync('/usr/bin/python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, stdio: ['pipe', 'ignore', 'pipe'] });
}

function expansions(snippet: Snippet): string[] {
  const choices = snippet.body.join('\n').match(/\$\{\d+\|[^|]*\|\}/g) ?? [];
  const most = Math.max(1, ...choices.map((c) => c.split(',').length));
  return Array.from({ length: most }, (_, pick) => expand(snippet.body, pick));
}

describe('DATABASES snippets', () => {
  const entries = Object.entries(snippets);

  it('are described, prefixed dbpg- and unique', () => {
    assert.ok(entries.length >= 9);
    const prefixes = entries.map(([, s]) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const [name, s] of entries) {
      assert.match(s.prefix, /^dbpg-[a-z-]+$/, name);
      assert.ok(s.description.length > 20, name);
      assert.equal(s.scope, 'python', name);
    }
    for (const wanted of ['dbpg-minimal', 'dbpg-production', 'dbpg-url', 'dbpg-pgbouncer', 'dbpg-replica', 'dbpg-pool', 'dbpg-split-base', 'dbpg-split-local', 'dbpg-split-production']) {
      assert.ok(prefixes.includes(wanted), wanted);
    }
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${snippet.prefix} expands to valid Python that keeps secrets out of the file`, () => {
      for (const text of expansions(snippet)) {
        assertPython(text);
        assert.doesNotMatch(text, /"PASSWORD":\s*"/, name);
        assert.doesNotMatch(text, /\["PASSWORD"\]\s*=\s*"/, name);
        assert.doesNotMatch(text, /postgres(ql)?:\/\/[^"\s]*:[^"\s]*@/, name);
        for (const [, mode] of text.matchAll(/"sslmode":\s*"([^"]*)"/g)) assert.ok(libpqSslModes.includes(mode), `${name}: sslmode ${mode}`);
      }
    });
  }

  it('keeps the PgBouncer snippet pooler-safe', () => {
    const text = expand(snippets['PostgreSQL DATABASES behind PgBouncer'].body, 0);
    assert.doesNotMatch(text, /"options":/);
    assert.match(text, /"CONN_MAX_AGE": 0,/);
    assert.match(text, /"DISABLE_SERVER_SIDE_CURSORS": True,/);
    assert.match(text, /"PGBOUNCER_PORT", "6432"/);
  });

  it('keeps CONN_MAX_AGE at 0 next to Django\'s pool', () => {
    const text = expand(snippets["PostgreSQL DATABASES with Django's connection pool"].body, 0);
    assert.match(text, /"pool": \{/);
    assert.match(text, /"CONN_MAX_AGE": 0,/);
  });
});
