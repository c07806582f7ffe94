import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { ApprovalsProtocol, ApprovalsSnapshot } from '../protocol';
import { HostError, renderWithHost, type FakeHost, type Handlers } from '../test/fakeHost';
import { approvalsSnapshot, card, minutesAgo } from '../test/fixtures';
import { ApprovalsApp } from './ApprovalsApp';

function renderApprovals(snapshot: ApprovalsSnapshot = approvalsSnapshot(), handlers: Handlers<ApprovalsProtocol> = {}, host?: FakeHost<ApprovalsProtocol>) {
  return renderWithHost<ApprovalsProtocol>(<ApprovalsApp />, { snapshot, handlers, host });
}

const cardOf = (title: string) => screen.getByRole('article', { name: title });

const MIXED = approvalsSnapshot({
  proposals: [
    card({ id: 'p1', title: 'Organize imports in src/a.ts', risk: { score: 20, level: 'low', reasons: ['imports only'] } }),
    card({ id: 'p2', title: 'Rename helper', source: 'ai:claude', status: 'applied', createdAt: minutesAgo(180) }),
    card({ id: 'p3', title: 'Add tests', source: 'mcp:tests', status: 'rolled-back' }),
    card({ id: 'p4', title: 'Delete dead code', status: 'rejected', statusReason: 'Still used by the CLI' }),
  ],
});

