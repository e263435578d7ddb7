// `django-postgres`: the language server's engine on the command line, for CI, pre-commit and terminals.
// The commands live in cli/ (check, explain) and postgres/cliCommands.ts (test-connection, create-db).
import { parseArgs } from 'node:util';
import { check, type Output } from './cli/check';
import { explain } from './cli/explain';
import { runCreateDbCommand, runTestConnectionCommand } from './postgres/cliCommands';
import { packageVersion } from './version';

const USAGE = `Usage:
  django-postgres check [PATH...] [--format text|json|sarif|github] [--fail-on error|warning|information|hint]
                        [--ignore DPG101,DPG202] [--target-libpq 13] [--settings-module config.settings]
                        [--extra-settings-glob GLOB] [--config pyproject.toml] [--fix | --diff] [--show-files]
      No PATH: the project's settings (manage.py's DJANGO_SETTINGS_MODULE, the settings globs, split settings).
      A folder: the settings files in it. Exit 0 clean, 1 findings at or above --fail-on (default warning), 2 usage error.
      [tool.django-postgres] in pyproject.toml sets ignore, target-libpq, settings-module, extra-settings-globs, fail-on.
  django-postgres explain [--format text|md] KEY[=VALUE] | CODE
  django-postgres test-connection [--settings FILE] [--alias ALIAS] [--env-file FILE] [--driver psycopg|psycopg2]
      Exit 0 Connected, 1 Failed, 2 usage error, 3 Cannot confirm (Django may fail for a reason the test cannot reproduce).
  django-postgres create-db --admin postgres://USER@HOST:PORT [--settings FILE] [--alias ALIAS] [--yes]
  django-postgres --version`;

export type { Output } from './cli/check';

const console_: Output = { out: (line) => process.stdout.write(line + '\n'), err: (line) => process.stderr.write(line + '\n') };

export async function main(argv: string[], io: Output = console_): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return check(rest, io);
    case 'explain':
      return explain(rest, io);
    case 'test-connection':
    case 'create-db':
      return postgresCommand(command, rest, io);
    case '--version':
    case '-V':
      io.out(`django-postgres ${packageVersion()}`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

async function postgresCommand(command: 'test-connection' | 'create-db', args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      settings: { type: 'string' },
      alias: { type: 'string' },
      'env-file': { type: 'string' },
      driver: { type: 'string' },
      admin: { type: 'string' },
      yes: { type: 'boolean', default: false },
    },
  });
  const common = { settings: values.settings, alias: values.alias, envFile: values['env-file'] };
  const cliIo = { log: io.out, error: io.err };
  if (command === 'test-connection') {
    if (values.driver !== undefined && values.driver !== 'psycopg' && values.driver !== 'psycopg2') {
      io.err('--driver is psycopg (psycopg 3, Django\'s default) or psycopg2.');
      return 2;
    }
    return runTestConnectionCommand({ ...common, driver: values.driver }, cliIo);
  }
  if (!values.admin) {
    io.err('create-db needs --admin postgres://USER@HOST:PORT (the password from PGPASSWORD, never on the command line).');
    return 2;
  }
  return runCreateDbCommand({ ...common, admin: values.admin, yes: values.yes }, cliIo);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`django-postgres: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
