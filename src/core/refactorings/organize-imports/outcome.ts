// What organizing a file amounts to in a change set; shared by the per-file fast path (index.ts)
// and the WorkspaceProject path (inProject.ts).
import type { ChangeSet, ModifyEdit } from '../../proposals/changeSet';
import { sha256 } from '../../util/hash';
import { encodeLike, type TextFormat } from '../../util/text';
import type { OrganizeOutcome } from './engine';
import { describeChanges, summarizeFile, type FileSummary } from './summary';

export const ORGANIZE_IMPORTS_SOURCE = 'refactoring:organize-imports';

export const SOURCE_EXTENSION = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** Files without these words have no import or export declarations to organize. */
export const MAY_HAVE_IMPORTS = /\b(?:import|export)\b/;

/** The change set for the files that changed (null when none did). */
export function organizeChangeSet(edits: ModifyEdit[], summaries: FileSummary[]): ChangeSet | null {
  if (edits.length === 0) return null;
  const order = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  edits.sort(order);
  summaries.sort(order);
  const only = edits.length === 1 ? edits[0] : undefined;
  return {
    title: only ? `Organize imports in ${only.path}` : `Organize imports in ${edits.length} files`,
    rationale: describeChanges(summaries),
    source: ORGANIZE_IMPORTS_SOURCE,
    priority: 'low',
    edits,
  };
}

export type FileOutcome = { kind: 'skip'; reason: string } | { kind: 'edit'; edit: ModifyEdit; summary: FileSummary } | null;

/** A file's organize outcome as an edit against its bytes (formatting-only rewrites are dropped). */
export function fileOutcome(rel: string, bytes: Uint8Array, format: TextFormat, outcome: OrganizeOutcome): FileOutcome {
  if (outcome.kind === 'skipped') return { kind: 'skip', reason: outcome.reason };
  if (outcome.kind === 'unchanged') return null;
  const summary = summarizeFile(rel, outcome.before, outcome.after);
  // Formatting-only rewrites (same imports in the same order) are not worth a proposal.
  if (summary.removed.length === 0 && !summary.reorganized) return null;
  const content = encodeLike(outcome.text, format);
  return { kind: 'edit', edit: { kind: 'modify', path: rel, baseHash: sha256(bytes), content }, summary };
}
