// Branch conditions that test the ENGINE: `if "mysql" in DATABASES["default"]["ENGINE"]:`,
// `.endswith("sqlite3")`, `== "django.db.backends.postgresql"`, or `if DATABASE_TYPE == "mysql":` where the
// ENGINE is built from DATABASE_TYPE. Each tells whether the branch (or its `else`) runs only with
// PostgreSQL, only without it, or says nothing.
import { childrenOf, isErrorNode, type PythonSource, type SyntaxNode } from './python';
import type { ValueReader } from './values';
import type { EngineGuard, Span } from './types';

/** What a condition says when it is true and when it is false. */
export interface EngineTest {
  whenTrue?: EngineGuard;
  whenFalse?: EngineGuard;
}

/** What the engine expression is: an alias's ENGINE, or a variable the ENGINE is built from. */
interface EngineSubject {
  alias?: string;
}

const POSTGRES_WORDS = ['postgres', 'postgis', 'psycopg', 'psql'];
const OTHER_WORDS = ['mysql', 'mariadb', 'sqlite', 'oracle', 'mssql', 'sql_server', 'sqlserver', 'cockroach', 'snowflake', 'firebird', 'spatialite'];

/** Does a string compared with an engine name PostgreSQL, another database, or neither? */
export function engineWordKind(text: string): 'postgres' | 'other' | undefined {
  const lower = text.toLowerCase();
  if (POSTGRES_WORDS.some((w) => lower.includes(w))) return 'postgres';
  if (OTHER_WORDS.some((w) => lower.includes(w))) return 'other';
  return undefined;
}

const span = (node: SyntaxNode): Span => ({ from: node.from, to: node.to });

export class EngineTests {
  constructor(
    private readonly src: PythonSource,
    private readonly reader: ValueReader,
    /** `DATABASES['a']['ENGINE']` → ['a', 'ENGINE'] (local aliases of DATABASES followed). */
    private readonly pathOf: (node: SyntaxNode) => string[] | undefined,
    /**
     * Module-level names the ENGINE values are built from (DATABASE_TYPE, DB_ENGINE...) and the environment
     * variables they read: computed only when a condition tests a name or a lookup (it walks the whole file).
     */
    private readonly sources: () => { names: ReadonlySet<string>; variables: ReadonlySet<string> },
  ) {}

  test(node: SyntaxNode): EngineTest {
    switch (node.name) {
      case 'ParenthesizedExpression': {
        const inner = childrenOf(node).find((c) => c.name !== '(' && c.name !== ')' && !isErrorNode(c));
        return inner ? this.test(inner) : {};
      }
      case 'UnaryExpression': {
        const [op, operand] = childrenOf(node);
        if (op && this.src.textOf(op) === 'not' && operand) {
          const inner = this.test(operand);
          return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
        }
        return {};
      }
      case 'BinaryExpression':
        return this.binary(node);
      case 'CallExpression':
        return this.methodTest(node);
      default:
        return {};
    }
  }

  private binary(node: SyntaxNode): EngineTest {
    const kids = childrenOf(node).filter((k) => !isErrorNode(k));
    const [left, , right] = kids;
    const op = kids
      .slice(1, -1)
      .map((k) => this.src.textOf(k))
      .join(' ')
      .replace(/\s+/g, ' ');
    if (!left || !right) return {};
    if (op === 'and') {
      // Both hold when the branch runs; when it does not, we cannot tell which failed.
      const [a, b] = [this.test(left), this.test(right)];
      return { whenTrue: a.whenTrue ?? b.whenTrue };
    }
    if (op === 'or') {
      const [a, b] = [this.test(left), this.test(right)];
      const same = a.whenTrue && b.whenTrue && a.whenTrue.postgres === b.whenTrue.postgres ? a.whenTrue : undefined;
      return { whenTrue: same, whenFalse: a.whenFalse ?? b.whenFalse };
    }
    const negated = op === '!=' || op === 'not in' || op === 'is not';
    if (op === 'in' || op === 'not in') {
      // "mysql" in ENGINE, or ENGINE in ("a", "b")
      const subject = this.subject(right) ? right : this.subject(left) ? left : undefined;
      const words = subject === right ? [left] : [right];
      return this.compare(node, subject, subject === right ? words : this.items(right), negated);
    }
    if (op === '==' || op === '!=') {
      const subject = this.subject(left) ? left : this.subject(right) ? right : undefined;
      return this.compare(node, subject, [subject === left ? right : left], negated);
    }
    return {};
  }

  /** `ENGINE.endswith("mysql")`, `ENGINE.startswith(("django.db.backends.postgresql", ...))` */
  private methodTest(node: SyntaxNode): EngineTest {
    const callee = node.firstChild;
    if (callee?.name !== 'MemberExpression') return {};
    const method = callee.lastChild && this.src.textOf(callee.lastChild);
    if (method !== 'endswith' && method !== 'startswith') return {};
    const args = childrenOf(node.getChild('ArgList') ?? node).filter((c) => !['(', ')', ','].includes(c.name) && !isErrorNode(c));
    if (args.length !== 1 || !callee.firstChild) return {};
    return this.compare(node, callee.firstChild, this.items(args[0]), false);
  }

