// Diagnostics for pgbouncer.ini as plain objects. Rule texts and severities come from the catalog
// (catalog/pgbouncerRules.ts); settings, types and ranges from catalog/pgbouncerSettings.ts.
import { pgbouncerRules } from '../catalog/pgbouncerRules';
import { pgbouncerSettings } from '../catalog/pgbouncerSettings';
import type { PgBouncerSetting, RuleDoc } from '../catalog/types';
import { parseConnectionParams, parseIni, type IniFile, type IniSetting, type TextRange } from './ini';

export interface PgBouncerDiagnostic {
  code: string;
  severity: RuleDoc['severity'];
  message: string;
  from: number;
  to: number;
}

type EntrySection = 'databases' | 'users' | 'peers';
const entrySections: readonly string[] = ['databases', 'users', 'peers'];

/** The PgBouncer release our "older versions refuse it" note compares against: Debian bookworm's. */
const baselineVersion = '1.18';

function settingsOf(section: PgBouncerSetting['section']): Map<string, PgBouncerSetting> {
  return new Map(pgbouncerSettings.filter((s) => s.section === section).map((s) => [s.name, s]));
}
const catalogBySection = {
  pgbouncer: settingsOf('pgbouncer'),
  databases: settingsOf('databases'),
  users: settingsOf('users'),
  peers: settingsOf('peers'),
};

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

class Collector {
  readonly diagnostics: PgBouncerDiagnostic[] = [];
  private readonly severity = new Map(pgbouncerRules.map((r) => [r.code, r.severity]));

  add(code: string, message: string, range: TextRange): void {
    const severity = this.severity.get(code);
    if (!severity) throw new Error(`No rule documented for ${code}`);
    this.diagnostics.push({ code, severity, message, from: range.from, to: range.to });
  }
}

