import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from './testing/tempWorkspace';
import { workspaceStateDir } from './state/location';
import { NodeWorkspaceFs } from './ports/nodeWorkspaceFs';
import type { BatchOp } from './ports/workspaceFs';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';
const cs = (edits: unknown[], extra: Record<string, unknown> = {}) => ({ title: 'Test change', source: 'test', edits, ...extra });

describe('proposal pipeline', () => {
  it('queues without writing, applies on approval, rolls back byte for byte', async () => {
    ws = tempWorkspace({ 'src/a.ts': lines(10), 'src/old.ts': 'old\n', 'src/mv.ts': 'move me\n' });
    const before = ws.snapshot();
    const core = ws.core();
    const { proposal } = await core.submit(cs([
      modify(ws, 'src/a.ts', lines(10).replace('line 5', 'LINE 5')),
      { kind: 'create', path: 'src/new/deep/b.ts', content: 'export const b = 1;\n' },
      { kind: 'delete', path: 'src/old.ts', baseHash: ws.hash('src/old.ts') },
      { kind: 'rename', path: 'src/mv.ts', to: 'src/moved.ts', baseHash: ws.hash('src/mv.ts') },
    ]));
    expect(proposal.status).toBe('pending');
    expect(ws.snapshot()).toEqual(before);

    const r = await core.approve(proposal.id);
    expect(r.proposal.status).toBe('applied');
    expect(ws.read('src/a.ts')).toContain('LINE 5');
    expect(ws.read('src/new/deep/b.ts')).toBe('export const b = 1;\n');
    expect(ws.exists('src/old.ts')).toBe(false);
    expect(ws.read('src/moved.ts')).toBe('move me\n');
    expect(ws.exists('src/mv.ts')).toBe(false);

    const back = await core.rollback(proposal.id);
    expect(back.proposal.status).toBe('rolled-back');
    expect(ws.snapshot()).toEqual(before); // including the folders the apply created

    const again = await core.redo(proposal.id);
    expect(again.proposal.status).toBe('redone');
    expect(ws.read('src/moved.ts')).toBe('move me\n');
    await core.rollback(proposal.id);
    expect(ws.snapshot()).toEqual(before);
  });

  it('state lives outside the workspace and is shared by path spelling', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    expect(core.stateDir.startsWith(ws.stateRoot)).toBe(true);
    fs.symlinkSync(ws.root, ws.root + '-link');
    expect(workspaceStateDir(ws.root + '-link', ws.env)).toBe(core.stateDir);
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    expect([...ws.snapshot().keys()]).toEqual(['a.ts']);
    expect(ws.read('a.ts')).toBe('x\n');
    expect(ws.core().get(proposal.id).title).toBe('Test change');
  });

  it('does not queue the same pending change twice', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const first = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    const second = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    expect(second.existing).toBe(true);
    expect(second.proposal.id).toBe(first.proposal.id);
  });

  it('orders the queue by priority, then age', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const low = await core.submit(cs([{ kind: 'create', path: 'l.ts', content: 'l' }], { priority: 'low' }));
    const urgent = await core.submit(cs([{ kind: 'create', path: 'u.ts', content: 'u' }], { priority: 'urgent' }));
    const normal = await core.submit(cs([{ kind: 'create', path: 'n.ts', content: 'n' }]));
    expect(core.list().map((p) => p.id)).toEqual([urgent.proposal.id, normal.proposal.id, low.proposal.id]);
  });

  it('applies exactly the chosen files and hunks', async () => {
    ws = tempWorkspace({ 'a.ts': lines(40), 'b.ts': lines(5, 'b') });
    const core = ws.core();
    const newA = lines(40).replace('line 3\n', 'LINE 3\n').replace('line 30\n', 'LINE 30\n');
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', newA), modify(ws, 'b.ts', lines(5, 'B'))]));
    const [h1, h2] = proposal.files[0]!.hunks;
    expect(h2).toBeDefined();
    const r = await core.approve(proposal.id, { hunks: [h2!.id] });
    expect(r.partial).toBe(true);
    // The rest stays approvable (src/cli/partialApproval.test.ts follows it through).
    expect(r.proposal.status).toBe('partially-applied');
    expect(r.proposal.history.map((h) => h.status)).toEqual(['pending', 'partially-approved', 'applying', 'partially-applied']);
    expect(ws.read('a.ts')).toBe(lines(40).replace('line 30\n', 'LINE 30\n'));
    expect(ws.read('b.ts')).toBe(lines(5, 'b'));
    expect(r.proposal.applied?.hunks).toEqual([h2!.id]);
    expect(h1!.id).not.toBe(h2!.id);
  });

  it('refuses unknown files and hunks with a pointer to the ids', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    await expect(core.approve(proposal.id, { files: ['nope.ts'] })).rejects.toThrow(/has no file nope\.ts/);
    await expect(core.approve(proposal.id, { hunks: ['deadbeef'] })).rejects.toThrow(/rusty show .* --diff/);
    expect(ws.read('a.ts')).toBe('x\n');
  });

  it('refuses the same proposal approved twice', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    await core.approve(proposal.id);
    await expect(core.approve(proposal.id)).rejects.toThrow(/already applied/);
  });

  it('rejects with a reason, and a rejected proposal cannot be approved', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    await expect(core.reject(proposal.id, '  ')).rejects.toThrow(/reason is required/);
    const p = await core.reject(proposal.id, 'not now');
    expect(p).toMatchObject({ status: 'rejected', statusReason: 'not now' });
    await expect(core.approve(proposal.id)).rejects.toThrow(/was rejected/);
    expect(ws.read('a.ts')).toBe('x\n');
  });
});

