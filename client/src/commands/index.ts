// Every command of the extension, registered in one place. Each command lives in its own file.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { createDatabase, forgetAdminPassword } from './createDatabase';
import { generatePgBouncerConfigCommand } from './generatePgBouncerConfig';
import { runMigrate } from './runMigrate';
import { testConnection } from './testConnection';
import { toggleSqlLogging } from './toggleSqlLogging';
import { openPsql } from './openPsql';
import { newProject } from './newProject';
import { writeDotenvVariable } from './writeDotenvVariable';
import { checkPostgresRunning, insertDatabasesBlock } from '../walkthrough';

type CommandHandler = (services: ExtensionServices, ...args: unknown[]) => unknown;

const commands: Record<string, CommandHandler> = {
  'djangoPostgres.runMigrate': (services) => runMigrate(services),
  'djangoPostgres.checkConnectionWithDjango': (services) => runMigrate(services, 'checkConnection'),
  'djangoPostgres.createDatabase': (services, args) => createDatabase(services, args),
  'djangoPostgres.testConnection': (services, args) => testConnection(services, args),
  'djangoPostgres.forgetAdminPassword': (services) => forgetAdminPassword(services),
  'djangoPostgres.generatePgBouncerConfig': (services, args) => generatePgBouncerConfigCommand(services, args),
  'djangoPostgres.checkPostgresRunning': (services) => checkPostgresRunning(services),
  'djangoPostgres.insertDatabasesBlock': (services, kind) => insertDatabasesBlock(services, kind),
  'djangoPostgres.newProject': (services) => newProject(services),
  'djangoPostgres.openPsql': (services, args) => openPsql(services, args),
  'djangoPostgres.toggleSqlLogging': (services, uri) => toggleSqlLogging(services, uri),
    'djangoPostgres.writeDotenvVariable': (services, documentUri, name, value, target) => writeDotenvVariable(services, documentUri, name, value, target),
};

export function registerCommands(services: ExtensionServices): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => handler(services, ...args)));
}
