// Runs the AI agent benchmark: bundles scripts/bench/ai-agent.ts (it imports src/core directly,
// ts-morph included) into dist/bench/ai-agent.mjs, then runs it. Leaves the rest of dist/bench alone.
//
//   node scripts/bench/ai-agent.mjs        (knobs: see the top of ai-agent.ts)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esmNodeBundle } from '../esbuild-options.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
mkdirSync(`${root}dist/bench`, { recursive: true });

await build({
  ...esmNodeBundle,
  absWorkingDir: root,
  entryPoints: { 'ai-agent': 'scripts/bench/ai-agent.ts' },
  outdir: 'dist/bench',
  splitting: true,
  chunkNames: 'ai-agent-chunks/[name]-[hash]',
});

const res = spawnSync(process.execPath, [`${root}dist/bench/ai-agent.mjs`, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(res.status ?? 1);
