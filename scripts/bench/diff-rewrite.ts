// Benchmark (not a test): the time to diff a full rewrite of a file of N lines, with the bounded
// diff proposals use (src/core/proposals/diff.ts: jsdiff up to MAX_EDIT_LENGTH changed lines or
// DIFF_TIMEOUT_MS, then the anchored fallback) against jsdiff's unbounded diff, which is
// quadratic in the changed lines. Also a scattered edit (every 20th line) that the anchored
// fallback still diffs line by line. Prints one line per size with both times and the ratio.
// Then the 3-way merge (src/core/checkpoints/merge3.ts, on the same bounded diff) against
// node-diff3's diff3Merge (Hunt–McIlroy LCS, what merge3 used before), on the same file where
// each side changes every 50th line (its candidate scan is quadratic even when lines are unique).
//
//   node scripts/bench/build.mjs && node dist/bench/diff-rewrite.mjs
//
// Knobs (environment): BENCH_DIFF_SIZES (1000,10000,90000), BENCH_DIFF_UNBOUNDED_MAX (10000: the
// unbounded diff of larger rewrites takes minutes; beyond this it is not run), BENCH_MERGE_SIZES
// (10000,40000), BENCH_MERGE_DIFF3_MAX (40000: node-diff3 runs out of memory near 150,000 lines).
import { performance } from 'node:perf_hooks';
import { structuredPatch } from 'diff';
import { diff3Merge } from 'node-diff3';
import { merge3 } from '../../src/core/checkpoints/merge3';
import { applyHunks, DIFF_CONTEXT, diffFile } from '../../src/core/proposals/diff';
import { intFromEnv } from './benchEnv';

const SIZES = (process.env.BENCH_DIFF_SIZES ?? '1000,10000,90000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const UNBOUNDED_MAX = intFromEnv('BENCH_DIFF_UNBOUNDED_MAX', 10_000, 0);
const MERGE_SIZES = (process.env.BENCH_MERGE_SIZES ?? '10000,40000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const DIFF3_MAX = intFromEnv('BENCH_MERGE_DIFF3_MAX', 40_000, 0);

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

const sourceLine = (i: number) => `export const value${i} = compute(${i}, "pad ${i}");`;
for (const n of MERGE_SIZES) {
  const base = text(n, sourceLine);
  const ours = text(n, (i) => (i % 50 === 1 ? `  return ours(${i});` : sourceLine(i)));
  const theirs = text(n, (i) => (i % 50 === 26 ? `  return theirs(${i});` : sourceLine(i)));
  let t0 = performance.now();
  const merged = merge3(base, ours, theirs);
  const mergeMs = ms(t0);
  if (!merged.clean || merged.text !== text(n, (i) => (i % 50 === 1 ? `  return ours(${i});` : i % 50 === 26 ? `  return theirs(${i});` : sourceLine(i)))) throw new Error(`merge3 of ${n} lines gave the wrong result`);
  let vs = 'node-diff3: not run';
  if (n <= DIFF3_MAX) {
    t0 = performance.now();
    diff3Merge(ours.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
    const diff3Ms = ms(t0);
    vs = `node-diff3 ${diff3Ms.toFixed(0)} ms, ratio ${(diff3Ms / mergeMs).toFixed(1)}×`;
  }
  console.log(`${String(n).padStart(6)} lines merge3 (each side changes every 50th line)  bounded ${mergeMs.toFixed(0)} ms  ${vs}`);
}
