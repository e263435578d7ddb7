// Settings that break behind PgBouncer or a managed transaction pooler (psycopg 3 prepared statements, the libpq `options` string) and
// persistent connections without health checks. Facts: /work/shared/reference/pgbouncer-django.md,
// https://www.pgbouncer.org/config.html, https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections
import { dirname, isAbsolute } from 'node:path';
import { resolveAlias } from '../../model/resolve';
import type { LookupEnvironment } from '../../model/resolved';
import { alterRoleStatements, pgbouncerEvidence } from '../../postgres/pgbouncerDetect';
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, insertItemFix, literalOf, quoteNear, removeItemFix, textOf } from './context';
import { optional } from './keys';

const NO_ENVIRONMENT: LookupEnvironment = { process: {}, dotenv: {} };

/** DPG214 integer prepare_threshold behind PgBouncer, DPG215 an `options` string behind PgBouncer. */
export function pgbouncerSessionRules(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  const projectDir = isAbsolute(input.file) ? dirname(input.file) : undefined;
  for (const view of contextOf(input).aliases) {
    if (view.engine === 'other') continue;
    const prepare = view.local('options', 'prepare_threshold');
    const options = view.local('options', 'options');
    if (!prepare && !options) continue;
    const db = resolveAlias(view.alias, input.file, input.env ?? NO_ENVIRONMENT);
    const evidence = pgbouncerEvidence(String(db.host.value ?? ''), String(db.port.value ?? ''), projectDir);
    // Session pooling keeps one server connection per client: prepared statements and `options` behave as without a pooler.
    if (!evidence || (evidence.ini?.poolMode ?? evidence.poolMode) === 'session') continue;

    const threshold = literalOf(prepare?.value);
    const preparedTracked = (evidence.ini?.maxPreparedStatements ?? 0) > 0;
    if (prepare && threshold?.kind === 'number' && threshold.isInt && !preparedTracked) {
      out.push(finding('DPG214', 'warning', `OPTIONS 'prepare_threshold' ${threshold.text} makes psycopg 3 prepare named statements, but ${evidence.reason}: in transaction pool mode the next query may reach another server connection and fail with 'prepared statement "_pg3_0" does not exist' (or 'already exists'). Remove it or set it to None (Django's default), unless PgBouncer 1.21+ sets max_prepared_statements.`, prepare.value.span, {
        fixes: [{ title: "Set 'prepare_threshold' to None", edits: [{ from: threshold.span.from, to: threshold.span.to, newText: 'None' }], preferred: true }],
      }));
    }

    const optionsText = textOf(literalOf(options?.value));
    // The refusal of `options` is PgBouncer's; what another pooler (Supavisor) does with it is not documented.
    if (options && optionsText && optionsText.trim() !== '' && evidence.pgbouncer) {
      const role = typeof db.user.value === 'string' && db.user.value !== '' ? db.user.value : 'USER';
      const statements = alterRoleStatements(role, optionsText);
      const move = statements.length > 0 ? ` Set them on the role instead: ${statements.join(' ')}` : '';
      const dropped = evidence.ini?.ignoreStartupParameters.includes('options');
      const message = dropped
        ? `OPTIONS 'options' is silently dropped: ${evidence.reason}, whose ignore_startup_parameters lists options, so none of its settings reach PostgreSQL.${move}`
        : `OPTIONS 'options' makes PgBouncer refuse the connection ("unsupported startup parameter: options"; from 1.20 it accepts only client_encoding, DateStyle, TimeZone, standard_conforming_strings and application_name there): ${evidence.reason}. Listing it in ignore_startup_parameters only drops the settings silently.${move}`;
      const fix = removeItemFix(input.src.text, options, statements.length > 0 ? `Remove 'options' (then run on the server: ${statements.join(' ')})` : "Remove 'options'");
      out.push(finding('DPG215', 'warning', message, options.keySpan, { fixes: optional(fix) }));
    }
  }
  return out;
}

/** DPG308 CONN_MAX_AGE without CONN_HEALTH_CHECKS. */
export function healthCheckRules(input: CheckInput): Finding[] {
  const context = contextOf(input);
  const out: Finding[] = [];
  for (const view of context.aliases) {
    if (view.engine === 'other' || view.effective('options', 'pool')) continue;
    const maxAge = view.local('entries', 'CONN_MAX_AGE');
    const literal = literalOf(maxAge?.value);
    const persistent = literal?.kind === 'none' || (literal?.kind === 'number' && literal.value > 0);
    if (!maxAge || !persistent || view.effective('entries', 'CONN_HEALTH_CHECKS')) continue;
    const holder = context.at('entry', maxAge)?.dict;
    const q = quoteNear(maxAge);
    const fix = holder ? insertItemFix(input.src.text, holder, `${q}CONN_HEALTH_CHECKS${q}: True`, "Add 'CONN_HEALTH_CHECKS': True") : undefined;
    out.push(finding('DPG308', 'hint', 'CONN_MAX_AGE keeps connections open between requests: when a firewall, PgBouncer or a server restart closes one while the site is idle, the next request fails with "server closed the connection unexpectedly". Set CONN_HEALTH_CHECKS = True (Django 4.1+) so Django checks a connection before reusing it.', maxAge.keySpan, { fixes: optional(fix) }));
  }
  return out;
}
