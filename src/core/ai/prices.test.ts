import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, costOf, parsePriceOverrides, priceOf } from './prices';

describe('price table', () => {
  it('matches a family exactly or with a version tag, never a sibling family', () => {
    expect(priceOf('anthropic', 'claude-sonnet-4-5-20250929')).toEqual(DEFAULT_PRICES.anthropic!['claude-sonnet-4-5']);
    expect(priceOf('openai', 'gpt-4o-2024-08-06')).toEqual(DEFAULT_PRICES.openai!['gpt-4o']);
    expect(priceOf('openai', 'gpt-4o-mini')).toEqual(DEFAULT_PRICES.openai!['gpt-4o-mini']);
    expect(priceOf('gemini', 'models/gemini-2.5-flash-lite')).toEqual(DEFAULT_PRICES.gemini!['gemini-2.5-flash-lite']);
    expect(priceOf('gemini', 'gemini-2.0-flash-001')).toEqual(DEFAULT_PRICES.gemini!['gemini-2.0-flash']);
    expect(priceOf('openai', 'gpt-4o-audio-preview')).toBeUndefined();
    expect(priceOf('openai', 'llama3.1:8b')).toBeUndefined();
    expect(priceOf('anthropic', 'gpt-5')).toBeUndefined();
  });

  it('computes USD from usage, charging cached input at the cache price', () => {
    // claude-sonnet-4-5: 3 in / 15 out / 0.3 cached per million.
    expect(costOf('anthropic', 'claude-sonnet-4-5', { inputTokens: 1_000_000, outputTokens: 100_000 })).toBeCloseTo(4.5, 8);
    expect(costOf('anthropic', 'claude-sonnet-4-5', { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 800_000 })).toBeCloseTo(0.2 * 3 + 0.8 * 0.3, 8);
    expect(costOf('openai', 'gpt-5-mini', { inputTokens: 2000, outputTokens: 500 })).toBeCloseTo((2000 * 0.25 + 500 * 2) / 1e6, 10);
    expect(costOf('openai', 'unknown-model', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it('Anthropic prompt caching: 5-minute cache writes at 1.25× the input price, cache reads at 0.1×', () => {
    for (const [model, p] of Object.entries(DEFAULT_PRICES.anthropic!)) {
      expect(p.cacheWriteInput, model).toBeCloseTo(p.input * 1.25, 9);
      expect(p.cachedInput, model).toBeCloseTo(p.input * 0.1, 9);
    }
    // claude-haiku-4-5: 1 in, 5 out; 1M input of which 300k written to the cache and 500k read from it.
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheWriteInputTokens: 300_000, cachedInputTokens: 500_000 };
    expect(costOf('anthropic', 'claude-haiku-4-5', usage)).toBeCloseTo(0.2 * 1 + 0.3 * 1.25 + 0.5 * 0.1, 8);
    // Without a cache-write price (an override), writes cost the input price.
    expect(costOf('openai', 'x', usage, { overrides: { x: { input: 1, output: 1 } } })).toBeCloseTo(0.5 + 0.05 * 0 + 0.5 * 1, 8);
    expect(parsePriceOverrides({ y: { input: 1, output: 1, cacheWriteInput: -2 } }).errors[0]).toMatch(/cacheWriteInput/);
  });

  it('local models and VS Code language models cost nothing', () => {
    expect(costOf('openai', 'qwen2.5-coder:7b', { inputTokens: 5e6, outputTokens: 5e6 }, { local: true })).toBe(0);
    expect(costOf('openai', 'gpt-5', { inputTokens: 5e6, outputTokens: 5e6 }, { local: true })).toBe(0);
    expect(costOf('vscode-lm', 'copilot-gpt-4o', { inputTokens: 1000, outputTokens: 1000 })).toBe(0);
  });

  it('settings override the table, per provider or for every provider', () => {
    const { prices, errors } = parsePriceOverrides({
      'openai/gpt-5': { input: 1, output: 2 },
      'my-proxy-model': { input: 0.5, output: 0.5, cachedInput: 0.1 },
    });
    expect(errors).toEqual([]);
    expect(priceOf('openai', 'gpt-5-2025-08-07', { overrides: prices })).toEqual({ input: 1, output: 2 });
    expect(priceOf('anthropic', 'claude-sonnet-4-5', { overrides: prices })).toEqual(DEFAULT_PRICES.anthropic!['claude-sonnet-4-5']);
    expect(costOf('openai', 'my-proxy-model', { inputTokens: 1e6, outputTokens: 0 }, { overrides: prices })).toBe(0.5);
    expect(costOf('gemini', 'my-proxy-model', { inputTokens: 1e6, outputTokens: 0, cachedInputTokens: 1e6 }, { overrides: prices })).toBe(0.1);
  });

  it('drops bad overrides with a one-line reason each', () => {
    const { prices, errors } = parsePriceOverrides({ 'a': { input: -1, output: 2 }, 'b': 'cheap', 'c': { input: 1, output: 1 } });
    expect(Object.keys(prices)).toEqual(['c']);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/rusty\.ai\.prices\["a"\] ignored/);
    expect(parsePriceOverrides([1]).errors[0]).toMatch(/must be an object/);
    expect(parsePriceOverrides(undefined)).toEqual({ prices: {}, errors: [] });
  });
});
