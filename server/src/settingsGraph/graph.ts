// The graph of settings modules: entry modules, and which modules each one runs (star imports, include(),
// exec()). Built on the settings loader's cached models, so an edit re-reads one module and re-merges only
// the modules that import it; closures are memoised per model object.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { SettingsLoader } from '../model/resolve';
import type { SettingsModel } from '../model/types';
import { COMPOSE_FILE_NAMES, findComposeFiles, readComposeProject } from '../project/compose';
import { discoverEntries, type ReadText } from './entries';
import type { EntryModule, ProjectContext } from './types';

const PROJECT_MARKERS = ['manage.py', 'pyproject.toml', 'setup.cfg', 'setup.py', 'tox.ini', 'pytest.ini', '.git', ...COMPOSE_FILE_NAMES];

export class ProjectGraph {
  private readonly entryCache = new Map<string, EntryModule[]>();
  private readonly closures = new WeakMap<SettingsModel, Set<string>>();

  constructor(
    private readonly roots: readonly string[],
    private readonly loader: SettingsLoader,
    private readonly readText: ReadText,
  ) {}

  /** A manage.py, a pytest.ini, a compose file... may have changed: look for entries again on the next check. */
  refresh(): void {
    this.entryCache.clear();
  }

  /** The entry modules of the project holding `file`. */
  entries(file: string): EntryModule[] {
    const root = this.projectRoot(file);
    if (!root) return [];
    let entries = this.entryCache.get(root);
    if (!entries) this.entryCache.set(root, (entries = discoverEntries([root], this.readText, existsSync)));
    return entries;
  }

  /**
   * The nearest folder above `file` that marks a project (manage.py, pyproject.toml, setup.cfg, a compose file, .git...):
   * a workspace holding many projects is searched one project at a time. Inside a workspace folder without such a
   * marker, the workspace folder; outside every workspace folder (the CLI on a path elsewhere), a marked folder only.
   */
  private projectRoot(file: string): string | undefined {
    const workspace = this.roots.find((r) => !relative(r, file).startsWith('..'));
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (PROJECT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
      if (dir === workspace) return workspace;
      if (dirname(dir) === dir) return undefined;
    }
  }

  /** Every file a module runs, itself included. */
  closure(file: string): Set<string> {
    const model = this.loader.load(file);
    if (!model) return new Set([file]);
    let files = this.closures.get(model);
    if (!files) {
      files = new Set([file]);
      // Mark before recursing: import cycles end here.
      this.closures.set(model, files);
      for (const include of model.includes) for (const included of include.files) for (const f of this.closure(included)) files.add(f);
    }
    return files;
  }

  contextFor(file: string): ProjectContext {
    const entries = this.entries(file);
    const reaching = entries
      .filter((entry) => this.closure(entry.file).has(file))
      .flatMap((entry) => {
        const model = this.loader.load(entry.file);
        return model ? [{ entry, model }] : [];
      });
    return { entries: reaching, entriesKnown: entries.length > 0, importers: reaching.length ? [] : this.importersOf(file), composeServices: this.composeServices(file) };
  }

  /**
   * Modules of the same package (or the one above) that run this file and that no other module there runs:
   * split settings keep their modules side by side.
   */
  private importersOf(file: string): { file: string; model: SettingsModel }[] {
    const candidates = [dirname(file), dirname(dirname(file))].flatMap((dir) => pythonFiles(dir)).filter((f) => f !== file);
    const running = candidates.filter((c) => this.closure(c).has(file));
    const tops = running.filter((c) => !running.some((other) => other !== c && this.closure(other).has(c)));
    return tops.flatMap((f) => {
      const model = this.loader.load(f);
      return model ? [{ file: f, model }] : [];
    });
  }

  private composeServices(file: string): string[] {
    const root = this.roots.find((r) => !relative(r, file).startsWith('..'));
    // readComposeProject keeps the parsed project until a compose file or its .env changes.
    return readComposeProject(findComposeFiles(dirname(file), root), process.env)?.services.map((s) => s.name) ?? [];
  }
}

function pythonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.py'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
