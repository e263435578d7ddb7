// PostgreSQL-only findings on code whose ENGINE we cannot know (an environment variable, an f-string, a URL
// from the environment, branches with different engines) are information at most: the same code may run
// with MySQL or SQLite, where they would be false. Findings that hold for every backend keep their severity.
import { contextOf, type CheckedEntry } from './rules/context';
import type { CheckInput, Finding } from './types';

/** Codes true whatever the backend (the ENGINE, Django's own keys and types, duplicates, secrets, NAME) or that read the URL's engine themselves. */
const ENGINE_INDEPENDENT = new Set(['DPG105', 'DPG109', 'DPG110', 'DPG118', 'DPG119', 'DPG120', 'DPG122', 'DPG201', 'DPG203', 'DPG210', 'DPG212', 'DPG213']);

/** The innermost DATABASES entry holding a position (OPTIONS 'sslmode' rather than the whole 'OPTIONS'). */
function holderOf(entries: CheckedEntry[], at: number): CheckedEntry | undefined {
  let best: CheckedEntry | undefined;
  for (const checked of entries) {
    const { from, to } = checked.entry.itemSpan;
    if (from <= at && at < Math.max(to, from + 1) && (!best || to - from < best.entry.itemSpan.to - best.entry.itemSpan.from)) best = checked;
  }
  return best;
}

export function capForUnknownEngines(input: CheckInput, findings: Finding[]): Finding[] {
  const entries = contextOf(input).entries;
  if (!entries.some((e) => e.engine === 'unknown')) return findings;
  // Findings sit on a key or a value almost always: find those by position, and scan only for the rest.
  const byStart = new Map<number, CheckedEntry>();
  for (const checked of entries) {
    byStart.set(checked.entry.keySpan.from, checked);
    if (!byStart.has(checked.entry.value.span.from)) byStart.set(checked.entry.value.span.from, checked);
  }
  return findings.map((f) => {
    if (ENGINE_INDEPENDENT.has(f.code) || (f.severity !== 'error' && f.severity !== 'warning')) return f;
    const holder = byStart.get(f.from) ?? holderOf(entries, f.from);
    if (holder?.engine !== 'unknown') return f;
    const why = holder.engineNote ?? 'the ENGINE is not known without running the project';
    return { ...f, severity: 'information', message: `${f.message} [Information only: ${why}, so this holds only if it is PostgreSQL.]` };
  });
}
