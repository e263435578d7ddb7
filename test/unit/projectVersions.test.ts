import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { checkSettings, type Finding } from '../../server/src/diagnostics/index';
import type { DiagnosticSettings } from '../../server/src/diagnostics/types';
import { hover } from '../../server/src/features/hover';
import { PythonSource } from '../../server/src/model/python';
import { buildSettingsModel } from '../../server/src/model/settingsModel';
import {
  allOlderThan,
  compareVersions,
  detectProjectVersions,
  diskProjectFiles,
  fixedProjectVersions,
  libpqOfWheel,
  parseSpecifier,
  type ProjectVersions,
} from '../../server/src/project/projectVersions';
import { formatServerVersion, minimumPostgresFor, serverTooOldForDjango, serverTooOldForProject } from '../../server/src/project/serverSupport';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readServerSettings } from '../../server/src/settings';
import { readFileSync } from 'node:fs';

const fixtures = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'project-versions');
const systemLib = join(fixtures, 'system-lib', 'x86_64-linux-gnu');

/** Detection in a fixture project, with the fixture's system libpq folder (or none) instead of /usr/lib. */
function detect(project: string, systemLibDirs: string[] = []): ProjectVersions {
  const dir = join(fixtures, project);
  return detectProjectVersions(join(dir, 'config'), { workspaceRoot: dir, files: diskProjectFiles(), systemLibDirs, platform: 'linux' });
}

const settingsWith = (body: string) =>
  `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n${body}\n    }\n}\n`;

function check(text: string, project: ProjectVersions | undefined, settings: Partial<DiagnosticSettings> = {}): Finding[] {
  const src = PythonSource.parse(text);
  return checkSettings({ file: 'settings.py', src, model: buildSettingsModel(src), settings: { ignore: [], ...settings }, versions: project });
}

const codes = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);

describe('project versions: detection from the project files', () => {
  it('reads Django, psycopg and the libpq bundled with psycopg_binary from .venv', () => {
    const found = detect('venv-binary');
    assert.equal(found.django?.exact, '4.2.11');
    assert.equal(found.driver?.name, 'psycopg');
    assert.equal(found.driver?.version.exact, '3.2.9');
    assert.equal(found.libpq?.major, 17);
    assert.match(found.libpq?.source ?? '', /psycopg-binary .*libpq-1f2e3d4c\.so\.5\.17/);
    assert.equal(found.venv, join(fixtures, 'venv-binary', '.venv'));
  });

  it('reads psycopg2-binary and its bundled libpq from venv/', () => {
    const found = detect('venv-django41', [systemLib]);
    assert.equal(found.django?.exact, '4.1.13');
    assert.deepEqual([found.driver?.name, found.driver?.version.exact], ['psycopg2', '2.9.9']);
    assert.equal(found.libpq?.major, 16, 'the bundled libpq wins over the system one');
  });

  it('uses the system libpq when the installed psycopg has no binary package', () => {
    const found = detect('venv-system-libpq', [systemLib]);
    assert.equal(found.driver?.version.exact, '3.1.18');
    assert.equal(found.libpq?.major, 14);
    assert.match(found.libpq?.source ?? '', /system libpq .*libpq\.so\.5\.14/);
    assert.equal(detect('venv-system-libpq', []).libpq, undefined, 'no system libpq: unknown, not guessed');
  });

  it('reads uv.lock before pyproject.toml, and maps the pinned psycopg-binary to the libpq it bundles', () => {
    const found = detect('locked-uv', [systemLib]);
    assert.equal(found.django?.exact, '5.0.6');
    assert.equal(found.driver?.version.exact, '3.2.1');
    assert.equal(found.libpq?.major, 16, 'psycopg-binary 3.2.1 bundles libpq 16; a binary wheel never loads the system libpq');
    assert.match(found.django?.source ?? '', /locked in .*uv\.lock/);
  });

  it('reads ranges from requirements/*.txt', () => {
    const found = detect('requirements-range', [systemLib]);
    assert.deepEqual([found.django?.min, found.django?.max, found.django?.exact], ['3.2', '4.1', undefined]);
    assert.equal(found.driver?.name, 'psycopg2');
    assert.equal(found.libpq?.major, 17, 'psycopg2-binary 2.9.13 bundles libpq 17');
  });

  it('reads [tool.poetry.dependencies] with caret ranges and psycopg extras', () => {
    const found = detect('poetry-caret');
    assert.deepEqual([found.django?.min, found.django?.max], ['4.2', '5.0']);
    assert.equal(found.driver?.version.exact, '3.1.18');
    assert.equal(found.libpq?.major, 15, 'psycopg-binary 3.1.18 bundles libpq 15');
  });

  it('reads Pipfile.lock; psycopg2 built from source uses the system libpq', () => {
    const found = detect('pipfile-lock', [systemLib]);
    assert.equal(found.django?.exact, '4.0.10');
    assert.deepEqual([found.driver?.name, found.driver?.version.exact], ['psycopg2', '2.9.9']);
    assert.equal(found.libpq?.major, 14);
  });

  it("reads the venv of djangoPostgres.pythonCommand first when it is an interpreter's path", () => {
    const dir = join(fixtures, 'venv-binary');
    const pythonCommand = join(fixtures, 'venv-django41', 'venv', 'bin', 'python');
    const found = detectProjectVersions(join(dir, 'config'), { workspaceRoot: dir, files: diskProjectFiles(), systemLibDirs: [], platform: 'linux', pythonCommand });
    assert.equal(found.django?.exact, '4.1.13');
    const byCommand = detectProjectVersions(join(dir, 'config'), { workspaceRoot: dir, files: diskProjectFiles(), systemLibDirs: [], platform: 'linux', pythonCommand: 'uv run python' });
    assert.equal(byCommand.django?.exact, '4.2.11', 'a command, not a path: the project venv');
  });

  it('finds nothing in an empty project, and lists what it read where something was there', () => {
    const found = detect('empty');
    assert.deepEqual([found.django, found.driver, found.libpq, found.searched], [undefined, undefined, undefined, []]);
    assert.deepEqual(detect('pipfile-lock').searched, [join(fixtures, 'pipfile-lock', 'Pipfile.lock')]);
  });

  it('compares versions and specifiers the way pip reads them', () => {
    assert.ok(compareVersions('4.2.11', '5.1') < 0);
    assert.ok(compareVersions('5.1', '5.1.0') === 0);
    assert.ok(compareVersions('5.10', '5.9') > 0);
    assert.deepEqual(parseSpecifier('~=4.2', 's'), { source: 's', min: '4.2', max: '5.0' });
    assert.deepEqual(parseSpecifier('~=4.2.1', 's'), { source: 's', min: '4.2.1', max: '4.3.0' });
    assert.deepEqual(parseSpecifier('==4.2.*', 's'), { source: 's', min: '4.2', max: '4.3' });
    assert.ok(allOlderThan(parseSpecifier('<5.1', 's'), '5.1'));
    assert.ok(!allOlderThan(parseSpecifier('<=5.1', 's'), '5.1'));
    assert.ok(!allOlderThan(parseSpecifier('>=4.2', 's'), '5.1'), 'an open range may reach the version');
    assert.equal(libpqOfWheel('psycopg-binary', '3.0.5'), undefined, 'no evidence for releases before 3.1.4');
    assert.equal(libpqOfWheel('psycopg-binary', '3.2.10', 'win32'), 16, 'Windows wheels bundle libpq 16 since 3.2.4');
  });
});

