// Write-time containment for the disk adapters. Every write, removal and rename in the workspace
// checks its path right before the system call — not only at submit, because a folder can be
// swapped for a symbolic link between submit and approve (or rollback, redo, recovery):
// - each folder on the path is a real folder, or a symbolic link that resolves inside the root;
// - no folder on the path is a file;
// - the file itself is not a symbolic link (Rusty never writes through, replaces or removes one).
// Node has no openat/renameat. On Linux the folder is opened and named through
// /proc/self/fd/<n> (pinFolder), which is what openat does: once its real path is checked, a
// folder swapped for a link later changes nothing. Elsewhere the folder's real path is used,
// resolved and checked right before the call, so a swap in that moment is not excluded. Temp
// files are opened with O_EXCL | O_NOFOLLOW and confirmed to be the file at the checked place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../util/errors';

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Why `rel` (a file path relative to the real path `root`) may not be written or removed now, or
 * undefined. With `makeParents`, missing folders are created one at a time, each inside a folder
 * just checked. `target` says what may be at `rel` itself ('any': only its folders are checked).
 */
export function writeProblemAt(root: string, rel: string, opts: { makeParents?: boolean; target?: 'file' | 'dir' | 'any' } = {}): string | undefined {
  const parts = rel.split('/');
  let abs = root;
  for (let i = 0; i < parts.length - 1; i++) {
    abs = path.join(abs, parts[i]!);
    const shown = parts.slice(0, i + 1).join('/');
    let st: fs.Stats | undefined;
    for (let attempt = 0; !st; attempt++) {
      try {
        st = fs.lstatSync(abs);
      } catch (err) {
        if (errno(err) !== 'ENOENT') return `${shown} cannot be checked (${errno(err) ?? String(err)})`;
        if (!opts.makeParents) return undefined; // nothing exists further down to lead anywhere
        try {
          fs.mkdirSync(abs);
        } catch (mk) {
          // Made by someone else at the same moment: check what is there now.
          if (errno(mk) !== 'EEXIST' || attempt > 2) throw mk;
        }
      }
    }
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync.native(abs);
      } catch {
        return `${shown} is a symbolic link that leads nowhere`;
      }
      if (!inside(root, real)) return `${shown} is a symbolic link to ${real}, outside the workspace`;
      if (!fs.statSync(real).isDirectory()) return `${shown} is a file, not a folder`;
    } else if (!st.isDirectory()) {
      return `${shown} is a file, not a folder`;
    }
  }
  if (opts.target === 'any') return undefined;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(path.join(root, ...parts));
  } catch (err) {
    if (errno(err) !== 'ENOENT') return `${rel} cannot be checked (${errno(err) ?? String(err)})`;
  }
  if (st?.isSymbolicLink()) return `${rel} is a symbolic link; Rusty never writes through, replaces or removes a link`;
  if (st && (opts.target ?? 'file') === 'file' && !st.isFile()) return `${rel} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}`;
  return undefined;
}

/** The error a refused write raises: names the path and the way out. */
export function pathRefused(rel: string, problem: string): RustyError {
  return new RustyError('path-refused', `Refused to change ${rel}: ${problem}. Nothing was written there; put a real folder or file back (or remove the link) and try again.`, { path: rel, problem });
}

export function guardWrite(root: string, rel: string, opts: { makeParents?: boolean } = {}): void {
  const problem = writeProblemAt(root, rel, opts);
  if (problem) throw pathRefused(rel, problem);
}

/** O_NOFOLLOW where the platform has it (not on Windows). */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Flags to open a fresh temp file for writing: a leftover at that name is removed first (unlink
 * never follows a link), then the file is created exclusively and never through a link.
 */
export function freshTempFlags(tmp: string): number {
  try {
    fs.unlinkSync(tmp);
  } catch (err) {
    if (errno(err) !== 'ENOENT') throw err;
  }
  return fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW;
}

/**
 * Give a temp file the owner of the file it replaces (when running as root, or as the owner of a
 * file whose group we belong to). Not permitted otherwise: the new file keeps our ownership.
 */
export function keepOwner(fd: number, replaced: fs.Stats | undefined): void {
  if (!replaced || process.platform === 'win32' || typeof process.getuid !== 'function') return;
  if (replaced.uid === process.getuid() && replaced.gid === process.getgid?.()) return;
  try {
    fs.fchownSync(fd, replaced.uid, replaced.gid);
  } catch (err) {
    if (!['EPERM', 'EINVAL', 'ENOSYS', 'EACCES'].includes(errno(err) ?? '')) throw err;
  }
}

/**
 * The real path of the folder holding `rel`, resolved now and inside `root`; a refusal otherwise.
 * A rename or unlink then names this path, which has no link left in it to swap: what remains
 * is the time between this call and the system call right after it.
 */
export function realFolder(root: string, rel: string): string {
  const parts = rel.split('/');
  let real: string;
  try {
    real = fs.realpathSync.native(path.join(root, ...parts.slice(0, -1)));
  } catch (err) {
    throw pathRefused(rel, `its folder cannot be resolved (${errno(err) ?? String(err)})`);
  }
  if (!inside(root, real)) throw pathRefused(rel, `its folder now leads to ${real}, outside the workspace`);
  return real;
}

/**
 * Whether the open file `fd` is the file at `abs` (same device and inode, not through a link):
 * false when a folder on the way was swapped between the check and the open.
 */
export function isFileAt(fd: number, abs: string): boolean {
  try {
    const opened = fs.fstatSync(fd);
    const there = fs.lstatSync(abs);
    return there.isFile() && opened.dev === there.dev && opened.ino === there.ino;
  } catch {
    return false;
  }
}

/** /proc/self/fd/<n> names an open folder without resolving its path again (Linux). */
const PROC_FD = process.platform === 'linux' && fs.existsSync('/proc/self/fd') ? '/proc/self/fd' : undefined;
const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;

/**
 * The folder holding `rel`, checked to be inside `root`, for one system call: `dir` names it
 * (pinned by a descriptor where the platform allows) until `close()`.
 */
export function pinFolder(root: string, rel: string): { dir: string; close: () => void } {
  const real = realFolder(root, rel);
  if (!PROC_FD) return { dir: real, close: () => undefined };
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | O_DIRECTORY | NOFOLLOW);
  } catch (err) {
    throw pathRefused(rel, `its folder cannot be opened (${errno(err) ?? String(err)})`);
  }
  const close = () => fs.closeSync(fd);
  let opened: string;
  try {
    opened = fs.readlinkSync(`${PROC_FD}/${fd}`);
  } catch (err) {
    close();
    throw err;
  }
  if (!inside(root, opened)) {
    close();
    throw pathRefused(rel, `its folder now leads to ${opened}, outside the workspace`);
  }
  return { dir: `${PROC_FD}/${fd}`, close };
}
