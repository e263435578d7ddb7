// Differential test of the .env reader against the real python-dotenv: the same files are read by
// python-dotenv (dotenv_values, load_dotenv with override False and True) in a Python process and by
// our port, and the key/value maps must be identical. Then the writer: every tricky value written by
// writeDotenvVariable must read back identically in python-dotenv, with the rest of the file unchanged.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { parse as npmDotenvParse } from 'dotenv';
import { writeDotenvVariable } from '../../server/src/project/dotenv';
import { decoupleValues, djangoEnvironValues, mergeWithEnvironment, PYTHON_DOTENV } from '../../server/src/project/dotenvReaders';
import { pythonDotenvValues } from '../../server/src/project/pythonDotenv';
import { pythonDotenvOracle, type DotenvOracle } from '../support/python';
import { TRICKY_DOTENV_FILES, TRICKY_VALUES } from '../support/dotenvCases';

const run = promisify(execFile);

/** Reads each file with python-dotenv three ways and prints JSON; os.environ is restored between loads. */
const ORACLE_SCRIPT = String.raw`
import json, os, sys, logging
logging.disable(logging.CRITICAL)
from dotenv import dotenv_values, load_dotenv
files = json.load(open(sys.argv[1]))
base = dict(os.environ)
out = {"environ": base, "results": []}
for path in files:
    result = {"values": [[k, v] for k, v in dotenv_values(path).items()], "raw": [[k, v] for k, v in dotenv_values(path, interpolate=False).items()]}
    for override in (False, True):
        os.environ.clear(); os.environ.update(base)
        load_dotenv(path, override=override)
        result["load_override" if override else "load"] = {k: v for k, v in os.environ.items() if base.get(k) != v or k not in base}
    os.environ.clear(); os.environ.update(base)
    out["results"].append(result)
print(json.dumps(out))
`;

interface OracleOutput {
  environ: Record<string, string>;
  results: { values: [string, string | null][]; raw: [string, string | null][]; load: Record<string, string>; load_override: Record<string, string> }[];
}

/** What load_dotenv leaves changed in os.environ, computed with our reader. */
function ourLoad(text: string, environ: Record<string, string>, override: boolean): Record<string, string> {
  const merged = mergeWithEnvironment(pythonDotenvValues(text, { environ, override }), { ...PYTHON_DOTENV, override }, environ);
  return Object.fromEntries(Object.entries(merged).filter(([key, value]) => environ[key] !== value));
}

