// `from config.settings.base import *` (an absolute dotted module, common in split settings) is found from the
// project root, and a relative `from ..base import *` counts only its leading dots.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsLoader } from '../../server/src/model/resolve';

describe('star imports of settings modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dpg-star-'));
  const pkg = join(dir, 'config', 'settings');
  mkdirSync(join(pkg, 'envs'), { recursive: true });
  writeFileSync(join(pkg, 'base.py'), "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop'}}\n");

  it('follows an absolute dotted import from the project root', () => {
    writeFileSync(join(pkg, 'production.py'), 'from config.settings.base import *  # noqa\n');
    const model = new SettingsLoader().load(join(pkg, 'production.py'))!;
    assert.deepEqual(model.starImports, [join(pkg, 'base.py')]);
    assert.equal(model.hasDatabases, true);
  });

  it('resolves a relative import by its leading dots only', () => {
    writeFileSync(join(pkg, 'envs', 'staging.py'), 'from ..base import *  # noqa\n');
    assert.deepEqual(new SettingsLoader().load(join(pkg, 'envs', 'staging.py'))!.starImports, [join(pkg, 'base.py')]);
  });
});
