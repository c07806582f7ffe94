// What the reviewer has ticked, and how that becomes the `approve` request. Pure functions over an
// immutable "unselected" set: everything starts selected (as `rusty approve` with no options), and
// the set stays small and serializable for vscode.setState.
import type { ApproveParams, FileView, ProposalDetailView } from '../../protocol';

/** Unit keys: one per hunk of a hunk-selectable file, or one for a whole file. */
export const hunkUnit = (hunkId: string) => `hunk:${hunkId}`;
export const fileUnit = (path: string) => `file:${path}`;

/**
 * Only a modified text file can be approved hunk by hunk: creating, deleting or renaming a file
 * (and any binary change) is all-or-nothing, as in the CLI.
 */
export function isHunkSelectable(file: FileView): boolean {
  return file.kind === 'modify' && !file.binary && file.hunks.length > 0;
}

export function unitsOf(file: FileView): string[] {
  return isHunkSelectable(file) ? file.hunks.map((h) => hunkUnit(h.id)) : [fileUnit(file.path)];
}

export type FileSelectionState = 'all' | 'some' | 'none';

export function fileSelectionState(file: FileView, unselected: ReadonlySet<string>): FileSelectionState {
  const units = unitsOf(file);
  const off = units.filter((u) => unselected.has(u)).length;
  return off === 0 ? 'all' : off === units.length ? 'none' : 'some';
}

export function isHunkSelected(hunkId: string, unselected: ReadonlySet<string>): boolean {
  return !unselected.has(hunkUnit(hunkId));
}

/** Ticking a file selects all of it; unticking a fully selected file clears it (like a tri-state checkbox). */
export function toggleFile(file: FileView, unselected: ReadonlySet<string>): Set<string> {
  const next = new Set(unselected);
  const selectAll = fileSelectionState(file, unselected) !== 'all';
  for (const unit of unitsOf(file)) {
    if (selectAll) next.delete(unit);
    else next.add(unit);
  }
  return next;
}

export function toggleHunk(hunkId: string, unselected: ReadonlySet<string>): Set<string> {
  const next = new Set(unselected);
  const unit = hunkUnit(hunkId);
  if (next.has(unit)) next.delete(unit);
  else next.add(unit);
  return next;
}

export function selectNothing(files: readonly FileView[]): Set<string> {
  return new Set(files.flatMap(unitsOf));
}

export function overallSelectionState(files: readonly FileView[], unselected: ReadonlySet<string>): FileSelectionState {
  const units = files.flatMap(unitsOf);
  const off = units.filter((u) => unselected.has(u)).length;
  return off === 0 ? 'all' : off === units.length ? 'none' : 'some';
}

/**
 * The approve request: fully selected files by path, and for partly selected files the ids of
 * their chosen hunks. Never empty when something is selected — an empty request would mean
 * "approve everything" to the core, so callers must not send one (see hasSelection).
 */
export function approveParams(files: readonly FileView[], unselected: ReadonlySet<string>): ApproveParams {
  const params: ApproveParams = { files: [], hunks: [] };
  for (const file of files) {
    const state = fileSelectionState(file, unselected);
    if (state === 'all') params.files.push(file.path);
    else if (state === 'some') params.hunks.push(...file.hunks.filter((h) => isHunkSelected(h.id, unselected)).map((h) => h.id));
  }
  return params;
}

export function hasSelection(params: ApproveParams): boolean {
  return params.files.length + params.hunks.length > 0;
}

export interface SelectionSummary {
  files: number;
  totalFiles: number;
  hunks: number;
  totalHunks: number;
}

/** Counts for "3 of 5 hunks in 2 of 3 files"; a whole-file unit counts its hunks. */
export function summarizeSelection(files: readonly FileView[], unselected: ReadonlySet<string>): SelectionSummary {
  let selectedFiles = 0;
  let hunks = 0;
  let totalHunks = 0;
  for (const file of files) {
    const state = fileSelectionState(file, unselected);
    if (state !== 'none') selectedFiles++;
    totalHunks += file.hunks.length;
    if (isHunkSelectable(file)) hunks += file.hunks.filter((h) => isHunkSelected(h.id, unselected)).length;
    else if (state === 'all') hunks += file.hunks.length;
  }
  return { files: selectedFiles, totalFiles: files.length, hunks, totalHunks };
}

/**
 * The files and hunks an approval can still take: everything, or for a proposal applied in part
 * (the host lists `pendingHunks`) only the hunks not applied now and the files not applied at all.
 */
export function approvableFiles(proposal: Pick<ProposalDetailView, 'files' | 'applied' | 'pendingHunks'>): FileView[] {
  const pending = proposal.pendingHunks;
  if (!pending || !proposal.applied) return [...proposal.files];
  const left = new Set(pending);
  const appliedFiles = new Set(proposal.applied.files);
  return proposal.files
    .map((f) => ({ ...f, hunks: f.hunks.filter((h) => left.has(h.id)) }))
    .filter((f, i) => f.hunks.length > 0 || (proposal.files[i]!.hunks.length === 0 && !appliedFiles.has(f.to ?? f.path)));
}
