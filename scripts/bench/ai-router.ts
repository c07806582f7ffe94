// Benchmark (not a test): router decision time — classifying a request (keyword rules, stack-trace
// detection, token count of its context with the BPE tokenizer) plus choosing a model (filters,
// score, rationale) — against, in the same run and interleaved call by call, (a) a single
// tokenizer call over the same context, the floor any context-size estimate pays, and (b) a
// no-op decision (an empty async call: what the loop and the timer cost). Contexts are real files
// of this repository: a selection (20 lines), one file, and several files. Eight models, half with
// measurements. Prints median/p95 of each and the ratio decision/tokenizer.
//
//   node scripts/bench/build.mjs && node dist/bench/ai-router.mjs
//
// Knobs (environment): BENCH_AI_ROUTER_CALLS (2000 per side), BENCH_AI_ROUTER_WARMUP (100).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { classifyTaskDetailed, type TaskContext } from '../../src/core/ai/router/classify';
import { route } from '../../src/core/ai/router/route';
import { countTokens, loadTokenizer } from '../../src/core/ai/router/tokens';
import type { ModelCapabilities } from '../../src/core/ai/router/catalog';
import type { ModelStats } from '../../src/core/ai/metrics/store';
import { intFromEnv, rng } from './benchEnv';

const CALLS = intFromEnv('BENCH_AI_ROUTER_CALLS', 2000, 10);
const WARMUP = intFromEnv('BENCH_AI_ROUTER_WARMUP', 100, 0);

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url)); // dist/bench when bundled
const REPO_ROOT = path.resolve(OUT_DIR, '..', '..');
const JSON_OUT = path.join(OUT_DIR, 'ai-router.json');

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

