// Open Python documents: text, an incrementally re-parsed tree, and the settings model, built lazily
// once per version so completion and hover on an unchanged document cost a lookup, not a parse.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { PythonSource, SELECTIVE_PARSE_LENGTH, type TextChange } from './model/python';
import type { SettingsLoader } from './model/resolve';
import type { SettingsModel } from './model/types';

/** Bigger files are not analysed: a settings file is never this large, a generated or binary one is. */
export const MAX_ANALYSED_LENGTH = 2_000_000;

export interface OpenDocument {
  doc: TextDocument;
  path: string | undefined;
  /** Why the file is not analysed (too large, binary), or undefined. */
  skipped?: string;
  source(): PythonSource;
  /** The whole file parsed (source() covers only the DATABASES blocks of a large file), kept incrementally once asked for. */
  wholeSource(): PythonSource;
  model(): SettingsModel;
}

export class DocumentStore {
  private readonly docs = new Map<string, DocumentState>();

  constructor(private readonly loader: SettingsLoader) {}

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const state = new DocumentState(TextDocument.create(uri, languageId, version, text), this.loader);
    this.docs.set(uri, state);
    return state;
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const state = this.docs.get(uri);
    if (!state) return undefined;
    state.apply(version, changes);
    // Only this module and the modules importing it need reading again.
    if (state.path) this.loader.invalidate(state.path);
    return state;
  }

  close(uri: string): void {
    const state = this.docs.get(uri);
    if (state?.path) this.loader.forget(state.path);
    this.docs.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  /** The editor's text of a file, when it is open (unsaved edits win over the disk). */
  textOf(path: string): string | undefined {
    for (const state of this.docs.values()) if (state.path === path) return state.doc.getText();
    return undefined;
  }
}

class DocumentState implements OpenDocument {
  readonly path: string | undefined;
  skipped?: string;
  private parsed?: PythonSource;
  private wholeParsed?: PythonSource;
  private pendingChanges: TextChange[] = [];
  private cachedModel?: { version: number; model: SettingsModel };

  constructor(
    public doc: TextDocument,
    private readonly loader: SettingsLoader,
  ) {
    this.path = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : undefined;
    this.skipped = skipReason(doc.getText());
  }

  apply(version: number, changes: TextDocumentContentChangeEvent[]): void {
    for (const change of changes) {
      if ('range' in change) {
        const from = this.doc.offsetAt(change.range.start);
        const to = this.doc.offsetAt(change.range.end);
        this.pendingChanges.push({ from, to, insertedLength: change.text.length });
        this.doc = TextDocument.update(this.doc, [change], version);
        // Each change is relative to the text before it: re-parse incrementally step by step.
        this.flush();
      } else {
        this.pendingChanges = [];
        this.parsed = undefined;
        this.wholeParsed = undefined;
        this.doc = TextDocument.update(this.doc, [change], version);
      }
    }
    this.skipped = skipReason(this.doc.getText());
  }

  source(): PythonSource {
    this.flush();
    this.parsed ??= PythonSource.parse(this.skipped ? '' : this.doc.getText());
    return this.parsed;
  }

  wholeSource(): PythonSource {
    this.flush();
    if (this.doc.getText().length <= SELECTIVE_PARSE_LENGTH) return this.source();
    this.wholeParsed ??= PythonSource.parseWhole(this.skipped ? '' : this.doc.getText());
    return this.wholeParsed;
  }

  model(): SettingsModel {
    if (this.cachedModel?.version === this.doc.version) {
      // Unchanged here, but a module it star-imports may have changed: the loader rebuilds only then.
      return (this.path && !this.skipped && this.loader.load(this.path)) || this.cachedModel.model;
    }
    const source = this.source();
    // Kept in the loader: modules that import this one (and the project graph) see the editor's text.
    const model = this.path ? this.loader.remember(this.path, source) : this.loader.modelOf('/untitled.py', source);
    this.cachedModel = { version: this.doc.version, model };
    return model;
  }

  private flush(): void {
    if (!this.pendingChanges.length) return;
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    this.parsed = this.parsed && !this.skipped ? this.parsed.edit(this.doc.getText(), changes) : undefined;
    this.wholeParsed = this.wholeParsed && !this.skipped ? this.wholeParsed.edit(this.doc.getText(), changes) : undefined;
  }
}

function skipReason(text: string): string | undefined {
  if (text.length > MAX_ANALYSED_LENGTH) return `the file is larger than ${MAX_ANALYSED_LENGTH / 1_000_000} MB`;
  if (text.includes('\u0000')) return 'the file contains binary data';
  return undefined;
}
