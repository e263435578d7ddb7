// Reads Python expressions into PyValue: literals, dicts, environment lookups, DATABASE_URL calls,
// or "computed" for anything we cannot know without running the code.
import { childrenOf, decodeStringLiteral, isErrorNode, type PythonSource, type SyntaxNode } from './python';
import type { DatabaseUrl, DictEntry, DictModel, EnvLookup, PyValue, Span } from './types';

/** What a module-level name refers to, learned from imports and simple assignments. */
export type KnownName =
  | 'os'
  | 'os.environ'
  | 'os.getenv'
  | 'dj_database_url'
  | 'environ'
  | 'environ.Env'
  | 'env'
  | 'decouple'
  | 'decouple.config';

/** dj_database_url keyword arguments and the DATABASES key each one sets. */
export const DATABASE_URL_KEYWORDS: Record<string, { key: string; option?: boolean }> = {
  conn_max_age: { key: 'CONN_MAX_AGE' },
  conn_health_checks: { key: 'CONN_HEALTH_CHECKS' },
  engine: { key: 'ENGINE' },
  ssl_require: { key: 'sslmode', option: true },
  disable_server_side_cursors: { key: 'DISABLE_SERVER_SIDE_CURSORS' },
  test_options: { key: 'TEST' },
};

const span = (node: { from: number; to: number }): Span => ({ from: node.from, to: node.to });

/** `{{ databases.default.port }}` (Jinja, Django templates, Ansible) or `{% ... %}`: a value filled in later. */
function hasPlaceholder(text: string): boolean {
  const open = text.indexOf('{{');
  if (open >= 0 && text.indexOf('}}', open + 2) > open) return true;
  const tag = text.indexOf('{%');
  return tag >= 0 && text.indexOf('%}', tag + 2) > tag;
}

/** The arguments of a call: positional values and keyword (name → value node). */
export interface CallArguments {
  positional: SyntaxNode[];
  keywords: { nameNode: SyntaxNode; value: SyntaxNode }[];
  /** `**something` spreads: we cannot know what they add. */
  spreads: SyntaxNode[];
}

export function callArguments(argList: SyntaxNode | null): CallArguments {
  const result: CallArguments = { positional: [], keywords: [], spreads: [] };
  if (!argList) return result;
  const parts = childrenOf(argList).filter((n) => !['(', ')', ','].includes(n.name) && !isErrorNode(n));
  for (let i = 0; i < parts.length; i++) {
    const node = parts[i];
    if (node.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp' && parts[i + 2]) {
      result.keywords.push({ nameNode: node, value: parts[i + 2] });
      i += 2;
    } else if (node.name === '**' || node.name === '*') {
      if (parts[i + 1]) result.spreads.push(parts[i + 1]);
      i += 1;
    } else result.positional.push(node);
  }
  return result;
}

export class ValueReader {
  /** Module-level assignments seen so far: name → value node (to follow `'default': BASE_DB`). */
  readonly variables = new Map<string, SyntaxNode>();
  /** String literals holding template placeholders, in the order read. */
  readonly placeholders: Span[] = [];
  private depth = 0;

  constructor(
    readonly src: PythonSource,
    readonly names: Map<string, KnownName>,
  ) {}

  /** The dotted name of a callee or attribute chain (`os.environ.get`), or undefined. */
  dottedName(node: SyntaxNode): string | undefined {
    if (node.name === 'VariableName') return this.src.textOf(node);
    if (node.name === 'MemberExpression') {
      const kids = childrenOf(node);
      const property = kids[kids.length - 1];
      if (kids[1]?.name !== '.' || property?.name !== 'PropertyName') return undefined;
      const object = this.dottedName(kids[0]);
      return object === undefined ? undefined : `${object}.${this.src.textOf(property)}`;
    }
    return undefined;
  }

  /** Canonical meaning of a dotted name, with the file's imports applied (`environ.get` → `os.environ.get`). */
  canonical(dotted: string): string {
    const [head, ...rest] = dotted.split('.');
    const known = this.names.get(head);
    return known ? [known, ...rest].join('.') : dotted;
  }

