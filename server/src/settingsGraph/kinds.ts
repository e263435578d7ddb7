// What a settings module is for, read from its name: `production.py`, `settings/test.py`, `settings_ci.py`,
// `docker.py`. The name is what the project's own people go by, so it is what messages quote.
import { basename, dirname } from 'node:path';
import type { ModuleKind } from './types';

const WORDS: [ModuleKind, string[]][] = [
  ['test', ['test', 'tests', 'testing', 'ci', 'pytest', 'github', 'gitlab', 'travis', 'unittest']],
  ['development', ['dev', 'develop', 'development', 'local', 'docker', 'compose', 'e2e', 'debug', 'devcontainer']],
  ['production', ['prod', 'production', 'live', 'staging', 'stage', 'deploy', 'deployment', 'heroku', 'release']],
];

/** The kind a module name's words say (config.settings.test_postgres → test), or 'unknown'. */
export function kindOfName(name: string): ModuleKind {
  const words = name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  for (const [kind, names] of WORDS) if (words.some((w) => names.includes(w))) return kind;
  return 'unknown';
}

/** The kind of a settings file from its own name, then its folder's (settings/test.py, test_settings.py). */
export function kindOfFile(file: string): ModuleKind {
  const stem = basename(file).replace(/\.py$/, '');
  const own = stem === '__init__' ? kindOfName(basename(dirname(file))) : kindOfName(stem);
  return own;
}
