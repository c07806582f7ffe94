import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../core/proposals/model';
import { approveSummary, isEligible, nothingToPick, pickItem } from './pickItems';
import { reviewPanelTitle } from '../views/proposalViews';

const base: Proposal = {
  id: 'p1', title: 'Organize imports in 2 files', source: 'refactoring:organize-imports', priority: 'low',
  createdBy: 'cli', createdAt: '2026-01-01T10:00:00Z', updatedAt: '2026-01-01T11:00:00Z', status: 'pending',
  fingerprint: 'f',
  files: [
    { path: 'src/a.ts', kind: 'modify', binary: false, added: 1, removed: 3, hunks: [] },
    { path: 'src/b.ts', kind: 'rename', to: 'src/c.ts', binary: false, added: 0, removed: 1, hunks: [] },
  ],
  history: [],
};
const applied = { at: 't', actor: 'cli', checkpointId: 'cp1', files: [], hunks: [], merged: [] };

describe('eligibility', () => {
  it('follows the core state machine', () => {
    expect(isEligible(base, 'approve')).toBe(true);
    expect(isEligible({ ...base, status: 'conflicted' }, 'approve')).toBe(true);
    expect(isEligible({ ...base, status: 'failed' }, 'approve')).toBe(true);
    expect(isEligible({ ...base, status: 'applied' }, 'approve')).toBe(false);
    expect(isEligible({ ...base, status: 'stale' }, 'reject')).toBe(true);
    expect(isEligible({ ...base, status: 'applied' }, 'reject')).toBe(false);
    expect(isEligible({ ...base, status: 'applied', applied }, 'rollback')).toBe(true);
    expect(isEligible({ ...base, status: 'redone', applied }, 'rollback')).toBe(true);
    expect(isEligible({ ...base, status: 'applied' }, 'rollback')).toBe(false);
    expect(isEligible({ ...base, status: 'rolled-back', rollback: { at: 't', actor: 'a', checkpointId: 'c', forced: false } }, 'redo')).toBe(true);
    expect(isEligible(base, 'redo')).toBe(false);
    expect(isEligible({ ...base, status: 'rejected' }, 'review')).toBe(true);
  });
});

describe('QuickPick items', () => {
  it('show status, age, id and files with totals', () => {
    const item = pickItem(base, new Date('2026-01-01T13:00:00Z'));
    expect(item).toEqual({
      id: 'p1',
      label: '$(circle-large-outline) Organize imports in 2 files',
      description: 'pending · 2 hours ago · p1',
      detail: 'src/a.ts, src/b.ts → src/c.ts (+1 −4) · refactoring:organize-imports',
    });
    const many = pickItem({ ...base, files: Array.from({ length: 5 }, (_, i) => ({ ...base.files[0]!, path: `f${i}.ts` })) }, new Date());
    expect(many.detail).toMatch(/^f0\.ts, f1\.ts, f2\.ts and 2 more/);
  });

  it('explain an empty pick', () => {
    expect(nothingToPick('approve')).toBe('No proposal is waiting for approval.');
    expect(nothingToPick('rollback', 'src/a.ts')).toBe('No applied proposal for src/a.ts to roll back.');
  });
});

describe('approve confirm and panel titles', () => {
  it('summarizes files, +/- and risk (or says risk was not computed), for a selection too', () => {
    expect(approveSummary(base)).toBe('2 files, +1 \u22124 \u00b7 risk not computed\nsrc/a.ts\nsrc/b.ts \u2192 src/c.ts');
    expect(approveSummary(base, { files: ['src/b.ts'] }).split('\n')[0]).toBe('1 file, +0 \u22121 \u00b7 risk not computed');
  });

  it('tells apart two review tabs with the same title by the short id', () => {
    const a = reviewPanelTitle({ id: 'p0mio2x3k4a1b2c3', title: 'Organize imports in 2 files' });
    const b = reviewPanelTitle({ id: 'p0mio2x3k4d4e5f6', title: 'Organize imports in 2 files' });
    expect(a).toBe('Rusty: Organize imports in 2 files (a1b2c3)');
    expect(a).not.toBe(b);
    expect(reviewPanelTitle({ id: 'p0mio2x3k4a1b2c3', title: 'x'.repeat(60) })).toBe(`Rusty: ${'x'.repeat(33)}... (a1b2c3)`);
  });
});
