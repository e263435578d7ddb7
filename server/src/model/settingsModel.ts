// Turns a Python settings file into the settings model: which dicts describe DATABASES (and their
// role), and the effective value of every key per alias after all assignments and mutations in order.
// Anything the file does that we cannot follow without running it is recorded as "computed".
import { childrenOf, decodeStringLiteral, isErrorNode, PythonSource, type SyntaxNode } from './python';
import { ValueReader, type KnownName } from './values';
import type {
  ComputedChange,
  DatabaseUrl,
  DictEntry,
  DictModel,
  DictRole,
  EffectiveAlias,
  EffectiveEntry,
  PyValue,
  RoleDict,
  SettingsModel,
  Span,
} from './types';

/** The model of a sibling settings module imported with `from .base import *`. */
export interface ImportedSettings {
  model: SettingsModel;
  file: string;
}

export interface BuildOptions {
  /** Resolve `from <module> import *` (level = number of leading dots) to another settings file's model. */
  resolveImport?: (module: string, level: number) => ImportedSettings | undefined;
}

const DATABASES = 'DATABASES';
const BRANCHING = new Set(['IfStatement', 'TryStatement', 'WithStatement']);
const LOOPS = new Set(['ForStatement', 'WhileStatement']);
const TARGETS = new Set(['VariableName', 'MemberExpression', 'TupleExpression', 'ArrayExpression', 'ParenthesizedExpression']);

const span = (node: { from: number; to: number }): Span => ({ from: node.from, to: node.to });

/** A target such as `DATABASES['default']['OPTIONS']`: the keys below DATABASES. */
type Path = string[];

export function buildSettingsModel(source: PythonSource, options: BuildOptions = {}): SettingsModel {
  return new ModelBuilder(source, options).build();
}

class ModelBuilder {
  private readonly names = new Map<string, KnownName>();
  private readonly reader: ValueReader;
  private readonly aliases = new Map<string, EffectiveAlias>();
  /** Local names bound to a part of DATABASES (`default = DATABASES['default']`). */
  private readonly pathAliases = new Map<string, Path>();
  private readonly model: SettingsModel = {
    dicts: [],
    itemAssignments: [],
    aliases: [],
    hasDatabases: false,
    starImports: [],
    computed: [],
    globals: new Map(),
  };
  private branch = 0;

  constructor(
    private readonly src: PythonSource,
    private readonly options: BuildOptions,
  ) {
    this.reader = new ValueReader(src, this.names);
  }

  build(): SettingsModel {
    this.statements(this.src.tree.topNode, 0);
    this.model.aliases = [...this.aliases.values()];
    return this.model;
  }

  private statements(parent: SyntaxNode, branch: number): void {
    for (const node of childrenOf(parent)) {
      if (node.name === 'Body') {
        // Every branch of an if/try is a candidate: give each its own number.
        this.statements(node, ++this.branch);
        continue;
      }
      if (BRANCHING.has(node.name)) {
        this.statements(node, branch);
        continue;
      }
      this.statement(node, branch);
    }
  }

  private statement(node: SyntaxNode, branch: number): void {
    switch (node.name) {
      case 'ImportStatement':
        return this.importStatement(node);
      case 'AssignStatement':
        return this.assignStatement(node, branch);
      case 'UpdateStatement':
        return this.updateStatement(node, branch);
      case 'ExpressionStatement':
        return this.expressionStatement(node, branch);
      default:
        if (LOOPS.has(node.name) && this.mentionsDatabases(node)) {
          this.computedChange(node, `a ${node.name === 'ForStatement' ? 'for' : 'while'} loop changes DATABASES`);
        } else if (node.name === 'DeleteStatement' && this.mentionsDatabases(node)) {
          this.computedChange(node, 'a del statement changes DATABASES');
        }
    }
  }

