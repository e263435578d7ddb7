// The language server's LSP wiring: documents in, completion/hover/diagnostics/code actions out.
// The work itself lives in model/, features/ and diagnostics/; this file only connects them.
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkSettings } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { codeActions } from './features/codeActions';
import { complete, resolveCompletion } from './features/completion';
import { toLspDiagnostic } from './features/diagnostics';
import { hover } from './features/hover';
import { pgbouncerCompletion, pgbouncerDiagnostics, pgbouncerHover } from './features/pgbouncerIni';
import { pgbouncerSettingsEditsFor } from './features/pgbouncerEdits';
import { snippetItems } from './features/snippets';
import * as ext from './lsp_ext';
import { readFromDisk, resolveAlias, SettingsLoader } from './model/resolve';
import { findSettingsFiles, lookupEnvironmentFor } from './workspace';
import { checkQueries, isModelsFile, ProjectModels } from './queries';
import { PythonSource } from './model/python';
import { toggleSqlLogging } from './features/sqlLogging';
import { aliasCodeLenses } from './features/codeLens';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultServerSettings, isSettingsFileName, readServerSettings, type ServerSettings } from './settings';

const connection: Connection = createConnection(ProposedFeatures.all);
let settings: ServerSettings = defaultServerSettings;
let workspaceFolders: string[] = [];
let canPullConfiguration = false;

// Open editors win over the disk, so split settings see unsaved changes of their base module.
const loader: SettingsLoader = new SettingsLoader((path: string): string | undefined => documents.textOf(path) ?? readFromDisk(path));
const documents: DocumentStore = new DocumentStore(loader);
const projectModels = new ProjectModels(() => workspaceFolders, (path) => documents.textOf(path));

connection.onInitialize((params): InitializeResult => {
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  if (!workspaceFolders.length && params.rootUri) workspaceFolders = [fileURLToPath(params.rootUri)];
  settings = readServerSettings(params.initializationOptions?.settings);
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ["'", '"', '-', '=', ' ', '['], resolveProvider: true },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'django-postgres-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'djangoPostgres' });
});

connection.onDidChangeConfiguration(async (change) => {
  const sent = (change.settings as { djangoPostgres?: unknown } | undefined)?.djangoPostgres;
  const pulled = sent ?? (canPullConfiguration ? await connection.workspace.getConfiguration('djangoPostgres') : undefined);
  settings = readServerSettings(pulled);
  for (const doc of documents.all()) scheduleDiagnostics(doc);
});

