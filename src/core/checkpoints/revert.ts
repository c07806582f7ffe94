// Attribution-aware undo of one transaction: each file goes back to its before state, but edits
// made since the transaction (by the user or anything else) are kept by a 3-way merge with
// base = what the transaction wrote, ours = what is there now, theirs = what was there before.
// Rollback reverts the apply transaction; redo reverts the rollback transaction.
import type { WorkspaceFs } from '../ports/workspaceFs';
import type { BlobStore } from './blobStore';
import type { Checkpoint } from './checkpointStore';
import type { Target } from './transaction';
import { merge3 } from './merge3';
import { sha256 } from '../util/hash';
import { encodeLike, isBinary, readText, toBytes } from '../util/text';

export interface FileConflict {
  path: string;
  reason: string;
  /** 1-based lines (in the current file) where the conflicting regions start. */
  lines?: number[];
  hunks?: string[];
}

export interface RevertPlan {
  targets: Target[];
  conflicts: FileConflict[];
  /** Files where later edits were kept by merging. */
  merged: string[];
}

/**
 * A renamed file edited since: merge the edits into the old content and move it back, as one
 * unit. Returns the paths it handled.
 */
async function revertEditedRename(wfs: WorkspaceFs, blobs: BlobStore, tx: Checkpoint, plan: RevertPlan): Promise<Set<string>> {
  const handled = new Set<string>();
  for (const dest of tx.files) {
    const source = dest.renamedFrom ? tx.files.find((f) => f.path === dest.renamedFrom) : undefined;
    if (!source || source.before === null || dest.after === null) continue;
    const current = await wfs.read(dest.path);
    if (!current || sha256(current) === dest.after) continue;
    handled.add(dest.path).add(source.path);
    const before = blobs.get(source.before);
    const after = blobs.get(dest.after);
    if (await wfs.stat(source.path)) {
      plan.conflicts.push({ path: source.path, reason: `exists again, so ${dest.path} cannot be moved back` });
    } else if (isBinary(current) || isBinary(before) || isBinary(after)) {
      plan.conflicts.push({ path: dest.path, reason: 'is binary and has changed since; it cannot be merged line by line' });
    } else {
      const cur = readText(current);
      const result = merge3(readText(after).text, cur.text, readText(before).text);
      if (!result.clean) {
        plan.conflicts.push({ path: dest.path, reason: `has later edits that overlap this change at line ${result.conflicts.map((c) => c.oursLine).join(', ')}`, lines: result.conflicts.map((c) => c.oursLine) });
        continue;
      }
      plan.targets.push(
        { path: source.path, bytes: toBytes(encodeLike(result.text, cur.format)), mode: source.mode, renamedFrom: dest.path },
        { path: dest.path, bytes: null, ...(dest.createdDirs ? { removeDirs: dest.createdDirs } : {}) },
      );
      plan.merged.push(source.path);
    }
  }
  return handled;
}

export async function planRevert(wfs: WorkspaceFs, blobs: BlobStore, tx: Checkpoint, force: boolean): Promise<RevertPlan> {
  const plan: RevertPlan = { targets: [], conflicts: [], merged: [] };
  const handled = force ? new Set<string>() : await revertEditedRename(wfs, blobs, tx, plan);
  for (const f of tx.files) {
    if (handled.has(f.path)) continue;
    const current = await wfs.read(f.path);
    const now = current ? sha256(current) : null;
    const renamedBack = tx.files.find((g) => g.renamedFrom === f.path);
    const restore: Target = {
      path: f.path,
      bytes: f.before === null ? null : blobs.get(f.before),
      mode: f.mode,
      ...(f.before === null && f.createdDirs ? { removeDirs: f.createdDirs } : {}),
      ...(renamedBack && f.before !== null ? { renamedFrom: renamedBack.path } : {}),
    };
    if (now === f.before) continue;
    if (now === f.after || force) {
      plan.targets.push(restore);
      continue;
    }
    if (f.before === null) {
      plan.conflicts.push({ path: f.path, reason: 'was created by this change and has been edited since; removing it would lose those edits' });
    } else if (f.after === null) {
      plan.conflicts.push({ path: f.path, reason: 'was deleted by this change and a different file exists there now' });
    } else if (current === undefined) {
      plan.conflicts.push({ path: f.path, reason: 'was deleted after this change was applied; restoring it would undo that deletion' });
    } else {
      const before = blobs.get(f.before);
      const after = blobs.get(f.after);
      if (isBinary(current) || isBinary(before) || isBinary(after)) {
        plan.conflicts.push({ path: f.path, reason: 'is binary and has changed since; it cannot be merged line by line' });
        continue;
      }
      const cur = readText(current);
      const result = merge3(readText(after).text, cur.text, readText(before).text);
      if (result.clean) {
        plan.targets.push({ path: f.path, bytes: toBytes(encodeLike(result.text, cur.format)), mode: f.mode });
        plan.merged.push(f.path);
      } else {
        plan.conflicts.push({
          path: f.path,
          reason: `has later edits that overlap this change at line${result.conflicts.length > 1 ? 's' : ''} ${result.conflicts.map((c) => c.oursLine).join(', ')}`,
          lines: result.conflicts.map((c) => c.oursLine),
        });
      }
    }
  }
  return plan;
}

export function describeConflicts(conflicts: FileConflict[]): string {
  return conflicts.map((c) => `${c.path} ${c.reason}${c.hunks?.length ? ` (hunk${c.hunks.length > 1 ? 's' : ''} ${c.hunks.join(', ')})` : ''}`).join('; ');
}