  stringValue(node: SyntaxNode | undefined): string | undefined {
    if (!node) return undefined;
    const value = this.read(node);
    return value.kind === 'string' ? value.value : undefined;
  }

  read(node: SyntaxNode): PyValue {
    switch (node.name) {
      case 'String':
        return this.readString(node);
      case 'ContinuedString':
        return this.readContinuedString(node);
      case 'Number':
        return this.readNumber(node, 1);
      case 'UnaryExpression': {
        const [op, operand] = childrenOf(node);
        if (operand?.name === 'Number' && (this.src.textOf(op) === '-' || this.src.textOf(op) === '+')) {
          return { ...this.readNumber(operand, this.src.textOf(op) === '-' ? -1 : 1), span: span(node) } as PyValue;
        }
        break;
      }
      case 'Boolean':
        return { kind: 'bool', value: this.src.textOf(node) === 'True', span: span(node) };
      case 'None':
        return { kind: 'none', span: span(node) };
      case 'DictionaryExpression':
        return { kind: 'dict', dict: this.readDictLiteral(node), span: span(node) };
      case 'DictionaryComprehensionExpression':
        // Lezer also uses this node when it recovers a half-typed dict; a real comprehension has `for`.
        if (!childrenOf(node).some((c) => c.name === 'for' || c.name === 'async')) {
          return { kind: 'dict', dict: this.readDictLiteral(node), span: span(node) };
        }
        break;
      case 'ArrayExpression':
      case 'TupleExpression':
        return {
          kind: 'list',
          items: childrenOf(node).filter((c) => !['[', ']', '(', ')', ','].includes(c.name) && !isErrorNode(c)).map((c) => this.read(c)),
          span: span(node),
        };
      case 'ParenthesizedExpression': {
        const inner = childrenOf(node).find((c) => c.name !== '(' && c.name !== ')');
        if (inner) return this.read(inner);
        break;
      }
      case 'CallExpression':
        return this.readCall(node) ?? this.computed(node);
      case 'MemberExpression':
        return this.readSubscriptLookup(node) ?? this.computed(node);
      case 'VariableName': {
        const target = this.variables.get(this.src.textOf(node));
        if (target && this.depth < 8) {
          this.depth++;
          try {
            return this.read(target);
          } finally {
            this.depth--;
          }
        }
        break;
      }
    }
    return this.computed(node);
  }

  private computed(node: SyntaxNode): PyValue {
    return { kind: 'computed', text: this.src.textOf(node), span: span(node), name: this.dottedName(node) };
  }

  private readString(node: SyntaxNode): PyValue {
    const decoded = decodeStringLiteral(this.src.textOf(node));
    if (decoded.interpolated) return this.computed(node);
    if (hasPlaceholder(decoded.value)) {
      if (!this.placeholders.some((p) => p.from === node.from)) this.placeholders.push(span(node));
      return { ...this.computed(node), placeholder: true } as PyValue;
    }
    return { kind: 'string', value: decoded.value, span: span(node), quote: decoded.quote, raw: decoded.raw };
  }

  private readContinuedString(node: SyntaxNode): PyValue {
    let value = '';
    let first: PyValue | undefined;
    for (const part of childrenOf(node)) {
      const piece = part.name === 'String' ? this.readString(part) : this.computed(part);
      if (piece.kind !== 'string') return this.computed(node);
      first ??= piece;
      value += piece.value;
    }
    return first?.kind === 'string' ? { ...first, value, span: span(node) } : this.computed(node);
  }

  private readNumber(node: SyntaxNode, sign: 1 | -1): PyValue {
    const text = this.src.textOf(node).replaceAll('_', '');
    const isInt = [...text].every((c) => c >= '0' && c <= '9') || ((text.startsWith('0x') || text.startsWith('0o') || text.startsWith('0b')) && text.length > 2);
    const value = sign * (isInt ? Number(text) : parseFloat(text));
    return { kind: 'number', value, text: (sign < 0 ? '-' : '') + this.src.textOf(node), isInt, span: span(node) };
  }

