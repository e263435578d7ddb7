// What every command receives: the pieces of the running extension it may use.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ConnectionStatusBar } from './statusBar';

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  /** The language server client; send requests declared in server/src/lsp_ext.ts. */
  client: LanguageClient;
  /** The "Django Postgres" output channel. Never write a secret to it. */
  log: vscode.LogOutputChannel;
  statusBar: ConnectionStatusBar;
}
