import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tryAcquireLock, withLock } from './lock';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
const lockFile = () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-lock-'));
  return path.join(dir, 'state.lock');
};

describe('state lock', () => {
  it('serializes overlapping work in one process and never blocks the event loop', async () => {
    const file = lockFile();
    const order: string[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const job = (name: string) => withLock(file, name, async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${name}:end`);
    });
    await Promise.all([job('a'), job('b'), job('c')]);
    clearInterval(timer);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(ticks).toBeGreaterThan(5);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('waits for a live owner in another process, then fails naming it', async () => {
    const file = lockFile();
    fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, host: os.hostname(), since: 'earlier', purpose: 'approve' }));
    await expect(withLock(file, 'x', async () => 1, 50)).rejects.toThrow(new RegExp(`process ${process.ppid} \\(approve, since earlier\\)`));
    expect(tryAcquireLock(file, 'probe')).toBeUndefined();
  });

  it('takes over at once from a dead owner', async () => {
    const file = lockFile();
    fs.writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), since: 'x', purpose: 'crashed' }));
    expect(await withLock(file, 'x', async () => 'ran', 50)).toBe('ran');
  });

  it('a failing job releases the lock for the next', async () => {
    const file = lockFile();
    await expect(withLock(file, 'bad', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await withLock(file, 'good', async () => 'ok')).toBe('ok');
  });
});