  /** `{'KEY': value, **other}`; tolerant of a missing value or a missing closing brace. */
  readDictLiteral(node: SyntaxNode): DictModel {
    const dict: DictModel = { span: span(node), form: 'literal', entries: [], incomplete: false };
    const kids = childrenOf(node);
    dict.incomplete = kids.some(isErrorNode) || kids[kids.length - 1]?.name !== '}';
    for (let i = 0; i < kids.length; i++) {
      const keyNode = kids[i];
      if (keyNode.name === '**' && kids[i + 1]) {
        (dict.spreads ??= []).push(this.read(kids[++i]));
        continue;
      }
      if (keyNode.name !== 'String') continue;
      if (kids[i + 1]?.name !== ':') {
        // A key still being typed (`'sslm`): keep it so completion knows where the cursor is.
        dict.entries.push(this.entry(keyNode, undefined, keyNode, 'literal'));
        continue;
      }
      const valueNode = kids[i + 2];
      const hasValue = valueNode && !isErrorNode(valueNode) && valueNode.name !== ',' && valueNode.name !== '}';
      dict.entries.push(this.entry(keyNode, hasValue ? valueNode : undefined, hasValue ? valueNode : kids[i + 1], 'literal'));
      if (!hasValue) dict.incomplete = true;
      i += hasValue ? 2 : 1;
    }
    return dict;
  }

  /** `dict(KEY=value, ...)` */
  readDictCall(node: SyntaxNode): DictModel {
    const args = callArguments(node.getChild('ArgList'));
    const dict: DictModel = { span: span(node), form: 'call', entries: [], incomplete: false };
    const first = args.positional[0];
    if (first) {
      const base = this.read(first);
      if (base.kind === 'dict') dict.entries.push(...base.dict.entries);
    }
    for (const kw of args.keywords) dict.entries.push(this.keywordEntry(kw, this.src.textOf(kw.nameNode), 'keyword'));
    return dict;
  }

  /** `KEY=value` in a call, as the entry it sets. */
  private keywordEntry(kw: CallArguments['keywords'][number], key: string, origin: DictEntry['origin']): DictEntry {
    return { key, keySpan: span(kw.nameNode), keyQuote: '', value: this.read(kw.value), origin, itemSpan: { from: kw.nameNode.from, to: kw.value.to } };
  }

  private entry(keyNode: SyntaxNode, valueNode: SyntaxNode | undefined, last: SyntaxNode, origin: DictEntry['origin']): DictEntry {
    const decoded = decodeStringLiteral(this.src.textOf(keyNode));
    const value: PyValue = valueNode ? this.read(valueNode) : { kind: 'computed', text: '', span: { from: last.to, to: last.to } };
    return {
      key: decoded.value,
      keySpan: span(keyNode),
      keyQuote: decoded.quote,
      value,
      origin,
      itemSpan: { from: keyNode.from, to: (valueNode ?? last).to },
    };
  }

  private readCall(node: SyntaxNode): PyValue | undefined {
    const callee = node.firstChild;
    if (!callee) return undefined;
    const dotted = this.dottedName(callee);
    if (dotted === undefined) return undefined;
    const name = this.canonical(dotted);
    const args = callArguments(node.getChild('ArgList'));
    if (name === 'dict') return { kind: 'dict', dict: this.readDictCall(node), span: span(node) };
    // int(os.environ.get('DB_PORT', 5432)) and friends: the lookup with a cast.
    if ((name === 'int' || name === 'str' || name === 'bool' || name === 'float') && args.positional.length === 1) {
      const inner = this.read(args.positional[0]);
      return inner.kind === 'env' ? { ...inner, cast: name, span: span(node) } : undefined;
    }
    const env = this.readEnvCall(name, args, node);
    if (env) return env;
    return this.readDatabaseUrlCall(name, args, node);
  }

