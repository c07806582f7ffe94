// The real @anthropic-ai/sdk against a local server speaking the Messages streaming wire format.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest, StreamEvent } from '../../types';
import { aiFailure, cancellationCases, helloRequest } from '../../testing/providerContract';
import { ProtocolServer, SSE_HEADERS, sseFrame } from '../../testing/protocolServer';
import { AnthropicProvider } from './anthropicProvider';
import { anthropicError, anthropicEvents, anthropicStream, anthropicStreamError } from './testServer';

const KEY = 'sk-ant-api03-test0123456789abcdefghijklmnopqrstuvwxyz';
let server: ProtocolServer;

beforeEach(async () => { server = await ProtocolServer.start(); });
afterEach(async () => { await server.close(); });

function provider(maxRetries = 0) {
  return new AnthropicProvider({ apiKey: KEY, baseUrl: server.url, maxRetries });
}

const ask = (extra: Partial<ChatRequest> = {}) => helloRequest('claude-sonnet-4-5', extra);
const failure = aiFailure;

describe('AnthropicProvider over the Messages streaming protocol', () => {
  it('streams text deltas and reports usage including cache reads', async () => {
    server.enqueue(anthropicStream({ text: ['Hel', 'lo', ' world'], usage: { input: 12, output: 7, cacheRead: 100 } }));
    const events: StreamEvent[] = [];
    const result = await provider().chat(ask(), (e) => events.push(e));
    expect(result.text).toBe('Hello world');
    expect(events.filter((e) => e.type === 'text').map((e) => e.type === 'text' && e.text)).toEqual(['Hel', 'lo', ' world']);
    expect(result.usage).toEqual({ inputTokens: 112, outputTokens: 7, cachedInputTokens: 100 });
    expect(events.at(-1)).toEqual({ type: 'usage', usage: result.usage });
    expect(result.stopReason).toBe('end');
    expect(result.provider).toBe('anthropic');
    expect(result.firstTokenMs).toBeGreaterThanOrEqual(0);
    const sent = server.request(0);
    expect(sent.url).toBe('/v1/messages');
    // SDK 1.x sends the key as a bearer token (older ones used x-api-key).
    expect(String(sent.headers.authorization ?? sent.headers['x-api-key'])).toContain(KEY);
    expect(sent.headers['anthropic-version']).toBeTruthy();
  });

  it('assembles tool calls from input_json_delta pieces and sends the documented request body', async () => {
    server.enqueue(anthropicStream({
      text: ['Let me look.'],
      toolCalls: [
        { id: 'toolu_01A', name: 'read_file', json: ['{"pa', 'th": "src/a', '.ts", "max', 'Bytes": 4096}'] },
        { id: 'toolu_01B', name: 'search', json: ['', '{"query":"fo', 'o"}'] },
      ],
    }));
    const events: StreamEvent[] = [];
    const result = await provider().chat(ask({
      system: 'You are Rusty.',
      maxTokens: 1000,
      temperature: 0.2,
      tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      messages: [
        { role: 'user', content: 'Fix a.ts' },
        { role: 'assistant', content: 'Reading.', toolCalls: [{ id: 'toolu_00', name: 'read_file', arguments: { path: 'a.ts' } }] },
        { role: 'tool', toolCallId: 'toolu_00', name: 'read_file', content: 'export const a = 1;' },
        { role: 'user', content: 'Go on' },
      ],
    }), (e) => events.push(e));
    expect(result.stopReason).toBe('tool-use');
    expect(result.toolCalls).toEqual([
      { id: 'toolu_01A', name: 'read_file', arguments: { path: 'src/a.ts', maxBytes: 4096 } },
      { id: 'toolu_01B', name: 'search', arguments: { query: 'foo' } },
    ]);
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(2);
    expect(server.request(0).body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1000,
      stream: true,
      system: 'You are Rusty.',
      temperature: 0.2,
      tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      messages: [
        { role: 'user', content: 'Fix a.ts' },
        { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_00', name: 'read_file', input: { path: 'a.ts' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_00', content: 'export const a = 1;' }, { type: 'text', text: 'Go on' }] },
      ],
    });
  });

  it('classifies 429 with retry-after as rate-limit (no retry with maxRetries 0)', async () => {
    server.enqueue(anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '17' }));
    const err = await failure(provider(0).chat(ask()));
    expect(err.kind).toBe('rate-limit');
    expect(err.retryAfterMs).toBe(17_000);
    expect(err.resolution).toBe('retry');
    expect(server.requests).toHaveLength(1);
  });

  it('lets the SDK retry a 429 once, after the retry-after it was given, when maxRetries is 1', async () => {
    server.enqueue(anthropicError(429, 'rate_limit_error', 'slow down', { 'retry-after': '1' }), anthropicStream({ text: ['ok'] }));
    const t0 = Date.now();
    const result = await provider(1).chat(ask());
    expect(result.text).toBe('ok');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('classifies 529 overloaded_error, 500 and overloaded_error sent mid-stream', async () => {
    server.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
    expect((await failure(provider().chat(ask()))).kind).toBe('overloaded');
    server.enqueue(anthropicError(500, 'api_error', 'Internal server error'));
    const err500 = await failure(provider().chat(ask()));
    expect(err500.kind).toBe('server');
    expect(err500.opts.status).toBe(500);
    const events = anthropicEvents({ text: ['partial'] }).slice(0, 4).map((e) => sseFrame(e.data, e.event));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: [...events, anthropicStreamError('overloaded_error', 'Overloaded')] });
    const seen: StreamEvent[] = [];
    const mid = await failure(provider().chat(ask(), (e) => seen.push(e)));
    expect(mid.kind).toBe('overloaded');
    // The input is reported at message_start (a failure later was still charged for it).
    expect(seen).toEqual([{ type: 'usage', usage: { inputTokens: 10, outputTokens: 1 } }, { type: 'text', text: 'partial' }]);
  });

  it('401 is an auth error whose action names the key to set', async () => {
    server.enqueue(anthropicError(401, 'authentication_error', 'invalid x-api-key'));
    const err = await failure(provider().chat(ask()));
    expect(err.kind).toBe('auth');
    expect(err.resolution).toBe('user');
    expect(err.action).toMatch(/ANTHROPIC_API_KEY/);
    expect(err.action).toMatch(/Rusty: Set API Key/);
    expect(`${err.message} ${err.action}`).not.toContain(KEY);
  });

  it('400 "prompt is too long" is context-too-long; another 400 is bad-request', async () => {
    server.enqueue(anthropicError(400, 'invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum'));
    const long = await failure(provider().chat(ask()));
    expect(long.kind).toBe('context-too-long');
    expect(long.resolution).toBe('fallback');
    server.enqueue(anthropicError(400, 'invalid_request_error', 'messages: roles must alternate'));
    expect((await failure(provider().chat(ask()))).kind).toBe('bad-request');
  });

  it('a malformed event is malformed-response', async () => {
    const [start] = anthropicEvents({ text: ['a'] }).map((e) => sseFrame(e.data, e.event));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: [start!, 'event: content_block_delta\ndata: {"type":"content_block_delta",\n\n'] });
    const err = await failure(provider().chat(ask()));
    expect(err.kind).toBe('malformed-response');
  });

  it('tool arguments that do not form a JSON object are malformed-response', async () => {
    server.enqueue(anthropicStream({ toolCalls: [{ id: 't1', name: 'x', json: ['{"a":', '1'] }] }));
    const err = await failure(provider().chat(ask()));
    expect(err.kind).toBe('malformed-response');
    expect(err.message).toMatch(/tool call "x"/);
  });

  it('a stream cut mid-way (socket destroyed) fails as network, not a hang', async () => {
    const frames = anthropicEvents({ text: ['one ', 'two ', 'three'] }).map((e) => sseFrame(e.data, e.event));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: frames, cutAfter: 5 });
    const seen: string[] = [];
    const err = await failure(provider().chat(ask(), (e) => { if (e.type === 'text') seen.push(e.text); }));
    expect(err.kind).toBe('network');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('a stream that ends cleanly without message_stop is malformed-response', async () => {
    const frames = anthropicEvents({ text: ['one'] }).map((e) => sseFrame(e.data, e.event));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: frames.slice(0, -2) });
    expect((await failure(provider().chat(ask()))).kind).toBe('malformed-response');
  });

  it('cancels promptly while waiting for the response headers', async () => {
    server.enqueue(anthropicStream({ text: ['late'] }, { headersDelayMs: 5000 }));
    const ac = new AbortController();
    const pending = provider(2).chat(ask({ signal: ac.signal }));
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(250);
    await server.waitForClientAbort();
    expect(server.requests).toHaveLength(1);
  });

  it('a server that does not answer within timeoutMs is a network error saying so', async () => {
    server.enqueue(anthropicStream({ text: ['late'] }, { headersDelayMs: 3000 }));
    const err = await failure(new AnthropicProvider({ apiKey: KEY, baseUrl: server.url, maxRetries: 0, timeoutMs: 200 }).chat(ask()));
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/timed out/);
  });

  it('an already aborted signal sends nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await failure(provider().chat(ask({ signal: ac.signal })))).kind).toBe('cancelled');
    expect(server.requests).toHaveLength(0);
  });

  it('without a key it refuses before sending anything', async () => {
    const err = await failure(new AnthropicProvider({ baseUrl: server.url }).chat(ask()));
    expect(err.kind).toBe('auth');
    expect(server.requests).toHaveLength(0);
  });

  it('an unreachable server is a network error', async () => {
    const url = server.url;
    await server.close();
    const err = await failure(new AnthropicProvider({ apiKey: KEY, baseUrl: url, maxRetries: 0 }).chat(ask()));
    expect(err.kind).toBe('network');
    server = await ProtocolServer.start();
  });

  it('lists the server\'s models, and falls back to the defaults when it has none', async () => {
    server.enqueue({
      status: 200, headers: { 'content-type': 'application/json' },
      chunks: [JSON.stringify({
        data: [
          { type: 'model', id: 'claude-x-1', display_name: 'Claude X', created_at: '2026-01-01T00:00:00Z', lifecycle: 'active', max_input_tokens: 200000, max_tokens: 64000 },
          { type: 'model', id: 'claude-old', display_name: 'Old', created_at: '2024-01-01T00:00:00Z', lifecycle: 'retired' },
          { type: 'model', id: 'claude-y-2', display_name: 'Claude Y', created_at: '2026-01-01T00:00:00Z' },
        ],
        has_more: false, first_id: 'claude-x-1', last_id: 'claude-y-2',
      })],
    });
    expect(await provider().listModels()).toEqual([
      { id: 'claude-x-1', label: 'Claude X', contextWindow: 200000, maxOutputTokens: 64000, supportsTools: true },
      { id: 'claude-y-2', label: 'Claude Y', supportsTools: true },
    ]);
    expect(server.request(0).url).toMatch(/^\/v1\/models/);
    server.enqueue(anthropicError(404, 'not_found_error', 'no'));
    expect((await provider().listModels()).length).toBeGreaterThan(0);
  });
});

describe('AnthropicProvider: cancellation', () => {
  cancellationCases({ server: () => server, provider: () => provider(), ask, stream: (text, delays) => anthropicStream({ text }, delays) });
});
