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
import { relative } from 'node:path';
import { checkSettings } from './diagnostics';
import type { Finding } from './diagnostics/types';
import { DocumentStore, type OpenDocument } from './documents';
import { codeActions, WRITE_DOTENV_COMMAND } from './features/codeActions';
import { complete, resolveCompletion } from './features/completion';
import { toLspDiagnostic } from './features/diagnostics';
import { hover } from './features/hover';
import { withoutSnippets } from './features/plainSnippet';
import { pgbouncerCompletion, pgbouncerDiagnostics, pgbouncerHover } from './features/pgbouncerIni';
import { pgbouncerSettingsEditsFor } from './features/pgbouncerEdits';
import { snippetItems } from './features/snippets';
import * as ext from './lsp_ext';
import { readFromDisk, resolveAlias, SettingsLoader } from './model/resolve';
import { findSettingsFiles, lookupEnvironmentFor, projectVersionsFor } from './workspace';
import { ProjectGraph } from './settingsGraph/graph';
import { manageRunEnvironment, settingsHosts, type PythonFiles } from './project/projectDotenv';
import { checkQueries, isModelsFile, ProjectModels } from './queries';
import { PythonSource } from './model/python';
import { toggleSqlLogging } from './features/sqlLogging';
import { postgresSettings } from './project/newProject';
import { aliasCodeLenses } from './features/codeLens';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultServerSettings, isSettingsFileName, readServerSettings, type ServerSettings } from './settings';
import { packageVersion } from './version';

const connection: Connection = createConnection(ProposedFeatures.all);
let settings: ServerSettings = defaultServerSettings;
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
/** initializationOptions.settings: what the editor sent at start, kept while it sends nothing newer. */
let initialSettings: unknown;
// Fixes that move a secret to .env need the client to write it (VS Code's extension says it can); other
// editors get every other fix as plain edits.
let canWriteDotenv = false;
let snippetSupport = false;

// Open editors win over the disk, so split settings see unsaved changes of their base module.
const loader: SettingsLoader = new SettingsLoader((path: string): string | undefined => documents.textOf(path) ?? readFromDisk(path));
const documents: DocumentStore = new DocumentStore(loader);
// Entry modules and the modules they run; built on first use, looked for again when files open or close.
let graph: ProjectGraph | undefined;
const projectGraph = (): ProjectGraph => (graph ??= new ProjectGraph(workspaceFolders, loader, (path) => documents.textOf(path) ?? readFromDisk(path)));
/** Python files as the .env reader detection sees them: the editor's text first, star imports from the loader. */
const pythonFiles: PythonFiles = {
  readText: (path) => documents.textOf(path) ?? readFromDisk(path),
  starImports: (path) => loader.load(path)?.starImports ?? [],
  hostsOf: settingsHosts(loader),
  sourceOf: (path) => documents.all().find((doc) => doc.path === path && !doc.skipped)?.source(),
};
const projectModels = new ProjectModels(() => workspaceFolders, (path) => documents.textOf(path));

connection.onInitialize((params): InitializeResult => {
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  if (!workspaceFolders.length && params.rootUri) workspaceFolders = [fileURLToPath(params.rootUri)];
  initialSettings = params.initializationOptions?.settings;
  settings = readServerSettings(initialSettings);
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  const clientCommands: unknown = params.initializationOptions?.clientCommands;
  canWriteDotenv = Array.isArray(clientCommands) && clientCommands.includes(WRITE_DOTENV_COMMAND);
  snippetSupport = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ["'", '"', '-', '=', ' ', '['], resolveProvider: true },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'django-postgres-language-server', version: packageVersion() },
  };
});

connection.onInitialized(() => {
  if (!canPullConfiguration) return;
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'djangoPostgres' });
  // Editors other than VS Code often keep settings only for workspace/configuration (Zed, Sublime LSP, eglot,
  // nvim-lspconfig's `settings`): ask once at start; initializationOptions stay when the answer is empty.
  void connection.workspace.getConfiguration('djangoPostgres').then(
    (pulled: unknown) => {
      if (hasContent(pulled)) applySettings(pulled);
    },
    () => undefined,
  );
});

