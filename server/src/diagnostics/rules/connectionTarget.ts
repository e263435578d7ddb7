// What Django and libpq need to know where to connect: a database name (or a service), host and port
// lists that pair up, and no password hidden in a lookup's fallback.
import { basename } from 'node:path';
import type { EffectiveAlias, EffectiveEntry } from '../../model/types';
import type { ReachingEntry } from '../../settingsGraph/types';
import type { CheckInput, Finding } from '../types';
import { contextOf, finding, literalOf, templateOf, textOf } from './context';

/** The alias gets a database name some way: NAME, a URL, a service, or code we cannot follow. */
function suppliesName(alias: EffectiveAlias): boolean {
  const name = alias.entries.get('NAME')?.entry.value;
  const empty = name?.kind === 'string' && name.value === '';
  return (!!name && !empty) || !!alias.databaseUrl || alias.computedChanges.length > 0 || alias.options.has('service');
}

const CONNECTION_KEYS = ['NAME', 'USER', 'PASSWORD', 'HOST', 'PORT'];

const entryName = (e: ReachingEntry) => `${e.entry.module} (DJANGO_SETTINGS_MODULE in ${basename(e.entry.declaredIn)})`;

/**
 * DPG120: NAME empty (or missing) without OPTIONS['service']: Django refuses to connect. A module other modules
 * complete is judged by what the entry modules that run it end up with, and reported here, naming them.
 */
export function missingName(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  if (templateOf(input)) return out;
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
      continue;
    }
    const project = input.project;
    if (!engine) {
      const inherited = inheritedIncomplete(input, view.effective('entries', 'ENGINE'));
      if (inherited) out.push(inherited(alias.alias));
      continue;
    }
    if (!textOf(literalOf(engine.value))?.includes('postgres')) continue;
    const incomplete = (model: { aliases: EffectiveAlias[] }) => {
      const there = model.aliases.find((a) => a.alias === alias.alias);
      return !!there && !suppliesName(there);
    };
    if (project?.entries.length) {
      const missing = project.entries.filter((e) => incomplete(e.model));
      if (missing.length === 0) continue;
      const names = missing.map(entryName).join(', ');
      out.push(finding('DPG120', 'error', `Alias "${alias.alias}" has no NAME when Django runs with ${names}, so Django refuses to connect. Add 'NAME' here or in ${missing.length === 1 ? 'that module' : 'those modules'}, or set OPTIONS['service'].`, engine.keySpan));
      continue;
    }
    const importers = project?.importers ?? [];
    if (importers.length && importers.every((i) => !incomplete(i.model))) continue;
    const partial = !CONNECTION_KEYS.some((key) => view.effective('entries', key));
    if (!partial && !importers.length) {
      out.push(finding('DPG120', 'error', `Alias "${alias.alias}" has no NAME, so Django refuses to connect. Add 'NAME' (the database name), or set OPTIONS['service'].`, engine.keySpan));
      continue;
    }
    const why = importers.length
      ? `${importers.map((i) => basename(i.file)).filter((_, i, all) => all.length < 4 || i < 3).join(', ')} ${importers.length === 1 ? 'runs' : 'run'} this module without adding it`
      : project?.entriesKnown
        ? 'no settings module Django runs (DJANGO_SETTINGS_MODULE) uses this one'
        : 'no DJANGO_SETTINGS_MODULE was found (manage.py, wsgi.py, pytest.ini, .env...) to tell which module completes it';
    out.push(finding('DPG120', 'information', `Alias "${alias.alias}" has no NAME here: ${why}. If no other module adds it, Django refuses to connect.`, engine.keySpan));
  }
  return out;
}

/**
 * In an entry module whose alias comes from another module without a NAME: the NAME belongs here, so say it at
 * the import (or include) that brings the alias in.
 */
function inheritedIncomplete(input: CheckInput, engine: EffectiveEntry | undefined): ((alias: string) => Finding) | undefined {
  const from = engine?.file;
  const self = input.project?.entries.find((e) => e.entry.file === input.file);
  if (!from || !self || !textOf(literalOf(engine.entry.value))?.includes('postgres')) return undefined;
  const include = input.model.includes.find((i) => i.files.includes(from)) ?? input.model.includes[input.model.includes.length - 1];
  if (!include) return undefined;
  const where = include.kind === 'include' ? 'in one of the modules included here' : 'in this module';
  return (alias) =>
    finding('DPG120', 'error', `Alias "${alias}" (from ${basename(from)}) has no NAME when Django runs with ${entryName(self)}, so Django refuses to connect. Set DATABASES["${alias}"]["NAME"] ${where}, or set OPTIONS['service'].`, include.span);
}

/** DPG122: DATABASES without a 'default' alias (Django: "You must define a 'default' database"). */
export function missingDefault(input: CheckInput): Finding[] {
  if (templateOf(input)) return [];
  const declared = input.model.dicts.find((d) => d.role === 'databases' && d.dict.form === 'literal' && !d.dict.incomplete && !d.dict.spreads?.length && d.dict.entries.length > 0);
  if (!declared || !input.model.assignsDatabases || input.model.computed.length || input.model.aliases.some((a) => a.alias === 'default')) return [];
  const project = input.project;
  const lacking = project?.entries.filter((e) => e.model.aliases.length > 0 && !e.model.aliases.some((a) => a.alias === 'default') && e.model.computed.length === 0);
  if (project?.entries.length && !lacking?.length) return [];
  const where = lacking?.length ? ` when Django runs with ${lacking.map(entryName).join(', ')}` : '';
  // Another module may add it (a star import of this one, an include()): with none known, say less.
  const completedElsewhere = !lacking?.length && (project?.importers.length ?? 0) > 0;
  if (completedElsewhere && project!.importers.every((i) => i.model.aliases.some((a) => a.alias === 'default'))) return [];
  const message = completedElsewhere
    ? `DATABASES has no 'default' alias here. Django stops with ImproperlyConfigured ("You must define a 'default' database") unless a module that imports this one (${project!.importers.map((i) => basename(i.file)).join(', ')}) adds it in every case.`
    : `DATABASES has no 'default' alias${where}: Django stops with ImproperlyConfigured ("You must define a 'default' database"). Name one of the aliases 'default'.`;
  return [finding('DPG122', completedElsewhere ? 'information' : 'error', message, declared.dict.entries[0].keySpan)];
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
    if (!isPassword || checked.engine === 'other' || templateOf(input) || lookup.kind !== 'env' || lookup.default?.kind !== 'string' || lookup.default.value === '') continue;
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
