// Base URLs of the upstream documentation the catalog links to. Data only.
// Django links point at one documented release so anchors stay stable.

export const docs = {
  djangoSettings: 'https://docs.djangoproject.com/en/5.2/ref/settings/',
  djangoDatabases: 'https://docs.djangoproject.com/en/5.2/ref/databases/',
  djangoGisInstall: 'https://docs.djangoproject.com/en/5.2/ref/contrib/gis/install/',
  /** TEST['SERIALIZE'] was last documented in 4.2. */
  djangoSettings42: 'https://docs.djangoproject.com/en/4.2/ref/settings/',
  libpqConnect: 'https://www.postgresql.org/docs/current/libpq-connect.html',
  libpqKeywordList: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS',
  libpq15: 'https://www.postgresql.org/docs/15/libpq-connect.html',
  libpqEnvars: 'https://www.postgresql.org/docs/current/libpq-envars.html',
  pgConfigClient: 'https://www.postgresql.org/docs/current/runtime-config-client.html',
  pgConfigConnection: 'https://www.postgresql.org/docs/current/runtime-config-connection.html',
  pgConfigResource: 'https://www.postgresql.org/docs/current/runtime-config-resource.html',
  pgConfigQuery: 'https://www.postgresql.org/docs/current/runtime-config-query.html',
  pgConfigLogging: 'https://www.postgresql.org/docs/current/runtime-config-logging.html',
  pgConfigLocks: 'https://www.postgresql.org/docs/current/runtime-config-locks.html',
  pgConfigWal: 'https://www.postgresql.org/docs/current/runtime-config-wal.html',
  pgSetRole: 'https://www.postgresql.org/docs/current/sql-set-role.html',
  psycopgConnect: 'https://www.psycopg.org/psycopg3/docs/api/connections.html#psycopg.Connection.connect',
  psycopgPrepare: 'https://www.psycopg.org/psycopg3/docs/advanced/prepare.html',
  psycopgPool: 'https://www.psycopg.org/psycopg3/docs/api/pool.html#psycopg_pool.ConnectionPool',
  psycopg2Connect: 'https://www.psycopg.org/docs/module.html#psycopg2.connect',
  pgbouncerConfig: 'https://www.pgbouncer.org/config.html',
} as const;
