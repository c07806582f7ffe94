import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BatchOp, FileInfo, WorkspaceFs } from './workspaceFs';
import { fsyncDir, readIfExists, removeDurable, tempPathFor, writeFileDurable } from '../util/fsx';

export class NodeWorkspaceFs implements WorkspaceFs {
  readonly root: string;

  constructor(root: string) {
    this.root = fs.realpathSync.native(path.resolve(root));
  }

  abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  async read(rel: string): Promise<Uint8Array | undefined> {
    const info = await this.stat(rel);
    if (info && !info.isFile && !info.isSymbolicLink) return undefined;
    return readIfExists(this.abs(rel));
  }

  async stat(rel: string): Promise<FileInfo | undefined> {
    try {
      const st = fs.lstatSync(this.abs(rel));
      return { size: st.size, mode: st.mode & 0o777, isSymbolicLink: st.isSymbolicLink(), isFile: st.isFile() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  async writeAtomic(rel: string, bytes: Uint8Array, opts: { tag: string; mode?: number }): Promise<void> {
    writeFileDurable(this.abs(rel), bytes, { tag: opts.tag, mode: opts.mode });
  }

  async applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }): Promise<void> {
    // Temp files are written and fsynced concurrently: the kernel can commit them together,
    // which is most of the cost of a durable multi-file apply.
    await Promise.all(ops.filter((o) => o.bytes).map(async (o) => {
      const target = this.abs(o.rel);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const tmp = tempPathFor(target, opts.tag);
      const fh = await fs.promises.open(tmp, 'w', o.mode ?? 0o666);
      try {
        await fh.writeFile(o.bytes!);
        await fh.sync();
        if (o.mode !== undefined) await fh.chmod(o.mode);
      } finally {
        await fh.close();
      }
    }));
    const dirs = new Set<string>();
    let done = 0;
    for (const o of ops) {
      const target = this.abs(o.rel);
      if (o.bytes) fs.renameSync(tempPathFor(target, opts.tag), target);
      else fs.rmSync(target, { force: true });
      dirs.add(path.dirname(target));
      opts.onEach?.(++done, ops.length, o.rel);
    }
    for (const dir of dirs) fsyncDir(dir);
  }

  async remove(rel: string): Promise<void> {
    removeDurable(this.abs(rel));
  }

  async removeEmptyDir(rel: string): Promise<void> {
    try {
      fs.rmdirSync(this.abs(rel));
      fsyncDir(path.dirname(this.abs(rel)));
    } catch {
      // Not empty (the user put something there) or already gone: leave it.
    }
  }

  async removeTemp(rel: string, tag: string): Promise<void> {
    const tmp = tempPathFor(this.abs(rel), tag);
    if (fs.existsSync(tmp)) {
      fs.rmSync(tmp, { force: true });
      fsyncDir(path.dirname(tmp));
    }
  }

  async containmentProblem(rel: string): Promise<string | undefined> {
    // Walk up to the deepest existing ancestor and compare its real path with the root.
    let probe = this.abs(rel);
    for (;;) {
      let real: string | undefined;
      try {
        real = fs.realpathSync.native(probe);
      } catch {
        real = undefined;
      }
      if (real !== undefined) {
        const inside = real === this.root || real.startsWith(this.root + path.sep);
        return inside ? undefined : `resolves outside the workspace (to ${real}) through a symbolic link`;
      }
      const parent = path.dirname(probe);
      if (parent === probe) return 'cannot be resolved';
      probe = parent;
    }
  }
}