const sorted = (entries: [string, string | null][]) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('.env reader and writer against the real python-dotenv', function () {
  this.timeout(600_000);
  let oracle: DotenvOracle;
  let dir: string;

  before(async function () {
    const found = await pythonDotenvOracle();
    if (found.python === undefined) throw new Error(found.reason);
    oracle = found;
    dir = mkdtempSync(join(tmpdir(), 'django-postgres-dotenv-oracle-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  async function askPythonDotenv(files: string[]): Promise<OracleOutput> {
    const list = join(dir, `files-${Date.now()}.json`);
    writeFileSync(list, JSON.stringify(files));
    // A controlled environment: two variables the files refer to, nothing else of the test runner's.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', PRE_SET: 'from-environ', EMPTY_SET: '' };
    const { stdout } = await run(oracle.python, ['-c', ORACLE_SCRIPT, list], { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    return JSON.parse(stdout) as OracleOutput;
  }

  it(`reads ${TRICKY_DOTENV_FILES.length} tricky files exactly as python-dotenv does (dotenv_values with and without interpolation, load_dotenv, load_dotenv(override=True))`, async () => {
    assert.ok(TRICKY_DOTENV_FILES.length >= 60);
    const files = TRICKY_DOTENV_FILES.map((content, i) => {
      const file = join(dir, `case-${i}.env`);
      writeFileSync(file, content, 'utf8');
      return file;
    });
    const answer = await askPythonDotenv(files);
    const mismatches: string[] = [];
    TRICKY_DOTENV_FILES.forEach((content, i) => {
      const expected = answer.results[i];
      const ours = [...pythonDotenvValues(content, { environ: answer.environ, override: true })];
      const checks: [string, unknown, unknown][] = [
        ['dotenv_values', sorted(ours), sorted(expected.values)],
        ['dotenv_values(interpolate=False)', sorted([...pythonDotenvValues(content, { environ: answer.environ, interpolate: false })]), sorted(expected.raw)],
        ['load_dotenv', ourLoad(content, answer.environ, false), expected.load],
        ['load_dotenv(override=True)', ourLoad(content, answer.environ, true), expected.load_override],
      ];
      for (const [call, got, want] of checks) {
        try {
          assert.deepEqual(got, want);
        } catch {
          mismatches.push(`${JSON.stringify(content)} ${call}: ours ${JSON.stringify(got)}, python-dotenv ${oracle.version} ${JSON.stringify(want)}`);
        }
      }
    });
    assert.deepEqual(mismatches, [], `python-dotenv ${oracle.version} from ${oracle.origin}`);
  });

  it('npm dotenv disagrees with python-dotenv on these files, which is why the project reads .env itself', async () => {
    const sample = ['A=x#y', 'U=postgres://u:p#ss@h/db', 'A="say \\"hi\\""', 'B=/srv\nA=${B}/x', 'A="C:\\\\dir"'];
    const files = sample.map((content, i) => {
      const file = join(dir, `npm-${i}.env`);
      writeFileSync(file, content);
      return file;
    });
    const answer = await askPythonDotenv(files);
    sample.forEach((content, i) => {
      const python = Object.fromEntries(answer.results[i].values);
      assert.notDeepEqual(npmDotenvParse(content), python, `npm dotenv agrees on ${JSON.stringify(content)}`);
      assert.deepEqual(Object.fromEntries(pythonDotenvValues(content, { environ: answer.environ, override: true })), python);
    });
  });

  it(`writes ${TRICKY_VALUES.length} tricky values that python-dotenv reads back identically, leaving the rest of the file byte for byte`, async () => {
    const prefix = '# settings for the shop\r\nexport DEBUG=1 # local only\nMULTI="line one\nline two"\n\n';
    const suffix = "\nLATER='q' # end\nTAIL=${DB_PASSWORD}\n";
    const files = TRICKY_VALUES.map((value, i) => {
      const file = join(dir, `write-${i}.env`);
      writeFileSync(file, `${prefix}DB_PASSWORD=old # keep this comment${suffix}`);
      writeDotenvVariable(file, 'DB_PASSWORD', value);
      return file;
    });
    const answer = await askPythonDotenv(files);
    const mismatches: string[] = [];
    TRICKY_VALUES.forEach((value, i) => {
      const values = Object.fromEntries(answer.results[i].values);
      if (values.DB_PASSWORD !== value) mismatches.push(`${JSON.stringify(value)} read back as ${JSON.stringify(values.DB_PASSWORD)}`);
      const text = readFileSync(files[i], 'utf8');
      const line = text.slice(prefix.length, text.length - suffix.length);
      if (!text.startsWith(prefix) || !text.endsWith(suffix) || !line.startsWith('DB_PASSWORD=') || !line.endsWith(' # keep this comment')) {
        mismatches.push(`${JSON.stringify(value)} changed other bytes: ${JSON.stringify(text)}`);
      }
      if (values.DEBUG !== '1' || values.MULTI !== 'line one\nline two' || values.LATER !== 'q') mismatches.push(`${JSON.stringify(value)} disturbed other variables`);
      // A later ${DB_PASSWORD} sees the value itself: the escaping never leaks into an expansion.
      if (values.TAIL !== value) mismatches.push(`${JSON.stringify(value)} expands later as ${JSON.stringify(values.TAIL)}`);
    });
    assert.deepEqual(mismatches, []);
  });
});

/** django-environ and python-decouple from Debian (pip's local cache has neither). */
const DEBIAN_READERS_SCRIPT = String.raw`
import json, os, sys, logging
logging.disable(logging.CRITICAL)
import environ, decouple
from importlib.metadata import version
files = json.load(open(sys.argv[1]))
base = dict(os.environ)
out = {"versions": {"django-environ": version("django-environ"), "python-decouple": version("python-decouple")}, "results": []}
for path in files:
    os.environ.clear(); os.environ.update(base)
    environ.Env.read_env(path)
    read = {k: v for k, v in os.environ.items() if k not in base}
    os.environ.clear(); os.environ.update(base)
    out["results"].append({"environ": read, "decouple": decouple.RepositoryEnv(path).data})
print(json.dumps(out))
`;

describe("django-environ and python-decouple readers against Debian's packages (neither is in pip's local cache)", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'django-postgres-dotenv-debian-')); });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it(`reads the ${TRICKY_DOTENV_FILES.length} tricky files as Debian's django-environ 0.4.4 (pre-0.10 rules) and python-decouple 3.6 do`, async () => {
    const files = TRICKY_DOTENV_FILES.map((content, i) => {
      const file = join(dir, `case-${i}.env`);
      writeFileSync(file, content, 'utf8');
      return file;
    });
    const list = join(dir, 'files.json');
    writeFileSync(list, JSON.stringify(files));
    const { stdout } = await run('/usr/bin/python3', ['-c', DEBIAN_READERS_SCRIPT, list], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, maxBuffer: 64 * 1024 * 1024 });
    const answer = JSON.parse(stdout) as { versions: Record<string, string>; results: { environ: Record<string, string>; decouple: Record<string, string> }[] };
    assert.equal(answer.versions['python-decouple'].split('.')[0], '3');
    const mismatches: string[] = [];
    TRICKY_DOTENV_FILES.forEach((content, i) => {
      const environ = Object.fromEntries(djangoEnvironValues(content, false, true));
      const decouple = Object.fromEntries(decoupleValues(content));
      if (!isDeepStrictEqual(environ, answer.results[i].environ)) mismatches.push(`django-environ ${JSON.stringify(content)}: ours ${JSON.stringify(environ)}, real ${JSON.stringify(answer.results[i].environ)}`);
      if (!isDeepStrictEqual(decouple, answer.results[i].decouple)) mismatches.push(`decouple ${JSON.stringify(content)}: ours ${JSON.stringify(decouple)}, real ${JSON.stringify(answer.results[i].decouple)}`);
    });
    assert.deepEqual(mismatches, [], JSON.stringify(answer.versions));
  });

  it(`writes the ${TRICKY_VALUES.length} tricky values for django-environ and decouple so that the real ones read them back, or refuses (line breaks)`, async () => {
    const cases = (['django-environ', 'decouple'] as const).flatMap((kind) => TRICKY_VALUES.map((value, i) => ({ kind, value, file: join(dir, `write-${kind}-${i}.env`) })));
    const refused: { kind: string; value: string }[] = [];
    const written = cases.filter(({ kind, value, file }) => {
      writeFileSync(file, '# shop\nDEBUG=1\nDB_PASSWORD=old\nLAST=q\n');
      try {
        writeDotenvVariable(file, 'DB_PASSWORD', value, { kind });
        return true;
      } catch (error) {
        assert.match((error as Error).message, /cannot be written so that the project's \.env reader reads it back unchanged/);
        refused.push({ kind, value });
        return false;
      }
    });
    const list = join(dir, 'written.json');
    writeFileSync(list, JSON.stringify(written.map((c) => c.file)));
    const { stdout } = await run('/usr/bin/python3', ['-c', DEBIAN_READERS_SCRIPT, list], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, maxBuffer: 64 * 1024 * 1024 });
    const answer = JSON.parse(stdout) as { results: { environ: Record<string, string>; decouple: Record<string, string> }[] };
    const mismatches = written.flatMap(({ kind, value }, i) => {
      const read = kind === 'django-environ' ? answer.results[i].environ : answer.results[i].decouple;
      return read.DB_PASSWORD === value && read.DEBUG === '1' && read.LAST === 'q' ? [] : [`${kind} ${JSON.stringify(value)} read back as ${JSON.stringify(read)}`];
    });
    assert.deepEqual(mismatches, []);
    // Neither reader has multi-line values or escapes for a line break: those are the values refused.
    // eslint-disable-next-line no-control-regex -- Python's line breaks include FS, GS and RS
    for (const { kind, value } of refused) assert.match(value, /[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]/, `${kind} refused ${JSON.stringify(value)}`);
  });
});
