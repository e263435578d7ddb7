// Shared by the oracle tests: run a Python script on Debian's python3 with JSON in and JSON out, and run our
// engine on a generated settings file.
import { execFileSync } from 'node:child_process';
import { freePort } from '../support/processes';
import { checkSettings, type Finding } from '../../server/src/diagnostics/index';
import { PythonSource } from '../../server/src/model/python';
import { buildSettingsModel } from '../../server/src/model/settingsModel';

export const DEBIAN_PYTHON = '/usr/bin/python3';

export function runPython<T>(script: string, input: unknown): T {
  const stdout = execFileSync(DEBIAN_PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(stdout) as T;
}

/** A loopback port nobody listens on. */
export const closedPort = freePort;

/** A JSON scalar written as a Python literal. */
export function pythonLiteral(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return JSON.stringify(value);
}

export function checkText(text: string, targetLibpqVersion = 13): Finding[] {
  const src = PythonSource.parse(text);
  return checkSettings({ file: 'settings.py', src, model: buildSettingsModel(src), settings: { ignore: [], targetLibpqVersion } });
}
