// Every libpq connection keyword of PostgreSQL 13–18, as a key of a Django
// DATABASES entry's OPTIONS dict. Data only. Enumerations list the exact
// spellings libpq accepts; they are case-sensitive unless caseInsensitive.
import type { CatalogKey, EnumValue } from './types';
import { docs } from './urls';

const L = docs.libpqConnect;

/** Shared by ssl_min_protocol_version and ssl_max_protocol_version. */
const tlsVersions: EnumValue[] = [
  { value: 'TLSv1', doc: 'TLS 1.0: obsolete and weak; only for very old servers.' },
  { value: 'TLSv1.1', doc: 'TLS 1.1: obsolete; avoid.' },
  { value: 'TLSv1.2', doc: 'TLS 1.2: the minimum libpq uses by default and a safe floor.', recommended: true },
  { value: 'TLSv1.3', doc: 'TLS 1.3: the newest version; needs OpenSSL 1.1.1+ on both sides.' },
];

/** Shared by min_protocol_version and max_protocol_version (libpq 18). */
const wireProtocolVersions: EnumValue[] = [
  { value: '3.0', doc: 'Protocol 3.0, understood by every PostgreSQL server since 7.4 and by poolers.' },
  { value: '3.2', doc: 'Protocol 3.2, introduced with PostgreSQL 18 (longer cancel keys).' },
  { value: 'latest', doc: 'The newest protocol this libpq supports (3.2 in libpq 18).' },
];

const djangoOverrides =
  'Django sets this keyword itself from the matching top-level key when that key is non-empty, so a value here only ' +
  'counts when the top-level key is empty. Set the top-level key instead.';

const debugOnly = 'Debugging aid, not for Django applications.';

