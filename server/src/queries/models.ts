// The project's Django models as the N+1 analysis needs them: for each model, which attribute names
// follow a relation (forward ForeignKey/OneToOneField, ManyToManyField, and the reverse accessors
// Django adds on the other side). Read from models.py files with @lezer/python; no LSP, no VS Code.
import { basename, dirname } from 'node:path';
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, decodeStringLiteral } from '../model/python';

/**
 * How an attribute reaches the related rows:
 * - `single`: one object per row (ForeignKey, OneToOneField, reverse OneToOne); select_related loads it.
 * - `many`: a related manager (ManyToManyField, reverse ForeignKey/ManyToMany); prefetch_related loads it.
 */
export type RelationKind = 'single' | 'many';

export interface Relation {
  name: string;
  kind: RelationKind;
  /** Key of the related model ('app.Model'), when it is known. */
  target?: string;
  /** A nullable ForeignKey: a bare select_related() does not follow it. */
  nullable: boolean;
  /** Forward relations are declared on this model; reverse ones by the other model. */
  forward: boolean;
}

export interface ModelInfo {
  /** 'app_label.ModelName' */
  key: string;
  app: string;
  name: string;
  file: string;
  relations: Map<string, Relation>;
}

/** A relation field as written in a class body, before the references are resolved. */
interface DeclaredField {
  name: string;
  field: 'ForeignKey' | 'OneToOneField' | 'ManyToManyField';
  /** 'self', 'Model', 'app.Model', or a class name written without quotes. */
  to?: string;
  relatedName?: string;
  nullable: boolean;
}

interface DeclaredClass {
  name: string;
  bases: string[];
  fields: DeclaredField[];
  abstract: boolean;
}

export interface ModelsFile {
  path: string;
  app: string;
  classes: DeclaredClass[];
}

const RELATION_FIELDS = new Set(['ForeignKey', 'OneToOneField', 'ManyToManyField', 'ParentalKey', 'ParentalManyToManyField']);

/**
 * The app label Django gives the app of a models module: the last component of the app's package,
 * i.e. the folder holding models.py (or holding the models/ package).
 */
export function appLabelOf(path: string): string {
  const dir = dirname(path);
  return basename(dir) === 'models' ? basename(dirname(dir)) : basename(dir);
}

/** The classes (and their relation fields) declared in one models module. */
export function readModelsFile(path: string, text: string): ModelsFile {
  const tree = parser.parse(text);
  const classes: DeclaredClass[] = [];
  for (const node of childrenOf(tree.topNode)) {
    if (node.name === 'ClassDefinition') classes.push(readClass(node, text));
  }
  return { path, app: appLabelOf(path), classes };
}

const textOf = (text: string, node: SyntaxNode) => text.slice(node.from, node.to);

/** The last dotted component of a callee or base: `models.ForeignKey` → `ForeignKey`. */
function lastName(text: string, node: SyntaxNode): string | undefined {
  if (node.name === 'VariableName') return textOf(text, node);
  if (node.name === 'MemberExpression') return node.lastChild?.name === 'PropertyName' ? textOf(text, node.lastChild) : undefined;
  return undefined;
}

function stringValue(text: string, node: SyntaxNode | undefined): string | undefined {
  if (!node || node.name !== 'String') return undefined;
  const decoded = decodeStringLiteral(textOf(text, node));
  return decoded.interpolated || decoded.unterminated ? undefined : decoded.value;
}

function readClass(node: SyntaxNode, text: string): DeclaredClass {
  const name = node.getChild('VariableName');
  const args = node.getChild('ArgList');
  const bases = args ? childrenOf(args).map((b) => lastName(text, b)).filter((b): b is string => !!b) : [];
  const fields: DeclaredField[] = [];
  let abstract = false;
  const body = node.getChild('Body');
  for (const statement of body ? childrenOf(body) : []) {
    if (statement.name === 'ClassDefinition' && statement.getChild('VariableName') && textOf(text, statement.getChild('VariableName')!) === 'Meta') {
      abstract = isAbstractMeta(statement, text);
      continue;
    }
    if (statement.name !== 'AssignStatement') continue;
    const target = statement.firstChild;
    const value = statement.lastChild;
    if (target?.name !== 'VariableName' || value?.name !== 'CallExpression') continue;
    const field = readRelationField(textOf(text, target), value, text);
    if (field) fields.push(field);
  }
  return { name: name ? textOf(text, name) : '', bases, fields, abstract };
}

/** `class Meta: abstract = True` */
function isAbstractMeta(meta: SyntaxNode, text: string): boolean {
  const body = meta.getChild('Body');
  return (body ? childrenOf(body) : []).some((statement) => statement.name === 'AssignStatement'
    && statement.firstChild?.name === 'VariableName' && textOf(text, statement.firstChild) === 'abstract'
    && statement.lastChild?.name === 'Boolean' && textOf(text, statement.lastChild) === 'True');
}

