// What is at an offset of a settings file: a key or a value of which DATABASES dict, a server setting
// inside the `options` string, or a subscript key. Completion and hover both start here.
import { childrenOf, decodeStringLiteral, isErrorNode, type PythonSource, type SyntaxNode } from './python';
import type { DictModel, DictRole, EnvLookup, DatabaseUrl, PyValue, SettingsModel, Span } from './types';

export interface Location {
  /** A key being written or hovered, or a value of `key`. */
  part: 'key' | 'value' | 'optionsSetting' | 'optionsValue';
  role: DictRole;
  alias?: string;
  /** The key whose value this is (part 'value'), or the key under the cursor (part 'key'). */
  key?: string;
  /** For the `options` string: the server setting name. */
  setting?: string;
  /** The text to replace when completing, and what the user typed so far in it. */
  replace: Span;
  typed: string;
  /** Inside a string literal: completion inserts bare text. Otherwise it inserts a literal. */
  inString: boolean;
  /** The string literal is not closed yet. */
  unterminated: boolean;
  /** Keyword form `dict(KEY=...)`: keys are identifiers. */
  keywordForm: boolean;
  /** The quote style to use for new keys and values. */
  quote: string;
  /** Keys already present in the dict, so completion does not offer them again. */
  existingKeys: string[];
  /** The value at the cursor when it is a lookup or URL call (for hover). */
  lookup?: EnvLookup | DatabaseUrl;
  /** The whole node under the cursor, for hover ranges. */
  span: Span;
}

const DICT_NODES = new Set(['DictionaryExpression', 'DictionaryComprehensionExpression']);

export function locate(src: PythonSource, model: SettingsModel, offset: number): Location | undefined {
  const fromTree = locateInTree(src, model, offset);
  if (fromTree?.part === 'optionsSetting' || fromTree?.part === 'optionsValue' || !statementHasErrors(src, offset)) return fromTree;
  // The parser recovered from an error near the cursor: its nesting may be off, but the brackets,
  // strings, colons and commas it read are not. Let them decide where the cursor is.
  const fromTokens = locateByTokens(src, offset);
  if (!fromTokens) return fromTree;
  const local = fromTree && fromTree.span.from <= offset && offset <= fromTree.span.to && fromTree.inString ? fromTree : fromTokens;
  return {
    ...local,
    role: fromTokens.role,
    alias: fromTokens.alias,
    part: fromTokens.part,
    key: fromTokens.part === 'value' ? fromTokens.key : local.part === 'key' ? local.key : undefined,
    existingKeys: [...new Set([...fromTokens.existingKeys, ...(fromTree?.role === fromTokens.role ? fromTree.existingKeys : [])])],
    keywordForm: false,
  };
}

function locateInTree(src: PythonSource, model: SettingsModel, offset: number): Location | undefined {
  const byStart = new Map(model.dicts.map((d) => [d.dict.span.from, d]));
  let node: SyntaxNode | null = src.tree.resolveInner(offset, -1);
  // Climb to the innermost dict literal / dict(...) call / subscript that we understand.
  for (let child: SyntaxNode | null = null; node; child = node, node = node.parent) {
    if (DICT_NODES.has(node.name) || (node.name === 'ArgList' && node.parent?.name === 'CallExpression')) {
      const dictNode = node.name === 'ArgList' ? node.parent! : node;
      const role = byStart.get(dictNode.from) ?? inferRole(src, dictNode, byStart);
      if (role) return inDict(src, dictNode, role.role, role.alias, role.dict, offset, child);
    }
    if (node.name === 'MemberExpression') {
      const found = inSubscript(src, node, offset);
      if (found) return found;
    }
  }
  return undefined;
}

interface KnownDict {
  role: DictRole;
  alias?: string;
  dict?: DictModel;
}

