// Managed PostgreSQL services: the poolers they put in front of PostgreSQL (how to recognise them from HOST
// and PORT, and their pool mode) and their TLS requirements where they differ from a plain server. Each
// fact comes from the service's own documentation (docsUrl). Data only: pgbouncerDetect.ts and the hover
// docs read it.

export interface ManagedPooler {
  /** The pooling software, when the service documents it. */
  software?: 'PgBouncer' | 'Supavisor';
  /** Matches when PORT is this (and hostPattern, if any, matches too). */
  port?: number;
  /** Regular expression source, case-insensitive, tested against HOST. */
  hostPattern?: string;
  /** The pool mode the service documents for it; undefined when the user chooses it per pool. */
  poolMode?: 'transaction' | 'session';
  /** How the reason reads in a diagnostic or in Test Connection ("PORT 6543 is …"). */
  reason: string;
}

export interface ManagedService {
  name: string;
  /** Regular expression source, case-insensitive, tested against HOST: the service's own host names. */
  hostPattern: string;
  poolers: ManagedPooler[];
  /** What the service asks of TLS, for the sslmode and sslrootcert hover. */
  tls?: string;
  docsUrl: string;
  tlsDocsUrl?: string;
}

export const managedServices: readonly ManagedService[] = [
  {
    name: 'Supabase',
    hostPattern: '\\.supabase\\.(co|com)$',
    poolers: [
      { software: 'Supavisor', hostPattern: '\\.pooler\\.supabase\\.com$', port: 6543, poolMode: 'transaction', reason: "HOST is Supabase's shared pooler (Supavisor) and PORT 6543 is its transaction mode" },
      { software: 'Supavisor', hostPattern: '\\.pooler\\.supabase\\.com$', port: 5432, poolMode: 'session', reason: "HOST is Supabase's shared pooler (Supavisor) and PORT 5432 is its session mode" },
      { hostPattern: '\\.supabase\\.co$', port: 6543, poolMode: 'transaction', reason: "PORT 6543 is Supabase's transaction-mode pooler port" },
    ],
    docsUrl: 'https://supabase.com/docs/guides/database/connecting-to-postgres',
  },
  {
    name: 'Neon',
    hostPattern: '\\.neon\\.tech$',
    poolers: [
      { software: 'PgBouncer', hostPattern: '-pooler\\.', poolMode: 'transaction', reason: "HOST is a Neon -pooler endpoint (Neon's PgBouncer, transaction mode)" },
    ],
    tls: 'Neon refuses connections without TLS. Its certificates come from a public CA, so with libpq 16+ `sslrootcert=system` verifies them (sslmode `verify-full`) without a CA file to download.',
    docsUrl: 'https://neon.com/docs/connect/connection-pooling',
    tlsDocsUrl: 'https://neon.com/docs/connect/connect-securely',
  },
  {
    name: 'DigitalOcean',
    hostPattern: '\\.db\\.ondigitalocean\\.com$',
    poolers: [
      { software: 'PgBouncer', port: 25061, reason: "PORT 25061 is the port of DigitalOcean's PgBouncer connection pools (the pool mode is chosen per pool)" },
    ],
    docsUrl: 'https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/',
  },
  {
    name: 'Amazon RDS',
    hostPattern: '\\.rds\\.amazonaws\\.com(\\.cn)?$',
    poolers: [],
    tls: 'RDS for PostgreSQL 15 and later require TLS by default (`rds.force_ssl = 1`). For `verify-full`, point `sslrootcert` at the RDS CA bundle (`global-bundle.pem`) from AWS; the certificate names the instance endpoint, so HOST must be that endpoint, not an IP address.',
    docsUrl: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html',
    tlsDocsUrl: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html',
  },
  {
    name: 'Azure Database for PostgreSQL',
    hostPattern: '\\.postgres\\.database\\.azure\\.com$',
    poolers: [],
    tls: 'Flexible Server enforces TLS 1.2 or later by default (`require_secure_transport` on). For `verify-full`, `sslrootcert` must hold the root CAs Microsoft lists for the service.',
    docsUrl: 'https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-tls-ssl',
    tlsDocsUrl: 'https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-tls-ssl',
  },
];

/** Poolers recognised on any host, by the conventions the services above made common. */
export const genericPoolers: readonly ManagedPooler[] = [
  { port: 6543, poolMode: 'transaction', reason: "PORT 6543 is the transaction-mode pooler port Supabase made common" },
  { port: 25061, reason: "PORT 25061 is the port DigitalOcean gives its PgBouncer connection pools" },
  { hostPattern: '-pooler\\.', reason: 'HOST names a -pooler endpoint, the way Neon and others name their connection pooler' },
];

/** The libpq keywords whose hover names the managed services' TLS requirements. */
export const MANAGED_TLS_KEYS: readonly string[] = ['sslmode', 'sslrootcert'];