describe('conflict safety at approve time', () => {
  it('merges a file that changed elsewhere and says so', async () => {
    ws = tempWorkspace({ 'a.ts': lines(30) });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', lines(30).replace('line 25', 'PROPOSED 25'))]));
    ws.write('a.ts', lines(30).replace('line 2\n', 'user 2\n'));
    const r = await core.approve(proposal.id);
    expect(r.merged).toEqual(['a.ts']);
    expect(ws.read('a.ts')).toBe(lines(30).replace('line 2\n', 'user 2\n').replace('line 25', 'PROPOSED 25'));
    // Rollback removes only the proposal's hunk and keeps the user's edit.
    await core.rollback(proposal.id);
    expect(ws.read('a.ts')).toBe(lines(30).replace('line 2\n', 'user 2\n'));
  });

  it('writes nothing on an overlapping edit, marks it conflicted and names the hunk', async () => {
    ws = tempWorkspace({ 'a.ts': lines(30), 'b.ts': 'b\n' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', lines(30).replace('line 10', 'PROPOSED 10')), modify(ws, 'b.ts', 'B\n')]));
    const userText = lines(30).replace('line 10', 'USER 10');
    ws.write('a.ts', userText);
    const hunk = proposal.files[0]!.hunks[0]!.id;
    await expect(core.approve(proposal.id)).rejects.toThrow(new RegExp(`a\\.ts changed since .* line 10 \\(hunk ${hunk}\\)`));
    expect(ws.read('a.ts')).toBe(userText);
    expect(ws.read('b.ts')).toBe('b\n');
    expect(core.get(proposal.id).status).toBe('conflicted');
    // Approving only the other file still works.
    const r = await core.approve(proposal.id, { files: ['b.ts'] });
    expect(r.applied).toEqual(['b.ts']);
  });

  it('marks a proposal stale when its file is gone', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    fs.rmSync(path.join(ws.root, 'a.ts'));
    await expect(core.approve(proposal.id)).rejects.toThrow(/stale.*a\.ts no longer exists/);
    expect(core.get(proposal.id).status).toBe('stale');
    expect(ws.exists('a.ts')).toBe(false);
  });
});

describe('rollback keeps later work', () => {
  it('refuses when later edits overlap, and --force restores exactly while redo brings the edits back', async () => {
    ws = tempWorkspace({ 'a.ts': lines(20) });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', lines(20).replace('line 10', 'PROPOSED 10'))]));
    await core.approve(proposal.id);
    const userText = lines(20).replace('line 10', 'PROPOSED 10 and user');
    ws.write('a.ts', userText);
    await expect(core.rollback(proposal.id)).rejects.toMatchObject({ message: expect.stringMatching(/later edits that overlap .* line 10.*forced rollback restores the checkpoint exactly/), details: { forceable: true } });
    expect(ws.read('a.ts')).toBe(userText);
    const forced = await core.rollback(proposal.id, { force: true });
    expect(forced.forced).toBe(true);
    expect(ws.read('a.ts')).toBe(lines(20));
    await core.redo(proposal.id);
    expect(ws.read('a.ts')).toBe(userText); // the forced rollback was itself undoable
  });

  it('refuses to delete a created file the user has edited', async () => {
    ws = tempWorkspace({});
    const core = ws.core();
    const { proposal } = await core.submit(cs([{ kind: 'create', path: 'n.ts', content: 'a\n' }]));
    await core.approve(proposal.id);
    ws.write('n.ts', 'a\nmine\n');
    await expect(core.rollback(proposal.id)).rejects.toThrow(/n\.ts was created by this change and has been edited since/);
    expect(ws.read('n.ts')).toBe('a\nmine\n');
  });

  it('restores a deleted file and reverses a rename with later edits merged', async () => {
    ws = tempWorkspace({ 'del.ts': 'keep me\n', 'r.ts': lines(20) });
    const core = ws.core();
    const { proposal } = await core.submit(cs([
      { kind: 'delete', path: 'del.ts', baseHash: ws.hash('del.ts') },
      { kind: 'rename', path: 'r.ts', to: 'r2.ts', baseHash: ws.hash('r.ts'), content: lines(20).replace('line 3', 'RENAMED 3') },
    ]));
    await core.approve(proposal.id);
    ws.write('r2.ts', lines(20).replace('line 3', 'RENAMED 3').replace('line 18', 'user 18'));
    await core.rollback(proposal.id);
    expect(ws.read('del.ts')).toBe('keep me\n');
    expect(ws.exists('r2.ts')).toBe(false);
    expect(ws.read('r.ts')).toBe(lines(20).replace('line 18', 'user 18'));
  });
});

describe('file formats', () => {
  it('keeps CRLF, BOM and a missing final newline of existing files', async () => {
    const crlf = '\uFEFFimport a from "a";\r\nconst x = 1;\r\nexport { x };\r\n';
    ws = tempWorkspace({ 'crlf.ts': crlf, 'nofinal.ts': 'a\nb' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([
      modify(ws, 'crlf.ts', 'import a from "a";\nconst x = 2;\nexport { x };\n'),
      modify(ws, 'nofinal.ts', 'a\nc\n'),
    ]));
    await core.approve(proposal.id);
    expect(ws.bytes('crlf.ts').toString('utf8')).toBe('\uFEFFimport a from "a";\r\nconst x = 2;\r\nexport { x };\r\n');
    expect(ws.read('nofinal.ts')).toBe('a\nc');
    await core.rollback(proposal.id);
    expect(ws.bytes('crlf.ts').toString('utf8')).toBe(crlf);
    expect(ws.read('nofinal.ts')).toBe('a\nb');
  });

  it('deletes and renames binary files, and restores them byte for byte', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]);
    ws = tempWorkspace({ 'a.png': png, 'b.bin': png });
    const core = ws.core();
    const { proposal } = await core.submit(cs([
      { kind: 'delete', path: 'a.png', baseHash: ws.hash('a.png') },
      { kind: 'rename', path: 'b.bin', to: 'c.bin', baseHash: ws.hash('b.bin') },
    ]));
    expect(proposal.files.every((f) => f.binary)).toBe(true);
    await core.approve(proposal.id);
    expect(ws.bytes('c.bin').equals(png)).toBe(true);
    await core.rollback(proposal.id);
    expect(ws.bytes('a.png').equals(png)).toBe(true);
    expect(ws.bytes('b.bin').equals(png)).toBe(true);
  });

  it('keeps file permissions', async () => {
    ws = tempWorkspace({ 'run.sh': '#!/bin/sh\necho hi\n' });
    fs.chmodSync(path.join(ws.root, 'run.sh'), 0o755);
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'run.sh', '#!/bin/sh\necho bye\n')]));
    await core.approve(proposal.id);
    expect(fs.statSync(path.join(ws.root, 'run.sh')).mode & 0o777).toBe(0o755);
  });
});

