// `django-postgres-language-server`: the language server for any editor. Speaks LSP on stdin/stdout by
// default (`--stdio`, as every editor's setup passes it); `--node-ipc` and `--socket=N` work as in VS Code.
import { packageVersion } from './version';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-V')) {
  process.stdout.write(`django-postgres-language-server ${packageVersion()}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: django-postgres-language-server [--stdio]\n' +
      'The Django Postgres language server (LSP over stdin/stdout). Editor setups: docs/editors.md.\n',
  );
} else {
  const transports = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
  if (!args.some((arg) => transports.some((t) => arg === t || arg.startsWith(`${t}=`)))) process.argv.push('--stdio');
  // The server bundle beside this file: one copy of the engine for VS Code and every other editor.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./server.js');
}