/** A dict the model did not register (being typed): its role from the key it is the value of. */
function inferRole(src: PythonSource, dictNode: SyntaxNode, byStart: Map<number, KnownDict>): KnownDict | undefined {
  let parent = dictNode.parent;
  if (parent?.name === 'ArgList') parent = parent.parent;
  if (!parent || !(DICT_NODES.has(parent.name) || parent.name === 'CallExpression')) return undefined;
  const parentRole = byStart.get(parent.from) ?? inferRole(src, parent, byStart);
  if (!parentRole) return undefined;
  const key = keyBefore(src, dictNode);
  if (key === undefined) return undefined;
  if (parentRole.role === 'databases') return { role: 'entry', alias: key };
  if (parentRole.role === 'entry' && key === 'OPTIONS') return { role: 'options', alias: parentRole.alias };
  if (parentRole.role === 'entry' && key === 'TEST') return { role: 'test', alias: parentRole.alias };
  if (parentRole.role === 'options' && key === 'pool') return { role: 'pool', alias: parentRole.alias };
  return undefined;
}

/** The key a value node belongs to: `'KEY': <node>` or `KEY=<node>`. */
function keyBefore(src: PythonSource, valueNode: SyntaxNode): string | undefined {
  const separator = valueNode.prevSibling;
  const keyNode = separator?.prevSibling;
  if (!separator || !keyNode) return undefined;
  if (separator.name === ':' && keyNode.name === 'String') return decodeStringLiteral(src.textOf(keyNode)).value;
  if (separator.name === 'AssignOp' && keyNode.name === 'VariableName') return src.textOf(keyNode);
  return undefined;
}

function inDict(
  src: PythonSource,
  dictNode: SyntaxNode,
  role: DictRole,
  alias: string | undefined,
  dict: DictModel | undefined,
  offset: number,
  childOnPath: SyntaxNode | null,
): Location | undefined {
  const keywordForm = dictNode.name === 'CallExpression';
  const container = keywordForm ? dictNode.getChild('ArgList') : dictNode;
  if (!container) return undefined;
  const kids = childrenOf(container).filter((k) => !(isErrorNode(k) && k.from === k.to));
  const existingKeys = dict?.entries.map((e) => e.key) ?? [];
  const quote = preferredQuote(src, dict);
  // The child of the dict that holds the offset (a key string, a value, or nothing: between items).
  const holder = childOnPath && childOnPath.parent === container ? childOnPath : kids.find((k) => k.from < offset && offset <= k.to && k.name !== '}' && k.name !== ')');
  // Walk the items to learn whether the offset is in a key or a value position.
  let expectKey = true;
  let currentKey: string | undefined;
  for (const kid of kids) {
    if (kid.from >= offset && kid !== holder) break;
    if (kid.name === ',' || kid.name === '{' || kid.name === '(') {
      expectKey = true;
      currentKey = undefined;
    } else if (kid.name === ':' || kid.name === 'AssignOp') expectKey = false;
    else if (expectKey && (kid.name === 'String' || kid.name === 'VariableName')) {
      currentKey = kid.name === 'String' ? decodeStringLiteral(src.textOf(kid)).value : src.textOf(kid);
    }
    if (kid === holder) break;
  }
  const base = { role, alias, keywordForm, quote, existingKeys };
  if (holder && holder.to >= offset && holder.from < offset && (holder.name === 'String' || holder.name === 'VariableName' || isErrorNode(holder) || holder.name === 'ContinuedString')) {
    const isKey = expectKey || holder.nextSibling?.name === ':' || holder.nextSibling?.name === 'AssignOp';
    if (holder.name === 'String') {
      const decoded = decodeStringLiteral(src.textOf(holder));
      const contentFrom = holder.from + decoded.contentStart;
      const contentTo = decoded.unterminated ? holder.to : holder.to - decoded.quote.length * (decoded.quote.length === 1 && src.textOf(holder).endsWith(decoded.quote.repeat(3)) ? 3 : 1);
      if (offset < contentFrom) return undefined;
      const typed = src.text.slice(contentFrom, Math.min(offset, contentTo));
      if (!isKey && role === 'options' && currentKey === 'options') {
        return optionsStringLocation({ ...base, span: { from: holder.from, to: holder.to } }, src, contentFrom, contentTo, offset);
      }
      return {
        ...base,
        part: isKey ? 'key' : 'value',
        key: isKey ? decoded.value : currentKey,
        replace: { from: contentFrom, to: contentTo },
        typed,
        inString: true,
        unterminated: decoded.unterminated,
        quote: decoded.quote,
        span: { from: holder.from, to: holder.to },
      };
    }
    if (holder.name === 'VariableName' && keywordForm && isKey) {
      const text = src.textOf(holder);
      return { ...base, part: 'key', key: text, replace: { from: holder.from, to: holder.to }, typed: src.text.slice(holder.from, offset), inString: false, unterminated: false, span: { from: holder.from, to: holder.to } };
    }
  }
  if (holder && !expectKey && currentKey !== undefined) {
    // On a non-string value (a number, True, an env lookup call): hover shows it, completion replaces it.
    const value = dict?.entries.find((e) => e.key === currentKey && e.value.span.from <= offset && offset <= e.value.span.to)?.value;
    const lookup = findLookup(value, offset);
    const simple = holder.name === 'Number' || holder.name === 'Boolean' || holder.name === 'None' || holder.name === 'VariableName';
    return {
      ...base,
      part: 'value',
      key: currentKey,
      replace: simple ? { from: holder.from, to: holder.to } : { from: offset, to: offset },
      typed: simple ? src.text.slice(holder.from, offset) : '',
      inString: false,
      unterminated: false,
      lookup,
      span: { from: holder.from, to: holder.to },
    };
  }
  return {
    ...base,
    part: expectKey ? 'key' : 'value',
    key: expectKey ? undefined : currentKey,
    replace: { from: offset, to: offset },
    typed: '',
    inString: false,
    unterminated: false,
    span: { from: offset, to: offset },
  };
}

