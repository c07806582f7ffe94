// Durable file primitives. A write is "durable" when the bytes are fsynced, the file renamed into
// place, and the parent directory fsynced so the rename itself survives a power cut.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const TEMP_MARK = '.rusty-tmp-';

export function fsyncDir(dir: string): void {
  // Windows cannot open directories for fsync; renames there are already metadata-journaled.
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse directory fsync; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Temp file next to the target, so rename() stays on one file system and is atomic. */
export function tempPathFor(target: string, tag = randomBytes(6).toString('hex')): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARK}${tag}`);
}

/**
 * Replace `target` atomically (readers see old or new bytes, never a mix). With `sync: false` the
 * bytes are not forced to disk: for advisory files that a crash may leave one version behind.
 */
export function writeFileDurable(target: string, data: Uint8Array | string, opts: { mode?: number; tag?: string; sync?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target, opts.tag);
  const fd = fs.openSync(tmp, 'w', opts.mode ?? 0o666);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < buf.byteLength;) off += fs.writeSync(fd, buf, off, buf.byteLength - off);
    if (opts.sync !== false) fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  if (opts.mode !== undefined) fs.chmodSync(tmp, opts.mode);
  fs.renameSync(tmp, target);
  if (opts.sync !== false) fsyncDir(path.dirname(target));
}

/** writeFileDurable(…, {sync: false}) off the event loop: an advisory file replaced atomically. */
export async function replaceFileAsync(target: string, data: string, opts: { mode?: number } = {}): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    await fs.promises.writeFile(tmp, data, { mode: opts.mode ?? 0o666 });
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

/** Remove temp files a killed process left in a state folder (call under the state lock). */
export function sweepTempFiles(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.includes(TEMP_MARK)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

export function removeDurable(target: string): void {
  try {
    fs.unlinkSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return;
  }
  fsyncDir(path.dirname(target));
}

export function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

export function readJson<T>(file: string): T | undefined {
  const buf = readIfExists(file);
  return buf === undefined ? undefined : (JSON.parse(buf.toString('utf8')) as T);
}

export function writeJsonDurable(file: string, value: unknown, sync = true): void {
  writeFileDurable(file, JSON.stringify(value, null, 2) + '\n', { sync });
}