describe('project versions: djangoPostgres.targetLibpqVersion means "not set" by default', () => {
  it('the manifest default is null, and null, absent or junk read as unset; an integer is kept', () => {
    const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
    assert.equal(manifest.contributes.configuration.properties['djangoPostgres.targetLibpqVersion'].default, null);
    for (const raw of [undefined, {}, { targetLibpqVersion: null }, { targetLibpqVersion: 'x' }]) {
      assert.equal(readServerSettings(raw).diagnostics.targetLibpqVersion, undefined, JSON.stringify(raw));
    }
    assert.equal(readServerSettings({ targetLibpqVersion: 16 }).diagnostics.targetLibpqVersion, 16);
    assert.equal(readServerSettings({ pythonCommand: ' /p/.venv/bin/python ' }).pythonCommand, '/p/.venv/bin/python');
  });
});

describe('project versions: libpq keyword warnings follow the libpq found', () => {
  const loadBalance = settingsWith("        'HOST': 'a.example.com,b.example.com',\n        'OPTIONS': {'load_balance_hosts': 'random', 'sslmode': 'verify-full', 'sslrootcert': 'system'},");

  it('no warning for load_balance_hosts when the venv bundles libpq 17', () => {
    const findings = check(loadBalance, detect('venv-binary'));
    assert.deepEqual(codes(findings, 'DPG205'), []);
    assert.deepEqual(codes(findings, 'DPG307'), []);
  });

  it('information naming the assumption when no libpq is found and none is configured', () => {
    const [finding] = codes(check(loadBalance, detect('empty')), 'DPG205');
    assert.equal(finding?.severity, 'information');
    assert.match(finding.message, /needs libpq 16 .*No libpq version was found .*assumes yours has it.*targetLibpqVersion/);
    assert.equal(codes(check(loadBalance, undefined), 'DPG205')[0]?.severity, 'information', 'the CLI, which detects nothing, says the same');
  });

  it('a warning when the user configured an older target, whatever the venv holds', () => {
    const [finding] = codes(check(loadBalance, detect('venv-binary'), { targetLibpqVersion: 13 }), 'DPG205');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding.message, /targetLibpqVersion is 13/);
  });

  it('a warning when the project really uses an older libpq (the system one)', () => {
    const [finding] = codes(check(loadBalance, detect('venv-system-libpq', [systemLib])), 'DPG205');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding.message, /project's libpq is 14 \(the system libpq/);
    assert.match(codes(check(loadBalance, detect('venv-system-libpq', [systemLib])), 'DPG307')[0]?.message ?? '', /'system' needs libpq 16.*libpq is 14/);
  });

  it('a NaN target (the CLI without --target-libpq) counts as not configured', () => {
    assert.equal(codes(check(loadBalance, detect('venv-binary'), { targetLibpqVersion: Number(undefined) }), 'DPG205').length, 0);
  });
});

