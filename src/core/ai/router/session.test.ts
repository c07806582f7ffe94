// The routed session against an in-test fake provider (the unit under test is the routing,
// budget and metrics logic, not a vendor), with real metrics and spend files in a temp folder.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { AiError, isAiError, type AiErrorKind, type ChatRequest, type ChatResult, type ModelProvider, type ProviderId, type StreamEvent, type TokenUsage } from '../types';
import { MetricsStore } from '../metrics/store';
import { SpendLedger } from '../budget/ledger';
import type { BudgetCaps } from '../budget/caps';
import type { ModelCapabilities } from './catalog';
import { route, type RoutePlan } from './route';
import { createModelSession, type SessionEvent, type SessionOptions } from './session';
import { countRequestTokens } from './tokens';

type Step = { text?: string[]; usage?: TokenUsage } | { error: AiErrorKind; retryAfterMs?: number; textBefore?: string };

/** Plays its steps in order; records every request it was sent. */
class FakeProvider implements ModelProvider {
  readonly label = 'fake';
  readonly sent: ChatRequest[] = [];
  constructor(readonly id: ProviderId, private readonly steps: Step[]) {}
  async listModels() { return []; }
  async chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    this.sent.push(req);
    const step = this.steps.shift() ?? { error: 'server' as const };
    if ('error' in step) {
      if (step.textBefore) onEvent?.({ type: 'text', text: step.textBefore });
      throw new AiError(step.error, `fake ${step.error}`, this.id, step.retryAfterMs !== undefined ? { retryAfterMs: step.retryAfterMs } : {});
    }
    for (const text of step.text ?? []) onEvent?.({ type: 'text', text });
    const usage = step.usage ?? { inputTokens: 100, outputTokens: 50 };
    onEvent?.({ type: 'usage', usage });
    return { provider: this.id, model: req.model, text: (step.text ?? []).join(''), toolCalls: [], usage, stopReason: 'end', latencyMs: 7 };
  }
}

const A: ModelCapabilities = { provider: 'anthropic', model: 'claude-a', contextWindow: 128_000, maxOutputTokens: 1000, supportsTools: true, price: { input: 3, output: 15 } };
const B: ModelCapabilities = { provider: 'openai', model: 'gpt-b', contextWindow: 64_000, maxOutputTokens: 1000, supportsTools: true, price: { input: 5, output: 20 } };
const C: ModelCapabilities = { provider: 'gemini', model: 'gemini-c', contextWindow: 1_000_000, maxOutputTokens: 1000, supportsTools: true, price: { input: 6, output: 30 } };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function aiDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ai-session-'));
  dirs.push(d);
  return path.join(d, 'ai');
}

/** The plan the router makes for A, B, C with no measurements: A, B, C in order of cost. */
function plan(): RoutePlan {
  const p = route({ profile: { kind: 'fix', contextTokens: 10, needsTools: true, urgency: 'interactive' }, models: [A, B, C] });
  expect([p.choice, ...p.fallbacks].map((c) => c.model)).toEqual(['claude-a', 'gpt-b', 'gemini-c']);
  return p;
}

function open(dir: string, caps: BudgetCaps, providers: ModelProvider[], opts: SessionOptions = {}, now?: () => Date) {
  const ledger = new SpendLedger(dir, now ? { now } : {});
  const metrics = new MetricsStore(dir);
  const events: SessionEvent[] = [];
  const session = createModelSession(plan(), providers, { caps, ledger }, metrics, { baseDelayMs: 1, ...opts, onEvent: (e) => events.push(e) });
  return { session, events, ledger, metrics };
}

const ask = (content: string, extra: Partial<ChatRequest> = {}) => ({ messages: [{ role: 'user' as const, content }], ...extra });

async function refusal(p: Promise<unknown>): Promise<AiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(isAiError(err), String(err)).toBe(true);
  return err as AiError;
}

