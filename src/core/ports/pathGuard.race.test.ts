// Check-then-write races (issue 9, item 1): another process swaps a folder on the path for a
// link to outside the workspace and back, as fast as it can, while files are written and removed
// there. Whatever the timing, nothing may be created, changed or removed outside. A race, so not
// every run meets the bad moment: before folders were pinned (pathGuard.pinFolder) about one run
// in two on a loaded 2-core machine left temp files in the outside folder.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRustyError } from '../util/errors';
import { NodeWorkspaceFs } from './nodeWorkspaceFs';

const FLIPPER = `
const fs = require('fs');
const [ws, outside, ms] = process.argv.slice(1);
const end = Date.now() + Number(ms);
let flips = 0;
while (Date.now() < end) {
  try {
    fs.renameSync(ws + '/sub', ws + '/sub.real');
    fs.symlinkSync(outside, ws + '/sub');
    for (const t = process.hrtime.bigint(); process.hrtime.bigint() - t < 20000n;); // hold the link ~20 µs
    fs.unlinkSync(ws + '/sub');
    fs.renameSync(ws + '/sub.real', ws + '/sub');
    flips++;
  } catch {
    // The writer may re-create 'sub' in the instant it was missing: put the real folder back.
    try {
      if (fs.existsSync(ws + '/sub.real')) {
        const st = fs.lstatSync(ws + '/sub', { throwIfNoEntry: false });
        if (st && st.isSymbolicLink()) fs.unlinkSync(ws + '/sub');
        else if (st) fs.rmSync(ws + '/sub', { recursive: true, force: true });
        fs.renameSync(ws + '/sub.real', ws + '/sub');
      }
    } catch {}
  }
}
console.log(flips);
`;

describe.runIf(process.platform !== 'win32')('writes race a folder swapped for a link', () => {
  it('nothing is ever created, changed or removed outside the workspace', async () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-race-')));
    const root = path.join(base, 'ws');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'f.txt'), 'outside\n');
    fs.writeFileSync(path.join(root, 'sub', 'f.txt'), 'inside\n');
    const wfs = new NodeWorkspaceFs(root);
    try {
      const child = spawn(process.execPath, ['-e', FLIPPER, root, outside, '6000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let flips = '';
      child.stdout.on('data', (d: Buffer) => (flips += d.toString()));
      const done = new Promise((resolve) => child.on('close', resolve));
      let running = true;
      void done.then(() => (running = false));
      const outcomes = new Map<string, number>();
      for (let n = 0; running; n++) {
        let outcome = 'written';
        try {
          if (n % 3 === 2) await wfs.remove('sub/f.txt');
          else await wfs.applyBatch([{ rel: 'sub/f.txt', bytes: Buffer.from(`write ${n}\n`) }, { rel: 'sub/g.txt', bytes: Buffer.from(`g ${n}\n`) }], { tag: `t${n}` });
        } catch (err) {
          // refused (a Rusty error) or the folder was missing at that instant (ENOENT and the like)
          outcome = isRustyError(err) ? 'refused' : `error ${(err as NodeJS.ErrnoException).code ?? 'other'}`;
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      await done;
      console.log(`[race] flips ${flips.trim()}; outcomes ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}; outside ${fs.readdirSync(outside).join(' ')}`);
      expect(Number(flips)).toBeGreaterThan(100);
      expect(outcomes.get('written') ?? 0).toBeGreaterThan(0);
      expect(fs.readdirSync(outside)).toEqual(['f.txt']);
      expect(fs.readFileSync(path.join(outside, 'f.txt'), 'utf8')).toBe('outside\n');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }, 30_000);
});
