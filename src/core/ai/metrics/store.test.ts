// Metrics and daily spend on real files: percentiles, the bounded reservoir, reload, a corrupt
// file recovered with a warning, and two real processes updating at once without losing counts.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { SpendLedger, dayKey } from '../budget/ledger';
import { LATENCY_RESERVOIR, MetricsStore, RECENT_OUTCOMES, percentile, type UsageSample } from './store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ai-metrics-'));
  dirs.push(d);
  return d;
}

const ok = (latencyMs: number, over: Partial<UsageSample> = {}): UsageSample =>
  ({ provider: 'anthropic', model: 'claude-a', task: 'fix', ok: true, latencyMs, tokensIn: 10, tokensOut: 5, costUsd: 0.001, ...over });

describe('MetricsStore', () => {
  it('p50/p95 are nearest-rank over the recorded latencies, persisted and re-read by a new instance', async () => {
    const dir = path.join(tmp(), 'ai');
    const store = new MetricsStore(dir);
    // 1..100 in a shuffled order: p50 = 50, p95 = 95.
    const order = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    for (const ms of order) await store.record(ok(ms));
    await store.record(ok(0, { ok: false, errorKind: 'overloaded', tokensIn: 0, tokensOut: 0, costUsd: 0 }));
    await store.record(ok(0, { ok: false, errorKind: 'cancelled', tokensIn: 0, tokensOut: 0, costUsd: 0 }));
    const [m] = new MetricsStore(dir).stats();
    expect(m).toMatchObject({ requests: 102, successes: 100, failures: { overloaded: 1, cancelled: 1 }, p50Ms: 50, p95Ms: 95, latencySamples: 100, tokensIn: 1000, tokensOut: 500 });
    expect(m!.costUsd).toBeCloseTo(0.1, 10);
    // Bounded to the most recent outcomes; a cancellation is not an outcome of the model.
    expect(m!.recent).toHaveLength(RECENT_OUTCOMES);
    expect(m!.recent.filter((r) => !r.ok)).toHaveLength(1);
    expect(m!.recent.at(-1)).toEqual({ task: 'fix', ok: false });
  });

  it('keeps a bounded reservoir of the most recent latencies', async () => {
    const dir = path.join(tmp(), 'ai');
    const store = new MetricsStore(dir);
    const file = path.join(dir, 'metrics.json');
    await store.record(ok(1));
    // Seed 249 more through the file format itself (fast), then one real record trims it.
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.models['anthropic/claude-a'].latenciesMs = Array.from({ length: 249 }, (_, i) => i + 1);
    fs.writeFileSync(file, JSON.stringify(json));
    await store.record(ok(250));
    const [m] = store.stats();
    expect(m!.latencySamples).toBe(LATENCY_RESERVOIR);
    expect(m!.p50Ms).toBe(percentile(Array.from({ length: 200 }, (_, i) => i + 51), 0.5));
    expect(m!.p50Ms).toBe(150);
  });

  it('a corrupt or invalid file is moved aside with a warning, and recording starts again', async () => {
    const dir = path.join(tmp(), 'ai');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'metrics.json');
    for (const bad of ['{"version":1,"models":{"x":', JSON.stringify({ version: 1, models: { 'a/b': { provider: 'a', model: 'b', requests: -1 } } })]) {
      fs.writeFileSync(file, bad);
      const warnings: string[] = [];
      const store = new MetricsStore(dir, { onWarning: (w) => warnings.push(w) });
      expect(store.stats()).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/metrics\.json was unreadable \(.+\); it was moved to .+metrics\.json\.corrupt-.+ and Rusty starts from empty\./);
      await store.record(ok(5));
      expect(new MetricsStore(dir).stats()[0]).toMatchObject({ requests: 1, p50Ms: 5 });
      fs.rmSync(file);
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
  });

  it('a corrupt spend file is recovered the same way', async () => {
    const dir = path.join(tmp(), 'ai');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'spend.json'), 'not json');
    const warnings: string[] = [];
    const ledger = new SpendLedger(dir, { onWarning: (w) => warnings.push(w) });
    expect(ledger.day()).toEqual({ day: dayKey(new Date()), tokens: 0, usd: 0, requests: 0 });
    await ledger.add(10, 0.5);
    expect(new SpendLedger(dir).day()).toMatchObject({ tokens: 10, usd: 0.5, requests: 1 });
    expect(warnings[0]).toMatch(/spend\.json was unreadable/);
  });

  it('two processes recording at once lose no count and no spend', async () => {
    const root = tmp();
    const dir = path.join(root, 'ai');
    const worker = path.join(root, 'worker.mjs');
    const here = path.dirname(new URL(import.meta.url).pathname);
    await build({
      stdin: {
        contents: `import { MetricsStore } from ${JSON.stringify(path.join(here, 'store.ts'))};
import { SpendLedger } from ${JSON.stringify(path.join(here, '..', 'budget', 'ledger.ts'))};
const [dir, n] = process.argv.slice(2);
const store = new MetricsStore(dir); const ledger = new SpendLedger(dir);
for (let i = 0; i < Number(n); i++) {
  await store.record({ provider: 'openai', model: 'm', task: 'fix', ok: true, latencyMs: 10 + i, tokensIn: 3, tokensOut: 2, costUsd: 0.25 });
  await ledger.add(5, 0.25);
}`,
        resolveDir: here, loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', outfile: worker, logLevel: 'error',
    });
    const N = 30;
    const run = () => new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [worker, dir, String(N)], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('exit', resolve);
    });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    const [m] = new MetricsStore(dir).stats();
    expect(m).toMatchObject({ requests: 2 * N, successes: 2 * N, tokensIn: 6 * N, tokensOut: 4 * N });
    expect(m!.costUsd).toBeCloseTo(0.5 * N, 10);
    expect(new SpendLedger(dir).day()).toMatchObject({ tokens: 10 * N, usd: 0.5 * N, requests: 2 * N });
    expect(fs.readdirSync(dir).sort()).toEqual(['metrics.json', 'spend.json']);
  });
});
