import type { Proposal, ProposalFile, ProposalWarning } from '../core/proposals/model';
import { renderUnified } from '../core/proposals/diff';
import { describeRemaining } from '../core/proposals/approve';
import { partsOf } from '../core/proposals/parts';
import { isImpactFailure, type ProposalImpact } from '../core/impact/types';
import { safeLine } from '../core/util/terminalText';
import { describeCompiler } from '../core/tsEngine/types';

// Text output: every untrusted one-line field (path, title, source, reason, actor) goes through
// safeLine so a newline in it cannot fake a line; Output escapes the rest of the controls.

export function fileLabel(f: ProposalFile): string {
  return f.to ? `${safeLine(f.path)} → ${safeLine(f.to)}` : safeLine(f.path);
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
  const lines = [`${safeLine(p.id)}  ${safeLine(p.title)}  [${p.status}, ${p.priority}]  +${totals.a} -${totals.r}  ${safeLine(p.source)}, ${age(p.createdAt)}`];
  for (const f of p.files) lines.push(`    ${fileLine(f)}`);
  if (p.statusReason) lines.push(`    ${safeLine(p.statusReason)}`);
  if (p.warnings?.length) lines.push(`    ⚠ ${p.warnings.length} warning${p.warnings.length === 1 ? '' : 's'}: ${[...new Set(p.warnings.map((w) => WARNING_LABEL[w.kind]))].join(', ')} (see \`rusty show ${safeLine(p.id)}\`)`);
  return lines.join('\n');
}

/** `Parts:` lines for `rusty show` of a proposal approved in parts: each apply, and what is left. */
export function partLines(p: Proposal): string[] {
  const parts = partsOf(p);
  if (parts.length < 2 && p.status !== 'partially-applied') return [];
  const lines = ['Parts:', ...parts.map((x, i) => `  ${i + 1}. ${x.at}  ${x.rollback ? 'rolled back' : 'applied'}  ${x.files.map(safeLine).join(', ')}${x.hunks.length ? `  (hunk${x.hunks.length > 1 ? 's' : ''} ${x.hunks.join(', ')})` : ''}`)];
  if (p.status === 'partially-applied') lines.push(`  Still to approve: ${safeLine(describeRemaining(p))}`);
  return lines;
}

const WARNING_LABEL: Record<ProposalWarning['kind'], string> = {
  bidi: 'bidirectional characters', invisible: 'invisible characters', control: 'control characters', 'diff-simplified': 'diff simplified',
};

/** `Warnings:` lines for `rusty show` (hidden characters, simplified diffs); none when there are none. */
export function warningLines(p: Proposal): string[] {
  if (!p.warnings?.length) return [];
  return ['Warnings:', ...p.warnings.map((w) => `  ⚠ ${safeLine(w.message)}`)];
}

/**
 * The unified diff with hunk ids. `display` (the terminal) escapes paths and lines: controls as
 * `\x1b`, bidirectional and invisible characters as `<U+202E>`; JSON gets the exact text.
 */
export function unifiedDiff(p: Proposal, display = false): string {
  const show = display ? safeLine : (s: string) => s;
  return p.files.map((f) => {
    if (f.binary) return `Binary file ${fileLabel(f)} (${f.kind})`;
    if (!f.hunks.length) return `${fileLabel(f)} (${f.kind}, no content change)`;
    const hunks = display ? f.hunks.map((h) => ({ ...h, lines: h.lines.map(show) })) : f.hunks;
    return renderUnified(f.kind === 'create' ? '/dev/null' : show(f.path), hunks, f.kind === 'delete' ? '/dev/null' : show(f.to ?? f.path));
  }).join('\n');
}

const LIST = 8;

function more(items: readonly string[], total = items.length, max = LIST): string {
  const shown = items.slice(0, max).join(', ');
  return total > Math.min(max, items.length) ? `${shown} … (+${total - Math.min(max, items.length)} more)` : shown;
}

