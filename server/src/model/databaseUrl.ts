// Decodes a DATABASE_URL the way dj_database_url does (urllib.parse.urlsplit semantics), so what we
// show is what Django will get, including the surprises of an unescaped password.

export interface DecodedDatabaseUrl {
  scheme: string;
  engine?: string;
  name: string;
  user: string;
  password: string;
  host: string;
  port: string;
  /** Query parameters: dj_database_url passes them to OPTIONS. */
  options: Record<string, string>;
  /** Problems a user should hear about (e.g. a password that breaks the URL). */
  problems: string[];
}

const ENGINES: Record<string, string> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  oracle: 'django.db.backends.oracle',
  cockroach: 'django_cockroachdb',
};

export const POSTGRES_URL_SCHEMES = new Set(['postgres', 'postgresql', 'pgsql', 'postgis']);

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', '%2B'));
  } catch {
    return text;
  }
}

export function decodeDatabaseUrl(url: string): DecodedDatabaseUrl | undefined {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) return undefined;
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  const rest = url.slice(schemeEnd + 3);
  // urlsplit: the network location ends at the first '/', '?' or '#'.
  let netlocEnd = rest.length;
  for (const stop of ['/', '?', '#']) {
    const at = rest.indexOf(stop);
    if (at >= 0 && at < netlocEnd) netlocEnd = at;
  }
  const netloc = rest.slice(0, netlocEnd);
  let tail = rest.slice(netlocEnd);
  const hashAt = tail.indexOf('#');
  if (hashAt >= 0) tail = tail.slice(0, hashAt);
  const queryAt = tail.indexOf('?');
  const path = queryAt >= 0 ? tail.slice(0, queryAt) : tail;
  const query = queryAt >= 0 ? tail.slice(queryAt + 1) : '';

  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : '';
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  const colon = userinfo.indexOf(':');
  const user = percentDecode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
  const password = colon >= 0 ? percentDecode(userinfo.slice(colon + 1)) : '';

  let host = hostport;
  let port = '';
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    host = hostport.slice(1, close);
    port = hostport.slice(close + 2);
  } else if (!hostport.includes(',')) {
    const portAt = hostport.lastIndexOf(':');
    if (portAt >= 0) {
      host = hostport.slice(0, portAt);
      port = hostport.slice(portAt + 1);
    }
  }
  const options: Record<string, string> = {};
  for (const pair of query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    options[percentDecode(eq >= 0 ? pair.slice(0, eq) : pair)] = percentDecode(eq >= 0 ? pair.slice(eq + 1) : '');
  }
  const problems: string[] = [];
  if (port !== '' && !isDigits(port)) {
    problems.push(`the port part "${port}" is not a number: a password or user name with an unescaped ":", "@", "/", "?" or "#" breaks the URL`);
  }
  if (hashAt >= 0 || (netloc !== rest && path.includes('@'))) {
    problems.push('the URL contains a "#" or an "@" after the host: an unescaped character in the password cut it short');
  }
  if (userinfo.includes(' ') || userinfo.includes('%') && percentDecode(userinfo) === userinfo) {
    problems.push('the user or password contains a space or a "%" that is not percent-encoded');
  }
  return {
    scheme,
    engine: ENGINES[scheme],
    name: percentDecode(path.replace(/^\//, '')),
    user,
    password,
    host: percentDecode(host),
    port,
    options,
    problems,
  };
}

function isDigits(text: string): boolean {
  return text.length > 0 && [...text].every((c) => c >= '0' && c <= '9');
}

/** Percent-encode a password for use inside a DATABASE_URL. */
export function encodeUrlPassword(password: string): string {
  return encodeURIComponent(password);
}
