// SCRAM-SHA-256 verifiers as PostgreSQL stores them and PgBouncer's auth_file accepts them
// (RFC 5802 / RFC 7677; format `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64 parts).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ScramOptions {
  /** Raw salt bytes, or the base64 text of a salt. Default: 16 random bytes, as PostgreSQL uses. */
  salt?: Buffer | string;
  /** PBKDF2 iterations; PostgreSQL's and PgBouncer's default is 4096. */
  iterations?: number;
}

export interface ParsedScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

type CodeRange = readonly [number, number];

// RFC 3454 tables used by SASLprep (RFC 4013), as code-point ranges.
/** B.1: mapped to nothing. */
const mappedToNothing: CodeRange[] = [[0xad, 0xad], [0x34f, 0x34f], [0x1806, 0x1806], [0x180b, 0x180d], [0x200b, 0x200d], [0x2060, 0x2060], [0xfe00, 0xfe0f], [0xfeff, 0xfeff]];
/** C.1.2: non-ASCII spaces, mapped to a space. */
const nonAsciiSpaces: CodeRange[] = [[0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]];
/** Prohibited: controls, private use, non-characters, surrogates, bidi and tagging controls (C.2–C.9, abridged). */
const prohibitedRanges: CodeRange[] = [[0x0, 0x1f], [0x7f, 0x9f], [0x6dd, 0x6dd], [0x70f, 0x70f], [0x180e, 0x180e], [0x200e, 0x200f],
  [0x2028, 0x202e], [0x2060, 0x2063], [0x206a, 0x206f], [0xd800, 0xdfff], [0xe000, 0xf8ff], [0xfdd0, 0xfdef], [0xfff9, 0xffff],
  [0xe0001, 0xe0001], [0xe0020, 0xe007f], [0xf0000, 0x10ffff]];

function inRanges(codePoint: number, ranges: readonly CodeRange[]): boolean {
  return ranges.some(([low, high]) => codePoint >= low && codePoint <= high);
}

/**
 * The password bytes PostgreSQL feeds to PBKDF2: ASCII passwords unchanged, others through SASLprep
 * (mapping, NFKC), or unchanged when SASLprep prohibits a character. Bidirectional-text checks are not done.
 */
export function saslPrep(password: string): Buffer {
  const codePoints = [...password].map((c) => c.codePointAt(0) ?? 0);
  if (codePoints.every((cp) => cp < 0x80)) return Buffer.from(password, 'utf8');
  const mapped = codePoints
    .filter((cp) => !inRanges(cp, mappedToNothing))
    .map((cp) => (inRanges(cp, nonAsciiSpaces) ? 0x20 : cp));
  const prepared = String.fromCodePoint(...mapped).normalize('NFKC');
  const refused = prepared === '' || [...prepared].some((c) => inRanges(c.codePointAt(0) ?? 0, prohibitedRanges));
  return Buffer.from(refused ? password : prepared, 'utf8');
}

function keysFor(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  const saltedPassword = pbkdf2Sync(saslPrep(password), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', saltedPassword).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', saltedPassword).update('Server Key').digest(),
  };
}

/** A SCRAM-SHA-256 verifier for `password`; the password cannot be read back from it. */
export function scramSha256Verifier(password: string, options: ScramOptions = {}): string {
  const iterations = options.iterations ?? 4096;
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error('SCRAM iterations must be a positive integer');
  const salt = options.salt === undefined ? randomBytes(16)
    : typeof options.salt === 'string' ? Buffer.from(options.salt, 'base64') : options.salt;
  if (salt.length === 0) throw new Error('SCRAM salt must not be empty');
  const { storedKey, serverKey } = keysFor(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const verifierPattern = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

export function parseScramVerifier(text: string): ParsedScramVerifier | undefined {
  const match = verifierPattern.exec(text.trim());
  if (!match) return undefined;
  const parsed = {
    iterations: Number(match[1]),
    salt: Buffer.from(match[2], 'base64'),
    storedKey: Buffer.from(match[3], 'base64'),
    serverKey: Buffer.from(match[4], 'base64'),
  };
  return parsed.storedKey.length === 32 && parsed.serverKey.length === 32 && parsed.iterations > 0 ? parsed : undefined;
}

/** Whether `verifier` was made from `password` (same salt and iterations reproduce the same keys). */
export function scramVerifierMatches(password: string, verifier: string): boolean {
  const parsed = parseScramVerifier(verifier);
  if (!parsed) return false;
  const { storedKey, serverKey } = keysFor(password, parsed.salt, parsed.iterations);
  return timingSafeEqual(storedKey, parsed.storedKey) && timingSafeEqual(serverKey, parsed.serverKey);
}
