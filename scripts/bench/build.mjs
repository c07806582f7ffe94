// Bundles the checkpoint-vs-git benchmark (TypeScript, imports src/core directly) into
// dist/bench/checkpoint-vs-git.mjs. Independent of the main build: it only replaces dist/bench.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

rmSync(`${root}dist/bench`, { recursive: true, force: true });
mkdirSync(`${root}dist/bench`, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { 'checkpoint-vs-git': 'scripts/bench/checkpoint-vs-git.ts' },
  outdir: 'dist/bench',
  bundle: true,
  format: 'esm',
  platform: 'node',
  // Prefer ESM entry points: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS deps call require(); give the ESM bundle one (same banner as scripts/build.mjs).
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
