// Connection reuse: Django's pool, persistent connections, health checks and PgBouncer.
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, insertItemFix, literalOf, quoteNear, textOf, type AliasView } from './context';
import { optional } from './keys';

/** Whether OPTIONS['pool'] turns Django's pool on: True or a dict; undefined when we cannot tell. */
function poolEnabled(view: AliasView): boolean | undefined {
  const pool = view.effective('options', 'pool')?.entry.value;
  if (!pool) return false;
  if (pool.kind === 'dict') return true;
  const literal = literalOf(pool);
  if (literal?.kind === 'bool') return literal.value;
  if (literal?.kind === 'none') return false;
  return undefined;
}

/** CONN_MAX_AGE as a literal: a number, null for None, 0 when absent; undefined when computed. */
function connMaxAge(view: AliasView): number | null | undefined {
  const entry = view.effective('entries', 'CONN_MAX_AGE')?.entry;
  if (!entry) return 0;
  const literal = literalOf(entry.value);
  if (literal?.kind === 'none') return null;
  if (literal?.kind === 'number') return literal.value;
  return undefined;
}

/** DPG107 pool with persistent connections, DPG301 health checks without persistent connections. */
export function poolingRules(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const view of contextOf(input).aliases) {
    if (view.engine === 'other') continue;
    const pool = poolEnabled(view);
    const maxAge = connMaxAge(view);
    if (pool && maxAge !== 0 && maxAge !== undefined) {
      const at = view.local('entries', 'CONN_MAX_AGE') ?? view.local('options', 'pool');
      if (at) {
        const value = at.key === 'CONN_MAX_AGE' ? at.value.span : at.keySpan;
        out.push(finding('DPG107', 'error', `Django's connection pool cannot be combined with persistent connections: CONN_MAX_AGE ${maxAge === null ? 'None' : maxAge} makes Django refuse to start ("Pooling doesn't support persistent connections"). Set CONN_MAX_AGE to 0.`, value));
      }
    }
    const healthChecks = view.local('entries', 'CONN_HEALTH_CHECKS');
    const healthLiteral = literalOf(healthChecks?.value);
    if (healthChecks && healthLiteral?.kind === 'bool' && healthLiteral.value && maxAge === 0 && pool === false) {
      out.push(finding('DPG301', 'information', 'CONN_HEALTH_CHECKS does nothing while CONN_MAX_AGE is 0: every request opens a fresh connection anyway. Set CONN_MAX_AGE (for example 60) or remove it.', healthChecks.keySpan, { tags: ['unnecessary'] }));
    }
  }
  return out;
}

const PGBOUNCER_PORT = '6432';

/** DPG302 PgBouncer in front without DISABLE_SERVER_SIDE_CURSORS. */
export function pgbouncerRules(input: CheckInput): Finding[] {
  const context = contextOf(input);
  const out: Finding[] = [];
  for (const view of context.aliases) {
    if (view.engine === 'other' || view.effective('entries', 'DISABLE_SERVER_SIDE_CURSORS')) continue;
    const port = view.local('entries', 'PORT');
    const host = view.local('entries', 'HOST');
    const portText = textOf(literalOf(port?.value));
    const hostText = textOf(literalOf(host?.value));
    const evidence = portText?.split(',').some((p) => p.trim() === PGBOUNCER_PORT) ? port : hostText && /pgbouncer/i.test(hostText) ? host : undefined;
    if (!evidence) continue;
    const holder = context.at('entry', evidence)?.dict;
    const fix = holder ? insertItemFix(input.src.text, holder, `${quoteNear(evidence)}DISABLE_SERVER_SIDE_CURSORS${quoteNear(evidence)}: True`, "Add 'DISABLE_SERVER_SIDE_CURSORS': True") : undefined;
    const why = evidence === port ? 'PORT 6432 is PgBouncer\'s port' : 'HOST names PgBouncer';
    out.push(finding('DPG302', 'information', `${why}: in transaction pooling mode server-side cursors (QuerySet.iterator()) break. Set DISABLE_SERVER_SIDE_CURSORS to True unless PgBouncer runs in session mode.`, evidence.value.span, { fixes: optional(fix) }));
  }
  return out;
}
