// The real-world-style corpus (test/corpus): one folder per project shape, each checked as the language
// server checks a workspace (entry modules, the modules they run, compose services). Markers in the files
// say what must be found: `# expect: DPG120` (an error or a warning on that line), `# expect-info: DPG203`
// (information or a hint on that line). Shared by the corpus test and `npm run corpus`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkSettings, type Finding } from '../../server/src/diagnostics/index';
import { PythonSource } from '../../server/src/model/python';
import { readFromDisk, SettingsLoader } from '../../server/src/model/resolve';
import { ProjectGraph } from '../../server/src/settingsGraph/graph';
import { templateReason } from '../../server/src/settingsGraph/templates';

export interface CorpusFinding {
  tree: string;
  /** Path inside the tree. */
  file: string;
  /** 1-based line. */
  line: number;
  finding: Finding;
}

export interface Marker {
  tree: string;
  file: string;
  line: number;
  code: string;
  /** `expect:` wants an error or a warning; `expect-info:` information or a hint. */
  loud: boolean;
}

const SKIPPED = new Set(['__pycache__', 'node_modules', '.venv', 'venv']);

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIPPED.has(name) ? [] : filesOf(path);
    return [path];
  });
}

/** Files the server would check: Python modules that touch DATABASES, and settings templates. */
function isCandidate(file: string): boolean {
  return file.endsWith('.py') || /(-tpl|\.j2|\.jinja2?|\.example|\.sample|\.template|\.tmpl|\.dist)$/.test(file);
}

export function corpusTrees(corpusDir: string): string[] {
  return readdirSync(corpusDir)
    .filter((name) => statSync(join(corpusDir, name)).isDirectory())
    .sort();
}

export function markersIn(tree: string, file: string, text: string): Marker[] {
  const markers: Marker[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/#\s*expect(-info)?:\s*((?:DPG\d{3}[\s,]*)+)/g)) {
      for (const code of match[2].split(/[\s,]+/).filter(Boolean)) markers.push({ tree, file, line: index + 1, code, loud: !match[1] });
    }
  });
  return markers;
}

export function checkTree(corpusDir: string, tree: string): { findings: CorpusFinding[]; markers: Marker[] } {
  const root = join(corpusDir, tree);
  const loader = new SettingsLoader();
  const graph = new ProjectGraph([root], loader, readFromDisk);
  const findings: CorpusFinding[] = [];
  const markers: Marker[] = [];
  for (const path of filesOf(root).filter(isCandidate).sort()) {
    const text = readFileSync(path, 'utf8');
    const file = relative(root, path);
    markers.push(...markersIn(tree, file, text));
    const src = PythonSource.parse(text);
    const model = loader.modelOf(path, src);
    if (!model.hasDatabases && !templateReason(path, model)) continue;
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
    const lineOf = (offset: number) => {
      let line = 0;
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
      return line + 1;
    };
    const settings = { ignore: [], targetLibpqVersion: 13 };
    for (const finding of checkSettings({ file: path, src, model, settings, project: graph.contextFor(path) })) {
      findings.push({ tree, file, line: lineOf(finding.from), finding });
    }
  }
  return { findings, markers };
}

export const isLoud = (finding: Finding): boolean => finding.severity === 'error' || finding.severity === 'warning';