const MODELS: ModelCapabilities[] = [
  { provider: 'anthropic', model: 'claude-sonnet-4-5', contextWindow: 200_000, maxOutputTokens: 64_000, supportsTools: true, price: { input: 3, output: 15 } },
  { provider: 'anthropic', model: 'claude-haiku-4-5', contextWindow: 200_000, maxOutputTokens: 64_000, supportsTools: true, price: { input: 1, output: 5 } },
  { provider: 'openai', model: 'gpt-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768, supportsTools: true, price: { input: 2, output: 8 } },
  { provider: 'openai', model: 'gpt-4.1-mini', contextWindow: 1_047_576, maxOutputTokens: 32_768, supportsTools: true, price: { input: 0.4, output: 1.6 } },
  { provider: 'openai', model: 'qwen2.5-coder:7b', contextWindow: 32_768, supportsTools: false, price: { input: 0, output: 0 } },
  { provider: 'gemini', model: 'gemini-2.5-pro', contextWindow: 1_048_576, maxOutputTokens: 65_536, supportsTools: true, price: { input: 1.25, output: 10 } },
  { provider: 'gemini', model: 'gemini-2.5-flash', contextWindow: 1_048_576, maxOutputTokens: 65_536, supportsTools: true, price: { input: 0.3, output: 2.5 } },
  { provider: 'vscode-lm', model: 'copilot-gpt-4o', contextWindow: 64_000, supportsTools: true },
];

function measured(random: () => number): ModelStats[] {
  const kinds = ['explain', 'fix', 'refactor', 'generate-tests', 'debug'] as const;
  return MODELS.filter((_, i) => i % 2 === 0).map((m, i) => {
    const recent = Array.from({ length: 100 }, () => ({ task: kinds[Math.floor(random() * kinds.length)]!, ok: random() < 0.75 + 0.05 * i }));
    const lat = Array.from({ length: 200 }, () => (800 + 700 * i) * (0.5 + random())).sort((a, b) => a - b);
    return { provider: m.provider, model: m.model, requests: 100, successes: recent.filter((r) => r.ok).length, failures: {}, p50Ms: quantile(lat, 0.5), p95Ms: quantile(lat, 0.95),
      latencySamples: 200, tokensIn: 0, tokensOut: 0, costUsd: 0, recent, updatedAt: '' };
  });
}

async function main(): Promise<void> {
  const read = (p: string) => fs.readFileSync(path.join(REPO_ROOT, p), 'utf8');
  const one = read('src/cli/main.ts');
  const small = read('src/core/proposals/stateMachine.ts');
  const several = ['src/cli/mcp.ts', 'src/core/proposals/stateMachine.ts', 'src/core/state/lock.ts', 'src/core/util/fsx.ts', 'src/core/ai/types.ts'].map((p) => ({ path: p, text: read(p) }));
  const trace = "TypeError: Cannot read properties of undefined (reading 'id')\n    at approve (/ws/src/core/proposals/stateMachine.ts:88:12)\n    at async main (/ws/src/cli/main.ts:12:3)";
  const tasks: { text: string; ctx: TaskContext; label: string }[] = [
    { label: 'selection', text: 'Explain what this transition table guards against', ctx: { selection: small.split('\n').slice(0, 20).join('\n') } },
    { label: 'one file', text: 'Fix the bug where `rusty approve` accepts a rejected proposal', ctx: { files: [{ path: 'src/cli/main.ts', text: one }] } },
    { label: 'several files + trace', text: 'Why does approve crash?', ctx: { files: several, extra: [trace] } },
  ];
  await loadTokenizer();
  const stats_ = measured(rng(42));
  const texts = tasks.map((t) => [t.text, t.ctx.selection ?? '', ...(t.ctx.files ?? []).map((f) => f.text), ...(t.ctx.extra ?? [])].join('\n'));
  const sizes = await Promise.all(texts.map((t) => countTokens(t)));

  const decide = async (i: number) => {
    const t = tasks[i]!;
    const c = await classifyTaskDetailed(t.text, t.ctx);
    return route({ profile: c.profile, models: MODELS, stats: stats_ }).choice;
  };
  const tokenize = async (i: number) => countTokens(texts[i]!);
  const noop = async (i: number) => i;

  // Per context: decision and tokenizer samples; the no-op over all.
  const samples = tasks.map(() => ({ decision: [] as number[], tokenizer: [] as number[] }));
  const noops: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (let c = 0; c < tasks.length; c++) {
      // Alternate which side goes first, so drift and caches hit both alike.
      const order = (i + c) % 2 ? (['decision', 'tokenizer'] as const) : (['tokenizer', 'decision'] as const);
      for (const side of order) {
        const t0 = performance.now();
        await (side === 'decision' ? decide(c) : tokenize(c));
        const ms = performance.now() - t0;
        if (i >= WARMUP) samples[c]![side].push(ms);
      }
      const t0 = performance.now();
      await noop(c);
      if (i >= WARMUP) noops.push(performance.now() - t0);
    }
  }
  const fmt = (x: number) => `${(x * 1000).toFixed(0).padStart(7)} µs`;
  const rows = tasks.map((t, c) => {
    const d = stats(samples[c]!.decision);
    const tk = stats(samples[c]!.tokenizer);
    return { label: t.label, tokens: sizes[c]!, decisionMs: d, tokenizerMs: tk, ratioMedian: d.median / tk.median, ratioP95: d.p95 / tk.p95 };
  });
  const n = stats(noops);
  const lines = [
    `AI router decision time: classify + route, ${MODELS.length} models (half measured), ${CALLS} calls per side per context, interleaved, ${WARMUP} warm-up (node ${process.version}, ${os.cpus().length} CPUs)`,
    '  context                   tokens   decision median / p95      one tokenizer call median / p95   ratio median / p95',
  ];
  for (const r of rows) {
    lines.push(`  ${r.label.padEnd(24)} ${String(r.tokens).padStart(7)}  ${fmt(r.decisionMs.median)} ${fmt(r.decisionMs.p95)}      ${fmt(r.tokenizerMs.median)} ${fmt(r.tokenizerMs.p95)}          ${r.ratioMedian.toFixed(2)}× / ${r.ratioP95.toFixed(2)}×`);
  }
  lines.push(`  no-op decision (loop + timer): median ${fmt(n.median)}, p95 ${fmt(n.p95)}`);
  for (const [c, t] of tasks.entries()) lines.push(`  ${t.label}: ${(await decide(c)).rationale}`);
  console.log(lines.join('\n'));
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(JSON_OUT, JSON.stringify({
    calls: CALLS, warmup: WARMUP, contexts: rows, noopMs: n, node: process.version, cpus: os.cpus().length, at: new Date().toISOString(),
  }, null, 2));
}

main().catch((err: unknown) => {
  console.error(`ai-router: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exitCode = 1;
});