  private importStatement(node: SyntaxNode): void {
    const kids = childrenOf(node);
    if (kids[0]?.name === 'from') {
      const importAt = kids.findIndex((k) => k.name === 'import');
      const moduleParts = kids.slice(1, importAt);
      // Only the leading dots make an import relative: the dots of `config.settings.base` separate names.
      const firstName = moduleParts.findIndex((k) => k.name === 'VariableName');
      const leading = firstName < 0 ? moduleParts : moduleParts.slice(0, firstName);
      const level = leading.filter((k) => k.name === '.').length + leading.filter((k) => k.name === 'Ellipsis').length * 3;
      const module = moduleParts.filter((k) => k.name === 'VariableName').map((k) => this.src.textOf(k)).join('.');
      const imported = kids.slice(importAt + 1);
      if (imported.some((k) => k.name === '*')) return this.starImport(module, level, node);
      for (let i = 0; i < imported.length; i++) {
        if (imported[i].name !== 'VariableName') continue;
        const name = this.src.textOf(imported[i]);
        const asName = imported[i + 1]?.name === 'as' && imported[i + 2] ? this.src.textOf(imported[i + 2]) : name;
        if (imported[i + 1]?.name === 'as') i += 2;
        this.bindImported(module, name, asName);
        if (name === DATABASES) this.starImport(module, level, node, true);
      }
      return;
    }
    // import os / import dj_database_url as db_url / import environ
    for (let i = 0; i < kids.length; i++) {
      if (kids[i].name !== 'VariableName') continue;
      let dotted = this.src.textOf(kids[i]);
      while (kids[i + 1]?.name === '.' && kids[i + 2]?.name === 'VariableName') {
        dotted += '.' + this.src.textOf(kids[i + 2]);
        i += 2;
      }
      const asName = kids[i + 1]?.name === 'as' && kids[i + 2] ? this.src.textOf(kids[i + 2]) : dotted.split('.')[0];
      const known = knownModule(dotted);
      if (known) this.names.set(asName, known);
    }
  }

  private bindImported(module: string, name: string, asName: string): void {
    const known: Record<string, KnownName> = {
      'os.environ': 'os.environ',
      'os.getenv': 'os.getenv',
      'decouple.config': 'decouple.config',
      'environ.Env': 'environ.Env',
    };
    const meaning = known[`${module}.${name}`];
    if (meaning) this.names.set(asName, meaning);
  }

  /** `from .base import *`: start from what the base settings module built. */
  private starImport(module: string, level: number, node: SyntaxNode, onlyDatabases = false): void {
    const imported = this.options.resolveImport?.(module, level);
    if (!imported) return;
    this.model.starImports.push(imported.file);
    if (!onlyDatabases) {
      for (const [name, value] of imported.model.globals) this.model.globals.set(name, value);
    }
    if (!imported.model.hasDatabases) return;
    this.model.hasDatabases = true;
    for (const alias of imported.model.aliases) {
      this.aliases.set(alias.alias, {
        alias: alias.alias,
        entries: withFile(alias.entries, imported.file),
        options: withFile(alias.options, imported.file),
        test: withFile(alias.test, imported.file),
        databaseUrl: alias.databaseUrl,
        computedChanges: [...alias.computedChanges],
      });
    }
    for (const change of imported.model.computed) this.model.computed.push({ ...change, span: span(node) });
  }

  private assignStatement(node: SyntaxNode, branch: number): void {
    const kids = childrenOf(node).filter((k) => k.name !== 'TypeDef');
    const assignAt = kids.findIndex((k) => k.name === 'AssignOp');
    if (assignAt < 1) return;
    // A half-typed file can fold the next lines into this statement: then only `target = value` counts.
    const lastAssign = kids.map((k) => k.name).lastIndexOf('AssignOp');
    const recovered = kids.some(isErrorNode) || kids.slice(0, lastAssign).some((k) => k.name !== 'AssignOp' && !TARGETS.has(k.name));
    const valueNode = recovered ? kids[assignAt + 1] : kids[kids.length - 1];
    if (!valueNode || valueNode.name === 'AssignOp' || isErrorNode(valueNode)) return;
    const targets = recovered ? [kids[assignAt - 1]] : kids.slice(0, -1).filter((k) => k.name !== 'AssignOp');
    for (const target of targets) this.assignTo(target, valueNode, branch, node);
  }

