// Compose files as `docker compose` combines them: YAML anchors and merge keys, flow style, override
// files, env_file in its three spellings, interpolation from the shell and the project's .env; and
// the .env a Django container really gets when HOST names a compose service.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettingsFile } from '../../server/src/model/resolve';
import { containerEnvironment, findComposeFiles, parseCompose, readComposeProject } from '../../server/src/project/compose';
import { lookupEnvironmentOf, pythonFilesOnDisk } from '../../server/src/project/projectDotenv';

describe('compose files (yaml package)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'django-postgres-compose-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('anchors, merge keys and flow style', () => {
    const file = parseCompose([
      'x-common: &common',
      '  image: "postgres:17"',
      '  environment: &env { POSTGRES_USER: app, POSTGRES_DB: shop }',
      'services:',
      '  db:',
      '    <<: *common',
      '    ports: ["127.0.0.1:5433:5432", {target: 5432, published: "15432"}]',
      '  replica: {<<: *common, environment: {<<: *env, POSTGRES_DB: replica}}',
    ].join('\n'), '/p/compose.yaml');
    const [db, replica] = file.services;
    assert.deepEqual([db.name, db.image, db.environment], ['db', 'postgres:17', { POSTGRES_USER: 'app', POSTGRES_DB: 'shop' }]);
    assert.deepEqual(db.ports, [{ target: 5432, published: 5433, hostIp: '127.0.0.1' }, { target: 5432, published: 15432, hostIp: undefined }]);
    assert.deepEqual([replica.image, replica.environment], ['postgres:17', { POSTGRES_USER: 'app', POSTGRES_DB: 'replica' }]);
  });

  it('env_file as a string, a list and the long syntax with path and required, relative to the compose file', () => {
    const file = parseCompose([
      'services:',
      '  a: { build: ., env_file: .env }',
      '  b:',
      '    env_file: [common.env, ./b.env]',
      '  c:',
      '    env_file:',
      '      - path: ./default.env',
      '        required: true',
      '      - path: ./override.env',
      '        required: false',
      '      - path: raw.env',
      '        format: raw',
    ].join('\n'), '/p/compose.yaml');
    const paths = file.services.map((s) => s.envFiles.map((e) => `${e.path}${e.required ? '' : '?'}${e.raw ? ' raw' : ''}`));
    assert.deepEqual(paths, [['/p/.env'], ['/p/common.env', '/p/b.env'], ['/p/default.env', '/p/override.env?', '/p/raw.env raw']]);
    assert.equal(file.services[0].build, true);
  });

  it('compose.yaml + compose.override.yaml, interpolated from the shell over the project .env: ${VAR}, ${VAR:-d}, ${VAR-d}, $$', () => {
    writeFileSync(join(dir, 'compose.yaml'), [
      'services:',
      '  db:',
      '    image: postgres:${PG_MAJOR:-16}',
      '    ports: ["${DB_PORT}:5432"]',
      '    environment:',
      '      POSTGRES_PASSWORD: ${DB_PASSWORD}',
      '      EMPTY_DASH: ${EMPTY-dash}',
      '      EMPTY_COLON: ${EMPTY:-colon}',
      '      DOLLARS: pa$$word',
      '      FROM_SHELL:',
    ].join('\n'));
    writeFileSync(join(dir, 'compose.override.yaml'), 'services:\n  db:\n    image: postgres:17\n    ports: ["127.0.0.1:6543:5432"]\n    environment: [EXTRA=1]\n');
    writeFileSync(join(dir, '.env'), 'DB_PORT=5433\nDB_PASSWORD="s3cr#t"  # compose reads quoted values\nEMPTY=\n');
    const files = findComposeFiles(join(dir, 'app'), dir, (f) => f.startsWith(dir) && !f.includes('app') && ['compose.yaml', 'compose.override.yaml', '.env'].some((n) => f.endsWith(n)));
    assert.deepEqual(files, [join(dir, 'compose.yaml'), join(dir, 'compose.override.yaml')]);
    const project = readComposeProject(files, { DB_PASSWORD: 'from-shell', FROM_SHELL: 'shell-value' })!;
    const db = project.services[0];
    assert.equal(db.image, 'postgres:17', 'the override wins');
    assert.deepEqual(db.ports, [{ target: 5432, published: 5433, hostIp: undefined }, { target: 5432, published: 6543, hostIp: '127.0.0.1' }]);
    assert.deepEqual(db.environment, { POSTGRES_PASSWORD: 'from-shell', EMPTY_DASH: '', EMPTY_COLON: 'colon', DOLLARS: 'pa$word', FROM_SHELL: null, EXTRA: '1' });
    assert.deepEqual(containerEnvironment(db, { FROM_SHELL: 'shell-value' }, {}).environment.FROM_SHELL, 'shell-value');
    assert.equal(readComposeProject([join(dir, 'compose.yaml')], {})!.services[0].environment.POSTGRES_PASSWORD, 's3cr#t', 'from the project .env');
  });

  it('a file that is not YAML gives no project (and no exception)', () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  db: [unclosed\n');
    assert.equal(readComposeProject([join(dir, 'compose.yaml')]), undefined);
  });

  it('HOST is a compose service: the settings read the app container\'s env_file with compose\'s rules', () => {
    mkdirSync(join(dir, 'mysite'));
    writeFileSync(join(dir, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
    const settings = join(dir, 'mysite', 'settings.py');
    writeFileSync(settings, "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': os.environ.get('DB_HOST', 'localhost'), 'PASSWORD': os.environ.get('DB_PASSWORD'), 'USER': os.environ.get('DB_USER')}}\n");
    writeFileSync(join(dir, 'compose.yaml'), [
      'x-app: &app',
      '  build: .',
      '  env_file: [.env, {path: docker.env, required: false}]',
      'services:',
      '  web:',
      '    <<: *app',
      '    environment: {DB_USER: "${COMPOSE_USER:-app}"}',
      '  db: {image: postgres:17}',
    ].join('\n'));
    // `$word` is expanded by compose and kept by python-dotenv: the two readers disagree on this file.
    writeFileSync(join(dir, '.env'), 'DB_HOST=db\nDB_PASSWORD=pa$word\nword=XYZ\n');
    const env = lookupEnvironmentOf(settings, { workspaceRoot: dir, environ: { DB_USER: 'editor-user' }, python: pythonFilesOnDisk() });
    const [db] = resolveSettingsFile(settings, env);
    assert.deepEqual([db.host.value, db.password.value, db.user.value], ['db', 'paXYZ', 'app']);
    assert.match(env.dotenvOrigins!.DB_PASSWORD.description, /env_file` of compose service "web" in compose\.yaml \(docker compose env_file\)/);
    assert.deepEqual(env.dotenvTarget, { file: join(dir, '.env'), reader: { kind: 'compose' } });

    // Without a compose service as HOST, python-dotenv's rules apply to the same file.
    writeFileSync(join(dir, '.env'), 'DB_HOST=localhost\nDB_PASSWORD=pa$word\nword=XYZ\n');
    const local = resolveSettingsFile(settings, lookupEnvironmentOf(settings, { workspaceRoot: dir, environ: {}, python: pythonFilesOnDisk() }))[0];
    assert.equal(local.password.value, 'pa$word');
  });
});
