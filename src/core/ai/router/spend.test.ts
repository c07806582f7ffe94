// What a routed request costs, measured end to end: the real vendor SDKs against local servers
// speaking their wire formats, through createModelSession, into the day's spend ledger and the
// metrics. Anthropic cache writes and reads are priced apart; a stream cut mid-way is still counted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpendLedger } from '../budget/ledger';
import { MetricsStore } from '../metrics/store';
import { DEFAULT_PRICES, priceOf } from '../prices';
import { AnthropicProvider } from '../providers/anthropic/anthropicProvider';
import { anthropicEvents, anthropicStream } from '../providers/anthropic/testServer';
import { OpenAiProvider } from '../providers/openai/openaiProvider';
import { openAiChunks } from '../providers/openai/testServer';
import { ProtocolServer, SSE_HEADERS, sseFrame } from '../testing/protocolServer';
import { AiError, type ChatRequest, type ModelProvider, type ProviderId } from '../types';
import type { ModelCapabilities } from './catalog';
import { createModelSession } from './session';
import { estimateTokens } from './tokens';

const ANTHROPIC_KEY = 'sk-ant-api03-test0123456789abcdefghijklmnopqrstuvwxyz';
const OPENAI_KEY = 'sk-proj-test0123456789abcdefghijklmnopqrstuvwxyz';
let server: ProtocolServer;
let dir: string;

beforeEach(async () => {
  server = await ProtocolServer.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ai-spend-'));
});
afterEach(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function session(provider: ModelProvider, id: ProviderId, model: string) {
  const price = priceOf(id, model);
  const caps: ModelCapabilities = { provider: id, model, supportsTools: true, maxOutputTokens: 1000, ...(price ? { price } : {}) };
  const aiDir = path.join(dir, 'ai');
  const ledger = new SpendLedger(aiDir);
  const metrics = new MetricsStore(aiDir);
  const s = createModelSession({ provider: id, model, rationale: 'test' }, [provider], { caps: {}, ledger }, metrics, { models: [caps], maxAttempts: 1 });
  return { s, ledger, metrics, price: price! };
}

const req = (content: string): Omit<ChatRequest, 'model'> => ({ messages: [{ role: 'user', content }] });

describe('Anthropic prompt caching is priced as published', () => {
  it('cache writes at 1.25× input, cache reads at 0.1×: the ledger and metrics hold that cost', async () => {
    const p = DEFAULT_PRICES.anthropic!['claude-sonnet-4-5']!;
    expect(p).toEqual({ input: 3, output: 15, cachedInput: 0.3, cacheWriteInput: 3.75 });
    server.enqueue(anthropicStream({ text: ['cached answer'], usage: { input: 200, output: 50, cacheWrite: 4000, cacheRead: 10_000 } }));
    const { s, ledger, metrics } = session(new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseUrl: server.url, maxRetries: 0 }), 'anthropic', 'claude-sonnet-4-5');
    const result = await s.chat(req('Explain the cache.'));
    expect(result.usage).toEqual({ inputTokens: 14_200, outputTokens: 50, cachedInputTokens: 10_000, cacheWriteInputTokens: 4000 });
    const expected = (200 * 3 + 4000 * 3.75 + 10_000 * 0.3 + 50 * 15) / 1e6;
    // At the input rate it would have been (14_200 × 3 + 50 × 15) / 1e6 − the read discount: visibly different.
    expect(expected).not.toBeCloseTo((200 * 3 + 4000 * 3 + 10_000 * 0.3 + 50 * 15) / 1e6, 6);
    expect(s.spent.usd).toBeCloseTo(expected, 12);
    expect(ledger.day().usd).toBeCloseTo(expected, 12);
    expect(ledger.day().tokens).toBe(14_250);
    const [m] = metrics.stats();
    expect(m!.costUsd).toBeCloseTo(expected, 12);
    expect(m!.tokensEstimated).toBeUndefined();
  });
});

describe('a request that fails mid-stream is still counted', () => {
  it('Anthropic: the input reported at message_start plus the streamed text (counted) go into the ledger and metrics', async () => {
    const frames = anthropicEvents({ text: ['The first part of a long answer ', 'and some more words before the cut'], usage: { input: 1234, output: 400 } })
      .map((e) => sseFrame(e.data, e.event));
    // message_start, ping, content_block_start, two deltas — then the socket is destroyed.
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: frames, cutAfter: 5 });
    const { s, ledger, metrics, price } = session(new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseUrl: server.url, maxRetries: 0 }), 'anthropic', 'claude-sonnet-4-5');
    let text = '';
    const err = await s.chat(req('Write a long answer.'), (e) => { if (e.type === 'text') text += e.text; }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AiError);
    expect((err as AiError).kind).toBe('network');
    expect(text).toBe('The first part of a long answer and some more words before the cut');
    const out = await estimateTokens(text, 'anthropic', 'claude-sonnet-4-5');
    expect(out).toBe(Math.ceil(text.length / 3.5));
    const usd = (1234 * price.input + out * price.output) / 1e6;
    expect(ledger.day()).toMatchObject({ tokens: 1234 + out, requests: 1 });
    expect(ledger.day().usd).toBeCloseTo(usd, 12);
    const [m] = metrics.stats();
    expect(m).toMatchObject({ requests: 1, successes: 0, failures: { network: 1 }, tokensIn: 1234, tokensOut: out, tokensEstimated: 1234 + out });
    expect(m!.costUsd).toBeCloseTo(usd, 12);
    expect(s.spent.tokens).toBe(1234 + out);
  });

  it('OpenAI (usage only in the last chunk): the counted input and the streamed text, with the model\'s encoding', async () => {
    const frames = openAiChunks({ text: ['Partial ', 'answer ', 'that never ends'], usage: { prompt: 999, completion: 999 } }).map((c) => sseFrame(c));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: frames, cutAfter: 3 });
    const { s, ledger, metrics, price } = session(new OpenAiProvider({ apiKey: OPENAI_KEY, baseUrl: `${server.url}/v1`, maxRetries: 0 }), 'openai', 'gpt-4.1');
    const request = req('Explain the loop.');
    const err = await s.chat(request).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AiError);
    // Two text chunks arrived before the cut ("Partial answer "): gpt-4.1 counts with o200k_base.
    const out = await estimateTokens('Partial answer ', 'openai', 'gpt-4.1');
    const { countRequestTokens } = await import('./tokens');
    const input = await countRequestTokens(request, 'openai', 'gpt-4.1');
    expect(ledger.day().tokens).toBe(input + out);
    expect(ledger.day().usd).toBeCloseTo((input * price.input + out * price.output) / 1e6, 12);
    expect(metrics.stats()[0]).toMatchObject({ tokensIn: input, tokensOut: out, tokensEstimated: input + out });
  });

  it('a request refused before any byte (HTTP 529) is not charged', async () => {
    server.enqueue({ status: 529, headers: { 'content-type': 'application/json' }, chunks: [JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })] });
    const { s, ledger, metrics } = session(new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseUrl: server.url, maxRetries: 0 }), 'anthropic', 'claude-sonnet-4-5');
    expect((await s.chat(req('hi')).then(() => undefined, (e: AiError) => e))?.kind).toBe('overloaded');
    expect(ledger.day()).toMatchObject({ tokens: 0, usd: 0 });
    expect(metrics.stats()[0]).toMatchObject({ requests: 1, tokensIn: 0, tokensOut: 0 });
  });
});
