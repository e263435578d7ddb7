// OPTIONS keys that are not libpq keywords: the ones Django's PostgreSQL
// backend handles itself, keys from other backends pasted by mistake, and the
// psycopg_pool arguments allowed inside OPTIONS['pool']. Data only.
import type { CatalogKey } from './types';
import { docs } from './urls';

const D = docs.djangoDatabases;

export const djangoOptionKeys: CatalogKey[] = [
  {
    name: 'isolation_level',
    summary: 'Transaction isolation level of every connection (default READ COMMITTED).',
    doc:
      'Django removes this key before connecting and sets the level on each new connection. Use a member of ' +
      '`IsolationLevel` from `django.db.backends.postgresql.psycopg_any`, not a bare number: the integer constants ' +
      'differ between drivers (3 is SERIALIZABLE in psycopg2 but REPEATABLE READ in psycopg 3), so the same number ' +
      'gives a different level when the driver changes. Strings such as `"serializable"` are rejected with ' +
      '"Invalid transaction isolation level". Above READ COMMITTED, be ready to retry on serialization failures.',
    type: 'object',
    values: [
      { value: 'READ_UNCOMMITTED', doc: 'Behaves exactly like READ COMMITTED on PostgreSQL.' },
      { value: 'READ_COMMITTED', doc: "Each statement sees data committed before it started. PostgreSQL's and Django's default.", recommended: true },
      { value: 'REPEATABLE_READ', doc: 'The whole transaction sees one snapshot; concurrent updates to the same rows raise serialization errors.' },
      { value: 'SERIALIZABLE', doc: 'Transactions behave as if run one after another; conflicts raise serialization errors that the application must retry.' },
    ],
    default: 'READ_COMMITTED (server default)',
    versions: {
      driver: 'both',
      notes: [
        'IsolationLevel in psycopg_any and validation of the value since Django 4.2.',
        'psycopg 3 integers: READ_UNCOMMITTED=1, READ_COMMITTED=2, REPEATABLE_READ=3, SERIALIZABLE=4.',
        'psycopg2 integers: READ_COMMITTED=1, REPEATABLE_READ=2, SERIALIZABLE=3, READ_UNCOMMITTED=4.',
      ],
    },
    docsUrl: `${D}#database-isolation-level`,
    example:
      'from django.db.backends.postgresql.psycopg_any import IsolationLevel\n\n' +
      "'OPTIONS': {'isolation_level': IsolationLevel.SERIALIZABLE},",
  },
  {
    name: 'assume_role',
    summary: 'Role to switch to with SET ROLE after connecting (Django 4.2+).',
    doc:
      'Django logs in as USER, then runs `SET ROLE` to this role on every new connection, so objects are created ' +
      'and checked with the privileges of a shared owner role. USER must be a member of the role, or connecting ' +
      'fails. The role is session state: behind PgBouncer in transaction mode other clients may inherit it, or ' +
      'your queries may run without it.',
    type: 'string',
    versions: { djangoAdded: '4.2', driver: 'both' },
    docsUrl: `${D}#database-role`,
    example: "'OPTIONS': {'assume_role': 'shop_owner'},",
  },
  {
    name: 'server_side_binding',
    summary: 'Send query parameters separately from the SQL (psycopg 3, Django 4.2+).',
    doc:
      'By default Django uses client-side binding with psycopg 3: values are merged into the SQL text before ' +
      'sending, like psycopg2 does. `True` sends them separately and lets the server bind them, but some SQL ' +
      'that only works with inlined values (parameters in DDL statements, for example) then fails. Only the exact ' +
      'value True enables it; psycopg2 ignores the key.',
    type: 'bool',
    default: 'False',
    versions: { djangoAdded: '4.2', driver: 'psycopg' },
    docsUrl: `${D}#database-server-side-parameters-binding`,
    example: "'OPTIONS': {'server_side_binding': True},",
  },
  {
    name: 'pool',
    summary: 'Use a psycopg_pool connection pool (Django 5.1+, psycopg 3).',
    doc:
      '`True` gives a pool with default sizes; a dict passes arguments to `psycopg_pool.ConnectionPool` ' +
      '(`min_size`, `max_size`, `timeout`, …). It needs psycopg 3 with `psycopg[pool]` installed: with psycopg2 ' +
      'Django raises "Database pooling requires psycopg >= 3". `CONN_MAX_AGE` must stay 0 (None also fails: ' +
      '"Pooling doesn\'t support persistent connections."). Each process gets its own pool, so multiply ' +
      '`max_size` by the number of worker processes when sizing `max_connections`.',
    type: 'object',
    versions: {
      djangoAdded: '5.1',
      driver: 'psycopg',
      notes: ['Django 6.1 lets the dict set its own check and no longer modifies the dict.'],
    },
    docsUrl: `${D}#postgresql-pool`,
    example: "'CONN_MAX_AGE': 0,\n'OPTIONS': {'pool': {'min_size': 2, 'max_size': 8, 'timeout': 10}},",
  },
  {
    name: 'prepare_threshold',
    summary: 'Executions before psycopg 3 prepares a statement (Django default: never).',
    doc:
      'Django already passes `None` when this key is absent, so psycopg 3 never creates named prepared statements; ' +
      'you do not need to set it for PgBouncer. An integer turns preparing on after that many runs of the same ' +
      'query (0 = at once), which saves parse time but behind PgBouncer transaction mode needs PgBouncer 1.21+ ' +
      'with `max_prepared_statements`. psycopg2 rejects the key as an invalid connection option.',
    type: 'intOrNone',
    default: 'None (set by Django)',
    min: 0,
    versions: { djangoAdded: '4.2', driver: 'psycopg' },
    docsUrl: docs.psycopgPrepare,
    example: "'OPTIONS': {'prepare_threshold': 5},  # only with PgBouncer >= 1.21 max_prepared_statements",
  },
  {
    name: 'cursor_factory',
    summary: 'Cursor class the driver creates (advanced).',
    doc:
      'Replaces the cursor class Django chooses. With psycopg 3 Django picks a client-binding cursor on purpose; ' +
      'a different class can change how parameters are sent and break queries. The class must belong to the ' +
      'installed driver (a psycopg2 class does not work with psycopg 3). Honoured since Django 4.2.1.',
    type: 'object',
    versions: { driver: 'both', notes: ['Ignored in Django 4.2.0 by a regression fixed in 4.2.1.'] },
    docsUrl: docs.psycopgConnect,
  },
];

