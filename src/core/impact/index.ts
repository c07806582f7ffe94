// Impact and validation of any proposal (src/core/impact). Load this module lazily: the analysis
// needs ts-morph (through src/core/util/loadTsMorph.ts), which must stay off activation paths.
// `createImpactProvider` is what the CLI and the extension hand to RustyCore (CoreOptions.impactProvider).
import type { ChangeSet } from '../proposals/changeSet';
import type { Proposal } from '../proposals/model';
import { computeImpact, type ComputeImpactOptions } from './computeImpact';
import { workspaceReader } from '../engine/context';
import type { ImpactContext, ImpactReport } from './types';

export { computeImpact, type ComputeImpactOptions } from './computeImpact';
export { changeSetFromProposal } from './fromProposal';
export { assessRisk, levelOf } from './risk';
export { DEFAULT_TEST_PATTERNS, isTestFile, touchesCode } from './classify';
export * from './types';

/** An impact provider for RustyCore: computes the impact of each submitted change set. */
export function createImpactProvider(defaults: Omit<ComputeImpactOptions, 'root' | 'fs' | 'signal' | 'readBlob'> = {}) {
  return (cs: ChangeSet, _proposal: Proposal, ctx: ImpactContext): Promise<ImpactReport> =>
    computeImpact(cs, { ...defaults, fs: workspaceReader(ctx.wfs, ctx.signal), ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.fullCheck ? { fullCheck: true } : {}) });
}
