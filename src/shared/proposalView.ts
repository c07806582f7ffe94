// What a webview is told about a proposal: plain, serializable, derived from the core's
// Proposal (src/core/proposals/model.ts) plus the texts the diff view needs.

export type ProposalStatusView =
  | 'pending' | 'approved' | 'partially-approved' | 'applying' | 'applied' | 'partially-applied' | 'rolled-back' | 'redone'
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
  /**
   * Of a proposal applied (in part): the lines applied now and the lines still to approve (the
   * card's +/− shows these instead of the proposal's totals). Absent while nothing was ever applied.
   */
  progress?: { applied: { added: number; removed: number }; pending: { added: number; removed: number } };
  /** 0–100 with reasons; filled by the impact analysis (a later engine) when available. */
  risk?: { score: number; level: 'low' | 'medium' | 'high'; reasons: string[] };
  /** The GitHub pull request opened from this proposal, with its last CI result. */
  pullRequest?: PullRequestView;
  /** The host's rule: "Open Pull Request" is offered (applied, no pull request yet). */
  canOpenPullRequest?: boolean;
}

export interface PullRequestView {
  repo: string;
  number: number;
  url: string;
  branch: string;
  base: string;
  draft: boolean;
  ci?: { state: 'pending' | 'success' | 'failure' | 'none'; at: string; total: number; failed: number; pending: number; checks: { name: string; status: string; conclusion?: string; url?: string }[] };
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
  /** The latest apply; its `hunks` are every hunk applied now (absent when nothing is applied now). */
  applied?: { at: string; actor: string; checkpointId: string; files: string[]; hunks: string[]; merged: string[] };
  rollback?: { at: string; actor: string; checkpointId: string; forced: boolean };
  /** Hunks not applied now, of a proposal applied in part or rolled back (approvable ones when partially applied). */
  pendingHunks?: string[];
  /** Each apply of a proposal approved in parts, oldest first. */
  parts?: { n: number; at: string; files: string[]; hunks: string[]; rolledBack: boolean }[];
  impact?: {
    symbols?: string[];
    references?: number;
    dependents?: string[];
    tests?: string[];
    publicApi?: string[];
    /** The same changes, structured: name, kind and what changed; the type text (`before`/`after`) goes behind a disclosure. */
    publicApiChanges?: { name: string; change: 'added' | 'removed' | 'changed'; entry: string; kind?: string; summary?: string; before?: string; after?: string }[];
    typeCheck?: { introduced: { file: string; line: number; code: number; message: string }[]; removed: { file: string; line: number; code: number; message: string }[] };
    /** How the analysis was done, or why a part is missing (type-check skipped, limits hit). */
    notes?: string[];
    /** The type check was narrowed or skipped for size: the panel offers "Check now" (full check, no limit). */
    checkNow?: boolean;
    /** The analysis failed; the proposal is fine, only its impact is unknown. */
    error?: string;
  };
  /** Absent when there is nothing to warn about. */
  warnings?: ProposalWarningView[];
  /** How a model made this proposal ("Rusty: Ask…", `rusty ask`). */
  ai?: AiRecordView;
  /** The run of the proposal's tests before review (generated tests, a debug fix's test). */
  testRun?: TestRunView;
}

/** A test run attached to a proposal (core TestRunRecord). Todos are counted apart, never as passes. */
export interface TestRunView {
  framework: string;
  status: 'passed' | 'failed' | 'not-run';
  passed: number;
  failed: number;
  todo: number;
  skipped: number;
  command?: string;
  /** Why it could not run. */
  reason?: string;
  /** The runner's output (tail); untrusted text, shown escaped. */
  output?: string;
  ms: number;
  at: string;
  /** Generated tests filled by a model: each todo case of the skeleton after it (titles untrusted, shown escaped). */
  filled?: FilledCaseView[];
  /** Files whose unsaved editor text was laid over the copy. */
  unsaved?: string[];
  /** The test run by name (untrusted); absent when the whole file ran. */
  test?: string;
  /** A debug fix's test, run on copies without the fix and with it (the top-level counts are the run with it). */
  before?: TestRunSideView;
  after?: TestRunSideView;
}

/** One side of a debug fix's test run (without or with the fix). */
export interface TestRunSideView {
  status: 'passed' | 'failed' | 'not-run';
  passed: number;
  failed: number;
  reason?: string;
}

/** A todo case after the model: filled and passed/failed/not run in this run, or left todo (never a pass). */
export interface FilledCaseView {
  title: string;
  status: 'passed' | 'failed' | 'todo' | 'not-run';
}

export interface AiRecordView {
  provider: string;
  model: string;
  task: string;
  /** The router's one-sentence reason for this provider and model. */
  route?: string;
  thread?: string;
  /** Model requests made (tool turns and edit turns). */
  rounds: number;
  /** Attempts sent back to the model, with the reason. */
  repairs: { round: number; kind: string; message: string }[];
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
  costUsd?: number;
  /** The redacted conversation in the state folder; openTranscript opens it. */
  transcript?: { path: string; messages: number };
  group?: { id: string; rank: number; score: number; formula: string; facts: Record<string, number>; siblings: string[] };
}

/** One competing AI proposal, for the side-by-side comparison. */
export interface AlternativeView {
  id: string;
  title: string;
  status: ProposalStatusView;
  statusReason?: string;
  /** `provider/model`. */
  model: string;
  rank: number;
  score: number;
  facts: Record<string, number>;
  added: number;
  removed: number;
  files: number;
  /** The proposal this panel shows. */
  current: boolean;
}

/** One line of what happened while the model worked. */
export interface AskEventView {
  /** 1-based candidate; 0 = the whole run. */
  candidate: number;
  kind: 'route' | 'turn' | 'tool' | 'validating' | 'repair' | 'accepted' | 'retry' | 'fallback' | 'refused' | 'warning';
  message: string;
  at: string;
}

export interface AskingView {
  task: string;
  /** "selection in src/a.ts", "src/a.ts", "workspace". */
  scope: string;
  /** `interrupted`: restored after a window reload that stopped the model mid-way (nothing was proposed). */
  state: 'running' | 'cancelling' | 'cancelled' | 'failed' | 'answered' | 'no-change' | 'interrupted';
  startedAt: string;
  /** The router's choice, once made. */
  route?: string;
  /** Streamed model text per candidate (the tail when long). */
  candidates: { index: number; model: string; text: string }[];
  events: AskEventView[];
  /** Why it failed, or why no proposal came out. */
  error?: string;
  /** The model's answer when it proposed no change (an explanation). */
  answer?: string;
}

/** Steps of an approval, shown as a progress tracker. */
export type ProgressStep = 'validate' | 'checkpoint' | 'apply' | 'verify';
export interface ProgressView {
  operation: 'approve' | 'rollback' | 'redo';
  step: ProgressStep;
  state: 'running' | 'done' | 'failed';
  detail?: string;
}
