import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dotenvLine, ensureGitignored, findDotenv, gitignoreIgnores, readDotenv, writeDotenvVariable } from '../../server/src/project/dotenv';

describe('.env files', () => {
  let dir: string;
  let envFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'django-postgres-dotenv-'));
    envFile = join(dir, '.env');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads variables as python-dotenv does, and nothing when the file is missing', () => {
    assert.equal(readDotenv(envFile), undefined);
    writeFileSync(envFile, '# db\nDB_NAME=shop\nexport DB_USER="shop owner"\nDB_PORT=5433 # local\n');
    assert.deepEqual(readDotenv(envFile), { DB_NAME: 'shop', DB_USER: 'shop owner', DB_PORT: '5433' });
  });

  it('finds the .env next to manage.py, else the nearest one inside the workspace', () => {
    const project = join(dir, 'src', 'shop');
    mkdirSync(project, { recursive: true });
    const managePy = join(project, 'manage.py');
    assert.equal(findDotenv(managePy, dir), undefined);
    writeFileSync(envFile, 'A=1\n');
    assert.equal(findDotenv(managePy, dir), envFile);
    assert.equal(findDotenv(managePy, project), undefined, 'looked above the workspace folder');
    writeFileSync(join(project, '.env'), 'A=2\n');
    assert.equal(findDotenv(managePy, dir), join(project, '.env'));
  });

  it('creates the file, readable by its owner only', () => {
    writeDotenvVariable(envFile, 'DB_PASSWORD', 'pw');
    assert.equal(readFileSync(envFile, 'utf8'), 'DB_PASSWORD=pw\n');
    if (process.platform !== 'win32') assert.equal(statSync(envFile).mode & 0o777, 0o600);
  });

  it('rewrites every assignment of the variable in place (as python-dotenv\'s set_key), keeping export, comments and every other byte', () => {
    writeFileSync(envFile, '# settings\nDB_NAME=shop\nexport DB_PASSWORD=old # rotated monthly\nDB_HOST=127.0.0.1\nDB_PASSWORD="also\nold"\nLAST=1');
    writeDotenvVariable(envFile, 'DB_PASSWORD', 'new');
    assert.equal(readFileSync(envFile, 'utf8'), '# settings\nDB_NAME=shop\nexport DB_PASSWORD=new # rotated monthly\nDB_HOST=127.0.0.1\nDB_PASSWORD=new\nLAST=1');
  });

  it('keeps a byte-order mark, CRLF, a statement python-dotenv rejects and a multi-line value around the one it rewrites', () => {
    const before = '\ufeffA=1\r\nDB_PASSWORD="x" junk\r\nM="l1\r\nl2"\r\nexport  DB_PASSWORD = \'old\'   # note\r\nZ=${DB_PASSWORD}\r\n';
    writeFileSync(envFile, before);
    writeDotenvVariable(envFile, 'DB_PASSWORD', 'p#ss "q" ${x}\\');
    const after = readFileSync(envFile, 'utf8');
    assert.equal(after, before.replace("DB_PASSWORD = 'old'", 'DB_PASSWORD="p#ss \\"q\\" ${:-$}{x}\\\\${:-}"'));
    assert.deepEqual(readDotenv(envFile), { A: '1', M: 'l1\nl2', DB_PASSWORD: 'p#ss "q" ${x}\\', Z: 'p#ss "q" ${x}\\' });
  });

  it('quotes for the reader it writes for: compose and decouple take single quotes literally', () => {
    assert.equal(dotenvLine('P', 'pa$word', { kind: 'compose' }), "P='pa$word'");
    assert.equal(dotenvLine('P', ' padded ', { kind: 'decouple' }), "P=' padded '");
    assert.equal(dotenvLine('P', 'a\\b', { kind: 'django-environ' }), 'P="a\\\\b"');
    assert.throws(() => dotenvLine('P', 'two\nlines', { kind: 'decouple' }), /reads it back unchanged/);
  });

  it('appends a missing variable and keeps CRLF line endings', () => {
    writeFileSync(envFile, 'DB_NAME=shop\r\nDB_USER=shop\r\n');
    writeDotenvVariable(envFile, 'DB_PORT', '5433');
    assert.equal(readFileSync(envFile, 'utf8'), 'DB_NAME=shop\r\nDB_USER=shop\r\nDB_PORT=5433\r\n');
  });

  it('writes awkward values so that our python-dotenv reader reads them back exactly', () => {
    const values = ['', 'plain', 'with space', "it's", 'a#hash', ' padded ', 'q"uote', "b'oth\"", 'back\\slash', 'two\nlines', '$HOME', "mix'`\""];
    for (const value of values) {
      writeDotenvVariable(envFile, 'V', value);
      writeDotenvVariable(envFile, 'AFTER', 'x');
      assert.deepEqual(readDotenv(envFile), { V: value, AFTER: 'x' }, JSON.stringify(value));
    }
  });

  it('refuses names and values it cannot write faithfully', () => {
    assert.throws(() => dotenvLine('DB-PASSWORD', 'x'), /not a valid environment variable name/);
    assert.throws(() => dotenvLine('V', 'a\0b'), /NUL/);
    assert.equal(dotenvLine('V', "a'b`c\"d\ne"), 'V="a\'b`c\\"d\\ne"');
  });
});

describe('.gitignore', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'django-postgres-gitignore-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates .gitignore, appends to one that lacks the entry, and leaves one that has it', () => {
    const gitignore = join(dir, '.gitignore');
    assert.equal(ensureGitignored(dir, '.env'), 'created');
    assert.equal(readFileSync(gitignore, 'utf8'), '.env\n');
    assert.equal(ensureGitignored(dir, '.env'), 'already-ignored');
    writeFileSync(gitignore, 'node_modules/\n*.pyc');
    assert.equal(ensureGitignored(dir, '.env'), 'added');
    assert.equal(readFileSync(gitignore, 'utf8'), 'node_modules/\n*.pyc\n.env\n');
  });

  it('understands the usual ways of ignoring .env, and negations', () => {
    for (const rules of ['.env', '/.env', '**/.env', '.env*', '*.env', '.e?v']) assert.ok(gitignoreIgnores(rules, '.env'), rules);
    for (const rules of ['.env/', '.envrc', 'config/.env', '.env\n!.env', '# .env']) assert.ok(!gitignoreIgnores(rules, '.env'), rules);
  });
});
