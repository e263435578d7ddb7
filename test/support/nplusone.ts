// The N+1 fixture project (test/fixtures/nplusone) and its markers, shared by the unit and Django tests.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parser } from '@lezer/python';
import { checkQueries, ProjectModels } from '../../server/src/queries';
import type { Finding } from '../../server/src/diagnostics/types';

export const N_PLUS_ONE_FIXTURE = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'nplusone');

/** `line:CODE method('lookup')` for each `# expect:` marker of a file. */
export function expectedHints(text: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    const marker = /# expect: (DPG.*)$/.exec(line);
    return marker ? marker[1].split(';').map((one) => `${index + 1}:${one.trim()}`) : [];
  });
}

export function reportedHints(text: string, findings: Finding[]): string[] {
  return findings.map((f) => {
    const line = text.slice(0, f.from).split('\n').length;
    const call = /(select_related|prefetch_related)\('[^']+'\)/.exec(f.fixes?.[0]?.title ?? '')?.[0];
    return `${line}:${f.code} ${call}`;
  });
}

export function analyseFixtureFile(relative: string, text = readFileSync(join(N_PLUS_ONE_FIXTURE, relative), 'utf8'), root = N_PLUS_ONE_FIXTURE): Finding[] {
  const project = new ProjectModels(() => [root], () => undefined);
  return checkQueries({ file: join(root, relative), text, tree: parser.parse(text), project, ignore: [] });
}

