// What of a proposal is applied now and what remains, from its applied parts. A proposal approved
// in parts stays approvable for the rest (status `partially-applied`); each part rolls back alone.
import type { AppliedPart, Hunk, Proposal, ProposalFile, ProposalStatus, RollbackRecord } from './model';

/** The applies of `p`, oldest first; a proposal applied before parts existed has its one `applied`. */
export function partsOf(p: Proposal): AppliedPart[] {
  if (p.parts) return p.parts;
  if (!p.applied) return [];
  const paths = p.files.filter((f) => p.applied!.files.includes(f.path) || (f.to !== undefined && p.applied!.files.includes(f.to))).map((f) => f.path);
  return [{ ...p.applied, paths, ...(p.status === 'rolled-back' && p.rollback ? { rollback: p.rollback } : {}) }];
}

export function liveParts(p: Proposal): AppliedPart[] {
  return partsOf(p).filter((x) => !x.rollback);
}

/** Per proposal file, the hunks applied now (files with none are absent); `whole` for hunk-less files taken. */
export function appliedNow(p: Proposal): Map<ProposalFile, { hunks: Hunk[]; whole: boolean }> {
  const live = liveParts(p);
  const hunkIds = new Set(live.flatMap((x) => x.hunks));
  const paths = new Set(live.flatMap((x) => x.paths));
  const out = new Map<ProposalFile, { hunks: Hunk[]; whole: boolean }>();
  for (const f of p.files) {
    const hunks = f.hunks.filter((h) => hunkIds.has(h.id));
    const whole = f.hunks.length ? hunks.length === f.hunks.length : paths.has(f.path);
    if (hunks.length || whole) out.set(f, { hunks, whole });
  }
  return out;
}

/** What is not applied now: per file, the hunks left (all of them for a file not touched yet). */
export function remainingOf(p: Proposal): { file: ProposalFile; hunks: Hunk[]; before: Hunk[] }[] {
  const applied = appliedNow(p);
  const out: { file: ProposalFile; hunks: Hunk[]; before: Hunk[] }[] = [];
  for (const f of p.files) {
    const a = applied.get(f);
    if (a?.whole) continue;
    const before = a?.hunks ?? [];
    out.push({ file: f, hunks: f.hunks.filter((h) => !before.includes(h)), before });
  }
  return out;
}

/** Line totals of what is applied now and of what remains (for the views). */
export function progressOf(p: Proposal): { applied: { added: number; removed: number; hunks: string[] }; pending: { added: number; removed: number; hunks: string[] } } {
  const applied = appliedNow(p);
  const count = (hunks: Hunk[]) => hunks.reduce((t, h) => {
    for (const l of h.lines) if (l[0] === '+') t.added++; else if (l[0] === '-') t.removed++;
    return t;
  }, { added: 0, removed: 0 });
  const done = { added: 0, removed: 0, hunks: [] as string[] };
  const left = { added: 0, removed: 0, hunks: [] as string[] };
  for (const f of p.files) {
    const a = applied.get(f);
    const on = a?.whole ? f.hunks : a?.hunks ?? [];
    const off = f.hunks.filter((h) => !on.includes(h));
    const c1 = a?.whole && !f.hunks.length ? { added: f.added, removed: f.removed } : count(on);
    const c2 = !a && !f.hunks.length ? { added: f.added, removed: f.removed } : count(off);
    done.added += c1.added; done.removed += c1.removed; done.hunks.push(...on.map((h) => h.id));
    left.added += c2.added; left.removed += c2.removed; left.hunks.push(...off.map((h) => h.id));
  }
  return { applied: done, pending: left };
}

/** The status once `parts` are the proposal's parts: everything, some or nothing applied. */
export function statusForParts(p: Proposal, parts: AppliedPart[], complete: 'applied' | 'redone' = 'applied'): ProposalStatus {
  const q = withParts(p, parts);
  if (!liveParts(q).length) return 'rolled-back';
  return remainingOf(q).length ? 'partially-applied' : complete;
}

/** `p` with `parts`, and `applied` / `rollback` kept as the latest of each (what older readers use). */
export function withParts(p: Proposal, parts: AppliedPart[]): Proposal {
  const live = parts.filter((x) => !x.rollback);
  const latest = live[live.length - 1] ?? parts[parts.length - 1];
  const rollbacks = parts.map((x) => x.rollback).filter((r): r is RollbackRecord => !!r).sort((a, b) => a.at.localeCompare(b.at));
  const { paths: _paths, rollback: _rb, ...applied } = latest ?? ({} as AppliedPart);
  void _paths; void _rb;
  return {
    ...p,
    parts,
    ...(latest ? { applied } : {}),
    ...(rollbacks.length ? { rollback: rollbacks[rollbacks.length - 1] } : p.rollback ? { rollback: p.rollback } : {}),
  };
}

/** 1-based number of the part to roll back: `n` if given, else the latest part still applied. */
export function partToRollBack(p: Proposal, n?: number): number | undefined {
  const parts = partsOf(p);
  if (n !== undefined) return parts[n - 1] && !parts[n - 1]!.rollback ? n : undefined;
  for (let i = parts.length - 1; i >= 0; i--) if (!parts[i]!.rollback) return i + 1;
  return undefined;
}

/** 1-based number of the part to redo: the latest rolled-back part none of whose hunks is applied again. */
export function partToRedo(p: Proposal): number | undefined {
  const parts = partsOf(p);
  const applied = appliedNow(p);
  const appliedHunks = new Set([...applied.values()].flatMap((a) => a.hunks.map((h) => h.id)));
  const appliedWhole = new Set([...applied].filter(([f, a]) => a.whole && !f.hunks.length).map(([f]) => f.path));
  let best: number | undefined;
  parts.forEach((x, i) => {
    if (!x.rollback || x.hunks.some((h) => appliedHunks.has(h)) || x.paths.some((f) => appliedWhole.has(f))) return;
    if (best === undefined || x.rollback.at >= parts[best - 1]!.rollback!.at) best = i + 1;
  });
  return best;
}
