import type { Proposal, ProposalFile } from '../core/proposals/model';
import { renderUnified } from '../core/proposals/diff';
import { isImpactFailure, type ProposalImpact } from '../core/impact/types';

export function fileLabel(f: ProposalFile): string {
  return f.to ? `${f.path} → ${f.to}` : f.path;
}

export function fileLine(f: ProposalFile): string {
  const kind = f.kind === 'modify' ? '' : ` (${f.kind}${f.binary ? ', binary' : ''})`;
  return `${fileLabel(f)}${kind}  +${f.added} -${f.removed}`;
}

export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function summary(p: Proposal): { id: string; title: string; status: string; priority: string; source: string; createdAt: string; files: { path: string; to?: string; kind: string; added: number; removed: number }[] } {
  return {
    id: p.id, title: p.title, status: p.status, priority: p.priority, source: p.source, createdAt: p.createdAt,
    files: p.files.map((f) => ({ path: f.path, ...(f.to ? { to: f.to } : {}), kind: f.kind, added: f.added, removed: f.removed })),
  };
}

export function proposalBlock(p: Proposal): string {
  const totals = p.files.reduce((t, f) => ({ a: t.a + f.added, r: t.r + f.removed }), { a: 0, r: 0 });
  const lines = [`${p.id}  ${p.title}  [${p.status}, ${p.priority}]  +${totals.a} -${totals.r}  ${p.source}, ${age(p.createdAt)}`];
  for (const f of p.files) lines.push(`    ${fileLine(f)}`);
  if (p.statusReason) lines.push(`    ${p.statusReason}`);
  return lines.join('\n');
}

export function unifiedDiff(p: Proposal): string {
  return p.files.map((f) => f.binary
    ? `Binary file ${fileLabel(f)} (${f.kind})`
    : f.hunks.length ? renderUnified(f.kind === 'create' ? '/dev/null' : f.path, f.hunks, f.kind === 'delete' ? '/dev/null' : f.to ?? f.path) : `${fileLabel(f)} (${f.kind}, no content change)`).join('\n');
}

const LIST = 8;

function more(items: readonly string[], total = items.length, max = LIST): string {
  const shown = items.slice(0, max).join(', ');
  return total > Math.min(max, items.length) ? `${shown} … (+${total - Math.min(max, items.length)} more)` : shown;
}

/** The impact section of `rusty show`: risk with reasons, type-check delta, symbols, references, dependents, tests, public API. */
export function impactLines(impact: ProposalImpact | undefined): string[] {
  if (!impact) return ['Impact: not computed for this proposal.'];
  if (isImpactFailure(impact)) return [`Impact: could not be computed — ${impact.error}`];
  const r = impact;
  const lines = [`Impact: risk ${r.risk.level} (${r.risk.score}/100), computed in ${(r.durationMs / 1000).toFixed(1)}s`];
  for (const reason of r.risk.reasons) lines.push(`  ${reason.points ? `+${reason.points}`.padStart(4) : '    '}  ${reason.text}`);

  const tc = r.typeCheck;
  if (tc.status === 'skipped') lines.push(`Type check: not run — ${tc.reason ?? 'skipped'}`);
  else {
    const scope = `${tc.checkedFiles} file${tc.checkedFiles === 1 ? '' : 's'} checked${tc.status === 'partial' ? ', partial' : ''}`;
    const verdict = tc.introduced.length ? `${tc.introduced.length} new error${tc.introduced.length === 1 ? '' : 's'}` : 'no new errors';
    lines.push(`Type check (${scope}): ${verdict}${tc.removed.length ? `, ${tc.removed.length} fixed` : ''}`);
    if (tc.status === 'partial' && tc.reason) lines.push(`  ${tc.reason}`);
    const diag = (d: { file: string; line: number; code: number; message: string }) => `${d.file}:${d.line} TS${d.code} ${d.message.split('\n')[0]}`;
    for (const d of tc.introduced.slice(0, 20)) lines.push(`  + ${diag(d)}`);
    if (tc.introduced.length > 20) lines.push(`  … ${tc.introduced.length - 20} more introduced`);
    for (const d of tc.removed.slice(0, 20)) lines.push(`  − ${diag(d)}`);
    if (tc.removed.length > 20) lines.push(`  … ${tc.removed.length - 20} more fixed`);
  }

  const symbols = r.symbols.map((s) => `${s.name} (${s.kind}, ${s.change}${s.exported ? ', exported' : ''}${s.commentsOnly ? ', comments only' : ''})`);
  lines.push(`Changed symbols: ${symbols.length ? more(symbols) : 'none'}`);
  if (r.references.symbols.length) {
    lines.push(`References to changed exports: ${r.references.total}${r.references.truncated ? ' (list shortened)' : ''}`);
    for (const s of r.references.symbols.slice(0, LIST)) {
      lines.push(`  ${s.name} (${s.file}): ${s.count}${s.locations.length ? ` — ${more(s.locations.map((l) => `${l.file}:${l.line}`), s.count, 6)}` : ''}`);
    }
  }
  const d = r.dependents;
  lines.push(`Dependents: ${d.total ? `${d.total}${d.truncated ? '+' : ''} (${d.direct} direct): ${more(d.files, d.total)}` : 'none'}`);
  lines.push(`Tests reaching the change: ${r.tests.length ? more(r.tests) : 'none'}`);
  const api = r.publicApi;
  if (!api.entryPoints.length) lines.push('Public API: no package entry point found');
  else if (!api.changes.length) lines.push(`Public API: unchanged (${more(api.entryPoints, api.entryPoints.length, 3)})`);
  else {
    lines.push(`Public API changes: ${api.changes.length}`);
    for (const c of api.changes.slice(0, 20)) {
      const sig = c.change === 'changed' ? `: ${c.before} → ${c.after}` : c.change === 'removed' && c.after ? ` (${c.after})` : '';
      lines.push(`  ${c.change} ${c.name} in ${c.entry}${sig}`);
    }
  }
  for (const n of r.notes) lines.push(`Note: ${n}`);
  return lines;
}
