// Containment at the moment of writing, through the built CLI (dist/cli.js; `npm run build`
// first): a folder on a proposal's path swapped for a symbolic link to outside the workspace (or
// the file itself swapped for a link) after submit must not let approve, rollback, redo or
// recovery write, create or delete anything outside. Each case checks the outside folder byte for
// byte, the workspace, and the proposal's status.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { NodeWorkspaceFs } from '../core/ports/nodeWorkspaceFs';
import type { BatchOp } from '../core/ports/workspaceFs';
import { parseJson, prepareCli, treeSnapshot, type Cli, type CliResult } from '../core/testing/cli';

let cli: Cli;
let ws: TempWorkspace | undefined;

beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const cs = (edits: unknown[], title = 'containment test') => ({ title, source: 'test:containment', edits });

function rusty(w: TempWorkspace, args: string[], input?: string): Promise<CliResult> {
  return cli.run([...args, '--json', '-w', w.root], { input, env: { RUSTY_STATE_DIR: w.stateRoot } });
}

async function submit(w: TempWorkspace, edits: unknown[]): Promise<string> {
  const r = await rusty(w, ['submit', '-'], JSON.stringify(cs(edits)));
  expect(r.code, r.stderr).toBe(0);
  return parseJson<{ id: string }>(r).id;
}

async function ok(w: TempWorkspace, args: string[]): Promise<void> {
  const r = await rusty(w, args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
}

/** A refusal naming the path and the link: exit 1, `path-refused`, one stderr line. */
function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(1);
  const { error } = parseJson<{ error: { code: string; message: string } }>(r);
  expect(error.code).toBe('path-refused');
  expect(error.message).toMatch(message);
  expect(error.message).toMatch(/Nothing was written/);
  expect(r.stderr.trim().split('\n')).toEqual([`rusty: ${error.message}`]);
}

