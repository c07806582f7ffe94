// The core's Proposal → what the webviews are told (src/shared/proposalView.ts). Pure and
// serializable; the review panel's texts come from the blob store through a reader function.
import type { AuditEntry } from '../../core/audit';
import type { Proposal, ProposalFile, ProposalStatus } from '../../core/proposals/model';
import { liveParts, partsOf, progressOf } from '../../core/proposals/parts';
import { isImpactFailure, type ProposalImpact } from '../../core/impact/types';
import { decodeUtf8, normalize } from '../../core/util/text';
import { describeCompiler } from '../../core/tsEngine/types';
import type { AuditEntryView } from '../../shared/auditProtocol';
import type { AiRecordView, AlternativeView, FileView, ProposalCardView, ProposalDetailView, PullRequestView, TestRunSideView, TestRunView } from '../../shared/proposalView';

/** Statuses that still wait for a person (the core's queue puts these first). */
export const OPEN_STATUSES: readonly ProposalStatus[] = ['pending', 'conflicted'];

export function isOpen(p: Pick<Proposal, 'status'>): boolean {
  return OPEN_STATUSES.includes(p.status);
}

export function pendingCount(proposals: readonly Pick<Proposal, 'status'>[]): number {
  return proposals.filter(isOpen).length;
}

function totals(files: readonly ProposalFile[]): { added: number; removed: number } {
  return files.reduce((t, f) => ({ added: t.added + f.added, removed: t.removed + f.removed }), { added: 0, removed: 0 });
}

/** The id's distinguishing tail (its random part), to tell apart tabs and items with the same title. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(-6) : id;
}

/** A review panel's tab title: the (shortened) title and the short id, so equal titles differ. */
export function reviewPanelTitle(p: { id: string; title: string }): string {
  const title = p.title.replace(/\s+/g, ' ').trim();
  return `Rusty: ${title.length > 36 ? `${title.slice(0, 33)}...` : title} (${shortId(p.id)})`;
}

/** Risk as the impact analysis computed it; undefined when it did not (never guessed). */
export function toRiskView(impact: ProposalImpact | undefined): ProposalCardView['risk'] {
  if (!impact || isImpactFailure(impact)) return undefined;
  const { score, level, reasons } = impact.risk;
  return { score, level, reasons: reasons.map((r) => (r.points ? `${r.text} (+${r.points})` : r.text)) };
}

/** The review panel's impact facts from the stored report; absent fields were not computed. */
export function toImpactView(impact: ProposalImpact | undefined): ProposalDetailView['impact'] {
  if (!impact) return undefined;
  if (isImpactFailure(impact)) return { error: impact.error };
  const notes = [...impact.notes];
  if (impact.dependents.files.length < impact.dependents.total) notes.push(`${impact.dependents.total}${impact.dependents.truncated ? '+' : ''} dependent files in all; the nearest ${impact.dependents.files.length} are listed.`);
  if (!impact.publicApi.entryPoints.length && impact.files.some((f) => f.role === 'code')) notes.push('No package entry point was found (package.json types/main/exports, or index.ts), so public API changes were not looked for.');
  const tc = impact.typeCheck;
  if (tc.status === 'skipped' && !notes.some((n) => tc.reason && n.includes(tc.reason))) notes.push(`Type check not run: ${(tc.reason ?? 'skipped').replace(/\.?$/, '.')}`);
  else if (impact.compiler) notes.push(`Type-checked${tc.full ? ' in full on request' : ''} with ${describeCompiler(impact.compiler)}.`);
  return {
    symbols: impact.symbols.map((s) => `${s.name} — ${s.kind}, ${s.change}${s.exported ? ', exported' : ''}${s.commentsOnly ? ', comments only' : ''} (${s.file}:${s.line})`),
    references: impact.references.total,
    dependents: [...impact.dependents.files],
    tests: [...impact.tests],
    publicApi: impact.publicApi.changes.map((c) => `${c.change} ${c.name} (${c.entry})${c.summary ? `: ${c.summary}` : c.change === 'changed' && c.before && c.after ? `: ${c.before} → ${c.after}` : ''}`),
    publicApiChanges: impact.publicApi.changes.map((c) => ({
      name: c.name, change: c.change, entry: c.entry,
      ...(c.kind ? { kind: c.kind } : {}), ...(c.summary ? { summary: c.summary } : {}),
      ...(c.before ? { before: c.before } : {}), ...(c.after ? { after: c.after } : {}),
    })),
    ...(tc.status !== 'skipped' ? { typeCheck: { introduced: tc.introduced.map((d) => ({ ...d })), removed: tc.removed.map((d) => ({ ...d })) } } : {}),
    ...(notes.length ? { notes } : {}),
    ...(tc.limit !== undefined ? { checkNow: true } : {}),
  };
}