  private items(node: SyntaxNode): SyntaxNode[] {
    if (node.name === 'TupleExpression' || node.name === 'ArrayExpression' || node.name === 'SetExpression') {
      return childrenOf(node).filter((c) => !['(', ')', '[', ']', '{', '}', ','].includes(c.name) && !isErrorNode(c));
    }
    return [node];
  }

  private compare(condition: SyntaxNode, subjectNode: SyntaxNode | undefined, words: SyntaxNode[], negated: boolean): EngineTest {
    const subject = subjectNode && this.subject(subjectNode);
    if (!subject || words.length === 0) return {};
    const kinds = words.map((w) => {
      const text = this.reader.stringValue(w);
      return text === undefined ? undefined : engineWordKind(text);
    });
    const kind = kinds.every((k) => k === kinds[0]) ? kinds[0] : undefined;
    if (!kind) return {};
    const guard = (postgres: boolean): EngineGuard => ({ alias: subject.alias, postgres, span: span(condition) });
    // "The engine is MySQL" tells us it is not PostgreSQL; "it is not MySQL" tells us nothing.
    const positive: EngineTest = kind === 'postgres' ? { whenTrue: guard(true), whenFalse: guard(false) } : { whenTrue: guard(false) };
    return negated ? { whenTrue: positive.whenFalse, whenFalse: positive.whenTrue } : positive;
  }

  private subject(node: SyntaxNode): EngineSubject | undefined {
    if (node.name === 'VariableName') {
      const name = this.src.textOf(node);
      if (this.sources().names.has(name)) return {};
    }
    const path = this.pathOf(node);
    if (path?.length === 2 && path[1] === 'ENGINE') return { alias: path[0] };
    if (node.name === 'CallExpression') {
      const callee = node.firstChild;
      const method = callee?.name === 'MemberExpression' && callee.lastChild ? this.src.textOf(callee.lastChild) : undefined;
      // ENGINE.lower(), DATABASES['default'].get('ENGINE')
      if (callee?.firstChild && (method === 'lower' || method === 'casefold')) return this.subject(callee.firstChild);
      if (callee?.firstChild && method === 'get') {
        const objectPath = this.pathOf(callee.firstChild);
        const key = childrenOf(node.getChild('ArgList') ?? node).find((c) => c.name === 'String');
        if (objectPath?.length === 1 && key && this.reader.stringValue(key) === 'ENGINE') return { alias: objectPath[0] };
      }
    }
    const value = this.reader.read(node);
    if (value.kind === 'env' && this.sources().variables.has(value.variable)) return {};
    return undefined;
  }
}

/**
 * Names and environment variables the ENGINE values of a file are built from, followed through module-level
 * assignments: `DATABASE_TYPE = env('DATABASE_TYPE')` … `'ENGINE': f'django.db.backends.{DATABASE_TYPE}'`.
 */
export function engineSources(src: PythonSource, reader: ValueReader): { names: Set<string>; variables: Set<string> } {
  const assignments = new Map<string, SyntaxNode[]>();
  const seeds: SyntaxNode[] = [];
  const isEngineKey = (node: SyntaxNode | null) => !!node && node.name === 'String' && reader.stringValue(node) === 'ENGINE';
  src.tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (isEngineKey(node) && node.nextSibling?.name === ':' && node.nextSibling.nextSibling) seeds.push(node.nextSibling.nextSibling);
      else if (node.name === 'AssignStatement') {
        const kids = childrenOf(node);
        const [target, value] = [kids[0], kids[kids.length - 1]];
        if (target?.name === 'VariableName' && value) assignments.set(src.textOf(target), [...(assignments.get(src.textOf(target)) ?? []), value]);
        else if (target?.name === 'MemberExpression' && isEngineKey(target.lastChild?.prevSibling ?? null) && value) seeds.push(value);
      } else if (node.name === 'VariableName' && node.parent?.name === 'ArgList' && src.textOf(node) === 'ENGINE' && node.nextSibling?.name === 'AssignOp' && node.nextSibling.nextSibling) {
        seeds.push(node.nextSibling.nextSibling);
      }
      return undefined;
    },
  });
  const names = new Set<string>();
  const variables = new Set<string>();
  const visit = (value: SyntaxNode) => {
    const read = reader.read(value);
    if (read.kind === 'env') variables.add(read.variable);
    const cursor = value.cursor();
    do {
      if (cursor.name !== 'VariableName') continue;
      const name = src.text.slice(cursor.from, cursor.to);
      if (names.has(name)) continue;
      names.add(name);
      for (const assigned of assignments.get(name) ?? []) visit(assigned);
    } while (cursor.next() && cursor.from < value.to);
  };
  for (const seed of seeds) visit(seed);
  return { names, variables };
}
