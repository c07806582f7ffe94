// Snapshots as the host would send them, small enough to reason about in assertions.
import type { ApprovalsSnapshot, AuditEntryView, AuditSnapshot, FileView, HunkView, ProposalCardView, ProposalDetailView, ReviewSnapshot } from '../protocol';

export const NOW = Date.now();
export const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

export function card(overrides: Partial<ProposalCardView> = {}): ProposalCardView {
  return {
    id: 'p1',
    title: 'Organize imports in src/a.ts',
    source: 'refactoring:organize-imports',
    priority: 'normal',
    status: 'pending',
    createdAt: minutesAgo(5),
    updatedAt: minutesAgo(5),
    files: [
      { path: 'src/a.ts', kind: 'modify', added: 2, removed: 1 },
      { path: 'src/b.ts', kind: 'modify', added: 1, removed: 0 },
    ],
    added: 3,
    removed: 1,
    ...overrides,
  };
}

export function approvalsSnapshot(overrides: Partial<ApprovalsSnapshot> = {}): ApprovalsSnapshot {
  const proposals = overrides.proposals ?? [card()];
  return {
    workspaceName: 'sample-app',
    proposals,
    pendingCount: proposals.filter((p) => p.status === 'pending').length,
    ...overrides,
  };
}

/** "line 1" … "line n", LF, final newline. */
export function numberedText(n: number, change: (i: number) => string | undefined = () => undefined): string {
  return Array.from({ length: n }, (_, i) => change(i + 1) ?? `line ${i + 1}`).join('\n') + '\n';
}

function hunk(id: string, oldStart: number, oldLines: number, newStart: number, newLines: number, lines: string[]): HunkView {
  return { id, oldStart, oldLines, newStart, newLines, lines };
}

/** src/a.ts: 30 lines, line 3 and line 25 changed (two hunks, 15 unchanged lines between, 2 after). */
export const FILE_A: FileView = {
  path: 'src/a.ts',
  kind: 'modify',
  binary: false,
  added: 2,
  removed: 2,
  hunks: [
    hunk('aaaa0001', 1, 6, 1, 6, [' line 1', ' line 2', '-line 3', '+line three', ' line 4', ' line 5', ' line 6']),
    hunk('aaaa0002', 22, 7, 22, 7, [' line 22', ' line 23', ' line 24', '-line 25', '+line twenty-five', ' line 26', ' line 27', ' line 28']),
  ],
};

/** src/b.ts: one added line at the end. */
export const FILE_B: FileView = {
  path: 'src/b.ts',
  kind: 'modify',
  binary: false,
  added: 1,
  removed: 0,
  hunks: [hunk('bbbb0001', 1, 2, 1, 3, [' export const b = 1;', ' export const c = 2;', '+export const d = 3;'])],
};

/** src/new.ts: created, so approved whole or not at all. */
export const FILE_NEW: FileView = {
  path: 'src/new.ts',
  kind: 'create',
  binary: false,
  added: 1,
  removed: 0,
  hunks: [hunk('cccc0001', 0, 0, 1, 1, ['+export const created = true;'])],
};

export const TEXTS: ReviewSnapshot['texts'] = {
  'src/a.ts': { before: numberedText(30), after: numberedText(30, (i) => (i === 3 ? 'line three' : i === 25 ? 'line twenty-five' : undefined)) },
  'src/b.ts': { before: 'export const b = 1;\nexport const c = 2;\n', after: 'export const b = 1;\nexport const c = 2;\nexport const d = 3;\n' },
  'src/new.ts': { before: '', after: 'export const created = true;\n' },
};

export function detail(overrides: Partial<ProposalDetailView> = {}): ProposalDetailView {
  return {
    id: 'p1',
    title: 'Tidy up src',
    source: 'ai:model',
    priority: 'high',
    status: 'pending',
    createdAt: minutesAgo(5),
    updatedAt: minutesAgo(5),
    createdBy: 'agent-7',
    rationale: 'Clearer names and one new constant.',
    files: [FILE_A, FILE_B, FILE_NEW],
    added: 4,
    removed: 2,
    history: [{ status: 'pending', at: minutesAgo(5), actor: 'agent-7' }],
    ...overrides,
  };
}

export function reviewSnapshot(overrides: Partial<ProposalDetailView> = {}, rest: Partial<Omit<ReviewSnapshot, 'proposal'>> = {}): ReviewSnapshot {
  return { proposal: detail(overrides), texts: TEXTS, ...rest };
}

/** One file of `lines` lines, every line replaced: a 2 × `lines` row diff. */
export function bigReviewSnapshot(lines: number): ReviewSnapshot {
  const before = numberedText(lines);
  const after = numberedText(lines, (i) => `changed ${i}`);
  const hunkLines = [...Array.from({ length: lines }, (_, i) => `-line ${i + 1}`), ...Array.from({ length: lines }, (_, i) => `+changed ${i + 1}`)];
  const file: FileView = { path: 'src/big.ts', kind: 'modify', binary: false, added: lines, removed: lines, hunks: [hunk('dddd0001', 1, lines, 1, lines, hunkLines)] };
  return { proposal: detail({ files: [file], added: lines, removed: lines }), texts: { 'src/big.ts': { before, after } } };
}

export function auditEntry(overrides: Partial<AuditEntryView> = {}): AuditEntryView {
  return { seq: 1, time: minutesAgo(10), actor: 'cli', action: 'created', proposalId: 'p1', details: { title: 'Tidy up src', files: ['src/a.ts', 'src/b.ts'] }, ...overrides };
}

export function auditSnapshot(overrides: Partial<AuditSnapshot> = {}): AuditSnapshot {
  return {
    entries: [
      auditEntry(),
      auditEntry({ seq: 2, action: 'approved', actor: 'extension', details: { files: ['src/a.ts'], hunks: ['aaaa0001'], partial: true } }),
      auditEntry({ seq: 3, action: 'rejected', proposalId: 'p2', details: { reason: 'Not now' } }),
      auditEntry({ seq: 4, action: 'gc', proposalId: undefined, details: { removedBlobs: 3 } }),
    ],
    ...overrides,
  };
}
