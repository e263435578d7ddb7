// Is a HOST this machine? Shared by the diagnostics (TLS advice) and the Postgres module (CREATEDB default,
// admin connection); no driver import, so the language server can use it.

/** True when every host of a (comma-separated) HOST is local: empty (Unix socket), a socket directory, an
 * abstract socket, localhost or a loopback address. */
export function isLocalHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  return host.split(',').every((part) => {
    const h = part.trim().toLowerCase();
    return h === '' || h.startsWith('/') || h.startsWith('@') || h === 'localhost' || h === '::1' || h === '[::1]' || isLoopbackV4(h);
  });
}

function isLoopbackV4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => p !== '' && [...p].every((c) => c >= '0' && c <= '9'));
}
