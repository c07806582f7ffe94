import type { Proposal, ProposalFile } from '../core/proposals/model';
import { renderUnified } from '../core/proposals/diff';

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
