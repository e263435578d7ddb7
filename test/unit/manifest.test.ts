// The extension manifest against what VS Code users expect: Restricted Mode and virtual workspaces are
// declared honestly, commands and settings are complete and self-explaining, activation is narrow, every
// contributed command exists in the client, and the Getting Started walkthrough's files and events are real.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Command { command: string; title?: string; category?: string }
interface Setting {
  type?: string | string[];
  default?: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
}
interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { image?: string | Record<string, string>; markdown?: string; svg?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  activationEvents?: string[];
  icon?: string;
  categories?: string[];
  keywords?: string[];
  repository?: { url?: string };
  bugs?: { url?: string };
  homepage?: string;
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: Command[];
    configuration: { properties: Record<string, Setting> };
    walkthroughs?: { id: string; title: string; description: string; steps: WalkthroughStep[] }[];
    languages?: { id: string }[];
  };
}

const manifest = JSON.parse(read('package.json')) as Manifest;
const settings = Object.entries(manifest.contributes.configuration.properties);

/** Command ids registered by the client: the keys of the `commands` object literal in commands/index.ts. */
function registeredCommandIds(): string[] {
  return [...read('client/src/commands/index.ts').matchAll(/^\s*'(djangoPostgres\.[\w.]+)'\s*:/gm)].map((m) => m[1]);
}

