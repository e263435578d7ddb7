// DPG310: the django.db.backends logger at DEBUG in a module production loads, outside `if DEBUG:`.
import { basename } from 'node:path';
import { decodeStringLiteral, type PythonSource, type SyntaxNode } from '../../model/python';
import type { CheckInput, Finding } from '../types';
import { finding } from './context';

/** Modules that only development and tests load (settings/local.py, dev_settings.py, ...). */
const DEVELOPMENT_MODULE = /^(local|dev|develop|development|test|tests|testing|ci)([_-]?settings)?\.py$|^(settings|config)[_-]?(local|dev|development|test|tests)\.py$/;

const stringValue = (src: PythonSource, node: SyntaxNode | null | undefined) =>
  node?.name === 'String' ? decodeStringLiteral(src.textOf(node)).value : undefined;

/** `{'level': 'DEBUG', ...}` */
function logsAtDebug(src: PythonSource, value: SyntaxNode | null | undefined): boolean {
  if (value?.name !== 'DictionaryExpression') return false;
  for (let key = value.firstChild; key; key = key.nextSibling) {
    if (stringValue(src, key) === 'level' && key.nextSibling?.name === ':') return stringValue(src, key.nextSibling.nextSibling)?.toUpperCase() === 'DEBUG';
  }
  return false;
}

/** Inside `if DEBUG:` (or `if settings.DEBUG and ...:`): only a development run configures it. */
function guardedByDebug(src: PythonSource, node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name !== 'IfStatement') continue;
    const condition = parent.getChild('if')?.nextSibling;
    if (condition && mentionsDebug(src, condition)) return true;
  }
  return false;
}

/** DEBUG, settings.DEBUG, or globals().get("DEBUG") anywhere in the condition. */
function mentionsDebug(src: PythonSource, condition: SyntaxNode): boolean {
  let found = false;
  condition.cursor().iterate((ref) => {
    const text = src.textOf(ref);
    if (((ref.name === 'VariableName' || ref.name === 'PropertyName') && text === 'DEBUG') || stringValue(src, ref.node) === 'DEBUG') found = true;
    return !found;
  });
  return found;
}

export function sqlLoggingInProduction(input: CheckInput): Finding[] {
  if (DEVELOPMENT_MODULE.test(basename(input.file))) return [];
  const src = input.src;
  const out: Finding[] = [];
  src.tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'String' || stringValue(src, ref.node) !== 'django.db.backends') return;
      const node = ref.node;
      // {'django.db.backends': {...}} or LOGGING[...]['django.db.backends'] = {...}
      const value = node.nextSibling?.name === ':' ? node.nextSibling.nextSibling
        : node.parent?.name === 'MemberExpression' && node.parent.parent?.name === 'AssignStatement' ? node.parent.parent.lastChild : null;
      if (!logsAtDebug(src, value) || guardedByDebug(src, node)) return;
      out.push(finding('DPG310', 'information',
        "SQL logging (django.db.backends at DEBUG) is on in a module production loads: once DEBUG or a debug cursor is on there, every query is logged with its parameters. Put it under `if DEBUG:` or in the development settings.",
        node));
    },
  });
  return out;
}
