// Bundles the CLI (ESM with code splitting, so ts-morph loads only when an engine runs)
// and writes the tiny CommonJS launcher named by package.json "bin".
import { build } from 'esbuild';
import { mkdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';

for (const out of ['dist/cli', 'dist/extension.js', 'dist/extension.js.map']) rmSync(out, { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer ESM entry points: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS deps (ts-morph) call require(); give the ESM bundle one.
  banner: {
    js: [
      "import { createRequire as __rustyCreateRequire } from 'node:module';",
      "import { fileURLToPath as __rustyFileURLToPath } from 'node:url';",
      "import { dirname as __rustyDirname } from 'node:path';",
      'const require = __rustyCreateRequire(import.meta.url);',
      'const __filename = __rustyFileURLToPath(import.meta.url);',
      'const __dirname = __rustyDirname(__filename);',
    ].join(' '),
  },
});

// The extension host loads CommonJS; `vscode` is provided by the host at run time.
await build({
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['vscode'],
  sourcemap: true,
  logLevel: 'warning',
});

const launcher = `#!/usr/bin/env node
'use strict';
import('./cli/main.mjs').then((m) => m.runCli(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write('rusty: internal error: ' + (err && err.stack || err) + '\\n'); process.exitCode = 1; },
);
`;
writeFileSync('dist/cli.js', launcher);
chmodSync('dist/cli.js', 0o755);
