// Sidebar approval panel (WebviewView "rusty.approvals") ⇄ extension host.
import type { ProposalCardView, ProposalStatusView } from './proposalView';

/** A submission the agent gateway refused (a dead letter): untrusted text, shown with hidden characters visible. */
export interface DeadLetterView {
  /** The submission's ticket. */
  id: string;
  /** The gateway client (agent) that sent it. */
  client: string;
  title?: string;
  kind: string;
  /** Error code (usage, validation, conflict, …) and the reason in words. */
  code: string;
  reason: string;
  failedAt: string;
}

export interface ApprovalsSnapshot {
  workspaceName: string;
  /** Queue order: pending first by priority, then recent. */
  proposals: ProposalCardView[];
  pendingCount: number;
  /** Set while the host is busy (e.g. running "Review Workspace"). */
  busy?: { label: string };
  /** Last error to show as a banner, in words a person can act on. */
  error?: string;
  /** No folder open, or the folder is not a local file system. */
  noWorkspace?: boolean;
  /** The agent gateway's refused submissions, newest first; absent when there are none. */
  deadLetters?: DeadLetterView[];
}

export interface ApprovalsProtocol {
  requests: {
    /** Open the review panel for a proposal. */
    review: { params: { id: string }; result: void };
    /** Approve the whole proposal (partial approval happens in the review panel). */
    approve: { params: { id: string }; result: { status: ProposalStatusView; applied: string[] } };
    reject: { params: { id: string; reason: string }; result: { status: ProposalStatusView } };
    rollback: { params: { id: string }; result: { status: ProposalStatusView } };
    redo: { params: { id: string }; result: { status: ProposalStatusView } };
    /** Run "Rusty: Review Workspace". */
    reviewWorkspace: { params: Record<string, never>; result: { created: number } };
    openAuditLog: { params: Record<string, never>; result: void };
    /** Branch, commit and GitHub pull request of an applied proposal. */
    openPullRequest: { params: { id: string }; result: { number: number; url: string } };
    /** Remove one refused submission from the gateway's dead-letter list. */
    dismissDeadLetter: { params: { id: string }; result: { removed: number } };
    /** Remove every refused submission. */
    clearDeadLetters: { params: Record<string, never>; result: { removed: number } };
  };
  notifications: {
    snapshot: ApprovalsSnapshot;
  };
}

export const APPROVALS_REQUESTS = ['review', 'approve', 'reject', 'rollback', 'redo', 'reviewWorkspace', 'openAuditLog', 'openPullRequest', 'dismissDeadLetter', 'clearDeadLetters'] as const satisfies readonly (keyof ApprovalsProtocol['requests'])[];
