// N+1 queries found while typing: a loop (for statement or comprehension) over a queryset whose body
// follows a relation the queryset does not load runs one more query per row. The same for a Django
// template's {% for %} over a queryset a view passes by name. Findings carry a fix that adds the
// select_related / prefetch_related lookup to the queryset.
import type { SyntaxNode, Tree } from '@lezer/common';
import type { Finding, Fix } from '../diagnostics/types';
import type { ModelGraph, ModelInfo } from './models';
import { QuerySetReader, type QuerySetShape } from './querysets';
import { templateLoops } from './templates';

export const N_PLUS_ONE_LOOP = 'DPG401';
export const N_PLUS_ONE_TEMPLATE = 'DPG402';

export interface QueryAnalysisInput {
  text: string;
  tree: Tree;
  graph: ModelGraph;
  /** The app this file belongs to (its folder), for model names Django resolves within the app. */
  app?: string;
  /** A template's text by the name a view renders it with, when the project has exactly that file. */
  template?: (name: string) => string | undefined;
}

/** A relation path a loop body follows that the queryset does not load. */
interface Need {
  method: 'select_related' | 'prefetch_related';
  lookup: string;
  /** How many queries each row costs. */
  perRow: number;
  from: number;
  to: number;
  /** Where it was seen, for the message: `book.author`. */
  shown: string;
}

/** Queryset methods on a related manager that read the prefetched rows instead of querying. */
const READS_PREFETCH = new Set(['all', 'count', 'exists']);

export function findNPlusOne(input: QueryAnalysisInput): Finding[] {
  const reader = new QuerySetReader(input.text, input.graph, input.tree.topNode, input.app);
  const findings: Finding[] = [];
  const textOf = (node: SyntaxNode) => input.text.slice(node.from, node.to);
  input.tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      // A generator passed as the only argument, `sum(x for x in rows)`, is parsed into the ArgList.
      if (node.name === 'ForStatement' || node.name.endsWith('ComprehensionExpression') || (node.name === 'ArgList' && node.getChild('for'))) {
        for (const clause of loopClauses(node)) {
          const shape = reader.shapeOf(clause.iterable);
          if (!shape?.instances) continue;
          const target = textOf(clause.target);
          const needs = clause.body.flatMap((region) => accessesIn(region, target, input.text, clause.iterable))
            .map((access) => needOf(input.graph, shape, access.path, access.from, access.ends, `${target}.${access.path.join('.')}`))
            .filter((need): need is Need => !!need);
          for (const need of widest(needs)) findings.push(finding(N_PLUS_ONE_LOOP, need, shape, need.from, need.to, ''));
        }
      } else if (node.name === 'CallExpression' && input.template) {
        findings.push(...templateFindings(node, reader, input, input.template));
      } else if (node.name === 'ClassDefinition' && input.template) {
        findings.push(...listViewFindings(node, reader, input, input.template));
      }
    },
  });
  return findings;
}

interface LoopClause {
  target: SyntaxNode;
  iterable: SyntaxNode;
  /** Where the loop variable is used: the body, or the whole comprehension. */
  body: SyntaxNode[];
}

function loopClauses(node: SyntaxNode): LoopClause[] {
  const clauses: LoopClause[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'for') continue;
    const target = child.nextSibling;
    const inKeyword = target?.nextSibling;
    const iterable = inKeyword?.nextSibling;
    // Only a single loop variable: `for book in ...` (unpacking hides which value is the row).
    if (target?.name !== 'VariableName' || inKeyword?.name !== 'in' || !iterable) continue;
    const body = node.name === 'ForStatement' ? [node.getChild('Body')].filter((b): b is SyntaxNode => !!b) : [node];
    clauses.push({ target, iterable, body });
  }
  return clauses;
}

interface Access {
  path: string[];
  from: number;
  /** End offset after each element of the path. */
  ends: number[];
}

/** Attribute chains on the loop variable in `region`: `book.author.name` → ['author', 'name']. */
function accessesIn(region: SyntaxNode, target: string, text: string, skip: SyntaxNode): Access[] {
  const accesses: Access[] = [];
  region.cursor().iterate((ref) => {
    if (ref.from >= skip.from && ref.to <= skip.to) return false;
    if (ref.name !== 'VariableName' || text.slice(ref.from, ref.to) !== target) return undefined;
    const path: string[] = [];
    const ends: number[] = [];
    let node = ref.node;
    while (node.parent?.name === 'MemberExpression' && node.parent.firstChild?.from === node.from && node.parent.lastChild?.name === 'PropertyName') {
      node = node.parent;
      path.push(text.slice(node.lastChild!.from, node.lastChild!.to));
      ends.push(node.to);
    }
    // `book.author = other` stores the relation: nothing is read.
    const stored = node.parent?.name === 'AssignStatement' && node.parent.firstChild?.from === node.from && node.nextSibling?.name === 'AssignOp';
    if (path.length > (stored ? 1 : 0)) accesses.push({ path: stored ? path.slice(0, -1) : path, from: ref.from, ends });
    return undefined;
  });
  return accesses;
}