describe('budgets, checked before sending', () => {
  it('a request over the per-task token cap is refused and nothing is sent', async () => {
    const a = new FakeProvider('anthropic', [{ text: ['hi'] }]);
    const { session, events } = open(aiDir(), { perTaskTokens: 500 }, [a]);
    const input = await countRequestTokens(ask('Fix the bug in parse()'), 'anthropic', 'claude-a');
    const err = await refusal(session.chat(ask('Fix the bug in parse()')));
    expect(err.kind).toBe('budget');
    expect(err.message).toBe(`Not sent: anthropic/claude-a needs up to ${(input + 1000).toLocaleString('en-US')} tokens (${input} tokens in + 1,000 tokens max out), and this task has used 0 tokens of its 500 tokens cap (rusty.ai.budget.perTaskTokens).`);
    expect(a.sent).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['refused']);
  });

  it('two requests of one task sent at once: the second counts the first\'s worst case', async () => {
    const slow: ModelProvider = {
      id: 'anthropic', label: 'slow', listModels: async () => [],
      chat: async (req) => {
        await new Promise((r) => setTimeout(r, 50));
        return { provider: 'anthropic', model: req.model, text: 'ok', toolCalls: [], usage: { inputTokens: 10, outputTokens: 10 }, stopReason: 'end', latencyMs: 50 };
      },
    };
    // One request's worst case is ~1010 tokens; the cap admits one in flight, not two.
    const { session } = open(aiDir(), { perTaskTokens: 1500 }, [slow]);
    const [first, second] = await Promise.allSettled([session.chat(ask('Fix a')), session.chat(ask('Fix b'))]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason.message).toMatch(/this task has used 1,0\d\d tokens of its 1,500 tokens cap/);
    // Once the first has landed (20 tokens used), a next request fits again.
    expect((await session.chat(ask('Fix c'))).text).toBe('ok');
  });

  it('per-task dollars: the worst case at the model\'s prices counts; after spending, the next request is refused', async () => {
    const a = new FakeProvider('anthropic', [{ usage: { inputTokens: 1000, outputTokens: 1000 } }, { text: ['never'] }]);
    // Worst case of one request ≈ 10 in × $3/M + 1000 out × $15/M ≈ $0.015; the first answer costs $0.018.
    const { session } = open(aiDir(), { perTaskUsd: 0.03 }, [a]);
    await session.chat(ask('Fix it'));
    expect(session.spent.usd).toBeCloseTo(0.018, 10);
    const err = await refusal(session.chat(ask('Fix it again')));
    expect(err.message).toMatch(/^Not sent: anthropic\/claude-a may cost up to \$0\.015, and this task has used \$0\.018 of its \$0\.03 cap \(rusty\.ai\.budget\.perTaskUsd\)\.$/);
    expect(a.sent).toHaveLength(1);
  });

  it('per day: spend from an earlier session and from before a restart counts; the next day starts at zero', async () => {
    const dir = aiDir();
    const caps = { perDayTokens: 2000 };
    const first = open(dir, caps, [new FakeProvider('anthropic', [{ usage: { inputTokens: 700, outputTokens: 300 } }])]);
    await first.session.chat(ask('one'));
    expect(first.ledger.day()).toMatchObject({ tokens: 1000, requests: 1 });

    // A second session (a second task) in the same process: 1000 + ~1010 > 2000.
    const a2 = new FakeProvider('anthropic', [{ text: ['x'] }]);
    const second = open(dir, caps, [a2]);
    const err = await refusal(second.session.chat(ask('two')));
    expect(err.message).toMatch(/today has used 1,000 tokens of its 2,000 tokens cap \(rusty\.ai\.budget\.perDayTokens\)/);
    expect(a2.sent).toHaveLength(0);

    // "After a restart": nothing in memory, everything re-read from the state folder.
    const reloaded = new SpendLedger(dir);
    expect(reloaded.day()).toMatchObject({ tokens: 1000, requests: 1 });
    const a3 = new FakeProvider('anthropic', [{ text: ['x'] }]);
    expect((await refusal(open(dir, caps, [a3]).session.chat(ask('three')))).kind).toBe('budget');
    expect(a3.sent).toHaveLength(0);

    const tomorrow = new Date(Date.now() + 86_400_000);
    const a4 = new FakeProvider('anthropic', [{ text: ['ok'] }]);
    const next = open(dir, caps, [a4], {}, () => tomorrow);
    expect((await next.session.chat(ask('four'))).text).toBe('ok');
    const days = JSON.parse(fs.readFileSync(path.join(dir, 'spend.json'), 'utf8')).days as Record<string, { tokens: number }>;
    expect(Object.values(days).map((d) => d.tokens)).toEqual([1000, 150]);
  });
});