  private assignTo(target: SyntaxNode, valueNode: SyntaxNode, branch: number, statement: SyntaxNode): void {
    if (target.name === 'VariableName') {
      const name = this.src.textOf(target);
      if (name === DATABASES) return this.setDatabases(valueNode, branch);
      this.pathAliases.delete(name);
      const path = this.pathOf(valueNode);
      if (path) {
        this.pathAliases.set(name, path);
        return;
      }
      this.reader.variables.set(name, valueNode);
      this.learnNameFromValue(name, valueNode);
      const value = this.reader.read(valueNode);
      if (value.kind !== 'computed' || value.text.length < 200) this.model.globals.set(name, value);
      return;
    }
    if (target.name === 'MemberExpression') {
      const path = this.pathOf(target);
      if (path && path.length > 0) return this.setPath(path, this.reader.read(valueNode), branch, target);
      if (this.rootsInDatabases(target)) this.computedChange(statement, 'DATABASES is changed through a key we cannot read');
    }
  }

  /** `env = environ.Env()` / `config = AutoConfig(...)`: remember what the name is. */
  private learnNameFromValue(name: string, valueNode: SyntaxNode): void {
    if (valueNode.name !== 'CallExpression' || !valueNode.firstChild) return;
    const callee = this.reader.dottedName(valueNode.firstChild);
    if (!callee) return;
    const canonical = this.reader.canonical(callee);
    if (canonical === 'environ.Env' || canonical === 'environ.Env.Env') this.names.set(name, 'env');
    else if (canonical.endsWith('AutoConfig') || canonical.endsWith('Config')) this.names.set(name, 'decouple.config');
  }

  private updateStatement(node: SyntaxNode, branch: number): void {
    const [target, op, valueNode] = childrenOf(node);
    if (!target || !valueNode) return;
    const path = target.name === 'VariableName' && this.src.textOf(target) === DATABASES ? [] : this.pathOf(target);
    if (path && this.src.textOf(op) === '|=') return this.updatePath(path, this.reader.read(valueNode), branch, node);
    if (this.rootsInDatabases(target)) this.computedChange(node, `DATABASES is changed with ${this.src.textOf(op)}`);
  }

  private expressionStatement(node: SyntaxNode, branch: number): void {
    const call = node.firstChild;
    if (call?.name !== 'CallExpression') return;
    const callee = call.firstChild;
    if (callee?.name === 'MemberExpression' && callee.lastChild && this.src.textOf(callee.lastChild) === 'update') {
      const objectNode = callee.firstChild;
      const path = objectNode && (objectNode.name === 'VariableName' && this.src.textOf(objectNode) === DATABASES ? [] : this.pathOf(objectNode));
      if (path) {
        const dict = this.reader.readDictCall(call);
        return this.updatePath(path, { kind: 'dict', dict: { ...dict, form: 'call' }, span: span(call) }, branch, node);
      }
    }
    if (this.mentionsDatabases(call)) this.computedChange(node, 'a function call may change DATABASES');
  }

  // ---- DATABASES operations -------------------------------------------------------------------

  private setDatabases(valueNode: SyntaxNode, branch: number): void {
    this.model.hasDatabases = true;
    const value = this.reader.read(valueNode);
    this.aliases.clear();
    if (value.kind !== 'dict') {
      this.computedChange(valueNode, 'DATABASES is built by code we cannot follow');
      return;
    }
    this.register(value.dict, 'databases', undefined, branch);
    for (const entry of value.dict.entries) this.setAlias(entry.key, entry.value, branch);
  }

