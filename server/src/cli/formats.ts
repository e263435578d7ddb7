// How `django-postgres check` prints its findings: text for people, JSON for scripts, SARIF 2.1.0 for code
// scanning, GitHub Actions workflow commands for annotations on a pull request.
import { ruleDocs } from '../catalog/rules';
import type { Finding, Severity } from '../diagnostics/types';
import { renderRuleDoc } from '../features/docs';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface Reported {
  /** As shown: relative to the working directory with forward slashes when below it, else absolute. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  finding: Finding;
}

export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
  /** file:// URI of the folder the relative paths start from. */
  baseUri: string;
}

export function render(format: Format, reported: readonly Reported[], tool: ToolInfo): string {
  switch (format) {
    case 'json':
      return JSON.stringify(reported.map(toJson), null, 2);
    case 'sarif':
      return JSON.stringify(toSarif(reported, tool), null, 2);
    case 'github':
      return reported.map(toGithubAnnotation).join('\n');
    default:
      return reported.map((r) => `${r.file}:${r.line}:${r.column} ${r.finding.severity} ${r.finding.code} ${r.finding.message}`).join('\n');
  }
}

function toJson(r: Reported) {
  const { file, line, column, endLine, endColumn, finding } = r;
  return { file, line, column, endLine, endColumn, severity: finding.severity, code: finding.code, message: finding.message, fixable: !!finding.fixes?.some((f) => f.safe) };
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function toSarif(reported: readonly Reported[], tool: ToolInfo) {
  const ruleIndex = new Map(ruleDocs.map((rule, index) => [rule.code, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            informationUri: tool.informationUri,
            rules: ruleDocs.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.what },
              fullDescription: { text: rule.why },
              helpUri: rule.docsUrl,
              help: { text: `${rule.what} ${rule.why}${rule.fix ? ` Fix: ${rule.fix}` : ''}`, markdown: renderRuleDoc(rule, '##') },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: tool.baseUri.endsWith('/') ? tool.baseUri : `${tool.baseUri}/` } },
        // Our columns count UTF-16 code units (JavaScript string offsets), as LSP does.
        columnKind: 'utf16CodeUnits',
        results: reported.map((r) => ({
          ruleId: r.finding.code,
          ...(ruleIndex.has(r.finding.code) ? { ruleIndex: ruleIndex.get(r.finding.code) } : {}),
          level: SARIF_LEVEL[r.finding.severity],
          message: { text: r.finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: r.file.startsWith('/') ? { uri: encodeURI(`file://${r.file}`) } : { uri: encodeURI(r.file), uriBaseId: 'SRCROOT' },
                region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

const GITHUB_COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=DPG102::message`, escaped as the runner expects. */
function toGithubAnnotation(r: Reported): string {
  const property = (value: string) => escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
  const properties = [`file=${property(r.file)}`, `line=${r.line}`, `col=${r.column}`, `endLine=${r.endLine}`, `endColumn=${r.endColumn}`, `title=${property(`${r.finding.code} (Django Postgres)`)}`];
  return `::${GITHUB_COMMAND[r.finding.severity]} ${properties.join(',')}::${escapeData(r.finding.message)}`;
}

function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
