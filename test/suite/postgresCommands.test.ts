// "Create Postgres DB for Django", "Test Connection" and "Save to .env" inside the extension host, against a
// real PostgreSQL: DPG_TEST_PG_HOST / DPG_TEST_PG_PORT / DPG_TEST_PG_SUPERUSER / DPG_TEST_PG_SUPERPASSWORD
// when set, else a throw-away cluster this file starts and stops. Only the VS Code UI is scripted (message
// boxes, input boxes, quick picks answered as a user would); the commands really connect, and the results
// are checked with pg.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../../client/src/services';
import type { CreateDatabaseReport } from '../../server/src/postgres/createDatabase';

const EXTENSION_ID = 'django-postgres.django-postgres';

interface Server {
  host: string;
  port: number;
  superuser: string;
  superPassword: string;
  stop?: () => Promise<void>;
}

/** The PostgreSQL the tests use: the one named by DPG_TEST_PG_*, or a throw-away cluster (stopped by PID in after()). */
async function testServer(): Promise<Server> {
  const { DPG_TEST_PG_HOST: host, DPG_TEST_PG_PORT: port, DPG_TEST_PG_SUPERUSER: superuser, DPG_TEST_PG_SUPERPASSWORD: superPassword } = process.env;
  if (host && port && superPassword !== undefined) {
    return { host, port: Number(port), superuser: superuser || 'postgres', superPassword };
  }
  // Loaded only here: the helper installs exit handlers that stop its servers.
  const { startCluster } = await import('../support/pgCluster.js');
  const cluster = await startCluster();
  return { host: cluster.host, port: cluster.port, superuser: cluster.superuser, superPassword: cluster.superPassword, stop: () => cluster.stop() };
}

// ---------------------------------------------------------------------------------------------------
// Scripted answers at the VS Code UI boundary

type PromptKind = 'information' | 'warning' | 'error' | 'input' | 'quickPick';

interface Prompt {
  kind: PromptKind;
  /** The message, or an input box's / quick pick's title and prompt. */
  text: string;
  modal: boolean;
  /** Message buttons, or quick pick labels. */
  choices: string[];
  /** An input box's initial value. */
  value?: string;
  password?: boolean;
  answered?: string;
  unexpected?: boolean;
}

interface Rule {
  kind: PromptKind;
  match: RegExp;
  /** The button or label to choose, or the text to type; undefined dismisses. */
  answer: (prompt: Prompt) => string | undefined;
}

type WindowStubs = Pick<typeof vscode.window, 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage' | 'showInputBox' | 'showQuickPick'>;

class ScriptedUi {
  readonly prompts: Prompt[] = [];
  private readonly originals: WindowStubs;

  constructor(private readonly rules: Rule[]) {
    const w = vscode.window;
    this.originals = {
      showInformationMessage: w.showInformationMessage, showWarningMessage: w.showWarningMessage, showErrorMessage: w.showErrorMessage,
      showInputBox: w.showInputBox, showQuickPick: w.showQuickPick,
    };
    const message = (kind: PromptKind) => (text: string, ...rest: unknown[]) => {
      const options = rest.find((r): r is vscode.MessageOptions => typeof r === 'object' && r !== null && !('title' in r));
      const choices = rest.filter((r): r is string => typeof r === 'string');
      return Promise.resolve(this.respond({ kind, text, modal: options?.modal === true, choices }));
    };
    const stubs = {
      showInformationMessage: message('information'),
      showWarningMessage: message('warning'),
      showErrorMessage: message('error'),
      showInputBox: async (options?: vscode.InputBoxOptions) => {
        const typed = this.respond({ kind: 'input', text: `${options?.title ?? ''} | ${options?.prompt ?? ''}`, modal: false, choices: [], value: options?.value, password: options?.password });
        const invalid = typed === undefined ? undefined : await options?.validateInput?.(typed);
        assert.ok(!invalid, `the input box accepts what a user would type (${String(invalid)})`);
        return typed;
      },
      showQuickPick: async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>, options?: vscode.QuickPickOptions) => {
        const list = await items;
        const labels = list.map((item) => (typeof item === 'string' ? item : item.label));
        const label = this.respond({ kind: 'quickPick', text: options?.title ?? '', modal: false, choices: labels });
        return label === undefined ? undefined : list.find((item) => (typeof item === 'string' ? item : item.label) === label);
      },
    };
    Object.assign(vscode.window, stubs);
  }

  private respond(prompt: Prompt): string | undefined {
    const rule = this.rules.find((r) => r.kind === prompt.kind && r.match.test(prompt.text));
    if (!rule) prompt.unexpected = true;
    prompt.answered = rule?.answer(prompt);
    this.prompts.push(prompt);
    return prompt.answered;
  }

  find(kind: PromptKind, match: RegExp): Prompt | undefined {
    return this.prompts.find((p) => p.kind === kind && match.test(p.text));
  }

  /** Fails when the command asked something the test did not expect, listing the whole dialogue. */
  assertNoSurprises(): void {
    assert.deepEqual(this.prompts.filter((p) => p.unexpected).map((p) => `${p.kind}: ${p.text}`), [], `dialogue:\n${this.transcript()}`);
  }

  transcript(): string {
    return this.prompts.map((p) => `  ${p.kind}${p.modal ? ' (modal)' : ''}: ${p.text} [${p.choices.join(' | ')}] -> ${p.password ? '(password)' : p.answered}`).join('\n');
  }

  /** Every text the user saw, for "no secret shown" checks. */
  allText(): string {
    return this.prompts.map((p) => [p.text, ...p.choices, p.value ?? ''].join('\n')).join('\n');
  }

  restore(): void {
    Object.assign(vscode.window, this.originals);
  }
}