describe('audit and gc', () => {
  it('records every step with actor and proposal, and the chain verifies', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const core = ws.core();
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'y\n')]));
    await core.markShown(proposal.id);
    await core.approve(proposal.id);
    await core.rollback(proposal.id);
    const actions = core.auditEntries({ proposalId: proposal.id }).map((e) => e.action);
    expect(actions).toEqual(['created', 'validated', 'shown', 'approved', 'applied', 'rolled-back']);
    expect(core.auditEntries().every((e) => e.actor === 'test')).toBe(true);
    expect(core.verifyAudit()).toMatchObject({ ok: true });
  });

  it('keeps what rollback needs and frees what nothing refers to', async () => {
    ws = tempWorkspace({ 'a.ts': lines(100), 'b.ts': 'b\n' });
    let now = new Date('2026-01-01T00:00:00Z');
    const core = ws.core({ now: () => now });
    const applied = await core.submit(cs([modify(ws, 'a.ts', lines(100, 'new'))]));
    const rejected = await core.submit(cs([modify(ws, 'b.ts', 'B\n')]));
    await core.approve(applied.proposal.id);
    await core.reject(rejected.proposal.id, 'no');
    const fresh = await core.gc();
    expect(fresh.removedBlobs).toBe(0);
    now = new Date('2026-03-01T00:00:00Z'); // past the 30-day retention
    const old = await core.gc();
    expect(old.removedProposals).toBe(1);
    expect(old.removedCheckpoints).toBe(1);
    expect(old.removedBlobs).toBeGreaterThan(0);
    expect(old.bytesFreed).toBeGreaterThan(0);
    await expect(core.rollback(applied.proposal.id)).rejects.toThrow(/removed by `rusty gc`/);
  });
});

