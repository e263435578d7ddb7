// The diagnostics engine: runs every rule over a settings model, then applies `# noqa` comments and
// the ignore setting. The language server and the CLI both call checkSettings.
import type { CheckInput, Finding } from './types';
import { rules } from './rules';
import { suppressedByNoqa } from './noqa';
import { capForUnknownEngines } from './engineContext';

export function checkSettings(input: CheckInput): Finding[] {
  const ignored = new Set(input.settings.ignore.map((code) => code.toUpperCase()));
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      findings.push(...rule(input));
    } catch (error) {
      // One broken rule must not take the others (or the server) down.
      findings.push({ code: 'DPG000', severity: 'hint', message: `Internal check failed: ${(error as Error).message}`, from: 0, to: 0 });
    }
  }
  return capForUnknownEngines(input, findings)
    .filter((f) => !ignored.has(f.code) && !suppressedByNoqa(input.src, f))
    .sort((a, b) => a.from - b.from || a.code.localeCompare(b.code));
}

export type { CheckInput, Finding } from './types';
