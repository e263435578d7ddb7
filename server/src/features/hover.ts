// Hover: what a key means, what a value does, what an environment lookup or DATABASE_URL resolves to.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { decodeDatabaseUrl } from '../model/databaseUrl';
import { checkUrlPassword, describeUrlPasswordProblem } from '../postgres/databaseUrlPassword';
import { locate, type Location } from '../model/locate';
import type { PythonSource } from '../model/python';
import { resolveValue } from '../model/resolve';
import type { LookupEnvironment, ResolvedValue } from '../model/resolved';
import type { DatabaseUrl, EnvLookup, SettingsModel } from '../model/types';
import { currentDjangoLts } from '../catalog/versions';
import { allOlderThan, describeVersion, summarizeProjectVersions, type ProjectVersions } from '../project/projectVersions';
import { renderKeyDoc, renderValueDoc } from './docs';
import { findKey, findServerSetting, findValue } from './keys';

export function hover(doc: TextDocument, src: PythonSource, model: SettingsModel, offset: number, env: LookupEnvironment, project?: ProjectVersions): Hover | null {
  const at = locate(src, model, offset);
  if (!at) return null;
  const text = hoverText(at, src, env);
  // The project's versions matter only for keys that depend on them (added in some Django or libpq release).
  const versions = at.part === 'key' || at.part === 'value' ? (at.key ? findKey(at.role, at.key)?.versions : undefined) : undefined;
  const markdown = text && project && versions && !(at.part === 'value' && at.lookup)
    ? `${text}\n\n---\n\n${projectVersionsText(project, versions.djangoAdded)}`
    : text;
  if (!markdown) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: markdown },
    range: { start: doc.positionAt(at.span.from), end: doc.positionAt(at.span.to) },
  };
}

function hoverText(at: Location, src: PythonSource, env: LookupEnvironment): string | undefined {
  if (at.part === 'optionsSetting' || at.part === 'optionsValue') {
    const setting = at.setting ? findServerSetting(at.setting) : undefined;
    if (!setting) return undefined;
    const typedValue = at.part === 'optionsValue' ? src.text.slice(at.replace.from, at.replace.to) : undefined;
    const value = typedValue ? findValue(setting, typedValue) : undefined;
    return value ? renderValueDoc(setting, value) : renderKeyDoc(setting, 'setting');
  }
  const key = at.key ? findKey(at.role, at.key) : undefined;
  if (at.part === 'value' && at.lookup) return lookupText(at.lookup, at.key, env);
  if (!key) return undefined;
  if (at.part === 'value' && at.inString) {
    const value = findValue(key, src.text.slice(at.replace.from, at.replace.to));
    if (value) return renderValueDoc(key, value);
  }
  return renderKeyDoc(key, at.role);
}

const SECRET_WORDS = ['PASSWORD', 'SECRET', 'TOKEN', 'PASSWD'];

function isSecret(key: string | undefined, variable: string | undefined): boolean {
  const words = `${key ?? ''} ${variable ?? ''}`.toUpperCase();
  return SECRET_WORDS.some((w) => words.includes(w)) || (key !== undefined && findKey('options', key)?.secret === true);
}

/** Show a secret's presence and length, never its text. */
export function maskSecret(value: string): string {
  return value === '' ? '(empty)' : `•••••••• (${value.length} characters)`;
}

/** "from `/p/.env`, read by `load_dotenv(BASE_DIR / ".env")` in config/settings.py (python-dotenv)". */
function dotenvOrigin(variable: string | undefined, env: LookupEnvironment): string {
  const origin = variable ? env.dotenvOrigins?.[variable] : undefined;
  if (!origin) return env.dotenvFile ? `from \`${env.dotenvFile}\`` : 'from the `.env` file';
  return `from \`${origin.file}\`, read by ${origin.description}`;
}

function describeResolved(resolved: ResolvedValue, secret: boolean, env: LookupEnvironment): string {
  const shown = resolved.value === null ? '`None`' : secret && typeof resolved.value === 'string' ? maskSecret(resolved.value) : `\`${String(resolved.value)}\``;
  const where: Record<string, string> = {
    environment: 'from the environment',
    dotenv: dotenvOrigin(resolved.variable, env),
    default: 'the default in the code (the variable is not set)',
    missing: 'not set anywhere, and the code gives no default',
  };
  return `${shown}: ${where[resolved.source] ?? resolved.source}`;
}

