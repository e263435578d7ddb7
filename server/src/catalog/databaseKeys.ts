// Keys of one DATABASES entry and of its TEST dict, as Django's PostgreSQL
// backend reads them (Django 4.2 – 6.1). Data only.
import type { CatalogKey } from './types';
import { docs } from './urls';

const S = docs.djangoSettings;

export const databaseKeys: CatalogKey[] = [
  {
    name: 'ENGINE',
    summary: 'Dotted path of the database backend.',
    doc:
      'Chooses the backend module Django loads for this alias. For PostgreSQL use ' +
      "`'django.db.backends.postgresql'` (or the PostGIS backend for GeoDjango). " +
      'If ENGINE is missing or empty, Django silently installs the dummy backend and the first query fails ' +
      'with "Please supply the ENGINE value". A misspelled path fails at startup with "isn\'t an available database backend".',
    type: 'enum',
    values: [
      {
        value: 'django.db.backends.postgresql',
        doc: 'PostgreSQL through psycopg 3 (Django 4.2+) or psycopg2, whichever is installed (psycopg 3 is tried first).',
        recommended: true,
      },
      {
        value: 'django.contrib.gis.db.backends.postgis',
        doc: 'PostgreSQL with GeoDjango spatial fields; needs the PostGIS extension in the database. Same OPTIONS as PostgreSQL.',
      },
      {
        value: 'django.db.backends.postgresql_psycopg2',
        doc: "Legacy spelling that Django maps to 'django.db.backends.postgresql'. Works, but prefer the current name.",
      },
      { value: 'django.db.backends.mysql', doc: 'MySQL or MariaDB; not PostgreSQL, and its OPTIONS are different.' },
      { value: 'django.db.backends.sqlite3', doc: 'SQLite; NAME becomes a file path.' },
      { value: 'django.db.backends.oracle', doc: 'Oracle Database.' },
      { value: 'django.contrib.gis.db.backends.mysql', doc: 'MySQL with GeoDjango spatial fields.' },
      { value: 'django.contrib.gis.db.backends.spatialite', doc: 'SQLite with the SpatiaLite extension for GeoDjango.' },
      { value: 'django.contrib.gis.db.backends.oracle', doc: 'Oracle Spatial for GeoDjango.' },
      {
        value: 'django.db.backends.dummy',
        doc: 'A placeholder that raises on every query; only useful for a project without a database.',
      },
    ],
    default: "'django.db.backends.dummy' (when missing or empty)",
    versions: { notes: ["'postgresql' is the backend name since Django 1.9; psycopg 3 is supported since Django 4.2."] },
    docsUrl: `${S}#std-setting-DATABASE-ENGINE`,
    example: "'ENGINE': 'django.db.backends.postgresql',",
  },
  {
    name: 'NAME',
    summary: 'Name of the PostgreSQL database to connect to.',
    doc:
      'The database name sent to libpq as `dbname`; it is a name, not a file path (that is SQLite). ' +
      "Django refuses an empty NAME unless `OPTIONS['service']` is set (Django 4.0+), and refuses names longer " +
      "than 63 characters, PostgreSQL's identifier limit. `None` connects to the `postgres` maintenance database " +
      "and drops `OPTIONS['service']`. Careful: a `dbname` inside OPTIONS silently wins over NAME.",
    type: 'stringOrNone',
    default: "''",
    envVar: 'PGDATABASE',
    versions: { notes: ["Django 4.0+: NAME may be empty when OPTIONS['service'] names a pg_service.conf entry."] },
    docsUrl: `${S}#std-setting-NAME`,
    example: "'NAME': 'shop',",
  },
  {
    name: 'USER',
    summary: 'PostgreSQL role to log in as.',
    doc:
      'Sent to libpq as `user` when non-empty, and then it overrides any `user` in OPTIONS. ' +
      'Left empty, libpq falls back to the service file, `PGUSER`, then your operating-system user name. ' +
      'A common surprise: with an empty HOST you connect over the Unix socket, where pg_hba.conf often uses ' +
      '`peer` authentication and only lets the OS user with the same name in.',
    type: 'string',
    default: "''",
    envVar: 'PGUSER',
    docsUrl: `${S}#std-setting-USER`,
    example: "'USER': 'shop_app',",
  },
  {
    name: 'PASSWORD',
    summary: 'Password of the PostgreSQL role (secret).',
    doc:
      'Sent to libpq as `password` when non-empty, overriding any `password` in OPTIONS. ' +
      'Left empty, libpq looks at `PGPASSWORD` and then the password file (`~/.pgpass`, see `passfile`). ' +
      'Do not commit it: read it from the environment or a secrets store instead of writing it into settings.py.',
    type: 'string',
    default: "''",
    envVar: 'PGPASSWORD',
    secret: true,
    docsUrl: `${S}#std-setting-PASSWORD`,
    example: "'PASSWORD': os.environ['DB_PASSWORD'],",
  },
  {
    name: 'HOST',
    summary: 'Server host name, IP address or Unix-socket directory.',
    doc:
      'Sent to libpq as `host` when non-empty. Empty means the default Unix socket ' +
      '(`/var/run/postgresql` on Debian and in the psycopg wheels), which pg_hba.conf matches with `local` lines; ' +
      "`'localhost'` or `'127.0.0.1'` means TCP and `host` lines. A value starting with `/` is the directory " +
      'that holds the socket, not the socket file. libpq also accepts a comma-separated list of hosts for failover.',
    type: 'string',
    default: "'' (Unix socket)",
    envVar: 'PGHOST',
    docsUrl: `${S}#std-setting-HOST`,
    example: "'HOST': '127.0.0.1',",
  },
  {
    name: 'PORT',
    summary: 'Server port (default 5432).',
    doc:
      'Sent to libpq as `port` when set; a string or an int both work. Empty means `PGPORT` or 5432. ' +
      'The port also names the Unix socket file (`.s.PGSQL.5432`), so it matters even without TCP. ' +
      'PgBouncer usually listens on 6432: pointing PORT there is how Django goes through the pooler. ' +
      'A comma-separated list must have one port per host in HOST.',
    type: 'string',
    default: "'' (5432)",
    min: 1,
    max: 65535,
    envVar: 'PGPORT',
    docsUrl: `${S}#std-setting-PORT`,
    example: "'PORT': '5432',",
  },
  {
    name: 'OPTIONS',
    summary: 'Extra connection parameters passed to the driver.',
    doc:
      'A dict merged into the driver connect call. Django first removes the keys it handles itself ' +
      '(`isolation_level`, `assume_role`, `server_side_binding`, `pool`); every other key must be a libpq ' +
      'connection keyword (such as `sslmode` or `connect_timeout`) or a driver argument, or connecting fails with ' +
      '`invalid connection option`. Keys copied from MySQL or SQLite settings (`init_command`, `charset`, `timeout`) ' +
      'are the usual mistake. The client libpq version decides which keywords exist, not the server version.',
    type: 'dict',
    default: '{}',
    docsUrl: `${S}#std-setting-OPTIONS`,
    example: "'OPTIONS': {'sslmode': 'require', 'connect_timeout': 5},",
  },
  {
    name: 'ATOMIC_REQUESTS',
    summary: 'Wrap each view in a database transaction.',
    doc:
      'When True, Django runs every synchronous view inside `transaction.atomic` on this alias and rolls back if ' +
      'the view raises. It is a simple way to get all-or-nothing requests, at the cost of holding a transaction ' +
      'open for the whole view. Async views raise RuntimeError with it enabled; use `transaction.atomic` yourself there.',
    type: 'bool',
    default: 'False',
    docsUrl: `${S}#std-setting-DATABASE-ATOMIC_REQUESTS`,
    example: "'ATOMIC_REQUESTS': True,",
  },
  {
    name: 'AUTOCOMMIT',
    summary: "Keep Django's autocommit transaction management on.",
    doc:
      'Leave it True. Setting False switches off Django\'s transaction management: nothing is committed unless ' +
      'you commit it yourself, and `transaction.atomic` semantics change. Only for code that manages ' +
      'transactions by hand. It is not the place to choose an isolation level (that is `OPTIONS["isolation_level"]`).',
    type: 'bool',
    default: 'True',
    docsUrl: `${S}#std-setting-DATABASE-AUTOCOMMIT`,
  },
  {
    name: 'CONN_MAX_AGE',
    summary: 'Seconds to keep a connection open between requests (None = forever).',
    doc:
      '`0` closes the connection at the end of every request; a positive number reuses it for that many ' +
      'seconds; `None` keeps it open indefinitely. Persistent connections save the connect cost but each worker ' +
      'thread holds its own, so check `max_connections`. With `OPTIONS["pool"]` it must stay 0 (even `None` ' +
      'raises "Pooling doesn\'t support persistent connections."). Under ASGI, prefer the pool.',
    type: 'intOrNone',
    default: '0',
    units: 's',
    min: 0,
    docsUrl: `${S}#std-setting-CONN_MAX_AGE`,
    example: "'CONN_MAX_AGE': 60,",
  },
  {
    name: 'CONN_HEALTH_CHECKS',
    summary: 'Check a reused connection is alive before a request uses it.',
    doc:
      'When True, Django tests a persistent connection once at the start of each request and replaces it if ' +
      'the server closed it (restart, idle timeout, failover), instead of failing the request. ' +
      'It does nothing while `CONN_MAX_AGE` is 0, because connections are never reused then. ' +
      "With `OPTIONS['pool']` (Django 5.1+) it turns on the pool's connection check.",
    type: 'bool',
    default: 'False',
    versions: { djangoAdded: '4.1' },
    docsUrl: `${S}#std-setting-CONN_HEALTH_CHECKS`,
    example: "'CONN_MAX_AGE': 600,\n'CONN_HEALTH_CHECKS': True,",
  },
  {
    name: 'DISABLE_SERVER_SIDE_CURSORS',
    summary: 'Use client-side cursors for QuerySet.iterator() (needed behind PgBouncer transaction pooling).',
    doc:
      'By default `QuerySet.iterator()` streams rows through a named server-side cursor, which lives on one ' +
      'server connection. Behind PgBouncer in transaction mode the next fetch may land on another connection and ' +
      'fail with "cursor does not exist"; set this to True there. It changes nothing else, but `iterator()` ' +
      'then receives the whole result set into client memory at once, so very large querysets cost more RAM.',
    type: 'bool',
    default: 'False',
    versions: { djangoAdded: '1.11.1' },
    docsUrl: `${S}#std-setting-DATABASE-DISABLE_SERVER_SIDE_CURSORS`,
    example: "'DISABLE_SERVER_SIDE_CURSORS': True,  # PgBouncer pool_mode = transaction",
  },
  {
    name: 'TIME_ZONE',
    summary: 'Time zone of the database session for this connection.',
    doc:
      'Fine on PostgreSQL when `USE_TZ = True` (Django 3.1+): Django sets the session time zone to this value ' +
      '(UTC when unset) after connecting, so aware datetimes come back in it. You rarely need it; leave it None ' +
      'unless another application reads this database in local time. With `USE_TZ = False` Django refuses it ' +
      'with "cannot set TIME_ZONE because USE_TZ is False". Use an IANA name such as `Europe/Paris`.',
    type: 'stringOrNone',
    default: 'None',
    versions: { notes: ['Allowed on PostgreSQL since Django 3.1.'] },
    docsUrl: `${S}#std-setting-DATABASE-TIME_ZONE`,
    example: "'TIME_ZONE': 'Europe/Paris',",
  },
  {
    name: 'TEST',
    summary: 'Settings for the test database of this alias.',
    doc:
      'A dict that controls how `manage.py test` creates the test database: its name, encoding, template, ' +
      'whether migrations run, and mirroring. The test database is created and dropped for you, so the role ' +
      'needs the CREATEDB privilege. Keys from other backends (Oracle tablespaces, MySQL COLLATION) do not belong here.',
    type: 'dict',
    default: '{}',
    docsUrl: `${S}#std-setting-DATABASE-TEST`,
    example: "'TEST': {'NAME': 'test_shop', 'TEMPLATE': 'template0'},",
  },
];