describe('an I/O error part-way through an apply', () => {
  it('puts every file back, marks the proposal failed with the error, and a retry works', async () => {
    class FullDisk extends NodeWorkspaceFs {
      failing = true;
      override async applyBatch(ops: BatchOp[], opts: { tag: string }) {
        if (!this.failing) return super.applyBatch(ops, opts);
        await super.applyBatch(ops.slice(0, 1), opts); // the first file lands…
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); // …then the disk is full
      }
    }
    ws = tempWorkspace({ 'a.ts': 'a\n', 'b.ts': 'b\n' });
    const before = ws.snapshot();
    const wfs = new FullDisk(ws.root);
    const core = ws.core({ wfs });
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'A\n'), modify(ws, 'b.ts', 'B\n'), { kind: 'create', path: 'n/c.ts', content: 'c\n' }]));
    await expect(core.approve(proposal.id)).rejects.toThrow(/Could not apply .*ENOSPC: no space left on device.*Nothing was changed/);
    expect(ws.snapshot()).toEqual(before);
    const failed = core.get(proposal.id);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/ENOSPC/);
    expect(core.auditEntries({ proposalId: proposal.id }).map((e) => e.action)).toContain('failed');
    expect(fs.readdirSync(path.join(core.stateDir, 'journal'))).toEqual([]);
    wfs.failing = false;
    const ok = await core.approve(proposal.id);
    expect(ok.proposal.status).toBe('applied');
    expect(ws.read('a.ts')).toBe('A\n');
    expect(ws.read('n/c.ts')).toBe('c\n');
  });
});

describe('a folder swapped for a link to outside in the middle of an apply', () => {
  it('the write layer refuses it even past the pre-flight: outside untouched, every file put back, proposal failed', async () => {
    ws = tempWorkspace({ 'a.ts': 'a\n', 'sub/b.ts': 'b\n', 'z.ts': 'z\n' });
    const outside = path.join(path.dirname(ws.root), 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'b.ts'), 'b\n');
    const root = ws.root;
    // Swaps `sub` for a link once the transaction has started writing (after every pre-flight check).
    class SwapsMidway extends NodeWorkspaceFs {
      swapped = false;
      override async applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }) {
        return super.applyBatch(ops, {
          ...opts,
          onEach: (done, total, rel) => {
            opts.onEach?.(done, total, rel);
            if (this.swapped) return;
            this.swapped = true;
            fs.renameSync(path.join(root, 'sub'), path.join(path.dirname(root), 'moved-sub'));
            fs.symlinkSync(outside, path.join(root, 'sub'));
          },
        });
      }
    }
    const core = ws.core({ wfs: new SwapsMidway(ws.root) });
    const { proposal } = await core.submit(cs([modify(ws, 'a.ts', 'A\n'), modify(ws, 'sub/b.ts', 'B\n'), modify(ws, 'z.ts', 'Z\n')]));
    await expect(core.approve(proposal.id)).rejects.toThrow(/Could not apply .*Refused to change sub\/b\.ts: sub is a symbolic link to .*outside, outside the workspace.*Nothing was changed/);
    expect(fs.readdirSync(outside)).toEqual(['b.ts']);
    expect(fs.readFileSync(path.join(outside, 'b.ts'), 'utf8')).toBe('b\n');
    expect([ws.read('a.ts'), ws.read('z.ts')]).toEqual(['a\n', 'z\n']); // a.ts was written, then put back
    expect(fs.readdirSync(path.dirname(root)).sort()).toEqual(['moved-sub', 'outside', 'state', 'ws']);
    expect(fs.readFileSync(path.join(path.dirname(root), 'moved-sub', 'b.ts'), 'utf8')).toBe('b\n');
    expect(core.get(proposal.id).status).toBe('failed');
  });
});
