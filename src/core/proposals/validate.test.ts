import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { parseChangeSet } from './validate';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const cs = (edits: unknown[], extra: Record<string, unknown> = {}) => ({ title: 't', source: 'test', edits, ...extra });

async function refused(change: unknown, pattern: RegExp, code?: string): Promise<void> {
  const before = ws.snapshot();
  const core = ws.core();
  await expect(core.submit(change)).rejects.toSatisfy((e: Error & { code?: string }) => {
    expect(e.message).toMatch(pattern);
    if (code) expect(e.code).toBe(code);
    return true;
  });
  expect(ws.snapshot()).toEqual(before); // nothing written to the workspace
  expect(core.list()).toHaveLength(0); // and nothing queued
}

describe('change-set schema', () => {
  it('names the field path and the reason', () => {
    expect(() => parseChangeSet({ title: '', source: 's', edits: [] })).toThrow(/title: must not be empty.*edits: must contain at least one edit/);
    expect(() => parseChangeSet(cs([{ kind: 'modify', path: 'a.ts', baseHash: 'abc', content: 'x' }]))).toThrow(/edits\[0\]\.baseHash: must be a sha256 hex string/);
    expect(() => parseChangeSet(cs([{ kind: 'explode', path: 'a.ts' }]))).toThrow(/edits\[0\].*kind.*modify, create, delete or rename/);
    expect(() => parseChangeSet(cs([{ kind: 'create', path: 'a.ts' }]))).toThrow(/edits\[0\]\.content/);
    expect(() => parseChangeSet(cs([{ kind: 'create', path: 'a.ts', content: 'x', extra: 1 }]))).toThrow(/edits\[0\]/);
    expect(() => parseChangeSet(cs([{ kind: 'create', path: 'a.ts', content: 'x' }], { priority: 'asap' }))).toThrow(/priority/);
  });

  it('refuses text with a lone UTF-16 surrogate (it has no UTF-8 bytes) and names longer than 255 bytes', () => {
    expect(() => parseChangeSet(cs([{ kind: 'create', path: 'a.ts', content: 'a\ud800b' }]))).toThrow(/edits\[0\]\.content: contains a lone UTF-16 surrogate/);
    expect(() => parseChangeSet(cs([{ kind: 'create', path: 'a.ts', content: 'emoji 😀 is fine' }]))).not.toThrow();
    expect(() => parseChangeSet(cs([{ kind: 'create', path: `src/${'é'.repeat(128)}.ts`, content: 'x' }]))).toThrow(/longer than 255 bytes \(259 bytes/);
  });
});

describe('refusals write nothing', () => {
  it('absolute paths', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    await refused(cs([{ kind: 'create', path: '/etc/passwd', content: 'x' }]), /edits\[0\]\.path: path "\/etc\/passwd" is absolute/);
    await refused(cs([{ kind: 'create', path: 'C:/x.ts', content: 'x' }]), /is absolute/);
  });

  it("'..' segments", async () => {
    ws = tempWorkspace();
    await refused(cs([{ kind: 'create', path: 'src/../../evil.ts', content: 'x' }]), /contains '\.\.'/);
  });

  it('paths that escape through a symbolic link', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    const outside = fs.mkdtempSync(path.join(path.dirname(ws.root), 'outside-'));
    fs.symlinkSync(outside, path.join(ws.root, 'link'));
    await refused(cs([{ kind: 'create', path: 'link/evil.ts', content: 'x' }]), /resolves outside the workspace/, 'path-refused');
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('a folder on the path that is a file (a.txt/x), and one path made both a file and a folder', async () => {
    ws = tempWorkspace({ 'a.txt': 'x\n', 'd/e.txt': 'e\n' });
    await refused(cs([{ kind: 'create', path: 'a.txt/x', content: 'x' }]), /^a\.txt\/x: a\.txt is a file, not a folder$/, 'path-refused');
    await refused(cs([{ kind: 'rename', path: 'd/e.txt', to: 'a.txt/deep/e.txt', baseHash: ws.hash('d/e.txt') }]), /a\.txt\/deep\/e\.txt: a\.txt is a file, not a folder/, 'path-refused');
    await refused(cs([{ kind: 'create', path: 'n', content: 'x' }, { kind: 'create', path: 'n/m/o.txt', content: 'y' }]), /edits\[0\] makes n a file while edits\[1\] puts a file inside it/, 'invalid-change-set');
    await refused(cs([{ kind: 'create', path: 'q/r.txt', content: 'y' }, { kind: 'create', path: 'Q', content: 'x' }]), /edits\[1\] makes q a file while edits\[0\] puts a file inside it/, 'invalid-change-set');
  });

  it('a symbolic link itself', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    fs.symlinkSync(path.join(ws.root, 'a.ts'), path.join(ws.root, 'b.ts'));
    await refused(cs([{ kind: 'modify', path: 'b.ts', baseHash: ws.hash('a.ts'), content: 'y\n' }]), /symbolic link/);
  });

  it('anything inside .git', async () => {
    ws = tempWorkspace({ '.git/config': '[core]\n' });
    await refused(cs([{ kind: 'create', path: '.git/hooks/pre-commit', content: 'rm -rf /' }]), /inside a \.git directory/);
    await refused(cs([{ kind: 'create', path: 'sub/.GIT/x', content: 'x' }]), /inside a \.git directory/);
  });

  it('NUL bytes in paths and contents', async () => {
    ws = tempWorkspace();
    await refused(cs([{ kind: 'create', path: 'a\u0000.ts', content: 'x' }]), /NUL byte/);
    await refused(cs([{ kind: 'create', path: 'a.ts', content: 'x\u0000y' }]), /edits\[0\]\.content: contains a NUL byte/);
  });

  it('duplicate or overlapping edits to one path', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n', 'b.ts': 'y\n' });
    const h = ws.hash('a.ts');
    await refused(cs([{ kind: 'modify', path: 'a.ts', baseHash: h, content: '1\n' }, { kind: 'modify', path: 'a.ts', baseHash: h, content: '2\n' }]), /edits\[0\] and edits\[1\] both touch a\.ts/);
    await refused(cs([{ kind: 'rename', path: 'a.ts', to: 'c.ts', baseHash: h }, { kind: 'create', path: 'c.ts', content: 'z' }]), /both touch c\.ts/);
    await refused(cs([{ kind: 'rename', path: 'a.ts', to: 'a.ts', baseHash: h }]), /onto itself/);
  });

  it('text edits to binary files', async () => {
    ws = tempWorkspace({ 'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) });
    await refused(cs([{ kind: 'modify', path: 'img.png', baseHash: ws.hash('img.png'), content: 'text' }]), /binary file/, 'binary-file');
  });

  it('files over the size limit', async () => {
    ws = tempWorkspace({ 'big.ts': 'x'.repeat(2048) + '\n' });
    const core = ws.core({ settings: { maxFileSizeMB: 1 / 1024 } });
    await expect(core.submit(cs([{ kind: 'modify', path: 'big.ts', baseHash: ws.hash('big.ts'), content: 'y\n' }]))).rejects.toThrow(/over the 1\.0 KB limit \(setting rusty\.maxFileSizeMB\)/);
    await expect(core.submit(cs([{ kind: 'create', path: 'new.ts', content: 'y'.repeat(5000) }]))).rejects.toThrow(/new content is .* over/);
    expect(ws.exists('new.ts')).toBe(false);
  });

  it('a base that no longer matches, or a file that vanished, or a create over an existing file', async () => {
    ws = tempWorkspace({ 'a.ts': 'x\n' });
    await refused(cs([{ kind: 'modify', path: 'a.ts', baseHash: 'f'.repeat(64), content: 'y\n' }]), /changed since the change set was computed/, 'stale');
    await refused(cs([{ kind: 'delete', path: 'gone.ts', baseHash: 'f'.repeat(64) }]), /does not exist/);
    await refused(cs([{ kind: 'create', path: 'a.ts', content: 'y' }]), /already exists/);
  });
});