  private setAlias(alias: string, value: PyValue, branch: number): void {
    const state = this.emptyAlias(alias);
    this.aliases.set(alias, state);
    this.mergeIntoAlias(state, value, branch);
  }

  private mergeIntoAlias(state: EffectiveAlias, value: PyValue, branch: number): void {
    if (value.kind === 'databaseUrl') return this.applyDatabaseUrl(state, value);
    if (value.kind !== 'dict') {
      state.computedChanges.push(value.span);
      return;
    }
    this.register(value.dict, 'entry', state.alias, branch);
    for (const spread of value.dict.spreads ?? []) {
      if (spread.kind === 'databaseUrl') this.applyDatabaseUrl(state, spread);
      else state.computedChanges.push(spread.span);
    }
    for (const entry of value.dict.entries) this.setAliasKey(state, entry, branch, true);
  }

  private applyDatabaseUrl(state: EffectiveAlias, url: DatabaseUrl): void {
    state.databaseUrl = url;
    for (const entry of url.keywords) {
      if (entry.key === 'sslmode') {
        // ssl_require=True means sslmode=require.
        if (entry.value.kind === 'bool' && entry.value.value) {
          state.options.set('sslmode', { entry: { ...entry, value: { kind: 'string', value: 'require', quote: "'", raw: false, span: entry.value.span } } });
        }
      } else state.entries.set(entry.key, { entry });
    }
  }

  private setAliasKey(state: EffectiveAlias, entry: DictEntry, branch: number, replaceNested: boolean): void {
    const nested = entry.key === 'OPTIONS' ? state.options : entry.key === 'TEST' ? state.test : undefined;
    state.entries.set(entry.key, { entry });
    if (!nested) return;
    if (entry.value.kind !== 'dict') {
      if (replaceNested) nested.clear();
      state.computedChanges.push(entry.value.span);
      return;
    }
    if (replaceNested) nested.clear();
    const role: DictRole = entry.key === 'OPTIONS' ? 'options' : 'test';
    this.register(entry.value.dict, role, state.alias, branch);
    for (const inner of entry.value.dict.entries) this.setNestedKey(state, role, inner, branch);
  }

  private setNestedKey(state: EffectiveAlias, role: DictRole, entry: DictEntry, branch: number): void {
    (role === 'options' ? state.options : state.test).set(entry.key, { entry });
    if (role === 'options' && entry.key === 'pool' && entry.value.kind === 'dict') {
      this.register(entry.value.dict, 'pool', state.alias, branch);
    }
  }

  /** `DATABASES[...][...] = value` */
  private setPath(path: Path, value: PyValue, branch: number, target: SyntaxNode): void {
    this.model.hasDatabases = true;
    const [alias, key, option] = path;
    if (path.length === 1) return this.setAlias(alias, value, branch);
    const state = this.aliases.get(alias) ?? this.newAlias(alias);
    const keyNode = target.lastChild?.prevSibling ?? target;
    const entry: DictEntry = {
      key: path.length === 2 ? key : option,
      keySpan: span(keyNode),
      keyQuote: decodeStringLiteral(this.src.textOf(keyNode)).quote,
      value,
      origin: 'subscript',
      itemSpan: { from: target.from, to: value.span.to },
    };
    if (path.length === 2) {
      this.model.itemAssignments.push({ role: 'entry', alias, entry, branch });
      return this.setAliasKey(state, entry, branch, true);
    }
    if (path.length === 3 && (key === 'OPTIONS' || key === 'TEST')) {
      const role = key === 'OPTIONS' ? 'options' : 'test';
      this.model.itemAssignments.push({ role, alias, entry, branch });
      return this.setNestedKey(state, role, entry, branch);
    }
    state.computedChanges.push(span(target));
  }

