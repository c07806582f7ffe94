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
    'ts-engine': 'scripts/bench/ts-engine.ts',
  },
  outdir: 'dist/bench',
});
