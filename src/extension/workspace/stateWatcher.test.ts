import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJsonDurable } from '../../core/util/fsx';
import { StateWatcher } from './stateWatcher';

let dir: string;
let watcher: StateWatcher | undefined;
afterEach(() => {
  watcher?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() > end ? reject(new Error('timed out')) : setTimeout(tick, 20));
    tick();
  });
}

for (const poll of [false, true]) {
  describe(`state watcher (${poll ? 'polling' : 'fs.watch'})`, () => {
    it('reports a proposal written by another process once, debounced', async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-watch-'));
      fs.mkdirSync(path.join(dir, 'proposals'));
      let changes = 0;
      watcher = new StateWatcher({ dirs: [path.join(dir, 'proposals'), dir], onChange: () => changes++, debounceMs: 300, poll, pollMs: 50 });
      // Atomic replace (temp file + rename), exactly how the core writes a proposal.
      writeJsonDurable(path.join(dir, 'proposals', 'p1.json'), { id: 'p1' });
      writeJsonDurable(path.join(dir, 'proposals', 'p2.json'), { id: 'p2' });
      await waitFor(() => changes > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(changes).toBe(1);
      fs.appendFileSync(path.join(dir, 'audit.jsonl'), '{}\n');
      await waitFor(() => changes > 1);
    });

    it('is silent after dispose', async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-watch-'));
      let changes = 0;
      watcher = new StateWatcher({ dirs: [dir], onChange: () => changes++, debounceMs: 10, poll, pollMs: 20 });
      watcher.dispose();
      fs.writeFileSync(path.join(dir, 'x.json'), '{}');
      await new Promise((r) => setTimeout(r, 150));
      expect(changes).toBe(0);
    });
  });
}