  /** `.update(...)` and `|=`: merge keys into DATABASES, an alias, OPTIONS or TEST. */
  private updatePath(path: Path, value: PyValue, branch: number, statement: SyntaxNode): void {
    this.model.hasDatabases = true;
    if (value.kind !== 'dict') {
      this.computedChange(statement, 'DATABASES is updated from a value we cannot read');
      return;
    }
    const [alias, key] = path;
    if (path.length === 0) {
      this.register(value.dict, 'databases', undefined, branch);
      for (const entry of value.dict.entries) this.setAlias(entry.key, entry.value, branch);
      return;
    }
    const state = this.aliases.get(alias) ?? this.newAlias(alias);
    if (path.length === 1) {
      this.register(value.dict, 'entry', alias, branch);
      for (const entry of value.dict.entries) this.setAliasKey(state, { ...entry, origin: 'update' }, branch, true);
    } else if (path.length === 2 && (key === 'OPTIONS' || key === 'TEST')) {
      const role: DictRole = key === 'OPTIONS' ? 'options' : 'test';
      this.register(value.dict, role, alias, branch);
      for (const entry of value.dict.entries) this.setNestedKey(state, role, { ...entry, origin: 'update' }, branch);
    } else state.computedChanges.push(value.span);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private register(dict: DictModel, role: DictRole, alias: string | undefined, branch: number): void {
    this.model.dicts.push({ role, alias, dict, branch } satisfies RoleDict);
  }

  private emptyAlias(alias: string): EffectiveAlias {
    return { alias, entries: new Map(), options: new Map(), test: new Map(), computedChanges: [] };
  }

  private newAlias(alias: string): EffectiveAlias {
    const state = this.emptyAlias(alias);
    this.aliases.set(alias, state);
    return state;
  }

  /** The DATABASES path of `DATABASES['a']['B']` (or of a local alias of it), or undefined. */
  private pathOf(node: SyntaxNode | null): Path | undefined {
    if (!node) return undefined;
    if (node.name === 'VariableName') {
      const name = this.src.textOf(node);
      return name === DATABASES ? [] : this.pathAliases.get(name);
    }
    if (node.name !== 'MemberExpression') return undefined;
    const kids = childrenOf(node);
    if (kids[1]?.name !== '[' || !kids[2] || kids[2].name !== 'String') return undefined;
    const base = this.pathOf(kids[0]);
    const key = this.reader.stringValue(kids[2]);
    return base && key !== undefined ? [...base, key] : undefined;
  }

  private rootsInDatabases(node: SyntaxNode): boolean {
    let root: SyntaxNode | null = node;
    while (root && root.name === 'MemberExpression') root = root.firstChild;
    return !!root && root.name === 'VariableName' && (this.src.textOf(root) === DATABASES || this.pathAliases.has(this.src.textOf(root)));
  }

  private mentionsDatabases(node: SyntaxNode): boolean {
    const cursor = node.cursor();
    do {
      if (cursor.name === 'VariableName') {
        const name = this.src.text.slice(cursor.from, cursor.to);
        if (name === DATABASES || this.pathAliases.has(name)) return true;
      }
    } while (cursor.next() && cursor.from < node.to);
    return false;
  }

  private computedChange(node: SyntaxNode, reason: string): void {
    const change: ComputedChange = { span: span(node), reason };
    this.model.computed.push(change);
    for (const alias of this.aliases.values()) alias.computedChanges.push(change.span);
  }
}

function knownModule(dotted: string): KnownName | undefined {
  const modules: Record<string, KnownName> = { os: 'os', dj_database_url: 'dj_database_url', environ: 'environ', decouple: 'decouple' };
  return modules[dotted];
}

function withFile(entries: Map<string, EffectiveEntry>, file: string): Map<string, EffectiveEntry> {
  return new Map([...entries].map(([key, value]) => [key, { entry: value.entry, file: value.file ?? file }]));
}

/** Parse and build in one step, for callers that have only text. */
export function settingsModelOf(text: string, options?: BuildOptions): SettingsModel {
  return buildSettingsModel(PythonSource.parse(text), options);
}