/** Keys that belong to another backend or driver: libpq rejects them as invalid connection options. */
export const foreignOptionKeys: { name: string; backend: string; doc: string }[] = [
  { name: 'init_command', backend: 'MySQL (and SQLite since Django 5.1)', doc: 'There it runs SQL after each connection. On PostgreSQL set session settings with `options` (`-c name=value`) or `ALTER ROLE … SET`.' },
  { name: 'charset', backend: 'MySQL', doc: 'Connection character set. Django always uses UTF8 with PostgreSQL; remove it.' },
  { name: 'read_default_file', backend: 'MySQL', doc: 'MySQL option file. The PostgreSQL equivalents are `service` (pg_service.conf) and `passfile` (.pgpass).' },
  { name: 'read_default_group', backend: 'MySQL', doc: 'Section of a MySQL option file. On PostgreSQL use `service`.' },
  { name: 'sql_mode', backend: 'MySQL', doc: 'MySQL SQL mode; PostgreSQL has no equivalent. Remove it.' },
  { name: 'ssl', backend: 'MySQL', doc: 'MySQL TLS dict. On PostgreSQL use `sslmode`, `sslrootcert`, `sslcert` and `sslkey`.' },
  { name: 'unix_socket', backend: 'MySQL', doc: 'MySQL socket path. On PostgreSQL put the socket directory in HOST (a value starting with `/`).' },
  { name: 'transaction_mode', backend: 'SQLite (Django 5.1+)', doc: 'SQLite BEGIN mode. On PostgreSQL use `isolation_level`.' },
  { name: 'timeout', backend: 'SQLite', doc: 'SQLite lock wait. On PostgreSQL use `connect_timeout` for connecting, or `options` with `-c lock_timeout=…` / `-c statement_timeout=…`.' },
  { name: 'check_same_thread', backend: 'SQLite', doc: 'SQLite threading check; meaningless on PostgreSQL. Remove it.' },
  { name: 'threaded', backend: 'Oracle', doc: 'Oracle driver threading flag. Remove it.' },
  { name: 'use_returning_into', backend: 'Oracle', doc: 'Oracle RETURNING INTO switch. Remove it.' },
  { name: 'autocommit', backend: 'psycopg 3 connect argument (Django 1.x OPTIONS key)', doc: 'Django sets autocommit itself from the top-level AUTOCOMMIT key; psycopg2 rejects this key. Use AUTOCOMMIT.' },
  { name: 'database', backend: 'psycopg2 (alias of dbname)', doc: 'psycopg2 refuses it next to Django\'s dbname and psycopg 3 rejects it. Use NAME.' },
  { name: 'context', backend: 'psycopg 3 connect argument', doc: 'Django overwrites it with its own adapters, so it has no effect. Register adapters on the connection instead.' },
  { name: 'row_factory', backend: 'psycopg 3 connect argument', doc: 'Changes the row type the ORM receives and breaks queries; psycopg2 rejects it. Remove it.' },
  { name: 'connection_factory', backend: 'psycopg2 connect argument', doc: "Replaces psycopg2's connection class under Django; psycopg 3 rejects it. Subclass the backend instead." },
  { name: 'async', backend: 'psycopg2 connect argument', doc: 'Asynchronous psycopg2 connections do not work with Django. Remove it.' },
  { name: 'async_', backend: 'psycopg2 connect argument', doc: 'Asynchronous psycopg2 connections do not work with Django. Remove it.' },
  { name: 'MAX_CONNS', backend: 'django-db-geventpool ENGINE', doc: 'Read by django-db-geventpool only; with the stock PostgreSQL ENGINE it reaches libpq and fails.' },
  { name: 'REUSE_CONNS', backend: 'django-db-geventpool ENGINE', doc: 'Read by django-db-geventpool only; with the stock PostgreSQL ENGINE it reaches libpq and fails.' },
];