export const libpqKeywords: CatalogKey[] = [
  // Where to connect.
  {
    name: 'host',
    summary: 'Host name, IP address or socket directory (set HOST instead).',
    doc:
      'Where the server is: a host name, an IP address, or a directory starting with `/` that holds the Unix ' +
      'socket. A comma-separated list gives fallback hosts, tried in order. ' + djangoOverrides,
    type: 'string',
    envVar: 'PGHOST',
    docsUrl: `${L}#LIBPQ-CONNECT-HOST`,
  },
  {
    name: 'hostaddr',
    summary: 'Numeric IP address of the server, skipping DNS.',
    doc:
      'A numeric IPv4 or IPv6 address; libpq connects to it without a DNS lookup. When `host` is also set, ' +
      '`host` is still used for certificate checks (`sslmode=verify-full`), Kerberos and the password file. ' +
      "A host name here fails with \"could not parse network address\". Lists must have as many entries as `host`.",
    type: 'string',
    envVar: 'PGHOSTADDR',
    docsUrl: `${L}#LIBPQ-CONNECT-HOSTADDR`,
    example: "'OPTIONS': {'hostaddr': '127.0.0.1'},",
  },
  {
    name: 'port',
    summary: 'Server port (set PORT instead).',
    doc:
      'TCP port, or the number in the Unix socket file name. A comma-separated list gives one port per host. ' +
      djangoOverrides,
    type: 'int',
    default: '5432',
    min: 1,
    max: 65535,
    envVar: 'PGPORT',
    docsUrl: `${L}#LIBPQ-CONNECT-PORT`,
  },
  {
    name: 'dbname',
    summary: 'Database name (set NAME instead: this one silently wins).',
    doc:
      'The database to connect to. Django builds it from NAME, but a `dbname` in OPTIONS overrides NAME, so the ' +
      'NAME you read in settings is not the database actually used. Remove it and keep only NAME.',
    type: 'string',
    envVar: 'PGDATABASE',
    docsUrl: `${L}#LIBPQ-CONNECT-DBNAME`,
  },
  {
    name: 'user',
    summary: 'Role name (set USER instead).',
    doc: 'The PostgreSQL role to log in as. ' + djangoOverrides,
    type: 'string',
    envVar: 'PGUSER',
    docsUrl: `${L}#LIBPQ-CONNECT-USER`,
  },
  {
    name: 'password',
    summary: 'Password (set PASSWORD instead; secret).',
    doc: 'The password of the role. ' + djangoOverrides,
    type: 'string',
    envVar: 'PGPASSWORD',
    secret: true,
    docsUrl: `${L}#LIBPQ-CONNECT-PASSWORD`,
  },
  {
    name: 'passfile',
    summary: 'Password file to read the password from (default ~/.pgpass).',
    doc:
      'Path of a file with lines `host:port:database:user:password` (`*` matches anything); libpq uses the first ' +
      'line that matches the connection when no password is given. It keeps the password out of settings.py. ' +
      'On Unix libpq ignores the file unless its mode is 0600 or stricter. Django documents this key since 4.0 ' +
      'and `dbshell` passes it on.',
    type: 'path',
    default: '~/.pgpass',
    envVar: 'PGPASSFILE',
    docsUrl: `${L}#LIBPQ-CONNECT-PASSFILE`,
    example: "'OPTIONS': {'passfile': '.my_pgpass'},",
  },
  {
    name: 'service',
    summary: 'Named connection service from pg_service.conf.',
    doc:
      'Reads connection parameters from a section of the service file (`~/.pg_service.conf`, or the file named by ' +
      '`PGSERVICEFILE`). Since Django 4.0 NAME may then be left empty. Setting NAME to None discards the service. ' +
      'An unknown name fails with `definition of service "x" not found`; the test runner does not support services.',
    type: 'string',
    envVar: 'PGSERVICE',
    versions: { notes: ['Documented by Django since 4.0 (NAME optional with a service).'] },
    docsUrl: `${L}#LIBPQ-CONNECT-SERVICE`,
    example: "'NAME': '',\n'OPTIONS': {'service': 'shop', 'passfile': '.pgpass'},",
  },
  // Authentication.
  {
    name: 'require_auth',
    summary: 'Authentication methods the client accepts (libpq 16+).',
    doc:
      'A comma-separated list of methods the server may ask for; any other method makes libpq abort, which ' +
      'stops a fake server from collecting your password. Prefix methods with `!` to forbid them instead ' +
      '(`!password,!md5`), but do not mix negated and plain entries. Values are lower-case.',
    type: 'enumList',
    values: [
      { value: 'password', doc: 'Allow cleartext password authentication.' },
      { value: 'md5', doc: 'Allow MD5 password authentication.' },
      { value: 'gss', doc: 'Allow Kerberos/GSSAPI authentication.' },
      { value: 'sspi', doc: 'Allow Windows SSPI authentication.' },
      { value: 'scram-sha-256', doc: 'Allow SCRAM-SHA-256, the recommended password method.', recommended: true },
      { value: 'oauth', doc: 'Allow OAuth bearer-token authentication.', sinceLibpq: 18 },
      { value: 'none', doc: 'Allow servers that ask for no authentication at all (trust).' },
    ],
    envVar: 'PGREQUIREAUTH',
    versions: { libpqAdded: 16 },
    docsUrl: `${L}#LIBPQ-CONNECT-REQUIRE-AUTH`,
    example: "'OPTIONS': {'require_auth': 'scram-sha-256'},",
  },
  {
    name: 'channel_binding',
    summary: 'Whether SCRAM channel binding is required.',
    doc:
      'Channel binding ties SCRAM authentication to the TLS connection so a man in the middle cannot relay it. ' +
      '`require` needs both TLS and SCRAM-SHA-256 on the server; over plain TCP it fails with ' +
      '"channel binding required, but server authenticated client without channel binding".',
    type: 'enum',
    values: [
      { value: 'disable', doc: 'Never use channel binding.' },
      { value: 'prefer', doc: 'Use channel binding when the server supports it (default).' },
      { value: 'require', doc: 'Refuse to connect without channel binding (needs TLS and SCRAM).' },
    ],
    default: 'prefer',
    envVar: 'PGCHANNELBINDING',
    versions: { libpqAdded: 13 },
    docsUrl: `${L}#LIBPQ-CONNECT-CHANNEL-BINDING`,
  },
  // Timeouts and TCP.
  {
    name: 'connect_timeout',
    summary: 'Seconds to wait for a connection before giving up.',
    doc:
      'Maximum wait, in whole seconds, for each host to accept the connection; 0, a negative number or leaving it ' +
      'unset means wait forever (psycopg 3 then applies its own 130 s limit). Set it in production so an ' +
      'unreachable database fails fast instead of hanging workers. It must be an integer: `2.5` or `\'ten\'` is ' +
      'rejected by libpq, and 1 is treated as 2.',
    type: 'int',
    units: 's',
    envVar: 'PGCONNECT_TIMEOUT',
    docsUrl: `${L}#LIBPQ-CONNECT-CONNECT-TIMEOUT`,
    example: "'OPTIONS': {'connect_timeout': 5},",
  },
  {
    name: 'client_encoding',
    summary: 'Client character encoding (Django forces UTF8).',
    doc:
      'Django 4.2.1+ always replaces this with `UTF8`, so a value here has no effect. Leave it out.',
    type: 'string',
    envVar: 'PGCLIENTENCODING',
    docsUrl: `${L}#LIBPQ-CONNECT-CLIENT-ENCODING`,
  },
  {
    name: 'options',
    summary: "Server settings at connection start, e.g. '-c statement_timeout=5s'.",
    doc:
      'Command-line options for the server session: `-c name=value` pairs separated by spaces, for example ' +
      '`-c statement_timeout=5s -c search_path=app,public`. Escape a space inside a value with a backslash; ' +
      'quotes are not understood. A typo in a setting name makes every connection fail. ' +
      'PgBouncer before 1.20 rejects this parameter, and later versions pass only a few tracked settings.',
    type: 'string',
    envVar: 'PGOPTIONS',
    docsUrl: `${L}#LIBPQ-CONNECT-OPTIONS`,
    example: "'OPTIONS': {'options': '-c statement_timeout=5s -c lock_timeout=2s'},",
  },
  {
    name: 'application_name',
    summary: 'Name shown for this connection in pg_stat_activity and logs.',
    doc:
      'Labels the connection on the server, which makes it easy to tell web workers, Celery workers and ' +
      'scripts apart in `pg_stat_activity` and in the server log. The server keeps at most 63 bytes. ' +
      'PgBouncer forwards it.',
    type: 'string',
    envVar: 'PGAPPNAME',
    docsUrl: `${L}#LIBPQ-CONNECT-APPLICATION-NAME`,
    example: "'OPTIONS': {'application_name': 'shop-web'},",
  },
  {
    name: 'fallback_application_name',
    summary: 'application_name used only when none is set.',
    doc:
      'A default label for the connection that `application_name` or `PGAPPNAME` overrides. Useful in shared ' +
      'settings when deployments may set their own name through the environment.',
    type: 'string',
    docsUrl: `${L}#LIBPQ-CONNECT-FALLBACK-APPLICATION-NAME`,
  },
  {
    name: 'keepalives',
    summary: 'TCP keepalives on (1, default) or off (0).',
    doc:
      'Keepalives let the client notice a dead server or network path on idle connections, which matters for ' +
      'persistent connections (CONN_MAX_AGE) through firewalls or load balancers that drop idle flows. ' +
      'Leave it on; 0 turns it off. It has no effect on Unix-socket connections.',
    type: 'int',
    default: '1',
    docsUrl: `${L}#LIBPQ-CONNECT-KEEPALIVES`,
  },
  {
    name: 'keepalives_idle',
    summary: 'Idle seconds before the first TCP keepalive probe.',
    doc:
      'Seconds of silence after which the OS sends a keepalive probe (the OS default is often 2 hours, too long ' +
      'for most firewalls). Set it below the idle timeout of whatever sits between Django and the server. ' +
      'libpq documents 0 as "the OS default", but it hands the value to the kernel, and Linux accepts only ' +
      '1–32767: 0 or a negative value makes the connection fail. Leave the key out for the default.',
    type: 'int',
    units: 's',
    min: 1,
    max: 32767,
    docsUrl: `${L}#LIBPQ-CONNECT-KEEPALIVES-IDLE`,
    example: "'OPTIONS': {'keepalives_idle': 60, 'keepalives_interval': 10, 'keepalives_count': 5},",
  },
  {
    name: 'keepalives_interval',
    summary: 'Seconds between unanswered TCP keepalive probes.',
    doc:
      'How long the OS waits for a keepalive reply before sending the next probe. Together with ' +
      '`keepalives_count` it decides how fast a dead connection is detected. Linux accepts 1–32767 (0 fails the ' +
      'connection despite libpq\'s docs); leave the key out for the OS default.',
    type: 'int',
    units: 's',
    min: 1,
    max: 32767,
    docsUrl: `${L}#LIBPQ-CONNECT-KEEPALIVES-INTERVAL`,
  },
  {
    name: 'keepalives_count',
    summary: 'Unanswered keepalive probes before the connection is dropped.',
    doc:
      'Number of lost keepalive probes after which the OS considers the connection dead. Set it together with ' +
      '`keepalives_idle` and `keepalives_interval`. Linux accepts 1–127 (0 fails the connection despite libpq\'s ' +
      'docs); leave the key out for the OS default.',
    type: 'int',
    min: 1,
    max: 127,
    docsUrl: `${L}#LIBPQ-CONNECT-KEEPALIVES-COUNT`,
  },
  {
    name: 'tcp_user_timeout',
    summary: 'Milliseconds unacknowledged data may wait before the connection is dropped.',
    doc:
      'Closes the connection when sent data stays unacknowledged this long, so a query does not hang for ' +
      'minutes after a network failure. The unit is milliseconds, not seconds: `30` is 30 ms and will break ' +
      'connections; write `30000` for 30 s. 0 uses the OS default; no effect on Unix sockets or OSes without it.',
    type: 'int',
    units: 'ms',
    default: '0',
    docsUrl: `${L}#LIBPQ-CONNECT-TCP-USER-TIMEOUT`,
    example: "'OPTIONS': {'tcp_user_timeout': 30000},  # 30 seconds",
  },
  {
    name: 'replication',
    summary: 'Open a replication connection (not for Django).',
    doc:
      'Turns the connection into a physical (`true`) or logical (`database`) replication connection, which only ' +
      'accepts replication commands. Django cannot run ORM queries over it. ' + debugOnly,
    type: 'enum',
    values: [
      { value: 'true', doc: 'Physical replication connection.' },
      { value: 'on', doc: 'Same as true.' },
      { value: 'yes', doc: 'Same as true.' },
      { value: '1', doc: 'Same as true.' },
      { value: 'database', doc: 'Logical replication connection to the database in dbname.' },
      { value: 'false', doc: 'Normal connection (default).' },
      { value: 'off', doc: 'Same as false.' },
      { value: 'no', doc: 'Same as false.' },
      { value: '0', doc: 'Same as false.' },
    ],
    hidden: true,
    docsUrl: `${L}#LIBPQ-CONNECT-REPLICATION`,
  },
  // Encryption.
  {
    name: 'gssencmode',
    summary: 'Whether to use GSSAPI (Kerberos) encryption.',
    doc:
      'Only matters in Kerberos environments. With the default `prefer`, libpq first tries a GSSAPI-encrypted ' +
      'connection when it has Kerberos credentials, then falls back to TLS or plain. Set `disable` if connecting ' +
      'is slow or fails because of a stale Kerberos ticket.',
    type: 'enum',
    values: [
      { value: 'disable', doc: 'Never try GSSAPI encryption.' },
      { value: 'prefer', doc: 'Try GSSAPI encryption first when credentials exist (default if libpq has GSSAPI).' },
      { value: 'require', doc: 'Fail unless a GSSAPI-encrypted connection can be made.' },
    ],
    default: 'prefer',
    envVar: 'PGGSSENCMODE',
    docsUrl: `${L}#LIBPQ-CONNECT-GSSENCMODE`,
  },
  {
    name: 'sslmode',
    summary: 'Whether TLS is used and how much the server certificate is checked.',
    doc:
      'The default `prefer` encrypts when the server offers TLS but checks nothing, so it does not protect against ' +
      'a man in the middle. Use `require` for encryption only, or `verify-full` (with `sslrootcert`) to also check ' +
      'the certificate and host name; it is the setting to use across untrusted networks. ' +
      'Spelling is exact and lower-case: `REQUIRE`, `verify_full` or `True` are rejected.',
    type: 'enum',
    values: [
      { value: 'disable', doc: 'Plain connection only, never TLS.' },
      { value: 'allow', doc: 'Try plain first, TLS only if the server insists. Rarely useful.' },
      { value: 'prefer', doc: 'Try TLS first, fall back to plain; no certificate check (default).' },
      { value: 'require', doc: 'TLS required, but the certificate is not checked (unless sslrootcert is set, then like verify-ca).' },
      { value: 'verify-ca', doc: 'TLS required and the certificate must be signed by a trusted CA; host name not checked.' },
      { value: 'verify-full', doc: 'TLS required, trusted certificate, and the host name must match it. The safe choice.', recommended: true },
    ],
    default: 'prefer',
    envVar: 'PGSSLMODE',
    docsUrl: `${L}#LIBPQ-CONNECT-SSLMODE`,
    example: "'OPTIONS': {'sslmode': 'verify-full', 'sslrootcert': '/etc/ssl/certs/db-ca.pem'},",
  },
  {
    name: 'requiressl',
    summary: 'Legacy alias of sslmode; silently overrides it.',
    doc:
      'An old spelling that libpq still parses: `1` means `sslmode=require`, anything else means ' +
      '`sslmode=prefer`. It overrides an `sslmode` given before it, so `requiressl=0` can silently downgrade ' +
      '`verify-full` to `prefer`. Remove it and use `sslmode`.',
    type: 'int',
    hidden: true,
    deprecated: 'Legacy alias that overrides sslmode (requiressl=0 means sslmode=prefer); use sslmode.',
    docsUrl: docs.libpqKeywordList,
  },
  {
    name: 'sslnegotiation',
    summary: 'How TLS is started: PostgreSQL handshake or direct TLS (libpq 17+).',
    doc:
      '`direct` starts TLS immediately, saving a round trip and allowing ALPN-based proxies; the server must be ' +
      'PostgreSQL 17 or newer. It is only allowed with `sslmode` `require`, `verify-ca` or `verify-full`; ' +
      'with the default `prefer` libpq refuses to connect.',
    type: 'enum',
    values: [
      { value: 'postgres', doc: 'Ask the server for TLS first, as every PostgreSQL version understands (default).' },
      { value: 'direct', doc: 'Start the TLS handshake right away (PostgreSQL 17+ servers; needs a strict sslmode).' },
    ],
    default: 'postgres',
    envVar: 'PGSSLNEGOTIATION',
    versions: { libpqAdded: 17 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLNEGOTIATION`,
  },
  {
    name: 'sslcompression',
    summary: 'TLS compression (no effect on current servers).',
    doc:
      '1 asked for TLS-level compression, 0 (default) disables it. PostgreSQL 14 removed server support and ' +
      'modern OpenSSL disables it anyway, so the setting does nothing today; remove it.',
    type: 'int',
    default: '0',
    min: 0,
    max: 1,
    envVar: 'PGSSLCOMPRESSION',
    docsUrl: `${L}#LIBPQ-CONNECT-SSLCOMPRESSION`,
  },
  {
    name: 'sslcert',
    summary: 'Client certificate file for certificate authentication.',
    doc:
      'Path of the client certificate presented to the server, used with `cert` authentication in pg_hba.conf ' +
      'or `clientcert=verify-full`. It goes with `sslkey`. Relative paths are resolved from the working directory ' +
      'of the Django process, which differs between runserver, gunicorn and Celery: use absolute paths.',
    type: 'path',
    default: '~/.postgresql/postgresql.crt',
    envVar: 'PGSSLCERT',
    docsUrl: `${L}#LIBPQ-CONNECT-SSLCERT`,
  },
  {
    name: 'sslkey',
    summary: 'Private key file of the client certificate.',
    doc:
      'Path of the private key matching `sslcert`. libpq refuses a key file that group or others can read, so ' +
      '`chmod 600` it. If the key is encrypted, give its passphrase in `sslpassword`.',
    type: 'path',
    default: '~/.postgresql/postgresql.key',
    envVar: 'PGSSLKEY',
    docsUrl: `${L}#LIBPQ-CONNECT-SSLKEY`,
  },
  {
    name: 'sslcertmode',
    summary: 'Whether a client certificate may or must be sent (libpq 16+).',
    doc:
      'Controls the client certificate: `allow` (default) sends one if the server asks and files exist; ' +
      '`require` fails unless the server requested a certificate, which guards against a server that skips ' +
      'certificate authentication; `disable` never sends one.',
    type: 'enum',
    values: [
      { value: 'disable', doc: 'Never send a client certificate.' },
      { value: 'allow', doc: 'Send a certificate when the server asks and one is configured (default).' },
      { value: 'require', doc: 'Fail unless the server asks for a client certificate.' },
    ],
    default: 'allow',
    envVar: 'PGSSLCERTMODE',
    versions: { libpqAdded: 16 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLCERTMODE`,
  },
  {
    name: 'sslpassword',
    summary: 'Passphrase of an encrypted sslkey (secret).',
    doc:
      'Decrypts the client private key in `sslkey`. Without it, an encrypted key makes libpq ask on the terminal, ' +
      'which hangs or fails in a web server. Load it from the environment rather than writing it into settings.',
    type: 'string',
    secret: true,
    versions: { libpqAdded: 13 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLPASSWORD`,
  },
  {
    name: 'sslrootcert',
    summary: "CA certificate file used to verify the server, or 'system'.",
    doc:
      'File of trusted certificate authorities used with `sslmode=verify-ca` or `verify-full`. Since libpq 16 ' +
      "the value `system` uses the operating system's trusted CAs and makes `verify-full` the default; weaker " +
      'sslmodes are then refused. Managed databases (RDS, Cloud SQL, Azure) publish the CA file to download.',
    type: 'path',
    values: [
      { value: 'system', doc: "Trust the operating system's CA store; forces sslmode verify-full.", sinceLibpq: 16 },
    ],
    default: '~/.postgresql/root.crt',
    envVar: 'PGSSLROOTCERT',
    versions: { notes: ["The special value 'system' needs libpq 16+."] },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLROOTCERT`,
    example: "'OPTIONS': {'sslmode': 'verify-full', 'sslrootcert': 'system'},",
  },
  {
    name: 'sslcrl',
    summary: 'Certificate revocation list file.',
    doc:
      'A file of revoked server certificates; a server whose certificate is listed is refused. Only checked ' +
      'when the certificate is verified (`verify-ca` / `verify-full`).',
    type: 'path',
    default: '~/.postgresql/root.crl',
    envVar: 'PGSSLCRL',
    docsUrl: `${L}#LIBPQ-CONNECT-SSLCRL`,
  },
  {
    name: 'sslcrldir',
    summary: 'Directory of certificate revocation lists (libpq 14+).',
    doc:
      'Like `sslcrl` but a directory prepared with OpenSSL `rehash`; both may be used together. ' +
      'Only checked when the certificate is verified.',
    type: 'path',
    envVar: 'PGSSLCRLDIR',
    versions: { libpqAdded: 14 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLCRLDIR`,
  },
  {
    name: 'sslsni',
    summary: 'Send the host name in the TLS handshake (SNI), on by default.',
    doc:
      'With 1 (default) libpq sends the server name during the TLS handshake, which TLS-routing proxies need. ' +
      'Set 0 only if a middlebox chokes on it.',
    type: 'int',
    default: '1',
    min: 0,
    max: 1,
    envVar: 'PGSSLSNI',
    versions: { libpqAdded: 14 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLSNI`,
  },
  {
    name: 'sslkeylogfile',
    summary: 'Write TLS session keys to a file (debugging only, libpq 18+).',
    doc:
      'Appends TLS key material to this file so tools like Wireshark can decrypt the traffic. Anyone with the ' +
      'file can read your queries and passwords: never set it in production. ' + debugOnly,
    type: 'path',
    hidden: true,
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSLKEYLOGFILE`,
  },
  {
    name: 'requirepeer',
    summary: 'OS user the server process must run as (Unix sockets).',
    doc:
      'For Unix-socket connections: libpq checks that the server process runs as this operating-system user ' +
      '(usually `postgres`) and refuses otherwise, which stops a rogue process listening on the socket path. ' +
      'Ignored for TCP connections.',
    type: 'string',
    envVar: 'PGREQUIREPEER',
    docsUrl: `${L}#LIBPQ-CONNECT-REQUIREPEER`,
    example: "'OPTIONS': {'requirepeer': 'postgres'},",
  },
  {
    name: 'ssl_min_protocol_version',
    summary: 'Lowest TLS version to accept (default TLSv1.2).',
    doc:
      'Refuses TLS versions below this one. The default `TLSv1.2` is right for almost everyone; raise it to ' +
      '`TLSv1.3` if the server supports it. Note the spelling: `TLSv1.0` is not valid, write `TLSv1` ' +
      '(case does not matter). Must not be above `ssl_max_protocol_version`.',
    type: 'enum',
    values: tlsVersions,
    caseInsensitive: true,
    default: 'TLSv1.2',
    envVar: 'PGSSLMINPROTOCOLVERSION',
    versions: { libpqAdded: 13 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSL-MIN-PROTOCOL-VERSION`,
  },
  {
    name: 'ssl_max_protocol_version',
    summary: 'Highest TLS version to use (default: no limit).',
    doc:
      'Caps the TLS version, mostly to test or work around a broken server. Leave it unset in normal use. ' +
      'Same spellings as `ssl_min_protocol_version` (case does not matter), and it must not be below it.',
    type: 'enum',
    values: tlsVersions,
    caseInsensitive: true,
    envVar: 'PGSSLMAXPROTOCOLVERSION',
    versions: { libpqAdded: 13 },
    docsUrl: `${L}#LIBPQ-CONNECT-SSL-MAX-PROTOCOL-VERSION`,
  },
  {
    name: 'min_protocol_version',
    summary: 'Lowest wire-protocol version to accept (libpq 18+).',
    doc:
      'Refuses servers that cannot speak at least this protocol version. `3.2` means only PostgreSQL 18+ servers ' +
      '(and poolers that support it) will do. Valid spellings are exactly `3.0`, `3.2` and `latest`.',
    type: 'enum',
    values: wireProtocolVersions,
    default: '3.0',
    envVar: 'PGMINPROTOCOLVERSION',
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-MIN-PROTOCOL-VERSION`,
  },
  {
    name: 'max_protocol_version',
    summary: 'Highest wire-protocol version to request (libpq 18+).',
    doc:
      'The protocol version libpq asks for. Older servers negotiate down, but some poolers and proxies fail on ' +
      'a request above 3.0, so raise it only when everything in between supports it. ' +
      'Valid spellings are exactly `3.0`, `3.2` and `latest`.',
    type: 'enum',
    values: wireProtocolVersions,
    default: '3.0',
    envVar: 'PGMAXPROTOCOLVERSION',
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-MAX-PROTOCOL-VERSION`,
  },
  // Kerberos / GSSAPI.
  {
    name: 'krbsrvname',
    summary: "Kerberos service name of the server (default 'postgres').",
    doc:
      'The service principal name used for Kerberos/GSSAPI authentication. Change it only when the server is ' +
      'registered in Kerberos under a name other than `postgres`.',
    type: 'string',
    default: 'postgres',
    envVar: 'PGKRBSRVNAME',
    docsUrl: `${L}#LIBPQ-CONNECT-KRBSRVNAME`,
  },
  {
    name: 'gsslib',
    summary: 'GSS library on Windows: gssapi or sspi.',
    doc:
      'Only meaningful for Windows builds of libpq that include both libraries: `gssapi` forces MIT Kerberos ' +
      'instead of the native SSPI. Linux builds ignore it.',
    type: 'enum',
    values: [
      { value: 'gssapi', doc: 'Use the GSSAPI (MIT Kerberos) library.' },
      { value: 'sspi', doc: 'Use Windows SSPI.' },
    ],
    envVar: 'PGGSSLIB',
    docsUrl: `${L}#LIBPQ-CONNECT-GSSLIB`,
  },
  {
    name: 'gssdelegation',
    summary: 'Forward Kerberos credentials to the server (libpq 16+).',
    doc:
      'With 1 the client delegates its Kerberos credentials so the server can use them, for example for ' +
      'postgres_fdw or dblink to another server. 0 (default) keeps them on the client. Only enable it for ' +
      'servers you trust.',
    type: 'int',
    default: '0',
    min: 0,
    max: 1,
    envVar: 'PGGSSDELEGATION',
    versions: { libpqAdded: 16 },
    docsUrl: `${L}#LIBPQ-CONNECT-GSSDELEGATION`,
  },
  // Multiple hosts.
  {
    name: 'target_session_attrs',
    summary: 'Which kind of server to accept when HOST lists several.',
    doc:
      'With several hosts in HOST, libpq tries them in order until one matches: for example `read-write` finds ' +
      'the primary after a failover. Values are lower-case with dashes: `readwrite` or `prefer_standby` are ' +
      'rejected. Values other than `any` and `read-write` need libpq 14+.',
    type: 'enum',
    values: [
      { value: 'any', doc: 'Accept the first server that answers (default).' },
      { value: 'read-write', doc: 'Accept only a server that accepts writes (a primary not in read-only mode).' },
      { value: 'read-only', doc: 'Accept only a server that refuses writes.', sinceLibpq: 14 },
      { value: 'primary', doc: 'Accept only a primary, even if it is set read-only.', sinceLibpq: 14 },
      { value: 'standby', doc: 'Accept only a standby (hot standby replica).', sinceLibpq: 14 },
      { value: 'prefer-standby', doc: 'Use a standby if one answers, otherwise any server.', sinceLibpq: 14 },
    ],
    default: 'any',
    envVar: 'PGTARGETSESSIONATTRS',
    docsUrl: `${L}#LIBPQ-CONNECT-TARGET-SESSION-ATTRS`,
    example: "'HOST': 'db1,db2',\n'OPTIONS': {'target_session_attrs': 'read-write'},",
  },
  {
    name: 'load_balance_hosts',
    summary: 'Try the listed hosts in random order (libpq 16+).',
    doc:
      '`random` shuffles the hosts (and their addresses) for each connection, spreading load across replicas. ' +
      'The client libpq must be 16 or newer: older ones reject the keyword as an invalid connection option ' +
      'even if the server is new.',
    type: 'enum',
    values: [
      { value: 'disable', doc: 'Try hosts in the order given (default).' },
      { value: 'random', doc: 'Try hosts in random order.' },
    ],
    default: 'disable',
    envVar: 'PGLOADBALANCEHOSTS',
    versions: { libpqAdded: 16 },
    docsUrl: `${L}#LIBPQ-CONNECT-LOAD-BALANCE-HOSTS`,
  },
  // OAuth (libpq 18).
  {
    name: 'oauth_issuer',
    summary: 'OAuth issuer (or discovery) URL (libpq 18+).',
    doc:
      'HTTPS URL of the OAuth authorization server for servers that use `oauth` authentication. It must match ' +
      'the issuer configured on the server. Needs `oauth_client_id` too.',
    type: 'string',
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-OAUTH-ISSUER`,
  },
  {
    name: 'oauth_client_id',
    summary: 'OAuth client identifier (libpq 18+).',
    doc: 'The client ID registered with the OAuth provider, used with `oauth_issuer` during OAuth authentication.',
    type: 'string',
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-OAUTH-CLIENT-ID`,
  },
  {
    name: 'oauth_client_secret',
    summary: 'OAuth client secret (libpq 18+; secret).',
    doc:
      'The client secret for providers that require one. Load it from the environment, never commit it.',
    type: 'string',
    secret: true,
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-OAUTH-CLIENT-SECRET`,
  },
  {
    name: 'oauth_scope',
    summary: 'OAuth scopes to request (libpq 18+).',
    doc: 'Space-separated scopes requested from the OAuth provider; usually given by the server, so set it only when told to.',
    type: 'string',
    versions: { libpqAdded: 18 },
    docsUrl: `${L}#LIBPQ-CONNECT-OAUTH-SCOPE`,
  },
  // Internal and removed keywords.
  {
    name: 'scram_client_key',
    summary: 'Internal SCRAM pass-through key (not for applications).',
    doc:
      'Used internally by postgres_fdw and dblink to pass SCRAM credentials on (libpq 18). ' +
      'Never set it in Django settings. ' + debugOnly,
    type: 'string',
    hidden: true,
    secret: true,
    versions: { libpqAdded: 18 },
    docsUrl: docs.libpqKeywordList,
  },
  {
    name: 'scram_server_key',
    summary: 'Internal SCRAM pass-through key (not for applications).',
    doc:
      'Used internally by postgres_fdw and dblink to pass SCRAM credentials on (libpq 18). ' +
      'Never set it in Django settings. ' + debugOnly,
    type: 'string',
    hidden: true,
    secret: true,
    versions: { libpqAdded: 18 },
    docsUrl: docs.libpqKeywordList,
  },
  {
    name: 'authtype',
    summary: 'Removed keyword: libpq rejects it.',
    doc:
      'An obsolete keyword that did nothing for years and was then removed; current libpq fails with ' +
      '`invalid connection option "authtype"`. Delete it.',
    type: 'string',
    hidden: true,
    deprecated: 'Removed from libpq: connecting fails with invalid connection option.',
    versions: { libpqRemoved: 14, notes: ['Rejected by libpq 15, 17 and 18 (observed).'] },
    docsUrl: `${docs.libpq15}#LIBPQ-PARAMKEYWORDS`,
  },
  {
    name: 'tty',
    summary: 'Removed keyword: libpq rejects it.',
    doc:
      'Once named a terminal for server debug output, then ignored, then removed; current libpq fails with ' +
      '`invalid connection option "tty"`. Delete it.',
    type: 'string',
    hidden: true,
    deprecated: 'Removed from libpq: connecting fails with invalid connection option.',
    versions: { libpqRemoved: 14, notes: ['Rejected by libpq 15, 17 and 18 (observed).'] },
    docsUrl: `${docs.libpq15}#LIBPQ-PARAMKEYWORDS`,
  },
];
