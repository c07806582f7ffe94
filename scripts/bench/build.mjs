// Bundles the checkpoint-vs-git benchmark (TypeScript, imports src/core directly) into
// dist/bench/checkpoint-vs-git.mjs. Independent of the main build: it only replaces dist/bench.
import { build } from 'esbuild';
import { esmNodeBundle } from '../esbuild-options.mjs';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

rmSync(`${root}dist/bench`, { recursive: true, force: true });
mkdirSync(`${root}dist/bench`, { recursive: true });

await build({
  ...esmNodeBundle,
  absWorkingDir: root,
  entryPoints: {
    'checkpoint-vs-git': 'scripts/bench/checkpoint-vs-git.ts',
    'mcp-call-overhead': 'scripts/bench/mcp-call-overhead.ts',
    'mcp-gate-search': 'scripts/bench/mcp-gate-search.ts',
    'ai-router': 'scripts/bench/ai-router.ts',
    'diff-rewrite': 'scripts/bench/diff-rewrite.ts',
    codemode: 'scripts/bench/codemode.ts',
    // The sandbox worker the code-mode benchmark starts (src/core/codemode/sandbox/workerFile.ts).
    codemodeWorker: 'src/core/codemode/sandbox/worker.ts',
    'ts-engine': 'scripts/bench/ts-engine.ts',
  },
  outdir: 'dist/bench',
});
