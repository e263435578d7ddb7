// `npm run corpus`: checks every settings tree of test/corpus as the language server would and prints, per
// code, how many findings each severity has over the corpus (and the markers that are not met, if any).
import { join, resolve } from 'node:path';
import { checkTree, corpusTrees, isLoud, type CorpusFinding } from '../test/support/corpus';

const root = resolve(__dirname, '..', '..');
const corpusDir = join(root, 'test', 'corpus');
const severities = ['error', 'warning', 'information', 'hint'] as const;
const all: CorpusFinding[] = [];
let unmet = 0;
const trees = corpusTrees(corpusDir);
for (const tree of trees) {
  const { findings, markers } = checkTree(corpusDir, tree);
  all.push(...findings);
  for (const marker of markers) {
    const met = findings.some((f) => f.file === marker.file && f.line === marker.line && f.finding.code === marker.code && isLoud(f.finding) === marker.loud);
    if (!met) {
      unmet++;
      console.log(`unmet marker: ${tree}/${marker.file}:${marker.line} ${marker.loud ? 'expect' : 'expect-info'} ${marker.code}`);
    }
  }
}
const counts = new Map<string, Record<(typeof severities)[number], number>>();
for (const { finding } of all) {
  const row = counts.get(finding.code) ?? { error: 0, warning: 0, information: 0, hint: 0 };
  row[finding.severity]++;
  counts.set(finding.code, row);
}
console.log(`Corpus: ${trees.length} settings trees, ${all.length} findings\n`);
console.log(`| code | ${severities.join(' | ')} |`);
console.log(`|---|${severities.map(() => '---').join('|')}|`);
for (const code of [...counts.keys()].sort()) console.log(`| ${code} | ${severities.map((s) => counts.get(code)![s]).join(' | ')} |`);
const total = (s: (typeof severities)[number]) => [...counts.values()].reduce((n, row) => n + row[s], 0);
console.log(`| total | ${severities.map(total).join(' | ')} |`);
if (unmet) {
  console.log(`\n${unmet} marker(s) not met`);
  process.exitCode = 1;
}
