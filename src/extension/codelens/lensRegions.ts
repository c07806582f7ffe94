// Where CodeLenses go in a file with open proposals: one at the top summing them up, and one above
// each changed region (each run of removed/added lines in a hunk). Pure: line numbers come from the
// proposal's hunks (computed on the text it was made from).
import type { Hunk, Proposal } from '../../core/proposals/model';
import { isOpen, touchesPath } from '../views/proposalViews';

export interface LensSpec {
  /** 0-based line. */
  line: number;
  title: string;
  tooltip: string;
  /** Review this proposal, or (top lens over several) pick among the file's proposals. */
  target: { id: string } | { file: true };
}

/** 1-based old-file line where each changed region of a hunk starts. */
export function changedRegions(hunk: Hunk): number[] {
  const starts: number[] = [];
  let oldLine = hunk.oldStart;
  let inChange = false;
  for (const l of hunk.lines) {
    const mark = l[0];
    if (mark === '\\') continue;
    if (mark === '-' || mark === '+') {
      if (!inChange) starts.push(oldLine);
      inChange = true;
      if (mark === '-') oldLine++;
    } else {
      inChange = false;
      oldLine++;
    }
  }
  return starts;
}

export function lensesFor(proposals: readonly Proposal[], rel: string, lineCount: number): LensSpec[] {
  const relevant = proposals.filter((p) => isOpen(p) && touchesPath(p, rel));
  if (relevant.length === 0) return [];
  const clamp = (oneBased: number) => Math.min(Math.max(oneBased - 1, 0), Math.max(lineCount - 1, 0));
  const n = relevant.length;
  const only = n === 1 ? relevant[0] : undefined;
  const lenses: LensSpec[] = [{
    line: 0,
    title: `Rusty: ${n} proposal${n === 1 ? '' : 's'} · Review`,
    tooltip: relevant.map((p) => `${p.title} (${p.status})`).join('\n'),
    target: only ? { id: only.id } : { file: true },
  }];
  for (const p of relevant) {
    for (const f of p.files) {
      if (f.path !== rel || f.kind === 'create') continue;
      if (f.kind === 'delete' || (f.kind === 'rename' && f.hunks.length === 0)) {
        lenses.push({
          line: 0,
          title: f.kind === 'delete' ? 'Proposed deletion · Review' : `Proposed rename to ${f.to} · Review`,
          tooltip: p.title,
          target: { id: p.id },
        });
        continue;
      }
      for (const h of f.hunks) {
        for (const start of changedRegions(h)) {
          lenses.push({
            line: clamp(start),
            title: `${p.status === 'conflicted' ? 'Conflicting change' : 'Proposed change'} · Review`,
            tooltip: `${p.title} — hunk ${h.id}`,
            target: { id: p.id },
          });
        }
      }
    }
  }
  return lenses;
}
