// Builds everything that ships: the CLI (ESM with code splitting, so ts-morph loads only when an
// engine runs) plus the tiny CommonJS launcher named by package.json "bin", the extension host
// bundle, and the three React webviews (Vite; one self-contained IIFE per view for the nonce CSP).
import { build } from 'esbuild';
import { esmNodeBundle, nodeBundle } from './esbuild-options.mjs';
import { createBuilder } from 'vite';
import { mkdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';

for (const out of ['dist/cli', 'dist/extension.js', 'dist/extension.js.map']) rmSync(out, { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

await build({
  ...esmNodeBundle,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  splitting: true,
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

// The extension host loads CommonJS; `vscode` is provided by the host at run time.
await build({
  ...nodeBundle,
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir: 'dist',
  format: 'cjs',
  external: ['vscode'],
});

await (await createBuilder({ configFile: 'webview-ui/vite.config.ts', logLevel: 'warn' })).buildApp();
