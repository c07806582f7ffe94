// Runs the analysis benchmark: bundles scripts/bench/analysis.ts (it imports src/core directly,
// ts-morph included) into dist/bench/analysis.mjs, then runs it. Leaves the rest of dist/bench alone.
//
//   node scripts/bench/analysis.mjs        (knobs: see the top of analysis.ts)
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
  entryPoints: { analysis: 'scripts/bench/analysis.ts' },
  outdir: 'dist/bench',
  // Split like the CLI's own bundle: a measured child loads what `rusty analyze` loads, not ts-morph
  // (only the referee uses it) parsed at start-up.
  splitting: true,
  chunkNames: 'analysis-chunks/[name]-[hash]',
});

const res = spawnSync(process.execPath, [`${root}dist/bench/analysis.mjs`, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(res.status ?? 1);
