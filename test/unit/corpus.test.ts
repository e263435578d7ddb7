import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { checkTree, corpusTrees, isLoud } from '../support/corpus';

const corpusDir = join(resolve(__dirname, '..', '..', '..'), 'test', 'corpus');

describe('real-world-style corpus (test/corpus)', () => {
  const trees = corpusTrees(corpusDir);
  it('holds at least 40 settings trees', () => assert.ok(trees.length >= 40, `${trees.length} trees`));
  for (const tree of trees) {
    it(`${tree}: every marker is found, and nothing else is an error or a warning`, () => {
      const { findings, markers } = checkTree(corpusDir, tree);
      const describe = (f: (typeof findings)[number]) => `${f.file}:${f.line} ${f.finding.severity} ${f.finding.code} ${f.finding.message}`;
      const unmet = markers.filter((m) => !findings.some((f) => f.file === m.file && f.line === m.line && f.finding.code === m.code && isLoud(f.finding) === m.loud));
      assert.deepEqual(unmet.map((m) => `${m.file}:${m.line} ${m.loud ? 'expect' : 'expect-info'} ${m.code}`), [], `found:\n${findings.map(describe).join('\n')}`);
      const unexpected = findings.filter((f) => isLoud(f.finding) && !markers.some((m) => m.loud && m.file === f.file && m.line === f.line && m.code === f.finding.code));
      assert.deepEqual(unexpected.map(describe), []);
    });
  }
});
