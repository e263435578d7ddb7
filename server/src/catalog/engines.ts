// Values of a DATABASES entry's ENGINE: Django's built-in backends and the
// third-party wrappers around its PostgreSQL backend. Data only.
import type { EngineInfo } from './types';
import { docs } from './urls';

const engineSetting = `${docs.djangoSettings}#std-setting-DATABASE-ENGINE`;
const postgresNotes = `${docs.djangoDatabases}#postgresql-notes`;

export const engines: EngineInfo[] = [
  // Built-in, PostgreSQL.
  {
    name: 'django.db.backends.postgresql',
    doc:
      "Django's PostgreSQL backend. It uses psycopg 3 when installed (Django 4.2+) and falls back to psycopg2. " +
      'Everything in `OPTIONS` that Django does not handle itself is passed to libpq as a connection keyword.',
    postgres: true,
    builtin: true,
    docsUrl: postgresNotes,
  },
  {
    name: 'django.contrib.gis.db.backends.postgis',
    doc:
      'GeoDjango on PostgreSQL. It extends the PostgreSQL backend, so it takes the same `OPTIONS`, ' +
      'and it needs the PostGIS extension in the database (`CREATE EXTENSION postgis`).',
    postgres: true,
    builtin: true,
    docsUrl: `${docs.djangoGisInstall}postgis/`,
  },
  {
    name: 'django.db.backends.postgresql_psycopg2',
    doc:
      'Old name of the PostgreSQL backend. The module itself disappeared in Django 3.0, but Django still maps ' +
      'this string to `django.db.backends.postgresql`, so it keeps working (with psycopg2 or psycopg 3). ' +
      'Rename it to avoid confusion.',
    postgres: true,
    builtin: true,
    deprecated:
      "Legacy spelling: Django maps it to 'django.db.backends.postgresql'. Use that name instead.",
    docsUrl: engineSetting,
  },
  // Built-in, other databases.
  {
    name: 'django.db.backends.mysql',
    doc: "Django's MySQL and MariaDB backend (mysqlclient driver). Not PostgreSQL: its `OPTIONS` keys differ.",
    postgres: false,
    builtin: true,
    docsUrl: `${docs.djangoDatabases}#mysql-notes`,
  },
  {
    name: 'django.db.backends.sqlite3',
    doc: "Django's SQLite backend. `NAME` is a file path here, unlike PostgreSQL where it is a database name.",
    postgres: false,
    builtin: true,
    docsUrl: `${docs.djangoDatabases}#sqlite-notes`,
  },
  {
    name: 'django.db.backends.oracle',
    doc: "Django's Oracle backend (oracledb driver).",
    postgres: false,
    builtin: true,
    docsUrl: `${docs.djangoDatabases}#oracle-notes`,
  },
  {
    name: 'django.contrib.gis.db.backends.mysql',
    doc: 'GeoDjango on MySQL.',
    postgres: false,
    builtin: true,
    docsUrl: docs.djangoGisInstall,
  },
  {
    name: 'django.contrib.gis.db.backends.spatialite',
    doc: 'GeoDjango on SQLite with the SpatiaLite extension.',
    postgres: false,
    builtin: true,
    docsUrl: `${docs.djangoGisInstall}spatialite/`,
  },
  {
    name: 'django.contrib.gis.db.backends.oracle',
    doc: 'GeoDjango on Oracle Spatial.',
    postgres: false,
    builtin: true,
    docsUrl: docs.djangoGisInstall,
  },
  {
    name: 'django.db.backends.dummy',
    doc:
      'Placeholder Django uses when `ENGINE` is missing or empty. Every query raises ImproperlyConfigured ' +
      '("Please supply the ENGINE value"), so seeing it means the entry is incomplete.',
    postgres: false,
    builtin: true,
    docsUrl: engineSetting,
  },
  // Third-party wrappers around Django's PostgreSQL backend.
  {
    name: 'django_prometheus.db.backends.postgresql',
    doc: 'django-prometheus: the PostgreSQL backend with Prometheus query metrics. Same `OPTIONS` as the built-in one.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/korfuri/django-prometheus',
  },
  {
    name: 'django_prometheus.db.backends.postgis',
    doc: 'django-prometheus: the PostGIS backend with Prometheus query metrics.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/korfuri/django-prometheus',
  },
  {
    name: 'django_tenants.postgresql_backend',
    doc:
      'django-tenants: wraps `settings.ORIGINAL_BACKEND` (the PostgreSQL backend by default) and sets ' +
      '`search_path` per tenant. That is session state, so it needs session pooling behind PgBouncer.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/django-tenants/django-tenants',
  },
  {
    name: 'timescale.db.backends.postgresql',
    doc: 'django-timescaledb: the PostgreSQL backend with TimescaleDB hypertable support.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/jamessewell/django-timescaledb',
  },
  {
    name: 'timescale.db.backends.postgis',
    doc: 'django-timescaledb: the PostGIS backend with TimescaleDB hypertable support.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/jamessewell/django-timescaledb',
  },
  {
    name: 'psqlextra.backend',
    doc: 'django-postgres-extra: the PostgreSQL backend with extra features (upserts, partitioning, views).',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/SectorLabs/django-postgres-extra',
  },
  {
    name: 'django_db_geventpool.backends.postgresql_psycopg2',
    doc: 'django-db-geventpool with psycopg2: a gevent-friendly pool. It reads its own keys such as `MAX_CONNS` from `OPTIONS`.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/jneight/django-db-geventpool',
  },
  {
    name: 'django_db_geventpool.backends.postgresql_psycopg3',
    doc: 'django-db-geventpool with psycopg 3: a gevent-friendly pool. It reads its own keys such as `MAX_CONNS` from `OPTIONS`.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/jneight/django-db-geventpool',
  },
  {
    name: 'django_db_geventpool.backends.postgis',
    doc: 'django-db-geventpool for PostGIS. It reads its own keys such as `MAX_CONNS` from `OPTIONS`.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/jneight/django-db-geventpool',
  },
  {
    name: 'dj_db_conn_pool.backends.postgresql',
    doc: 'django-db-connection-pool: an SQLAlchemy-style pool around the PostgreSQL backend.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/altairbow/django-db-connection-pool',
  },
  {
    name: 'dj_db_conn_pool.backends.postgis',
    doc: 'django-db-connection-pool for PostGIS.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/altairbow/django-db-connection-pool',
  },
  {
    name: 'dj_db_conn_pool.backends.postgresql.django_tenants',
    doc: 'django-db-connection-pool combined with django-tenants.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/altairbow/django-db-connection-pool',
  },
  {
    name: 'django_postgrespool2',
    doc: 'django-postgrespool2: an SQLAlchemy pool around the PostgreSQL backend.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://github.com/edevil/django-postgrespool2',
  },
  {
    name: 'django_iam_dbauth.aws.postgresql',
    doc: 'django-iam-dbauth: the PostgreSQL backend with AWS RDS IAM authentication tokens instead of a fixed password.',
    postgres: true,
    builtin: false,
    docsUrl: 'https://pypi.org/project/django-iam-dbauth/',
  },
  {
    name: 'django_pg_real_pool',
    doc: "django-pg-real-pool: builds on Django 5.1's native pool; it requires `CONN_MAX_AGE = 0`.",
    postgres: true,
    builtin: false,
    docsUrl: 'https://pypi.org/project/django-pg-real-pool/',
  },
  {
    name: 'django_cockroachdb',
    doc:
      'django-cockroachdb: for CockroachDB, which speaks the PostgreSQL protocol but is not PostgreSQL. ' +
      'PostgreSQL-specific advice may not apply.',
    postgres: false,
    builtin: false,
    docsUrl: 'https://github.com/cockroachdb/django-cockroachdb',
  },
];
