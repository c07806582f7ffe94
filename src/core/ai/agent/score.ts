// Competing proposals are ranked from measured facts only (the impact analysis of each validated
// candidate and how many repairs it needed); the formula is fixed, printed and stored with them.
import type { ImpactReport } from '../../impact/types';

export interface CandidateFacts {
  /** Type errors the change introduces / removes (type-check delta). */
  introduced: number;
  removed: number;
  /** Test files that reach the change (import graph). */
  testsReached: number;
  /** Lines added + removed (the proposal's diff). */
  diffLines: number;
  /** Exports of the package entry points that change. */
  publicApiChanges: number;
  /** The impact analysis' risk score, 0–100. */
  risk: number;
  /** Refused attempts before this one was accepted. */
  repairRounds: number;
}

export const SCORE_FORMULA =
  'score = 100 − 25·introduced + 5·min(removed, 4) + 5·[testsReached > 0] − min(diffLines/10, 20) − 5·min(publicApiChanges, 4) − 0.2·risk − 5·repairRounds';

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scoreOf(f: CandidateFacts): number {
  return round1(100 - 25 * f.introduced + 5 * Math.min(f.removed, 4) + (f.testsReached > 0 ? 5 : 0)
    - Math.min(f.diffLines / 10, 20) - 5 * Math.min(f.publicApiChanges, 4) - 0.2 * f.risk - 5 * f.repairRounds);
}

export function factsOf(impact: ImpactReport | undefined, diffLines: number, repairRounds: number): CandidateFacts {
  return {
    introduced: impact?.typeCheck.introduced.length ?? 0,
    removed: impact?.typeCheck.removed.length ?? 0,
    testsReached: impact?.tests.length ?? 0,
    diffLines,
    publicApiChanges: impact?.publicApi.changes.length ?? 0,
    risk: impact?.risk.score ?? 0,
    repairRounds,
  };
}

/** Best first; ties keep the candidates' order. */
export function rank<T extends { score: number }>(items: T[]): T[] {
  return items.map((x, i) => ({ x, i })).sort((a, b) => b.x.score - a.x.score || a.i - b.i).map(({ x }) => x);
}
