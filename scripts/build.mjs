// Bundles the client, the language server and the CLI with esbuild.
import * as esbuild from 'esbuild';

// Minified by default: smaller bundles load faster (server start is measured by npm run bench).
const production = !process.argv.includes('--dev');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // `pg` optionally requires the native binding; we never use it.
  external: ['vscode', 'pg-native'],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // `django-postgres-language-server`: a small front for dist/server.js (kept external, not bundled twice).
  { entryPoints: ['server/src/languageServerMain.ts'], outfile: 'dist/language-server.js', banner: { js: '#!/usr/bin/env node' }, external: [...common.external, './server.js'] },
];

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