function common(p: Proposal): Omit<ProposalCardView, 'files'> {
  const risk = toRiskView(p.impact);
  return {
    id: p.id,
    title: p.title,
    source: p.source,
    priority: p.priority,
    status: p.status,
    ...(p.statusReason ? { statusReason: p.statusReason } : {}),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    ...totals(p.files),
    ...(partsOf(p).length ? { progress: progressView(p) } : {}),
    ...(risk ? { risk } : {}),
    ...(p.pullRequest ? { pullRequest: toPullRequestView(p.pullRequest) } : {}),
    ...((p.status === 'applied' || p.status === 'redone') && !p.pullRequest ? { canOpenPullRequest: true } : {}),
  };
}

function toPullRequestView(pr: NonNullable<Proposal['pullRequest']>): PullRequestView {
  return {
    repo: pr.repo, number: pr.number, url: pr.url, branch: pr.branch, base: pr.base, draft: pr.draft,
    ...(pr.ci ? { ci: { state: pr.ci.state, at: pr.ci.at, total: pr.ci.total, failed: pr.ci.failed, pending: pr.ci.pending, checks: pr.ci.checks ?? [] } } : {}),
  };
}

function progressView(p: Proposal): NonNullable<ProposalCardView['progress']> {
  const { applied, pending } = progressOf(p);
  return { applied: { added: applied.added, removed: applied.removed }, pending: { added: pending.added, removed: pending.removed } };
}

/** What is applied now (not what was applied once): a rolled-back hunk is no longer "applied". */
function appliedViews(p: Proposal): Pick<ProposalDetailView, 'applied' | 'pendingHunks' | 'parts'> {
  const parts = partsOf(p);
  if (!parts.length || !p.applied) return {};
  const { applied, pending } = progressOf(p);
  const files = [...new Set(liveParts(p).flatMap((x) => x.files))];
  const merged = [...new Set(liveParts(p).flatMap((x) => x.merged))];
  return {
    ...(liveParts(p).length ? { applied: { at: p.applied.at, actor: p.applied.actor, checkpointId: p.applied.checkpointId, files, hunks: applied.hunks, merged } } : {}),
    pendingHunks: pending.hunks,
    ...(parts.length > 1 || p.status === 'partially-applied' ? { parts: parts.map((x, i) => ({ n: i + 1, at: x.at, files: [...x.files], hunks: [...x.hunks], rolledBack: !!x.rollback })) } : {}),
  };
}

export function toCardView(p: Proposal): ProposalCardView {
  return {
    ...common(p),
    files: p.files.map((f) => ({ path: f.path, ...(f.to ? { to: f.to } : {}), kind: f.kind, added: f.added, removed: f.removed })),
  };
}

function toFileView(f: ProposalFile): FileView {
  return {
    path: f.path,
    kind: f.kind,
    ...(f.to ? { to: f.to } : {}),
    binary: f.binary,
    added: f.added,
    removed: f.removed,
    hunks: f.hunks.map((h) => ({ id: h.id, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] })),
  };
}

export function toDetailView(p: Proposal): ProposalDetailView {
  return {
    ...common(p),
    ...(p.rationale ? { rationale: p.rationale } : {}),
    createdBy: p.createdBy,
    files: p.files.map(toFileView),
    history: p.history.map((h) => ({ status: h.status, at: h.at, actor: h.actor, ...(h.note ? { note: h.note } : {}) })),
    ...appliedViews(p),
    ...(p.rollback ? { rollback: { ...p.rollback } } : {}),
    ...(p.impact ? { impact: toImpactView(p.impact) } : {}),
    ...(p.warnings?.length ? { warnings: p.warnings.map((w) => ({ ...w, ...(w.lines ? { lines: [...w.lines] } : {}), ...(w.codepoints ? { codepoints: [...w.codepoints] } : {}) })) } : {}),
    ...(p.ai ? { ai: toAiView(p.ai) } : {}),
    ...(p.testRun ? { testRun: toTestRunView(p.testRun) } : {}),
  };
}

/** The attached test run as the review panel shows it (known fields only, copied). */
export function toTestRunView(r: NonNullable<Proposal['testRun']>): TestRunView {
  return {
    framework: r.framework, status: r.status, passed: r.passed, failed: r.failed, todo: r.todo, skipped: r.skipped, ms: r.ms, at: r.at,
    ...(r.command ? { command: r.command } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.output ? { output: r.output } : {}),
    ...(Array.isArray(r.filled) ? { filled: r.filled.map((c) => ({ title: String(c.title), status: c.status })) } : {}),
    ...(Array.isArray(r.unsaved) && r.unsaved.length ? { unsaved: r.unsaved.map(String) } : {}),
    ...(r.test ? { test: String(r.test) } : {}),
    ...(r.before ? { before: toTestRunSide(r.before) } : {}),
    ...(r.after ? { after: toTestRunSide(r.after) } : {}),
  };
}

