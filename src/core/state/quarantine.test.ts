// Quarantine through the core: a corrupt file found by a read is moved aside and audited — at once
// when the state lock is free, else with this core's next locked operation (never unlocked).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

async function twoProposals() {
  const w = (ws = tempWorkspace({ 'a.txt': 'a\n', 'b.txt': 'b\n' }));
  const core = w.core();
  const a = (await core.submit({ title: 'a', source: 'test', edits: [modify(w, 'a.txt', 'A\n')] })).proposal;
  const b = (await core.submit({ title: 'b', source: 'test', edits: [modify(w, 'b.txt', 'B\n')] })).proposal;
  return { w, core, a, b };
}

describe('quarantine', () => {
  it('a read audits the move at once when the lock is free', async () => {
    const { core, a, b } = await twoProposals();
    fs.writeFileSync(path.join(core.paths.proposals, `${a.id}.json`), '{"id": ');
    expect(core.list().map((p) => p.id)).toEqual([b.id]);
    const entries = core.auditEntries().filter((e) => e.action === 'quarantined');
    expect(entries.map((e) => e.details)).toEqual([expect.objectContaining({ kind: 'proposal', original: `proposals/${a.id}.json` })]);
    expect(core.verifyAudit()).toMatchObject({ ok: true });
    expect(() => core.get(a.id)).toThrow(new RegExp(`Proposal ${a.id} is corrupt and has been quarantined`));
  });

  it('while another process holds the lock, the audit entry waits for the next locked operation', async () => {
    const { core, a, b } = await twoProposals();
    fs.writeFileSync(path.join(core.paths.proposals, `${a.id}.json`), '{}');
    fs.writeFileSync(core.paths.lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), since: 'now', purpose: 'other' }));
    expect(core.list().map((p) => p.id)).toEqual([b.id]);
    expect(core.quarantine.list()).toHaveLength(1);
    expect(core.auditEntries().filter((e) => e.action === 'quarantined')).toHaveLength(0);
    fs.rmSync(core.paths.lock);
    await core.reject(b.id, 'not now');
    expect(core.auditEntries().slice(-2).map((e) => e.action)).toEqual(['quarantined', 'rejected']);
    expect(core.verifyAudit()).toMatchObject({ ok: true });
  });

  it('a corrupt checkpoint is skipped by list and named by get; gc keeps the blobs it names', async () => {
    const { core, a } = await twoProposals();
    const applied = await core.approve(a.id);
    await core.rollback(a.id); // finished: gc drops the proposal, so only the manifest names these blobs
    const file = path.join(core.paths.checkpoints, `${applied.checkpoint}.json`);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, -20));
    expect(core.checkpoints.list().map((c) => c.kind)).toEqual(['rollback']);
    expect(() => core.checkpoints.get(applied.checkpoint)).toThrow(/is corrupt .*cannot be undone automatically/);
    const hashes = [...text.matchAll(/[0-9a-f]{64}/g)].map((m) => m[0]);
    expect(hashes.length).toBeGreaterThan(1);
    const report = await core.gc({ retentionDays: 0 });
    expect(report).toMatchObject({ removedProposals: 1, removedCheckpoints: 1 });
    expect(() => core.get(a.id)).toThrow(/No proposal/);
    for (const h of hashes) expect(core.blobs.has(h)).toBe(true);
  });
});