/** The lookup a path of attributes needs and does not have, if any. */
function needOf(graph: ModelGraph, shape: QuerySetShape, path: string[], from: number, ends: number[], shown: string): Need | undefined {
  let model: ModelInfo | undefined = shape.model;
  let firstStep = true;
  const lookup: string[] = [];
  let perRow = 0;
  let last = -1;
  let method: Need['method'] = 'select_related';
  for (let i = 0; i < path.length && model; i++) {
    const relation = model.relations.get(path[i]);
    if (!relation) break;
    lookup.push(path[i]);
    const key = lookup.join('__');
    if (relation.kind === 'many') {
      // Only reading the manager's rows uses a prefetch; .filter() and the like query anyway.
      if (!READS_PREFETCH.has(path[i + 1] ?? '') || loads(shape.prefetched, key)) break;
      method = 'prefetch_related';
      perRow++;
      last = i;
      break;
    }
    const selectedByAll: boolean = shape.selectsAll && relation.forward && !relation.nullable && firstStep;
    if (!(loads(shape.selected, key) || loads(shape.prefetched, key) || selectedByAll)) {
      // After a bare select_related(), naming one lookup would drop the others it follows: say nothing.
      if (shape.selectsAll) break;
      perRow++;
      last = i;
    }
    firstStep = firstStep && selectedByAll;
    model = relation.target ? graph.models.get(relation.target) : undefined;
  }
  if (last < 0) return undefined;
  const wanted = lookup.slice(0, last + 1).join('__');
  return { method, lookup: wanted, perRow, from, to: ends[last], shown: shown.split('.').slice(0, last + 2).join('.') };
}

/** A lookup list loads `key` when one of its lookups is `key` or goes through it. */
const loads = (lookups: readonly string[], key: string) => lookups.some((l) => l === key || l.startsWith(`${key}__`));

/** One need per lookup, and none that a longer needed lookup of the same method already loads. */
function widest(needs: Need[]): Need[] {
  const kept: Need[] = [];
  for (const need of needs) {
    if (kept.some((k) => k.lookup === need.lookup)) continue;
    if (needs.some((other) => other.method === need.method && other.lookup.startsWith(`${need.lookup}__`))) continue;
    kept.push(need);
  }
  return kept;
}

function finding(code: string, need: Need, shape: QuerySetShape, from: number, to: number, where: string): Finding {
  const call = `.${need.method}('${need.lookup}')`;
  const perRow = need.perRow === 1 ? 'N' : `${need.perRow}N`;
  return {
    code, severity: 'information', from, to,
    message: `1 + ${perRow} queries${where}: \`${need.shown}\` runs a query for every row; add \`${call}\``,
    fixes: [fixFor(need, shape)],
  };
}

function fixFor(need: Need, shape: QuerySetShape): Fix {
  const existing = need.method === 'select_related' ? shape.selectArgs : shape.prefetchArgs;
  const quoted = `'${need.lookup}'`;
  const edit = shape.newQueryset
    // A ListView with only `model = Book`: give it the queryset that loads the relation.
    ? { from: shape.newQueryset.at, to: shape.newQueryset.at, newText: `\n${shape.newQueryset.indent}queryset = ${shape.newQueryset.model}.objects.${need.method}(${quoted})` }
    : existing
    ? { from: existing.to - 1, to: existing.to - 1, newText: `, ${quoted}` }
    : { from: shape.end, to: shape.end, newText: `.${need.method}(${quoted})` };
  return { title: `Add ${need.method}(${quoted}) to the queryset`, edits: [edit], preferred: true };
}

/** render(request, 'app/list.html', {'books': queryset}) and its relatives. */
const RENDERERS = new Set(['render', 'render_to_string', 'TemplateResponse', 'SimpleTemplateResponse']);

/** Hints for the {% for %} loops of a template over any of `names`, all bound to `shape`; reported at `at`. */
function templateLoopFindings(graph: ModelGraph, shape: QuerySetShape, templateName: string, source: string, names: string[], at: { from: number; to: number }): Finding[] {
  const findings: Finding[] = [];
  for (const loop of names.flatMap((name) => templateLoops(source, name))) {
    const needs = loop.accesses.map((access) => {
      const need = needOf(graph, shape, access.path, 0, access.path.map(() => 0), `${loop.variable}.${access.path.join('.')}`);
      return need && { ...need, line: access.line };
    }).filter((need): need is Need & { line: number } => !!need);
    for (const need of widest(needs) as (Need & { line: number })[]) {
      findings.push(finding(N_PLUS_ONE_TEMPLATE, need, shape, at.from, at.to, ` in ${templateName} (line ${need.line})`));
    }
  }
  return findings;
}

