// What agents see of a proposal: status and why, files, impact summary, warnings, the diff, and the
// audit events an agent can react to (rejection reason, conflicts of an approve or a rollback).
import type { Proposal } from '../proposals/model';
import type { AuditEntry } from '../audit';
import { renderUnified } from '../proposals/diff';

/** A diff longer than this is cut (the agent can read the proposal resource for the rest). */
export const MAX_DIFF_CHARS = 200_000;

export function unifiedDiffText(p: Proposal): string {
  return p.files.map((f) => {
    const label = f.to ? `${f.path} -> ${f.to}` : f.path;
    if (f.binary) return `Binary file ${label} (${f.kind})`;
    if (!f.hunks.length) return `${label} (${f.kind}, no content change)`;
    return renderUnified(f.kind === 'create' ? '/dev/null' : f.path, f.hunks, f.kind === 'delete' ? '/dev/null' : (f.to ?? f.path));
  }).join('\n');
}

export function proposalSummary(p: Proposal) {
  return {
    id: p.id, title: p.title, status: p.status, ...(p.statusReason ? { statusReason: p.statusReason } : {}),
    source: p.source, priority: p.priority, createdAt: p.createdAt, updatedAt: p.updatedAt,
    files: p.files.map((f) => ({ path: f.path, ...(f.to ? { to: f.to } : {}), kind: f.kind, added: f.added, removed: f.removed })),
  };
}

const EVENT_ACTIONS = new Set(['rejected', 'conflicted', 'stale', 'failed', 'refused', 'applied', 'rolled-back', 'redone', 'approved', 'gateway.auto-approved', 'gateway.auto-approve-failed']);

export function proposalView(p: Proposal, audit: AuditEntry[], opts: { diff?: boolean } = {}) {
  const impact = p.impact && !('error' in p.impact)
    ? {
      risk: { score: p.impact.risk.score, level: p.impact.risk.level, reasons: p.impact.risk.reasons.map((r) => r.text) },
      typeCheck: { status: p.impact.typeCheck.status, introduced: p.impact.typeCheck.introduced.slice(0, 20), removed: p.impact.typeCheck.removed.length },
      dependents: p.impact.dependents.total, tests: p.impact.tests.slice(0, 20),
      publicApiChanges: p.impact.publicApi.changes.length,
    }
    : p.impact ? { error: p.impact.error } : undefined;
  let diff: string | undefined;
  if (opts.diff !== false) {
    diff = unifiedDiffText(p);
    if (diff.length > MAX_DIFF_CHARS) diff = `${diff.slice(0, MAX_DIFF_CHARS)}\n… (diff cut at ${MAX_DIFF_CHARS} characters)`;
  }
  const events = audit.filter((e) => EVENT_ACTIONS.has(e.action)).slice(-10).map((e) => ({ at: e.time, actor: e.actor, action: e.action, details: e.details }));
  return {
    ...proposalSummary(p),
    ...(p.warnings?.length ? { warnings: p.warnings.map((w) => w.message) } : {}),
    ...(impact ? { impact } : {}),
    history: p.history,
    ...(p.applied ? { applied: { at: p.applied.at, files: p.applied.files, merged: p.applied.merged } } : {}),
    events,
    ...(diff !== undefined ? { diff } : {}),
  };
}
