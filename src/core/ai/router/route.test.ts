import { describe, expect, it } from 'vitest';
import { isAiError, type TaskProfile } from '../types';
import type { ModelStats } from '../metrics/store';
import type { ModelCapabilities } from './catalog';
import { route } from './route';

const SONNET: ModelCapabilities = { provider: 'anthropic', model: 'claude-sonnet-4-5', contextWindow: 200_000, maxOutputTokens: 8192, supportsTools: true, price: { input: 3, output: 15 } };
// Exactly 1.8× Sonnet's rates, so the rationale's ratio is known.
const GPT: ModelCapabilities = { provider: 'openai', model: 'gpt-4.1', contextWindow: 128_000, maxOutputTokens: 8192, supportsTools: true, price: { input: 5.4, output: 27 } };
const MINI: ModelCapabilities = { provider: 'openai', model: 'gpt-4.1-mini', contextWindow: 128_000, supportsTools: true, price: { input: 0.4, output: 1.6 } };
const LOCAL: ModelCapabilities = { provider: 'openai', model: 'qwen2.5-coder:7b', contextWindow: 32_000, supportsTools: false, price: { input: 0, output: 0 } };

const fix = (contextTokens: number, over: Partial<TaskProfile> = {}): TaskProfile => ({ kind: 'fix', contextTokens, needsTools: true, urgency: 'interactive', ...over });

function stats(m: ModelCapabilities, outcomes: { task: 'fix' | 'explain'; ok: boolean }[], p50Ms: number): ModelStats {
  return {
    provider: m.provider, model: m.model, requests: outcomes.length, successes: outcomes.filter((o) => o.ok).length, failures: {},
    p50Ms, p95Ms: p50Ms * 2, latencySamples: outcomes.length, tokensIn: 0, tokensOut: 0, costUsd: 0, recent: outcomes, updatedAt: '',
  };
}
const runs = (task: 'fix' | 'explain', ok: number, failed: number) => [...Array(ok).fill({ task, ok: true }), ...Array(failed).fill({ task, ok: false })];

