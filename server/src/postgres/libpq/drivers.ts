// How Django's drivers call libpq. psycopg2 makes one PQconnectdb call: libpq walks the host list itself.
// psycopg 3 (Django's default) splits host/hostaddr/port from the keywords or PGHOST/PGHOSTADDR/PGPORT (never from a
// service file), resolves each name, and makes one libpq call per address, going on to the next after ANY failure;
// prefer-standby becomes every attempt with "standby", then every attempt without it
// (psycopg/_conninfo_attempts.py conninfo_attempts).
import { get, hostLists, type LibpqSystem, type ResolvedConninfo } from './conninfo';
import { libpqConnect, order, type Transport, type WalkResult, type WalkStep } from './connect';

export type Driver = 'psycopg' | 'psycopg2';

function withOptions(c: ResolvedConninfo, values: Record<string, string | undefined>): ResolvedConninfo {
  const options = { ...c.options };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete options[key];
    else options[key] = { value, source: 'keyword' };
  }
  return { ...c, options };
}

/** The libpq calls psycopg 3 makes, or a resolver error when no name resolves. */
async function psycopgAttempts<S>(c: ResolvedConninfo, transport: Transport<S>): Promise<ResolvedConninfo[] | { error: string }> {
  const fromService = ['host', 'hostaddr', 'port'].every((k) => c.options[k] === undefined || c.options[k].source === 'service' || c.options[k].source === 'default');
  const lists = hostLists(c);
  if (fromService || 'error' in lists) return [c];
  const attempts: ResolvedConninfo[] = [];
  let lastResolveError: string | undefined;
  for (const slot of lists.slots) {
    const host = slot.host;
    if (slot.hostaddr || host === '' || host.startsWith('/') || host.startsWith('@')) {
      attempts.push(withOptions(c, { host: host || undefined, hostaddr: slot.hostaddr, port: slot.port }));
      continue;
    }
    const resolved = await transport.resolve(host);
    if (!Array.isArray(resolved)) {
      lastResolveError = `failed to resolve host '${host}': ${resolved.error}`;
      continue;
    }
    for (const address of resolved) attempts.push(withOptions(c, { host, hostaddr: address, port: slot.port }));
  }
  if (attempts.length === 0 && lastResolveError) return { error: lastResolveError };
  // psycopg shuffles the flat list of resolved addresses, and each libpq call then has one host only.
  return order(attempts, get(c, 'load_balance_hosts') === 'random');
}

/** Connect as Django would with this driver. */
export async function connectLikeDriver<S>(c: ResolvedConninfo, system: LibpqSystem, transport: Transport<S>, driver: Driver): Promise<WalkResult<S>> {
  if (driver === 'psycopg2') return libpqConnect(c, system, transport);
  const attempts = await psycopgAttempts(c, transport);
  if (!Array.isArray(attempts)) return { ok: false, steps: [{ target: '', message: attempts.error, text: attempts.error, code: 'ENOTFOUND', rule: 'network' }] };
  const passes = get(c, 'target_session_attrs') === 'prefer-standby' ? ['standby', 'any'] : [undefined];
  const steps: WalkStep[] = [];
  for (const pass of passes) {
    for (const attempt of attempts) {
      const call = pass === undefined ? attempt : withOptions(attempt, { target_session_attrs: pass });
      const result = await libpqConnect(call, system, transport);
      if (result.ok) return { ...result, steps: [...steps, ...result.steps] };
      steps.push(...result.steps);
      if (result.unconfirmable) return { ok: false, steps, unconfirmable: result.unconfirmable };
    }
  }
  return { ok: false, steps };
}
