import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { ReviewProtocol } from '../protocol';
import { FakeHost, HostError, renderWithHost, type Handlers } from '../test/fakeHost';
import { bigReviewSnapshot, reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

function renderReview(snapshot = reviewSnapshot(), handlers: Handlers<ReviewProtocol> = {}, host?: FakeHost<ReviewProtocol>) {
  return renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot, handlers, host });
}

const fileBox = (path: RegExp) => screen.getByRole('checkbox', { name: path });
const hunkBox = (id: string) => screen.getByRole('checkbox', { name: new RegExp(`Hunk ${id}`) });
const approveButton = () => screen.getByRole('button', { name: /Approve selected/ });

describe('review panel', () => {
  it('shows the header, says plainly that impact and risk are not computed, and lists every file', () => {
    renderReview();
    expect(screen.getByRole('heading', { level: 1, name: 'Tidy up src' })).toBeTruthy();
    expect(screen.getByText('Pending')).toBeTruthy();
    expect(screen.getByText('High priority')).toBeTruthy();
    expect(screen.getByText('ai:model')).toBeTruthy();
    expect(screen.getByText('5m ago')).toBeTruthy();
    expect(screen.getByText('Clearer names and one new constant.')).toBeTruthy();
    expect(screen.getByText('Impact analysis not available for this proposal.')).toBeTruthy();
    expect(screen.getByText('Risk not computed for this proposal.')).toBeTruthy();
    for (const path of [/src\/a\.ts/, /src\/b\.ts/, /src\/new\.ts/]) expect((fileBox(path) as HTMLInputElement).checked).toBe(true);
  });

  it('approves exactly the chosen files and hunks (untick a file, tick one of its hunks back)', async () => {
    const { host, user } = renderReview(reviewSnapshot(), { approve: () => ({ status: 'applied', applied: [], merged: [] }) });
    await user.click(fileBox(/src\/a\.ts/));
    expect((hunkBox('aaaa0001') as HTMLInputElement).checked).toBe(false);
    await user.click(hunkBox('aaaa0002'));
    await user.click(fileBox(/src\/b\.ts/));
    const a = fileBox(/src\/a\.ts/) as HTMLInputElement;
    expect(a.indeterminate).toBe(true);
    expect(a.checked).toBe(false);
    expect(screen.getByText('2 of 4 hunks in 2 of 3 files')).toBeTruthy();
    await user.click(approveButton());
    expect(host.lastRequest('approve')).toEqual({ files: ['src/new.ts'], hunks: ['aaaa0002'] });
  });

  it('approves a created file only as a whole (no hunk checkbox)', () => {
    renderReview();
    expect(screen.queryByRole('checkbox', { name: /Hunk cccc0001/ })).toBeNull();
    expect(screen.getByText('whole file only')).toBeTruthy();
  });

  it('cannot approve an empty selection', async () => {
    const { host, user } = renderReview();
    await user.click(screen.getByRole('checkbox', { name: 'Select all changes' }));
    expect((approveButton() as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Nothing selected')).toBeTruthy();
    await user.click(approveButton());
    expect(host.requests('approve')).toEqual([]);
  });

  it('requires a reason to reject', async () => {
    const { host, user } = renderReview(reviewSnapshot(), { reject: () => ({ status: 'rejected' }) });
    await user.click(screen.getByRole('button', { name: /Reject/ }));
    const submit = screen.getByRole('button', { name: 'Reject proposal' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.type(screen.getByRole('textbox', { name: /Reason for rejecting/ }), '   ');
    expect(submit.disabled).toBe(true);
    await user.type(screen.getByRole('textbox', { name: /Reason for rejecting/ }), 'Wrong approach{Enter}');
    expect(host.lastRequest('reject')).toEqual({ reason: 'Wrong approach' });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Reject proposal' })).toBeNull());
  });

  it('offers Rollback only when applied and Redo only when rolled back', () => {
    const { unmount } = renderReview(reviewSnapshot({ status: 'applied', applied: { at: new Date().toISOString(), actor: 'extension', checkpointId: 'cp1', files: ['src/a.ts'], hunks: ['aaaa0001'], merged: [] } }));
    expect(screen.getByRole('button', { name: /Rollback/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Approve selected/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Redo/ })).toBeNull();
    expect(screen.queryByRole('checkbox', { name: /src\/a\.ts/ })).toBeNull();
    expect(screen.getAllByText('applied').length).toBe(1);
    expect(screen.getAllByText('not applied').length).toBe(3);
    unmount();
    renderReview(reviewSnapshot({ status: 'rolled-back' }));
    expect(screen.getByRole('button', { name: /Redo/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Rollback/ })).toBeNull();
  });

  it('surfaces Force when the host refuses a rollback with a forceable conflict', async () => {
    let calls = 0;
    const { host, user } = renderReview(reviewSnapshot({ status: 'applied' }), {
      rollback: ({ force }) => {
        calls++;
        if (!force) throw new HostError('conflict', 'Cannot roll back p1 without losing later edits: src/a.ts lines 3–4. A forced rollback restores the checkpoint exactly.', true);
        return { status: 'rolled-back' };
      },
    });
    await user.click(screen.getByRole('button', { name: /Rollback/ }));
    const force = await screen.findByRole('button', { name: 'Roll back with force' });
    expect(screen.getByText(/without losing later edits/)).toBeTruthy();
    await user.click(force);
    expect(host.requests('rollback')).toEqual([{ force: false }, { force: true }]);
    expect(calls).toBe(2);
  });

  it('explains a conflict with the host guidance', () => {
    renderReview(reviewSnapshot({ status: 'conflicted', statusReason: 'src/a.ts changed on lines 3–4 (hunk aaaa0001).' }, { guidance: 'Resolve the overlap in src/a.ts, or untick hunk aaaa0001, then approve again.' }));
    const section = screen.getByRole('region', { name: /Conflict: nothing was written/ });
    expect(within(section).getByText(/hunk aaaa0001\)\./)).toBeTruthy();
    expect(within(section).getByText(/untick hunk aaaa0001/)).toBeTruthy();
    expect(approveButton()).toBeTruthy();
  });

  it('explains stale (reject only) and failed (approve again) proposals', () => {
    const { unmount } = renderReview(reviewSnapshot({ status: 'stale', statusReason: 'src/b.ts is gone.' }));
    expect(screen.getByRole('region', { name: /Stale/ })).toBeTruthy();
    expect(screen.getByText(/Reject it and create it again/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Approve selected/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Reject/ })).toBeTruthy();
    unmount();
    renderReview(reviewSnapshot({ status: 'failed', statusReason: 'EACCES: permission denied, open src/a.ts' }));
    expect(screen.getByRole('region', { name: /Apply failed/ })).toBeTruthy();
    expect(screen.getByText('EACCES: permission denied, open src/a.ts')).toBeTruthy();
    expect(approveButton()).toBeTruthy();
  });

  it('shows the host error and a failed request as alerts', async () => {
    const { user } = renderReview(reviewSnapshot({}, { error: 'The proposal could not be loaded: disk full.' }), {
      openDiff: () => {
        throw new HostError('not-found', 'src/a.ts is not part of this proposal.');
      },
    });
    expect(screen.getByRole('alert').textContent).toContain('disk full');
    await user.click(screen.getByRole('button', { name: 'Open src/a.ts in VS Code diff' }));
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Dismiss error' }));
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('tracks validate → checkpoint → apply → verify', () => {
    renderReview(reviewSnapshot({ status: 'applying' }, { progress: { operation: 'approve', step: 'apply', state: 'running', detail: 'Writing 3 files' } }));
    const steps = within(screen.getByRole('list', { name: 'Progress' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual(['Validate: done', 'Checkpoint: done', 'Apply: in progress', 'Verify: not started']);
    expect(steps[2]!.getAttribute('aria-current')).toBe('step');
    expect(screen.getByText('Writing 3 files')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Applying…' })).toBeTruthy();
  });

  it('says which step failed', () => {
    renderReview(reviewSnapshot({ status: 'failed' }, { progress: { operation: 'rollback', step: 'apply', state: 'failed', detail: 'EBUSY: src/a.ts is locked' } }));
    expect(screen.getByRole('heading', { name: 'Rollback failed' })).toBeTruthy();
    const steps = within(screen.getByRole('list', { name: 'Progress' })).getAllByRole('listitem');
    expect(steps[2]!.textContent).toBe('Apply: failed');
  });

  it('renders every impact field present and names the missing ones', async () => {
    const { host, user } = renderReview(
      reviewSnapshot({
        risk: { score: 72, level: 'high', reasons: ['Changes an exported function'] },
        impact: { references: 12, tests: ['src/a.test.ts'], typeCheck: { introduced: [{ file: 'src/c.ts', line: 4, code: 2345, message: 'Argument of type string…' }], removed: [] } },
      }),
    );
    expect(screen.getByText('Risk: high (72/100)')).toBeTruthy();
    expect(screen.getByText('Changes an exported function')).toBeTruthy();
    expect(screen.getByText('12 references to the changed code')).toBeTruthy();
    expect(screen.getByText('src/a.test.ts')).toBeTruthy();
    expect(screen.getByText('1 new type error')).toBeTruthy();
    expect(screen.getByText('Not computed yet: changed symbols, dependent files, public API.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Open src/c.ts:4' }));
    expect(host.lastRequest('openFile')).toEqual({ path: 'src/c.ts', line: 4 });
  });

  it('opens a file in the VS Code diff editor', async () => {
    const { host, user } = renderReview();
    await user.click(screen.getByRole('button', { name: 'Open src/b.ts in VS Code diff' }));
    expect(host.lastRequest('openDiff')).toEqual({ path: 'src/b.ts' });
  });

  it('switches to side by side and unfolds unchanged lines', async () => {
    const { container, user } = renderReview();
    await user.click(screen.getByRole('button', { name: /Side by side/ }));
    expect(screen.getByRole('button', { name: /Side by side/ }).getAttribute('aria-pressed')).toBe('true');
    const pair = [...container.querySelectorAll('.diff-pair')].find((p) => p.textContent?.includes('line three'));
    expect(pair?.textContent).toContain('line 3');
    expect(screen.queryByText('line 10')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show 15 unchanged lines' }));
    expect(screen.getAllByText('line 10')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Hide 15 unchanged lines' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('toggles a focused checkbox with Space, and Tab reaches Approve selected before the diff', async () => {
    const { user } = renderReview();
    const b = fileBox(/src\/b\.ts/) as HTMLInputElement;
    b.focus();
    await user.keyboard(' ');
    expect(b.checked).toBe(false);
    await user.keyboard(' ');
    expect(b.checked).toBe(true);

    (document.activeElement as HTMLElement).blur();
    for (let i = 0; i < 10 && document.activeElement !== approveButton(); i++) await user.tab();
    expect(document.activeElement).toBe(approveButton());
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Reject/ }));
  });

  it('moves between hunks with j / k and the arrow keys', async () => {
    const { user } = renderReview();
    fileBox(/src\/a\.ts/).focus();
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(hunkBox('aaaa0001')));
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(hunkBox('aaaa0002')));
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(fileBox(/src\/b\.ts/)));
    await user.keyboard('k');
    await waitFor(() => expect(document.activeElement).toBe(hunkBox('aaaa0002')));
    // A focused row that scrolls out of a virtual list leaves focus on <body>; j continues from it.
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(fileBox(/src\/b\.ts/)));
  });

  it('moves with j / k from anywhere in the panel that is not a text field (a button, the impact section)', async () => {
    const { user } = renderReview();
    approveButton().focus();
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(fileBox(/src\/a\.ts/)));
    screen.getByRole('button', { name: /Reject/ }).focus();
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(hunkBox('aaaa0001')));
  });

  it('after approving, moves focus to the status line (not a vanished button)', async () => {
    const { host, user } = renderReview(reviewSnapshot(), {
      approve: () => {
        host.pushSnapshot(reviewSnapshot({ status: 'applied' }));
        return { status: 'applied', applied: [], merged: [] };
      },
    });
    await user.click(approveButton());
    await waitFor(() => expect(document.activeElement?.hasAttribute('data-review-status')).toBe(true));
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Status: Applied');
  });

  it('after a partial approval, moves focus to the first file still open for approval', async () => {
    const { host, user } = renderReview(reviewSnapshot(), { approve: () => ({ status: 'applied', applied: [], merged: [] }) });
    await user.click(approveButton());
    host.pushSnapshot(reviewSnapshot());
    await waitFor(() => expect(document.activeElement).toBe(fileBox(/src\/a\.ts/)));
  });

  it('leaves j and k alone while typing a reason', async () => {
    const { user } = renderReview();
    await user.click(screen.getByRole('button', { name: /Reject/ }));
    await user.type(screen.getByRole('textbox', { name: /Reason for rejecting/ }), 'jk');
    expect((screen.getByRole('textbox', { name: /Reason for rejecting/ }) as HTMLInputElement).value).toBe('jk');
  });

  it('moves between hunks of a virtualized proposal', async () => {
    const { user } = renderReview(bigReviewSnapshot(2000));
    fileBox(/src\/big\.ts/).focus();
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(hunkBox('dddd0001')));
  });

  it('keeps the selection and layout when the panel is hidden and shown again', async () => {
    const first = renderReview();
    await first.user.click(fileBox(/src\/b\.ts/));
    await first.user.click(hunkBox('aaaa0001'));
    await first.user.click(screen.getByRole('button', { name: /Side by side/ }));
    first.unmount();

    const again = renderReview(reviewSnapshot(), {}, first.host);
    expect((fileBox(/src\/b\.ts/) as HTMLInputElement).checked).toBe(false);
    expect((hunkBox('aaaa0001') as HTMLInputElement).checked).toBe(false);
    expect((hunkBox('aaaa0002') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('button', { name: /Side by side/ }).getAttribute('aria-pressed')).toBe('true');
    await again.user.click(approveButton());
    expect(again.host.lastRequest('approve')).toEqual({ files: ['src/new.ts'], hunks: ['aaaa0002'] });
  });

  it('switches to another proposal in place: the diff stays mounted, the view state starts fresh, the old offer goes', async () => {
    const { container, host, user } = renderReview(reviewSnapshot({ id: 'p-one', title: 'First proposal' }), {
      rollback: () => {
        throw new HostError('conflict', 'Cannot roll back p-two without losing later edits: src/a.ts lines 3–4.', true);
      },
    });
    await user.click(fileBox(/src\/b\.ts/));
    await user.click(screen.getByRole('button', { name: /Side by side/ }));
    expect((fileBox(/src\/b\.ts/) as HTMLInputElement).checked).toBe(false);
    const diff = container.querySelector('.diff');
    const main = container.querySelector('main.review');
    expect(diff).toBeTruthy();

    host.pushSnapshot(reviewSnapshot({ id: 'p-two', title: 'Second proposal', status: 'applied' }));
    await screen.findByRole('heading', { level: 1, name: 'Second proposal' });
    // The same elements, updated: nothing was unmounted and built again.
    expect(container.querySelector('.diff')).toBe(diff);
    expect(container.querySelector('main.review')).toBe(main);
    expect(screen.getByRole('button', { name: /Inline/ }).getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: /Rollback/ }));
    expect(await screen.findByRole('button', { name: 'Roll back with force' })).toBeTruthy();

    // Back to the first (nothing was changed on the second): the stored view state is still the first's; the second's offer is gone.
    host.pushSnapshot(reviewSnapshot({ id: 'p-one', title: 'First proposal' }));
    await screen.findByRole('heading', { level: 1, name: 'First proposal' });
    expect(container.querySelector('.diff')).toBe(diff);
    expect((fileBox(/src\/b\.ts/) as HTMLInputElement).checked).toBe(false);
    expect(screen.getByRole('button', { name: /Side by side/ }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByRole('button', { name: 'Roll back with force' })).toBeNull();
    expect(screen.queryByText(/without losing later edits/)).toBeNull();
  });

  it('ignores saved state that belongs to another proposal', () => {
    const host = new FakeHost<ReviewProtocol>();
    host.state = { review: { proposalId: 'other', unselected: ['file:src/b.ts'], layout: 'split', expandedGaps: [], collapsedFiles: [] } };
    renderReview(reviewSnapshot(), {}, host);
    expect((fileBox(/src\/b\.ts/) as HTMLInputElement).checked).toBe(true);
  });

  // Its speed is measured by the review-panel bench (scripts/bench/review-panel.mjs), not asserted here.
  it('renders a 2,000-line proposal virtualized, with far fewer DOM rows than lines', () => {
    const { container } = renderReview(bigReviewSnapshot(2000));
    const rendered = container.querySelectorAll('.diff-row').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    expect(container.querySelectorAll('.diff-line').length).toBeLessThan(200);
    expect(screen.getByText('line 1')).toBeTruthy();
    expect(screen.queryByText('changed 2000')).toBeNull();
    expect(approveButton()).toBeTruthy();
  });

  it('opens a pull request (or a draft) for an applied proposal, then shows it with each check and only web links', async () => {
    const { host, user } = renderReview(reviewSnapshot({ status: 'applied', canOpenPullRequest: true }), { openPullRequest: () => ({ number: 3, url: 'https://github.com/o/r/pull/3' }) });
    await user.click(screen.getByRole('button', { name: 'Open Pull Request' }));
    await user.click(screen.getByRole('button', { name: 'Open as Draft' }));
    expect(host.requests('openPullRequest')).toEqual([{ draft: false }, { draft: true }]);
    host.pushSnapshot(reviewSnapshot({
      status: 'applied',
      pullRequest: { repo: 'o/r', number: 3, url: 'https://github.com/o/r/pull/3', branch: 'rusty/x', base: 'main', draft: false,
        ci: { state: 'pending', at: '2026-12-03T00:00:00Z', total: 2, failed: 0, pending: 1, checks: [
          { name: 'build', status: 'completed', conclusion: 'success', url: 'https://github.com/o/r/runs/1' },
          { name: 'evil\u202e', status: 'pending', url: 'javascript:alert(1)' },
        ] } },
    }));
    await waitFor(() => expect(screen.getByRole('link', { name: 'Pull request #3' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Open Pull Request' })).toBeNull();
    const checks = screen.getByRole('list', { name: 'Checks' });
    expect(within(checks).getByRole('link', { name: 'build' }).getAttribute('href')).toBe('https://github.com/o/r/runs/1');
    expect(within(checks).queryAllByRole('link')).toHaveLength(1);
    expect(checks.textContent).toContain('U+202E');
    expect(screen.getByText(/CI running/)).toBeTruthy();
  });
});