function findLookup(value: PyValue | undefined, offset: number): EnvLookup | DatabaseUrl | undefined {
  if (!value) return undefined;
  if ((value.kind === 'env' || value.kind === 'databaseUrl') && value.span.from <= offset && offset <= value.span.to) return value;
  return undefined;
}

/** Inside `'options': '-c statement_timeout=5s -c lock_|'`: a setting name or its value. */
function optionsStringLocation(
  base: Omit<Location, 'part' | 'replace' | 'typed' | 'inString' | 'unterminated' | 'key' | 'setting'>,
  src: PythonSource,
  contentFrom: number,
  contentTo: number,
  offset: number,
): Location {
  const content = src.text.slice(contentFrom, contentTo);
  const cursor = offset - contentFrom;
  // The whitespace-separated word around the cursor (a backslash escapes a space in a value).
  let start = cursor;
  while (start > 0 && !(isSpace(content[start - 1]) && content[start - 2] !== '\\')) start--;
  let end = cursor;
  while (end < content.length && !(isSpace(content[end]) && content[end - 1] !== '\\')) end++;
  let word = content.slice(start, end);
  let wordFrom = contentFrom + start;
  if (word.startsWith('--')) {
    word = word.slice(2);
    wordFrom += 2;
  } else if (word.startsWith('-c') && word.length > 2) {
    word = word.slice(2);
    wordFrom += 2;
  }
  const eq = word.indexOf('=');
  const common = { ...base, key: 'options', inString: true, unterminated: false };
  if (eq >= 0 && cursor - (wordFrom - contentFrom) > eq) {
    const setting = word.slice(0, eq).replaceAll('-', '_');
    return { ...common, part: 'optionsValue', setting, replace: { from: wordFrom + eq + 1, to: wordFrom + word.length }, typed: content.slice(wordFrom - contentFrom + eq + 1, cursor) };
  }
  const setting = (eq >= 0 ? word.slice(0, eq) : word).replaceAll('-', '_');
  const nameTo = wordFrom + (eq >= 0 ? eq : word.length);
  return { ...common, part: 'optionsSetting', setting, replace: { from: wordFrom, to: nameTo }, typed: src.text.slice(wordFrom, offset), span: { from: wordFrom, to: nameTo } };
}

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** `DATABASES['default']['OPTIONS']['ssl|` */
function inSubscript(src: PythonSource, member: SyntaxNode, offset: number): Location | undefined {
  const kids = childrenOf(member);
  if (kids[1]?.name !== '[') return undefined;
  const keyNode = kids[2];
  if (keyNode && keyNode.name !== 'String' && !isErrorNode(keyNode) && keyNode.name !== ']') return undefined;
  if (offset <= kids[1].from) return undefined;
  const path = subscriptPath(src, kids[0]);
  if (!path) return undefined;
  const role: DictRole | undefined =
    path.length === 0 ? 'databases' : path.length === 1 ? 'entry' : path[1] === 'OPTIONS' && path.length === 2 ? 'options' : path[1] === 'TEST' && path.length === 2 ? 'test' : undefined;
  if (!role) return undefined;
  const decoded = keyNode?.name === 'String' ? decodeStringLiteral(src.textOf(keyNode)) : undefined;
  const contentFrom = decoded && keyNode ? keyNode.from + decoded.contentStart : offset;
  const contentTo = decoded && keyNode ? (decoded.unterminated ? keyNode.to : keyNode.to - 1) : offset;
  return {
    part: 'key',
    role,
    alias: path[0],
    key: decoded?.value,
    replace: { from: contentFrom, to: contentTo },
    typed: src.text.slice(contentFrom, Math.max(contentFrom, Math.min(offset, contentTo))),
    inString: !!decoded,
    unterminated: !!decoded?.unterminated,
    keywordForm: false,
    quote: decoded?.quote ?? "'",
    existingKeys: [],
    span: keyNode ? { from: keyNode.from, to: keyNode.to } : { from: offset, to: offset },
  };
}

