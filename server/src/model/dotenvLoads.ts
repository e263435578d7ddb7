// Which library a settings module (or manage.py) hands its .env to, with which file and options:
// python-dotenv's load_dotenv(...), django-environ's Env.read_env(...), python-decouple's config /
// AutoConfig / Config(RepositoryEnv(...)). Read from the @lezer/python tree; paths built from __file__
// (Path(__file__).resolve().parent.parent / ".env", os.path.join(BASE_DIR, ".env"), environ.Path(__file__) - 2)
// are evaluated, anything else is reported as unresolved rather than guessed.
import * as nodePath from 'node:path';
import { childrenOf, decodeStringLiteral, type PythonSource, type SyntaxNode } from './python';
import type { Span } from './types';
import { callArguments } from './values';

export type DotenvLibrary = 'python-dotenv' | 'django-environ' | 'decouple';

export interface DotenvLoad {
  library: DotenvLibrary;
  /** The call as written (`load_dotenv(BASE_DIR / ".env")`), for messages. */
  call: string;
  span: Span;
  /** The file the call names, evaluated; relative paths are relative to the process's working directory. */
  path?: string;
  /** The call names a file we cannot evaluate (an environment variable, a function's result...). */
  unresolved?: boolean;
  /**
   * How the library looks for the file when the call names none: python-dotenv's find_dotenv (from the
   * calling file's folder up), django-environ's `.env` beside the calling file, decouple's AutoConfig
   * (settings.ini or .env from `searchFrom` up).
   */
  search?: 'find_dotenv' | 'find_dotenv_cwd' | 'beside_caller' | 'decouple';
  /** AutoConfig(search_path=...): where decouple starts looking. */
  searchFrom?: string;
  /** load_dotenv(override=True) / read_env(overwrite=True). */
  override: boolean;
  /** load_dotenv(interpolate=False) turns `${VAR}` expansion off. */
  interpolate: boolean;
  /** read_env(parse_comments=True). */
  parseComments: boolean;
  /** Inside an if/try/with: it may not run. */
  conditional: boolean;
}

