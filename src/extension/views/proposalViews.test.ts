import { afterEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../../core/testing/tempWorkspace';
import { blobToText, describeAge, guidanceFor, isOpen, pendingCount, proposalTexts, toAuditEntryView, toCardView, toDetailView, touchesPath } from './proposalViews';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

async function sample() {
  ws = tempWorkspace({ 'src/a.ts': '\uFEFFone\r\ntwo\r\nthree\r\n', 'src/old.ts': 'old\n', 'src/mv.ts': 'move me\n' });
  const core = ws.core();
  const { proposal } = await core.submit({
    title: 'Sample', rationale: 'because', source: 'test', priority: 'high',
    edits: [
      modify(ws, 'src/a.ts', 'one\nTWO\nthree\n'),
      { kind: 'create', path: 'src/new.ts', content: 'fresh\n' },
      { kind: 'delete', path: 'src/old.ts', baseHash: ws.hash('src/old.ts') },
      { kind: 'rename', path: 'src/mv.ts', to: 'src/moved.ts', baseHash: ws.hash('src/mv.ts') },
    ],
  });
  return { core, proposal };
}

describe('proposal views', () => {
  it('maps a proposal to a sidebar card with totals and no hunks', async () => {
    const { proposal } = await sample();
    const card = toCardView(proposal);
    expect(card).toMatchObject({ id: proposal.id, title: 'Sample', source: 'test', priority: 'high', status: 'pending', added: 2, removed: 2 });
    expect(card.files).toEqual([
      { path: 'src/a.ts', kind: 'modify', added: 1, removed: 1 },
      { path: 'src/new.ts', kind: 'create', added: 1, removed: 0 },
      { path: 'src/old.ts', kind: 'delete', added: 0, removed: 1 },
      { path: 'src/mv.ts', to: 'src/moved.ts', kind: 'rename', added: 0, removed: 0 },
    ]);
    expect(JSON.parse(JSON.stringify(card))).toEqual(card); // serializable as is
  });

  it('maps a proposal to the review detail with hunks and history', async () => {
    const { proposal } = await sample();
    const d = toDetailView(proposal);
    expect(d.rationale).toBe('because');
    expect(d.createdBy).toBe('test');
    expect(d.files[0]!.hunks[0]!.lines).toEqual([' one', '-two', '+TWO', ' three']);
    expect(d.files[0]!.hunks[0]!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(d.history.map((h) => h.status)).toEqual(['pending']);
    expect(d.applied).toBeUndefined();
  });

  it('gives LF, BOM-less before/after texts per file, empty for absent sides', async () => {
    const { core, proposal } = await sample();
    const texts = proposalTexts(proposal, (h) => core.blobText(h));
    expect(texts['src/a.ts']).toEqual({ before: 'one\ntwo\nthree\n', after: 'one\nTWO\nthree\n' });
    expect(texts['src/new.ts']).toEqual({ before: '', after: 'fresh\n' });
    expect(texts['src/old.ts']).toEqual({ before: 'old\n', after: '' });
    expect(texts['src/mv.ts']).toEqual({ before: 'move me\n', after: 'move me\n' });
    expect(blobToText(Buffer.from('\uFEFFa\r\nb'))).toBe('a\nb');
  });

  it('includes applied and rollback records after the fact', async () => {
    const { core, proposal } = await sample();
    await core.approve(proposal.id);
    const applied = toDetailView(core.get(proposal.id));
    expect(applied.status).toBe('applied');
    expect(applied.applied?.files).toContain('src/a.ts');
    await core.rollback(proposal.id);
    const back = toDetailView(core.get(proposal.id));
    expect(back.rollback).toMatchObject({ forced: false });
  });

  it('says what to do about conflicted, stale and failed proposals only', () => {
    expect(guidanceFor({ status: 'conflicted', statusReason: 'Overlap at line 3.' })).toMatch(/^Overlap at line 3\. .*approve again/);
    expect(guidanceFor({ status: 'stale' })).toMatch(/create it again/);
    expect(guidanceFor({ status: 'failed' })).toMatch(/approve again/);
    for (const status of ['pending', 'applied', 'rolled-back', 'rejected'] as const) expect(guidanceFor({ status })).toBeUndefined();
  });

  it('counts open proposals and knows which files they touch', async () => {
    const { proposal } = await sample();
    expect(isOpen(proposal)).toBe(true);
    expect(pendingCount([proposal, { ...proposal, status: 'applied' }, { ...proposal, status: 'conflicted' }])).toBe(2);
    expect(touchesPath(proposal, 'src/a.ts')).toBe(true);
    expect(touchesPath(proposal, 'src/mv.ts')).toBe(true);
    expect(touchesPath(proposal, 'src/new.ts')).toBe(false); // does not exist yet
    expect(touchesPath(proposal, 'src/other.ts')).toBe(false);
  });

  it('maps audit entries without their hashes', () => {
    const view = toAuditEntryView({ seq: 3, time: 't', actor: 'cli', action: 'created', proposalId: 'p1', details: { a: 1 }, prevHash: 'x', hash: 'y' });
    expect(view).toEqual({ seq: 3, time: 't', actor: 'cli', action: 'created', proposalId: 'p1', details: { a: 1 } });
  });

  it('describes ages in words', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(describeAge('2026-01-01T11:59:50Z', now)).toBe('just now');
    expect(describeAge('2026-01-01T11:58:00Z', now)).toBe('2 minutes ago');
    expect(describeAge('2026-01-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(describeAge('2025-12-31T12:00:00Z', now)).toBe('1 day ago');
    expect(describeAge('not a date', now)).toBe('');
  });
});