  private readEnvCall(name: string, args: CallArguments, node: SyntaxNode): EnvLookup | undefined {
    const keyword = (n: string) => args.keywords.find((k) => this.src.textOf(k.nameNode) === n)?.value;
    const variableNode = args.positional[0] ?? keyword('key') ?? keyword('var') ?? keyword('option');
    const variable = this.stringValue(variableNode);
    if (variable === undefined || !variableNode) return undefined;
    const make = (style: EnvLookup['style'], defaultNode: SyntaxNode | undefined, cast?: string): EnvLookup => ({
      kind: 'env',
      style,
      variable,
      variableSpan: span(variableNode),
      default: defaultNode ? this.read(defaultNode) : undefined,
      cast,
      span: span(node),
    });
    if (name === 'os.environ.get' || name === 'os.getenv') {
      return make(name === 'os.getenv' ? 'os.getenv' : 'os.environ.get', args.positional[1] ?? keyword('default'));
    }
    if (name === 'decouple.config') {
      const castNode = keyword('cast');
      return make('decouple', keyword('default') ?? args.positional[1], castNode ? this.src.textOf(castNode) : undefined);
    }
    // django-environ: env('X', default=...), env.str('X', ...), env.int(...), env.bool(...)
    const [head, method, extra] = name.split('.');
    if (head === 'env' && extra === undefined) {
      if (method === undefined || ['str', 'int', 'bool', 'float', 'path'].includes(method)) {
        const castNode = keyword('cast');
        return make('django-environ', keyword('default') ?? (method ? args.positional[1] : undefined), method ?? (castNode ? this.src.textOf(castNode) : undefined));
      }
    }
    return undefined;
  }

  private readDatabaseUrlCall(name: string, args: CallArguments, node: SyntaxNode): DatabaseUrl | undefined {
    const styles: Record<string, DatabaseUrl['style']> = {
      'dj_database_url.config': 'dj_database_url.config',
      'dj_database_url.parse': 'dj_database_url.parse',
      'env.db': 'env.db',
      'env.db_url': 'env.db_url',
    };
    const style = styles[name];
    if (!style) return undefined;
    const result: DatabaseUrl = { kind: 'databaseUrl', style, keywords: [], span: span(node) };
    const keywordNode = (n: string) => args.keywords.find((k) => this.src.textOf(k.nameNode) === n)?.value;
    if (style === 'dj_database_url.parse') {
      const urlNode = args.positional[0] ?? keywordNode('url');
      if (urlNode) {
        const url = this.read(urlNode);
        if (url.kind === 'env') result.variable = url.variable;
        result.url = url.kind === 'env' ? url.default : url;
      }
    } else if (style === 'dj_database_url.config') {
      const envNode = keywordNode('env') ?? args.positional[0];
      result.variable = this.stringValue(envNode) ?? 'DATABASE_URL';
      const defaultNode = keywordNode('default') ?? (envNode === args.positional[0] ? args.positional[1] : undefined);
      if (defaultNode) result.url = this.read(defaultNode);
    } else {
      result.variable = this.stringValue(args.positional[0] ?? keywordNode('var')) ?? 'DATABASE_URL';
      const defaultNode = keywordNode('default') ?? args.positional[1];
      if (defaultNode) result.url = this.read(defaultNode);
    }
    for (const kw of args.keywords) {
      const mapped = DATABASE_URL_KEYWORDS[this.src.textOf(kw.nameNode)];
      if (mapped) result.keywords.push(this.keywordEntry(kw, mapped.key, 'databaseUrl'));
    }
    return result;
  }

  /** `os.environ['X']` */
  private readSubscriptLookup(node: SyntaxNode): EnvLookup | undefined {
    const kids = childrenOf(node);
    if (kids[1]?.name !== '[') return undefined;
    const object = this.dottedName(kids[0]);
    if (!object || this.canonical(object) !== 'os.environ') return undefined;
    const variable = this.stringValue(kids[2]);
    if (variable === undefined) return undefined;
    return { kind: 'env', style: 'os.environ[]', variable, variableSpan: span(kids[2]), span: span(node) };
  }
}
