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

export function writeFileDurable(target: string, data: Uint8Array | string, opts: { mode?: number; tag?: string } = {}): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target, opts.tag);
  const fd = fs.openSync(tmp, 'w', opts.mode ?? 0o666);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (opts.mode !== undefined) fs.chmodSync(tmp, opts.mode);
  fs.renameSync(tmp, target);
  fsyncDir(path.dirname(target));
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

export function writeJsonDurable(file: string, value: unknown): void {
  writeFileDurable(file, JSON.stringify(value, null, 2) + '\n');
}