/** Oracle-only TEST keys: the PostgreSQL backend never reads them. Hidden from completion. */
const oracleOnlyDoc =
  'Oracle only: the PostgreSQL backend ignores this key without any error, so it has no effect here. ' +
  'It usually comes from a settings file shared with an Oracle project; remove it.';

export const testKeys: CatalogKey[] = [
  {
    name: 'NAME',
    summary: "Name of the test database (default 'test_' + NAME).",
    doc:
      'Django creates this database before the tests and drops it afterwards, connecting through the ' +
      '`postgres` database to do so. Never point it at a real database: its contents are destroyed. ' +
      'The default prefix counts toward the 63-character limit, and `--parallel` clones add a suffix, ' +
      'so keep long names short. Service-file connections without NAME are not supported for tests.',
    type: 'stringOrNone',
    default: "None ('test_' + NAME)",
    docsUrl: `${S}#std-setting-TEST_NAME`,
    example: "'TEST': {'NAME': 'test_shop'},",
  },
  {
    name: 'CHARSET',
    summary: 'Encoding of the test database (CREATE DATABASE … ENCODING).',
    doc:
      'Passed as `ENCODING` when Django creates the test database. Leave it unset to inherit the template ' +
      "database's encoding. A value such as `'UTF8'` that differs from the template's encoding needs " +
      "`TEMPLATE: 'template0'`, otherwise PostgreSQL refuses the CREATE DATABASE.",
    type: 'stringOrNone',
    default: 'None',
    docsUrl: `${S}#std-setting-TEST_CHARSET`,
    example: "'TEST': {'CHARSET': 'UTF8', 'TEMPLATE': 'template0'},",
  },
  {
    name: 'TEMPLATE',
    summary: 'Template database the test database is copied from (PostgreSQL only).',
    doc:
      'Adds `TEMPLATE "<name>"` to the CREATE DATABASE for tests. `template0` is the usual choice when you ' +
      'need a different encoding or locale than `template1`, or when `template1` has extra objects. ' +
      'Copying fails while anyone else is connected to the template database.',
    type: 'string',
    versions: { djangoAdded: '1.11' },
    docsUrl: `${S}#std-setting-TEST_TEMPLATE`,
    example: "'TEST': {'TEMPLATE': 'template0'},",
  },
  {
    name: 'MIGRATE',
    summary: 'Run migrations when creating the test database.',
    doc:
      'With False, Django creates the test tables straight from the current models instead of running every ' +
      'migration, which can make test setup much faster. Data migrations and custom SQL in migrations are then ' +
      'skipped, so tests that rely on them break.',
    type: 'bool',
    default: 'True',
    versions: { djangoAdded: '3.1' },
    docsUrl: `${S}#std-setting-TEST_MIGRATE`,
    example: "'TEST': {'MIGRATE': False},",
  },
  {
    name: 'MIRROR',
    summary: 'Alias whose test database this alias reuses (replica setups).',
    doc:
      'For a read replica alias: during tests it points at the test database of the named alias instead of ' +
      'getting its own, so writes through the primary are visible through the replica. Use TransactionTestCase ' +
      'for such tests, because TestCase transactions are not shared between the two connections.',
    type: 'stringOrNone',
    default: 'None',
    docsUrl: `${S}#std-setting-TEST_MIRROR`,
    example: "'replica': {..., 'TEST': {'MIRROR': 'default'}},",
  },
  {
    name: 'DEPENDENCIES',
    summary: 'Aliases whose test databases must be created before this one.',
    doc:
      "Controls the creation order of test databases. Non-default aliases depend on `'default'` unless you say " +
      'otherwise; set an empty list to remove that dependency. Circular dependencies make the test runner fail.',
    type: 'list',
    default: "['default'] (for aliases other than default)",
    docsUrl: `${S}#std-setting-TEST_DEPENDENCIES`,
    example: "'TEST': {'DEPENDENCIES': []},",
  },
  {
    name: 'SERIALIZE',
    summary: 'Removed in Django 5.0: serialize the test database state.',
    doc:
      'Controlled whether the test runner serialized the database contents to restore them for ' +
      'TransactionTestCase with `serialized_rollback`. Deprecated in Django 4.0 and ignored since 5.0; ' +
      'set `serialized_aliases` on the test case instead.',
    type: 'bool',
    default: 'True',
    versions: { djangoDeprecated: '4.0', djangoRemoved: '5.0' },
    deprecated: 'TEST SERIALIZE was deprecated in Django 4.0 and removed in 5.0; it has no effect.',
    docsUrl: `${docs.djangoSettings42}#std-setting-TEST_SERIALIZE`,
  },
  {
    name: 'COLLATION',
    summary: 'MySQL only: collation of the test database. PostgreSQL raises.',
    doc:
      'Only the MySQL backend uses it. On PostgreSQL any value other than None makes test database creation fail ' +
      'with "PostgreSQL does not support collation setting at database creation time." ' +
      'To control sorting on PostgreSQL, use `TEMPLATE` with a template database that has the locale you want.',
    type: 'stringOrNone',
    default: 'None',
    docsUrl: `${S}#std-setting-TEST_COLLATION`,
  },
  { name: 'CREATE_DB', summary: 'Oracle only: create the test tablespaces.', doc: oracleOnlyDoc, type: 'bool', hidden: true, docsUrl: `${S}#std-setting-TEST_CREATE` },
  { name: 'CREATE_USER', summary: 'Oracle only: create the test user.', doc: oracleOnlyDoc, type: 'bool', hidden: true, docsUrl: `${S}#std-setting-TEST_USER_CREATE` },
  { name: 'USER', summary: 'Oracle only: user of the test database.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-TEST_USER` },
  { name: 'PASSWORD', summary: 'Oracle only: password of the test user.', doc: oracleOnlyDoc, type: 'string', hidden: true, secret: true, docsUrl: `${S}#std-setting-TEST_PASSWD` },
  { name: 'ORACLE_MANAGED_FILES', summary: 'Oracle only: use Oracle Managed Files.', doc: oracleOnlyDoc, type: 'bool', hidden: true, docsUrl: `${S}#std-setting-TEST_ORACLE_MANAGED_FILES` },
  { name: 'TBLSPACE', summary: 'Oracle only: test tablespace name.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-TEST_TBLSPACE` },
  { name: 'TBLSPACE_TMP', summary: 'Oracle only: temporary test tablespace name.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-TEST_TBLSPACE_TMP` },
  { name: 'DATAFILE', summary: 'Oracle only: test tablespace data file.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE` },
  { name: 'DATAFILE_TMP', summary: 'Oracle only: temporary tablespace data file.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_TMP` },
  { name: 'DATAFILE_MAXSIZE', summary: 'Oracle only: maximum size of DATAFILE.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_MAXSIZE` },
  { name: 'DATAFILE_TMP_MAXSIZE', summary: 'Oracle only: maximum size of DATAFILE_TMP.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_TMP_MAXSIZE` },
  { name: 'DATAFILE_SIZE', summary: 'Oracle only: initial size of DATAFILE.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_SIZE` },
  { name: 'DATAFILE_TMP_SIZE', summary: 'Oracle only: initial size of DATAFILE_TMP.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_TMP_SIZE` },
  { name: 'DATAFILE_EXTSIZE', summary: 'Oracle only: growth step of DATAFILE.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_EXTSIZE` },
  { name: 'DATAFILE_TMP_EXTSIZE', summary: 'Oracle only: growth step of DATAFILE_TMP.', doc: oracleOnlyDoc, type: 'string', hidden: true, docsUrl: `${S}#std-setting-DATAFILE_TMP_EXTSIZE` },
];
