// What a Python expression is as a queryset: which model its rows are, which relations it already
// loads (select_related / prefetch_related), and where a quick fix would add another. Reads the syntax
// tree only; a name is followed to its last plain assignment in the same function (or module).
import type { SyntaxNode } from '@lezer/common';
import { decodeStringLiteral } from '../model/python';
import type { ModelGraph, ModelInfo } from './models';

export interface QuerySetShape {
  model: ModelInfo;
  /** select_related lookups ('author', 'author__publisher'). */
  selected: string[];
  /** A bare select_related(): every non-null ForeignKey/OneToOne, recursively. */
  selectsAll: boolean;
  prefetched: string[];
  /** False after values()/values_list(): the rows are dicts or tuples, not model instances. */
  instances: boolean;
  /** The expression a fix extends (`.select_related(...)` goes right after it). */
  end: number;
  /** The last select_related/prefetch_related call with string arguments: a fix adds its lookup there. */
  selectArgs?: SyntaxNode;
  prefetchArgs?: SyntaxNode;
  /** No queryset is written (a ListView's `model = Book`): a fix adds `queryset = ...` at this offset. */
  newQueryset?: { at: number; indent: string; model: string };
}

/** QuerySet methods that return a queryset of the same model instances. */
const CHAINABLE = new Set([
  'all', 'filter', 'exclude', 'order_by', 'distinct', 'annotate', 'alias', 'only', 'defer', 'reverse', 'using',
  'select_for_update', 'extra', 'none', 'union', 'intersection', 'difference', 'complex_filter', 'iterator',
  'select_related', 'prefetch_related',
]);
/** Methods whose rows are not model instances. */
const NOT_INSTANCES = new Set(['values', 'values_list', 'dates', 'datetimes']);

export class QuerySetReader {
  /** Names bound to model classes by imports of this file: `from shop.models import Book as B` → B → shop.Book. */
  private readonly imported = new Map<string, ModelInfo>();

  constructor(private readonly text: string, private readonly graph: ModelGraph, top: SyntaxNode, private readonly ownApp?: string) {
    for (let statement = top.firstChild; statement; statement = statement.nextSibling) {
      if (statement.name === 'ImportStatement') this.readImport(statement);
    }
  }

