// `# noqa` and `# noqa: DPG101,DPG102` on the line where a finding starts, as Python linters do.
import type { PythonSource } from '../model/python';
import type { Finding } from './types';

export function suppressedByNoqa(src: PythonSource, finding: Finding): boolean {
  const lineEnd = src.text.indexOf('\n', finding.from);
  const end = lineEnd < 0 ? src.text.length : lineEnd;
  // The parser's comment token ending the line (a `#` inside a string is not one).
  const node = src.tree.resolveInner(end, -1);
  return node.name === 'Comment' && node.to === end && noqaCovers(src.textOf(node), finding.code);
}

export function noqaCovers(comment: string, code: string): boolean {
  const body = comment.slice(1).trim();
  if (!body.toLowerCase().startsWith('noqa')) return false;
  const rest = body.slice(4).trim();
  if (!rest.startsWith(':')) return true;
  const codes = rest.slice(1).split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
  return codes.includes(code.toUpperCase());
}