connection.onDidOpenTextDocument(({ textDocument }) => {
  const doc = documents.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
  if (doc.skipped) connection.console.info(`Not analysing ${textDocument.uri}: ${doc.skipped}.`);
  scheduleDiagnostics(doc);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const doc = documents.change(textDocument.uri, textDocument.version, contentChanges);
  if (!doc) return;
  scheduleDiagnostics(doc);
  // A changed model changes the N+1 hints of every other open file.
  if (doc.path && isModelsFile(doc.path)) for (const other of documents.all()) if (other !== doc && !isSettingsDocument(other)) scheduleDiagnostics(other);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  documents.close(textDocument.uri);
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onCompletion(({ textDocument, position }) => {
  const doc = analysable(textDocument.uri);
  if (!doc) return [];
  const offset = doc.doc.offsetAt(position);
  if (isPgBouncerIni(doc)) return pgbouncerCompletion(doc.doc, offset);
  return [...snippetItems(doc.doc, doc.source(), offset), ...complete(doc.doc, doc.source(), doc.model(), offset)];
});

connection.onCompletionResolve(resolveCompletion);

connection.onHover(({ textDocument, position }) => {
  const doc = analysable(textDocument.uri);
  if (!doc) return null;
  const offset = doc.doc.offsetAt(position);
  if (isPgBouncerIni(doc)) return pgbouncerHover(doc.doc, offset);
  return hover(doc.doc, doc.source(), doc.model(), offset, lookupEnvironmentFor(doc.path, workspaceFolders));
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const doc = analysable(textDocument.uri);
  if (!doc) return [];
  return codeActions(doc.doc, range, context.diagnostics, findingsOf(doc));
});

connection.onCodeLens(({ textDocument }) => {
  const doc = analysable(textDocument.uri);
  if (!doc || isPgBouncerIni(doc) || !isSettingsDocument(doc)) return [];
  return aliasCodeLenses(doc.doc, doc.model(), doc.path);
});

connection.onRequest(ext.databases, ({ uri }) => {
  const files = uri ? [fileURLToPath(uri)] : findSettingsFiles(workspaceFolders, settings.settingsGlobs, loader);
  const databases = files.flatMap((file) => {
    const model = loader.load(file);
    const env = lookupEnvironmentFor(file, workspaceFolders);
    return model ? model.aliases.map((alias) => resolveAlias(alias, file, env)) : [];
  });
  return { settingsFiles: files.map((f) => pathToFileURL(f).toString()), databases };
});

connection.onRequest(ext.pgbouncerSettingsEdits, (params) => pgbouncerSettingsEditsFor(params, (path) => documents.textOf(path) ?? readFromDisk(path), (path) => loader.load(path)));

connection.onRequest(ext.toggleSqlLogging, ({ uri }) => {
  const doc = documents.get(uri)?.doc ?? TextDocument.create(uri, 'python', 0, readFromDisk(fileURLToPath(uri)) ?? '');
  const { enabled, edit } = toggleSqlLogging(PythonSource.parse(doc.getText()));
  return { enabled, edits: [{ range: { start: doc.positionAt(edit.from), end: doc.positionAt(edit.to) }, newText: edit.newText }] };
});

function analysable(uri: string): OpenDocument | undefined {
  const doc = documents.get(uri);
  return doc && !doc.skipped ? doc : undefined;
}

const isPgBouncerIni = (doc: OpenDocument) => doc.doc.languageId === 'pgbouncer-ini';

function isSettingsDocument(doc: OpenDocument): boolean {
  if (doc.skipped) return false;
  if (doc.path && isSettingsFileName(doc.path, settings.settingsGlobs)) return true;
  return doc.model().hasDatabases;
}

function findingsOf(doc: OpenDocument) {
  if (!settings.diagnostics.enable || isPgBouncerIni(doc)) return [];
  if (!isSettingsDocument(doc)) return queryFindingsOf(doc);
  const path = doc.path ?? doc.doc.uri;
  return checkSettings({ file: path, src: doc.source(), model: doc.model(), settings: settings.diagnostics, env: lookupEnvironmentFor(doc.path, workspaceFolders) });
}

/** N+1 hints in the project's other Python files (views, services, ...). */
function queryFindingsOf(doc: OpenDocument) {
  if (doc.doc.languageId !== 'python' || !doc.path) return [];
  projectModels.noticeFile(doc.path);
  const { text, tree } = doc.wholeSource();
  return checkQueries({ file: doc.path, text, tree, project: projectModels, ignore: settings.diagnostics.ignore });
}

// Diagnostics run after the current batch of messages, once per document, never inside a keystroke.
const pending = new Set<string>();
function scheduleDiagnostics(doc: OpenDocument): void {
  if (pending.has(doc.doc.uri)) return;
  pending.add(doc.doc.uri);
  setImmediate(() => {
    pending.delete(doc.doc.uri);
    const current = documents.get(doc.doc.uri);
    if (!current) return;
    try {
      const diagnostics = isPgBouncerIni(current)
        ? pgbouncerDiagnostics(current.doc)
        : findingsOf(current).map((f) => toLspDiagnostic(current.doc, f));
      void connection.sendDiagnostics({ uri: current.doc.uri, version: current.doc.version, diagnostics });
    } catch (error) {
      connection.console.error(`Diagnostics failed for ${current.doc.uri}: ${(error as Error).stack ?? error}`);
    }
  });
}

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error}`));
connection.listen();
