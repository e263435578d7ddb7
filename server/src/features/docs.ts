// Markdown for hover and completion documentation, rendered from catalog data.
import { MANAGED_TLS_KEYS, managedServices } from '../catalog/managedServices';
import type { CatalogKey, EnumValue, RuleDoc, ServerSetting } from '../catalog/types';
import { valuesOf } from './keys';

const ROLE_TITLES: Record<string, string> = {
  entry: 'DATABASES key',
  test: 'DATABASES TEST key',
  options: 'OPTIONS key',
  pool: 'OPTIONS["pool"] argument',
  setting: 'PostgreSQL server setting (in the `options` string)',
};

// Completion renders the docs of ~60 keys per request: render each key once per role.
const rendered = new WeakMap<CatalogKey, Map<string, string>>();

export function renderKeyDoc(key: CatalogKey, role: string): string {
  let byRole = rendered.get(key);
  if (!byRole) rendered.set(key, (byRole = new Map()));
  let markdown = byRole.get(role);
  if (markdown === undefined) byRole.set(role, (markdown = renderKeyDocUncached(key, role)));
  return markdown;
}

function renderKeyDocUncached(key: CatalogKey, role: string): string {
  const lines: string[] = [`**\`${key.name}\`** · ${ROLE_TITLES[role] ?? role} · \`${key.type}\``, '', key.doc];
  if (key.deprecated) lines.push('', `⚠️ **Deprecated:** ${key.deprecated}`);
  const values = valuesOf(key);
  if (values.length) {
    lines.push('', '**Values**', '');
    for (const value of values) lines.push(`- \`${value.value}\`${value.recommended ? ' (recommended)' : ''}: ${value.doc}`);
  }
  const facts: string[] = [];
  if (key.default !== undefined) facts.push(`Default: \`${key.default}\``);
  if (key.units) facts.push(`Units: ${key.units}`);
  if (key.min !== undefined || key.max !== undefined) facts.push(`Range: ${key.min ?? '…'} to ${key.max ?? '…'}`);
  if (key.envVar) facts.push(`Environment variable: \`${key.envVar}\``);
  const setting = key as ServerSetting;
  if (setting.context === 'superuser') facts.push('Only a superuser (or a role granted SET on it) may set it');
  if (setting.baseUnit) facts.push(`A bare number means ${setting.baseUnit}`);
  if (facts.length) lines.push('', facts.join(' · '));
  const versions = versionNotes(key);
  if (versions.length) lines.push('', ...versions.map((v) => `- ${v}`));
  if (key.example) lines.push('', '```python', key.example, '```');
  if (role === 'options' && MANAGED_TLS_KEYS.includes(key.name)) lines.push('', ...managedTlsLines());
  lines.push('', `[Documentation](${key.docsUrl})`);
  return lines.join('\n');
}

/** What managed services ask of TLS, where it differs from a plain server. */
function managedTlsLines(): string[] {
  const services = managedServices.filter((s) => s.tls);
  return ['**Managed services**', '', ...services.map((s) => `- [${s.name}](${s.tlsDocsUrl ?? s.docsUrl}): ${s.tls}`)];
}

export function renderValueDoc(key: CatalogKey, value: EnumValue): string {
  const lines = [`**\`${value.value}\`** · value of \`${key.name}\``, '', value.doc];
  if (value.sinceLibpq) lines.push('', `Accepted by libpq ${value.sinceLibpq} and later.`);
  const others = valuesOf(key).filter((v) => v.value !== value.value).map((v) => `\`${v.value}\``);
  if (others.length) lines.push('', `Other values: ${others.join(', ')}`);
  lines.push('', `[Documentation](${key.docsUrl})`);
  return lines.join('\n');
}

function versionNotes(key: CatalogKey): string[] {
  const v = key.versions;
  if (!v) return [];
  const notes: string[] = [];
  if (v.libpqAdded) notes.push(`libpq ${v.libpqAdded}+ (PostgreSQL ${v.libpqAdded} client libraries); older clients reject it as an invalid connection option`);
  if (v.libpqRemoved) notes.push(`Removed in libpq ${v.libpqRemoved}`);
  if (v.djangoAdded) notes.push(`Django ${v.djangoAdded}+`);
  if (v.djangoDeprecated) notes.push(`Deprecated in Django ${v.djangoDeprecated}`);
  if (v.djangoRemoved) notes.push(`Removed in Django ${v.djangoRemoved}`);
  if (v.postgresAdded) notes.push(`PostgreSQL ${v.postgresAdded}+ server`);
  if (v.driver && v.driver !== 'both') notes.push(v.driver === 'psycopg' ? 'psycopg 3 only' : 'psycopg2 only');
  if (v.pgbouncerAdded) notes.push(`PgBouncer ${v.pgbouncerAdded}+`);
  notes.push(...(v.notes ?? []));
  return notes;
}

/** A diagnostic rule's documentation (docs/diagnostics.md, `django-postgres explain DPG102`, SARIF help). */
export function renderRuleDoc(rule: RuleDoc, heading: string): string {
  return [
    `${heading} ${rule.code} ${rule.name} (${rule.severity})`,
    '',
    `**What it does.** ${rule.what}`,
    '',
    `**Why it matters.** ${rule.why}`,
    '',
    '**Example**',
    '',
    '```' + (rule.code.startsWith('DPG5') ? 'ini' : 'python'),
    rule.example.trimEnd(),
    '```',
    '',
    rule.fix ? `**Fix.** ${rule.fix}` : '',
    '',
    `[Reference](${rule.docsUrl})`,
    '',
  ].join('\n');
}
