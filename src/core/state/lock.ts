// Inter-process lock on the state folder. A lock file holds the owner's pid; a lock whose owner
// is dead (crashed, SIGKILLed) is taken over at once instead of waiting for a timeout, which is
// what makes recovery after a crash immediate.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { RustyError } from '../util/errors';

interface LockOwner { pid: number; host: string; since: string; purpose: string }

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function tryCreate(file: string, owner: LockOwner): boolean {
  try {
    fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Owner unreadable for a moment (being written) is not stale; only a dead pid on this host is. */
function isStale(owner: LockOwner | undefined, file: string): boolean {
  if (!owner) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > 2000;
    } catch {
      return false;
    }
  }
  return owner.host === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid);
}

export interface LockHandle { release(): void }

const held = new Map<string, number>();

/**
 * Acquire `file` (synchronously, so callers can stay simple). Re-entrant within one process.
 * Waits up to `timeoutMs` for a live owner, then fails with a message naming that owner.
 */
export function acquireLock(file: string, purpose: string, timeoutMs = 30_000): LockHandle {
  const depth = held.get(file) ?? 0;
  if (depth > 0) {
    held.set(file, depth + 1);
    return { release: () => releaseOnce(file) };
  }
  const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), purpose };
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  for (;;) {
    if (tryCreate(file, me)) break;
    const owner = readOwner(file);
    if (isStale(owner, file)) {
      takeOverStale(file, owner);
      continue;
    }
    if (Date.now() > deadline) {
      const who = owner ? `process ${owner.pid} (${owner.purpose}, since ${owner.since})` : 'another process';
      throw new RustyError('locked', `Rusty's state is busy: ${who} holds ${file}. Try again when it finishes, or delete the lock file if that process is gone.`);
    }
    sleepSync(wait);
    wait = Math.min(wait * 2, 100);
  }
  held.set(file, 1);
  return { release: () => releaseOnce(file) };
}

function releaseOnce(file: string): void {
  const depth = held.get(file) ?? 0;
  if (depth > 1) {
    held.set(file, depth - 1);
    return;
  }
  held.delete(file);
  const owner = readOwner(file);
  if (owner && owner.pid === process.pid && owner.host === os.hostname()) fs.rmSync(file, { force: true });
}

/**
 * Two processes may both see the same dead owner. Only the one that wins the `.takeover` file
 * removes the stale lock, and it re-checks that the lock still belongs to that dead owner.
 */
function takeOverStale(file: string, seen: LockOwner | undefined): void {
  const guard = `${file}.takeover`;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), purpose: 'takeover' };
  if (!tryCreate(guard, me)) {
    if (isStale(readOwner(guard), guard)) fs.rmSync(guard, { force: true });
    sleepSync(2);
    return;
  }
  try {
    const now = readOwner(file);
    const same = (!now && !seen) || (now && seen && now.pid === seen.pid && now.since === seen.since);
    if (same) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
}