/** The impact section of `rusty show`: risk with reasons, type-check delta, symbols, references, dependents, tests, public API. */
/** `id`: the proposal's, to offer `rusty check ID` when the check was narrowed or skipped for size. */
export function impactLines(impact: ProposalImpact | undefined, id?: string): string[] {
  if (!impact) return ['Impact: not computed for this proposal.'];
  if (isImpactFailure(impact)) return [`Impact: could not be computed — ${impact.error}`];
  const r = impact;
  const lines = [`Impact: risk ${r.risk.level} (${r.risk.score}/100), computed in ${(r.durationMs / 1000).toFixed(1)}s`];
  for (const reason of r.risk.reasons) lines.push(`  ${reason.points ? `+${reason.points}`.padStart(4) : '    '}  ${reason.text}`);

  const tc = r.typeCheck;
  const checkNow = tc.limit !== undefined && id ? `  Run \`rusty check ${safeLine(id)}\` to type-check it in full now.` : undefined;
  if (tc.status === 'skipped') {
    lines.push(`Type check: not run — ${tc.reason ?? 'skipped'}`);
    if (checkNow) lines.push(checkNow);
  } else {
    const scope = `${tc.checkedFiles} file${tc.checkedFiles === 1 ? '' : 's'} checked${tc.status === 'partial' ? ', partial' : ''}`;
    const verdict = tc.introduced.length ? `${tc.introduced.length} new error${tc.introduced.length === 1 ? '' : 's'}` : 'no new errors';
    lines.push(`Type check (${scope}${tc.full ? ', in full on request' : ''}${r.compiler ? `, ${describeCompiler(r.compiler)}` : ''}): ${verdict}${tc.removed.length ? `, ${tc.removed.length} fixed` : ''}`);
    if (tc.status === 'partial' && tc.reason) lines.push(`  ${tc.reason}`);
    if (tc.status === 'partial' && checkNow) lines.push(checkNow);
    const diag = (d: { file: string; line: number; code: number; message: string }) => `${safeLine(d.file)}:${d.line} TS${d.code} ${d.message.split('\n')[0]}`;
    for (const d of tc.introduced.slice(0, 20)) lines.push(`  + ${diag(d)}`);
    if (tc.introduced.length > 20) lines.push(`  … ${tc.introduced.length - 20} more introduced`);
    for (const d of tc.removed.slice(0, 20)) lines.push(`  − ${diag(d)}`);
    if (tc.removed.length > 20) lines.push(`  … ${tc.removed.length - 20} more fixed`);
  }

  const symbols = r.symbols.map((s) => `${safeLine(s.name)} (${s.kind}, ${s.change}${s.exported ? ', exported' : ''}${s.commentsOnly ? ', comments only' : ''})`);
  lines.push(`Changed symbols: ${symbols.length ? more(symbols) : 'none'}`);
  if (r.references.symbols.length) {
    lines.push(`References to changed exports: ${r.references.total}${r.references.truncated ? ' (list shortened)' : ''}`);
    for (const s of r.references.symbols.slice(0, LIST)) {
      lines.push(`  ${safeLine(s.name)} (${safeLine(s.file)}): ${s.count}${s.locations.length ? ` — ${more(s.locations.map((l) => `${safeLine(l.file)}:${l.line}`), s.count, 6)}` : ''}`);
    }
  }
  const d = r.dependents;
  lines.push(`Dependents: ${d.total ? `${d.total}${d.truncated ? '+' : ''} (${d.direct} direct): ${more(d.files.map(safeLine), d.total)}` : 'none'}`);
  lines.push(`Tests reaching the change: ${r.tests.length ? more(r.tests.map(safeLine)) : 'none'}`);
  const api = r.publicApi;
  if (!api.entryPoints.length) lines.push('Public API: no package entry point found');
  else if (!api.changes.length) lines.push(`Public API: unchanged (${more(api.entryPoints, api.entryPoints.length, 3)})`);
  else {
    lines.push(`Public API changes: ${api.changes.length}`);
    for (const c of api.changes.slice(0, 20)) {
      const sig = c.summary ? `: ${c.summary}` : c.change === 'changed' ? `: ${c.before} → ${c.after}` : c.change === 'removed' && c.after ? ` (${c.after})` : '';
      lines.push(`  ${c.change} ${safeLine(c.name)}${c.kind ? ` (${c.kind})` : ''} in ${safeLine(c.entry)}${safeLine(sig)}`);
    }
  }
  for (const n of r.notes) lines.push(`Note: ${n}`);
  return lines;
}