describe('the daily cap across processes', () => {
  it('two processes sending at once never overshoot it together: the check and the reservation are one step', async () => {
    const root = path.dirname(aiDir());
    const dir = path.join(root, 'ai');
    const worker = path.join(root, 'worker.mjs');
    const here = path.dirname(new URL(import.meta.url).pathname);
    // Each request reserves 10 in + 90 max out = 100 tokens and uses exactly that; the cap admits 7.
    await build({
      stdin: {
        contents: `import { createModelSession } from ${JSON.stringify(path.join(here, 'session.ts'))};
import { SpendLedger } from ${JSON.stringify(path.join(here, '..', 'budget', 'ledger.ts'))};
import { MetricsStore } from ${JSON.stringify(path.join(here, '..', 'metrics', 'store.ts'))};
import { countRequestTokens } from ${JSON.stringify(path.join(here, 'tokens.ts'))};
const dir = process.argv[2];
const provider = { id: 'anthropic', label: 'slow', listModels: async () => [], chat: async (req) => {
  await new Promise((r) => setTimeout(r, 30));
  const inputTokens = await countRequestTokens(req, 'anthropic', 'm');
  return { provider: 'anthropic', model: req.model, text: 'ok', toolCalls: [], usage: { inputTokens, outputTokens: 100 - inputTokens }, stopReason: 'end', latencyMs: 30 };
} };
const caps = [{ provider: 'anthropic', model: 'm', supportsTools: true, maxOutputTokens: 100 }];
let sent = 0, refused = 0;
await Promise.all(Array.from({ length: 6 }, async () => {
  const session = createModelSession({ provider: 'anthropic', model: 'm', rationale: '' }, [provider], { caps: { perDayTokens: 700 }, ledger: new SpendLedger(dir) }, new MetricsStore(dir), { models: caps });
  try { await session.chat({ messages: [{ role: 'user', content: 'x' }], maxTokens: 100 - await countRequestTokens({ messages: [{ role: 'user', content: 'x' }] }, 'anthropic', 'm') }); sent++; }
  catch (e) { if (e.kind === 'budget') refused++; else throw e; }
}));
process.stdout.write(JSON.stringify({ sent, refused }));`,
        resolveDir: here, loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', outfile: worker, logLevel: 'error',
    });
    const run = () => new Promise<{ sent: number; refused: number }>((resolve, reject) => {
      let out = '';
      const child = spawn(process.execPath, [worker, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { sent: number; refused: number }) : reject(new Error(`worker exited ${code}`))));
    });
    const results = await Promise.all([run(), run()]);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    expect(sent).toBe(7);
    expect(results.reduce((n, r) => n + r.refused, 0)).toBe(5);
    const day = new SpendLedger(dir).day();
    expect(day).toMatchObject({ tokens: 700, requests: 7 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'spend.json'), 'utf8')).reservations).toEqual([]);
  });

  it('a reservation left by a process that died does not hold the budget', async () => {
    const dir = aiDir();
    const ledger = new SpendLedger(dir);
    await ledger.add(0, 0);
    const file = path.join(dir, 'spend.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('exit', r));
    json.reservations = [{ id: 'x', day: Object.keys(json.days)[0], tokens: 5000, usd: 0, pid: dead.pid, host: os.hostname(), expiresAt: Date.now() + 60_000 }];
    fs.writeFileSync(file, JSON.stringify(json));
    const a = new FakeProvider('anthropic', [{ text: ['ok'] }]);
    expect((await open(dir, { perDayTokens: 2000 }, [a]).session.chat(ask('Fix'))).text).toBe('ok');
  });
});

