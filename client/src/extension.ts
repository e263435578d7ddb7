// Extension entry: starts the language server, the status bar and the commands. Activation is lazy
// (a workspace with manage.py or a settings file, a pgbouncer.ini, or one of our commands).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { readConfig, serverSettingsSection } from './config';
import { ConnectionStatusBar } from './statusBar';
import { setupWalkthrough } from './walkthrough';
import type { ExtensionServices } from './services';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionServices> {
  const activatedAt = performance.now();
  const log = vscode.window.createOutputChannel('Django Postgres', { log: true });
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'python' },
      { language: 'pgbouncer-ini' },
    ],
    outputChannel: log,
    // clientCommands: the server may offer fixes that end in these commands (moving a secret to .env).
    initializationOptions: { settings: serverSettingsSection(), clientCommands: ['djangoPostgres.writeDotenvVariable'] },
    synchronize: { configurationSection: 'djangoPostgres' },
  };
  client = new LanguageClient('djangoPostgres', 'Django Postgres', serverOptions, clientOptions);
  const statusBar = new ConnectionStatusBar();
  const config = readConfig();
  statusBar.setAlias(config.defaultAlias);
  statusBar.show(config.statusBar);
  const services: ExtensionServices = { context, client, log, statusBar };
  context.subscriptions.push(
    log,
    statusBar,
    ...registerCommands(services),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('djangoPostgres')) return;
      const updated = readConfig();
      statusBar.setAlias(updated.defaultAlias);
      statusBar.show(updated.statusBar);
    }),
  );
  // Two figures for `npm run bench`: our own activation work, and the wait for the server's initialize.
  const ownWorkMs = performance.now() - activatedAt;
  await client.start();
  context.subscriptions.push(...setupWalkthrough(services));
  log.info(`Activation took ${ownWorkMs.toFixed(1)} ms before starting the language server.`);
  log.info(`Language server initialized ${(performance.now() - activatedAt).toFixed(1)} ms after activation.`);
  return services;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