  private textOf(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private readImport(statement: SyntaxNode): void {
    // from <module> import Name [as Alias], ...
    const parts: string[] = [];
    let module: string | undefined;
    for (let child = statement.firstChild; child; child = child.nextSibling) {
      if (child.name === 'import') {
        module = parts.join('');
        parts.length = 0;
        continue;
      }
      if (module === undefined) {
        if (child.name !== 'from') parts.push(this.textOf(child));
        continue;
      }
      if (child.name !== 'VariableName') continue;
      const name = this.textOf(child);
      const alias = child.nextSibling?.name === 'as' ? child.nextSibling.nextSibling : null;
      const app = module.startsWith('.') ? this.ownApp : module.split('.').filter((p) => p && p !== 'models').pop();
      const model = this.graph.named(name, app);
      if (model) this.imported.set(alias ? this.textOf(alias) : name, model);
      if (alias) child = alias;
    }
  }

  private modelNamed(name: string): ModelInfo | undefined {
    return this.imported.get(name) ?? this.graph.named(name, this.ownApp);
  }

  /** `Model.objects.all()` for a model named in this file; a fix writes a `queryset =` line at `at`. */
  managerShape(modelName: string, insert: { at: number; indent: string }): QuerySetShape | undefined {
    const model = this.modelNamed(modelName);
    return model && { model, selected: [], selectsAll: false, prefetched: [], instances: true, end: insert.at, newQueryset: { ...insert, model: modelName } };
  }

  /** The queryset an expression evaluates to, when that is statically clear. */
  shapeOf(node: SyntaxNode, depth = 0): QuerySetShape | undefined {
    if (depth > 20) return undefined;
    switch (node.name) {
      case 'ParenthesizedExpression':
        return node.firstChild?.nextSibling ? this.shapeOf(node.firstChild.nextSibling, depth + 1) : undefined;
      case 'MemberExpression': {
        // `qs[:10]`: a slice keeps the rows; the fix goes before it (Django refuses most changes after a slice).
        const sliced = node.getChild('[') && node.getChild(':');
        return sliced && node.firstChild ? this.shapeOf(node.firstChild, depth + 1) : undefined;
      }
      case 'VariableName': {
        const bound = this.bindingOf(node);
        return bound ? this.shapeOf(bound, depth + 1) : undefined;
      }
      case 'CallExpression':
        return this.callShape(node, depth);
      default:
        return undefined;
    }
  }

  private callShape(call: SyntaxNode, depth: number): QuerySetShape | undefined {
    const callee = call.firstChild;
    const args = call.getChild('ArgList');
    if (callee?.name !== 'MemberExpression' || callee.lastChild?.name !== 'PropertyName' || !args) return undefined;
    const method = this.textOf(callee.lastChild);
    const receiver = callee.firstChild!;
    let shape: QuerySetShape | undefined;
    if (receiver.name === 'MemberExpression' && receiver.firstChild?.name === 'VariableName' && receiver.lastChild?.name === 'PropertyName') {
      // Model.<manager>.method(...): `objects` or a custom manager.
      const model = this.modelNamed(this.textOf(receiver.firstChild));
      if (model) shape = { model, selected: [], selectsAll: false, prefetched: [], instances: true, end: call.to };
    }
    shape ??= this.shapeOf(receiver, depth + 1);
    if (!shape) return undefined;
    if (NOT_INSTANCES.has(method)) return { ...shape, instances: false, end: call.to };
    if (!CHAINABLE.has(method)) return undefined;
    const next: QuerySetShape = { ...shape, end: call.to };
    if (method === 'select_related') {
      const lookups = this.lookupsOf(args, false);
      if (lookups === undefined) return { ...next, selected: [], selectsAll: false };
      if (lookups.length) return { ...next, selected: [...shape.selected, ...lookups], selectArgs: args };
      return { ...next, selectsAll: true };
    }
    if (method === 'prefetch_related') {
      const lookups = this.lookupsOf(args, true) ?? [];
      return lookups.length ? { ...next, prefetched: [...shape.prefetched, ...lookups], prefetchArgs: args } : { ...next, prefetched: [] };
    }
    return next;
  }

  /** String lookups of a select_related/prefetch_related call; undefined for `select_related(None)`. */
  private lookupsOf(args: SyntaxNode, allowPrefetchObjects: boolean): string[] | undefined {
    const lookups: string[] = [];
    for (let arg = args.firstChild; arg; arg = arg.nextSibling) {
      if (arg.name === 'None') return undefined;
      const value = this.stringOf(arg) ?? (allowPrefetchObjects ? this.prefetchObjectLookup(arg) : undefined);
      if (value) lookups.push(value);
    }
    return lookups;
  }

  /** `Prefetch('tags', queryset=...)` → 'tags' (its to_attr, if any, is a different attribute). */
  private prefetchObjectLookup(node: SyntaxNode): string | undefined {
    const callee = node.name === 'CallExpression' ? node.firstChild : null;
    const calleeName = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
    if (!calleeName || !['VariableName', 'PropertyName'].includes(calleeName.name) || this.textOf(calleeName) !== 'Prefetch') return undefined;
    const first = node.getChild('ArgList')?.firstChild?.nextSibling;
    return first ? this.stringOf(first) : undefined;
  }

  stringOf(node: SyntaxNode): string | undefined {
    if (node.name !== 'String') return undefined;
    const decoded = decodeStringLiteral(this.textOf(node));
    return decoded.interpolated || decoded.unterminated ? undefined : decoded.value;
  }

  /** The value of the last plain `name = value` before `use`, in the same function or module body. */
  bindingOf(use: SyntaxNode): SyntaxNode | undefined {
    const name = this.textOf(use);
    let scope: SyntaxNode | null = use.parent;
    while (scope && scope.name !== 'FunctionDefinition' && scope.name !== 'Script') scope = scope.parent;
    if (!scope) return undefined;
    let found: SyntaxNode | undefined;
    const cursor = scope.cursor();
    const visit = (): void => {
      do {
        const node = cursor.node;
        if (node.from >= use.from) return;
        if (node.from !== scope.from && (node.name === 'FunctionDefinition' || node.name === 'ClassDefinition' || node.name === 'LambdaExpression')) continue;
        if (node.name === 'AssignStatement' && node.to <= use.from) {
          const target = node.firstChild;
          const value = node.lastChild;
          if (target?.name === 'VariableName' && target.nextSibling?.name === 'AssignOp' && value && value.from !== target.from
            && this.textOf(target) === name) found = value;
        }
        if (cursor.firstChild()) {
          visit();
          cursor.parent();
        }
      } while (cursor.nextSibling());
    };
    if (cursor.firstChild()) visit();
    return found;
  }
}
