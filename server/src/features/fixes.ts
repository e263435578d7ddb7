// The quick fixes of a set of findings, for both front ends: the language server offers the ones in a range
// as code actions, `django-postgres check --fix` applies the safe ones to the file. No LSP types here.
import type { Finding, Fix, TextEdit } from '../diagnostics/types';

export interface FindingFix {
  finding: Finding;
  fix: Fix;
}

export interface FixOptions {
  /** The client can write the project's .env (VS Code's writeDotenvVariable command). Without it, a fix that
   *  moves a secret there would delete the secret from the settings file and save it nowhere. */
  canWriteDotenv: boolean;
}

/** The fixes of the findings that touch [from, to]. */
export function fixesInRange(findings: readonly Finding[], from: number, to: number, options: FixOptions): FindingFix[] {
  return findings
    .filter((finding) => finding.to >= from && finding.from <= to)
    .flatMap((finding) => (finding.fixes ?? []).filter((fix) => options.canWriteDotenv || !fix.dotenv).map((fix) => ({ finding, fix })));
}

export interface AppliedFixes {
  text: string;
  applied: FindingFix[];
}

/**
 * Applies every safe fix to the text, at most one per finding, skipping any whose edits overlap an edit
 * already taken (the next run picks it up, as ruff does).
 */
export function applySafeFixes(text: string, findings: readonly Finding[]): AppliedFixes {
  const taken: TextEdit[] = [];
  const applied: FindingFix[] = [];
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.safe && !f.dotenv && f.edits.length > 0);
    if (!fix || fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
    taken.push(...fix.edits);
    applied.push({ finding, fix });
  }
  return { text: applyEdits(text, taken), applied };
}

/** Applies non-overlapping edits given as offsets into the original text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.from - a.from || b.to - a.to)) {
    result = result.slice(0, edit.from) + edit.newText + result.slice(edit.to);
  }
  return result;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one offset would be ordered arbitrarily: treat them as overlapping too.
  return (a.from < b.to && b.from < a.to) || a.from === b.from || a.to === b.to;
}
