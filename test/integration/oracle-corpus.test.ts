// Django is the oracle for the corpus's completeness verdicts: for every entry module of every tree of
// test/corpus whose imports Debian's python3 has, Django 3.2 loads the settings exactly as the project would
// (star imports, exec, try/except) and builds each alias's connection parameters. It refuses a missing NAME
// and a missing 'default' alias exactly when our engine reports DPG120/DPG122 as an error naming that entry.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { checkTree, corpusTrees } from '../support/corpus';
import { discoverEntries } from '../../server/src/settingsGraph/entries';
import { runPython } from './oracle-common';

const corpusDir = join(resolve(__dirname, '..', '..', '..'), 'test', 'corpus');

// Environment lookups get a placeholder for variables nobody set, and their defaults otherwise, as in a
// deployment where every variable the settings require is present.
const DJANGO_SCRIPT = `
import json, os, sys, importlib
cases = json.load(sys.stdin)
results = []
class Environment(dict):
    def __missing__(self, key):
        return 'placeholder'
for case in cases:
    os.environ = Environment({k: v for k, v in os.environ.items() if k in ('PATH', 'HOME')})
    sys.path.insert(0, case['root'])
    for name in [m for m in list(sys.modules) if m.split('.')[0] == case['module'].split('.')[0]]:
        del sys.modules[name]
    try:
        settings = importlib.import_module(case['module'])
        from django.core.exceptions import ImproperlyConfigured
        from django.db.utils import ConnectionHandler
        handler = ConnectionHandler(getattr(settings, 'DATABASES', {}))
        for alias in handler.settings:
            handler[alias].get_connection_params()
        results.append('accepted')
    except ModuleNotFoundError as error:
        results.append('unavailable: ' + str(error))
    except Exception as error:
        results.append('refused: ' + str(error).splitlines()[0])
    finally:
        sys.path.pop(0)
print(json.dumps(results))
`;

interface Case {
  tree: string;
  module: string;
  root: string;
}

describe('oracle: Django 3.2 and the corpus agree on which entry modules lack NAME or a default alias', function () {
  this.timeout(120_000);

  it('refuses exactly the entries our engine names in a DPG120/DPG122 error', () => {
    const cases: Case[] = [];
    const reported = new Map<string, string[]>();
    for (const tree of corpusTrees(corpusDir)) {
      const root = join(corpusDir, tree);
      const entries = discoverEntries([root], (p) => readFileSync(p, 'utf8'), existsSync);
      const messages = checkTree(corpusDir, tree)
        .findings.filter((f) => f.finding.severity === 'error' && (f.finding.code === 'DPG120' || f.finding.code === 'DPG122'))
        .map((f) => f.finding.message);
      for (const entry of entries) {
        const suffix = sep + entry.module.split('.').join(sep);
        const base = entry.file.endsWith(`${sep}__init__.py`) ? entry.file.slice(0, -`${sep}__init__.py`.length) : entry.file.slice(0, -3);
        if (!base.endsWith(suffix) || cases.some((c) => c.tree === tree && c.module === entry.module)) continue;
        cases.push({ tree, module: entry.module, root: base.slice(0, -suffix.length) });
        reported.set(`${tree}:${entry.module}`, messages.filter((m) => m.includes(`${entry.module} (DJANGO_SETTINGS_MODULE`)));
      }
    }
    const results = runPython<string[]>(DJANGO_SCRIPT, cases);
    const compared: string[] = [];
    const disagreements: string[] = [];
    let refusals = 0;
    cases.forEach((c, i) => {
      const django = results[i];
      if (django.startsWith('unavailable')) return;
      // Only Django's verdict on NAME and the default alias is compared (a MySQL driver missing here is not).
      const refusesTarget = /NAME|'default' database/.test(django);
      if (django.startsWith('refused') && !refusesTarget) return;
      const ours = reported.get(`${c.tree}:${c.module}`) ?? [];
      compared.push(`${c.tree}:${c.module}`);
      if (refusesTarget) refusals++;
      if (refusesTarget !== ours.length > 0) disagreements.push(`${c.tree} ${c.module}: Django ${django}; ours ${JSON.stringify(ours)}`);
    });
    assert.deepEqual(disagreements, []);
    assert.ok(compared.length >= 15, `only ${compared.length} entries compared: ${compared.join(', ')}`);
    assert.ok(refusals >= 2, `Django refused only ${refusals} entries`);
  });
});
