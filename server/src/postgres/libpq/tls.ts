// What libpq does with TLS for one host: which root certificate it loads (and so whether the chain is checked),
// the client certificate, and verify-full's host name match (fe-secure-openssl.c initialize_SSL,
// fe-secure-common.c pq_verify_peer_name_matches_certificate). https://www.postgresql.org/docs/current/libpq-ssl.html
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { LibpqSystem, ResolvedConninfo } from './conninfo';
import { get } from './conninfo';

export interface TlsPolicy {
  /** PEM text of the root certificates, or 'system' for the platform's trust store; undefined = chain not checked. */
  ca?: string | 'system';
  /** verify-full: the host name the certificate must name. */
  verifyName?: string;
  /** Server name for SNI (host names only, libpq's sslsni=1). */
  servername?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  crl?: string;
  minVersion?: string;
  maxVersion?: string;
}

/** The TLS settings for a host slot, or libpq's client-side error (raised when TLS starts on that host). */
export function tlsPolicy(c: ResolvedConninfo, system: LibpqSystem, host: string): TlsPolicy | { error: string } {
  const sslmode = get(c, 'sslmode') ?? 'prefer';
  const policy: TlsPolicy = {};
  const rootcert = get(c, 'sslrootcert') || join(system.home, '.postgresql', 'root.crt');
  if (rootcert === 'system') {
    // OpenSSL's default trust store (SSL_CERT_FILE honoured), as libpq loads it; else Node's bundled CAs.
    policy.ca = system.readFile(system.env.SSL_CERT_FILE || '/usr/lib/ssl/cert.pem') ?? 'system';
  } else {
    const pem = system.readFile(rootcert);
    if (pem !== undefined) policy.ca = pem;
    else if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
      return { error: `root certificate file "${rootcert}" does not exist\nEither provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.` };
    }
    // A CRL is used only together with a loaded root file; a missing one is ignored.
    if (pem !== undefined) policy.crl = system.readFile(get(c, 'sslcrl') || join(system.home, '.postgresql', 'root.crl'));
  }
  if (sslmode === 'verify-full') {
    if (host === '' || host.startsWith('/')) return { error: 'host name must be specified for a verified SSL connection' };
    policy.verifyName = host;
  }
  if (host !== '' && isIP(host) === 0 && !host.startsWith('/') && get(c, 'sslsni') !== '0') policy.servername = host;
  const certFile = get(c, 'sslcert') || join(system.home, '.postgresql', 'postgresql.crt');
  const keyFile = get(c, 'sslkey') || join(system.home, '.postgresql', 'postgresql.key');
  const cert = get(c, 'sslcertmode') === 'disable' ? undefined : system.readFile(certFile);
  if (cert !== undefined) {
    const keyStat = system.stat(keyFile);
    if (!keyStat) return { error: `certificate present, but not private key file "${keyFile}"` };
    if ((keyStat.mode & 0o077) !== 0 && (keyStat.mode & 0o037) !== 0) {
      return { error: `private key file "${keyFile}" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root` };
    }
    policy.cert = cert;
    policy.key = system.readFile(keyFile);
    policy.passphrase = get(c, 'sslpassword');
  }
  policy.minVersion = get(c, 'ssl_min_protocol_version') || undefined;
  policy.maxVersion = get(c, 'ssl_max_protocol_version') || undefined;
  return policy;
}

/** The names a server certificate carries. */
export interface CertificateNames {
  commonName?: string;
  dnsNames: string[];
  ipAddresses: string[];
}

function nameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  // A leading "*." matches exactly one label.
  return p.startsWith('*.') && h.endsWith(p.slice(1)) && !h.slice(0, h.length - p.length + 1).includes('.') && h.length > p.length - 1;
}

/** libpq's verify-full check: undefined when `host` matches, else its error text. */
export function verifyPeerName(host: string, names: CertificateNames): string | undefined {
  const hostIsIp = isIP(host) !== 0;
  const all = [...names.dnsNames, ...names.ipAddresses];
  const ok = names.dnsNames.some((n) => nameMatches(n, host)) || names.ipAddresses.some((ip) => ip === host);
  if (ok) return undefined;
  // The CN counts only when the certificate has no SAN of the host's own kind.
  const sameKind = hostIsIp ? names.ipAddresses : names.dnsNames;
  if (sameKind.length === 0 && names.commonName !== undefined) {
    if (nameMatches(names.commonName, host)) return undefined;
    all.push(names.commonName);
  }
  if (all.length === 0) return "could not get server's host name from server certificate";
  const others = all.length - 1;
  return `server certificate for "${all[0]}"${others > 0 ? ` (and ${others} other name${others > 1 ? 's' : ''})` : ''} does not match host name "${host}"`;
}
