// New Django Project on PostgreSQL, as planned: the commands for uv and for pip, the names it accepts,
// the files it refuses to overwrite, and startproject's settings turned into DATABASES reading .env.
import { strict as assert } from 'node:assert';
import { checkSettings } from '../../server/src/diagnostics';
import { PythonSource } from '../../server/src/model/python';
import { settingsModelOf } from '../../server/src/model/settingsModel';
import {
  existingConflicts, planNewProject, postgresSettings, projectDotenv, projectNameProblem, suggestedProjectName,
} from '../../server/src/project/newProject';

/** The parts of Django 5.2's startproject settings.py that matter here. */
const STARTPROJECT_SETTINGS = `"""
Django settings for shop project.
"""

from pathlib import Path

# Build paths inside the project like this: BASE_DIR / 'subdir'.
BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = 'django-insecure-x'
DEBUG = True

# Database
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    }
}

USE_TZ = True
`;

describe('New Django Project on PostgreSQL: the plan', () => {
  it('uses uv init and uv add when uv is there, and skips uv init in an existing uv project', () => {
    const plan = planNewProject('/p/shop', 'shop', 'uv', { exists: () => false, platform: 'linux' });
    assert.deepEqual(plan.steps.map((s) => s.argv.join(' ')), [
      'uv init --name shop', 'uv add django psycopg[binary] python-dotenv', 'uv run python -m django startproject shop .',
    ]);
    const inProject = planNewProject('/p/shop', 'shop', 'uv', { exists: (p) => p.endsWith('pyproject.toml'), platform: 'linux' });
    assert.equal(inProject.steps[0].argv.join(' '), 'uv add django psycopg[binary] python-dotenv');
  });

  it('else makes a .venv and installs with its pip', () => {
    const plan = planNewProject('/p/shop', 'shop', 'pip', { exists: () => false, platform: 'linux' });
    assert.deepEqual(plan.steps.map((s) => s.argv.join(' ')), [
      'python3 -m venv .venv',
      '/p/shop/.venv/bin/python -m pip install --disable-pip-version-check django psycopg[binary] python-dotenv',
      '/p/shop/.venv/bin/python -m django startproject shop .',
    ]);
    assert.equal(plan.settingsFile, '/p/shop/shop/settings.py');
  });

  it('accepts package names only, suggests one from the folder, and lists what it would overwrite', () => {
    assert.equal(projectNameProblem('shop'), undefined);
    assert.match(projectNameProblem('my-shop')!, /letters, digits and underscores/);
    assert.match(projectNameProblem('django')!, /shadow/);
    assert.equal(suggestedProjectName('/home/me/My Shop'), 'my_shop');
    assert.equal(suggestedProjectName('/home/me/2024'), 'site_2024');
    assert.deepEqual(existingConflicts('/p', 'shop', (p) => p === '/p/manage.py'), ['manage.py']);
  });

  it('turns startproject settings into DATABASES reading the environment, loading .env, with no problem reported', () => {
    const text = postgresSettings(STARTPROJECT_SETTINGS);
    assert.doesNotMatch(text, /sqlite3/);
    assert.match(text, /^import os\n\nfrom dotenv import load_dotenv\nfrom pathlib import Path$/m);
    assert.match(text, /^BASE_DIR = .*\n\n# Connection values .*\nload_dotenv\(BASE_DIR \/ '\.env'\)$/m);
    assert.match(text, /"PASSWORD": os\.environ\["DB_PASSWORD"\]/);
    const findings = checkSettings({ file: 'settings.py', src: PythonSource.parse(text), model: settingsModelOf(text), settings: { ignore: [], targetLibpqVersion: 13 } });
    assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.message), []);
  });

  it('generates a .env with a fresh password, host and port following PGHOST/PGPORT', () => {
    const a = Object.fromEntries(projectDotenv('shop', {}));
    const b = Object.fromEntries(projectDotenv('shop', { PGHOST: '127.0.0.1', PGPORT: '6543' }));
    assert.deepEqual({ ...a, DB_PASSWORD: '' }, { DB_NAME: 'shop', DB_USER: 'shop', DB_PASSWORD: '', DB_HOST: 'localhost', DB_PORT: '5432' });
    assert.match(a.DB_PASSWORD, /^[\w-]{24}$/);
    assert.notEqual(a.DB_PASSWORD, b.DB_PASSWORD);
    assert.equal(b.DB_HOST, '127.0.0.1');
    assert.equal(b.DB_PORT, '6543');
  });
});
