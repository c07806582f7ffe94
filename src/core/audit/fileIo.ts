// Small synchronous file helpers for the audit log: durable writes and reading a file's last
// line without loading the whole (possibly very large, append-only) file.

import { closeSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

const TAIL_CHUNK = 8192;

/** readSync may return fewer bytes than asked; loop until `buf` is full. */
export function readFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file while reading ${buf.length} bytes at ${position}`);
    done += n;
  }
}

/** writeSync may write fewer bytes than asked (e.g. on pipes / odd filesystems); loop. */
export function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}

export function readByteAt(fd: number, position: number): number {
  const buf = Buffer.alloc(1);
  readFully(fd, buf, position);
  return buf[0] ?? -1;
}

/**
 * The line that ends at byte `end` (exclusive: `end` is the offset of its '\n', or the file size
 * for an unterminated last line). Reads backwards in chunks, so cost is the line's length.
 */
export function lineEndingAt(fd: number, end: number): { start: number; bytes: Buffer } {
  const chunks: Buffer[] = [];
  let pos = end;
  while (pos > 0) {
    const size = Math.min(TAIL_CHUNK, pos);
    const buf = Buffer.alloc(size);
    readFully(fd, buf, pos - size);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) {
      chunks.unshift(buf.subarray(nl + 1));
      return { start: pos - size + nl + 1, bytes: Buffer.concat(chunks) };
    }
    chunks.unshift(buf);
    pos -= size;
  }
  return { start: 0, bytes: Buffer.concat(chunks) };
}

/** Make a rename/create durable. Directories can't be opened on Windows: best effort only. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // unsupported on this platform / filesystem
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // nothing useful to do
      }
    }
  }
}

/** Write to a temp file, fsync, rename over `file`: readers see the old or the new bytes, never a mix. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, Buffer.from(data, 'utf8'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
  fsyncDir(dirname(file));
}
