// What a webview is told about a proposal: plain, serializable, derived from the core's
// Proposal (src/core/proposals/model.ts) plus the texts the diff view needs.

export type ProposalStatusView =
  | 'pending' | 'approved' | 'partially-approved' | 'applying' | 'applied' | 'rolled-back' | 'redone'
  | 'rejected' | 'conflicted' | 'stale' | 'failed';

export type PriorityView = 'low' | 'normal' | 'high' | 'urgent';

export interface HunkView {
  id: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** ' ' context, '-' removed, '+' added, '\\' no-newline marker — jsdiff style. */
  lines: string[];
}

export interface FileView {
  path: string;
  kind: 'modify' | 'create' | 'delete' | 'rename';
  to?: string;
  binary: boolean;
  added: number;
  removed: number;
  hunks: HunkView[];
}

/** Card in the sidebar: no hunks. */
export interface ProposalCardView {
  id: string;
  title: string;
  source: string;
  priority: PriorityView;
  status: ProposalStatusView;
  statusReason?: string;
  createdAt: string;
  updatedAt: string;
  files: { path: string; to?: string; kind: FileView['kind']; added: number; removed: number }[];
  added: number;
  removed: number;
  /** 0–100 with reasons; filled by the impact analysis (a later engine) when available. */
  risk?: { score: number; level: 'low' | 'medium' | 'high'; reasons: string[] };
}

/**
 * What the reviewer must know that the diff may hide (core ProposalWarning): bidirectional,
 * invisible or control characters (in added lines, a path, the title or the rationale), or a diff
 * simplified because the exact one would have been too slow.
 */
export interface ProposalWarningView {
  kind: 'bidi' | 'invisible' | 'control' | 'diff-simplified';
  path?: string;
  in?: 'content' | 'path' | 'title' | 'rationale';
  /** 1-based new-text lines (the first 20 of `count`). */
  lines?: number[];
  count?: number;
  /** As U+XXXX. */
  codepoints?: string[];
  message: string;
}

/** Everything the review panel shows. Fields the core does not compute yet are absent, not faked. */
export interface ProposalDetailView extends Omit<ProposalCardView, 'files'> {
  rationale?: string;
  createdBy: string;
  files: FileView[];
  history: { status: ProposalStatusView; at: string; actor: string; note?: string }[];
  applied?: { at: string; actor: string; checkpointId: string; files: string[]; hunks: string[]; merged: string[] };
  rollback?: { at: string; actor: string; checkpointId: string; forced: boolean };
  impact?: {
    symbols?: string[];
    references?: number;
    dependents?: string[];
    tests?: string[];
    publicApi?: string[];
    typeCheck?: { introduced: { file: string; line: number; code: number; message: string }[]; removed: { file: string; line: number; code: number; message: string }[] };
    /** How the analysis was done, or why a part is missing (type-check skipped, limits hit). */
    notes?: string[];
    /** The analysis failed; the proposal is fine, only its impact is unknown. */
    error?: string;
  };
  /** Absent when there is nothing to warn about. */
  warnings?: ProposalWarningView[];
}

/** Steps of an approval, shown as a progress tracker. */
export type ProgressStep = 'validate' | 'checkpoint' | 'apply' | 'verify';
export interface ProgressView {
  operation: 'approve' | 'rollback' | 'redo';
  step: ProgressStep;
  state: 'running' | 'done' | 'failed';
  detail?: string;
}
