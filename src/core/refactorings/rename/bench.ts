// Benchmark: a rename proposal vs the raw language-service findRenameLocations call it is built
// on, on the same workspace, file and position (the target is ≤ 1.5×).
// - "Cold" = first call on a freshly loaded project (includes building the program and checker,
//   as `rusty refactor rename` does). One throwaway round first, so neither side pays for
//   loading and JIT-compiling TypeScript alone; then the order alternates per round.
// - "Warm" = the program is already built (as in a long-lived editor session). Both sides warm up
//   first, then run interleaved in alternating order (raw→proposal, proposal→raw), so machine
//   load, GC and CPU-frequency phases hit both alike. Medians over `warmRuns` pairs, plus the
//   median of the per-pair ratios and the fastest runs. Each run also records the process's CPU
//   time (process.cpuUsage: all its threads, so GC work counts), which time slices lost to other
//   processes do not inflate: the steadiest figure on a shared machine.
import { WorkspaceProject } from '../../ts/workspaceProject';
import type { Position } from '../api';
import { planRename, RENAME_PREFERENCES } from './engine';
import { proposeRename } from './index';
import { offsetAt, programFile } from './support';

export interface RenameBenchOptions {
  /** Fresh-project rounds for the cold figures (default 3). */
  coldRuns?: number;
  /** Interleaved pairs for the warm figures (default 120, at least 60). */
  warmRuns?: number;
}

export interface RenameBenchResult {
  symbol: string;
  newName: string;
  locations: number;
  files: number;
  coldRuns: number;
  warmRuns: number;
  rawColdMs: number;
  proposalColdMs: number;
  rawWarmMs: number;
  proposalWarmMs: number;
  /** Fastest warm runs: the intrinsic overhead without GC and scheduling noise. */
  rawWarmMinMs: number;
  proposalWarmMinMs: number;
  coldRatio: number;
  /** Median proposal time / median raw time. */
  warmRatio: number;
  /** Median of proposal/raw over adjacent pairs. */
  warmPairRatio: number;
  warmMinRatio: number;
  /** Median CPU time of the warm runs (process.cpuUsage, user + system). */
  rawWarmCpuMs: number;
  proposalWarmCpuMs: number;
  warmCpuRatio: number;
}

interface Sample { ms: number; cpuMs: number }

async function timed(run: () => unknown): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function benchRename(root: string, file: string, at: Position, newName: string, opts: RenameBenchOptions = {}): Promise<RenameBenchResult> {
  const coldRuns = Math.max(1, opts.coldRuns ?? 3);
  const warmRuns = Math.max(60, opts.warmRuns ?? 120);
  // Only the language-service call is timed (looking up the file and offset is not), and it is
  // not handed a pre-built program: on a fresh project it pays for building it, as the proposal does.
  const raw = (wp: WorkspaceProject): Promise<Sample> => {
    const sf = wp.sourceFile(file).compilerNode;
    const offset = offsetAt(sf, file, at);
    const ls = wp.project.getLanguageService().compilerObject;
    return timed(() => ls.findRenameLocations(sf.fileName, offset, false, false, RENAME_PREFERENCES));
  };
  const proposal = (wp: WorkspaceProject): Promise<Sample> => timed(() => proposeRename({ project: wp }, { file, at, newName }));

  const load = () => WorkspaceProject.load({ root });
  await raw(await load());
  await proposal(await load());
  const rawCold: Sample[] = [];
  const proposalCold: Sample[] = [];
  for (let i = 0; i < coldRuns; i++) {
    if (i % 2 === 0) {
      rawCold.push(await raw(await load()));
      proposalCold.push(await proposal(await load()));
    } else {
      proposalCold.push(await proposal(await load()));
      rawCold.push(await raw(await load()));
    }
  }

  const wp = await load();
  for (let i = 0; i < 5; i++) {
    await raw(wp);
    await proposal(wp);
  }
  const rawWarm: Sample[] = [];
  const proposalWarm: Sample[] = [];
  for (let i = 0; i < warmRuns; i++) {
    if (i % 2 === 0) {
      rawWarm.push(await raw(wp));
      proposalWarm.push(await proposal(wp));
    } else {
      proposalWarm.push(await proposal(wp));
      rawWarm.push(await raw(wp));
    }
  }

  const { sf } = programFile(wp, file);
  const plan = planRename(wp, { file, offset: offsetAt(sf, file, at), newName });
  const result = {
    symbol: plan.oldName,
    newName,
    locations: plan.locations.length,
    files: plan.texts.size,
    coldRuns,
    warmRuns,
    rawColdMs: median(rawCold.map((s) => s.ms)),
    proposalColdMs: median(proposalCold.map((s) => s.ms)),
    rawWarmMs: median(rawWarm.map((s) => s.ms)),
    proposalWarmMs: median(proposalWarm.map((s) => s.ms)),
    rawWarmMinMs: Math.min(...rawWarm.map((s) => s.ms)),
    proposalWarmMinMs: Math.min(...proposalWarm.map((s) => s.ms)),
    rawWarmCpuMs: median(rawWarm.map((s) => s.cpuMs)),
    proposalWarmCpuMs: median(proposalWarm.map((s) => s.cpuMs)),
  };
  return {
    ...result,
    coldRatio: result.proposalColdMs / result.rawColdMs,
    warmRatio: result.proposalWarmMs / result.rawWarmMs,
    warmPairRatio: median(proposalWarm.map((p, i) => p.ms / rawWarm[i]!.ms)),
    warmMinRatio: result.proposalWarmMinMs / result.rawWarmMinMs,
    warmCpuRatio: result.proposalWarmCpuMs / result.rawWarmCpuMs,
  };
}

export function formatRenameBench(r: RenameBenchResult): string {
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const x = (n: number) => `${n.toFixed(2)}×`;
  return [
    `rename ${r.symbol} → ${r.newName} (${r.locations} locations in ${r.files} files), proposal vs raw findRenameLocations (target ≤ 1.5×):`,
    `  cold (fresh project, median of ${r.coldRuns}): ${ms(r.proposalColdMs)} vs ${ms(r.rawColdMs)} = ${x(r.coldRatio)}`,
    `  warm (program built, ${r.warmRuns} interleaved pairs): median ${ms(r.proposalWarmMs)} vs ${ms(r.rawWarmMs)} = ${x(r.warmRatio)}; `
      + `median pair ratio ${x(r.warmPairRatio)}; fastest ${ms(r.proposalWarmMinMs)} vs ${ms(r.rawWarmMinMs)} = ${x(r.warmMinRatio)}; `
      + `median CPU time ${ms(r.proposalWarmCpuMs)} vs ${ms(r.rawWarmCpuMs)} = ${x(r.warmCpuRatio)}`,
  ].join('\n');
}