function readRelationField(name: string, call: SyntaxNode, text: string): DeclaredField | undefined {
  const callee = call.firstChild;
  const kind = callee && lastName(text, callee);
  if (!kind || !RELATION_FIELDS.has(kind)) return undefined;
  const field = kind === 'ParentalKey' ? 'ForeignKey' : kind === 'ParentalManyToManyField' ? 'ManyToManyField' : (kind as DeclaredField['field']);
  const declared: DeclaredField = { name, field, nullable: false };
  const args = call.getChild('ArgList');
  let positional = 0;
  for (let arg = args?.firstChild; arg; arg = arg.nextSibling) {
    if (arg.name === 'VariableName' && arg.nextSibling?.name === 'AssignOp') {
      const keyword = textOf(text, arg);
      const value = arg.nextSibling.nextSibling ?? undefined;
      if (keyword === 'to') declared.to = referenceOf(text, value);
      else if (keyword === 'related_name') declared.relatedName = stringValue(text, value);
      else if (keyword === 'null') declared.nullable = value?.name === 'Boolean' && textOf(text, value) === 'True';
      arg = value ?? arg;
      continue;
    }
    if (['(', ')', ','].includes(arg.name)) continue;
    if (positional++ === 0) declared.to = referenceOf(text, arg);
  }
  return declared;
}

function referenceOf(text: string, node: SyntaxNode | undefined): string | undefined {
  if (!node) return undefined;
  return stringValue(text, node) ?? (node.name === 'VariableName' ? textOf(text, node) : undefined);
}

/** Every model of the project with its forward and reverse relations, built from the models files. */
export class ModelGraph {
  readonly models = new Map<string, ModelInfo>();
  private readonly byName = new Map<string, ModelInfo[]>();

  constructor(files: readonly ModelsFile[]) {
    const declared = new Map<string, { cls: DeclaredClass; file: ModelsFile }>();
    for (const file of files) for (const cls of file.classes) declared.set(`${file.app}.${cls.name}`, { cls, file });
    const classNamed = (app: string, name: string) => declared.get(`${app}.${name}`) ?? [...declared.entries()].find(([key]) => key.endsWith(`.${name}`))?.[1];
    // A model is a class deriving from Model, directly or through another model (abstract or not).
    const isModel = (app: string, cls: DeclaredClass, seen = new Set<DeclaredClass>()): boolean => {
      if (seen.has(cls)) return false;
      seen.add(cls);
      return cls.bases.some((base) => base === 'Model' || (() => {
        const parent = classNamed(app, base);
        return !!parent && isModel(parent.file.app, parent.cls, seen);
      })());
    };
    const fieldsOf = (app: string, cls: DeclaredClass, seen = new Set<DeclaredClass>()): DeclaredField[] => {
      if (seen.has(cls)) return [];
      seen.add(cls);
      const inherited = cls.bases.flatMap((base) => {
        const parent = classNamed(app, base);
        return parent && parent.cls.abstract ? fieldsOf(parent.file.app, parent.cls, seen) : [];
      });
      return [...inherited, ...cls.fields];
    };
    const concrete: { info: ModelInfo; fields: DeclaredField[] }[] = [];
    for (const [key, { cls, file }] of declared) {
      if (!isModel(file.app, cls)) continue;
      const info: ModelInfo = { key, app: file.app, name: cls.name, file: file.path, relations: new Map() };
      if (!cls.abstract) concrete.push({ info, fields: fieldsOf(file.app, cls) });
      this.models.set(key, info);
      this.byName.set(cls.name, [...(this.byName.get(cls.name) ?? []), info]);
    }
    for (const { info, fields } of concrete) {
      for (const field of fields) {
        const target = this.resolveReference(info, field.to);
        info.relations.set(field.name, {
          name: field.name, kind: field.field === 'ManyToManyField' ? 'many' : 'single', target: target?.key, nullable: field.nullable, forward: true,
        });
        if (!target || field.relatedName?.endsWith('+')) continue;
        const accessor = field.relatedName ?? (field.field === 'OneToOneField' ? info.name.toLowerCase() : `${info.name.toLowerCase()}_set`);
        if (!target.relations.has(accessor)) {
          target.relations.set(accessor, { name: accessor, kind: field.field === 'OneToOneField' ? 'single' : 'many', target: info.key, nullable: true, forward: false });
        }
      }
    }
  }

  /** 'self', 'app.Model', or a model name as Django resolves it (the same app first). */
  private resolveReference(from: ModelInfo, reference: string | undefined): ModelInfo | undefined {
    if (!reference) return undefined;
    if (reference === 'self') return from;
    if (reference.includes('.')) return this.models.get(reference);
    return this.models.get(`${from.app}.${reference}`) ?? this.uniquelyNamed(reference);
  }

  /** The model with this class name, when exactly one app declares one. */
  uniquelyNamed(name: string): ModelInfo | undefined {
    const found = this.byName.get(name);
    return found?.length === 1 ? found[0] : undefined;
  }

  named(name: string, app?: string): ModelInfo | undefined {
    return (app ? this.models.get(`${app}.${name}`) : undefined) ?? this.uniquelyNamed(name);
  }
}