function lookupText(lookup: EnvLookup | DatabaseUrl, key: string | undefined, env: LookupEnvironment): string {
  if (lookup.kind === 'env') {
    const resolved = resolveValue(lookup, env);
    const lines = [`**\`${lookup.variable}\`** · environment variable read for \`${key ?? '?'}\``, '', `Resolves to ${describeResolved(resolved, isSecret(key, lookup.variable), env)}.`];
    if (env.dotenvFile) lines.push('', env.dotenvOverrides ? 'The project loads `.env` with override=True: its values beat the process environment.' : 'A variable set in the process environment wins over `.env`.');
    if (resolved.source === 'missing' && lookup.style === 'os.environ[]') lines.push('', 'Django will stop with a `KeyError` at start-up while this variable is unset.');
    for (const note of env.dotenvNotes ?? []) lines.push('', `⚠️ ${note}`);
    return lines.join('\n');
  }
  const variable = lookup.variable;
  const resolved = variable
    ? resolveValue({ kind: 'env', style: 'os.environ.get', variable, variableSpan: lookup.span, default: lookup.url, span: lookup.span }, env)
    : resolveValue(lookup.url, env);
  const lines = [`**${lookup.style}(…)** · the DATABASES entry comes from a database URL${variable ? ` in \`${variable}\`` : ''}`];
  if (typeof resolved.value !== 'string') {
    lines.push('', variable ? `\`${variable}\` is not set in the environment or \`.env\`, and there is no default URL.` : 'The URL is computed in code.');
    return lines.join('\n');
  }
  const decoded = decodeDatabaseUrl(resolved.value);
  if (!decoded) return [...lines, '', 'The value is not a URL of the form `postgres://user:password@host:port/name`.'].join('\n');
  lines.push('', `Resolved ${describeSource(resolved, env)} into:`, '', '| key | value |', '|---|---|');
  const rows: [string, string][] = [
    ['ENGINE', decoded.engine ?? `unknown scheme \`${decoded.scheme}\``],
    ['NAME', decoded.name],
    ['USER', decoded.user],
    ['PASSWORD', maskSecret(decoded.password)],
    ['HOST', decoded.host],
    ['PORT', decoded.port || '(default 5432)'],
    ...Object.entries(decoded.options).map(([k, v]): [string, string] => [`OPTIONS['${k}']`, v]),
  ];
  for (const [k, v] of rows) lines.push(`| ${k} | ${v.replaceAll('|', '\\|')} |`);
  const passwordProblem = checkUrlPassword(resolved.value);
  if (passwordProblem) lines.push('', `⚠️ ${describeUrlPasswordProblem(passwordProblem)}`);
  else for (const problem of decoded.problems) lines.push('', `⚠️ ${problem}`);
  return lines.join('\n');
}

function describeSource(resolved: ResolvedValue, env: LookupEnvironment): string {
  return resolved.source === 'dotenv' ? dotenvOrigin(resolved.variable, env) : resolved.source === 'environment' ? 'from the environment' : 'from the default URL in the code';
}

/** Which Django, driver and libpq the project uses, where each was found, and whether the key is known to that Django. */
export function projectVersionsText(project: ProjectVersions, djangoAdded?: string): string {
  const summary = summarizeProjectVersions(project);
  const lines = [summary ? `**Your project:** ${summary}.` : '**Your project:** no Django, psycopg or libpq version found.'];
  const sources = [
    project.django && `Django ${project.django.source}`,
    project.driver && `${project.driver.name} ${project.driver.version.source}`,
    project.libpq && `libpq from ${project.libpq.source}`,
  ].filter((s) => s);
  if (sources.length) lines.push('', `Found: ${sources.join('; ')}.`);
  if (!project.django) lines.push('', `No Django version found in a virtual environment, lock file or requirements: assuming Django ${currentDjangoLts}, the current LTS.`);
  if (!project.libpq) lines.push('', 'No libpq version found: set `djangoPostgres.targetLibpqVersion` to check keywords against the libpq you deploy with.');
  if (djangoAdded && allOlderThan(project.django, djangoAdded)) {
    lines.push('', `⚠️ This key needs Django ${djangoAdded}; the project's Django is ${describeVersion(project.django!)}.`);
  }
  return lines.join('\n');
}
