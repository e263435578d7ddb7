import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsModelOf } from '../../server/src/model/settingsModel';
import { resolveSettingsFile, SettingsLoader } from '../../server/src/model/resolve';
import type { EffectiveAlias, PyValue, SettingsModel } from '../../server/src/model/types';
import { PythonSource } from '../../server/src/model/python';

const noEnv = { process: {}, dotenv: {} };

function alias(model: SettingsModel, name = 'default'): EffectiveAlias {
  const found = model.aliases.find((a) => a.alias === name);
  assert.ok(found, `alias ${name} not found; have ${model.aliases.map((a) => a.alias).join(', ')}`);
  return found;
}

function valueOf(a: EffectiveAlias, key: string, where: 'entries' | 'options' | 'test' = 'entries'): PyValue {
  const entry = a[where].get(key);
  assert.ok(entry, `${where}.${key} missing; have ${[...a[where].keys()].join(', ')}`);
  return entry.entry.value;
}

const GUIDE_BLOCK = `
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "mysite"),
        "USER": os.environ.get("DB_USER", "mysite"),
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": os.getenv("DB_HOST", "localhost"),
        "PORT": int(os.environ.get("DB_PORT", 5432)),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "sslmode": "require",
            "connect_timeout": 10,
            "options": "-c statement_timeout=30000",
        },
    }
}
`;

