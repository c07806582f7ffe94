// The WorkspaceFs contract: cases every adapter must pass. Framework-agnostic (node:assert, and
// a `test(name, fn)` registrar), so the same cases run in Node under Vitest (memory + Node
// adapters) and in the VS Code extension host under Mocha (the VS Code adapter).
import assert from 'node:assert/strict';
import type { WorkspaceFs } from './workspaceFs';

export interface ContractSubject {
  wfs: WorkspaceFs;
  dispose?(): void | Promise<void>;
  /**
   * Make `rel` a symbolic link to a folder (holding `x.txt`) or a file outside the workspace;
   * returns a reader of everything outside (name → content), to check nothing was written there.
   * Adapters that cannot make links here leave it out and those cases are skipped.
   */
  linkOutside?(rel: string, to: 'folder' | 'file'): Promise<() => Record<string, string>>;
}

/** Makes a fresh workspace holding exactly `initial` (workspace-relative paths). */
export type ContractFactory = (initial: Record<string, string | Uint8Array>) => Promise<ContractSubject>;

export interface ContractRegistrar {
  test(name: string, fn: () => Promise<void>): void;
}

export interface ContractOptions {
  /** File modes are meaningful (not on Windows, not for adapters that do not keep them). */
  modes?: boolean;
}

const BOM = '\uFEFF';
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder('utf-8', { ignoreBOM: true }).decode(b));

function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array | string, what: string): void {
  assert.ok(actual, `${what}: expected bytes, got undefined`);
  const want = typeof expected === 'string' ? bytes(expected) : expected;
  assert.deepEqual(Buffer.from(actual), Buffer.from(want), `${what}: bytes differ`);
}