describe('metrics after each request', () => {
  it('success and failure are recorded per model, with tokens and cost', async () => {
    const dir = aiDir();
    const a = new FakeProvider('anthropic', [{ error: 'overloaded' }, { text: ['done'], usage: { inputTokens: 2000, outputTokens: 500 } }]);
    const { session, events } = open(dir, {}, [a]);
    await session.chat(ask('Fix'));
    expect(events.map((e) => e.type)).toEqual(['retry']);
    const [m] = new MetricsStore(dir).stats();
    expect(m).toMatchObject({ provider: 'anthropic', model: 'claude-a', requests: 2, successes: 1, failures: { overloaded: 1 }, tokensIn: 2000, tokensOut: 500, p50Ms: 7, latencySamples: 1 });
    expect(m!.costUsd).toBeCloseTo((2000 * 3 + 500 * 15) / 1e6, 12);
    expect(m!.recent).toEqual([{ task: 'fix', ok: false }, { task: 'fix', ok: true }]);
  });
});

describe('what reaches the state folder', () => {
  it('only provider, model, counts, tokens, cost and latency: no prompt, no answer, no error text', async () => {
    const dir = aiDir();
    const secret = 'sk-proj-SECRETSECRETSECRET0123456789';
    const a = new FakeProvider('anthropic', [{ error: 'unavailable' }]);
    const b = new FakeProvider('openai', [{ text: [`echo ${secret}`] }]);
    await open(dir, { perDayTokens: 1_000_000 }, [a, b]).session.chat(ask(`my key is ${secret}`, { system: secret }));
    expect(fs.readdirSync(dir).sort()).toEqual(['metrics.json', 'spend.json']);
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(text).not.toContain('SECRET');
      expect(text).not.toContain('fake unavailable');
    }
  });
});