const P = docs.psycopgPool;

/** Arguments of psycopg_pool.ConnectionPool that may go in OPTIONS['pool']. */
export const poolOptionKeys: CatalogKey[] = [
  {
    name: 'min_size',
    summary: 'Connections the pool keeps open (default 4).',
    doc:
      'The pool opens this many connections in the background and keeps them ready. Each worker process has its ' +
      'own pool, so the server sees processes × min_size idle connections: keep it small with many workers.',
    type: 'int',
    default: '4',
    min: 0,
    docsUrl: P,
  },
  {
    name: 'max_size',
    summary: 'Upper limit of connections (default: same as min_size).',
    doc:
      'The pool grows up to this many connections under load. Left unset it equals `min_size`, so the pool never ' +
      'grows. Must not be below `min_size`.',
    type: 'intOrNone',
    default: 'None (= min_size)',
    min: 1,
    docsUrl: P,
  },
  {
    name: 'timeout',
    summary: 'Seconds a request waits for a free connection (default 30).',
    doc:
      'How long getting a connection may wait before raising `PoolTimeout`. A lower value fails requests fast ' +
      'when the pool is exhausted, instead of piling them up. Not a query timeout.',
    type: 'real',
    default: '30.0',
    units: 's',
    min: 0,
    docsUrl: P,
  },
  {
    name: 'max_waiting',
    summary: 'Requests allowed to queue for a connection (0 = unlimited).',
    doc: 'When this many requests are already waiting, new ones fail at once with `TooManyRequests`. 0 means no limit.',
    type: 'int',
    default: '0',
    min: 0,
    docsUrl: P,
  },
  {
    name: 'max_lifetime',
    summary: 'Seconds before a connection is replaced (default 3600).',
    doc:
      'Connections older than this (minus a little random jitter, so they do not all expire together) are closed ' +
      'and replaced. Keep it below any connection lifetime enforced by a proxy or the server.',
    type: 'real',
    default: '3600.0',
    units: 's',
    min: 0,
    docsUrl: P,
  },
  {
    name: 'max_idle',
    summary: 'Seconds an unused connection above min_size is kept (default 600).',
    doc: 'Extra connections that stay idle this long are closed, shrinking the pool back toward `min_size`.',
    type: 'real',
    default: '600.0',
    units: 's',
    min: 0,
    docsUrl: P,
  },
  {
    name: 'reconnect_timeout',
    summary: 'Seconds the pool keeps trying to reconnect (default 300).',
    doc:
      'When the server is unreachable the pool retries with back-off for this long before giving up on that ' +
      'connection and calling `reconnect_failed`.',
    type: 'real',
    default: '300.0',
    units: 's',
    min: 0,
    docsUrl: P,
  },
  {
    name: 'reconnect_failed',
    summary: 'Callback run when reconnecting gives up.',
    doc: 'A function receiving the pool, called after `reconnect_timeout` expires; for example to log or alert.',
    type: 'object',
    docsUrl: P,
  },
  {
    name: 'num_workers',
    summary: 'Background threads that open and close connections (default 3).',
    doc: 'Threads the pool uses for maintenance such as opening new connections. The default suits almost everyone.',
    type: 'int',
    default: '3',
    min: 1,
    docsUrl: P,
  },
  {
    name: 'name',
    summary: 'Pool name shown in logs and statistics.',
    doc: 'A label for the pool in psycopg_pool log messages and `get_stats()`; handy with several aliases.',
    type: 'string',
    docsUrl: P,
  },
  {
    name: 'reset',
    summary: 'Callback that cleans a connection when it returns to the pool.',
    doc:
      'A function receiving the connection, called when it goes back to the pool, for example to `RESET ALL` ' +
      'session settings. It must leave the connection idle (no open transaction).',
    type: 'object',
    docsUrl: P,
  },
  {
    name: 'check',
    summary: 'Callback that tests a connection before handing it out (Django 6.1+).',
    doc:
      'Before Django 6.1, Django passes `check` itself (set by `CONN_HEALTH_CHECKS`), so this key raises ' +
      '"got multiple values for keyword argument". From 6.1 your value replaces Django\'s. ' +
      'On older versions use `CONN_HEALTH_CHECKS = True` instead.',
    type: 'object',
    versions: { djangoAdded: '6.1' },
    docsUrl: P,
  },
];

/** Arguments Django passes to ConnectionPool itself: setting them in the pool dict raises TypeError. */
export const reservedPoolKeys: string[] = ['kwargs', 'open', 'configure', 'check'];

/** Reserved pool keys that a later Django accepts: key → first Django version that accepts it. */
export const reservedPoolKeysAcceptedSince: Record<string, string> = { check: '6.1' };