function toTestRunSide(r: NonNullable<NonNullable<Proposal['testRun']>['before']>): TestRunSideView {
  return { status: r.status, passed: r.passed, failed: r.failed, ...(r.reason ? { reason: r.reason } : {}) };
}

/** The proposal's AI record as the review panel shows it (the transcript's hash stays in the core). */
export function toAiView(ai: NonNullable<Proposal['ai']>): AiRecordView {
  return {
    provider: ai.provider, model: ai.model, task: ai.task,
    ...(ai.route ? { route: ai.route } : {}),
    ...(ai.thread ? { thread: ai.thread } : {}),
    rounds: ai.rounds,
    repairs: ai.repairs.map((r) => ({ round: r.round, kind: r.kind, message: r.message })),
    usage: { ...ai.usage },
    ...(ai.costUsd !== undefined ? { costUsd: ai.costUsd } : {}),
    ...(ai.transcript ? { transcript: { path: ai.transcript.path, messages: ai.transcript.messages } } : {}),
    ...(ai.group ? { group: { ...ai.group, facts: { ...ai.group.facts }, siblings: [...ai.group.siblings] } } : {}),
  };
}

/** The competing proposals of `p`'s AI group (`p` included), best first; undefined when it has none. */
export function alternativesOf(p: Proposal, find: (id: string) => Proposal | undefined): { formula: string; items: AlternativeView[] } | undefined {
  const group = p.ai?.group;
  if (!group) return undefined;
  const members = [p, ...group.siblings.map(find).filter((x): x is Proposal => !!x && x.ai?.group?.id === group.id)];
  const items = members.map((m): AlternativeView => ({
    id: m.id, title: m.title, status: m.status, ...(m.statusReason ? { statusReason: m.statusReason } : {}),
    model: `${m.ai!.provider}/${m.ai!.model}`, rank: m.ai!.group!.rank, score: m.ai!.group!.score, facts: { ...m.ai!.group!.facts },
    added: m.files.reduce((n, f) => n + f.added, 0), removed: m.files.reduce((n, f) => n + f.removed, 0), files: m.files.length,
    current: m.id === p.id,
  }));
  return { formula: group.formula, items: items.sort((a, b) => a.rank - b.rank) };
}

/** Decoded, LF-normalized, BOM-less text of a blob. */
export function blobToText(bytes: Uint8Array): string {
  return normalize(decodeUtf8(bytes));
}

/**
 * Before/after texts per file (keyed by FileView.path) for the side-by-side view. Binary files are
 * absent; a created file's before and a deleted file's after are empty.
 */
export function proposalTexts(p: Proposal, readBlob: (hash: string) => Uint8Array): Record<string, { before: string; after: string }> {
  const out: Record<string, { before: string; after: string }> = {};
  for (const f of p.files) {
    if (f.binary) continue;
    const side = (hash: string | undefined) => (hash ? blobToText(readBlob(hash)) : '');
    const before = side(f.baseHash);
    const after = f.kind === 'delete' ? '' : f.kind === 'rename' && !f.newHash ? before : side(f.newHash);
    out[f.path] = { before, after };
  }
  return out;
}

/** What a person can do about a proposal that did not go through; undefined when nothing is needed. */
export function guidanceFor(p: Pick<Proposal, 'status' | 'statusReason'>): string | undefined {
  const why = p.statusReason ? `${p.statusReason} ` : '';
  switch (p.status) {
    case 'conflicted':
      return `${why}The files changed since this proposal was made and the changes overlap. Edit the named lines so they no longer overlap and approve again, approve only the hunks that do not conflict, or reject it and create it again (for example run the refactoring again).`;
    case 'stale':
      return `${why}The files it was computed on are gone or changed beyond merging. Reject it, then create it again from the current files.`;
    case 'failed':
      return `${why}Nothing was changed. Fix the cause (permissions, disk space, a file locked by another program) and approve again.`;
    default:
      return undefined;
  }
}

export function toAuditEntryView(e: AuditEntry): AuditEntryView {
  return {
    seq: e.seq,
    time: e.time,
    actor: e.actor,
    action: e.action,
    ...(e.proposalId ? { proposalId: e.proposalId } : {}),
    details: e.details,
  };
}

/** The files a proposal touches in the workspace as it is now (rename: the old path). */
export function touchesPath(p: Proposal, rel: string): boolean {
  return p.files.some((f) => f.path === rel && f.kind !== 'create');
}

/** "3 minutes ago"-style age, for pickers and cards. */
export function describeAge(iso: string, now: Date): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 45) return 'just now';
  const units: [number, string][] = [[60, 'minute'], [3600, 'hour'], [86400, 'day'], [86400 * 30, 'month'], [86400 * 365, 'year']];
  let pick: [number, string] = units[0]!;
  for (const u of units) if (s >= u[0] * 0.9) pick = u;
  const n = Math.max(1, Math.round(s / pick[0]));
  return `${n} ${pick[1]}${n === 1 ? '' : 's'} ago`;
}
