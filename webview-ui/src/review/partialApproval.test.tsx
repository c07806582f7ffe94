import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import type { ProposalDetailView, ReviewProtocol } from '../protocol';
import { renderWithHost } from '../test/fakeHost';
import { minutesAgo, reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

// a.ts: hunk aaaa0001 applied (part 1), aaaa0002 still to approve; b.ts applied whole (part 2);
// new.ts not applied.
const PARTLY: Partial<ProposalDetailView> = {
  status: 'partially-applied',
  applied: { at: minutesAgo(1), actor: 'extension', checkpointId: 'cp2', files: ['src/a.ts', 'src/b.ts'], hunks: ['aaaa0001', 'bbbb0001'], merged: [] },
  pendingHunks: ['aaaa0002', 'cccc0001'],
  parts: [
    { n: 1, at: minutesAgo(3), files: ['src/a.ts'], hunks: ['aaaa0001'], rolledBack: false },
    { n: 2, at: minutesAgo(1), files: ['src/b.ts'], hunks: ['bbbb0001'], rolledBack: false },
  ],
};

const fileHeader = (path: string) => screen.getByText(path).closest('.diff-file') as HTMLElement;
const fileBox = (path: RegExp) => screen.queryByRole('checkbox', { name: path }) as HTMLInputElement | null;

describe('review panel, proposal applied in part', () => {
  it('a partly applied file\'s checkbox covers only its pending hunks; applied hunks and files are labelled, not selectable', async () => {
    const { host, user } = renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot(PARTLY), handlers: { approve: () => ({ status: 'partially-applied', applied: [], merged: [] }) } });
    expect(within(fileHeader('src/a.ts')).getByText('1 of 2 hunks applied')).toBeTruthy();
    expect(within(fileHeader('src/b.ts')).getByText('applied')).toBeTruthy();
    expect(fileBox(/src\/b\.ts/)).toBeNull();
    expect(screen.queryByRole('checkbox', { name: /Hunk aaaa0001/ })).toBeNull();
    expect(screen.getByText('3 files, 2 hunks still to approve')).toBeTruthy();

    const a = fileBox(/src\/a\.ts/)!;
    expect(a.checked).toBe(true);
    expect(a.indeterminate).toBe(false);
    // Unticking the one pending hunk empties the file (the applied hunk does not count).
    await user.click(screen.getByRole('checkbox', { name: /Hunk aaaa0002/ }));
    expect(a.checked).toBe(false);
    expect(a.indeterminate).toBe(false);
    expect(screen.getByText('1 of 2 hunks in 1 of 2 files')).toBeTruthy();
    await user.click(a);
    expect((screen.getByRole('checkbox', { name: /Hunk aaaa0002/ }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: /Approve selected/ }));
    expect(host.lastRequest('approve')).toEqual({ files: ['src/a.ts', 'src/new.ts'], hunks: [] });
  });

  it('explains what is applied, what remains and what Approve and Rollback do', () => {
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot(PARTLY) });
    const banner = screen.getByRole('region', { name: /Partly applied: 2 of 4 hunks are in your files/ });
    expect(within(banner).getByText('Part 1: 1 hunk in src/a.ts')).toBeTruthy();
    expect(within(banner).getByText('Part 2: 1 hunk in src/b.ts')).toBeTruthy();
    expect(banner.textContent).toContain('Still to approve: 2 hunks in src/a.ts, src/new.ts.');
    expect(banner.textContent).toContain('the latest applied part (part 2)');
    expect(screen.getByRole('button', { name: 'Rollback' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Reject/ })).toBeNull();
  });

  it('after rolling back a part every label follows the new state', () => {
    const { host } = renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot(PARTLY) });
    // Part 2 (b.ts) rolled back: b.ts is approvable again, its hunk no longer "applied".
    host.pushSnapshot(
      reviewSnapshot({
        ...PARTLY,
        applied: { ...PARTLY.applied!, files: ['src/a.ts'], hunks: ['aaaa0001'] },
        pendingHunks: ['aaaa0002', 'bbbb0001', 'cccc0001'],
        parts: [PARTLY.parts![0]!, { ...PARTLY.parts![1]!, rolledBack: true }],
      }),
    );
    expect(fileBox(/src\/b\.ts/)?.checked).toBe(true);
    expect(within(fileHeader('src/b.ts')).queryByText('applied')).toBeNull();
    const bHunk = screen.getByText('bbbb0001').closest('.diff-hunk') as HTMLElement;
    expect(within(bHunk).getByText('not applied')).toBeTruthy();
    const banner = screen.getByRole('region', { name: /Partly applied: 1 of 4 hunks/ });
    expect(within(banner).getByText('Part 2: 1 hunk in src/b.ts (rolled back)')).toBeTruthy();
    expect(banner.textContent).toContain('the latest applied part (part 1)');

    // Everything rolled back: no "applied" anywhere, no banner.
    host.pushSnapshot(reviewSnapshot({ status: 'rolled-back', pendingHunks: ['aaaa0001', 'aaaa0002', 'bbbb0001', 'cccc0001'], parts: PARTLY.parts!.map((p) => ({ ...p, rolledBack: true })) }));
    expect(screen.queryByText('applied')).toBeNull();
    expect(screen.queryByText(/hunks applied/)).toBeNull();
    expect(screen.queryByRole('region', { name: /Partly applied/ })).toBeNull();
  });
});

describe('review panel, approving in parts', () => {
  it('after approving a part, what is left starts selected, so the next "Approve selected" takes the rest', async () => {
    const { host, user } = renderWithHost<ReviewProtocol>(<ReviewApp />, {
      snapshot: reviewSnapshot(),
      handlers: {
        approve: () => {
          host.pushSnapshot(reviewSnapshot(PARTLY));
          return { status: 'partially-applied', applied: ['src/a.ts', 'src/b.ts'], merged: [] };
        },
      },
    });
    await user.click(screen.getByRole('checkbox', { name: /Hunk aaaa0002/ }));
    await user.click(fileBox(/src\/new\.ts/)!);
    await user.click(screen.getByRole('button', { name: /Approve selected/ }));
    expect(host.lastRequest('approve')).toEqual({ files: ['src/b.ts'], hunks: ['aaaa0001'] });
    expect((screen.getByRole('checkbox', { name: /Hunk aaaa0002/ }) as HTMLInputElement).checked).toBe(true);
    expect(fileBox(/src\/new\.ts/)!.checked).toBe(true);
    expect(screen.getByText('All 2 hunks in 2 files')).toBeTruthy();
  });
});
