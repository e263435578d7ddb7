// Every command of the extension, registered in one place. Each command lives in its own file.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { runMigrate } from './runMigrate';

type CommandHandler = (services: ExtensionServices, ...args: unknown[]) => unknown;

const commands: Record<string, CommandHandler> = {
  'djangoPostgres.runMigrate': (services) => runMigrate(services),
};

export function registerCommands(services: ExtensionServices): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => handler(services, ...args)));
}
