// Review panel (one WebviewPanel per proposal) ⇄ extension host.
import type { AlternativeView, AskingView, ProgressView, ProposalDetailView, ProposalStatusView } from './proposalView';

export interface ReviewSnapshot {
  proposal: ProposalDetailView;
  /** Texts for side-by-side view, per file path (absent for binary files). Normalized to LF. */
  texts: Record<string, { before: string; after: string }>;
  progress?: ProgressView;
  /** What to do about a conflict / stale / failure, when the status calls for it. */
  guidance?: string;
  error?: string;
  /** Competing AI proposals of the same task (this one included), best first. */
  alternatives?: { formula: string; items: AlternativeView[] };
}

/** The panel while a model works on "Rusty: Ask…"; it becomes the proposal's review panel after. */
export interface AskingSnapshot {
  asking: AskingView;
}

export type ReviewPanelSnapshot = ReviewSnapshot | AskingSnapshot;

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
    /** Stop the model ("Rusty: Ask…" in progress): nothing is queued. */
    cancelAsk: { params: Record<string, never>; result: void };
    /** Open the redacted AI transcript of the proposal (read-only). */
    openTranscript: { params: Record<string, never>; result: void };
    /** Show another proposal (an alternative) in its own review panel. */
    openProposal: { params: { id: string }; result: void };
    /** Branch, commit and GitHub pull request of the applied proposal (VS Code's GitHub sign-in). */
    openPullRequest: { params: { draft: boolean }; result: { number: number; url: string } };
    /** Type-check the proposal in full now (no size limit) and store the result with it. */
    checkNow: { params: Record<string, never>; result: void };
  };
  notifications: {
    snapshot: ReviewPanelSnapshot;
  };
}

export const REVIEW_REQUESTS = ['approve', 'reject', 'rollback', 'redo', 'openDiff', 'openFile', 'cancelAsk', 'openTranscript', 'openProposal', 'openPullRequest', 'checkNow'] as const satisfies readonly (keyof ReviewProtocol['requests'])[];
