// TEST keys that contradict each other or DATABASES: what `manage.py test` does with MIRROR and DEPENDENCIES
// (django/test/utils.py: get_unique_databases_and_mirrors, dependency_ordered).
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, literalOf, textOf } from './context';

/** DPG118 MIRROR names an unknown alias, DPG119 DEPENDENCIES names an unknown alias, DPG211 MIRROR on 'default'. */
export function testDatabaseRules(input: CheckInput): Finding[] {
  const context = contextOf(input);
  const out: Finding[] = [];
  const known = new Set(context.aliases.map((a) => a.alias.alias));
  // With DATABASES changed in ways we cannot follow, an alias we do not see may still exist.
  const allAliasesKnown = input.model.computed.length === 0 && input.model.starImports.length === 0;
  const list = (names: Iterable<string>) => [...names].map((n) => `'${n}'`).join(', ');
  for (const view of context.aliases) {
    if (view.engine === 'other') continue;
    const alias = view.alias.alias;
    const mirror = view.local('test', 'MIRROR');
    const mirrorName = textOf(literalOf(mirror?.value));
    if (mirror && mirrorName) {
      if (allAliasesKnown && !known.has(mirrorName)) {
        out.push(finding('DPG118', 'error', `TEST MIRROR names '${mirrorName}', which is not a DATABASES alias (${list(known)}): manage.py test stops with "The connection '${mirrorName}' doesn't exist".`, mirror.value.span));
      } else if (alias === 'default' && mirrorName !== 'default') {
        out.push(finding('DPG211', 'warning', `TEST MIRROR on the 'default' alias makes the tests of 'default' use the test database of '${mirrorName}', and no test database is created for 'default'. MIRROR belongs on the replica: put 'MIRROR': 'default' in the TEST of '${mirrorName}' and remove it here.`, mirror.keySpan));
      }
    }
    const dependencies = view.local('test', 'DEPENDENCIES');
    if (dependencies?.value.kind === 'list' && allAliasesKnown) {
      for (const item of dependencies.value.items) {
        const name = textOf(literalOf(item));
        if (name !== undefined && !known.has(name)) {
          out.push(finding('DPG119', 'error', `TEST DEPENDENCIES names '${name}', which is not a DATABASES alias (${list(known)}): Django can never satisfy it and stops with ImproperlyConfigured "Circular dependency in TEST[DEPENDENCIES]".`, item.span));
        }
      }
    }
  }
  return out;
}