function subscriptPath(src: PythonSource, node: SyntaxNode): string[] | undefined {
  if (node.name === 'VariableName') return src.textOf(node) === 'DATABASES' ? [] : undefined;
  if (node.name !== 'MemberExpression') return undefined;
  const kids = childrenOf(node);
  if (kids[1]?.name !== '[' || kids[2]?.name !== 'String') return undefined;
  const base = subscriptPath(src, kids[0]);
  return base && [...base, decodeStringLiteral(src.textOf(kids[2])).value];
}

/** The quote the user already uses in this dict (or the file), for new keys and values. */
function preferredQuote(src: PythonSource, dict: DictModel | undefined): string {
  const first = dict?.entries.find((e) => e.keyQuote)?.keyQuote;
  if (first) return first;
  const cursor = src.tree.cursor();
  do {
    if (cursor.name === 'String') return decodeStringLiteral(src.text.slice(cursor.from, cursor.to)).quote;
  } while (cursor.next());
  return "'";
}

// ---- token-based fallback for half-typed code --------------------------------------------------

/** How far back we look for the start of a DATABASES block. */
const TOKEN_WINDOW = 40_000;

interface Token {
  name: string;
  from: number;
  to: number;
}

/** Does the top-level statement around the offset contain a parse error? */
function statementHasErrors(src: PythonSource, offset: number): boolean {
  let node: SyntaxNode | null = src.tree.resolveInner(offset, -1);
  while (node?.parent && node.parent.name !== 'Script') node = node.parent;
  if (!node) return false;
  if (node.type.isError) return true;
  const cursor = node.cursor();
  const end = node.to;
  do {
    if (cursor.type.isError) return true;
  } while (cursor.next() && cursor.from <= end);
  return false;
}

/** Leaf tokens before the offset (strings count as one token). */
function tokensBefore(src: PythonSource, offset: number): Token[] {
  const tokens: Token[] = [];
  src.tree.iterate({
    from: Math.max(0, offset - TOKEN_WINDOW),
    to: offset,
    enter: (node) => {
      if (node.from >= offset) return false;
      if (node.name === 'String' || node.name === 'FormatString') {
        tokens.push({ name: 'String', from: node.from, to: node.to });
        return false;
      }
      if (!node.node.firstChild && node.to > node.from) tokens.push({ name: node.name, from: node.from, to: node.to });
      return undefined;
    },
  });
  return tokens;
}

