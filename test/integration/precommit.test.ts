// The pre-commit hook as a team uses it: `pre-commit try-repo` this repository's .pre-commit-hooks.yaml on a
// sample Git repository, with pre-commit from pip and the django-postgres command npm installed (npm pack, then
// npm install -g of the tarball) running on the machine's node.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { installedPackage, REPO_ROOT } from '../support/npmPackage';
import { preCommitCommand } from '../support/python';

const BAD = `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'OPTIONS': {'sslmode': 'requre'},
    }
}
`;

describe('pre-commit hook (.pre-commit-hooks.yaml)', function () {
  this.timeout(600_000);
  let sample: string;
  let runHook: () => { status: number | null; output: string };

  before(async () => {
    const [preCommit, { prefix }] = await Promise.all([preCommitCommand(), installedPackage()]);
    sample = mkdtempSync(join(tmpdir(), 'dpg-precommit-'));
    const git = (...args: string[]) => {
      const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: sample, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    };
    git('init', '-q');
    mkdirSync(join(sample, 'mysite'));
    writeFileSync(join(sample, 'mysite', 'settings.py'), BAD);
    writeFileSync(join(sample, 'mysite', 'views.py'), 'def index(request):\n    return None\n');
    writeFileSync(join(sample, 'README.md'), 'sslmode: requre is only prose here\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'sample');
    const env = {
      ...process.env,
      // The installed command first on PATH; pre-commit's own cache in the scratch folder.
      PATH: [join(prefix, 'bin'), process.env.PATH].join(delimiter),
      PRE_COMMIT_HOME: join(sample, '.pre-commit-home'),
      PRE_COMMIT_COLOR: 'never',
    };
    runHook = () => {
      const result = spawnSync(preCommit[0], [...preCommit.slice(1), 'try-repo', REPO_ROOT, 'django-postgres', '--all-files'], { cwd: sample, env, encoding: 'utf8', timeout: 300_000 });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };
  });

  it('fails the commit on a bad sslmode in the settings, naming file, line and code', () => {
    const { status, output } = runHook();
    assert.equal(status, 1, output);
    assert.match(output, /django-postgres check\.+Failed/);
    assert.match(output, /mysite\/settings\.py:5:32 error DPG102 Invalid sslmode value 'requre'/);
    assert.ok(!output.includes('README'), 'only Python files are handed to the hook');
  });

  it('passes once the settings are fixed', () => {
    writeFileSync(join(sample, 'mysite', 'settings.py'), BAD.replace('requre', 'require'));
    const { status, output } = runHook();
    assert.equal(status, 0, output);
    assert.match(output, /django-postgres check\.+Passed/);
  });
});
