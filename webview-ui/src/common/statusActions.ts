import type { ProposalStatusView } from '../protocol';

export interface StatusActions {
  approve: boolean;
  reject: boolean;
  rollback: boolean;
  redo: boolean;
}

/**
 * Which actions a proposal's status allows. Mirrors the core's state machine
 * (src/core/proposals/stateMachine.ts) so the views never offer what the core would refuse.
 */
export function actionsForStatus(status: ProposalStatusView): StatusActions {
  switch (status) {
    case 'pending':
    case 'conflicted':
    case 'failed':
      return { approve: true, reject: true, rollback: false, redo: false };
    case 'stale':
      // Computed on files that changed or vanished: it can only be rejected and made again.
      return { approve: false, reject: true, rollback: false, redo: false };
    case 'applied':
    case 'redone':
      return { approve: false, reject: false, rollback: true, redo: false };
    case 'partially-applied':
      // The rest can be approved; the applied parts roll back one at a time.
      return { approve: true, reject: false, rollback: true, redo: false };
    case 'rolled-back':
      return { approve: false, reject: false, rollback: false, redo: true };
    case 'approved':
    case 'partially-approved':
    case 'applying':
    case 'rejected':
      return { approve: false, reject: false, rollback: false, redo: false };
    default: {
      const unknown: never = status;
      void unknown;
      return { approve: false, reject: false, rollback: false, redo: false };
    }
  }
}

export type StatusTone = 'neutral' | 'info' | 'success' | 'warning' | 'error';

export function statusTone(status: ProposalStatusView): StatusTone {
  switch (status) {
    case 'pending':
      return 'info';
    case 'applied':
    case 'redone':
      return 'success';
    case 'partially-applied':
      return 'info';
    case 'conflicted':
    case 'stale':
      return 'warning';
    case 'failed':
      return 'error';
    default:
      return 'neutral';
  }
}

/** A rollback refused for overlapping later edits can be forced; the host marks such refusals. */
export function offersForce(error: { code: string; forceable?: boolean } | undefined): boolean {
  return !!error && error.code === 'conflict' && error.forceable === true;
}