const SKIPPED = new Set(['FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);
const CONDITIONAL = new Set(['IfStatement', 'TryStatement', 'WithStatement', 'ForStatement', 'WhileStatement']);

/** The .env loads a Python module makes when it is imported (function bodies are not followed). */
export function findDotenvLoads(src: PythonSource, file: string): DotenvLoad[] {
  return new LoadFinder(src, file).find();
}

class LoadFinder {
  /** Local name → what it is (`load_dotenv` → `dotenv.load_dotenv`, `env` → `environ.Env()`). */
  private readonly names = new Map<string, string>();
  /** Module-level assignments, to follow `BASE_DIR` in a path. */
  private readonly assignments = new Map<string, SyntaxNode>();
  private readonly loads: DotenvLoad[] = [];
  private depth = 0;

  constructor(private readonly src: PythonSource, private readonly file: string) {}

  find(): DotenvLoad[] {
    this.visit(this.src.tree.topNode, false);
    return this.loads;
  }

  private visit(node: SyntaxNode, conditional: boolean): void {
    for (const child of childrenOf(node)) {
      if (SKIPPED.has(child.name)) continue;
      if (child.name === 'ImportStatement') this.importStatement(child);
      else if (child.name === 'AssignStatement') this.assignStatement(child);
      if (child.name === 'CallExpression') this.call(child, conditional);
      this.visit(child, conditional || CONDITIONAL.has(child.name));
    }
  }

  private text(node: SyntaxNode): string {
    return this.src.textOf(node);
  }

  private importStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    const names = (from: number) => {
      const out: { name: string; as: string; renamed: boolean }[] = [];
      for (let i = from; i < kids.length; i++) {
        if (kids[i].name !== 'VariableName') continue;
        let dotted = this.text(kids[i]);
        while (kids[i + 1]?.name === '.' && kids[i + 2]?.name === 'VariableName') {
          dotted += `.${this.text(kids[i + 2])}`;
          i += 2;
        }
        const as = kids[i + 1]?.name === 'as' && kids[i + 2] ? this.text(kids[i + 2]) : undefined;
        if (as !== undefined) i += 2;
        out.push({ name: dotted, as: as ?? dotted.split('.')[0], renamed: as !== undefined });
      }
      return out;
    };
    if (kids[0]?.name === 'from') {
      const importAt = kids.findIndex((k) => k.name === 'import');
      const module = kids.slice(1, importAt).map((k) => this.text(k)).join('');
      for (const { name, as } of names(importAt + 1)) this.names.set(as, `${module}.${name}`);
      return;
    }
    // `import os.path` binds `os`; `import a.b as c` binds `c` to `a.b`.
    for (const { name, as, renamed } of names(1)) this.names.set(as, renamed ? name : name.split('.')[0]);
  }

  private assignStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    if (kids.length !== 3 || kids[0].name !== 'VariableName' || kids[1].name !== 'AssignOp') return;
    const name = this.text(kids[0]);
    this.assignments.set(name, kids[2]);
    if (kids[2].name !== 'CallExpression') return;
    const callee = this.calleeName(kids[2]);
    if (callee === 'environ.Env' || callee === 'environ.environ.Env' || callee === 'environ.FileAwareEnv') this.names.set(name, 'environ.Env()');
    else if (callee === 'decouple.AutoConfig' || callee === 'decouple.Config') {
      this.names.set(name, `${callee}()`);
      this.decoupleConfig(kids[2], callee);
    }
  }

  /** The canonical dotted name of a call's callee (`load_dotenv` → `dotenv.load_dotenv`). */
  private calleeName(call: SyntaxNode): string | undefined {
    const callee = call.firstChild;
    return callee ? this.canonical(callee) : undefined;
  }

  private canonical(node: SyntaxNode): string | undefined {
    if (node.name === 'VariableName') {
      const name = this.text(node);
      return this.names.get(name) ?? name;
    }
    if (node.name === 'MemberExpression') {
      const kids = childrenOf(node);
      if (kids[1]?.name !== '.' || kids[2]?.name !== 'PropertyName') return undefined;
      const object = this.canonical(kids[0]);
      return object === undefined ? undefined : `${object}.${this.text(kids[2])}`;
    }
    return undefined;
  }

  private call(node: SyntaxNode, conditional: boolean): void {
    const callee = this.calleeName(node);
    if (!callee) return;
    const args = callArguments(childrenOf(node).find((k) => k.name === 'ArgList') ?? null);
    const keyword = (name: string) => args.keywords.find((k) => this.text(k.nameNode) === name)?.value;
    const flag = (name: string, fallback: boolean) => {
      const value = keyword(name);
      return value?.name === 'Boolean' ? this.text(value) === 'True' : fallback;
    };
    const base = { call: this.text(node).replace(/\s+/g, ' '), span: { from: node.from, to: node.to }, conditional, override: false, interpolate: true, parseComments: false };
    if (callee === 'dotenv.load_dotenv' || callee === 'dotenv.main.load_dotenv') {
      const pathNode = args.positional[0] ?? keyword('dotenv_path');
      const load: DotenvLoad = { ...base, library: 'python-dotenv', override: flag('override', false), interpolate: flag('interpolate', true) };
      if (keyword('stream')) return; // a stream we cannot see
      this.loads.push({ ...load, ...this.fileOrSearch(pathNode, 'find_dotenv') });
    } else if (/^environ\.(?:environ\.)?(?:Env|FileAwareEnv)(?:\(\))?\.read_env$/.test(callee)) {
      const pathNode = args.positional[0] ?? keyword('env_file');
      this.loads.push({ ...base, library: 'django-environ', override: flag('overwrite', false), parseComments: flag('parse_comments', false), ...this.fileOrSearch(pathNode, 'beside_caller') });
    } else if (callee === 'decouple.config') {
      // The ready-made AutoConfig: one load per file is enough.
      if (!this.loads.some((l) => l.library === 'decouple')) this.loads.push({ ...base, library: 'decouple', search: 'decouple', searchFrom: nodePath.dirname(this.file) });
    }
  }

  /** `config = AutoConfig(search_path=BASE_DIR)` or `config = Config(RepositoryEnv(BASE_DIR / ".env"))`. */
  private decoupleConfig(call: SyntaxNode, callee: string): void {
    const args = callArguments(childrenOf(call).find((k) => k.name === 'ArgList') ?? null);
    const base = { library: 'decouple' as const, call: this.text(call).replace(/\s+/g, ' '), span: { from: call.from, to: call.to }, conditional: false, override: false, interpolate: true, parseComments: false };
    if (callee === 'decouple.AutoConfig') {
      const from = args.positional[0] ?? args.keywords.find((k) => this.text(k.nameNode) === 'search_path')?.value;
      const searchFrom = from ? this.evaluatePath(from) : nodePath.dirname(this.file);
      this.loads.push(searchFrom === undefined ? { ...base, unresolved: true } : { ...base, search: 'decouple', searchFrom });
      return;
    }
    const repository = args.positional[0];
    if (repository?.name === 'CallExpression' && this.calleeName(repository) === 'decouple.RepositoryEnv') {
      const inner = callArguments(childrenOf(repository).find((k) => k.name === 'ArgList') ?? null).positional[0];
      const path = inner ? this.evaluatePath(inner) : undefined;
      this.loads.push(path === undefined ? { ...base, unresolved: true } : { ...base, path });
    }
  }

  private fileOrSearch(pathNode: SyntaxNode | undefined, search: 'find_dotenv' | 'beside_caller'): Pick<DotenvLoad, 'path' | 'unresolved' | 'search'> {
    if (!pathNode || pathNode.name === 'None') return { search };
    if (pathNode.name === 'CallExpression' && this.calleeName(pathNode)?.endsWith('find_dotenv')) {
      const args = callArguments(childrenOf(pathNode).find((k) => k.name === 'ArgList') ?? null);
      const filename = args.positional[0] ?? args.keywords.find((k) => this.text(k.nameNode) === 'filename')?.value;
      const usecwd = args.keywords.find((k) => this.text(k.nameNode) === 'usecwd')?.value;
      const name = filename?.name === 'String' ? decodeStringLiteral(this.text(filename)).value : '.env';
      if (filename && filename.name !== 'String') return { unresolved: true };
      return { search: usecwd && this.text(usecwd) === 'True' ? 'find_dotenv_cwd' : 'find_dotenv', path: name };
    }
    const path = this.evaluatePath(pathNode);
    return path === undefined ? { unresolved: true } : { path };
  }

  /** A path expression's value, or undefined when it depends on anything but __file__ and literals. */
  evaluatePath(node: SyntaxNode): string | undefined {
    if (this.depth > 20) return undefined;
    this.depth++;
    try {
      return this.evaluate(node);
    } finally {
      this.depth--;
    }
  }

  private evaluate(node: SyntaxNode): string | undefined {
    const kids = childrenOf(node);
    switch (node.name) {
      case 'String': {
        const decoded = decodeStringLiteral(this.text(node));
        return decoded.interpolated ? undefined : decoded.value;
      }
      case 'VariableName': {
        const name = this.text(node);
        if (name === '__file__') return this.file;
        const assigned = this.assignments.get(name);
        return assigned ? this.evaluatePath(assigned) : undefined;
      }
      case 'ParenthesizedExpression':
        return kids[1] ? this.evaluatePath(kids[1]) : undefined;
      case 'BinaryExpression': {
        const [left, op, right] = kids;
        const operator = op ? this.text(op) : '';
        const base = left ? this.evaluatePath(left) : undefined;
        if (base === undefined || !right) return undefined;
        if (operator === '/') {
          const child = this.evaluatePath(right);
          return child === undefined ? undefined : nodePath.join(base, child);
        }
        // django-environ's Path: `environ.Path(__file__) - 3` goes up three levels.
        if (operator === '-' && right.name === 'Number') return up(base, Number(this.text(right)));
        if (operator === '+') {
          const child = this.evaluatePath(right);
          return child === undefined ? undefined : base + child;
        }
        return undefined;
      }
      case 'MemberExpression': {
        if (kids[1]?.name === '[') {
          // Path(...).parents[n]
          const object = kids[0];
          if (object?.name !== 'MemberExpression' || this.text(object.lastChild!) !== 'parents' || kids[2]?.name !== 'Number') return undefined;
          const base = object.firstChild ? this.evaluatePath(object.firstChild) : undefined;
          return base === undefined ? undefined : up(base, Number(this.text(kids[2])) + 1);
        }
        const property = kids[2] ? this.text(kids[2]) : '';
        const base = kids[0] ? this.evaluatePath(kids[0]) : undefined;
        if (base === undefined) return undefined;
        if (property === 'parent') return nodePath.dirname(base);
        if (property === 'root') return base;
        return undefined;
      }
      case 'CallExpression':
        return this.evaluateCall(node);
      default:
        return undefined;
    }
  }

  private evaluateCall(node: SyntaxNode): string | undefined {
    const callee = node.firstChild;
    if (!callee) return undefined;
    const args = callArguments(childrenOf(node).find((k) => k.name === 'ArgList') ?? null);
    const values = () => {
      const out = args.positional.map((a) => this.evaluatePath(a));
      return out.every((v): v is string => v !== undefined) && args.keywords.length === 0 ? out : undefined;
    };
    const name = this.canonical(callee);
    const join = (parts: string[] | undefined) => (parts && parts.length > 0 ? nodePath.join(...parts) : undefined);
    switch (name) {
      case 'pathlib.Path': case 'pathlib.PurePath': case 'pathlib.PosixPath': case 'os.path.join': case 'os.path.abspath':
      case 'os.path.realpath': case 'os.path.normpath': case 'str': case 'os.fspath': case 'environ.Path': case 'environ.environ.Path':
        if (name === 'environ.Path' || name === 'environ.environ.Path') {
          const isFile = args.keywords.find((k) => this.text(k.nameNode) === 'is_file');
          const start = args.positional[0] ? this.evaluatePath(args.positional[0]) : undefined;
          if (start === undefined) return undefined;
          return isFile && this.text(isFile.value) === 'True' ? nodePath.dirname(start) : start;
        }
        return join(values());
      case 'os.path.dirname': {
        const inner = values();
        return inner?.length === 1 ? nodePath.dirname(inner[0]) : undefined;
      }
      default:
        break;
    }
    // Methods on a path: .resolve(), .absolute(), .joinpath(...), environ.Path's .path(...) and call.
    if (callee.name === 'MemberExpression') {
      const kids = childrenOf(callee);
      const method = kids[2] ? this.text(kids[2]) : '';
      const base = kids[0] ? this.evaluatePath(kids[0]) : undefined;
      if (base === undefined) return undefined;
      if (['resolve', 'absolute', 'expanduser'].includes(method) && args.positional.length === 0) return base;
      if (method === 'joinpath' || method === 'path') {
        const rest = values();
        return rest ? nodePath.join(base, ...rest) : undefined;
      }
      return undefined;
    }
    // ROOT('.env') on an environ.Path
    if (callee.name === 'VariableName') {
      const assigned = this.assignments.get(this.text(callee));
      const base = assigned && this.isEnvironPath(assigned) ? this.evaluatePath(callee) : undefined;
      const rest = values();
      return base !== undefined && rest ? nodePath.join(base, ...rest) : undefined;
    }
    return undefined;
  }

  /** `environ.Path(...)` or `environ.Path(...) - n`: an object that joins paths when called. */
  private isEnvironPath(node: SyntaxNode): boolean {
    const call = node.name === 'BinaryExpression' ? node.firstChild : node;
    const callee = call?.name === 'CallExpression' ? this.calleeName(call) : undefined;
    return callee === 'environ.Path' || callee === 'environ.environ.Path';
  }
}

function up(path: string, levels: number): string {
  let out = path;
  for (let i = 0; i < levels; i++) out = nodePath.dirname(out);
  return out;
}
