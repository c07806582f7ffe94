// Three-way merge on lines (diff3, as in node-diff3 and GNU diff3). Used when a file changed
// between proposal and approval, and for attribution-aware rollback (base = what we wrote,
// ours = what is there now, theirs = what was there before we wrote).
// Both sides are diffed against the base with the bounded diff proposals use (proposals/diff.ts),
// so a large file merges in bounded time and memory; node-diff3's LCS is quadratic on big files.
import { diffLines, type LineChange } from '../proposals/diff';

export interface MergeConflict {
  /** 1-based lines where the conflicting region starts in `ours` and in `base`. */
  oursLine: number;
  baseLine: number;
  ours: string[];
  base: string[];
  theirs: string[];
}

export type MergeResult = { clean: true; text: string } | { clean: false; conflicts: MergeConflict[] };

/** A side's change against the base (diff3 calls it a hunk). */
interface SideChange { side: 'ours' | 'theirs'; oStart: number; oLength: number; start: number; length: number }

function sideChanges(side: SideChange['side'], changes: LineChange[]): SideChange[] {
  return changes.map((c) => ({ side, oStart: c.aStart, oLength: c.aLength, start: c.bStart, length: c.bLength }));
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

export function merge3(base: string, ours: string, theirs: string): MergeResult {
  if (ours === theirs || theirs === base) return { clean: true, text: ours };
  if (ours === base) return { clean: true, text: theirs };
  const o = base.split('\n');
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const sides = { ours: a, theirs: b };
  // Stable sort: on the same base line, our change comes first (as in node-diff3).
  const hunks = [...sideChanges('ours', diffLines(o, a).changes), ...sideChanges('theirs', diffLines(o, b).changes)].sort((x, y) => x.oStart - y.oStart);

  const out: string[] = [];
  const push = (lines: string[], from: number, to: number) => {
    for (let k = from; k < to; k++) out.push(lines[k]!); // not push(...slice): huge regions overflow the stack
  };
  const conflicts: MergeConflict[] = [];
  let cursor = 0; // base lines before this are done
  for (let h = 0; h < hunks.length;) {
    const first = hunks[h]!;
    const regionStart = first.oStart;
    let regionEnd = first.oStart + first.oLength;
    let next = h + 1;
    // Changes that touch or overlap the region join it.
    while (next < hunks.length && hunks[next]!.oStart <= regionEnd) {
      regionEnd = Math.max(regionEnd, hunks[next]!.oStart + hunks[next]!.oLength);
      next++;
    }
    push(o, cursor, regionStart);
    if (next === h + 1) {
      push(sides[first.side], first.start, first.start + first.length);
    } else {
      // Both sides changed this region: each side's span, corrected for the base lines only the other side touched.
      const bounds = { ours: [a.length, -1, o.length, -1], theirs: [b.length, -1, o.length, -1] };
      for (let k = h; k < next; k++) {
        const c = hunks[k]!;
        const bd = bounds[c.side];
        bd[0] = Math.min(c.start, bd[0]!);
        bd[1] = Math.max(c.start + c.length, bd[1]!);
        bd[2] = Math.min(c.oStart, bd[2]!);
        bd[3] = Math.max(c.oStart + c.oLength, bd[3]!);
      }
      const span = (side: SideChange['side']) => {
        const bd = bounds[side];
        const start = bd[0]! + (regionStart - bd[2]!);
        return { start, lines: sides[side].slice(start, bd[1]! + (regionEnd - bd[3]!)) };
      };
      const mine = span('ours');
      const other = span('theirs');
      if (sameLines(mine.lines, other.lines)) push(mine.lines, 0, mine.lines.length);
      else conflicts.push({ oursLine: mine.start + 1, baseLine: regionStart + 1, ours: mine.lines, base: o.slice(regionStart, regionEnd), theirs: other.lines });
    }
    cursor = regionEnd;
    h = next;
  }
  push(o, cursor, o.length);
  return conflicts.length ? { clean: false, conflicts } : { clean: true, text: out.join('\n') };
}
