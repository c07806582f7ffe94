// The pipeline's own checks on one attempt, in memory: the change-set schema and path rules,
// base hashes, binary and size limits (validate.ts), then the impact analysis, whose type-check
// delta refuses an attempt that introduces errors. Nothing is stored.
import type { ChangeSet } from '../../proposals/changeSet';
import type { ImpactDiagnostic, ImpactReport } from '../../impact/types';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { QuickTypeCheck } from './quickCheck';
import type { WorkspaceFs } from '../../ports/workspaceFs';
import { workspaceReader } from '../../engine/context';
import { parseChangeSet, prepareChangeSet } from '../../proposals/validate';
import { isRustyError, RustyError } from '../../util/errors';
import type { AttemptVerdict, ChangeValidator, RepairKind } from './loop';
import { diagnosticLine } from './prompt';

export interface PipelineValidatorOptions {
  wfs: WorkspaceFs;
  maxFileBytes: number;
  /** Default: computeImpact (loaded lazily), reading through `wfs`. */
  impact?: (cs: ChangeSet, signal: AbortSignal | undefined) => Promise<ImpactReport>;
  /** Type errors listed back to the model per attempt. */
  maxDiagnostics?: number;
  /** false: skip the quick first type-check on the run's project (default on when the loop offers one). */
  quickCheck?: boolean;
}

function kindOf(code: string): RepairKind {
  return code === 'path-refused' ? 'path-refused' : code === 'invalid-change-set' ? 'invalid' : 'invalid';
}

export function pipelineValidator(opts: PipelineValidatorOptions): ChangeValidator {
  const impact = opts.impact ?? (async (cs, signal) => (await import('../../impact')).computeImpact(cs, {
    fs: workspaceReader(opts.wfs, signal), ...(signal ? { signal } : {}),
  }));
  const max = opts.maxDiagnostics ?? 20;
  return async (cs, signal, check = {}): Promise<AttemptVerdict> => {
    // Each edit on its own, so every refused path is reported (prepareChangeSet stops at the first).
    const refused: AttemptVerdict['refused'] = [];
    for (const edit of cs.edits) {
      try {
        const one = { ...cs, edits: [edit] };
        parseChangeSet(one);
        await prepareChangeSet(one, opts.wfs, { maxFileBytes: opts.maxFileBytes });
      } catch (err) {
        if (!isRustyError(err)) throw err;
        refused.push({ kind: kindOf(err.code), message: err.code === 'path-refused' ? `Refused: ${err.message}` : err.message });
      }
    }
    if (!refused.length) {
      try {
        await prepareChangeSet(cs, opts.wfs, { maxFileBytes: opts.maxFileBytes });
      } catch (err) {
        if (!isRustyError(err)) throw err;
        refused.push({ kind: kindOf(err.code), message: err.message });
      }
    }
    if (refused.length || check.typeCheck === false) return { refused };
    if (check.project && opts.quickCheck !== false) {
      // New type errors in the changed files or their direct importers refuse the attempt without
      // the full analysis (repair rounds stay cheap on a large workspace).
      const wp = await check.project();
      let quick = quickChecks.get(wp);
      if (!quick) quickChecks.set(wp, (quick = new QuickTypeCheck(wp)));
      const introduced = await quick.introduced(cs, signal);
      if (introduced.length) return { refused: [typeErrors(introduced, max)] };
    }
    let report: ImpactReport;
    try {
      report = await impact(cs, signal);
    } catch (err) {
      if (signal?.aborted || (isRustyError(err) && err.code === 'cancelled')) throw new RustyError('cancelled', 'Cancelled: nothing was proposed.');
      return { refused: [] }; // the analysis failed: the proposal carries `impact: { error }` from submit
    }
    const introduced = report.typeCheck.introduced;
    if (!introduced.length) return { refused: [], impact: report };
    return { impact: report, refused: [typeErrors(introduced, max)] };
  };
}

const quickChecks = new WeakMap<WorkspaceProject, QuickTypeCheck>();

function typeErrors(introduced: ImpactDiagnostic[], max: number): { kind: RepairKind; message: string } {
  const lines = introduced.slice(0, max).map(diagnosticLine);
  if (introduced.length > max) lines.push(`… ${introduced.length - max} more`);
  return { kind: 'type-errors', message: `The change introduces ${introduced.length} new type error${introduced.length === 1 ? '' : 's'}:\n${lines.join('\n')}` };
}
