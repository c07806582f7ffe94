import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { AuditProtocol, AuditSnapshot } from '../protocol';
import { HostError, renderWithHost, type Handlers } from '../test/fakeHost';
import { auditEntry, auditSnapshot } from '../test/fixtures';
import { AuditApp } from './AuditApp';

function renderAudit(snapshot: AuditSnapshot = auditSnapshot(), handlers: Handlers<AuditProtocol> = {}) {
  return renderWithHost<AuditProtocol>(<AuditApp />, { snapshot, handlers });
}

const bodyRows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);

describe('audit log', () => {
  it('lists entries newest first with actor, action, proposal and summarized details', () => {
    renderAudit();
    const rows = bodyRows();
    expect(rows).toHaveLength(4);
    expect(within(rows[0]!).getByText('gc')).toBeTruthy();
    expect(within(rows[0]!).getByText('removedBlobs: 3')).toBeTruthy();
    expect(within(rows[1]!).getByText('reason: Not now')).toBeTruthy();
    expect(within(rows[2]!).getByText('extension')).toBeTruthy();
    expect(within(rows[2]!).getByText('files: src/a.ts; hunks: aaaa0001; partial: true')).toBeTruthy();
    expect(within(rows[3]!).getByRole('button', { name: 'Open proposal p1' })).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Seq', 'Time', 'Actor', 'Action', 'Proposal', 'Summary']);
  });

  it('summarizes a nested risk by its values, with the whole summary as the tooltip', () => {
    renderAudit(auditSnapshot({ entries: [auditEntry({ details: { risk: { score: 45, level: 'high', reasons: ['a', 'b', 'c'] }, note: 'n'.repeat(300) } })] }));
    const cell = within(bodyRows()[0]!).getByText(/^risk: high 45 \(3 reasons\)/);
    expect(cell.textContent!.length).toBeLessThanOrEqual(160);
    expect(cell.getAttribute('title')).toBe(`risk: high 45 (3 reasons); note: ${'n'.repeat(79)}…`);
  });

  it('expands an entry to its full details', async () => {
    const { user } = renderAudit();
    const toggle = screen.getByRole('button', { name: 'Show details of entry 2' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    const hide = screen.getByRole('button', { name: 'Hide details of entry 2' });
    expect(hide.getAttribute('aria-expanded')).toBe('true');
    const details = document.getElementById(hide.getAttribute('aria-controls')!)!;
    expect(JSON.parse(details.textContent!)).toEqual({ files: ['src/a.ts'], hunks: ['aaaa0001'], partial: true });
  });

  it('filters by proposal id through the host, and clears the filter', async () => {
    const { host, user } = renderAudit(auditSnapshot(), { setFilter: ({ proposalId }) => host.pushSnapshot(auditSnapshot({ proposalId, entries: [auditEntry()] })) });
    await user.type(screen.getByRole('textbox', { name: 'Proposal id' }), ' p1 {Enter}');
    expect(host.requests('setFilter')).toEqual([{ proposalId: 'p1' }]);
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(screen.getByText('1 entry for proposal p1')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show all' }));
    expect(host.lastRequest('setFilter')).toEqual({});
  });

  it('filters from a row and opens a proposal', async () => {
    const { host, user } = renderAudit();
    await user.click(screen.getByRole('button', { name: 'Show only entries of p2' }));
    expect(host.lastRequest('setFilter')).toEqual({ proposalId: 'p2' });
    await user.click(screen.getByRole('button', { name: 'Open proposal p2' }));
    expect(host.lastRequest('openProposal')).toEqual({ id: 'p2' });
  });

  it('reports an intact log with its entry count', async () => {
    const { user } = renderAudit(auditSnapshot(), { verify: () => ({ ok: true, entries: 4 }) });
    await user.click(screen.getByRole('button', { name: 'Verify audit log' }));
    expect((await screen.findByRole('status')).textContent).toContain('Audit log verified: 4 entries, hash chain intact.');
  });

  it('names the failing line and the problem prominently', async () => {
    const { user } = renderAudit(auditSnapshot(), { verify: () => ({ ok: false, line: 3, problem: 'hash-mismatch', message: 'Line 3 was edited after it was written (hash does not match).', entries: 2 }) });
    await user.click(screen.getByRole('button', { name: 'Verify audit log' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Audit log verification failed at line 3')).toBeTruthy();
    expect(within(alert).getByText('Line 3 was edited after it was written (hash does not match).')).toBeTruthy();
    expect(within(alert).getByText('hash-mismatch')).toBeTruthy();
  });

  it('shows a verification pushed by the host, and host errors', () => {
    renderAudit(auditSnapshot({ verify: { ok: true, entries: 4 }, error: 'The audit log could not be read.' }));
    expect(screen.getByRole('status').textContent).toContain('4 entries');
    expect(screen.getByRole('alert').textContent).toContain('could not be read');
  });

  it('shows a failed request as an error', async () => {
    const { user } = renderAudit(auditSnapshot(), {
      verify: () => {
        throw new HostError('locked', 'Another Rusty process holds the lock; try again.');
      },
    });
    await user.click(screen.getByRole('button', { name: 'Verify audit log' }));
    expect((await screen.findByRole('alert')).textContent).toContain('holds the lock');
  });

  it('says when the log is empty', () => {
    renderAudit(auditSnapshot({ entries: [] }));
    expect(screen.getByText(/No entries yet/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
