// The project's models and templates for the N+1 analysis, kept up to date cheaply: models files are
// re-read only when their text (open in the editor) or their modification time (on disk) changed, and
// the folder tree is walked again at most every RESCAN_MS. No LSP, no VS Code.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Tree } from '@lezer/common';
import type { Finding } from '../diagnostics/types';
import { noqaCovers } from '../diagnostics/noqa';
import { appLabelOf, ModelGraph, readModelsFile, type ModelsFile } from './models';
import { findNPlusOne } from './nplusone';
import { walkTree } from '../project/walk';

/** How deep project folders are searched for models and templates. */
const MAX_DEPTH = 6;

const RESCAN_MS = 30_000;

/** Text of a file open in the editor (it wins over the disk), or undefined. */
export type OpenText = (path: string) => string | undefined;

export const isModelsFile = (path: string) => basename(path) === 'models.py' || (basename(dirname(path)) === 'models' && path.endsWith('.py'));

export class ProjectModels {
  private readonly parsed = new Map<string, { stamp: string; file: ModelsFile }>();
  private modelsPaths = new Set<string>();
  private templateDirs: string[] = [];
  private scannedAt = -Infinity;
  private built?: { paths: string; graph: ModelGraph };
  private readonly templates = new Map<string, { stamp: string; text: string }>();

  constructor(private readonly roots: () => readonly string[], private readonly openText: OpenText) {}

  private scan(): void {
    if (performance.now() - this.scannedAt < RESCAN_MS) return;
    this.scannedAt = performance.now();
    const models = new Set<string>();
    const templates: string[] = [];
    walkTree(this.roots(), MAX_DEPTH, (path) => {
      if (isModelsFile(path)) models.add(path);
    }, (path, name) => {
      if (name === 'templates') templates.push(path);
    });
    this.modelsPaths = models;
    // Project-level templates/ (shallowest) first, as DIRS usually comes before the apps' folders.
    this.templateDirs = templates.sort((a, b) => a.split('/').length - b.split('/').length);
  }

  /** The graph of every model, rebuilt only when a models file changed. */
  graph(): ModelGraph {
    this.scan();
    const files: ModelsFile[] = [];
    let changed = false;
    for (const path of this.modelsPaths) {
      const open = this.openText(path);
      const stamp = open === undefined ? fileStamp(path) : `open:${open}`;
      if (stamp === undefined) continue;
      let entry = this.parsed.get(path);
      if (entry?.stamp !== stamp) {
        const text = open ?? readText(path);
        if (text === undefined) continue;
        entry = { stamp, file: readModelsFile(path, text) };
        this.parsed.set(path, entry);
        changed = true;
      }
      files.push(entry.file);
    }
    // Rebuild when a file was read again or the set of models files changed.
    const paths = files.map((f) => f.path).join('\n');
    if (changed || this.built?.paths !== paths) this.built = { paths, graph: new ModelGraph(files) };
    return this.built.graph;
  }

  /** A models file opened or edited in the editor: count it even before the next folder scan. */
  noticeFile(path: string): void {
    if (isModelsFile(path)) this.modelsPaths.add(path);
  }

  template(name: string): string | undefined {
    this.scan();
    for (const dir of this.templateDirs) {
      const path = join(dir, name);
      const open = this.openText(path);
      if (open !== undefined) return open;
      // Templates on disk are read again only when they change.
      const stamp = fileStamp(path);
      if (stamp === undefined) continue;
      const cached = this.templates.get(path);
      if (cached?.stamp === stamp) return cached.text;
      const text = readText(path);
      if (text === undefined) continue;
      this.templates.set(path, { stamp, text });
      return text;
    }
    return undefined;
  }
}

function fileStamp(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface QueryCheckInput {
  file: string;
  text: string;
  tree: Tree;
  project: ProjectModels;
  /** Codes to never report (djangoPostgres.diagnostics.ignore). */
  ignore: readonly string[];
}

/** N+1 findings for one Python file, with the ignore setting and `# noqa` comments applied. */
export function checkQueries(input: QueryCheckInput): Finding[] {
  const ignored = new Set(input.ignore.map((code) => code.toUpperCase()));
  const findings = findNPlusOne({
    text: input.text, tree: input.tree, graph: input.project.graph(), app: appLabelOf(join(dirname(input.file), 'models.py')),
    template: (name) => input.project.template(name),
  });
  return findings.filter((f) => !ignored.has(f.code) && !suppressedOnLine(input, f)).sort((a, b) => a.from - b.from);
}

function suppressedOnLine(input: QueryCheckInput, finding: Finding): boolean {
  const lineEnd = input.text.indexOf('\n', finding.from);
  const end = lineEnd < 0 ? input.text.length : lineEnd;
  const node = input.tree.resolveInner(end, -1);
  return node.name === 'Comment' && node.to === end && noqaCovers(input.text.slice(node.from, node.to), finding.code);
}