describe('approvals sidebar', () => {
  it('tells a new user what to do when there are no proposals', async () => {
    const { host, user } = renderApprovals(approvalsSnapshot({ proposals: [], pendingCount: 0 }));
    const empty = screen.getByRole('region', { name: 'No proposals' });
    expect(empty.textContent).toContain('No proposals yet. Run Review Workspace to let the embedded engine look for safe fixes, or submit a change set with rusty submit.');
    await user.click(screen.getByRole('button', { name: 'Review Workspace' }));
    expect(host.requests('reviewWorkspace')).toEqual([{}]);
  });

  it('says to open a folder when there is no workspace', () => {
    renderApprovals(approvalsSnapshot({ proposals: [], pendingCount: 0, noWorkspace: true }));
    expect(screen.getByText('Open a folder to use Rusty.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Review Workspace' })).toBeNull();
  });

  it('shows a card per proposal with source, priority, risk, files, line counts, age and status', () => {
    renderApprovals(MIXED);
    expect(screen.getByText('1 proposal pending')).toBeTruthy();
    const first = cardOf('Organize imports in src/a.ts');
    for (const text of ['refactoring:organize-imports', 'Normal priority', 'Risk low (20)', '2 files', '+3 \u22121', '5m ago', 'Pending']) {
      expect(within(first).getByText(text)).toBeTruthy();
    }
    expect(within(cardOf('Rename helper')).getByText('3h ago')).toBeTruthy();
    expect(within(cardOf('Rename helper')).queryByText(/Risk/)).toBeNull();
    expect(within(cardOf('Delete dead code')).getByText('Still used by the CLI')).toBeTruthy();
  });

  it('shows hidden, bidirectional and control characters in the files tooltip, one line per file', () => {
    const files = [
      { path: 'src/a\u202Etxt.ts', kind: 'modify' as const, added: 1, removed: 0 },
      { path: 'src/b.ts\nsrc/fake.ts', kind: 'create' as const, added: 1, removed: 0 },
      { path: 'src/old\u200B.ts', to: 'src/new\u001b[2K.ts', kind: 'rename' as const, added: 0, removed: 0 },
    ];
    renderApprovals(approvalsSnapshot({ proposals: [card({ id: 'p9', title: 'Hidden names', files })] }));
    const tip = within(cardOf('Hidden names')).getByText('3 files').getAttribute('title');
    expect(tip).toBe('src/a<U+202E>txt.ts\nsrc/b.ts<U+000A>src/fake.ts\nsrc/old<U+200B>.ts \u2192 src/new<U+001B>[2K.ts');
  });

  it('offers the actions each status allows', () => {
    renderApprovals(MIXED);
    const names = (title: string) => within(cardOf(title)).getAllByRole('button').map((b) => b.textContent);
    expect(names('Organize imports in src/a.ts')).toEqual(['Review', 'Approve', 'Reject…']);
    expect(names('Rename helper')).toEqual(['Review', 'Rollback']);
    expect(names('Add tests')).toEqual(['Review', 'Redo']);
    expect(names('Delete dead code')).toEqual(['Review']);
  });

  it('sends review, approve, rollback and redo for the right proposal', async () => {
    const { host, user } = renderApprovals(MIXED, { approve: () => ({ status: 'applied', applied: ['src/a.ts'] }) });
    await user.click(screen.getByRole('button', { name: 'Review Organize imports in src/a.ts' }));
    await user.click(screen.getByRole('button', { name: 'Approve Organize imports in src/a.ts' }));
    await user.click(screen.getByRole('button', { name: /Rollback Rename helper/ }));
    await user.click(screen.getByRole('button', { name: /Redo Add tests/ }));
    expect(host.requests('review')).toEqual([{ id: 'p1' }]);
    expect(host.requests('approve')).toEqual([{ id: 'p1' }]);
    expect(host.requests('rollback')).toEqual([{ id: 'p2' }]);
    expect(host.requests('redo')).toEqual([{ id: 'p3' }]);
  });

  it('rejects only with a reason typed inline', async () => {
    const { host, user } = renderApprovals(MIXED, { reject: () => ({ status: 'rejected' }) });
    await user.click(screen.getByRole('button', { name: 'Reject Organize imports in src/a.ts' }));
    const form = screen.getByRole('form', { name: 'Reject Organize imports in src/a.ts' });
    const submit = within(form).getByRole('button', { name: 'Reject proposal' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.click(submit);
    expect(host.requests('reject')).toEqual([]);
    await user.type(within(form).getByRole('textbox', { name: /Reason for rejecting/ }), 'Breaks the build');
    await user.click(submit);
    expect(host.requests('reject')).toEqual([{ id: 'p1', reason: 'Breaks the build' }]);
    await waitFor(() => expect(screen.queryByRole('form')).toBeNull());
  });

  it('cancels the reason field with Escape', async () => {
    const { user } = renderApprovals(MIXED);
    await user.click(screen.getByRole('button', { name: 'Reject Organize imports in src/a.ts' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('filters by status and by source, and remembers the filter', async () => {
    const { host, user, unmount } = renderApprovals(MIXED);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'applied');
    expect(screen.getAllByRole('article').map((a) => a.getAttribute('aria-labelledby') && a.querySelector('h3')?.textContent)).toEqual(['Rename helper']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'all');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Source' }), 'refactoring:organize-imports');
    expect(screen.getAllByRole('article')).toHaveLength(2);
    unmount();

    renderApprovals(MIXED, {}, host);
    expect((screen.getByRole('combobox', { name: 'Source' }) as HTMLSelectElement).value).toBe('refactoring:organize-imports');
    expect(screen.getAllByRole('article')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getAllByRole('article')).toHaveLength(4);
  });

  it('says when nothing matches the filters', async () => {
    const { user } = renderApprovals(MIXED);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'needs-review');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Source' }), 'ai:claude');
    expect(screen.getByText(/No proposals match these filters/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show all' }));
    expect(screen.getAllByRole('article')).toHaveLength(4);
  });

  it('shows the busy state and disables Review Workspace while the host works', () => {
    renderApprovals(approvalsSnapshot({ busy: { label: 'Reviewing the workspace (12 of 40 files)…' } }));
    expect(screen.getByRole('status').textContent).toContain('Reviewing the workspace (12 of 40 files)…');
    expect((screen.getByRole('button', { name: 'Review Workspace' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Approve Organize imports in src/a.ts' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the host error banner and a failed request', async () => {
    const { user } = renderApprovals(approvalsSnapshot({ error: 'Rusty could not read its state folder.' }), {
      approve: () => {
        throw new HostError('conflict', 'Proposal p1 conflicts with newer edits.');
      },
    });
    expect(screen.getByRole('alert').textContent).toContain('could not read its state folder');
    await user.click(screen.getByRole('button', { name: 'Approve Organize imports in src/a.ts' }));
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    expect(screen.getAllByRole('alert')[1]!.textContent).toContain('conflicts with newer edits');
  });

  it('points to the review panel when a rollback needs force', async () => {
    const { host, user } = renderApprovals(MIXED, {
      rollback: () => {
        throw new HostError('conflict', 'Cannot roll back p2 without losing later edits. A forced rollback restores the checkpoint exactly.', true);
      },
    });
    await user.click(screen.getByRole('button', { name: 'Rollback Rename helper' }));
    await screen.findByText(/Roll back with force/);
    const reviews = screen.getAllByRole('button', { name: 'Review Rename helper' });
    await user.click(reviews[0]!);
    expect(host.requests('review')).toEqual([{ id: 'p2' }]);
  });

  it('opens the audit log from the header', async () => {
    const { host, user } = renderApprovals();
    await user.click(screen.getByRole('button', { name: 'Open audit log' }));
    expect(host.requests('openAuditLog')).toEqual([{}]);
  });

  it('is operable from the keyboard', async () => {
    const { host, user } = renderApprovals(MIXED);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Review Workspace' }));
    screen.getByRole('button', { name: 'Approve Organize imports in src/a.ts' }).focus();
    await user.keyboard('{Enter}');
    expect(host.requests('approve')).toEqual([{ id: 'p1' }]);
  });

  it('offers Open Pull Request when the host says so, and shows an opened PR with its CI and links', async () => {
    const snap = approvalsSnapshot({
      proposals: [
        card({ id: 'p2', title: 'Rename helper', status: 'applied', canOpenPullRequest: true }),
        card({
          id: 'p5', title: 'Bump a', status: 'applied',
          pullRequest: { repo: 'o/r', number: 7, url: 'https://github.com/o/r/pull/7', branch: 'rusty/p5-bump-a', base: 'main', draft: true,
            ci: { state: 'failure', at: minutesAgo(1), total: 2, failed: 1, pending: 0, checks: [] } },
        }),
      ],
    });
    const { host, user } = renderApprovals(snap, { openPullRequest: () => ({ number: 8, url: 'https://github.com/o/r/pull/8' }) });
    await user.click(screen.getByRole('button', { name: 'Open pull request for Rename helper' }));
    expect(host.requests('openPullRequest')).toEqual([{ id: 'p2' }]);
    const opened = cardOf('Bump a');
    expect(within(opened).queryByRole('button', { name: /Open pull request/ })).toBeNull();
    expect(within(opened).getByRole('link', { name: 'Pull request #7' }).getAttribute('href')).toBe('https://github.com/o/r/pull/7');
    expect(opened.textContent).toContain('(draft)');
    expect(opened.textContent).toContain('CI failed (1/2)');
  });
});

describe('approvals sidebar: refused agent submissions', () => {
  const DEAD = approvalsSnapshot({
    deadLetters: [
      { id: 'q-2', client: 'claude', title: 'Edit outside', kind: 'change-set', code: 'usage', reason: 'Path ../etc/passwd is outside the workspace.', failedAt: minutesAgo(2) },
      { id: 'q-1', client: 'cline', kind: 'search-replace', code: 'conflict', reason: 'src/a.ts\u202E: search text not found', failedAt: minutesAgo(90) },
    ],
  });

  it('is a collapsed section that opens from the keyboard and shows each refusal with reason, agent and time', async () => {
    const { user } = renderApprovals(DEAD);
    const section = screen.getByRole('region', { name: 'Refused agent submissions' });
    const toggle = within(section).getByRole('button', { name: '2 refused agent submissions' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(section).queryByText(/outside the workspace/)).toBeNull();
    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const items = within(within(section).getByRole('list', { name: 'Refused agent submissions' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    for (const text of ['Edit outside', 'usage', '2m ago', 'Path ../etc/passwd is outside the workspace.']) expect(within(items[0]!).getByText(text)).toBeTruthy();
    expect(items[0]!.textContent).toContain('agent:claude');
    // No title: the kind; hidden characters in an agent's text are shown, not obeyed.
    expect(within(items[1]!).getByText('search-replace')).toBeTruthy();
    expect(within(items[1]!).getByText('U+202E')).toBeTruthy();
    expect(items[1]!.textContent).toContain('1h ago');
    await user.keyboard('{Enter}');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('dismisses one or clears all through the host', async () => {
    const { host, user } = renderApprovals(DEAD, { dismissDeadLetter: () => ({ removed: 1 }), clearDeadLetters: () => ({ removed: 2 }) });
    await user.click(screen.getByRole('button', { name: '2 refused agent submissions' }));
    await user.click(screen.getByRole('button', { name: 'Dismiss Edit outside' }));
    await user.click(screen.getByRole('button', { name: 'Clear all refused agent submissions' }));
    await waitFor(() => expect(host.requests('clearDeadLetters')).toEqual([{}]));
    expect(host.requests('dismissDeadLetter')).toEqual([{ id: 'q-2' }]);
  });

  it('is absent when nothing was refused', () => {
    renderApprovals(MIXED);
    expect(screen.queryByRole('region', { name: 'Refused agent submissions' })).toBeNull();
  });
});
