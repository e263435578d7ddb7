// A password written into a DATABASE_URL without percent-encoding: what the user meant, what dj_database_url
// reads instead, and the URL with the password encoded (RFC 3986 userinfo; Python's urllib.parse.urlsplit).
import { decodeDatabaseUrl, type DecodedDatabaseUrl } from '../model/databaseUrl';

/** Characters that must be percent-encoded in the password part of a URL. */
const UNSAFE = ['@', ':', '/', '?', '#', ' '];

export interface UrlPasswordProblem {
  /** The offending characters as they appear, e.g. ['/', '%']. */
  characters: string[];
  /** The same URL with the password percent-encoded (already-encoded %XX kept). */
  encodedUrl: string;
  /** What dj_database_url makes of the URL as written. */
  asWritten: DecodedDatabaseUrl | undefined;
  /** True when the URL as written yields another host, port, name or password than meant. */
  misread: boolean;
}

/** Encode everything but the %XX sequences that are already there. */
function encodePassword(password: string): string {
  return password.split(/(%[0-9A-Fa-f]{2})/).map((part, i) => (i % 2 === 1 ? part : encodeURIComponent(part))).join('');
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Reads `scheme://user:password@host…` the way a person means it: the password runs to the last '@' before
 * the host. Undefined when the URL has no password or the password needs no encoding.
 */
export function checkUrlPassword(url: string): UrlPasswordProblem | undefined {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) return undefined;
  const rest = url.slice(schemeEnd + 3);
  const at = rest.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return undefined;
  const password = userinfo.slice(colon + 1);
  const characters = UNSAFE.filter((c) => password.includes(c));
  if (/%(?![0-9A-Fa-f]{2})/.test(password)) characters.push('%');
  if (characters.length === 0) return undefined;
  const encodedUrl = `${url.slice(0, schemeEnd + 3)}${userinfo.slice(0, colon + 1)}${encodePassword(password)}${rest.slice(at)}`;
  const asWritten = decodeDatabaseUrl(url);
  const meant = decodeDatabaseUrl(encodedUrl);
  const misread = !asWritten || !meant || asWritten.host !== meant.host || asWritten.port !== meant.port
    || asWritten.name !== meant.name || asWritten.password !== percentDecode(encodePassword(password));
  return { characters, encodedUrl, asWritten, misread };
}

/** One sentence on what goes wrong, never showing the password. */
export function describeUrlPasswordProblem(problem: UrlPasswordProblem): string {
  const chars = problem.characters.map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ');
  const read = problem.asWritten;
  const consequence = problem.misread
    ? read ? ` As written, dj_database_url reads HOST "${read.host}", PORT "${read.port}" and NAME "${read.name}", and a different password.` : ' As written, it is not a URL dj_database_url can read.'
    : ' dj_database_url happens to read it, but libpq, psql and other URL readers do not.';
  return `The password in this database URL contains ${chars}, which must be percent-encoded.${consequence}`;
}
