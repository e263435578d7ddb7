// Engine findings → LSP diagnostics (positions, severity, tags, a link to the rule's docs).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocs } from '../catalog/rules';
import { queryRules } from '../catalog/queryRules';
import type { Finding, Severity } from '../diagnostics/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const docsByCode = new Map([...ruleDocs, ...queryRules].map((rule) => [rule.code, rule]));

export const DIAGNOSTIC_SOURCE = 'Django Postgres';

export function toLspDiagnostic(doc: TextDocument, finding: Finding): Diagnostic {
  const rule = docsByCode.get(finding.code);
  return {
    range: { start: doc.positionAt(finding.from), end: doc.positionAt(finding.to) },
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: rule ? { href: rule.docsUrl } : undefined,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    tags: finding.tags?.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary)),
  };
}
