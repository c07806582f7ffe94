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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

function me(purpose: string): LockOwner {
  return { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), purpose };
}

function handle(file: string, owner: LockOwner): LockHandle {
  return {
    release() {
      const now = readOwner(file);
      if (now && now.pid === owner.pid && now.since === owner.since) fs.rmSync(file, { force: true });
    },
  };
}

/** One attempt: take the lock if it is free or its owner is dead; never waits. */
export function tryAcquireLock(file: string, purpose: string): LockHandle | undefined {
  const owner = me(purpose);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, owner)) return handle(file, owner);
    const current = readOwner(file);
    if (!isStale(current, file)) return undefined;
    takeOverStale(file, current);
  }
  return undefined;
}

/**
 * Take the inter-process lock, waiting (without blocking the event loop — the extension host
 * must stay responsive) up to `timeoutMs` for a live owner, then fail naming that owner.
 */
async function acquireLock(file: string, purpose: string, timeoutMs: number): Promise<LockHandle> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    const h = tryAcquireLock(file, purpose);
    if (h) return h;
    if (Date.now() > deadline) {
      const owner = readOwner(file);
      const who = owner ? `process ${owner.pid} (${owner.purpose}, since ${owner.since})` : 'another process';
      throw new RustyError('locked', `Rusty's state is busy: ${who} holds ${file}. Try again when it finishes, or delete the lock file if that process is gone.`);
    }
    await sleep(wait);
  }
}

// Work in one process is queued per lock file, so two cores for the same workspace (or two
// overlapping calls on one) never both believe they hold the lock.
const queues = new Map<string, Promise<unknown>>();

export function withLock<T>(file: string, purpose: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const run = async () => {
    const lock = await acquireLock(file, purpose, timeoutMs);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  };
  const previous = queues.get(file) ?? Promise.resolve();
  const result = previous.then(run, run);
  const tail = result.catch(() => undefined);
  queues.set(file, tail);
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file);
  });
  return result;
}

/**
 * Two processes may both see the same dead owner. Only the one that wins the `.takeover` file
 * removes the stale lock, and it re-checks that the lock still belongs to that dead owner.
 */
function takeOverStale(file: string, seen: LockOwner | undefined): void {
  const guard = `${file}.takeover`;
  if (!tryCreate(guard, me('takeover'))) {
    if (isStale(readOwner(guard), guard)) fs.rmSync(guard, { force: true });
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