describe('settings model', () => {
  it('reads the guide block: literals, os.environ.get, os.environ[], os.getenv, int(...) casts and OPTIONS', () => {
    const model = settingsModelOf(GUIDE_BLOCK);
    assert.equal(model.hasDatabases, true);
    const db = alias(model);
    assert.deepEqual(pick(valueOf(db, 'ENGINE')), { kind: 'string', value: 'django.db.backends.postgresql' });
    const name = valueOf(db, 'NAME');
    assert.equal(name.kind, 'env');
    assert.equal(name.kind === 'env' && name.variable, 'DB_NAME');
    assert.equal(name.kind === 'env' && name.style, 'os.environ.get');
    assert.equal(name.kind === 'env' && name.default?.kind === 'string' && name.default.value, 'mysite');
    const password = valueOf(db, 'PASSWORD');
    assert.equal(password.kind === 'env' && password.style, 'os.environ[]');
    assert.equal(valueOf(db, 'HOST').kind === 'env' && (valueOf(db, 'HOST') as { style: string }).style, 'os.getenv');
    const port = valueOf(db, 'PORT');
    assert.equal(port.kind === 'env' && port.cast, 'int');
    assert.deepEqual(pick(valueOf(db, 'CONN_HEALTH_CHECKS')), { kind: 'bool', value: true });
    assert.deepEqual(pick(valueOf(db, 'sslmode', 'options')), { kind: 'string', value: 'require' });
    assert.deepEqual(pick(valueOf(db, 'connect_timeout', 'options')), { kind: 'number', value: 10 });
    assert.deepEqual(model.dicts.map((d) => d.role), ['databases', 'entry', 'options']);
  });

  it('gives each key and value its exact range in the file', () => {
    const model = settingsModelOf(GUIDE_BLOCK);
    const entry = alias(model).options.get('sslmode')!.entry;
    assert.equal(GUIDE_BLOCK.slice(entry.keySpan.from, entry.keySpan.to), '"sslmode"');
    assert.equal(GUIDE_BLOCK.slice(entry.value.span.from, entry.value.span.to), '"require"');
    assert.equal(entry.keyQuote, '"');
  });

  it('follows environ.get imported from os, django-environ and python-decouple', () => {
    const model = settingsModelOf(`
from os import environ
import environ as django_environ
from decouple import config
env = django_environ.Env()
DATABASES = {'default': {
  'NAME': environ.get('DB_NAME'),
  'USER': env('DB_USER', default='app'),
  'HOST': env.str('DB_HOST', 'localhost'),
  'PORT': config('DB_PORT', default=5432, cast=int),
  'CONN_MAX_AGE': env.int('CONN_MAX_AGE', default=0),
}}`);
    const db = alias(model);
    const styles = ['NAME', 'USER', 'HOST', 'PORT', 'CONN_MAX_AGE'].map((k) => {
      const v = valueOf(db, k);
      return v.kind === 'env' ? [v.style, v.variable, v.cast ?? null, v.default ? (pick(v.default) as { value: unknown }).value : null] : v.kind;
    });
    assert.deepEqual(styles, [
      ['os.environ.get', 'DB_NAME', null, null],
      ['django-environ', 'DB_USER', null, 'app'],
      ['django-environ', 'DB_HOST', 'str', 'localhost'],
      ['decouple', 'DB_PORT', 'int', 5432],
      ['django-environ', 'CONN_MAX_AGE', 'int', 0],
    ]);
  });

  it('reads dj_database_url.config(...) with its keyword arguments mapped to DATABASES keys', () => {
    const model = settingsModelOf(`
import dj_database_url
DATABASES = {'default': dj_database_url.config(default='postgres://app@localhost/app', conn_max_age=600, conn_health_checks=True, ssl_require=True)}
`);
    const db = alias(model);
    assert.equal(db.databaseUrl?.style, 'dj_database_url.config');
    assert.equal(db.databaseUrl?.variable, 'DATABASE_URL');
    assert.deepEqual(pick(db.databaseUrl!.url!), { kind: 'string', value: 'postgres://app@localhost/app' });
    assert.deepEqual(pick(valueOf(db, 'CONN_MAX_AGE')), { kind: 'number', value: 600 });
    assert.deepEqual(pick(valueOf(db, 'CONN_HEALTH_CHECKS')), { kind: 'bool', value: true });
    assert.deepEqual(pick(valueOf(db, 'sslmode', 'options')), { kind: 'string', value: 'require' });
  });

  it('reads dj_database_url.parse(os.environ[...]) and django-environ env.db()', () => {
    const parsed = alias(settingsModelOf(`import os, dj_database_url\nDATABASES = {'default': dj_database_url.parse(os.environ.get('PRIMARY_URL', 'postgres://a@b/c'))}`));
    assert.equal(parsed.databaseUrl?.style, 'dj_database_url.parse');
    assert.equal(parsed.databaseUrl?.variable, 'PRIMARY_URL');
    const viaEnv = settingsModelOf(`import environ\nenv = environ.Env()\nDATABASES = {'default': env.db(), 'replica': env.db('REPLICA_URL', default='postgres://r@h/db')}`);
    assert.equal(alias(viaEnv).databaseUrl?.style, 'env.db');
    assert.equal(alias(viaEnv).databaseUrl?.variable, 'DATABASE_URL');
    assert.equal(alias(viaEnv, 'replica').databaseUrl?.variable, 'REPLICA_URL');
  });

  it('reads dict(default=dict(...)) in keyword form', () => {
    const model = settingsModelOf(`DATABASES = dict(default=dict(ENGINE='django.db.backends.postgresql', NAME='app', OPTIONS=dict(sslmode='verify-full')))`);
    const db = alias(model);
    assert.deepEqual(pick(valueOf(db, 'NAME')), { kind: 'string', value: 'app' });
    assert.deepEqual(pick(valueOf(db, 'sslmode', 'options')), { kind: 'string', value: 'verify-full' });
    assert.equal(db.options.get('sslmode')!.entry.origin, 'keyword');
    assert.ok(model.dicts.every((d) => d.dict.form === 'call'));
  });

  it('follows later item assignments, .update() and |=', () => {
    const model = settingsModelOf(`
DATABASES = {'default': {'NAME': 'a', 'OPTIONS': {'sslmode': 'disable'}}}
DATABASES['default']['OPTIONS'] = {'sslmode': 'require'}
DATABASES['default']['CONN_MAX_AGE'] = 300
DATABASES['default'].update({'HOST': 'db.internal'})
DATABASES['default']['OPTIONS'] |= {'connect_timeout': 5}
DATABASES['default']['OPTIONS']['application_name'] = 'web'
DATABASES |= {'replica': {'NAME': 'r'}}
DATABASES.update(analytics={'NAME': 'x'})
`);
    const db = alias(model);
    assert.deepEqual(pick(valueOf(db, 'sslmode', 'options')), { kind: 'string', value: 'require' });
    assert.deepEqual(pick(valueOf(db, 'CONN_MAX_AGE')), { kind: 'number', value: 300 });
    assert.deepEqual(pick(valueOf(db, 'HOST')), { kind: 'string', value: 'db.internal' });
    assert.deepEqual(pick(valueOf(db, 'connect_timeout', 'options')), { kind: 'number', value: 5 });
    assert.deepEqual(pick(valueOf(db, 'application_name', 'options')), { kind: 'string', value: 'web' });
    assert.equal(db.options.get('application_name')!.entry.origin, 'subscript');
    assert.deepEqual(model.aliases.map((a) => a.alias), ['default', 'replica', 'analytics']);
    assert.equal(model.computed.length, 0);
  });

  it('treats every branch of if/else and try/except as a candidate', () => {
    const model = settingsModelOf(`
if DEBUG:
    DATABASES = {'default': {'HOST': 'localhost'}}
else:
    DATABASES = {'default': {'HOST': 'db.prod', 'OPTIONS': {'sslmode': 'verify-full'}}}
try:
    from .local import *
except ImportError:
    pass
`);
    const entries = model.dicts.filter((d) => d.role === 'entry');
    assert.equal(entries.length, 2);
    assert.notEqual(entries[0].branch, entries[1].branch);
    assert.deepEqual(pick(valueOf(alias(model), 'HOST')), { kind: 'string', value: 'db.prod' });
  });

  it('recognises a for loop over DATABASES.items() as computed, not as settings', () => {
    const model = settingsModelOf(`
DATABASES = {'default': {'NAME': 'a', 'CONN_MAX_AGE': 0}}
for alias, db in DATABASES.items():
    db["CONN_MAX_AGE"] = 300
`);
    assert.deepEqual(model.aliases.map((a) => a.alias), ['default']);
    assert.deepEqual(pick(valueOf(alias(model), 'CONN_MAX_AGE')), { kind: 'number', value: 0 });
    assert.equal(model.computed.length, 1);
    assert.match(model.computed[0].reason, /for loop/);
    assert.equal(alias(model).computedChanges.length, 1);
    assert.ok(!model.dicts.some((d) => d.alias === 'db'));
  });

  it('follows a local name bound to an alias and a module-level dict used as a value', () => {
    const model = settingsModelOf(`
PRIMARY = {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'p'}
DATABASES = {'default': PRIMARY}
default = DATABASES['default']
default['OPTIONS'] = {'sslmode': 'require'}
`);
    const db = alias(model);
    assert.deepEqual(pick(valueOf(db, 'NAME')), { kind: 'string', value: 'p' });
    assert.deepEqual(pick(valueOf(db, 'sslmode', 'options')), { kind: 'string', value: 'require' });
  });

  it('lets production.py see what base.py set through from .base import *, then replace OPTIONS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-split-'));
    const pkg = join(dir, 'config', 'settings');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '__init__.py'), '');
    writeFileSync(join(pkg, 'base.py'), `import os\nUSE_TZ = True\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ.get('DB_NAME', 'app'), 'OPTIONS': {'sslmode': 'prefer'}}}\n`);
    writeFileSync(join(pkg, 'production.py'), `from .base import *\nDATABASES['default']['OPTIONS'] = {'sslmode': 'verify-full', 'sslrootcert': '/etc/ssl/rds.pem'}\n`);
    const loader = new SettingsLoader();
    const model = loader.load(join(pkg, 'production.py'))!;
    assert.equal(model.hasDatabases, true);
    assert.deepEqual(model.starImports, [join(pkg, 'base.py')]);
    const db = alias(model);
    assert.equal(db.entries.get('NAME')!.file, join(pkg, 'base.py'));
    assert.deepEqual(pick(valueOf(db, 'sslmode', 'options')), { kind: 'string', value: 'verify-full' });
    assert.equal(db.options.get('sslmode')!.file, undefined);
    assert.equal(db.options.has('sslrootcert'), true);
    assert.deepEqual(pick(model.globals.get('USE_TZ')!), { kind: 'bool', value: true });

    const resolved = resolveSettingsFile(join(pkg, 'production.py'), { process: { DB_NAME: 'from_env' }, dotenv: {} }, loader);
    assert.equal(resolved[0].name.value, 'from_env');
    assert.equal(resolved[0].name.source, 'environment');
  });

  it('keeps a half-typed file readable: an unclosed brace and a key with no value', () => {
    const text = `import os
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'OPTIONS': {
            'sslmode': ,
            'conn
    }
DEBUG = True
`;
    const model = settingsModelOf(text);
    const db = alias(model);
    assert.deepEqual(pick(valueOf(db, 'ENGINE')), { kind: 'string', value: 'django.db.backends.postgresql' });
    assert.ok(db.options.has('sslmode'));
    const options = model.dicts.find((d) => d.role === 'options')!;
    assert.equal(options.dict.incomplete, true);
  });

  it('parses incrementally and gives the same model as a fresh parse', () => {
    const first = PythonSource.parse(GUIDE_BLOCK);
    const at = GUIDE_BLOCK.indexOf('"require"');
    const next = GUIDE_BLOCK.slice(0, at) + '"verify-full"' + GUIDE_BLOCK.slice(at + '"require"'.length);
    const edited = first.edit(next, [{ from: at, to: at + '"require"'.length, insertedLength: '"verify-full"'.length }]);
    assert.equal(edited.tree.toString(), PythonSource.parse(next).tree.toString());
  });

  it('resolves lookups: process environment first, then .env, then the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpg-resolve-'));
    const file = join(dir, 'settings.py');
    writeFileSync(file, GUIDE_BLOCK);
    const [db] = resolveSettingsFile(file, { process: { DB_NAME: 'proc' }, dotenv: { DB_NAME: 'dot', DB_USER: 'dotuser', DB_PASSWORD: 's3cret' } });
    assert.deepEqual([db.name.value, db.name.source], ['proc', 'environment']);
    assert.deepEqual([db.user.value, db.user.source], ['dotuser', 'dotenv']);
    assert.deepEqual([db.host.value, db.host.source], ['localhost', 'default']);
    assert.deepEqual([db.port.value, db.port.source], [5432, 'default']);
    assert.equal(db.password.value, 's3cret');
    assert.equal(db.options.sslmode.value, 'require');
    const [missing] = resolveSettingsFile(file, noEnv);
    assert.deepEqual([missing.password.value, missing.password.source], [null, 'missing']);
  });
});