const inlineComment = /\s[;#]/;

function numberProblem(setting: PgBouncerSetting, value: string): string | undefined {
  const pattern = setting.type === 'real' ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
  if (!pattern.test(value)) {
    const kind = setting.type === 'real' ? 'a plain number' : 'a whole number';
    const unit = setting.units ? ` (in ${setting.units}, without a unit)` : '';
    const comment = inlineComment.test(value) ? ' PgBouncer has no end-of-line comments: put the comment on its own line.' : '';
    return `\`${setting.name}\` needs ${kind}${unit}; PgBouncer refuses "${value}".${comment}`;
  }
  const n = Number(value);
  if (setting.min !== undefined && n < setting.min) return `\`${setting.name}\` must be at least ${setting.min}; got ${value}.`;
  if (setting.max !== undefined && n > setting.max) return `\`${setting.name}\` must be at most ${setting.max}; got ${value}.`;
  return undefined;
}

/** Checks one value against its catalog entry: enum, bool and number rules. */
function checkValue(setting: PgBouncerSetting, value: string, range: TextRange, out: Collector): void {
  if (setting.type === 'bool') {
    // PgBouncer reads booleans as integers: `yes`/`on` are refused.
    if (!/^-?\d+$/.test(value)) out.add('DPG503', `\`${setting.name}\` takes 0 or 1; PgBouncer refuses "${value}".`, range);
    return;
  }
  if (setting.type === 'enum' && setting.values) {
    const wanted = setting.caseInsensitive ? value.toLowerCase() : value;
    if (!setting.values.some((v) => (setting.caseInsensitive ? v.value.toLowerCase() : v.value) === wanted)) {
      const allowed = setting.values.map((v) => v.value).join(', ');
      const comment = inlineComment.test(value) ? ' PgBouncer has no end-of-line comments.' : '';
      out.add('DPG502', `"${value}" is not a valid \`${setting.name}\`; use one of: ${allowed}.${comment}`, range);
    }
    return;
  }
  if (setting.type === 'int' || setting.type === 'real') {
    const problem = numberProblem(setting, value);
    if (problem) out.add('DPG503', problem, range);
  }
}

function checkPoolMode(value: string, range: TextRange, where: string, out: Collector): void {
  const mode = value.toLowerCase();
  if (mode === 'statement') {
    out.add('DPG504', `Statement pooling${where} refuses multi-statement transactions: Django's atomic(), migrations and select_for_update() fail. Use transaction or session mode.`, range);
  } else if (mode === 'transaction') {
    out.add('DPG505', `Transaction pooling${where}: set DISABLE_SERVER_SIDE_CURSORS = True on the Django database, and avoid session state (SET, assume_role, advisory locks, LISTEN).`, range);
  }
}

function noteNewerSetting(setting: PgBouncerSetting, range: TextRange, out: Collector): void {
  const added = setting.versions?.pgbouncerAdded;
  if (added && compareVersions(added, baselineVersion) > 0) {
    out.add('DPG506', `\`${setting.name}\` needs PgBouncer ${added} or newer; older versions (Debian bookworm ships ${baselineVersion}) refuse to start with it.`, range);
  }
}

function checkGlobalSetting(entry: IniSetting, out: Collector): void {
  const setting = catalogBySection.pgbouncer.get(entry.key);
  if (!setting) {
    const otherCase = catalogBySection.pgbouncer.get(entry.key.toLowerCase());
    const hint = otherCase ? ` Setting names are case-sensitive: write \`${otherCase.name}\`.` : '';
    out.add('DPG501', `Unknown PgBouncer setting \`${entry.key}\`: PgBouncer refuses to start.${hint}`, entry.keyRange);
    return;
  }
  noteNewerSetting(setting, entry.keyRange, out);
  checkValue(setting, entry.value, entry.valueRange, out);
  if (setting.name === 'pool_mode') checkPoolMode(entry.value, entry.valueRange, '', out);
  if (setting.name === 'ignore_startup_parameters' && entry.value.split(',').some((p) => p.trim().toLowerCase() === 'options')) {
    out.add('DPG507', 'With `options` ignored, the `-c name=value` settings of Django\'s OPTIONS["options"] are dropped silently. Set them on the role instead (ALTER ROLE … SET …).', entry.valueRange);
  }
}

function checkEntry(section: EntrySection, entry: IniSetting, out: Collector): void {
  if (section === 'databases' && entry.key === 'pgbouncer') {
    out.add('DPG510', 'The database name `pgbouncer` is reserved for the admin console; PgBouncer refuses to start.', entry.keyRange);
  }
  const { params, problems } = parseConnectionParams(entry.value, entry.valueRange.from);
  for (const problem of problems) out.add('DPG500', problem.message, problem.range);
  const catalog = catalogBySection[section];
  for (const param of params) {
    const setting = catalog.get(param.key);
    if (!setting) {
      const hint = catalog.has(param.key.toLowerCase()) ? ` Names are case-sensitive: write \`${param.key.toLowerCase()}\`.` : ` Known: ${[...catalog.keys()].join(', ')}.`;
      out.add('DPG501', `Unknown parameter \`${param.key}\` in a [${section}] entry: PgBouncer refuses to start.${hint}`, param.keyRange);
      continue;
    }
    noteNewerSetting(setting, param.keyRange, out);
    checkValue(setting, param.value, param.valueRange, out);
    if (setting.name === 'pool_mode') checkPoolMode(param.value, param.valueRange, ` for \`${entry.key}\``, out);
    if (section === 'databases' && setting.name === 'password') {
      out.add('DPG509', 'A plain-text password in pgbouncer.ini: keep a SCRAM verifier in auth_file, or use auth_user + auth_query.', param.valueRange);
    }
  }
}

function checkDuplicates(file: IniFile, out: Collector): void {
  const seen = new Map<string, IniSetting>();
  for (const section of file.sections) {
    for (const entry of section.settings) {
      const id = `${entry.section}\u0000${entry.key}`;
      const earlier = seen.get(id);
      if (earlier) out.add('DPG508', `\`${entry.key}\` is set again on line ${entry.line + 1}; only that last value counts.`, earlier.keyRange);
      seen.set(id, entry);
    }
  }
}

/** Every DPG5xx diagnostic for the text of a pgbouncer.ini (an already parsed file may be passed). */
export function checkPgBouncerIni(text: string, file: IniFile = parseIni(text)): PgBouncerDiagnostic[] {
  const out = new Collector();
  for (const problem of file.problems) out.add('DPG500', problem.message, problem.range);
  for (const section of file.sections) {
    const name = section.name;
    if (name === 'pgbouncer') {
      section.settings.forEach((entry) => checkGlobalSetting(entry, out));
    } else if (entrySections.includes(name)) {
      section.settings.forEach((entry) => checkEntry(name as EntrySection, entry, out));
    } else if (section.name === '') {
      for (const entry of section.settings) out.add('DPG500', 'Settings must follow a section header such as [pgbouncer] or [databases].', entry.lineRange);
    } else {
      const lower = name.toLowerCase();
      const hint = lower === 'pgbouncer' || entrySections.includes(lower) ? ` Section names are case-sensitive: write [${lower}].` : '';
      out.add('DPG501', `Unknown section [${name}]: PgBouncer knows [pgbouncer], [databases], [users] and [peers] and refuses to start.${hint}`, section.nameRange);
    }
  }
  checkDuplicates(file, out);
  return out.diagnostics.sort((a, b) => a.from - b.from);
}
