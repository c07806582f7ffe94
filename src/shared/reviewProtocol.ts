// Review panel (one WebviewPanel per proposal) ⇄ extension host.
import type { ProgressView, ProposalDetailView, ProposalStatusView } from './proposalView';

export interface ReviewSnapshot {
  proposal: ProposalDetailView;
  /** Texts for side-by-side view, per file path (absent for binary files). Normalized to LF. */
  texts: Record<string, { before: string; after: string }>;
  progress?: ProgressView;
  /** What to do about a conflict / stale / failure, when the status calls for it. */
  guidance?: string;
  error?: string;
}

export interface ApproveParams {
  /** Whole files approved (paths as in FileView.path). */
  files: string[];
  /** Individual hunks approved (ids as in HunkView.id). */
  hunks: string[];
}

export interface ReviewProtocol {
  requests: {
    approve: { params: ApproveParams; result: { status: ProposalStatusView; applied: string[]; merged: string[] } };
    reject: { params: { reason: string }; result: { status: ProposalStatusView } };
    rollback: { params: { force: boolean }; result: { status: ProposalStatusView } };
    redo: { params: Record<string, never>; result: { status: ProposalStatusView } };
    /** Open VS Code's native diff editor for one file (rusty-proposal: content provider). */
    openDiff: { params: { path: string }; result: void };
    /** Open the workspace file at a line. */
    openFile: { params: { path: string; line?: number }; result: void };
  };
  notifications: {
    snapshot: ReviewSnapshot;
  };
}

export const REVIEW_REQUESTS = ['approve', 'reject', 'rollback', 'redo', 'openDiff', 'openFile'] as const satisfies readonly (keyof ReviewProtocol['requests'])[];