describe("project versions: keys the project's Django or driver does not know", () => {
  const pool = settingsWith("        'CONN_MAX_AGE': 0,\n        'OPTIONS': {'pool': True},");
  const healthChecks = settingsWith("        'CONN_MAX_AGE': 60,\n        'CONN_HEALTH_CHECKS': True,");
  const roles = settingsWith("        'OPTIONS': {'assume_role': 'owner', 'server_side_binding': True},");

  it('OPTIONS pool with Django 4.1 in the venv: a warning saying it reaches the driver', () => {
    const [finding] = codes(check(pool, detect('venv-django41')), 'DPG220');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding.message, /needs Django 5\.1 .*Django is 4\.1\.13 \(installed in .*venv\).*invalid connection option "pool"/);
  });

  it('OPTIONS pool under a Poetry range that stops below 5.0: the same warning', () => {
    assert.match(codes(check(pool, detect('poetry-caret')), 'DPG220')[0]?.message ?? '', /Django is >=4\.2,<5\.0/);
  });

  it('no finding for pool with Django 5.2, or with nothing found (Django 5.2 LTS assumed)', () => {
    assert.deepEqual(codes(check(pool, detect('venv-system-libpq')), 'DPG220'), []);
    assert.deepEqual(codes(check(pool, detect('empty')), 'DPG220'), []);
  });

  it('OPTIONS pool with Django 5.0.6 locked in uv.lock', () => {
    assert.match(codes(check(pool, detect('locked-uv')), 'DPG220')[0]?.message ?? '', /Django is 5\.0\.6 \(locked in .*uv\.lock\)/);
  });

  it('assume_role and server_side_binding before Django 4.2', () => {
    const findings = check(roles, detect('venv-django41'));
    assert.deepEqual(codes(findings, 'DPG220').map((f) => f.message.match(/OPTIONS '(\w+)'/)?.[1]), ['assume_role', 'server_side_binding']);
    assert.deepEqual(codes(check(roles, detect('venv-binary')), 'DPG220'), [], 'Django 4.2.11 knows both');
  });

  it("the pool's own check before Django 6.1 clashes with the one Django passes; 6.1 takes it", () => {
    const text = settingsWith("        'OPTIONS': {'pool': {'check': my_check}},");
    assert.match(codes(check(text, detect('venv-system-libpq')), 'DPG220')[0]?.message ?? '', /pool 'check' needs Django 6\.1 .*5\.2\.1.*multiple values for keyword argument 'check'/);
    assert.deepEqual(codes(check(text, fixedProjectVersions({ django: '6.1.0', psycopg: '3.3.6' })), 'DPG220'), []);
    assert.deepEqual(codes(check(text, detect('empty')), 'DPG220'), [], 'Django unknown: no claim');
  });

  it('CONN_HEALTH_CHECKS before Django 4.1 is information: ignored, nothing fails', () => {
    const [finding] = codes(check(healthChecks, detect('pipfile-lock')), 'DPG320');
    assert.equal(finding?.severity, 'information');
    assert.match(finding.message, /CONN_HEALTH_CHECKS needs Django 4\.1 .*4\.0\.10.*ignores it/);
    assert.deepEqual(codes(check(healthChecks, detect('venv-django41')), 'DPG320'), [], 'Django 4.1 knows it');
  });

  it('psycopg-3-only keys with psycopg2: prepare_threshold refused, server_side_binding ignored', () => {
    const text = settingsWith("        'OPTIONS': {'prepare_threshold': 5, 'server_side_binding': True},");
    const findings = check(text, fixedProjectVersions({ django: '5.2.1', psycopg2: '2.9.13' }, 'installed in .venv'));
    assert.match(codes(findings, 'DPG221')[0]?.message ?? '', /'prepare_threshold' is for psycopg 3.*psycopg2 2\.9\.13 \(installed in \.venv\).*invalid connection option/);
    assert.match(codes(findings, 'DPG320')[0]?.message ?? '', /'server_side_binding' is for psycopg 3.*does nothing/);
    const oldDjango = check(text, detect('requirements-range'));
    assert.deepEqual(codes(oldDjango, 'DPG220').length, 2, 'under Django <4.1 both keys are unknown to Django itself: DPG220 only');
    assert.deepEqual(codes(oldDjango, 'DPG221'), []);
    assert.deepEqual(codes(check(text, detect('venv-binary')), 'DPG221'), [], 'psycopg 3 takes both');
    assert.deepEqual(codes(check(text, detect('empty')), 'DPG221'), [], 'driver unknown: say nothing');
  });

  it('pool with psycopg2 and a Django that knows pool: DPG221, not DPG220', () => {
    const project: ProjectVersions = { searched: [], django: { exact: '5.2.1', source: 'x' }, driver: { name: 'psycopg2', version: { exact: '2.9.10', source: 'y' } } };
    const findings = check(pool, project);
    assert.deepEqual([codes(findings, 'DPG220').length, codes(findings, 'DPG221').length], [0, 1]);
    assert.match(codes(findings, 'DPG221')[0].message, /Database pooling requires psycopg >= 3/);
  });
});