connection.onDidChangeConfiguration(async (change) => {
  const sent = (change.settings as { djangoPostgres?: unknown } | undefined)?.djangoPostgres;
  applySettings(sent ?? (canPullConfiguration ? await connection.workspace.getConfiguration('djangoPostgres') : undefined));
});

/** An editor without settings of ours answers null or {} (eglot, Neovim): the initializationOptions stay. */
function applySettings(raw: unknown): void {
  settings = readServerSettings(hasContent(raw) ? raw : initialSettings);
  for (const doc of documents.all()) scheduleDiagnostics(doc);
}

const hasContent = (value: unknown): boolean => !!value && typeof value === 'object' && Object.keys(value).length > 0;

connection.onDidOpenTextDocument(({ textDocument }) => {
  const doc = documents.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
  if (doc.skipped) connection.console.info(`Not analysing ${textDocument.uri}: ${doc.skipped}.`);
  loader.invalidate();
  graph?.refresh();
  scheduleDiagnostics(doc);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const doc = documents.change(textDocument.uri, textDocument.version, contentChanges);
  if (!doc) return;
  // manage.py, wsgi.py, asgi.py name the entry modules: look for them again.
  if (doc.path && /(^|[\\/])(manage|wsgi|asgi)\.py$/.test(doc.path)) graph?.refresh();
  scheduleDiagnostics(doc);
  // Other open settings modules may run this one: check them again once typing pauses.
  if (isSettingsDocument(doc)) scheduleOthers(doc, isSettingsDocument);
  // A changed model changes the N+1 hints of the other open Python files: once typing pauses.
  if (doc.path && isModelsFile(doc.path)) scheduleOthers(doc, isQueryDocument);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  documents.close(textDocument.uri);
  published.delete(textDocument.uri);
  loader.invalidate();
  graph?.refresh();
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onCompletion(({ textDocument, position }) => {
  const doc = analysable(textDocument.uri);
  if (!doc) return [];
  const offset = doc.doc.offsetAt(position);
  if (isPgBouncerIni(doc)) return pgbouncerCompletion(doc.doc, offset);
  const items = [...snippetItems(doc.doc, doc.source(), offset), ...complete(doc.doc, doc.source(), doc.model(), offset)];
  return snippetSupport ? items : withoutSnippets(items);
});

connection.onCompletionResolve(resolveCompletion);

connection.onHover(({ textDocument, position }) => {
  const doc = analysable(textDocument.uri);
  if (!doc) return null;
  const offset = doc.doc.offsetAt(position);
  if (isPgBouncerIni(doc)) return pgbouncerHover(doc.doc, offset);
  return hover(doc.doc, doc.source(), doc.model(), offset, lookupEnvironmentFor(doc.path, workspaceFolders, pythonFiles), projectVersionsFor(doc.path, workspaceFolders, settings.pythonCommand));
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const doc = analysable(textDocument.uri);
  if (!doc) return [];
  const dotenvTargetFor = (variable: string) => {
    const env = lookupEnvironmentFor(doc.path, workspaceFolders, pythonFiles);
    const origin = env.dotenvOrigins?.[variable];
    return origin ? { file: origin.file, reader: origin.reader } : env.dotenvTarget;
  };
  // The findings just published for this version (code actions are asked on every cursor move).
  const cached = published.get(doc.doc.uri);
  const findings = cached?.version === doc.doc.version ? cached.findings : findingsOf(doc);
  return codeActions(doc.doc, range, context.diagnostics, findings, { canWriteDotenv }, dotenvTargetFor);
});

connection.onCodeLens(({ textDocument }) => {
  const doc = analysable(textDocument.uri);
  if (!doc || isPgBouncerIni(doc) || !isSettingsDocument(doc)) return [];
  return aliasCodeLenses(doc.doc, doc.model(), doc.path);
});

connection.onRequest(ext.databases, ({ uri }) => {
  // Commands read settings as they are now on disk (or in the editor), not as last checked.
  loader.invalidate();
  const files = uri ? [fileURLToPath(uri)] : findSettingsFiles(workspaceFolders, settings.settingsGlobs, loader);
  const databases = files.flatMap((file) => {
    const model = loader.load(file);
    const env = lookupEnvironmentFor(file, workspaceFolders, pythonFiles);
    return model ? model.aliases.map((alias) => resolveAlias(alias, file, env)) : [];
  });
  return { settingsFiles: files.map((f) => pathToFileURL(f).toString()), databases };
});

connection.onRequest(ext.manageEnvironment, ({ managePy, settingsModule }) => {
  const file = fileURLToPath(managePy);
  const root = workspaceFolders.find((folder) => !relative(folder, file).startsWith('..'));
  return manageRunEnvironment(file, settingsModule, { workspaceRoot: root, environ: process.env, python: pythonFiles });
});

connection.onRequest(ext.pgbouncerSettingsEdits, (params) => {
  loader.invalidate();
  return pgbouncerSettingsEditsFor(params, (path) => documents.textOf(path) ?? readFromDisk(path), (path) => loader.load(path));
});

connection.onRequest(ext.postgresSettings, ({ text }) => ({ text: postgresSettings(text) }));

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

/** A Python file that is not a settings file: where N+1 hints are looked for. */
const isQueryDocument = (doc: OpenDocument) => doc.doc.languageId === 'python' && !isSettingsDocument(doc);

function findingsOf(doc: OpenDocument) {
  if (!settings.diagnostics.enable || isPgBouncerIni(doc)) return [];
  if (!isSettingsDocument(doc)) return queryFindingsOf(doc);
  const path = doc.path ?? doc.doc.uri;
  const model = doc.model();
  return checkSettings({ file: path, src: doc.source(), model, settings: settings.diagnostics, env: lookupEnvironmentFor(doc.path, workspaceFolders, pythonFiles), project: projectContext(doc), versions: projectVersionsFor(doc.path, workspaceFolders, settings.pythonCommand) });
}

/** Files on disk may change behind the editor's back (a checkout, a generator): look again now and then. */
const DISK_RECHECK_MS = 2000;
let lastDiskCheck = 0;

function projectContext(doc: OpenDocument) {
  if (!doc.path || !workspaceFolders.length) return undefined;
  if (Date.now() - lastDiskCheck > DISK_RECHECK_MS) {
    lastDiskCheck = Date.now();
    // Open documents keep their models: the cache holds the editor's text, which still matches.
    loader.invalidate();
  }
  try {
    return projectGraph().contextFor(doc.path);
  } catch (error) {
    // The project graph adds precision; without it the file is still checked on its own.
    connection.console.error(`Reading the settings modules of the project failed: ${(error as Error).message}`);
    return undefined;
  }
}

const othersTimers = new Map<(doc: OpenDocument) => boolean, NodeJS.Timeout>();
function scheduleOthers(changed: OpenDocument, affected: (doc: OpenDocument) => boolean): void {
  clearTimeout(othersTimers.get(affected));
  othersTimers.set(affected, setTimeout(() => {
    othersTimers.delete(affected);
    for (const doc of documents.all()) if (doc !== changed && !isPgBouncerIni(doc) && affected(doc)) scheduleDiagnostics(doc);
  }, 300));
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
/** The findings last published per document, with the version they are for. */
const published = new Map<string, { version: number; findings: Finding[] }>();
function scheduleDiagnostics(doc: OpenDocument): void {
  if (pending.has(doc.doc.uri)) return;
  pending.add(doc.doc.uri);
  setImmediate(() => {
    pending.delete(doc.doc.uri);
    const current = documents.get(doc.doc.uri);
    if (!current) return;
    try {
      let diagnostics;
      if (isPgBouncerIni(current)) diagnostics = pgbouncerDiagnostics(current.doc);
      else {
        const findings = findingsOf(current);
        published.set(current.doc.uri, { version: current.doc.version, findings });
        diagnostics = findings.map((f) => toLspDiagnostic(current.doc, f));
      }
      void connection.sendDiagnostics({ uri: current.doc.uri, version: current.doc.version, diagnostics });
    } catch (error) {
      connection.console.error(`Diagnostics failed for ${current.doc.uri}: ${(error as Error).stack ?? error}`);
    }
  });
}

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error}`));
connection.listen();
