// require_auth and channel_binding: the client-side checks libpq makes on each authentication request the
// server sends, before any password leaves (fe-auth.c check_expected_areq, pg_SASL_init).
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-REQUIRE-AUTH
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING

/** What the server asked for, as `pg` observes it. */
export type AuthRequest =
  | { kind: 'cleartext' }
  | { kind: 'md5' }
  | { kind: 'sasl'; mechanisms: string[] }
  | { kind: 'gss' }
  | { kind: 'sspi' }
  /** AuthenticationOk; `exchanged` is false when no challenge came before it (trust, cert, PgBouncer's any). */
  | { kind: 'ok'; exchanged: boolean; channelBound: boolean };

const METHODS = ['password', 'md5', 'gss', 'sspi', 'scram-sha-256', 'none', 'oauth'] as const;
type Method = (typeof METHODS)[number];

export interface RequireAuth {
  /** The setting as written, for libpq's message. */
  text: string;
  allowed: ReadonlySet<Method>;
}

/** Parse require_auth; libpq's own error text when it would refuse the value. */
export function parseRequireAuth(text: string | undefined): RequireAuth | undefined | { error: string } {
  if (text === undefined || text === '') return undefined;
  const seen = new Set<Method>();
  let negated: boolean | undefined;
  for (const raw of text.split(',')) {
    const negative = raw.startsWith('!');
    const name = negative ? raw.slice(1) : raw;
    if (!(METHODS as readonly string[]).includes(name)) return { error: `invalid require_auth value: "${name}"` };
    if (negated === undefined) negated = negative;
    else if (negated && !negative) return { error: `require_auth method "${name}" cannot be mixed with negative methods` };
    else if (!negated && negative) return { error: `negative require_auth method "${raw}" cannot be mixed with non-negative methods` };
    if (seen.has(name as Method)) return { error: `require_auth method "${name}" is specified more than once` };
    seen.add(name as Method);
  }
  const allowed = negated ? new Set(METHODS.filter((m) => !seen.has(m))) : seen;
  return { text, allowed };
}

function requireAuthReason(rule: RequireAuth, request: AuthRequest): string | undefined {
  const a = rule.allowed;
  switch (request.kind) {
    case 'cleartext': return a.has('password') ? undefined : 'server requested a cleartext password';
    case 'md5': return a.has('md5') ? undefined : 'server requested a hashed password';
    case 'gss': return a.has('gss') ? undefined : 'server requested GSSAPI authentication';
    case 'sspi': return a.has('sspi') ? undefined : 'server requested SSPI authentication';
    case 'sasl':
      if (a.has('scram-sha-256')) return undefined;
      // libpq 18 names the mechanism when another SASL method (oauth) is allowed.
      return a.has('oauth') ? 'server requested SCRAM-SHA-256 authentication' : 'server requested SASL authentication';
    case 'ok': return request.exchanged || a.has('none') ? undefined : 'server did not complete authentication';
  }
}

function channelBindingReason(setting: string, tls: boolean, request: AuthRequest): string | undefined {
  if (request.kind === 'sasl' && !tls && request.mechanisms.includes('SCRAM-SHA-256-PLUS')) return 'server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection';
  if (setting !== 'require') return undefined;
  switch (request.kind) {
    case 'sasl':
      if (!tls) return 'channel binding required, but SSL not in use';
      return request.mechanisms.includes('SCRAM-SHA-256-PLUS') ? undefined : 'channel binding is required, but server did not offer an authentication method that supports channel binding';
    case 'ok': return request.channelBound ? undefined : 'channel binding required, but server authenticated client without channel binding';
    default: return "channel binding required but not supported by server's authentication request";
  }
}

/** libpq's refusal of an authentication request (require_auth first, then channel_binding), or undefined. */
export function refuseAuthRequest(rule: RequireAuth | undefined, channelBinding: string, tls: boolean, request: AuthRequest): string | undefined {
  const required = rule ? requireAuthReason(rule, request) : undefined;
  if (required && rule) return `authentication method requirement "${rule.text}" failed: ${required}`;
  return channelBindingReason(channelBinding, tls, request);
}
