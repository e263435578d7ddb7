// Generates docs/keys.md (every key the extension knows) and docs/diagnostics.md (every rule, ruff
// style) from the catalog, so the documentation never drifts from what completion and hover say.
// Run: npm run docs   (a unit test fails when the committed files are stale)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { replaceReadmeSection } from './readmeSection';
import { join, resolve } from 'node:path';
import { databaseKeys, testKeys } from '../server/src/catalog/databaseKeys';
import { djangoOptionKeys, poolOptionKeys } from '../server/src/catalog/djangoOptions';
import { libpqKeywords } from '../server/src/catalog/libpqKeywords';
import { pgbouncerRules } from '../server/src/catalog/pgbouncerRules';
import { queryRules } from '../server/src/catalog/queryRules';
import { pgbouncerSettings } from '../server/src/catalog/pgbouncerSettings';
import { ruleDocs } from '../server/src/catalog/rules';
import { serverSettings } from '../server/src/catalog/serverSettings';
import type { CatalogKey, RuleDoc } from '../server/src/catalog/types';
import { checkSettings } from '../server/src/diagnostics';
import { renderRuleDoc } from '../server/src/features/docs';
import { PythonSource } from '../server/src/model/python';
import { settingsModelOf } from '../server/src/model/settingsModel';
import { checkPgBouncerIni } from '../server/src/pgbouncer/check';
import { fixedProjectVersions } from '../server/src/project/projectVersions';
import { findNPlusOne } from '../server/src/queries/nplusone';
import { ModelGraph, readModelsFile } from '../server/src/queries/models';

const cell = (text: string | undefined) => (text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

function keyTable(title: string, intro: string, keys: CatalogKey[]): string {
  const rows = keys
    .filter((k) => !k.hidden || k.deprecated)
    .map((k) => {
      const values = k.values?.map((v) => `\`${v.value}\``).join(', ') ?? '';
      const since = k.versions?.libpqAdded ? `libpq ${k.versions.libpqAdded}` : k.versions?.djangoAdded ? `Django ${k.versions.djangoAdded}` : '';
      const name = k.deprecated ? `~~\`${k.name}\`~~` : `\`${k.name}\``;
      return `| [${name}](${k.docsUrl}) | ${k.type} | ${cell(values)} | ${cell(k.default)} | ${since} | ${cell(k.summary)} |`;
    });
  return [`## ${title}`, '', intro, '', '| key | type | values | default | since | what it does |', '|---|---|---|---|---|---|', ...rows, ''].join('\n');
}

export function keysMarkdown(): string {
  return [
    '# Keys Django Postgres knows',
    '',
    'Generated from the catalog by `npm run docs`; hover shows the full text of each key in the editor.',
    '',
    keyTable('DATABASES entry', 'Top-level keys of a `DATABASES` alias.', databaseKeys),
    keyTable('TEST', 'Keys of an alias\'s `TEST` dict (PostgreSQL view; Oracle-only keys are omitted).', testKeys),
    keyTable('OPTIONS handled by Django', 'Keys Django\'s PostgreSQL backend takes out of `OPTIONS` itself.', djangoOptionKeys),
    keyTable('OPTIONS: libpq connection keywords', 'Every other `OPTIONS` key goes to libpq; these are all it knows (PostgreSQL 13–18).', libpqKeywords),
    keyTable('OPTIONS["pool"]', 'Arguments of psycopg_pool\'s ConnectionPool accepted in the `pool` dict (Django 5.1+).', poolOptionKeys),
    keyTable('Server settings in the `options` string', 'Used as `-c name=value` inside `OPTIONS["options"]`.', serverSettings),
    keyTable('pgbouncer.ini', 'Settings of PgBouncer\'s `[pgbouncer]` section and `[databases]` entries.', pgbouncerSettings),
  ].join('\n');
}

const ruleSection = (rule: RuleDoc): string => renderRuleDoc(rule, '###');

export function diagnosticsMarkdown(): string {
  const all = [...ruleDocs, ...pgbouncerRules, ...queryRules].sort((a, b) => a.code.localeCompare(b.code));
  return [
    '# Diagnostics',
    '',
    'Generated from the rule docs by `npm run docs`. Silence one line with `# noqa: DPG201` (Python) or a code',
    'everywhere with the setting `djangoPostgres.diagnostics.ignore`.',
    '',
    '| code | name | severity |',
    '|---|---|---|',
    ...all.map((r) => `| [${r.code}](#${r.code.toLowerCase()}-${r.name}-${r.severity}) | ${r.name} | ${r.severity} |`),
    '',
    ...all.map(ruleSection),
  ].join('\n');
}

/** The line of a rule's example where the engine reports it (the rest is the usual DATABASES frame). */
function exampleLine(rule: RuleDoc): string {
  const text = rule.example;
  const findings = rule.code.startsWith('DPG5')
    ? checkPgBouncerIni(text)
    : rule.code.startsWith('DPG4')
      // The example declares its own models.
      ? findNPlusOne({ text, tree: PythonSource.parse(text).tree, graph: new ModelGraph([readModelsFile('/example/app/models.py', text)]) })
      : checkSettings({ file: 'settings.py', src: PythonSource.parse(text), model: settingsModelOf(text), settings: { ignore: [], targetLibpqVersion: 13 }, versions: rule.exampleProject && fixedProjectVersions(rule.exampleProject) });
  const at = findings.find((f) => f.code === rule.code)?.from ?? 0;
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

export const README_MARKERS = ['<!-- diagnostics:start (generated by npm run docs) -->', '<!-- diagnostics:end -->'] as const;

/** The diagnostics table embedded in README.md: every code, what it flags, and an example line. */
export function readmeDiagnosticsTable(): string {
  const all = [...ruleDocs, ...pgbouncerRules, ...queryRules].sort((a, b) => a.code.localeCompare(b.code));
  return [
    README_MARKERS[0],
    '| code | severity | what it flags | example |',
    '|---|---|---|---|',
    ...all.map((r) => `| [${r.code}](docs/diagnostics.md#${r.code.toLowerCase()}-${r.name}-${r.severity}) | ${r.severity} | ${cell(r.what)} | \`${cell(exampleLine(r)).replaceAll('`', "'")}\` |`),
    README_MARKERS[1],
  ].join('\n');
}

/** README.md with its generated diagnostics table replaced by the current one. */
export function readmeWithDiagnostics(readme: string): string {
  return replaceReadmeSection(readme, README_MARKERS, readmeDiagnosticsTable());
}

if (require.main === module) {
  const root = resolve(__dirname, '..', '..');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'docs', 'keys.md'), keysMarkdown());
  writeFileSync(join(root, 'docs', 'diagnostics.md'), diagnosticsMarkdown());
  const readme = join(root, 'README.md');
  writeFileSync(readme, readmeWithDiagnostics(readFileSync(readme, 'utf8')));
  console.log('wrote docs/keys.md, docs/diagnostics.md and the diagnostics table of README.md');
}
