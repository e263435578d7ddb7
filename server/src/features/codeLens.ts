// A code lens above each alias of DATABASES: "Open psql" for that alias (the client runs the command).
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SettingsModel } from '../model/types';

export const OPEN_PSQL_COMMAND = 'djangoPostgres.openPsql';

export function aliasCodeLenses(doc: TextDocument, model: SettingsModel, settingsFile: string | undefined): CodeLens[] {
  const lenses: CodeLens[] = [];
  const seen = new Set<string>();
  for (const dict of model.dicts) {
    if (dict.role !== 'databases') continue;
    for (const entry of dict.dict.entries) {
      if (seen.has(`${entry.key}@${entry.keySpan.from}`)) continue;
      seen.add(`${entry.key}@${entry.keySpan.from}`);
      const start = doc.positionAt(entry.keySpan.from);
      lenses.push({
        range: { start, end: doc.positionAt(entry.keySpan.to) },
        command: { title: '$(terminal) Open psql', command: OPEN_PSQL_COMMAND, arguments: [{ alias: entry.key, settingsFile }] },
      });
    }
  }
  return lenses;
}
