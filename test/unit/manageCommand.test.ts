import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  MANAGE_VARIANTS, buildManageArgs, describeManageOutcome, manageVariant, planManageRun, shellFlavorOf, shellLine,
} from '../../server/src/project/manageCommand';

describe('manage.py variants', () => {
  it('builds the argv of every variant', () => {
    assert.deepEqual(buildManageArgs('migrate'), ['migrate']);
    assert.deepEqual(buildManageArgs('migrateDatabase', { alias: 'replica' }), ['migrate', '--database', 'replica']);
    assert.deepEqual(buildManageArgs('migrateApp', { app: 'items' }), ['migrate', 'items']);
    assert.deepEqual(buildManageArgs('migrateApp', { app: 'items', alias: 'other' }), ['migrate', 'items', '--database', 'other']);
    assert.deepEqual(buildManageArgs('migratePlan'), ['migrate', '--plan']);
    assert.deepEqual(buildManageArgs('showmigrations', { alias: 'other' }), ['showmigrations', '--database', 'other']);
    assert.deepEqual(buildManageArgs('makemigrationsCheck'), ['makemigrations', '--check', '--dry-run']);
    assert.deepEqual(buildManageArgs('checkConnection'), ['check', '--database', 'default']);
    assert.deepEqual(buildManageArgs('checkConnection', { alias: 'analytics' }), ['check', '--database', 'analytics']);
  });

  it('refuses an alias or app label that manage.py would read as an option', () => {
    assert.throws(() => buildManageArgs('migrateDatabase', { alias: '--fake' }), /not a DATABASES alias/);
    assert.throws(() => buildManageArgs('migrateApp', { app: '--fake-initial' }), /not an app label/);
    assert.throws(() => buildManageArgs('migrateApp', {}), /not an app label/);
  });

  it('lists each variant once, with a label for the picker', () => {
    assert.equal(new Set(MANAGE_VARIANTS.map((v) => v.id)).size, MANAGE_VARIANTS.length);
    assert.equal(manageVariant('checkConnection').label, 'Check connection with Django');
    assert.equal(manageVariant('migratePlan').changesDatabase, false);
  });
});

describe('planManageRun', () => {
  const secret = "s3cr'et $HOME `id` \"x\"";
  const plan = planManageRun({
    python: { argv: ['uv', 'run', 'python'], reason: 'test' },
    managePy: '/ws/shop/manage.py',
    variant: 'checkConnection',
    target: { alias: 'default' },
    dotenv: { DB_PASSWORD: secret, DB_NAME: 'shop' },
    settingsModule: 'config.settings.dev',
  });

  it('runs manage.py from its folder with the project Python', () => {
    assert.deepEqual(plan.argv, ['uv', 'run', 'python', 'manage.py', 'check', '--database', 'default']);
    assert.equal(plan.cwd, '/ws/shop');
  });

  it('passes .env variables and the picked settings module through the environment only', () => {
    assert.deepEqual(plan.env, { DB_PASSWORD: secret, DB_NAME: 'shop', DJANGO_SETTINGS_MODULE: 'config.settings.dev' });
    for (const flavor of ['posix', 'powershell', 'cmd'] as const) {
      assert.ok(!shellLine(plan.argv, flavor).includes('s3cr'), `${flavor} line leaks the password`);
    }
  });

  it('leaves DJANGO_SETTINGS_MODULE to manage.py when none was picked', () => {
    const plain = planManageRun({ python: { argv: ['python3'], reason: '' }, managePy: '/p/manage.py', variant: 'migrate' });
    assert.deepEqual(plain.env, {});
  });
});

describe('shellLine', () => {
  const awkward = ['/opt/my env/bin/python', 'manage.py', 'migrate', '--database', "o'brien $x;rm -rf `a`"];

  it('quotes for POSIX shells so that sh gets the exact argv back', () => {
    const line = shellLine(awkward, 'posix');
    assert.equal(line, `'/opt/my env/bin/python' manage.py migrate --database 'o'\\''brien $x;rm -rf \`a\`'`);
    const echoed = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${shellLine(awkward.slice(1), 'posix')}`], { encoding: 'utf8' });
    assert.deepEqual(echoed.trimEnd().split('\n'), awkward.slice(1));
  });

  it('quotes for PowerShell and calls a quoted program with &', () => {
    assert.equal(shellLine(awkward, 'powershell'),
      `& '/opt/my env/bin/python' manage.py migrate --database 'o''brien $x;rm -rf \`a\`'`);
    assert.equal(shellLine(['C:\\venv\\python.exe', 'manage.py', 'migrate'], 'powershell'), 'C:\\venv\\python.exe manage.py migrate');
    assert.equal(shellLine(['python', 'a,b', '@x', '-c:1'], 'powershell'), "python 'a,b' '@x' '-c:1'");
  });

  it('refuses what cmd.exe cannot quote', () => {
    assert.equal(shellLine(['C:\\Py 3\\python.exe', 'manage.py'], 'cmd'), '"C:\\Py 3\\python.exe" manage.py');
    assert.throws(() => shellLine(['python', '100%'], 'cmd'), /PowerShell/);
  });

  it('recognises the shell of a terminal', () => {
    assert.equal(shellFlavorOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'powershell');
    assert.equal(shellFlavorOf('C:\\Windows\\System32\\cmd.exe'), 'cmd');
    assert.equal(shellFlavorOf('/bin/zsh'), 'posix');
    assert.equal(shellFlavorOf(undefined, 'win32'), 'powershell');
  });
});

describe('describeManageOutcome', () => {
  const migrate = manageVariant('migrate');

  it('reports success, failure with the exit code, and an unknown result', () => {
    assert.deepEqual(describeManageOutcome(migrate, 'shop', 0), { severity: 'info', message: 'manage.py migrate succeeded for shop.' });
    const failed = describeManageOutcome(migrate, 'shop', 1);
    assert.equal(failed.severity, 'error');
    assert.match(failed.message, /failed for shop \(exit code 1\)/);
    const unknown = describeManageOutcome(manageVariant('checkConnection'), 'shop', undefined);
    assert.equal(unknown.severity, 'warning');
    assert.match(unknown.message, /cannot tell whether it succeeded/);
  });
});
