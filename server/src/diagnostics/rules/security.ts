// Secrets and TLS: hard-coded passwords, unencrypted connections to remote hosts, unverifiable certificates.
import { childrenOf, isErrorNode, type PythonSource, type SyntaxNode } from '../../model/python';
import type { DictEntry } from '../../model/types';
import { isLocalHost } from '../../postgres/hosts';
import type { CheckInput, Finding, Fix } from '../types';
import { basename } from 'node:path';
import { kindOfFile } from '../../settingsGraph/kinds';
import { contextOf, finding, literalOf, templateOf, textOf, type AliasView } from './context';

const INSECURE_SSLMODES = new Set(['disable', 'allow', 'prefer']);

function passwordVariable(alias: string): string {
  return alias === 'default' ? 'DB_PASSWORD' : `${alias.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_DB_PASSWORD`;
}

/**
 * `import os` for the fix, unless the file imports os already: before the first import that is not
 * `from __future__`, else before the first statement. Read from the syntax tree, not the text.
 */
function importOsEdit(src: PythonSource): { from: number; to: number; newText: string } | undefined {
  let firstImport: SyntaxNode | undefined;
  let firstStatement: SyntaxNode | undefined;
  for (let node = src.tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === 'Comment' || isErrorNode(node)) continue;
    firstStatement ??= node;
    if (node.name !== 'ImportStatement') continue;
    const names = childrenOf(node).filter((c) => c.name === 'VariableName').map((c) => src.textOf(c));
    const isFrom = node.firstChild?.name === 'from';
    // `import os`, `import os.path`, `import sys, os` bind `os`; `from os import environ` does not.
    if (!isFrom && names.includes('os')) return undefined;
    if (!(isFrom && names[0] === '__future__')) firstImport ??= node;
  }
  const at = (firstImport ?? firstStatement)?.from ?? 0;
  return { from: at, to: at, newText: 'import os\n' + (firstImport ? '' : '\n') };
}

function movePasswordFix(entry: DictEntry, alias: string, value: string, importEdit: ReturnType<typeof importOsEdit>): Fix | undefined {
  const literal = literalOf(entry.value);
  if (literal?.kind !== 'string' || entry.value.kind !== 'string') return undefined;
  const quote = literal.quote.length === 1 ? literal.quote : "'";
  const variable = passwordVariable(alias);
  return {
    title: `Read the password from the environment (${variable}) and add it to .env`,
    edits: [...(importEdit ? [importEdit] : []), { from: literal.span.from, to: literal.span.to, newText: `os.environ.get(${quote}${variable}${quote})` }],
    dotenv: { name: variable, value },
    preferred: true,
  };
}

/** Which modules a password in this file reaches, and what they are for. */
interface SecretContext {
  severity: 'warning' | 'information';
  why: string;
}

const kindWords = { test: 'a test/CI', development: 'a development', production: 'a production', unknown: '' } as const;

/**
 * How loud a literal password is: a warning where production runs it or where it opens a database on another
 * machine; information in test, CI, development and compose-only modules that point at a local database or a
 * compose service (throw-away databases whose password guards nothing).
 */
function secretContext(input: CheckInput, view: AliasView | undefined): SecretContext {
  const host = view ? literalHost(view) : undefined;
  const services = input.project?.composeServices ?? [];
  const local = host !== undefined && (isLocalHost(host) || services.includes(host));
  if (host !== undefined && !local) return { severity: 'warning', why: `it opens the database on '${host}', not a local one` };
  const entries = input.project?.entries ?? [];
  const production = entries.find((e) => e.entry.kind === 'production');
  if (production) return { severity: 'warning', why: `production runs this module (${production.entry.module}, from ${basename(production.entry.declaredIn)})` };
  const own = kindOfFile(input.file);
  if (own === 'production') return { severity: 'warning', why: `${basename(input.file)} is a production module` };
  const throwaway = own === 'test' || own === 'development' ? own : entries.length && entries.every((e) => e.entry.kind === 'test' || e.entry.kind === 'development') ? entries[0].entry.kind : undefined;
  if (throwaway && local) {
    const target = host === '' ? 'the local server' : services.includes(host) ? `the compose service '${host}'` : `'${host}'`;
    const by = own === throwaway ? basename(input.file) : entries.map((e) => `${e.entry.module} (${basename(e.entry.declaredIn)})`).join(', ');
    return { severity: 'information', why: `${by} is ${kindWords[throwaway as 'test' | 'development']} module and the database is ${target}: a throw-away database's password guards little, but it must not be a real one` };
  }
  return { severity: 'warning', why: host === undefined ? 'we cannot tell which database it opens' : 'nothing shows this module is only for tests or development' };
}

/** DPG203 a password written in the settings file. */
export function hardCodedPassword(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  // Templates hold example values or placeholders, not the project's secrets.
  if (templateOf(input)) return out;
  const context = contextOf(input);
  // Looked up once per check, not per finding: the file may be long.
  let importEdit: ReturnType<typeof importOsEdit> | null = null;
  for (const checked of context.entries) {
    const isPassword = (checked.role === 'entry' && checked.entry.key === 'PASSWORD') || (checked.role === 'options' && checked.entry.key === 'password');
    if (!isPassword || checked.engine === 'other' || checked.entry.value.kind !== 'string' || checked.entry.value.value === '') continue;
    if (importEdit === null) importEdit = importOsEdit(input.src);
    const fix = movePasswordFix(checked.entry, checked.alias ?? 'default', checked.entry.value.value, importEdit);
    const { severity, why } = secretContext(input, context.aliases.find((a) => a.alias.alias === checked.alias));
    out.push(finding('DPG203', severity, `The database password is written in the settings file, so it ends up in version control (${why}). Read it from the environment instead.`, checked.entry.value.span, { fixes: fix ? [fix] : undefined }));
  }
  return out;
}

/** The HOST an alias connects to, when written as a literal (or an env lookup's literal default). */
function literalHost(view: AliasView): string | undefined {
  const host = view.effective('entries', 'HOST')?.entry ?? view.effective('options', 'host')?.entry;
  if (!host) return view.alias.databaseUrl ? undefined : '';
  return textOf(literalOf(host.value));
}

/** DPG204 unencrypted-capable sslmode to a remote host, DPG303 certificate checks without sslrootcert. */
export function tlsRules(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const view of contextOf(input).aliases) {
    if (view.engine === 'other') continue;
    const sslmode = view.local('options', 'sslmode');
    const mode = literalOf(sslmode?.value);
    if (!sslmode || mode?.kind !== 'string') continue;
    if (INSECURE_SSLMODES.has(mode.value)) {
      const host = literalHost(view);
      if (host !== undefined && !isLocalHost(host)) {
        out.push(finding('DPG204', 'warning', `sslmode '${mode.value}' lets the connection to '${host}' run unencrypted or unverified. Use 'require' at least, or 'verify-full' with sslrootcert.`, mode.span));
      }
    } else if ((mode.value === 'verify-ca' || mode.value === 'verify-full') && !view.effective('options', 'sslrootcert') && !view.effective('options', 'service')) {
      out.push(finding('DPG303', 'information', `sslmode '${mode.value}' checks the server certificate against ~/.postgresql/root.crt because sslrootcert is not set; connecting fails if that file is missing. Set sslrootcert to the CA file.`, mode.span));
    }
  }
  return out;
}