function locateByTokens(src: PythonSource, offset: number): Location | undefined {
  const tokens = tokensBefore(src, offset);
  // A string the cursor is inside is what the user is typing, not structure.
  let current: Token | undefined;
  if (tokens.length && tokens[tokens.length - 1].name === 'String' && tokens[tokens.length - 1].to >= offset) {
    const last = tokens[tokens.length - 1];
    const decoded = decodeStringLiteral(src.textOf(last));
    if (decoded.unterminated || offset < last.to) current = tokens.pop();
  }
  const stringValue = (t: Token | undefined) => (t?.name === 'String' ? decodeStringLiteral(src.textOf(t)).value : undefined);
  let depth = 0;
  let part: 'key' | 'value' | undefined;
  let key: string | undefined;
  const existingKeys: string[] = [];
  const path: string[] = [];
  let rooted = false;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token.name === '}' || token.name === ')' || token.name === ']') depth++;
    else if (token.name === '(' || token.name === '[') {
      if (depth === 0) return undefined; // inside a call or a list: not a dict key or value
      depth--;
    } else if (token.name === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      part ??= 'key';
      // Which key holds this dict, or is it the DATABASES dict itself?
      const before = tokens[i - 1];
      if (before?.name === ':' && stringValue(tokens[i - 2]) !== undefined) {
        path.unshift(stringValue(tokens[i - 2])!);
        continue;
      }
      if (before?.name === 'AssignOp' || before?.name === 'UpdateOp') {
        const target = subscriptTarget(src, tokens, i - 2);
        if (target) {
          path.unshift(...target);
          rooted = true;
        }
      }
      break;
    } else if (depth === 0 && part === undefined) {
      if (token.name === ':') {
        part = 'value';
        key = stringValue(tokens[i - 1]);
      } else if (token.name === ',') part = 'key';
    } else if (depth === 0 && path.length === 0 && token.name === ':' && stringValue(tokens[i - 1]) !== undefined) {
      existingKeys.push(stringValue(tokens[i - 1])!);
    }
  }
  if (!rooted || !part) return undefined;
  const [alias, section, inner] = path;
  const role: DictRole | undefined =
    path.length === 0 ? 'databases'
      : path.length === 1 ? 'entry'
        : path.length === 2 && section === 'OPTIONS' ? 'options'
          : path.length === 2 && section === 'TEST' ? 'test'
            : path.length === 3 && section === 'OPTIONS' && inner === 'pool' ? 'pool'
              : undefined;
  if (!role) return undefined;
  const decoded = current ? decodeStringLiteral(src.textOf(current)) : undefined;
  const contentFrom = current && decoded ? current.from + decoded.contentStart : offset;
  const contentTo = current && decoded ? (decoded.unterminated ? current.to : current.to - decoded.quote.length) : offset;
  return {
    part,
    role,
    alias,
    key: part === 'value' ? key : decoded?.value,
    replace: { from: contentFrom, to: contentTo },
    typed: src.text.slice(contentFrom, Math.max(contentFrom, offset)),
    inString: !!current,
    unterminated: !!decoded?.unterminated,
    keywordForm: false,
    quote: decoded?.quote ?? "'",
    existingKeys,
    span: current ? { from: current.from, to: current.to } : { from: offset, to: offset },
  };
}

/** `DATABASES` or `DATABASES['a']['OPTIONS']` ending at tokens[end]: the path below DATABASES. */
function subscriptTarget(src: PythonSource, tokens: Token[], end: number): string[] | undefined {
  const path: string[] = [];
  let i = end;
  while (i >= 3 && tokens[i].name === ']' && tokens[i - 1].name === 'String' && tokens[i - 2].name === '[') {
    path.unshift(decodeStringLiteral(src.textOf(tokens[i - 1])).value);
    i -= 3;
  }
  return tokens[i]?.name === 'VariableName' && src.textOf(tokens[i]) === 'DATABASES' ? path : undefined;
}