describe('project versions: hover and the server check', () => {
  it('hover names the versions found, or says Django 5.2 LTS is assumed', () => {
    const text = settingsWith("        'OPTIONS': {'pool': True},");
    const doc = TextDocument.create('file:///settings.py', 'python', 1, text);
    const src = PythonSource.parse(text);
    const at = text.indexOf("'pool'") + 2;
    const env = { process: {}, dotenv: {} };
    const shown = (project?: ProjectVersions) => {
      const result = hover(doc, src, buildSettingsModel(src), at, env, project);
      return typeof result?.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
    };
    assert.match(shown(detect('venv-binary')), /Your project:\*\* Django 4\.2\.11, psycopg 3\.2\.9, libpq 17\./);
    assert.match(shown(detect('venv-django41')), /This key needs Django 5\.1; the project's Django is 4\.1\.13/);
    assert.match(shown(detect('empty')), /no Django, psycopg or libpq version found.*\n\nNo Django version found .*assuming Django 5\.2, the current LTS/s);
    assert.doesNotMatch(shown(undefined), /Your project/);
    // A key no release added or changed keeps its hover to itself.
    const plain = settingsWith("        'OPTIONS': {'sslmode': 'require'},");
    const plainSrc = PythonSource.parse(plain);
    const plainHover = hover(TextDocument.create('file:///settings.py', 'python', 1, plain), plainSrc, buildSettingsModel(plainSrc), plain.indexOf("'sslmode'") + 2, env, detect('venv-binary'));
    assert.ok(plainHover && typeof plainHover.contents === 'object' && 'value' in plainHover.contents && /sslmode/.test(plainHover.contents.value));
    assert.doesNotMatch(plainHover.contents.value, /Your project/);
  });

  it('says when the server is older than the Django supports (the reference table)', () => {
    assert.deepEqual([minimumPostgresFor('4.2.11'), minimumPostgresFor('5.0'), minimumPostgresFor('5.1.4'), minimumPostgresFor('5.2.17'), minimumPostgresFor('6.0')], [12, 12, 13, 14, 14]);
    assert.equal(minimumPostgresFor('3.2.25'), undefined);
    assert.equal(serverTooOldForDjango(140010, '5.2.17'), undefined);
    const tooOld = serverTooOldForDjango(130014, '5.2.17');
    assert.equal(tooOld?.minimum, 14);
    assert.match(tooOld?.message ?? '', /PostgreSQL 13\.14 is older than Django 5\.2 supports.*"PostgreSQL 14 or later is required \(found 13\.14\)\."/);
    assert.match(serverTooOldForDjango(90624, '4.0.10')?.message ?? '', /PostgreSQL 9\.6\.24 .*Django 4\.0 .*does not check/);
    assert.equal(formatServerVersion(90624), '9.6.24');
  });

  it("says it for the project's Django as detected, or for the assumed LTS", () => {
    assert.match(serverTooOldForProject(120010, detect('venv-system-libpq'))?.message ?? '', /older than Django 5\.2 .*\(Django 5\.2\.1 installed in .*\.venv\.\)$/);
    assert.equal(serverTooOldForProject(120010, detect('venv-binary')), undefined, 'Django 4.2 supports PostgreSQL 12');
    assert.match(serverTooOldForProject(130000, detect('empty'))?.message ?? '', /Django 5\.2, the current LTS, is assumed/);
    assert.match(serverTooOldForProject(110000, detect('poetry-caret'))?.message ?? '', /older than Django 4\.2 .*>=4\.2/, 'the oldest Django the range allows');
  });
});
