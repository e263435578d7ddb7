// The status-bar item: which alias the extension talks to and whether the last Test Connection worked.
// Clicking it tests the connection again.
import * as vscode from 'vscode';

export type ConnectionState =
  | { kind: 'unknown' }
  | { kind: 'testing' }
  | { kind: 'ok'; summary: string }
  | { kind: 'failed'; cause: string }
  /** Cannot confirm: Django may fail for a reason the test cannot reproduce (GSSAPI, a setting pg lacks). */
  | { kind: 'unconfirmed'; reason: string };

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('djangoPostgres.connection', vscode.StatusBarAlignment.Left, 50);
  private alias = 'default';

  constructor() {
    this.item.name = 'Django Postgres connection';
    this.item.command = 'djangoPostgres.testConnection';
    this.set({ kind: 'unknown' });
  }

  show(enabled: boolean): void {
    if (enabled) this.item.show();
    else this.item.hide();
  }

  setAlias(alias: string): void {
    this.alias = alias;
  }

  set(state: ConnectionState): void {
    const label = `Postgres: ${this.alias}`;
    switch (state.kind) {
      case 'unknown':
        this.item.text = `$(database) ${label}`;
        this.item.tooltip = 'Django Postgres: click to test the connection';
        this.item.backgroundColor = undefined;
        break;
      case 'testing':
        this.item.text = `$(sync~spin) ${label}`;
        this.item.tooltip = 'Testing the connection…';
        break;
      case 'ok':
        this.item.text = `$(check) ${label}`;
        this.item.tooltip = `Connected: ${state.summary}\nClick to test again`;
        this.item.backgroundColor = undefined;
        break;
      case 'unconfirmed':
        this.item.text = `$(question) ${label}`;
        this.item.tooltip = `${state.reason}\nClick to test again`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'failed':
        this.item.text = `$(error) ${label}`;
        this.item.tooltip = `Connection failed: ${state.cause}\nClick to test again`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
