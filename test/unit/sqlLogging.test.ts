// SQL logging: "Toggle SQL Logging" adds the snippet's block and removes it again, leaving the module as
// it was; DPG310 points at the logger turned on outside `if DEBUG:` in a module production loads.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSettings } from '../../server/src/diagnostics';
import { sqlLoggingBlock } from '../../server/src/features/sqlLogging';
import { toggled } from '../support/sqlLogging';
import { PythonSource } from '../../server/src/model/python';
import { settingsModelOf } from '../../server/src/model/settingsModel';

const snippetFile = join(__dirname, '..', '..', '..', 'snippets', 'django-sql-logging.code-snippets');

const codes = (text: string, file = 'settings.py') =>
  checkSettings({ file, src: PythonSource.parse(text), model: settingsModelOf(text), settings: { ignore: [], targetLibpqVersion: 13 } })
    .filter((f) => f.code === 'DPG310').map((f) => text.slice(f.from, f.to));

describe('SQL logging toggle and DPG310', () => {
  const settings = "DEBUG = True\nLOGGING = {'version': 1}\n";

  it('adds the snippet block at the end, then removes it and restores the module byte for byte', () => {
    const on = toggled(settings);
    assert.equal(on.enabled, true);
    const [snippet] = Object.values(JSON.parse(readFileSync(snippetFile, 'utf8')) as Record<string, { body: string[] }>);
    assert.equal(on.text, `${settings}\n${snippet.body.join('\n')}\n`);
    assert.match(on.text, /^if DEBUG:$/m);
    const off = toggled(on.text);
    assert.equal(off.enabled, false);
    assert.equal(off.text, settings);
    for (const start of ['', 'DEBUG = False\n', 'from .base import *\n\n\n']) assert.equal(toggled(toggled(start).text).text, start);
    // A module without a final newline keeps the one the block brought.
    assert.equal(toggled(toggled('DEBUG = False').text).text, 'DEBUG = False\n');
  });

  it('a module without DEBUG of its own gets a guard that cannot raise NameError', () => {
    assert.match(toggled('X = 1\n').text, /^if globals\(\)\.get\("DEBUG"\):$/m);
    assert.match(toggled('from .base import *\n').text, /^if DEBUG:$/m);
  });

  it('DPG310: unguarded in settings.py, not under if DEBUG, not in local settings, not the toggle block', () => {
    const unguarded = "LOGGING = {'version': 1, 'loggers': {'django.db.backends': {'level': 'DEBUG'}}}\n";
    assert.deepEqual(codes(unguarded), ["'django.db.backends'"]);
    assert.deepEqual(codes("LOGGING['loggers']['django.db.backends'] = {'handlers': [], 'level': 'DEBUG'}\n"), ["'django.db.backends'"]);
    assert.deepEqual(codes(`DEBUG = False\nif DEBUG:\n    ${unguarded}`), []);
    assert.deepEqual(codes(unguarded, '/p/settings/local.py'), []);
    assert.deepEqual(codes(unguarded.replace("'DEBUG'", "'INFO'")), []);
    assert.deepEqual(codes(toggled(settings).text), []);
    assert.deepEqual(codes(toggled('X = 1\n').text), []);
    assert.ok(sqlLoggingBlock().includes('"django.db.backends"'));
  });
});