describe('extension manifest (package.json)', () => {
  describe('workspace trust and virtual workspaces', () => {
    it('supports untrusted workspaces in a limited way, explains it, and restricts the setting that names an executable', () => {
      const trust = manifest.capabilities?.untrustedWorkspaces;
      assert.equal(trust?.supported, 'limited');
      assert.match(trust?.description ?? '', /trust/i);
      const executableSettings = settings.filter(([key]) => /python|command|executable|path$/i.test(key)).map(([key]) => key);
      assert.deepEqual(executableSettings, ['djangoPostgres.pythonCommand']);
      for (const key of executableSettings) assert.ok(trust?.restrictedConfigurations?.includes(key), `${key} is restricted in untrusted workspaces`);
    });

    it('declares limited virtual-workspace support with a reason', () => {
      const virtual = manifest.capabilities?.virtualWorkspaces;
      assert.ok(typeof virtual === 'object', 'virtualWorkspaces is an object with a description');
      assert.equal(virtual.supported, 'limited');
      assert.match(virtual.description ?? '', /local folder/i);
    });
  });

  describe('commands', () => {
    const commands = manifest.contributes.commands;

    it('each have a title and the "Django Postgres" category', () => {
      assert.ok(commands.length >= 7);
      for (const command of commands) {
        assert.ok(command.title && command.title.trim().length > 3, `${command.command} has a title`);
        assert.equal(command.category, 'Django Postgres', `${command.command} is in the Django Postgres category`);
      }
    });

    it('are all registered by the client, and the client registers no undeclared one', () => {
      const registered = registeredCommandIds();
      const declared = commands.map((c) => c.command);
      assert.deepEqual(declared.filter((id) => !registered.includes(id)), [], 'contributed commands the client does not register');
      assert.deepEqual(registered.filter((id) => !declared.includes(id)), [], 'registered commands missing from contributes.commands');
    });
  });

  describe('settings', () => {
    it('each have a description, a default and a scope', () => {
      assert.ok(settings.length >= 5);
      for (const [key, setting] of settings) {
        assert.ok(key.startsWith('djangoPostgres.'), `${key} is under djangoPostgres.`);
        assert.ok((setting.description ?? setting.markdownDescription ?? '').length > 15, `${key} has a description`);
        assert.ok('default' in setting, `${key} has a default`);
        assert.ok(['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'].includes(setting.scope ?? ''),
          `${key} has a scope (got ${String(setting.scope)})`);
      }
    });

    it('with an enum describe each value, and their default is one of the values', () => {
      for (const [key, setting] of settings.filter(([, s]) => s.enum)) {
        const descriptions = setting.enumDescriptions ?? setting.markdownEnumDescriptions;
        assert.equal(descriptions?.length, setting.enum?.length, `${key} has one description per value`);
        assert.ok(setting.enum?.includes(setting.default), `${key}'s default is one of its values`);
      }
    });

    it('include every key the client reads through config.ts', () => {
      const source = read('client/src/config.ts');
      const read_ = [...source.matchAll(/section\.get(?:<[^>]*>)?\('([\w.]+)'/g), ...source.matchAll(/section\.get\('([\w.]+)'\)/g)].map((m) => m[1]);
      assert.ok(read_.length >= 5);
      const declared = settings.map(([key]) => key);
      for (const key of read_) {
        const full = `djangoPostgres.${key}`;
        assert.ok(declared.some((d) => d === full || d.startsWith(`${full}.`)), `${full} is declared in contributes.configuration`);
      }
    });
  });

  describe('activation and packaging', () => {
    it('activates on a Django workspace, the pgbouncer.ini language or a command, never on "*"', () => {
      const events = manifest.activationEvents ?? [];
      assert.ok(!events.includes('*'), 'no "*" activation');
      assert.ok(!events.includes('onStartupFinished'), 'no activation on every startup');
      assert.ok(events.includes('workspaceContains:**/manage.py'));
      assert.ok(events.some((e) => e.startsWith('workspaceContains:') && e.includes('settings')));
      assert.ok(events.includes('onLanguage:pgbouncer-ini'));
      assert.ok(manifest.contributes.languages?.some((l) => l.id === 'pgbouncer-ini'), 'the pgbouncer-ini language is contributed');
      // Contributed commands activate the extension by themselves since VS Code 1.74 (engines.vscode is newer).
      for (const event of events) assert.match(event, /^(workspaceContains:|onLanguage:|onCommand:djangoPostgres\.|onWalkthrough:)/);
    });

    it('has an icon, categories, keywords, repository, bugs, homepage, LICENSE and CHANGELOG', () => {
      assert.ok(manifest.icon && existsSync(join(root, manifest.icon)), 'the icon file exists');
      assert.ok((manifest.categories ?? []).length > 0);
      assert.ok((manifest.keywords ?? []).length >= 3);
      assert.match(manifest.repository?.url ?? '', /^https:\/\//);
      assert.match(manifest.bugs?.url ?? '', /^https:\/\//);
      assert.match(manifest.homepage ?? '', /^https:\/\//);
      assert.ok(existsSync(join(root, 'LICENSE')));
      assert.ok(existsSync(join(root, 'CHANGELOG.md')));
    });
  });

  describe('Getting Started walkthrough', () => {
    const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === 'djangoPostgres.gettingStarted');
    const steps = walkthrough?.steps ?? [];

    it('has six steps in order, from an empty folder, each with a command button', () => {
      assert.ok(walkthrough, 'djangoPostgres.gettingStarted is contributed');
      const commandOf = (step: WalkthroughStep) => /\(command:(djangoPostgres\.\w+)/.exec(step.description)?.[1];
      assert.deepEqual(steps.map(commandOf), [
        'djangoPostgres.newProject', 'djangoPostgres.checkPostgresRunning', 'djangoPostgres.createDatabase', 'djangoPostgres.insertDatabasesBlock',
        'djangoPostgres.testConnection', 'djangoPostgres.runMigrate',
      ]);
    });

    it('completes each step on a context key the client sets on success, not on the button click', () => {
      const client = read('client/src/walkthrough.ts');
      const keys = steps.map((step) => {
        const events = step.completionEvents ?? [];
        assert.equal(events.length, 1, `step ${step.id} has one completion event`);
        assert.ok(!events[0].startsWith('onCommand:'), `step ${step.id} does not complete merely by running its command`);
        const key = /^onContext:(djangoPostgres\.walkthrough\.\w+)$/.exec(events[0])?.[1];
        assert.ok(key, `step ${step.id} completes on a djangoPostgres.walkthrough context key`);
        assert.ok(client.includes(`'${key}'`), `client/src/walkthrough.ts defines ${key}`);
        return key;
      });
      assert.equal(new Set(keys).size, keys.length, 'each step has its own key');
    });

    it('has a Markdown page per step whose images exist', () => {
      for (const step of steps) {
        const page = step.media.markdown;
        assert.ok(page && /^walkthrough\/[\w-]+\.md$/.test(page), `step ${step.id} has a walkthrough/*.md page`);
        assert.ok(existsSync(join(root, page)), `${page} exists`);
        const images = [...read(page).matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)];
        assert.ok(images.length >= 1, `${page} shows an image of the step`);
        for (const [, alt, image] of images) {
          assert.ok(alt.length > 10, `${page}: the image ${image} has alt text`);
          assert.match(image, /\.(svg|png)$/);
          assert.ok(existsSync(join(root, dirname(page), image)), `${page}: ${image} exists`);
        }
      }
    });

    it('ships only files the pages use, all small', () => {
      const used = new Set(steps.flatMap((step) => [step.media.markdown ?? '',
        ...[...read(step.media.markdown ?? '').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => join('walkthrough', m[1]))]));
      for (const file of readdirSync(join(root, 'walkthrough'))) {
        assert.ok(used.has(join('walkthrough', file)), `walkthrough/${file} is used by a step`);
        assert.ok(readFileSync(join(root, 'walkthrough', file)).length < 64 * 1024, `walkthrough/${file} is under 64 KB`);
      }
    });
  });
});
