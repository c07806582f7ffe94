import { describe, expect, it } from 'vitest';
import { AiError, type ModelInfo, type ModelProvider, type ProviderId } from '../types';
import { catalogFromProviders, costUsd, maxOutputFor, providerResolver } from './catalog';

function lister(id: ProviderId, label: string, models: ModelInfo[] | Error): ModelProvider {
  return {
    id, label,
    async listModels() {
      if (models instanceof Error) throw models;
      return models;
    },
    async chat() { throw new AiError('bad-request', 'not in this test', id); },
  };
}

describe('catalogFromProviders', () => {
  it('lists each configured provider\'s models with capabilities and prices; local ones are free; a failed list is reported', async () => {
    const openai = lister('openai', 'OpenAI', [{ id: 'gpt-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768, supportsTools: true }]);
    const ollama = lister('openai', 'Ollama', [{ id: 'qwen2.5-coder:7b', supportsTools: false }]);
    const gemini = lister('gemini', 'Gemini', new AiError('auth', 'API key not valid', 'gemini'));
    const catalog = catalogFromProviders(async () => [
      { id: 'openai', name: 'openai', provider: openai }, { id: 'openai', name: 'ollama', provider: ollama, local: true }, { id: 'gemini', provider: gemini },
    ], (p, m) => (p === 'openai' && m === 'gpt-4.1' ? { input: 2, output: 8, cachedInput: 0.5 } : undefined));
    const entries = await catalog.entries();
    expect(entries.map((e) => [e.name ?? e.id, e.configured, e.detail])).toEqual([
      ['openai', true, '1 model'], ['ollama', true, '1 model (local)'], ['gemini', false, 'its model list failed: API key not valid'],
    ]);
    expect(entries[0]!.models).toEqual([{ provider: 'openai', model: 'gpt-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768, supportsTools: true, price: { input: 2, output: 8, cachedInput: 0.5 } }]);
    expect(entries[1]!.models[0]).toEqual({ provider: 'openai', model: 'qwen2.5-coder:7b', supportsTools: false, price: { input: 0, output: 0 } });

    // Two servers of one protocol: the instance is found by the model it serves.
    const resolve = providerResolver(entries);
    expect(resolve({ provider: 'openai', model: 'qwen2.5-coder:7b' })).toBe(ollama);
    expect(resolve({ provider: 'openai', model: 'gpt-4.1' })).toBe(openai);
    expect(resolve({ provider: 'gemini', model: 'gemini-2.5-pro' })).toBeUndefined();
  });
});

describe('costs', () => {
  it('prices per million tokens, cached input at its own rate, unknown price undefined', () => {
    expect(costUsd({ input: 3, output: 15 }, 1_000_000, 100_000)).toBeCloseTo(4.5, 12);
    expect(costUsd({ input: 2, output: 8, cachedInput: 0.5 }, 1000, 0, 400)).toBeCloseTo((600 * 2 + 400 * 0.5) / 1e6, 15);
    expect(costUsd(undefined, 1000, 1000)).toBeUndefined();
  });

  it('max output: what the request asks, else the model\'s cap up to 8192', () => {
    expect(maxOutputFor({ maxOutputTokens: 64_000 })).toBe(8192);
    expect(maxOutputFor({ maxOutputTokens: 1000 })).toBe(1000);
    expect(maxOutputFor(undefined, 20_000)).toBe(20_000);
  });
});