/** Class-based ListView: `model = Book` or `queryset = ...`, its template and the names it passes the rows as. */
function listViewFindings(cls: SyntaxNode, reader: QuerySetReader, input: QueryAnalysisInput, template: (name: string) => string | undefined): Finding[] {
  const text = input.text;
  const args = cls.getChild('ArgList');
  const isListView = !!args && baseNames(args, text).some((base) => base.endsWith('ListView'));
  const body = cls.getChild('Body');
  if (!isListView || !body) return [];
  const assigned = new Map<string, SyntaxNode>();
  for (let statement = body.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name === 'AssignStatement' && statement.firstChild?.name === 'VariableName') assigned.set(text.slice(statement.firstChild.from, statement.firstChild.to), statement);
  }
  const querysetValue = assigned.get('queryset')?.lastChild;
  const modelStatement = assigned.get('model');
  let shape = querysetValue ? reader.shapeOf(querysetValue) : undefined;
  let at: { from: number; to: number } | undefined = querysetValue ?? undefined;
  if (!querysetValue && modelStatement?.lastChild?.name === 'VariableName') {
    const modelName = text.slice(modelStatement.lastChild.from, modelStatement.lastChild.to);
    const lineStart = text.lastIndexOf('\n', modelStatement.from - 1) + 1;
    const lineEnd = text.indexOf('\n', modelStatement.to);
    shape = reader.managerShape(modelName, { at: lineEnd < 0 ? text.length : lineEnd, indent: text.slice(lineStart, modelStatement.from) });
    at = modelStatement;
  }
  if (!shape?.instances || !at) return [];
  const templateNode = assigned.get('template_name')?.lastChild;
  const templateName = (templateNode && reader.stringOf(templateNode)) ?? `${shape.model.app}/${shape.model.name.toLowerCase()}_list.html`;
  const source = template(templateName);
  if (!source) return [];
  const contextNode = assigned.get('context_object_name')?.lastChild;
  const contextName = (contextNode && reader.stringOf(contextNode)) ?? `${shape.model.name.toLowerCase()}_list`;
  return templateLoopFindings(input.graph, shape, templateName, source, ['object_list', contextName], at);
}

/** Last names of a class's bases: `generic.ListView` → `ListView`. */
function baseNames(args: SyntaxNode, text: string): string[] {
  const names: string[] = [];
  for (let base = args.firstChild; base; base = base.nextSibling) {
    const name = base.name === 'MemberExpression' ? base.lastChild : base;
    if (name && (name.name === 'VariableName' || name.name === 'PropertyName')) names.push(text.slice(name.from, name.to));
  }
  return names;
}

function templateFindings(call: SyntaxNode, reader: QuerySetReader, input: QueryAnalysisInput, template: (name: string) => string | undefined): Finding[] {
  const text = input.text;
  const callee = call.firstChild;
  const calleeName = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
  if (!calleeName || !RENDERERS.has(text.slice(calleeName.from, calleeName.to))) return [];
  const args = call.getChild('ArgList');
  let templateName: string | undefined;
  let context: SyntaxNode | undefined;
  for (let arg = args?.firstChild; arg; arg = arg.nextSibling) {
    if (arg.name === 'VariableName' && arg.nextSibling?.name === 'AssignOp') {
      const keyword = text.slice(arg.from, arg.to);
      const value = arg.nextSibling.nextSibling;
      if (keyword === 'template_name' && value) templateName = reader.stringOf(value);
      if (keyword === 'context' && value) context = value;
      if (value) arg = value;
      continue;
    }
    if (arg.name === 'String' && templateName === undefined) templateName = reader.stringOf(arg);
    else if (arg.name === 'DictionaryExpression' && !context) context = arg;
  }
  if (context?.name === 'VariableName') context = reader.bindingOf(context);
  const source = templateName !== undefined ? template(templateName) : undefined;
  if (!source || context?.name !== 'DictionaryExpression') return [];
  const findings: Finding[] = [];
  for (let key = context.firstChild; key; key = key.nextSibling) {
    const name = key.name === 'String' ? reader.stringOf(key) : undefined;
    const value = key.nextSibling?.name === ':' ? key.nextSibling.nextSibling : null;
    if (!name || !value) continue;
    const shape = reader.shapeOf(value);
    if (shape?.instances) findings.push(...templateLoopFindings(input.graph, shape, templateName!, source, [name], value));
  }
  return findings;
}
