// Small synchronous file helpers for the audit log: durable writes and reading a file's last
// line without loading the whole (possibly very large, append-only) file.

import { readSync, writeSync } from 'node:fs';

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

// Durable replace and folder fsync are shared with the rest of the core.
export { fsyncDir } from '../util/fsx';
