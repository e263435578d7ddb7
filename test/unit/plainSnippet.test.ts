// Completion snippets as plain text, for LSP clients without snippet support.
import { strict as assert } from 'node:assert';
import { snippetToPlainText } from '../../server/src/features/plainSnippet';

describe('snippetToPlainText', () => {
  it('keeps the default of each placeholder: the first choice, the placeholder text, nothing for a tab stop', () => {
    assert.equal(snippetToPlainText("'sslmode': '${1|require,verify-full,prefer|}'"), "'sslmode': 'require'");
    assert.equal(snippetToPlainText("'CONN_MAX_AGE': ${1:0}"), "'CONN_MAX_AGE': 0");
    assert.equal(snippetToPlainText("'NAME': '$1'"), "'NAME': ''");
    assert.equal(snippetToPlainText("'OPTIONS': {$0}"), "'OPTIONS': {}");
    assert.equal(snippetToPlainText("'default': {\n\t$0\n}"), "'default': {\n\t\n}");
    assert.equal(snippetToPlainText('${1}x${2:a${3:b}c}'), 'xabc');
  });

  it('resolves escapes in text, placeholders and choices', () => {
    assert.equal(snippetToPlainText('cost \\$5 \\} \\\\'), 'cost $5 } \\');
    assert.equal(snippetToPlainText('${1:a\\}b}'), 'a}b');
    assert.equal(snippetToPlainText('${1|a\\,b,c|}'), 'a,b');
  });
});
