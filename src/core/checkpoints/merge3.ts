// Three-way merge on lines (node-diff3). Used when a file changed between proposal and approval,
// and for attribution-aware rollback (base = what we wrote, ours = what is there now,
// theirs = what was there before we wrote).
import { diff3Merge } from 'node-diff3';

export interface MergeConflict {
  /** 1-based lines where the conflicting region starts in `ours` and in `base`. */
  oursLine: number;
  baseLine: number;
  ours: string[];
  base: string[];
  theirs: string[];
}

export type MergeResult = { clean: true; text: string } | { clean: false; conflicts: MergeConflict[] };

export function merge3(base: string, ours: string, theirs: string): MergeResult {
  if (ours === theirs || theirs === base) return { clean: true, text: ours };
  if (ours === base) return { clean: true, text: theirs };
  const regions = diff3Merge(ours.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const out: string[] = [];
  const conflicts: MergeConflict[] = [];
  for (const region of regions) {
    if (region.ok) out.push(...region.ok);
    else if (region.conflict) {
      const c = region.conflict;
      conflicts.push({ oursLine: c.aIndex + 1, baseLine: c.oIndex + 1, ours: c.a, base: c.o, theirs: c.b });
    }
  }
  return conflicts.length ? { clean: false, conflicts } : { clean: true, text: out.join('\n') };
}
