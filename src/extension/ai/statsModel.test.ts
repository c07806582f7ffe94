import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpendLedger } from '../../core/ai/budget/ledger';
import { MetricsStore } from '../../core/ai/metrics/store';
import { statsRows } from './statsModel';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('AI Models view rows', () => {
  it('show today\'s spend against the daily cap and per-model requests, success, p50/p95, tokens, cost from the real stores', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-aistats-'));
    dirs.push(dir);
    const metrics = new MetricsStore(dir);
    for (let i = 1; i <= 4; i++) await metrics.record({ provider: 'openai', model: 'gpt-4.1', task: 'fix', ok: true, latencyMs: i * 1000, tokensIn: 1000, tokensOut: 200, costUsd: 0.01 });
    await metrics.record({ provider: 'openai', model: 'gpt-4.1', task: 'fix', ok: false, errorKind: 'rate-limit', latencyMs: 50, tokensIn: 0, tokensOut: 0, costUsd: 0 });
    await metrics.record({ provider: 'vscode-lm', model: 'rusty-test/scripted', task: 'explain', ok: true, latencyMs: 300, tokensIn: 10, tokensOut: 5, costUsd: 0 });
    const ledger = new SpendLedger(dir);
    await ledger.add(12_400, 0.04);
    const rows = statsRows(metrics.stats(), ledger.day(), { perDayUsd: 5, perDayTokens: 100_000 });
    expect(rows.map((r) => r.label)).toEqual(['Today: $0.04 of $5.00', 'openai', 'vscode-lm']);
    expect(rows[0]!.description).toBe('12k of 100k tokens · 1 request');
    const gpt = rows[1]!.children![0]!;
    expect(gpt.label).toBe('openai/gpt-4.1');
    expect(gpt.description).toBe('5 req · 80% ok · p50 2.0 s · $0.04');
    expect(Object.fromEntries(gpt.children!.map((c) => [c.label, c.description]))).toEqual({
      Requests: '5 (4 succeeded · 80%)', Latency: 'p50 2.0 s · p95 4.0 s (4 samples)', Tokens: '4,000 in · 800 out', Cost: '$0.04', Failures: 'rate-limit 1',
    });
  });

  it('say when nothing was asked yet and there is no cap', () => {
    const rows = statsRows([], { day: '2026-12-03', tokens: 0, usd: 0, requests: 0 }, {});
    expect(rows.map((r) => [r.label, r.description])).toEqual([['Today: $0 (no daily $ cap)', '0 tokens · 0 requests'], ['No AI requests yet', 'Run "Rusty: Ask…"']]);
  });
});
