// A real LSP client for tests: starts `node dist/server.js --stdio` and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type CodeAction,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = resolve(__dirname, '../../../dist/server.js');

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  readonly stderr: string[] = [];
  readonly logs: string[] = [];

  /** What the client answers to workspace/configuration (an editor's own settings store). */
  configuration: unknown = {};

  private constructor(readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk) => this.stderr.push(String(chunk)));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.configuration));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /**
   * `options.command`: how to start the server instead of `node dist/server.js --stdio`;
   * `options.configuration`: the answer to workspace/configuration (default: no settings).
   */
  static async start(workspace: string, settings: unknown = {}, options: { clientCommands?: string[]; command?: string[]; configuration?: unknown } = {}): Promise<LspTestClient> {
    const [command, ...args] = options.command ?? [process.execPath, SERVER_JS, '--stdio'];
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspTestClient(child);
    client.configuration = options.configuration ?? {};
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).toString(),
      workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'ws' }],
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } } } },
      // As the VS Code extension does; `clientCommands: []` is how any other editor starts the server.
      initializationOptions: { settings, clientCommands: options.clientCommands ?? ['djangoPostgres.writeDotenvVariable'] },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  open(path: string, text: string, languageId = 'python'): string {
    const uri = pathToFileURL(path).toString();
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replace [start, end) (as offsets into `before`) with `text`, as an editor's incremental change. */
  change(uri: string, before: string, from: number, to: number, text: string): string {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.diagnostics.delete(uri);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: positionAt(before, from), end: positionAt(before, to) }, text }],
    });
    return before.slice(0, from) + text + before.slice(to);
  }

  completion(uri: string, text: string, offset: number): Promise<CompletionItem[]> {
    return this.connection
      .sendRequest<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', { textDocument: { uri }, position: positionAt(text, offset) })
      .then((result) => (Array.isArray(result) ? result : (result?.items ?? [])));
  }

  resolve(item: CompletionItem): Promise<CompletionItem> {
    return this.connection.sendRequest('completionItem/resolve', item);
  }

  hover(uri: string, text: string, offset: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionAt(text, offset) });
  }

  codeActions(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
  }

  /** The diagnostics published for the document's latest version. */
  async diagnosticsFor(uri: string, timeoutMs = 5000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const published = this.diagnostics.get(uri);
      if (published && (published.version === undefined || published.version === this.versions.get(uri))) return published.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below makes sure.
    }
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: { line: number; character: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e) => ({ from: offsetAt(text, e.range.start), to: offsetAt(text, e.range.end), newText: e.newText })).sort((a, b) => b.from - a.from);
  return sorted.reduce((acc, e) => acc.slice(0, e.from) + e.newText + acc.slice(e.to), text);
}

export function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}
