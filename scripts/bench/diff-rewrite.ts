// Benchmark (not a test): the time to diff a full rewrite of a file of N lines, with the bounded
// diff proposals use (src/core/proposals/diff.ts: jsdiff up to MAX_EDIT_LENGTH changed lines or
// DIFF_TIMEOUT_MS, then the anchored fallback) against jsdiff's unbounded diff, which is
// quadratic in the changed lines. Also a scattered edit (every 20th line) that the anchored
// fallback still diffs line by line. Prints one line per size with both times and the ratio.
//
//   node scripts/bench/build.mjs && node dist/bench/diff-rewrite.mjs
//
// Knobs (environment): BENCH_DIFF_SIZES (1000,10000,90000), BENCH_DIFF_UNBOUNDED_MAX (10000: the
// unbounded diff of larger rewrites takes minutes; beyond this it is not run).
import { performance } from 'node:perf_hooks';
import { structuredPatch } from 'diff';
import { applyHunks, DIFF_CONTEXT, diffFile } from '../../src/core/proposals/diff';
import { intFromEnv } from './benchEnv';

const SIZES = (process.env.BENCH_DIFF_SIZES ?? '1000,10000,90000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const UNBOUNDED_MAX = intFromEnv('BENCH_DIFF_UNBOUNDED_MAX', 10_000, 0);

const text = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n';
const ms = (t0: number) => performance.now() - t0;

for (const n of SIZES) {
  const before = text(n, (i) => `export const value${i} = compute(${i}, "pad ${i}");`);
  for (const [label, after] of [
    ['rewrite', text(n, (i) => `export let renamed${i} = other(${i * 3}, "x ${i}");`)],
    ['scattered', text(n, (i) => (i % 20 === 0 ? `export const value${i} = changed(${i});` : `export const value${i} = compute(${i}, "pad ${i}");`))],
  ] as const) {
    let t0 = performance.now();
    const bounded = diffFile('f.ts', before, after);
    const boundedMs = ms(t0);
    if (applyHunks(before, bounded.hunks) !== after) throw new Error(`bounded diff of ${n} lines (${label}) does not reproduce the new text`);
    let unboundedMs: number | undefined;
    if (n <= UNBOUNDED_MAX) {
      t0 = performance.now();
      structuredPatch('f.ts', 'f.ts', before, after, undefined, undefined, { context: DIFF_CONTEXT });
      unboundedMs = ms(t0);
    }
    const size = `${(before.length / 1e6).toFixed(1)} MB`;
    const how = bounded.simplified ? `simplified (${bounded.simplified.reason}), ${bounded.hunks.length} hunk(s)` : `exact, ${bounded.hunks.length} hunk(s)`;
    const vs = unboundedMs === undefined ? 'unbounded: not run' : `unbounded ${unboundedMs.toFixed(0)} ms, ratio ${(unboundedMs / boundedMs).toFixed(1)}×`;
    console.log(`${String(n).padStart(6)} lines (${size}) ${label.padEnd(9)}  bounded ${boundedMs.toFixed(0)} ms [${how}]  ${vs}`);
  }
}
