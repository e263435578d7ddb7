// Diagnostics for pgbouncer.ini (codes DPG5xx), documented as data. The checks live in
// server/src/pgbouncer/check.ts and take each rule's severity from here.
// "Refuses to start" facts were observed with PgBouncer 1.18 (Debian bookworm).
import type { RuleDoc } from './types';
import { docs } from './urls';

const config = docs.pgbouncerConfig;
const djangoPooling = `${docs.djangoDatabases}#transaction-pooling-server-side-cursors`;

export const pgbouncerRules: RuleDoc[] = [
  {
    code: 'DPG500', name: 'ini-syntax', severity: 'error',
    what: 'Flags lines PgBouncer cannot read: no `=`, an unclosed `[section`, an empty `%include`, a broken `key=value` pair in a database entry.',
    why: 'PgBouncer stops at the first line it cannot parse and does not start (or keeps the old config on reload).',
    example: '[pgbouncer]\nlisten_port 6432',
    fix: 'listen_port = 6432',
    docsUrl: config,
  },
  {
    code: 'DPG501', name: 'unknown-setting', severity: 'error',
    what: 'Flags a setting, section or database-entry parameter PgBouncer does not know. Names are case-sensitive.',
    why: 'PgBouncer refuses to start with "unknown parameter", "invalid section" or "unrecognized connection parameter".',
    example: '[pgbouncer]\nPool_Mode = session\n\n[databases]\napp = host=127.0.0.1 database=app',
    fix: '[pgbouncer]\npool_mode = session\n\n[databases]\napp = host=127.0.0.1 dbname=app',
    docsUrl: config,
  },
  {
    code: 'DPG502', name: 'invalid-enum-value', severity: 'error',
    what: 'Flags a value that is not one of the setting\'s allowed words (pool_mode, auth_type, the TLS modes…).',
    why: 'PgBouncer rejects the file with "invalid value" and does not start. `peer` and `reject` are only valid inside `auth_hba_file`; libpq spellings such as `verify_full` are typos.',
    example: '[pgbouncer]\nserver_tls_sslmode = verify_full',
    fix: 'server_tls_sslmode = verify-full',
    docsUrl: `${config}#server_tls_sslmode`,
  },
  {
    code: 'DPG503', name: 'invalid-number', severity: 'error',
    what: 'Flags a numeric setting whose value is not a plain number or is outside its range (a port above 65535, a negative pool size). Time settings take bare seconds.',
    why: 'PgBouncer refuses non-numbers such as `5s`, `yes` or `6432 ; comment` (there are no end-of-line comments), and silently misbehaves with out-of-range numbers.',
    example: '[pgbouncer]\nlisten_port = 6432 ; the pooler\nreserve_pool_timeout = 5s',
    fix: '; the pooler\nlisten_port = 6432\nreserve_pool_timeout = 5',
    docsUrl: config,
  },
  {
    code: 'DPG504', name: 'statement-pool-mode', severity: 'warning',
    what: 'Flags `pool_mode = statement`, globally or for a database or user.',
    why: 'Statement pooling refuses multi-statement transactions ("transaction blocks not allowed in statement pooling mode"), so Django\'s `atomic()`, `ATOMIC_REQUESTS`, migrations and `select_for_update()` fail.',
    example: '[pgbouncer]\npool_mode = statement',
    fix: 'pool_mode = transaction\n; and DISABLE_SERVER_SIDE_CURSORS = True in Django',
    docsUrl: `${config}#pool_mode`,
  },
  {
    code: 'DPG505', name: 'transaction-pool-mode', severity: 'information',
    what: 'Reminds what transaction pooling asks of the Django side.',
    why: 'A server connection is shared between transactions of different clients: `QuerySet.iterator()` server-side cursors fail unless `DISABLE_SERVER_SIDE_CURSORS = True`, and session state (`SET`, `OPTIONS["assume_role"]`, advisory locks, `LISTEN`) leaks or is lost.',
    example: '[pgbouncer]\npool_mode = transaction',
    fix: "DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'] = True",
    docsUrl: djangoPooling,
  },
  {
    code: 'DPG506', name: 'newer-pgbouncer-setting', severity: 'information',
    what: 'Notes a setting that only newer PgBouncer releases understand.',
    why: 'Older PgBouncer treats it as unknown and refuses to start; Debian bookworm ships 1.18, which lacks e.g. `max_prepared_statements` and `track_extra_parameters`.',
    example: '[pgbouncer]\nmax_prepared_statements = 200',
    fix: 'Check `pgbouncer --version` on the target host, or remove the line there.',
    docsUrl: 'https://www.pgbouncer.org/changelog.html',
  },
  {
    code: 'DPG507', name: 'options-ignored', severity: 'warning',
    what: 'Flags `options` in `ignore_startup_parameters`.',
    why: 'PgBouncer then accepts the `options` startup parameter but drops it: `-c statement_timeout=…` from Django\'s `OPTIONS["options"]` never reaches PostgreSQL, with no error.',
    example: '[pgbouncer]\nignore_startup_parameters = extra_float_digits, options',
    fix: 'ignore_startup_parameters = extra_float_digits\n-- and in SQL: ALTER ROLE app SET statement_timeout = \'5s\';',
    docsUrl: `${config}#ignore_startup_parameters`,
  },
  {
    code: 'DPG508', name: 'duplicate-setting', severity: 'warning',
    what: 'Flags a setting or database entry given twice in one file.',
    why: 'Only the last one counts, so the first line is misleading.',
    example: '[pgbouncer]\npool_mode = session\npool_mode = transaction',
    fix: 'pool_mode = transaction',
    docsUrl: config,
  },
  {
    code: 'DPG509', name: 'plain-password-in-entry', severity: 'warning',
    what: 'Flags `password=` inside a [databases] entry.',
    why: 'It keeps a plain-text password in pgbouncer.ini, which is often world-readable or committed. A SCRAM verifier in `auth_file`, or `auth_user` + `auth_query`, avoids it.',
    example: '[databases]\napp = host=127.0.0.1 user=app password=secret',
    fix: 'app = host=127.0.0.1\n; userlist.txt: "app" "SCRAM-SHA-256$4096:…"',
    docsUrl: `${config}#section-databases`,
  },
  {
    code: 'DPG510', name: 'reserved-database-name', severity: 'error',
    what: 'Flags a [databases] entry named `pgbouncer`.',
    why: 'That name is the admin console; PgBouncer refuses to start ("database name \\"pgbouncer\\" is reserved").',
    example: '[databases]\npgbouncer = host=127.0.0.1',
    fix: 'app = host=127.0.0.1',
    docsUrl: `${config}#section-databases`,
  },
];