/** Every file under `dir` with its exact bytes and mode (links as their target). */
function exactTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const rel = path.relative(dir, full);
      if (e.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(full)}`);
      else if (e.isDirectory()) walk(full);
      else out.set(rel, `${fs.readFileSync(full).toString('base64')}:${(fs.lstatSync(full).mode & 0o7777).toString(8)}`);
    }
  };
  walk(dir);
  return out;
}

/** A workspace, and beside it (outside) a folder `outside` holding `outsideFiles`. */
function setup(files: Record<string, string>, outsideFiles: Record<string, string>): { w: TempWorkspace; outside: string } {
  const w = (ws = tempWorkspace(files));
  const outside = path.join(path.dirname(w.root), 'outside');
  fs.mkdirSync(outside);
  for (const [name, content] of Object.entries(outsideFiles)) fs.writeFileSync(path.join(outside, name), content, { mode: 0o640 });
  return { w, outside };
}

/** Replace the workspace folder `rel` by a symbolic link to `target` (the real folder is moved aside). */
function swapForLink(w: TempWorkspace, rel: string, target: string): void {
  const abs = path.join(w.root, rel);
  if (fs.existsSync(abs)) fs.renameSync(abs, path.join(path.dirname(w.root), `moved-${rel.replace(/\//g, '_')}`));
  fs.symlinkSync(target, abs);
}

const status = (w: TempWorkspace, id: string) => w.core().get(id).status;

describe('a folder swapped for a link to outside after submit', () => {
  it('approve of a modify is refused: the outside file, the workspace and the proposal are untouched', async () => {
    const { w, outside } = setup({ 'sub/b.txt': 'b\n', 'a.txt': 'a\n' }, { 'b.txt': 'b\n' });
    const id = await submit(w, [modify(w, 'a.txt', 'A\n'), modify(w, 'sub/b.txt', 'B\n')]);
    swapForLink(w, 'sub', outside);
    const outsideBefore = exactTree(outside);
    const wsBefore = treeSnapshot(w.root);

    expectRefused(await rusty(w, ['approve', id]), /Cannot apply .*Refused to change sub\/b\.txt: sub is a symbolic link to .*outside, outside the workspace/);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expect(fs.readFileSync(path.join(outside, 'b.txt'), 'utf8')).toBe('b\n');
    expect(treeSnapshot(w.root)).toEqual(wsBefore);
    expect(w.read('a.txt')).toBe('a\n'); // not even the safe file: all or nothing
    expect(status(w, id)).toBe('pending');
    expect(w.core().auditEntries({ proposalId: id }).map((e) => e.action)).toEqual(['created', 'validated', 'refused']);

    // Put the real folder back: the same proposal applies.
    fs.unlinkSync(path.join(w.root, 'sub'));
    fs.renameSync(path.join(path.dirname(w.root), 'moved-sub'), path.join(w.root, 'sub'));
    await ok(w, ['approve', id]);
    expect(w.read('sub/b.txt')).toBe('B\n');
    expect(exactTree(outside)).toEqual(outsideBefore);
  }, 30_000);

  it('approve of a create under a folder that became a link is refused and creates nothing outside', async () => {
    const { w, outside } = setup({ 'sub/keep.txt': 'k\n' }, { 'other.txt': 'o\n' });
    const id = await submit(w, [{ kind: 'create', path: 'sub/deep/new.txt', content: 'new\n' }]);
    swapForLink(w, 'sub', outside);
    const outsideBefore = exactTree(outside);
    const wsBefore = treeSnapshot(w.root);

    expectRefused(await rusty(w, ['approve', id]), /Refused to change sub\/deep\/new\.txt: sub is a symbolic link to .*outside/);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expect(fs.existsSync(path.join(outside, 'deep'))).toBe(false);
    expect(treeSnapshot(w.root)).toEqual(wsBefore);
    expect(status(w, id)).toBe('pending');
  }, 30_000);

  it('a deeper folder swapped for a link (a/b of a/b/c.txt) is refused too', async () => {
    const { w, outside } = setup({ 'a/b/c.txt': 'c\n' }, { 'c.txt': 'c\n' });
    const id = await submit(w, [modify(w, 'a/b/c.txt', 'C\n')]);
    swapForLink(w, 'a/b', outside);
    const outsideBefore = exactTree(outside);
    expectRefused(await rusty(w, ['approve', id]), /a\/b is a symbolic link to .*outside/);
    expect(exactTree(outside)).toEqual(outsideBefore);
  }, 30_000);
});

describe('the file itself swapped for a link to an outside file', () => {
  it('approve is refused: the link stays a link, the outside file keeps its bytes and mode (no 0777 regular file)', async () => {
    const { w, outside } = setup({ 'a.txt': 'a\n' }, { 'a.txt': 'a\n' });
    const id = await submit(w, [modify(w, 'a.txt', 'A\n')]);
    fs.rmSync(path.join(w.root, 'a.txt'));
    fs.symlinkSync(path.join(outside, 'a.txt'), path.join(w.root, 'a.txt'));
    const outsideBefore = exactTree(outside);

    expectRefused(await rusty(w, ['approve', id]), /Refused to change a\.txt: a\.txt is a symbolic link; Rusty never writes through, replaces or removes a link/);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expect((fs.lstatSync(path.join(outside, 'a.txt')).mode & 0o777).toString(8)).toBe('640');
    expect(fs.lstatSync(path.join(w.root, 'a.txt')).isSymbolicLink()).toBe(true);
    expect(status(w, id)).toBe('pending');
  }, 30_000);
});

describe('rollback, forced rollback and redo after a swap', () => {
  it('rollback and rollback --force are refused; nothing outside is deleted or re-created', async () => {
    const { w, outside } = setup({ 'sub/b.txt': 'b\n' }, {});
    const id = await submit(w, [modify(w, 'sub/b.txt', 'B\n'), { kind: 'create', path: 'sub/c.txt', content: 'c\n' }]);
    await ok(w, ['approve', id]);
    // Outside holds what the apply left, so every hash still matches: only the path check stops it.
    fs.writeFileSync(path.join(outside, 'b.txt'), 'B\n');
    fs.writeFileSync(path.join(outside, 'c.txt'), 'c\n');
    swapForLink(w, 'sub', outside);
    const outsideBefore = exactTree(outside);
    const wsBefore = treeSnapshot(w.root);

    expectRefused(await rusty(w, ['rollback', id]), /Cannot roll back .*sub is a symbolic link to .*outside/);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expectRefused(await rusty(w, ['rollback', id, '--force']), /Cannot roll back .*sub is a symbolic link to .*outside/);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expect(fs.readFileSync(path.join(outside, 'c.txt'), 'utf8')).toBe('c\n');
    expect(treeSnapshot(w.root)).toEqual(wsBefore);
    expect(status(w, id)).toBe('applied');
  }, 30_000);

  it('redo is refused; nothing outside is written', async () => {
    const { w, outside } = setup({ 'sub/b.txt': 'b\n' }, {});
    const id = await submit(w, [modify(w, 'sub/b.txt', 'B\n'), { kind: 'create', path: 'sub/c.txt', content: 'c\n' }]);
    await ok(w, ['approve', id]);
    await ok(w, ['rollback', id]);
    fs.writeFileSync(path.join(outside, 'b.txt'), 'b\n');
    swapForLink(w, 'sub', outside);
    const outsideBefore = exactTree(outside);

    expectRefused(await rusty(w, ['redo', id]), /Cannot redo .*sub is a symbolic link to .*outside/);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expect(fs.existsSync(path.join(outside, 'c.txt'))).toBe(false);
    expect(status(w, id)).toBe('rolled-back');
  }, 30_000);
});

/** Dies right after the first file of a batch is renamed into place (a crash mid-apply). */
class DiesAfterFirstFile extends NodeWorkspaceFs {
  override async applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }): Promise<void> {
    return super.applyBatch(ops, { ...opts, onEach: () => { throw new Error('simulated crash'); } });
  }

  override async writeAtomic(): Promise<void> {
    throw new Error('simulated crash');
  }
}

