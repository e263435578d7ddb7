// Quick fixes: each finding's fixes become code actions for the diagnostics in the request's range.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../diagnostics/types';
import type { DotenvTarget } from '../model/resolved';
import { toLspDiagnostic } from './diagnostics';

/** `dotenvTargetFor` names the .env file (and its reader) the project reads a variable from. */
export function codeActions(doc: TextDocument, range: Range, requested: Diagnostic[], findings: Finding[], dotenvTargetFor?: (variable: string) => DotenvTarget | undefined): CodeAction[] {
  const from = doc.offsetAt(range.start);
  const to = doc.offsetAt(range.end);
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    if (!finding.fixes?.length || finding.to < from || finding.from > to) continue;
    const diagnostic = requested.find((d) => d.code === finding.code && doc.offsetAt(d.range.start) === finding.from) ?? toLspDiagnostic(doc, finding);
    for (const fix of finding.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: {
          changes: {
            [doc.uri]: fix.edits.map((e) => ({ range: { start: doc.positionAt(e.from), end: doc.positionAt(e.to) }, newText: e.newText })),
          },
        },
        // Writing the secret to .env happens in the client, which owns the workspace files.
        command: fix.dotenv ? { title: fix.title, command: 'djangoPostgres.writeDotenvVariable', arguments: [doc.uri, fix.dotenv.name, fix.dotenv.value, dotenvTargetFor?.(fix.dotenv.name)] } : undefined,
      });
    }
  }
  return actions;
}