describe('route', () => {
  it('with measurements: the measured success rate, latency and cost decide, in one sentence', () => {
    const plan = route({
      profile: fix(42_000), models: [GPT, SONNET, LOCAL],
      stats: [stats(SONNET, runs('fix', 19, 1), 3100), stats(GPT, runs('fix', 14, 6), 2000)],
    });
    expect(plan.choice).toEqual({
      provider: 'anthropic', model: 'claude-sonnet-4-5',
      rationale: 'Chose anthropic/claude-sonnet-4-5: it supports tools, fits 42k tokens of context, and succeeded in 19 of 20 recent fix tasks at p50 3.1 s; openai/gpt-4.1 would cost 1.8× more.',
    });
    expect(plan.fallbacks.map((f) => f.model)).toEqual(['gpt-4.1']);
    expect(plan.excluded).toEqual([{ provider: 'openai', model: 'qwen2.5-coder:7b', reason: 'the task needs tools and this model has no tool support' }]);
    // The formula, recomputed: success − 0.3·p50/maxP50 − 0.2·cost/maxCost.
    const [a, b] = plan.ranked;
    expect(a!.score).toBeCloseTo(0.95 - 0.3 * 1 - 0.2 / 1.8, 10);
    expect(b!.score).toBeCloseTo(0.7 - 0.3 * (2000 / 3100) - 0.2 * 1, 10);
  });

  it('without measurements: says so and prefers capability, then cost', () => {
    const plan = route({ profile: fix(42_000), models: [SONNET, GPT, MINI, LOCAL] });
    expect(plan.choice.model).toBe('gpt-4.1-mini');
    expect(plan.choice.rationale).toMatch(/^Chose openai\/gpt-4\.1-mini: it supports tools, fits 42k tokens of context, and no measurements yet, so it is ranked by capability then cost; anthropic\/claude-sonnet-4-5 would cost \d+\.\d× more\.$/);
    expect(plan.fallbacks.map((f) => f.model)).toEqual(['claude-sonnet-4-5', 'gpt-4.1']);
    expect(plan.ranked.every((r) => r.tier === 'B')).toBe(true);
  });

  it('uses outcomes of other task kinds when this kind has too few, and says so', () => {
    const plan = route({ profile: fix(1000), models: [SONNET], stats: [stats(SONNET, [...runs('explain', 4, 1), ...runs('fix', 1, 0)], 1500)] });
    expect(plan.choice.rationale).toContain('succeeded in 5 of 6 recent requests at p50 1.5 s');
  });

  it('a context too big for a model excludes it with the reason', () => {
    const plan = route({ profile: fix(150_000), models: [GPT, SONNET] });
    expect(plan.choice.model).toBe('claude-sonnet-4-5');
    expect(plan.excluded).toEqual([{ provider: 'openai', model: 'gpt-4.1', reason: '150k tokens of context plus 8.2k of output exceed its 128k window' }]);
    expect(plan.fallbacks).toEqual([]);
  });

  it('a task without tools keeps tool-less models; unmeasured, tool support ranks before cost', () => {
    const plan = route({ profile: fix(2000, { needsTools: false }), models: [SONNET, LOCAL] });
    expect(plan.excluded).toEqual([]);
    // Capability first: the tool-capable model ranks above the tool-less one even though it costs more.
    expect(plan.choice.model).toBe('claude-sonnet-4-5');
    expect(plan.fallbacks.map((f) => f.model)).toEqual(['qwen2.5-coder:7b']);
  });

  it('nothing fits: an AiError naming every model and its reason', () => {
    try {
      route({ profile: fix(500_000), models: [GPT, LOCAL] });
      expect.unreachable();
    } catch (err) {
      expect(isAiError(err) && err.kind).toBe('unavailable');
      expect((err as Error).message).toContain('openai/gpt-4.1 (500k tokens of context plus 8.2k of output exceed its 128k window)');
      expect((err as Error).message).toContain('openai/qwen2.5-coder:7b (the task needs tools and this model has no tool support)');
    }
    expect(() => route({ profile: fix(1), models: [] })).toThrow(/No model provider is configured/);
  });

  it('override: a provider keeps its models (fallbacks within it); a model pins the choice (no fallbacks)', () => {
    const stats_ = [stats(SONNET, runs('fix', 20, 0), 1000)];
    const byProvider = route({ profile: fix(1000), models: [SONNET, GPT, MINI], stats: stats_, override: { provider: 'openai' } });
    expect(byProvider.choice.model).toBe('gpt-4.1-mini');
    expect(byProvider.choice.rationale).toMatch(/^Chose openai\/gpt-4\.1-mini: you asked for openai, it supports tools/);
    expect(byProvider.fallbacks.map((f) => f.model)).toEqual(['gpt-4.1']);
    const pinned = route({ profile: fix(1000), models: [SONNET, GPT, MINI], stats: stats_, override: { provider: 'openai', model: 'gpt-4.1' } });
    expect(pinned.choice.model).toBe('gpt-4.1');
    expect(pinned.fallbacks).toEqual([]);
    // A model the list does not know yet is honoured when its provider is configured.
    const unlisted = route({ profile: fix(1000), models: [SONNET], override: { provider: 'anthropic', model: 'claude-opus-9' } });
    expect(unlisted.choice.rationale).toBe('Chose anthropic/claude-opus-9: you asked for anthropic/claude-opus-9, its limits are unknown (not in the model list), and no measurements yet, so it is ranked by capability then cost.');
  });

  it('override of something not configured, or excluded, is an error that says why', () => {
    expect(() => route({ profile: fix(1000), models: [SONNET], override: { provider: 'gemini' } })).toThrow(/No configured model matches gemini; configured: anthropic\/claude-sonnet-4-5/);
    expect(() => route({ profile: fix(1000), models: [LOCAL, SONNET], override: { model: 'qwen2.5-coder:7b' } })).toThrow(/openai\/qwen2\.5-coder:7b \(the task needs tools/);
  });

  it('the default provider from the settings ranks first when eligible, and is named', () => {
    const plan = route({ profile: fix(1000), models: [SONNET, MINI], preferred: { provider: 'anthropic' } });
    expect(plan.choice.model).toBe('claude-sonnet-4-5');
    expect(plan.choice.rationale).toMatch(/it is your default \(rusty\.ai\.provider\)/);
    expect(route({ profile: fix(150_000), models: [GPT, SONNET], preferred: { provider: 'openai' } }).choice.model).toBe('claude-sonnet-4-5');
  });

  it('a model that mostly fails ranks below one not measured yet', () => {
    const plan = route({ profile: fix(1000), models: [MINI, SONNET], stats: [stats(MINI, runs('fix', 1, 4), 500)] });
    expect(plan.choice.model).toBe('claude-sonnet-4-5');
    expect(plan.ranked.map((r) => r.tier)).toEqual(['B', 'C']);
    expect(plan.fallbacks[0]!.rationale).toContain('only succeeded in 1 of 5 recent fix tasks');
  });

  it('urgency changes the weights: interactive takes the faster model, background the cheaper', () => {
    const models = [SONNET, MINI];
    const s = [stats(SONNET, runs('fix', 10, 0), 1000), stats(MINI, runs('fix', 10, 0), 3000)];
    expect(route({ profile: fix(1000), models, stats: s }).choice.model).toBe('claude-sonnet-4-5');
    expect(route({ profile: fix(20_000, { urgency: 'background' }), models, stats: s }).choice.model).toBe('gpt-4.1-mini');
  });
});