export function workspaceFsContract(factory: ContractFactory, t: ContractRegistrar, opts: ContractOptions = {}): void {
  const withSubject = (initial: Record<string, string | Uint8Array>, fn: (wfs: WorkspaceFs, subject: ContractSubject) => Promise<void>) => async () => {
    const subject = await factory(initial);
    try {
      await fn(subject.wfs, subject);
    } finally {
      await subject.dispose?.();
    }
  };

  t.test('read returns the exact bytes of a file, and undefined for a missing one', withSubject(
    { 'a.txt': 'alpha\n', 'src/deep/b.ts': 'export const b = 1;\n' },
    async (wfs) => {
      sameBytes(await wfs.read('a.txt'), 'alpha\n', 'a.txt');
      sameBytes(await wfs.read('src/deep/b.ts'), 'export const b = 1;\n', 'src/deep/b.ts');
      assert.equal(await wfs.read('missing.txt'), undefined);
      assert.equal(await wfs.read('src/missing/c.ts'), undefined);
    },
  ));

  t.test('stat reports files, folders and absence', withSubject({ 'src/a.ts': '12345' }, async (wfs) => {
    const file = await wfs.stat('src/a.ts');
    assert.ok(file);
    assert.equal(file.isFile, true);
    assert.equal(file.isSymbolicLink, false);
    assert.equal(file.size, 5);
    const dir = await wfs.stat('src');
    assert.ok(dir);
    assert.equal(dir.isFile, false);
    assert.equal(await wfs.stat('nope.ts'), undefined);
  }));

  t.test('writeAtomic creates a file (and its folders) and replaces an existing one', withSubject({ 'a.txt': 'old' }, async (wfs) => {
    await wfs.writeAtomic('a.txt', bytes('new'), { tag: 'txcontract1' });
    sameBytes(await wfs.read('a.txt'), 'new', 'replaced');
    await wfs.writeAtomic('n/e/w.txt', bytes('created'), { tag: 'txcontract1' });
    sameBytes(await wfs.read('n/e/w.txt'), 'created', 'created');
    assert.equal((await wfs.stat('n/e'))?.isFile, false);
  }));

  if (opts.modes) {
    t.test('writeAtomic and applyBatch keep the mode they are given', withSubject({ 'run.sh': '#!/bin/sh\n' }, async (wfs) => {
      await wfs.writeAtomic('run.sh', bytes('#!/bin/sh\necho hi\n'), { tag: 'txcontract2', mode: 0o755 });
      assert.equal((await wfs.stat('run.sh'))?.mode, 0o755);
      await wfs.applyBatch([{ rel: 'tool.sh', bytes: bytes('#!/bin/sh\n'), mode: 0o700 }], { tag: 'txcontract2' });
      assert.equal((await wfs.stat('tool.sh'))?.mode, 0o700);
    }));
  }

  t.test('applyBatch writes, creates and removes files, reporting each one in order', withSubject(
    { 'keep.txt': 'keep', 'mod.txt': 'before', 'gone.txt': 'bye' },
    async (wfs) => {
      const seen: [number, number, string][] = [];
      await wfs.applyBatch([
        { rel: 'mod.txt', bytes: bytes('after') },
        { rel: 'dir/new.txt', bytes: bytes('fresh') },
        { rel: 'gone.txt', bytes: null },
      ], { tag: 'txcontract3', onEach: (done, total, rel) => seen.push([done, total, rel]) });
      sameBytes(await wfs.read('mod.txt'), 'after', 'modified');
      sameBytes(await wfs.read('dir/new.txt'), 'fresh', 'created');
      assert.equal(await wfs.read('gone.txt'), undefined);
      assert.equal(await wfs.stat('gone.txt'), undefined);
      sameBytes(await wfs.read('keep.txt'), 'keep', 'untouched');
      assert.deepEqual(seen.map(([done, total]) => [done, total]), [[1, 3], [2, 3], [3, 3]]);
      assert.deepEqual(new Set(seen.map(([, , rel]) => rel)), new Set(['mod.txt', 'dir/new.txt', 'gone.txt']));
    },
  ));

  t.test('applyBatch with nothing to do does nothing', withSubject({ 'a.txt': 'a' }, async (wfs) => {
    let calls = 0;
    await wfs.applyBatch([], { tag: 'txcontract4', onEach: () => calls++ });
    assert.equal(calls, 0);
    sameBytes(await wfs.read('a.txt'), 'a', 'untouched');
  }));

  t.test('a UTF-8 BOM survives byte for byte', withSubject({ 'bom.ts': `${BOM}export const a = 1;\n` }, async (wfs) => {
    const before = await wfs.read('bom.ts');
    sameBytes(before, `${BOM}export const a = 1;\n`, 'read keeps the BOM');
    const next = bytes(`${BOM}export const a = 2;\n`);
    await wfs.applyBatch([{ rel: 'bom.ts', bytes: next }], { tag: 'txcontract5' });
    sameBytes(await wfs.read('bom.ts'), next, 'after applyBatch');
    assert.equal(text(await wfs.read('bom.ts'))?.startsWith(BOM), true);
  }));

  t.test('CRLF line endings survive byte for byte', withSubject({ 'crlf.ts': 'const a = 1;\r\nconst b = 2;\r\n' }, async (wfs) => {
    sameBytes(await wfs.read('crlf.ts'), 'const a = 1;\r\nconst b = 2;\r\n', 'read keeps CRLF');
    const next = bytes('const a = 1;\r\nconst c = 3;\r\nconst b = 2;\r\n');
    await wfs.applyBatch([{ rel: 'crlf.ts', bytes: next }], { tag: 'txcontract6' });
    sameBytes(await wfs.read('crlf.ts'), next, 'after applyBatch');
    await wfs.writeAtomic('crlf.ts', bytes('x\r\n'), { tag: 'txcontract6' });
    sameBytes(await wfs.read('crlf.ts'), 'x\r\n', 'after writeAtomic');
  }));

  t.test('applyBatch moves a renamed file (new path written, old path removed)', withSubject({ 'src/old.ts': 'export const x = 1;\n' }, async (wfs) => {
    await wfs.applyBatch([
      { rel: 'src/new.ts', bytes: bytes('export const x = 2;\n'), renamedFrom: 'src/old.ts' },
      { rel: 'src/old.ts', bytes: null },
    ], { tag: 'txcontract7' });
    assert.equal(await wfs.read('src/old.ts'), undefined);
    sameBytes(await wfs.read('src/new.ts'), 'export const x = 2;\n', 'renamed');
  }));

  t.test('remove deletes a file and ignores a missing one', withSubject({ 'a.txt': 'a' }, async (wfs) => {
    await wfs.remove('a.txt');
    assert.equal(await wfs.read('a.txt'), undefined);
    await wfs.remove('a.txt');
    await wfs.remove('never/was.txt');
  }));

  t.test('removeEmptyDir leaves a folder that still holds files', withSubject({ 'dir/a.txt': 'a' }, async (wfs) => {
    await wfs.removeEmptyDir('dir');
    sameBytes(await wfs.read('dir/a.txt'), 'a', 'still there');
    await wfs.remove('dir/a.txt');
    await wfs.removeEmptyDir('dir');
    assert.equal(await wfs.stat('dir'), undefined);
  }));

  t.test('removeTemp with no leftover temp file is harmless', withSubject({ 'a.txt': 'a' }, async (wfs) => {
    await wfs.removeTemp('a.txt', 'txcontract8');
    await wfs.removeTemp('missing.txt', 'txcontract8');
    sameBytes(await wfs.read('a.txt'), 'a', 'untouched');
  }));

  t.test('containmentProblem accepts ordinary paths inside the root, existing or not', withSubject({ 'src/a.ts': 'a' }, async (wfs) => {
    assert.equal(await wfs.containmentProblem('src/a.ts'), undefined);
    assert.equal(await wfs.containmentProblem('src/new/b.ts'), undefined);
    assert.ok(wfs.root.length > 0);
  }));

  t.test('a folder on the path that is a file: every write is refused and nothing is written', withSubject({ 'a.txt': 'a', 'ok.txt': 'ok' }, async (wfs) => {
    assert.match((await wfs.writeProblem('a.txt/x')) ?? '', /a\.txt is a file, not a folder/);
    assert.equal(await wfs.writeProblem('ok.txt'), undefined);
    assert.equal(await wfs.writeProblem('new/dir/file.txt'), undefined);
    await assert.rejects(wfs.writeAtomic('a.txt/x', bytes('x'), { tag: 'txcontract9' }), refused(/a\.txt is a file/));
    await assert.rejects(wfs.applyBatch([
      { rel: 'ok.txt', bytes: bytes('changed') },
      { rel: 'a.txt/x', bytes: bytes('x') },
    ], { tag: 'txcontract9' }), refused(/a\.txt is a file/));
    sameBytes(await wfs.read('ok.txt'), 'ok', 'the other file of the refused batch');
    sameBytes(await wfs.read('a.txt'), 'a', 'the file in the way');
  }));

  t.test('a folder swapped for a link to outside: writes, creations and removals through it are refused', withSubject({ 'keep.txt': 'keep', 'sub/in.txt': 'in' }, async (wfs, subject) => {
    if (!subject.linkOutside) return;
    await wfs.remove('sub/in.txt');
    await wfs.removeEmptyDir('sub');
    const outside = await subject.linkOutside('sub', 'folder');
    const before = outside();
    assert.match((await wfs.writeProblem('sub/x.txt')) ?? '', /sub is a symbolic link to .*outside the workspace/);
    await assert.rejects(wfs.writeAtomic('sub/x.txt', bytes('changed'), { tag: 'txcontract10' }), refused(/sub is a symbolic link/));
    await assert.rejects(wfs.writeAtomic('sub/deep/new.txt', bytes('new'), { tag: 'txcontract10' }), refused(/sub is a symbolic link/));
    await assert.rejects(wfs.applyBatch([{ rel: 'keep.txt', bytes: bytes('changed') }, { rel: 'sub/x.txt', bytes: null }], { tag: 'txcontract10' }), refused(/sub is a symbolic link/));
    await assert.rejects(wfs.remove('sub/x.txt'), refused(/sub is a symbolic link/));
    await wfs.removeTemp('sub/x.txt', 'txcontract10');
    await wfs.removeEmptyDir('sub/deep');
    assert.deepEqual(outside(), before);
    sameBytes(await wfs.read('keep.txt'), 'keep', 'the other file of the refused batch');
  }));

  t.test('a file swapped for a link to an outside file is never written through nor replaced', withSubject({ 'keep.txt': 'keep' }, async (wfs, subject) => {
    if (!subject.linkOutside) return;
    const outside = await subject.linkOutside('f.txt', 'file');
    const before = outside();
    assert.match((await wfs.writeProblem('f.txt')) ?? '', /f\.txt is a symbolic link/);
    await assert.rejects(wfs.writeAtomic('f.txt', bytes('changed'), { tag: 'txcontract11', mode: 0o644 }), refused(/f\.txt is a symbolic link/));
    await assert.rejects(wfs.applyBatch([{ rel: 'f.txt', bytes: bytes('changed') }], { tag: 'txcontract11' }), refused(/symbolic link/));
    await assert.rejects(wfs.remove('f.txt'), refused(/symbolic link/));
    assert.equal((await wfs.stat('f.txt'))?.isSymbolicLink, true);
    assert.deepEqual(outside(), before);
  }));
}

/** A refusal of a write: a `path-refused` error naming the problem. */
function refused(problem: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.equal((err as { code?: string }).code, 'path-refused', String(err));
    assert.match((err as Error).message, problem);
    assert.match((err as Error).message, /Nothing was written there/);
    return true;
  };
}
