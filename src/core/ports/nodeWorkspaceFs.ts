import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BatchOp, FileInfo, WorkspaceFs } from './workspaceFs';
import { fsyncDir, readIfExists, tempPathFor } from '../util/fsx';
import { guardWrite, keepOwner, freshTempFlags, isFileAt, pathRefused, pinFolder, writeProblemAt } from './pathGuard';

function lstatIfExists(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function unlinkIfExists(abs: string): void {
  try {
    fs.unlinkSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

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
    await this.batch([{ rel, bytes, ...(opts.mode !== undefined ? { mode: opts.mode } : {}) }], opts.tag);
  }

  /** Why writing or removing `rel` right now is refused (see pathGuard), or undefined. */
  async writeProblem(rel: string): Promise<string | undefined> {
    return writeProblemAt(this.root, rel);
  }

  /**
   * Temp file beside the target (folders made one by one, each checked): exclusive, never through
   * a link, fsynced, with the replaced file's owner and (unless given) its mode.
   */
  private async writeTemp(o: BatchOp & { bytes: Uint8Array }, tag: string): Promise<string> {
    guardWrite(this.root, o.rel, { makeParents: true });
    const target = this.abs(o.rel);
    const replaced = lstatIfExists(target);
    const mode = o.mode ?? (replaced ? replaced.mode & 0o777 : undefined);
    const tmp = tempPathFor(target, tag);
    // Created in the checked folder (pinned where the platform allows, see pinFolder).
    const pin = pinFolder(this.root, o.rel);
    let fh: fs.promises.FileHandle;
    try {
      const pinnedTmp = path.join(pin.dir, path.basename(tmp));
      fh = await fs.promises.open(pinnedTmp, freshTempFlags(pinnedTmp), mode ?? 0o666);
    } finally {
      pin.close();
    }
    // Where a folder can still be swapped before the open: the (empty) temp file may be
    // elsewhere; nothing is written into it, and it is left alone (its path cannot be trusted).
    const recheck = pinFolder(this.root, o.rel);
    let placed = false;
    try {
      placed = isFileAt(fh.fd, path.join(recheck.dir, path.basename(tmp)));
    } finally {
      recheck.close();
      if (!placed) await fh.close();
    }
    if (!placed) throw pathRefused(o.rel, 'a folder on its path was swapped while it was being written');
    try {
      await fh.writeFile(o.bytes);
      await fh.sync();
      keepOwner(fh.fd, replaced);
      if (mode !== undefined) await fh.chmod(mode);
    } catch (err) {
      await fh.close();
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    await fh.close();
    return tmp;
  }

  applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }): Promise<void> {
    return this.batch(ops, opts.tag, opts.onEach);
  }

  private async batch(ops: BatchOp[], tag: string, onEach?: (done: number, total: number, rel: string) => void): Promise<void> {
    // Every path is checked before anything is written, and again right before its rename or
    // removal. Temp files are written and fsynced concurrently: the kernel can commit them
    // together, which is most of the cost of a durable multi-file apply.
    for (const o of ops) guardWrite(this.root, o.rel);
    const written = await Promise.allSettled(ops.map((o) => (o.bytes ? this.writeTemp(o as BatchOp & { bytes: Uint8Array }, tag) : Promise.resolve(undefined))));
    const failed = written.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    // Temp files of a refused batch are removed only where their folder still leads inside.
    const dropTemps = (from: number) => written.forEach((w, i) => {
      if (i >= from && w.status === 'fulfilled' && w.value && !writeProblemAt(this.root, ops[i]!.rel, { target: 'any' })) unlinkIfExists(w.value);
    });
    if (failed) {
      dropTemps(0);
      throw failed.reason;
    }
    const dirs = new Set<string>();
    let done = 0;
    for (const [i, o] of ops.entries()) {
      const target = this.abs(o.rel);
      const tmp = (written[i] as PromiseFulfilledResult<string | undefined>).value;
      try {
        guardWrite(this.root, o.rel);
      } catch (err) {
        dropTemps(i);
        throw err;
      }
      // In the checked folder, pinned right before the call (see pinFolder).
      let pin: ReturnType<typeof pinFolder> | undefined;
      try {
        pin = tmp ? pinFolder(this.root, o.rel) : this.pinIfFolder(o.rel);
      } catch (err) {
        dropTemps(i);
        throw err;
      }
      try {
        if (tmp) fs.renameSync(path.join(pin!.dir, path.basename(tmp)), path.join(pin!.dir, path.basename(target)));
        else if (pin) unlinkIfExists(path.join(pin.dir, path.basename(target)));
      } finally {
        pin?.close();
      }
      dirs.add(path.dirname(target));
      onEach?.(++done, ops.length, o.rel);
    }
    for (const dir of dirs) fsyncDir(dir);
  }

  async remove(rel: string): Promise<void> {
    guardWrite(this.root, rel);
    const pin = this.pinIfFolder(rel);
    if (!pin) return;
    try {
      fs.unlinkSync(path.join(pin.dir, path.basename(this.abs(rel))));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return;
    } finally {
      pin.close();
    }
    fsyncDir(path.dirname(this.abs(rel)));
  }

  /** pinFolder, or undefined when the folder does not exist (then there is nothing to remove). */
  private pinIfFolder(rel: string): ReturnType<typeof pinFolder> | undefined {
    if (!lstatIfExists(path.dirname(this.abs(rel)))) return undefined;
    return pinFolder(this.root, rel);
  }

  async removeEmptyDir(rel: string): Promise<void> {
    // Cosmetic (undoes a folder an apply made): a folder whose path now leads elsewhere is left.
    if (writeProblemAt(this.root, rel, { target: 'dir' })) return;
    try {
      fs.rmdirSync(this.abs(rel));
      fsyncDir(path.dirname(this.abs(rel)));
    } catch {
      // Not empty (the user put something there) or already gone: leave it.
    }
  }

  async removeTemp(rel: string, tag: string): Promise<void> {
    // A temp file can only be ours where the folders still lead inside the workspace.
    if (writeProblemAt(this.root, rel, { target: 'any' })) return;
    const tmp = tempPathFor(this.abs(rel), tag);
    if (lstatIfExists(tmp)) {
      unlinkIfExists(tmp);
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
