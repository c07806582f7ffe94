// Builds everything that ships: the CLI (ESM with code splitting, so ts-morph loads only when an
// engine runs) plus the tiny CommonJS launcher named by package.json "bin", the extension host
// bundle, and the three React webviews (Vite; one self-contained IIFE per view for the nonce CSP).
import { build } from 'esbuild';
import { esmNodeBundle, nodeBundle, tsMorphFromEngines, zodEnglishOnly } from './esbuild-options.mjs';
import { createBuilder } from 'vite';
import { mkdirSync, writeFileSync, chmodSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';

for (const out of ['dist/cli', 'dist/extension.js', 'dist/extension.js.map', 'dist/container.js', 'dist/container.js.map', 'dist/engines.js', 'dist/engines.js.map', 'dist/mcp.js', 'dist/mcp.js.map', 'dist/ai.js', 'dist/ai.js.map', 'dist/gateway.js', 'dist/gateway.js.map', 'dist/github.js', 'dist/github.js.map', 'dist/action.mjs', 'dist/action.mjs.map', 'dist/codemodeWorker.mjs', 'dist/quickjs.wasm']) rmSync(out, { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

await build({
  ...esmNodeBundle,
  entryPoints: { main: 'src/cli/main.ts', codemodeWorker: 'src/core/codemode/sandbox/worker.ts' },
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
// The code-mode sandbox's QuickJS binary, next to its worker (src/core/codemode/sandbox/workerFile.ts).
copyFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), 'dist/cli/quickjs.wasm');
// The same worker as ONE file (no chunks) plus the QuickJS binary next to dist/gateway.js: the
// extension's gateway (execute_code) starts it from there (workerFile.ts looks next to its bundle).
await build({ ...esmNodeBundle, entryPoints: { codemodeWorker: 'src/core/codemode/sandbox/worker.ts' }, outdir: 'dist', sourcemap: false });
copyFileSync('dist/cli/quickjs.wasm', 'dist/quickjs.wasm');
// The GitHub Action's entry (action.yml): small; it loads the CLI bundle above at run time.
await build({ ...esmNodeBundle, entryPoints: { action: 'src/cli/actionMain.ts' }, outdir: 'dist', external: ['./cli/main.mjs'] });
chmodSync('dist/cli.js', 0o755);

// The extension host loads CommonJS; `vscode` is provided by the host at run time. A CommonJS
// bundle cannot be split, so the engines (ts-morph, 14 MB) are a second bundle that the
// extension require()s on first use — activation never parses them. Likewise the MCP client
// (@modelcontextprotocol/sdk, config readers, gate) is dist/mcp.js (src/extension/mcp/loadMcp.ts).
// dist/extension.js itself is only the activation stub: it registers stand-ins for the commands and
// require()s dist/container.js (the container, core, zod, providers and views) right after activate().
const extensionBundle = {
  ...nodeBundle,
  outdir: 'dist',
  format: 'cjs',
  external: ['vscode'],
  // Minified: activation time is mostly parsing dist/extension.js. Names are kept (error classes and
  // stack traces stay readable; the source maps map back to src/).
  minify: true,
  keepNames: true,
  // fdir (via tinyglobby) is ESM and calls createRequire(import.meta.url).
  define: { 'import.meta.url': '__rustyImportMetaUrl' },
  banner: { js: "const __rustyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await build({
  ...extensionBundle,
  entryPoints: { extension: 'src/extension/extension.ts', container: 'src/extension/container.ts', engines: 'src/extension/engines.ts', mcp: 'src/extension/mcp/mcpEngine.ts', github: 'src/extension/github/githubEngine.ts' },
  plugins: [zodEnglishOnly],
});
// The AI runtime, the agent loop and the model SDKs are dist/ai.js (src/extension/ai/loadAi.ts). Its
// type checks need ts-morph: it takes the one in dist/engines.js instead of a second 14 MB copy.
await build({
  ...extensionBundle,
  entryPoints: { ai: 'src/extension/ai/aiEngine.ts', gateway: 'src/extension/gateway/gatewayEngine.ts' },
  plugins: [tsMorphFromEngines],
});

await (await createBuilder({ configFile: 'webview-ui/vite.config.ts', logLevel: 'warn' })).buildApp();