describe('recovery (journal replay) after a swap', () => {
  it('leaves the swapped path alone, says so, and restores the rest; nothing outside is written', async () => {
    const { w, outside } = setup({ 'sub/b.txt': 'b\n', 'z.txt': 'z\n' }, { 'b.txt': 'outside b\n' });
    const id = await submit(w, [modify(w, 'z.txt', 'Z\n'), modify(w, 'sub/b.txt', 'B\n')]);
    // The crash leaves z.txt written and the journal's intent record in place.
    await expect(w.core({ wfs: new DiesAfterFirstFile(w.root) }).approve(id)).rejects.toThrow('simulated crash');
    expect(w.read('z.txt')).toBe('Z\n');
    swapForLink(w, 'sub', outside);
    const outsideBefore = exactTree(outside);

    const r = await rusty(w, ['recover']);
    expect(r.code, r.stderr).toBe(0);
    const { recovered } = parseJson<{ recovered: { outcome: string; skipped?: { path: string; reason: string }[] }[] }>(r);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.outcome).toBe('undone');
    expect(recovered[0]!.skipped).toEqual([{ path: 'sub/b.txt', reason: expect.stringMatching(/^sub is a symbolic link to .*outside, outside the workspace$/) }]);
    expect(r.stderr).toMatch(/restored the files to before it \(2 files\)\. Left alone \(not safe to write now\): "sub\/b\.txt" \(sub is a symbolic link to /);
    expect(exactTree(outside)).toEqual(outsideBefore);
    expect(w.read('z.txt')).toBe('z\n');
    expect(status(w, id)).toBe('pending');

    // And the proposal cannot be applied through the link afterwards.
    expectRefused(await rusty(w, ['approve', id]), /sub is a symbolic link/);
    expect(exactTree(outside)).toEqual(outsideBefore);
  }, 30_000);
});

describe('a folder on the path that is a file', () => {
  it('creating a.txt/x when a.txt is a file is refused at submit, clearly', async () => {
    const w = (ws = tempWorkspace({ 'a.txt': 'a\n' }));
    const r = await rusty(w, ['submit', '-'], JSON.stringify(cs([{ kind: 'create', path: 'a.txt/x', content: 'x\n' }])));
    expect(r.code).toBe(1);
    const { error } = parseJson<{ error: { code: string; message: string } }>(r);
    expect(error.code).toBe('path-refused');
    expect(error.message).toBe('a.txt/x: a.txt is a file, not a folder');
    expect(r.stderr).toBe(`rusty: ${error.message}\n`);
  }, 30_000);

  it('… and at approve when the folder became a file after submit: nothing written, no raw EEXIST', async () => {
    const w = (ws = tempWorkspace({ 'keep.txt': 'k\n' }));
    const id = await submit(w, [modify(w, 'keep.txt', 'K\n'), { kind: 'create', path: 'd/x.txt', content: 'x\n' }]);
    w.write('d', 'now a file\n');
    const before = treeSnapshot(w.root);
    expectRefused(await rusty(w, ['approve', id]), /Refused to change d\/x\.txt: d is a file, not a folder/);
    expect(treeSnapshot(w.root)).toEqual(before);
    expect(status(w, id)).toBe('pending');
  }, 30_000);
});

describe('ownership of a replaced file', () => {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  it.skipIf(!root)('is kept when running as root (uid and gid of the file it replaces)', async () => {
    const w = (ws = tempWorkspace({ 'a.txt': 'a\n', 'b.txt': 'b\n' }));
    fs.chownSync(path.join(w.root, 'a.txt'), 1234, 2345);
    const id = await submit(w, [modify(w, 'a.txt', 'A\n'), modify(w, 'b.txt', 'B\n')]);
    await ok(w, ['approve', id]);
    const a = fs.statSync(path.join(w.root, 'a.txt'));
    expect([a.uid, a.gid, w.read('a.txt')]).toEqual([1234, 2345, 'A\n']);
    const b = fs.statSync(path.join(w.root, 'b.txt'));
    expect([b.uid, b.gid]).toEqual([0, 0]);
    await ok(w, ['rollback', id]);
    const back = fs.statSync(path.join(w.root, 'a.txt'));
    expect([back.uid, back.gid, w.read('a.txt')]).toEqual([1234, 2345, 'a\n']);
  }, 30_000);
});
