import type { EditKind, Priority } from './changeSet';
import type { TestRunRecord } from '../testgen/run';
import type { ProposalImpact } from '../impact/types';

export const PROPOSAL_STATUSES = [
  'pending', 'approved', 'partially-approved', 'applying', 'applied', 'partially-applied', 'rolled-back', 'redone',
  'rejected', 'conflicted', 'stale', 'failed',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** One hunk of a file's diff. `id` is stable for the proposal (derived from path + hunk content). */
export interface Hunk {
  id: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** jsdiff-style lines: ' ' context, '-' removed, '+' added (no trailing newline). */
  lines: string[];
}

/** One file of a proposal. Contents live in the blob store, named by sha256. */
export interface ProposalFile {
  path: string;
  kind: EditKind;
  to?: string;
  /** sha256 of the bytes the change was computed on (modify/delete/rename). */
  baseHash?: string;
  /** sha256 of the new bytes, already encoded like the base (EOL, BOM, final newline). */
  newHash?: string;
  binary: boolean;
  added: number;
  removed: number;
  hunks: Hunk[];
}

/**
 * Something the reviewer must know that the diff may hide, computed when the proposal is made:
 * bidirectional, invisible or control characters in added lines, the path, title or rationale
 * ("Trojan Source"), or a diff simplified because the exact one would have been too slow.
 */
export interface ProposalWarning {
  kind: 'bidi' | 'invisible' | 'control' | 'diff-simplified';
  /** The file (its new path for a rename); absent for the title and rationale. */
  path?: string;
  /** Where the characters are. */
  in?: 'content' | 'path' | 'title' | 'rationale';
  /** 1-based lines of the new text holding them (the first 20 of `count`). */
  lines?: number[];
  count?: number;
  /** The distinct code points found, as U+XXXX (the first 10). */
  codepoints?: string[];
  /** One sentence for the reviewer. */
  message: string;
}

export interface StatusChange { status: ProposalStatus; at: string; actor: string; note?: string }

export interface AppliedRecord {
  at: string;
  actor: string;
  /** The apply (or latest redo) transaction; its checkpoint holds exact before/after bytes. */
  checkpointId: string;
  /** Paths written (for renames both old and new). */
  files: string[];
  hunks: string[];
  /** Files whose base had changed and were merged 3-way. */
  merged: string[];
}

export interface RollbackRecord { at: string; actor: string; checkpointId: string; forced: boolean }

/**
 * One apply of a proposal (an approval of all of it, or of some files / hunks). A proposal
 * approved in parts has one per approval, oldest first; each rolls back on its own.
 */
export interface AppliedPart extends AppliedRecord {
  /** The proposal files (their `path`) this apply took, wholly or in part. */
  paths: string[];
  /** Set while this part is rolled back; cleared when it is redone. */
  rollback?: RollbackRecord;
}

export interface Proposal {
  id: string;
  title: string;
  rationale?: string;
  source: string;
  priority: Priority;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  status: ProposalStatus;
  /** Why it is rejected / conflicted / stale / failed, in words a person can act on. */
  statusReason?: string;
  /** Content fingerprint of the change set, to avoid queuing the same proposal twice. */
  fingerprint: string;
  files: ProposalFile[];
  history: StatusChange[];
  /** The latest apply (or redo); with `parts`, the latest part still applied (else the latest part). */
  applied?: AppliedRecord;
  /** The latest rollback. */
  rollback?: RollbackRecord;
  /** Every apply, oldest first (absent on proposals applied before parts existed: see parts.ts). */
  parts?: AppliedPart[];
  /**
   * Impact analysis (src/core/impact) computed when the proposal was created, or why it could not
   * be (`{ error }`). Absent when no impact provider ran (e.g. a core without one).
   */
  impact?: ProposalImpact;
  /** Set on proposals an AI model made (`source` is `ai:<provider>/<model>`); absent otherwise. */
  ai?: AiRecord;
  /** Absent when there is nothing to warn about (and on proposals made before warnings existed). */
  warnings?: ProposalWarning[];
  /** The pull request opened from this applied proposal (src/core/github). */
  pullRequest?: PullRequestRecord;
  /** Generated tests run with the project's runner on an overlay copy before review (src/core/testgen). */
  testRun?: TestRunRecord;
}

export interface PullRequestRecord {
  /** owner/repo */
  repo: string;
  number: number;
  url: string;
  branch: string;
  base: string;
  /** The commit the branch points at (the PR head when opened). */
  commitSha: string;
  draft: boolean;
  openedAt: string;
  openedBy: string;
  /** The last CI result seen (`rusty pr status`, the review panel). */
  ci?: { state: 'pending' | 'success' | 'failure' | 'none'; at: string; total: number; failed: number; pending: number; checks?: { name: string; status: string; conclusion?: string; url?: string }[] };
}

/** Why the agent sent a change back to the model before it became this proposal. */
export interface AiRepair {
  /** The model turn (1-based) whose change was refused. */
  round: number;
  kind: 'no-match' | 'ambiguous' | 'type-errors' | 'path-refused' | 'malformed' | 'invalid';
  message: string;
}

/** Competing proposals for one task: how this one ranked (scored from measured facts only). */
export interface AiGroup {
  id: string;
  /** 1 = best. */
  rank: number;
  score: number;
  formula: string;
  /** The facts the score was computed from. */
  facts: Record<string, number>;
  /** The other proposals of the group; approving this one rejects them ("superseded by <id>"). */
  siblings: string[];
}

export interface AiRecord {
  provider: string;
  model: string;
  /** The router's one-sentence reason for this provider and model. */
  route?: string;
  /** Conversation the proposal belongs to (`rusty ask --thread T`). */
  thread?: string;
  task: string;
  /** Model requests made (tool turns and edit turns). */
  rounds: number;
  repairs: AiRepair[];
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
  /** US dollars, when the session reported a cost. */
  costUsd?: number;
  /** The redacted conversation, a file in the state folder (path relative to it). */
  transcript?: { path: string; sha256: string; messages: number };
  group?: AiGroup;
}