/** The user-visible part of a value, without ranges. */
function pick(value: PyValue): object {
  if (value.kind === 'string' || value.kind === 'number' || value.kind === 'bool') return { kind: value.kind, value: value.value };
  return { kind: value.kind };
}

describe('settings model on large files (selective parsing)', () => {
  const TRICKY = `import os
import environ
env = environ.Env()
PRIMARY = {'ENGINE': 'django.db.backends.postgresql', 'NAME': env('DB_NAME', default='app')}
USE_TZ = False
DATABASES = {'default': PRIMARY, 'replica': {'NAME': "r'#{", 'OPTIONS': {'options': '''-c search_path=a,\\\\ b
'''}}}
default = DATABASES['default']
default['OPTIONS'] = {'sslmode': 'require'}
if os.environ.get('CI'):
    DATABASES['replica']['TEST'] = {'MIRROR': 'default'}
for alias, db in DATABASES.items():
    db['CONN_MAX_AGE'] = 60
`;
  const filler = (n: number, seed: string) =>
    Array.from({ length: n }, (_, i) => `FLAG_${seed}_${i} = {"a": "${'x'.repeat(20)}", "b": [1, 2, 3]}  # comment with DATABASE in it\n`).join('');
  const shape = (model: SettingsModel, shift: number) => ({
    aliases: model.aliases.map((a) => ({
      alias: a.alias,
      entries: [...a.entries.keys()],
      options: [...a.options.entries()].map(([k, v]) => [k, v.entry.value.span.from - shift]),
      test: [...a.test.keys()],
      computed: a.computedChanges.length,
    })),
    dicts: model.dicts.map((d) => [d.role, d.alias, d.dict.span.from - shift]),
    useTz: model.globals.get('USE_TZ')?.kind,
  });

  it('reads a 100 KB+ file exactly as the same settings without the filler', () => {
    const small = settingsModelOf(TRICKY);
    const before = filler(800, 'a');
    const big = before + TRICKY + filler(800, 'b') + 'def f():\n    """DATABASES = {"x": 1}"""\n    return 1\n';
    assert.ok(big.length > 100_000);
    assert.deepEqual(shape(settingsModelOf(big), before.length), shape(small, 0));
  });

  it('keeps incremental edits on a large file equal to a fresh parse', () => {
    const text = filler(900, 'c') + TRICKY;
    const at = text.indexOf("'require'");
    const next = text.slice(0, at) + "'verify-full'" + text.slice(at + "'require'".length);
    const edited = PythonSource.parse(text).edit(next, [{ from: at, to: at + "'require'".length, insertedLength: "'verify-full'".length }]);
    assert.equal(edited.tree.toString(), PythonSource.parse(next).tree.toString());
  });
});
