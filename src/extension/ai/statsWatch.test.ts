// The AI Models view's watcher against the real stores the CLI writes with: a metrics record and a
// spend entry in <state>/ai each refresh the view (debounced), whether fs.watch works or it polls.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpendLedger } from '../../core/ai/budget/ledger';
import { MetricsStore } from '../../core/ai/metrics/store';
import { AiStatsWatch } from './statsWatch';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

function setup(opts: { poll?: boolean } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ai-watch-'));
  const aiDir = path.join(root, 'state', 'ai');
  let changes = 0;
  const watch = new AiStatsWatch(() => { changes++; }, { debounceMs: 50, ...(opts.poll ? { poll: true, pollMs: 50 } : {}) });
  cleanups.push(() => { watch.dispose(); fs.rmSync(root, { recursive: true, force: true }); });
  return { aiDir, watch, changes: () => changes };
}

const sample = { provider: 'anthropic' as const, model: 'claude-sonnet-4-5', task: 'fix' as const, ok: true, latencyMs: 900, tokensIn: 1000, tokensOut: 100, costUsd: 0.0045 };

describe('AI Models view refresh on state changes', () => {
  for (const poll of [false, true]) {
    it(`${poll ? 'polling' : 'fs.watch'}: a metrics record and a spend entry written elsewhere refresh it; nothing else does`, async () => {
      const s = setup({ poll });
      s.watch.watch(s.aiDir);
      expect(fs.existsSync(s.aiDir)).toBe(true);
      await sleep(150);
      expect(s.changes()).toBe(0);
      await new MetricsStore(s.aiDir).record(sample);
      await until(() => s.changes() >= 1);
      const after = s.changes();
      await new SpendLedger(s.aiDir).add(1100, 0.0045);
      await until(() => s.changes() > after);
      // Watching the same folder again keeps one watcher; disposing stops the refreshes.
      s.watch.watch(s.aiDir);
      s.watch.dispose();
      await sleep(100);
      const stopped = s.changes();
      await new MetricsStore(s.aiDir).record(sample);
      await sleep(250);
      expect(s.changes()).toBe(stopped);
    });
  }
});