async function withUi<T>(rules: Rule[], run: (ui: ScriptedUi) => Promise<T>): Promise<{ ui: ScriptedUi; result: T }> {
  const ui = new ScriptedUi(rules);
  try {
    return { ui, result: await run(ui) };
  } finally {
    ui.restore();
  }
}

async function poll<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${deadlineMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------------------------------------------

describe('Postgres commands in the extension host', function () {
  this.timeout(60_000);
  const suffix = randomBytes(3).toString('hex');
  const role = `dpg_app_${suffix}`;
  const database = `dpg_db_${suffix}`;
  let server: Server;
  let services: ExtensionServices;
  let workspaceDir: string;
  let dotenvFile: string;
  let gitignoreFile: string;
  const saved: Record<string, string | undefined> = {};

  const superQuery = async <Row>(sql: string, params: unknown[] = [], db = 'postgres'): Promise<Row[]> => {
    const client = new Client({ host: server.host, port: server.port, user: server.superuser, password: server.superPassword, database: db });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Row[];
    } finally {
      await client.end();
    }
  };
  const dotenvValue = (name: string): string | undefined => new RegExp(`^${name}=(.*)$`, 'm').exec(readFileSync(dotenvFile, 'utf8'))?.[1];
  const adminTarget = () => `${server.superuser}@${server.host}:${server.port}`;
  const adminSecretKey = () => `djangoPostgres.adminPassword:${adminTarget()}`;

  before(async () => {
    server = await testServer();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace (a copy of the Django fixture) is open');
    workspaceDir = folder.uri.fsPath;
    dotenvFile = path.join(workspaceDir, '.env');
    gitignoreFile = path.join(workspaceDir, '.gitignore');
    for (const file of [dotenvFile, gitignoreFile]) saved[file] = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    // The fixture's settings read DB_* with os.environ.get: point them at the test server, password still empty.
    writeFileSync(dotenvFile, `# test settings\nDB_NAME=${database}\nDB_USER=${role}\nDB_PASSWORD=\nDB_HOST=${server.host}\nDB_PORT=${server.port}\n`);
    const extension = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    services = await extension.activate();
  });

  after(async () => {
    await services?.context.secrets.delete(adminSecretKey()).then(undefined, () => undefined);
    for (const [file, text] of Object.entries(saved)) {
      if (text === undefined) rmSync(file, { force: true });
      else writeFileSync(file, text);
    }
    // The extension never drops anything; the test cleans up after itself.
    if (server) {
      await superQuery(`DROP DATABASE IF EXISTS "${database}"`).catch(() => undefined);
      await superQuery(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
      await server.stop?.();
    }
  });

  it('creates the role and database, with a generated password saved to .env, as an admin whose password is typed in', async () => {
    const { ui, result } = await withUi([
      { kind: 'information', match: /has no password: DB_PASSWORD/, answer: () => 'Generate and save to .env' },
      { kind: 'information', match: new RegExp(`^Create role "${role}" and database "${database}"`), answer: () => 'Connect as admin…' },
      { kind: 'input', match: /admin connection/, answer: () => adminTarget() },
      { kind: 'input', match: /password of/i, answer: () => server.superPassword },
      { kind: 'information', match: /Remember the password of/, answer: () => 'Remember' },
      { kind: 'information', match: /ready for migrate/, answer: () => undefined },
    ], () => Promise.resolve(vscode.commands.executeCommand<CreateDatabaseReport | undefined>('djangoPostgres.createDatabase')));
    ui.assertNoSurprises();
    assert.ok(result?.ok, `the command reports success: ${JSON.stringify(result)}\n${ui.transcript()}`);

    const plan = ui.find('information', /^Create role/)!;
    assert.equal(plan.modal, true, 'the plan is confirmed in a modal dialog');
    assert.deepEqual(plan.choices.slice(0, 2), ['Connect as admin…', 'Copy SQL']);
    assert.equal(ui.find('input', /admin connection/)?.value, `postgres@${server.host}:${server.port}`, 'the admin defaults to postgres on the settings\' host');
    assert.equal(ui.find('input', /password of/i)?.password, true, 'the admin password box hides what is typed');
    assert.deepEqual(ui.find('information', /ready for migrate/)?.choices, ['Test Connection', 'Run migrate']);

    const appPassword = dotenvValue('DB_PASSWORD');
    assert.match(appPassword ?? '', /^[A-Za-z0-9_-]{32}$/, 'a generated password replaced the empty DB_PASSWORD line');
    assert.equal(dotenvValue('DB_NAME'), database, 'the other .env lines are kept');
    assert.match(readFileSync(dotenvFile, 'utf8'), /^# test settings$/m);
    assert.match(readFileSync(gitignoreFile, 'utf8'), /^\.env$/m, '.env is git-ignored');
    for (const secret of [appPassword!, server.superPassword]) assert.equal(ui.allText().includes(secret), false, 'no password is shown');

    const [row] = await superQuery<{ owner: string; encoding: string; login: boolean }>(
      `SELECT pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding, r.rolcanlogin AS login
         FROM pg_database d, pg_roles r WHERE d.datname = $1 AND r.rolname = $2`, [database, role]);
    assert.deepEqual(row, { owner: role, encoding: 'UTF8', login: true });
    const app = new Client({ host: server.host, port: server.port, user: role, password: appPassword, database });
    await app.connect();
    try {
      await app.query('CREATE TABLE public.dpg_probe (id int)');
    } finally {
      await app.end();
    }
    await poll('the admin password in SecretStorage', async () => services.context.secrets.get(adminSecretKey()), (value) => value === server.superPassword);
  });

  it('Test Connection connects with the settings and .env and reports server, user and database', async () => {
    const { ui, result } = await withUi([
      { kind: 'information', match: /connected:/, answer: () => undefined },
    ], () => Promise.resolve(vscode.commands.executeCommand<boolean | undefined>('djangoPostgres.testConnection')));
    ui.assertNoSurprises();
    assert.equal(result, true, ui.transcript());
    const shown = ui.find('information', /connected:/)!;
    assert.match(shown.text, new RegExp(`^Alias "default" connected: PostgreSQL \\d+[^,]*, ${role}@${database} on ${server.host}:${server.port}, (no SSL|SSL \\S+), round trip [\\d.]+ ms`));
    assert.deepEqual(shown.choices, ['Show log']);
  });

  it('Test Connection names the missing database and offers Create Postgres DB for Django', async () => {
    const text = readFileSync(dotenvFile, 'utf8');
    writeFileSync(dotenvFile, text.replace(`DB_NAME=${database}`, `DB_NAME=${database}_missing`));
    try {
      const { ui, result } = await withUi([
        { kind: 'error', match: /does not exist/, answer: () => undefined },
      ], () => Promise.resolve(vscode.commands.executeCommand<boolean | undefined>('djangoPostgres.testConnection')));
      ui.assertNoSurprises();
      assert.equal(result, false);
      const shown = ui.find('error', /does not exist/)!;
      assert.match(shown.text, new RegExp(`database "${database}_missing" does not exist.*Fix: `));
      assert.deepEqual(shown.choices, ['Create Postgres DB for Django', 'Show log']);
    } finally {
      writeFileSync(dotenvFile, text);
    }
  });

  it('a second run uses the saved admin password, asks before changing the existing role\'s password, and keeps it', async () => {
    const { ui, result } = await withUi([
      { kind: 'information', match: /^Create role/, answer: () => 'Connect as admin…' },
      { kind: 'quickPick', match: /admin connection/, answer: (p) => p.choices.find((c) => c.includes(adminTarget())) },
      { kind: 'warning', match: new RegExp(`Role "${role}" already exists`), answer: () => 'Keep the current password' },
      { kind: 'information', match: /already existed/, answer: () => undefined },
    ], () => Promise.resolve(vscode.commands.executeCommand<CreateDatabaseReport | undefined>('djangoPostgres.createDatabase')));
    ui.assertNoSurprises();
    assert.ok(result?.ok, ui.transcript());
    assert.equal(ui.find('input', /password of/i), undefined, 'no password prompt: the saved one was used');
    assert.equal(ui.find('warning', /already exists/)?.modal, true);
    // The role membership an admin needs to hand over a database is not needed once the database exists.
    assert.deepEqual(Object.fromEntries(result.steps.map((s) => [s.id, s.outcome])), {
      role: 'alreadyExisted', createdb: 'alreadyExisted', membership: 'skipped', database: 'alreadyExisted', grantDatabase: 'alreadyExisted', grantSchema: 'alreadyExisted',
    });
  });

  it('forgets the saved admin password on request', async () => {
    const { ui } = await withUi([
      { kind: 'information', match: /was forgotten/, answer: () => undefined },
    ], () => Promise.resolve(vscode.commands.executeCommand('djangoPostgres.forgetAdminPassword')));
    ui.assertNoSurprises();
    assert.equal(await services.context.secrets.get(adminSecretKey()), undefined);
  });

  it('Save to .env writes a variable of the quick fix into the project\'s .env without showing its value', async () => {
    const settings = vscode.Uri.file(path.join(workspaceDir, 'config', 'settings.py'));
    const value = `moved-${randomBytes(6).toString('hex')}`;
    const { ui } = await withUi([
      { kind: 'information', match: /^Saved DPG_MOVED_SECRET in \.env/, answer: () => undefined },
    ], () => Promise.resolve(vscode.commands.executeCommand('djangoPostgres.writeDotenvVariable', settings.toString(), 'DPG_MOVED_SECRET', value)));
    ui.assertNoSurprises();
    assert.equal(dotenvValue('DPG_MOVED_SECRET'), value);
    assert.equal(dotenvValue('DB_USER'), role, 'the other variables stay');
    assert.equal(ui.allText().includes(value), false, 'the notification names the variable, not its value');
  });

  it('Generate PgBouncer config writes pgbouncer.ini and a SCRAM userlist.txt, and applies the settings changes from its diff', async () => {
    const settings = vscode.Uri.file(path.join(workspaceDir, 'config', 'settings.py'));
    const folder = path.join(workspaceDir, 'deploy', 'pgbouncer');
    const before = readFileSync(settings.fsPath, 'utf8');
    try {
      const { ui } = await withUi([
        { kind: 'quickPick', match: /pool mode/, answer: () => 'transaction' },
        { kind: 'input', match: /folder/, answer: (p) => p.value },
        { kind: 'information', match: /Apply the settings changes/, answer: () => 'Apply settings changes' },
        { kind: 'information', match: /userlist\.txt holds a new SCRAM secret/, answer: () => undefined },
      ], () => Promise.resolve(vscode.commands.executeCommand('djangoPostgres.generatePgBouncerConfig')));
      ui.assertNoSurprises();
      assert.equal(ui.find('input', /folder/)?.value, path.join('deploy', 'pgbouncer'), 'the folder defaults to deploy/pgbouncer');

      const ini = readFileSync(path.join(folder, 'pgbouncer.ini'), 'utf8');
      assert.match(ini, /^pool_mode = transaction$/m);
      assert.match(ini, /^auth_type = scram-sha-256$/m);
      const userlist = readFileSync(path.join(folder, 'userlist.txt'), 'utf8');
      assert.match(userlist, new RegExp(`^"${role}" "SCRAM-SHA-256\\$4096:`, 'm'));
      const appPassword = dotenvValue('DB_PASSWORD')!;
      assert.equal(userlist.includes(appPassword) || ini.includes(appPassword), false, 'the password is in neither file');

      // The settings were changed in the editor (not yet saved) as the diff showed.
      const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === settings.fsPath)!;
      const changed = document.getText();
      assert.match(changed, /'DISABLE_SERVER_SIDE_CURSORS': True/);
      assert.match(changed, /'CONN_MAX_AGE': 0/);
      assert.match(changed, /6432/);
      assert.equal(readFileSync(settings.fsPath, 'utf8'), before, 'nothing is saved behind the user\'s back');
    } finally {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === settings.fsPath);
      if (document?.isDirty) {
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      rmSync(path.join(workspaceDir, 'deploy'), { recursive: true, force: true });
    }
  });
});
