// What Django and libpq need to know where to connect: a database name (or a service), host and port
// lists that pair up, and no password hidden in a lookup's fallback.
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, literalOf, textOf } from './context';

/** DPG120: NAME empty (or missing) without OPTIONS['service']: Django refuses to connect. */
export function missingName(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const view of contextOf(input).aliases) {
    const { alias } = view;
    // A URL, code we cannot follow, or a service entry decides the name: nothing to say.
    if (view.engine === 'other' || alias.databaseUrl || alias.computedChanges.length || view.effective('options', 'service')) continue;
    const name = view.effective('entries', 'NAME');
    const engine = view.local('entries', 'ENGINE');
    if (name) {
      const literal = literalOf(name.entry.value);
      if (name.file === undefined && name.entry.value.kind === 'string' && literal?.kind === 'string' && literal.value === '') {
        out.push(finding('DPG120', 'error', `NAME is empty, so Django refuses to connect ("Please supply the NAME or OPTIONS['service'] value"). Write the database name, or set OPTIONS['service'].`, name.entry.value.span));
      }
    } else if (engine && textOf(literalOf(engine.value))?.includes('postgres')) {
      out.push(finding('DPG120', 'error', `Alias "${alias.alias}" has no NAME, so Django refuses to connect. Add 'NAME' (the database name), or set OPTIONS['service'].`, engine.keySpan));
    }
  }
  return out;
}

const count = (list: string) => list.split(',').length;

/** DPG121: HOST and PORT lists whose lengths libpq cannot pair ("could not match 3 port numbers to 2 hosts"). */
export function hostPortLists(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const view of contextOf(input).aliases) {
    if (view.engine === 'other') continue;
    const host = view.effective('entries', 'HOST');
    const port = view.effective('entries', 'PORT');
    const hosts = textOf(literalOf(host?.entry.value));
    const ports = textOf(literalOf(port?.entry.value));
    if (!hosts || !ports || !port || port.file !== undefined) continue;
    const [h, p] = [count(hosts), count(ports)];
    if (p > 1 && p !== h) {
      out.push(finding('DPG121', 'error', `PORT lists ${p} ports for ${h} host${h === 1 ? '' : 's'} in HOST: libpq refuses this ("could not match ${p} port numbers to ${h} hosts"). Give one port for every host, or a single port for all.`, literalOf(port.entry.value)!.span));
    }
  }
  return out;
}

/** DPG309: a password lookup whose fallback is a password written in the file. */
export function passwordFallback(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const checked of contextOf(input).entries) {
    const isPassword = (checked.role === 'entry' && checked.entry.key === 'PASSWORD') || (checked.role === 'options' && checked.entry.key === 'password');
    const lookup = checked.entry.value;
    if (!isPassword || checked.engine === 'other' || lookup.kind !== 'env' || lookup.default?.kind !== 'string' || lookup.default.value === '') continue;
    // `, 'fallback'` or `, default='fallback'` goes, from the end of the variable name to the fallback's end.
    const removable = lookup.variableSpan.to < lookup.default.span.from;
    out.push(finding('DPG309', 'information', `When ${lookup.variable} is not set, the password written here is used, and it is in version control. Drop the fallback and keep the password in .env.`, lookup.default.span, {
      fixes: removable
        ? [{
            title: `Remove the fallback and save it to .env as ${lookup.variable}`,
            edits: [{ from: lookup.variableSpan.to, to: lookup.default.span.to, newText: '' }],
            dotenv: { name: lookup.variable, value: lookup.default.value },
          }]
        : undefined,
    }));
  }
  return out;
}
