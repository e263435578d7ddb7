// The Debian packages the tests and the playground need, in one list. `npm test` and `npm start` run this
// first (pretest/prestart): missing packages are installed with apt-get when we are root (as on CI and the
// development machines here), otherwise the exact command is printed. `--list-missing` prints their names.
import { execFileSync, spawnSync } from 'node:child_process';

const PACKAGES = {
  postgresql: 'throw-away PostgreSQL clusters (initdb, postgres)',
  pgbouncer: 'PgBouncer in front of them',
  openssl: 'certificates for the TLS tests',
  'python3-django': "Debian's Django 3.2 for the fixture project",
  'python3-psycopg2': 'the driver Django 3.2 uses, and libpq for the oracle tests',
  'python3-psycopg': 'psycopg 3 for the PgBouncer prepared-statement tests',
  'python3-venv': 'venvs for Django 3.2 and 5.2',
  'python3-decouple': "python-decouple, a .env reader the differential test compares with (pip's cache has none)",
  'python3-django-environ': "django-environ, a .env reader the differential test compares with (pip's cache has none)",
  chromium: 'the browser that runs VS Code (code-server) in the real-workbench tests',
  ripgrep: "code-server's search (its own download is not reachable here)",
  'libkrb5-dev': "build headers for code-server's native modules",
  'build-essential': "compilers for code-server's native modules",
  neovim: "Neovim's built-in LSP client, driving the npm-installed language server",
  'emacs-nox': 'Emacs, whose eglot client drives the npm-installed language server',
  'elpa-eglot': 'eglot for Emacs 28 (built into Emacs 29)',
};

function missing() {
  return Object.keys(PACKAGES).filter((name) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return status.status !== 0 || !status.stdout.includes('install ok installed');
  });
}

const absent = missing();
if (process.argv.includes('--list-missing')) {
  if (absent.length) console.log(absent.join('\n'));
} else if (absent.length) {
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  console.log(`Debian packages needed: ${absent.map((name) => `${name} (${PACKAGES[name]})`).join(', ')}`);
  if (!canInstall) {
    console.error(`Install them first: sudo apt-get install -y ${absent.join(' ')}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...absent], { stdio: 'inherit', env });
}