describe('retry and fallback', () => {
  it('retries a rate limit after the server\'s retry-after, only while nothing streamed', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'rate-limit', retryAfterMs: 30 }, { text: ['ok'] }]);
    const { session, events } = open(aiDir(), {}, [a]);
    const t0 = Date.now();
    expect((await session.chat(ask('Fix'))).text).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(events).toMatchObject([{ type: 'retry', attempt: 1, delayMs: 30 }]);
    expect(a.sent).toHaveLength(2);
  });

  it('retries are bounded, and a retry-after longer than the maximum is not waited for', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'server' }, { error: 'server' }, { error: 'server' }, { text: ['never'] }]);
    const { session } = open(aiDir(), {}, [a]);
    expect((await refusal(session.chat(ask('Fix')))).kind).toBe('server');
    expect(a.sent).toHaveLength(3);
    const slow = new FakeProvider('anthropic', [{ error: 'rate-limit', retryAfterMs: 120_000 }, { text: ['never'] }]);
    expect((await refusal(open(aiDir(), {}, [slow]).session.chat(ask('Fix')))).kind).toBe('rate-limit');
    expect(slow.sent).toHaveLength(1);
  });

  it('no retry once text has streamed: the caller has already seen it', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'network', textBefore: 'Here is' }, { text: ['never'] }]);
    const seen: string[] = [];
    const err = await refusal(open(aiDir(), {}, [a]).session.chat(ask('Fix'), (e) => { if (e.type === 'text') seen.push(e.text); }));
    expect(err.kind).toBe('network');
    expect(seen).toEqual(['Here is']);
    expect(a.sent).toHaveLength(1);
  });

  it('an overloaded provider is retried, then the next configured choice takes the request', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'overloaded', retryAfterMs: 1 }, { error: 'overloaded', retryAfterMs: 1 }, { error: 'overloaded', retryAfterMs: 1 }]);
    const b = new FakeProvider('openai', [{ text: ['from b'] }]);
    const { session, events } = open(aiDir(), {}, [a, b]);
    expect(await session.chat(ask('Fix'))).toMatchObject({ provider: 'openai', text: 'from b' });
    expect(a.sent).toHaveLength(3);
    expect(events.map((e) => e.type)).toEqual(['retry', 'retry', 'fallback']);
    expect(session.choice.provider).toBe('openai');
  });

  it('falls back to the next choice on unavailable before streaming, and says so', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'unavailable' }]);
    const b = new FakeProvider('openai', [{ text: ['from b'] }]);
    const { session, events } = open(aiDir(), {}, [a, b]);
    const r = await session.chat(ask('Fix'));
    expect(r).toMatchObject({ provider: 'openai', model: 'gpt-b', text: 'from b' });
    expect(session.choice.model).toBe('gpt-b');
    expect(events).toMatchObject([{ type: 'fallback', from: { model: 'claude-a' }, to: { model: 'gpt-b' } }]);
    expect((events[0] as { message: string }).message).toBe('anthropic/claude-a failed before answering (unavailable: fake unavailable); falling back to openai/gpt-b.');
    expect(b.sent[0]!.model).toBe('gpt-b');
  });

  it('context too long: falls back past models whose window is not larger', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'context-too-long' }]);
    const b = new FakeProvider('openai', [{ text: ['never'] }]);
    const c = new FakeProvider('gemini', [{ text: ['from c'] }]);
    const { session, events } = open(aiDir(), {}, [a, b, c]);
    expect((await session.chat(ask('Fix'))).provider).toBe('gemini');
    expect(b.sent).toHaveLength(0);
    expect(events).toMatchObject([{ type: 'fallback', from: { model: 'claude-a' }, to: { model: 'gemini-c' } }]);
  });

  it('no fallback after text streamed', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'unavailable', textBefore: 'partial' }]);
    const b = new FakeProvider('openai', [{ text: ['never'] }]);
    const { session, events } = open(aiDir(), {}, [a, b]);
    expect((await refusal(session.chat(ask('Fix')))).kind).toBe('unavailable');
    expect(b.sent).toHaveLength(0);
    expect(events).toEqual([]);
  });

  it('a user-class error (auth) neither retries nor falls back', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'auth' }]);
    const b = new FakeProvider('openai', [{ text: ['never'] }]);
    expect((await refusal(open(aiDir(), {}, [a, b]).session.chat(ask('Fix')))).kind).toBe('auth');
    expect(a.sent).toHaveLength(1);
    expect(b.sent).toHaveLength(0);
  });

  it('the fallback is checked against the budget too (at its own prices)', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'unavailable' }]);
    const b = new FakeProvider('openai', [{ text: ['never'] }]);
    // A's worst case ≈ $0.015 passes; B's ≈ $0.020 does not.
    const { session, events } = open(aiDir(), { perTaskUsd: 0.018 }, [a, b]);
    const err = await refusal(session.chat(ask('Fix')));
    expect(err.kind).toBe('budget');
    expect(err.message).toContain('openai/gpt-b may cost up to');
    expect(b.sent).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['fallback', 'refused']);
  });

  it('cancelling during a backoff stops at once', async () => {
    const a = new FakeProvider('anthropic', [{ error: 'rate-limit', retryAfterMs: 10_000 }]);
    const ac = new AbortController();
    const { session } = open(aiDir(), {}, [a]);
    setTimeout(() => ac.abort(), 20);
    const t0 = Date.now();
    expect((await refusal(session.chat(ask('Fix', { signal: ac.signal })))).kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
