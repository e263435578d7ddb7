// Quick fixes: each finding's fixes become code actions for the diagnostics in the request's range.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../diagnostics/types';
import type { DotenvTarget } from '../model/resolved';
import { toLspDiagnostic } from './diagnostics';
import { fixesInRange, type FixOptions } from './fixes';

/** `dotenvTargetFor` names the .env file (and its reader) the project reads a variable from. */
export function codeActions(doc: TextDocument, range: Range, requested: Diagnostic[], findings: Finding[], options: FixOptions, dotenvTargetFor?: (variable: string) => DotenvTarget | undefined): CodeAction[] {
  return fixesInRange(findings, doc.offsetAt(range.start), doc.offsetAt(range.end), options).map(({ finding, fix }) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    // Echo the client's own diagnostic when it sent a complete one (some clients send only a code).
    diagnostics: [requested.find((d) => d.code === finding.code && d.range?.start && doc.offsetAt(d.range.start) === finding.from) ?? toLspDiagnostic(doc, finding)],
    isPreferred: fix.preferred,
    edit: {
      changes: {
        [doc.uri]: fix.edits.map((e) => ({ range: { start: doc.positionAt(e.from), end: doc.positionAt(e.to) }, newText: e.newText })),
      },
    },
    // Writing the secret to .env happens in the client, which owns the workspace files.
    command: fix.dotenv ? { title: fix.title, command: WRITE_DOTENV_COMMAND, arguments: [doc.uri, fix.dotenv.name, fix.dotenv.value, dotenvTargetFor?.(fix.dotenv.name)] } : undefined,
  }));
}

/** The client command that writes a variable to the project's .env (the VS Code extension has it). */
export const WRITE_DOTENV_COMMAND = 'djangoPostgres.writeDotenvVariable';
