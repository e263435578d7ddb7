// The Postgres module shared by the VS Code commands and the CLI: plain data in, plain data out, no printing.
export * from './connectionConfig';
export * from './errors';
export * from './testConnection';
export * from './createDatabase';
