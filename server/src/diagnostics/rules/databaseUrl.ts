// DATABASE_URL problems: a password that needs percent-encoding, and a non-PostgreSQL URL next to PostgreSQL OPTIONS.
import { findKey } from '../../features/keys';
import { POSTGRES_URL_SCHEMES, decodeDatabaseUrl } from '../../model/databaseUrl';
import { resolveValue } from '../../model/resolve';
import type { LookupEnvironment, ResolvedValue } from '../../model/resolved';
import type { DatabaseUrl, Span } from '../../model/types';
import { checkUrlPassword, describeUrlPasswordProblem } from '../../postgres/databaseUrlPassword';
import type { CheckInput, Finding, Fix } from '../types';
import { contextOf, finding, literalOf, replaceStringFix } from './context';

const NO_ENVIRONMENT: LookupEnvironment = { process: {}, dotenv: {} };

/** The URL text a DATABASE_URL call reads, and where it comes from. */
export function resolveDatabaseUrl(url: DatabaseUrl, env: LookupEnvironment = NO_ENVIRONMENT): ResolvedValue {
  return url.variable !== undefined
    ? resolveValue({ kind: 'env', style: 'os.environ.get', variable: url.variable, variableSpan: url.span, default: url.url, span: url.span }, env)
    : resolveValue(url.url, env);
}

/** OPTIONS keys another backend accepts too (MySQL's connect_timeout and isolation_level). */
const SHARED_WITH_OTHER_BACKENDS = new Set(['connect_timeout', 'isolation_level']);

/** DPG212 unescaped password in a database URL, DPG213 non-PostgreSQL URL with PostgreSQL OPTIONS. */
export function databaseUrlRules(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const view of contextOf(input).aliases) {
    const url = view.alias.databaseUrl;
    if (!url) continue;
    const resolved = resolveDatabaseUrl(url, input.env);
    if (typeof resolved.value !== 'string') continue;
    const literal = resolved.source === 'literal' || resolved.source === 'default' ? literalOf(url.url) : undefined;
    const span: Span = literal?.span ?? url.span;
    const where = resolved.source === 'dotenv' ? `${resolved.variable} in .env` : resolved.source === 'environment' ? `${resolved.variable} in the environment` : 'the URL in the code';

    const problem = checkUrlPassword(resolved.value);
    if (problem) {
      const fixes: Fix[] = [];
      if (literal?.kind === 'string') fixes.push(replaceStringFix(input.src.text, literal, problem.encodedUrl, 'Percent-encode the password in the URL'));
      else if (resolved.source === 'dotenv' && resolved.variable) {
        fixes.push({ title: `Percent-encode the password in .env (${resolved.variable})`, edits: [], dotenv: { name: resolved.variable, value: problem.encodedUrl }, preferred: true });
      }
      out.push(finding('DPG212', 'warning', `${describeUrlPasswordProblem(problem)} (${where})`, span, { fixes: fixes.length > 0 ? fixes : undefined }));
    }

    const decoded = decodeDatabaseUrl(resolved.value);
    if (!decoded || POSTGRES_URL_SCHEMES.has(decoded.scheme) || view.effective('entries', 'ENGINE')) continue;
    for (const [key, effective] of view.alias.options) {
      if (effective.file !== undefined || SHARED_WITH_OTHER_BACKENDS.has(key) || !findKey('options', key)) continue;
      out.push(finding('DPG213', 'warning', `OPTIONS '${key}' is a PostgreSQL setting, but ${where} is a ${decoded.scheme}:// URL, so Django uses ${decoded.engine ?? 'another backend'}, whose driver fails on it with a TypeError when it connects. Use a postgres:// URL, or remove the PostgreSQL OPTIONS.`, effective.entry.keySpan));
    }
  }
  return out;
}
