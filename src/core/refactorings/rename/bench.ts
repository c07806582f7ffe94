// Benchmark: a rename proposal vs the raw language-service findRenameLocations call it is built
// on, on the same workspace (the target is ≤ 1.5×). "Cold" = first call on a freshly
// loaded project (includes building the program and checker, as `rusty refactor rename` does);
// "warm" = the program is already built (as in a long-lived editor session). Medians of `runs`.
import { WorkspaceProject } from '../../ts/workspaceProject';
import type { Position } from '../api';
import { planRename, RENAME_PREFERENCES } from './engine';
import { proposeRename } from './index';
import { offsetAt, programFile } from './support';

export interface RenameBenchResult {
  symbol: string;
  newName: string;
  locations: number;
  files: number;
  rawColdMs: number;
  proposalColdMs: number;
  rawWarmMs: number;
  proposalWarmMs: number;
  /** Fastest warm runs: the intrinsic overhead without GC and scheduling noise. */
  rawWarmMinMs: number;
  proposalWarmMinMs: number;
  coldRatio: number;
  warmRatio: number;
  warmMinRatio: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function benchRename(root: string, file: string, at: Position, newName: string, runs = 3): Promise<RenameBenchResult> {
  const raw = (wp: WorkspaceProject): number => {
    // Not through programFile: on a fresh project the raw call must pay for building the program too.
    const sf = wp.sourceFile(file).compilerNode;
    const offset = offsetAt(sf, file, at);
    const ls = wp.project.getLanguageService().compilerObject;
    const t0 = performance.now();
    ls.findRenameLocations(sf.fileName, offset, false, false, RENAME_PREFERENCES);
    return performance.now() - t0;
  };
  const proposal = async (wp: WorkspaceProject): Promise<number> => {
    const t0 = performance.now();
    await proposeRename({ project: wp }, { file, at, newName });
    return performance.now() - t0;
  };
  const rawCold: number[] = [];
  const proposalCold: number[] = [];
  for (let i = 0; i < runs; i++) {
    rawCold.push(raw(await WorkspaceProject.load({ root })));
    proposalCold.push(await proposal(await WorkspaceProject.load({ root })));
  }
  const wp = await WorkspaceProject.load({ root });
  raw(wp);
  await proposal(wp);
  const rawWarm: number[] = [];
  const proposalWarm: number[] = [];
  for (let i = 0; i < runs * 20; i++) {
    rawWarm.push(raw(wp));
    proposalWarm.push(await proposal(wp));
  }
  const { sf } = programFile(wp, file);
  const plan = planRename(wp, { file, offset: offsetAt(sf, file, at), newName });
  const result = {
    symbol: plan.oldName,
    newName,
    locations: plan.locations.length,
    files: plan.texts.size,
    rawColdMs: median(rawCold),
    proposalColdMs: median(proposalCold),
    rawWarmMs: median(rawWarm),
    proposalWarmMs: median(proposalWarm),
    rawWarmMinMs: Math.min(...rawWarm),
    proposalWarmMinMs: Math.min(...proposalWarm),
  };
  return {
    ...result,
    coldRatio: result.proposalColdMs / result.rawColdMs,
    warmRatio: result.proposalWarmMs / result.rawWarmMs,
    warmMinRatio: result.proposalWarmMinMs / result.rawWarmMinMs,
  };
}

export function formatRenameBench(r: RenameBenchResult): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return `rename ${r.symbol} → ${r.newName} (${r.locations} locations in ${r.files} files): `
    + `cold proposal ${ms(r.proposalColdMs)} vs raw findRenameLocations ${ms(r.rawColdMs)} = ${r.coldRatio.toFixed(2)}×; `
    + `warm (program built) median ${ms(r.proposalWarmMs)} vs ${ms(r.rawWarmMs)} = ${r.warmRatio.toFixed(2)}×, `
    + `fastest ${ms(r.proposalWarmMinMs)} vs ${ms(r.rawWarmMinMs)} = ${r.warmMinRatio.toFixed(2)}× (target ≤ 1.5×)`;
}
