// Runs inside the extension host with the Django fixture project (test/fixtures/djangoproject, or a copy of
// it) open as the workspace: the extension activates, registers its commands and answers hover, completion
// and diagnostics on config/settings.py through its language server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'django-postgres.django-postgres';
const DEADLINE_MS = 30_000;

/** Calls `probe` until `accept` likes its result (the language server starts lazily) or the deadline passes. */
async function poll<T>(what: string, probe: () => Thenable<T> | T, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) assert.fail(`${what}: no acceptable answer within ${DEADLINE_MS} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await probe();
  }
  return last;
}

function settingsUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (a Django project) must be open');
  return vscode.Uri.joinPath(folder.uri, 'config', 'settings.py');
}

/** Position just inside the first occurrence of `needle` at or after the line holding `after`. */
function positionOf(document: vscode.TextDocument, needle: string, after = ''): vscode.Position {
  const text = document.getText();
  const offset = text.indexOf(needle, text.indexOf(after));
  assert.ok(offset >= 0, `${document.uri.fsPath} has no ${needle}`);
  return document.positionAt(offset + 1);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Applies an unsaved edit to the settings file, runs `check`, then reverts the file. */
async function withEdit(
  document: vscode.TextDocument,
  range: vscode.Range,
  newText: string,
  check: () => Promise<void>,
): Promise<void> {
  await vscode.window.showTextDocument(document);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, newText);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
  try {
    await check();
  } finally {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

describe('Django Postgres in the extension host', () => {
  let document: vscode.TextDocument;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    document = await vscode.workspace.openTextDocument(settingsUri());
    await vscode.window.showTextDocument(document);
    await extension.activate();
  });

  it('activates and registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
    const contributed: string[] = (extension.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), [], 'contributed but not registered');
  });

  it("explains 'sslmode' in OPTIONS on hover, with its values", async () => {
    const position = positionOf(document, "'sslmode'", "'OPTIONS'");
    const hovers = await poll(
      'hover on sslmode',
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position),
      (result) => /verify-full/.test(hoverText(result ?? [])),
    );
    const text = hoverText(hovers);
    for (const value of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']) {
      assert.match(text, new RegExp(`\\b${value}\\b`), `the hover lists ${value}`);
    }
  });

  it('completes libpq keywords inside OPTIONS', async () => {
    const optionsLine = document.positionAt(document.getText().indexOf("'OPTIONS': {")).line;
    const lineEnd = document.lineAt(optionsLine).range.end;
    await withEdit(document, new vscode.Range(lineEnd, lineEnd), "\n            '", async () => {
      const position = new vscode.Position(optionsLine + 1, 13);
      const list = await poll(
        'completion in OPTIONS',
        () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position),
        (result) => (result?.items.length ?? 0) > 0,
      );
      const labels = new Set(list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label).replace(/['"]/g, '')));
      // Keywords the fixture's OPTIONS does not set yet (keys already present may rightly be left out).
      for (const keyword of ['target_session_attrs', 'keepalives_idle', 'sslrootcert', 'channel_binding']) {
        assert.ok(labels.has(keyword), `completion offers ${keyword}; got ${[...labels].slice(0, 30).join(', ')}`);
      }
    });
  });

  it('reports a misspelt sslmode value as a problem', async () => {
    const line = document.lineAt(positionOf(document, "'sslmode':", "'OPTIONS'").line);
    const match = /('sslmode':\s*')([^']*)'/.exec(line.text);
    assert.ok(match, `line ${line.lineNumber + 1} sets sslmode to a string: ${line.text}`);
    const start = new vscode.Position(line.lineNumber, match.index + match[1].length);
    const range = new vscode.Range(start, start.translate(0, match[2].length));
    // A warning the valid value already had (e.g. that prefer does not enforce TLS) must not count.
    const earlier = new Set(vscode.languages.getDiagnostics(document.uri).map((d) => d.message));
    const isTypoProblem = (d: vscode.Diagnostic): boolean =>
      d.range.intersection(range) !== undefined && !earlier.has(d.message) &&
      (d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
    await withEdit(document, range, 'requre', async () => {
      await poll('an error or warning on the misspelt value', () => vscode.languages.getDiagnostics(document.uri),
        (diagnostics) => diagnostics.some(isTypoProblem));
    });
  });
});
