// Server settings people put in the libpq `options` string as
// `-c name=value`. Ranges and contexts are those of PostgreSQL 15's
// pg_settings. Setting names are case-insensitive on the server. Data only.
import type { ServerSetting } from './types';
import { docs } from './urls';

const INT_MAX = 2147483647;

const neverThroughPgBouncer =
  'PgBouncer cannot pass it in `options`; behind PgBouncer set it with `ALTER ROLE … SET` instead.';

export const serverSettings: ServerSetting[] = [
  // Timeouts.
  {
    name: 'statement_timeout',
    summary: 'Cancel any statement that runs longer than this (0 = off).',
    doc:
      'Aborts a query that runs longer than the limit, protecting the database from runaway requests. ' +
      'A bare number is milliseconds: `-c statement_timeout=5` is 5 ms, not 5 s; write `5s`. It also applies ' +
      'to migrations, so a long migration may need a higher value. ' + neverThroughPgBouncer,
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    docsUrl: `${docs.pgConfigClient}#GUC-STATEMENT-TIMEOUT`,
    example: "'OPTIONS': {'options': '-c statement_timeout=30s'},",
  },
  {
    name: 'lock_timeout',
    summary: 'Give up waiting for a lock after this long (0 = wait forever).',
    doc:
      'Fails a statement that waits longer than this for a table or row lock, instead of queueing behind a long ' +
      'transaction. Useful for migrations on busy tables. A bare number is milliseconds. ' + neverThroughPgBouncer,
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    versions: { postgresAdded: 9.3 },
    docsUrl: `${docs.pgConfigClient}#GUC-LOCK-TIMEOUT`,
    example: "'OPTIONS': {'options': '-c lock_timeout=3s'},",
  },
  {
    name: 'idle_in_transaction_session_timeout',
    summary: 'Close sessions left idle inside an open transaction.',
    doc:
      'Terminates a session that sits in an open transaction doing nothing for longer than this, releasing its ' +
      'locks. It catches code that forgot to commit. The connection is closed, so Django sees an error on its next ' +
      'query. A bare number is milliseconds. ' + neverThroughPgBouncer,
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    versions: { postgresAdded: 9.6 },
    docsUrl: `${docs.pgConfigClient}#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT`,
  },
  {
    name: 'idle_session_timeout',
    summary: 'Close sessions idle (outside a transaction) for this long (PostgreSQL 14+).',
    doc:
      'Terminates idle connections. With persistent connections (`CONN_MAX_AGE`) or a pool, a value shorter than ' +
      'the connection lifetime makes Django hit closed connections; enable `CONN_HEALTH_CHECKS` or keep it longer. ' +
      'A bare number is milliseconds.',
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    versions: { postgresAdded: 14 },
    docsUrl: `${docs.pgConfigClient}#GUC-IDLE-SESSION-TIMEOUT`,
  },
  {
    name: 'transaction_timeout',
    summary: 'Abort transactions that last longer than this (PostgreSQL 17+).',
    doc:
      'Limits the total duration of a transaction, including idle time inside it; the session is terminated ' +
      'when exceeded. Servers before 17 reject the name with "unrecognized configuration parameter". ' +
      'A bare number is milliseconds.',
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    versions: { postgresAdded: 17 },
    docsUrl: `${docs.pgConfigClient}#GUC-TRANSACTION-TIMEOUT`,
  },
  {
    name: 'client_connection_check_interval',
    summary: 'How often a running query checks that the client is still there (PostgreSQL 14+).',
    doc:
      'While a long query runs, the server checks the client socket at this interval and cancels the query if ' +
      'the client went away (for example a killed web worker). 0 disables the check. A bare number is milliseconds.',
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    versions: { postgresAdded: 14 },
    docsUrl: `${docs.pgConfigConnection}#GUC-CLIENT-CONNECTION-CHECK-INTERVAL`,
  },
  // Session defaults.
  {
    name: 'search_path',
    summary: 'Schemas searched for unqualified table names.',
    doc:
      'Comma-separated schema list; Django creates and finds its tables in the first schema that exists. ' +
      'Inside `options` a space must be escaped: write `-c search_path=app,public` without spaces. ' +
      'PgBouncer passes it only when the server reports it (PostgreSQL 18) and PgBouncer tracks it (1.26 by default).',
    type: 'string',
    context: 'user',
    default: '"$user", public',
    versions: { pgbouncerAdded: '1.26' },
    pgbouncerTracked: false,
    docsUrl: `${docs.pgConfigClient}#GUC-SEARCH-PATH`,
    example: "'OPTIONS': {'options': '-c search_path=app,public'},",
  },
  {
    name: 'TimeZone',
    summary: 'Session time zone (Django sets it itself).',
    doc:
      'With `USE_TZ = True` Django sets the session time zone after connecting (UTC, or the alias `TIME_ZONE`), ' +
      'so a value here is replaced. Use the `TIME_ZONE` key of the DATABASES entry instead. ' +
      'Also spelled `timezone`.',
    type: 'string',
    context: 'user',
    pgbouncerTracked: true,
    docsUrl: `${docs.pgConfigClient}#GUC-TIMEZONE`,
  },
  {
    name: 'default_transaction_isolation',
    summary: 'Isolation level of new transactions (prefer OPTIONS isolation_level).',
    doc:
      'The server honours it, but Django still believes the level is READ COMMITTED unless ' +
      "`OPTIONS['isolation_level']` is set, so use that key instead. The values contain a space, which must be " +
      'escaped with a backslash inside `options` (quotes do not work).',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'read uncommitted', doc: 'Same as read committed on PostgreSQL.' },
      { value: 'read committed', doc: 'Each statement sees data committed before it began (default).' },
      { value: 'repeatable read', doc: 'One snapshot per transaction; conflicting updates raise serialization errors.' },
      { value: 'serializable', doc: 'Full serializability; the application must retry on serialization failures.' },
    ],
    context: 'user',
    default: 'read committed',
    docsUrl: `${docs.pgConfigClient}#GUC-DEFAULT-TRANSACTION-ISOLATION`,
    example: "'OPTIONS': {'options': r'-c default_transaction_isolation=repeatable\\ read'},",
  },
  {
    name: 'default_transaction_read_only',
    summary: 'Make new transactions read-only.',
    doc:
      'When on, writes fail with "cannot execute … in a read-only transaction". Handy for a reporting alias that ' +
      'must never write. PgBouncer tracks it by default from 1.26.',
    type: 'bool',
    context: 'user',
    default: 'off',
    versions: { pgbouncerAdded: '1.26' },
    pgbouncerTracked: false,
    docsUrl: `${docs.pgConfigClient}#GUC-DEFAULT-TRANSACTION-READ-ONLY`,
    example: "'OPTIONS': {'options': '-c default_transaction_read_only=on'},",
  },
  {
    name: 'default_transaction_deferrable',
    summary: 'Make serializable read-only transactions deferrable.',
    doc:
      'Only matters for serializable, read-only transactions: they wait for a safe snapshot and then never fail ' +
      'with serialization errors. Useful for long reports on a serializable database.',
    type: 'bool',
    context: 'user',
    default: 'off',
    docsUrl: `${docs.pgConfigClient}#GUC-DEFAULT-TRANSACTION-DEFERRABLE`,
  },
  {
    name: 'application_name',
    summary: 'Connection label (prefer the application_name OPTIONS key).',
    doc:
      'Shown in `pg_stat_activity` and logs. Setting it through the libpq keyword `application_name` is simpler ' +
      'than `-c application_name=…`. The server keeps 63 bytes at most.',
    type: 'string',
    context: 'user',
    default: "''",
    pgbouncerTracked: true,
    docsUrl: `${docs.pgConfigLogging}#GUC-APPLICATION-NAME`,
  },
  // Resources and planner.
  {
    name: 'work_mem',
    summary: 'Memory per sort or hash step before spilling to disk.',
    doc:
      'Each sort or hash in a query may use this much memory, and a query can have several, times the number of ' +
      'connections, so raise it carefully. A bare number is kB; write units such as `64MB` (case matters: `64mb` is rejected).',
    type: 'int',
    baseUnit: 'kB',
    unitKind: 'memory',
    context: 'user',
    min: 64,
    max: INT_MAX,
    default: '4MB',
    docsUrl: `${docs.pgConfigResource}#GUC-WORK-MEM`,
  },
  {
    name: 'maintenance_work_mem',
    summary: 'Memory for CREATE INDEX, VACUUM and similar maintenance.',
    doc:
      'Raising it speeds up index creation in migrations. A bare number is kB; units are `kB`, `MB`, `GB` (case-sensitive).',
    type: 'int',
    baseUnit: 'kB',
    unitKind: 'memory',
    context: 'user',
    min: 1024,
    max: INT_MAX,
    default: '64MB',
    versions: { notes: ['The minimum is 1MB up to PostgreSQL 16 and 64kB since PostgreSQL 17.'] },
    docsUrl: `${docs.pgConfigResource}#GUC-MAINTENANCE-WORK-MEM`,
  },
  {
    name: 'temp_buffers',
    summary: 'Memory for temporary tables per session.',
    doc:
      'Can only be changed before the session first uses a temporary table. A bare number counts 8 kB blocks, ' +
      'so `-c temp_buffers=100` is 800 kB; write `16MB` to be clear.',
    type: 'int',
    baseUnit: '8kB',
    unitKind: 'memory',
    context: 'user',
    min: 100,
    max: 1073741823,
    default: '8MB',
    docsUrl: `${docs.pgConfigResource}#GUC-TEMP-BUFFERS`,
  },
  {
    name: 'jit',
    summary: 'Allow JIT compilation of expensive queries.',
    doc:
      'JIT can speed up long analytical queries but adds startup cost that often hurts short web queries; ' +
      'turning it off (`-c jit=off`) is a common fix for unexpectedly slow ORM queries.',
    type: 'bool',
    context: 'user',
    default: 'on',
    versions: { postgresAdded: 11, notes: ['On by default since PostgreSQL 12.'] },
    docsUrl: `${docs.pgConfigQuery}#GUC-JIT`,
  },
  {
    name: 'random_page_cost',
    summary: "Planner's cost estimate of a random page read.",
    doc:
      'Lowering it (for example to 1.1 on SSDs) makes the planner prefer index scans. Usually set for the whole ' +
      'server rather than per connection.',
    type: 'real',
    context: 'user',
    min: 0,
    default: '4',
    docsUrl: `${docs.pgConfigQuery}#GUC-RANDOM-PAGE-COST`,
  },
  {
    name: 'synchronous_commit',
    summary: 'How durable a commit must be before it returns.',
    doc:
      '`off` makes commits return before they reach disk: faster, but the last transactions can be lost on a ' +
      'crash (without corruption). The remote values only matter with synchronous replication.',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'on', doc: 'Wait for the local flush (and synchronous standbys, if configured). Default.' },
      { value: 'off', doc: 'Do not wait for the flush; a crash can lose the last commits.' },
      { value: 'local', doc: 'Wait for the local flush only, not standbys.' },
      { value: 'remote_write', doc: 'Wait until synchronous standbys have written (not flushed) the commit.' },
      { value: 'remote_apply', doc: 'Wait until synchronous standbys have applied the commit, so reads there see it.' },
    ],
    context: 'user',
    default: 'on',
    docsUrl: `${docs.pgConfigWal}#GUC-SYNCHRONOUS-COMMIT`,
  },
  {
    name: 'IntervalStyle',
    summary: 'Output format of interval values.',
    doc:
      'Drivers parse intervals in the default `postgres` style; other styles can break `DurationField` ' +
      'values read by Django. Leave it alone. PgBouncer 1.20+ tracks it by default.',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'postgres', doc: 'PostgreSQL format, e.g. `1 day 02:03:04` (default).' },
      { value: 'postgres_verbose', doc: 'Verbose format, e.g. `@ 1 day 2 hours`.' },
      { value: 'sql_standard', doc: 'SQL standard format.' },
      { value: 'iso_8601', doc: 'ISO 8601 duration format, e.g. `P1DT2H3M4S`.' },
    ],
    context: 'user',
    default: 'postgres',
    versions: { pgbouncerAdded: '1.20' },
    pgbouncerTracked: true,
    docsUrl: `${docs.pgConfigClient}#GUC-INTERVALSTYLE`,
  },
  {
    name: 'DateStyle',
    summary: 'Output format and field order of dates.',
    doc:
      'Keep the ISO output style (the default `ISO, MDY`): drivers parse dates returned as ISO, and other styles ' +
      'can break reading dates. The comma-space must be escaped inside `options`.',
    type: 'string',
    context: 'user',
    default: 'ISO, MDY',
    pgbouncerTracked: true,
    docsUrl: `${docs.pgConfigClient}#GUC-DATESTYLE`,
  },
  {
    name: 'client_min_messages',
    summary: 'Lowest message level sent to the client.',
    doc:
      'Controls which NOTICE/WARNING messages reach the driver. Lowering it to a debug level floods the ' +
      'connection; raising it to `warning` hides notices such as "relation already exists, skipping".',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'debug5', doc: 'Everything, including the most detailed debug output.' },
      { value: 'debug4', doc: 'Very detailed debug output.' },
      { value: 'debug3', doc: 'Detailed debug output.' },
      { value: 'debug2', doc: 'Debug output.' },
      { value: 'debug1', doc: 'Basic debug output.' },
      { value: 'log', doc: 'Log-level messages and above.' },
      { value: 'notice', doc: 'Notices, warnings and errors (default).' },
      { value: 'warning', doc: 'Warnings and errors only.' },
      { value: 'error', doc: 'Errors only.' },
    ],
    context: 'user',
    default: 'notice',
    docsUrl: `${docs.pgConfigClient}#GUC-CLIENT-MIN-MESSAGES`,
  },
  {
    name: 'plan_cache_mode',
    summary: 'Generic or custom plans for prepared statements.',
    doc:
      'Only affects prepared statements (psycopg 3 with `prepare_threshold`, or server-side binding). ' +
      '`force_custom_plan` avoids a slow generic plan chosen for skewed data.',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'auto', doc: 'Let the server choose after a few executions (default).' },
      { value: 'force_generic_plan', doc: 'Always reuse one generic plan.' },
      { value: 'force_custom_plan', doc: 'Always plan with the actual parameter values.' },
    ],
    context: 'user',
    default: 'auto',
    versions: { postgresAdded: 12 },
    docsUrl: `${docs.pgConfigQuery}#GUC-PLAN-CACHE-MODE`,
  },
  {
    name: 'row_security',
    summary: 'Apply row-level security policies, or fail instead.',
    doc:
      'With `off`, a query that row-level security would filter raises an error instead of silently returning ' +
      'fewer rows; useful for dumps. It never bypasses the policies.',
    type: 'bool',
    context: 'user',
    default: 'on',
    versions: { postgresAdded: 9.5 },
    docsUrl: `${docs.pgConfigClient}#GUC-ROW-SECURITY`,
  },
  {
    name: 'role',
    summary: 'Role to act as, like SET ROLE (prefer OPTIONS assume_role).',
    doc:
      'Works like `SET ROLE` at connection start; the login role must be a member. Django 4.2+ offers ' +
      "`OPTIONS['assume_role']` for the same purpose. " + neverThroughPgBouncer,
    type: 'string',
    context: 'user',
    docsUrl: docs.pgSetRole,
  },
  // Superuser-only settings.
  {
    name: 'log_min_duration_statement',
    summary: 'Log statements slower than this (superuser only).',
    doc:
      'Logs every statement that runs longer than the limit; -1 disables, 0 logs all. A normal role gets ' +
      '"permission denied to set parameter" and cannot connect at all, so set it in postgresql.conf or per role ' +
      'as a superuser. A bare number is milliseconds.',
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'superuser',
    min: -1,
    max: INT_MAX,
    default: '-1',
    docsUrl: `${docs.pgConfigLogging}#GUC-LOG-MIN-DURATION-STATEMENT`,
  },
  {
    name: 'log_statement',
    summary: 'Which statements to log (superuser only).',
    doc:
      'A normal role cannot set it: the connection fails with "permission denied to set parameter". ' +
      'Set it per role or in postgresql.conf as a superuser.',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'none', doc: 'Log no statements (default).' },
      { value: 'ddl', doc: 'Log schema changes (CREATE, ALTER, DROP).' },
      { value: 'mod', doc: 'Log schema changes and data changes (INSERT, UPDATE, DELETE, …).' },
      { value: 'all', doc: 'Log every statement; noisy and may log sensitive values.' },
    ],
    context: 'superuser',
    default: 'none',
    docsUrl: `${docs.pgConfigLogging}#GUC-LOG-STATEMENT`,
  },
  {
    name: 'session_replication_role',
    summary: 'Skip triggers and foreign-key checks (superuser only).',
    doc:
      '`replica` disables ordinary triggers, including the ones enforcing foreign keys, so bad data can slip in. ' +
      'Meant for replication tools, not for applications. A normal role cannot set it.',
    type: 'enum',
    caseInsensitive: true,
    values: [
      { value: 'origin', doc: 'Normal behaviour (default).' },
      { value: 'replica', doc: 'Fire only replica triggers: foreign keys are not checked.' },
      { value: 'local', doc: 'Fire only local triggers.' },
    ],
    context: 'superuser',
    default: 'origin',
    docsUrl: `${docs.pgConfigClient}#GUC-SESSION-REPLICATION-ROLE`,
  },
  {
    name: 'temp_file_limit',
    summary: 'Maximum temporary file space per session (superuser only).',
    doc:
      'Cancels queries that spill more than this to temporary files; -1 means no limit. A bare number is kB. ' +
      'A normal role cannot set it.',
    type: 'int',
    baseUnit: 'kB',
    unitKind: 'memory',
    context: 'superuser',
    min: -1,
    max: INT_MAX,
    default: '-1',
    docsUrl: `${docs.pgConfigResource}#GUC-TEMP-FILE-LIMIT`,
  },
  {
    name: 'deadlock_timeout',
    summary: 'Wait before checking for a deadlock (superuser only).',
    doc:
      'How long a lock wait lasts before the server checks for deadlocks. It is not a lock timeout: use ' +
      '`lock_timeout` to stop waiting. A normal role cannot set it. A bare number is milliseconds.',
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'superuser',
    min: 1,
    max: INT_MAX,
    default: '1s',
    docsUrl: `${docs.pgConfigLocks}#GUC-DEADLOCK-TIMEOUT`,
  },
  // Server-side TCP settings.
  {
    name: 'tcp_keepalives_idle',
    summary: 'Server-side idle seconds before a keepalive probe.',
    doc:
      'The server-side twin of the libpq keyword `keepalives_idle`. Unlike the timeouts above, a bare number is ' +
      'seconds here. 0 uses the OS default. The libpq keyword is usually the simpler choice.',
    type: 'int',
    baseUnit: 's',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    docsUrl: `${docs.pgConfigConnection}#GUC-TCP-KEEPALIVES-IDLE`,
  },
  {
    name: 'tcp_keepalives_interval',
    summary: 'Server-side seconds between keepalive probes.',
    doc: 'The server-side twin of `keepalives_interval`. A bare number is seconds. 0 uses the OS default.',
    type: 'int',
    baseUnit: 's',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    docsUrl: `${docs.pgConfigConnection}#GUC-TCP-KEEPALIVES-INTERVAL`,
  },
  {
    name: 'tcp_keepalives_count',
    summary: 'Server-side lost probes before the connection is dropped.',
    doc: 'The server-side twin of `keepalives_count`; a plain count. 0 uses the OS default.',
    type: 'int',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    docsUrl: `${docs.pgConfigConnection}#GUC-TCP-KEEPALIVES-COUNT`,
  },
  {
    name: 'tcp_user_timeout',
    summary: 'Server-side TCP user timeout (PostgreSQL 12+).',
    doc:
      'The server-side twin of the libpq keyword of the same name: how long sent data may stay unacknowledged ' +
      'before the server drops the connection. A bare number is milliseconds; 0 uses the OS default.',
    type: 'int',
    baseUnit: 'ms',
    unitKind: 'time',
    context: 'user',
    min: 0,
    max: INT_MAX,
    default: '0',
    versions: { postgresAdded: 12 },
    docsUrl: `${docs.pgConfigConnection}#GUC-TCP-USER-TIMEOUT`,
  },
];
