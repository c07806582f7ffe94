// The real `openai` SDK against a local server speaking the Chat Completions streaming wire format
// (what OpenAI, Ollama, LM Studio, vLLM and OpenRouter serve).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest, StreamEvent } from '../../types';
import { aiFailure, cancellationCases, helloRequest } from '../../testing/providerContract';
import { ProtocolServer, SSE_HEADERS, sseFrame } from '../../testing/protocolServer';
import { OpenAiProvider, isLocalBaseUrl } from './openaiProvider';
import { openAiChunks, openAiError, openAiModels, openAiStream } from './testServer';

const KEY = 'sk-proj-test0123456789abcdefghijklmnopqrstuvwxyz';
let server: ProtocolServer;

beforeEach(async () => { server = await ProtocolServer.start(); });
afterEach(async () => { await server.close(); });

// 127.0.0.1 counts as a local server: a key is optional there, so most tests pass one to check it is sent.
function provider(maxRetries = 0, apiKey: string | undefined = KEY) {
  return new OpenAiProvider({ apiKey, baseUrl: `${server.url}/v1`, maxRetries });
}

const ask = (extra: Partial<ChatRequest> = {}) => helloRequest('gpt-4o-mini', extra);
const failure = aiFailure;

describe('OpenAiProvider over the Chat Completions streaming protocol', () => {
  it('streams text deltas, reads the usage chunk and asks for it', async () => {
    server.enqueue(openAiStream({ text: ['Hel', 'lo', '!'], usage: { prompt: 21, completion: 4, cached: 16 } }));
    const events: StreamEvent[] = [];
    const result = await provider().chat(ask(), (e) => events.push(e));
    expect(result.text).toBe('Hello!');
    expect(events.filter((e) => e.type === 'text').map((e) => e.type === 'text' && e.text)).toEqual(['Hel', 'lo', '!']);
    expect(result.usage).toEqual({ inputTokens: 21, outputTokens: 4, cachedInputTokens: 16 });
    expect(result.stopReason).toBe('end');
    const sent = server.request(0);
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('assembles interleaved tool calls split across chunks by index, and maps the request', async () => {
    server.enqueue(openAiStream({
      interleave: true,
      toolCalls: [
        { id: 'call_A', name: 'read_file', json: ['{"pa', 'th":"src/', 'a.ts"}'] },
        { id: 'call_B', name: 'search', json: ['{"query"', ':"foo","max":', '3}'] },
      ],
    }));
    const result = await provider().chat(ask({
      system: 'You are Rusty.',
      maxTokens: 500,
      temperature: 0,
      tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'Fix a.ts' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'read_file', arguments: { path: 'a.ts' } }] },
        { role: 'tool', toolCallId: 'call_0', name: 'read_file', content: 'no such file', isError: true },
      ],
    }));
    expect(result.stopReason).toBe('tool-use');
    expect(result.toolCalls).toEqual([
      { id: 'call_A', name: 'read_file', arguments: { path: 'src/a.ts' } },
      { id: 'call_B', name: 'search', arguments: { query: 'foo', max: 3 } },
    ]);
    expect(server.request(0).body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      // A server other than api.openai.com gets the widely understood max_tokens.
      max_tokens: 500,
      temperature: 0,
      tools: [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }],
      messages: [
        { role: 'system', content: 'You are Rusty.' },
        { role: 'user', content: 'Fix a.ts' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
        { role: 'tool', tool_call_id: 'call_0', content: 'Error: no such file' },
      ],
    });
  });

  it('classifies 429 with retry-after as rate-limit; with maxRetries 1 the SDK retries once after it', async () => {
    server.enqueue(openAiError(429, { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', code: 'rate_limit_exceeded' }, { 'retry-after': '3' }));
    const err = await failure(provider(0).chat(ask()));
    expect(err.kind).toBe('rate-limit');
    expect(err.retryAfterMs).toBe(3000);
    expect(server.requests).toHaveLength(1);

    server.enqueue(openAiError(429, { message: 'slow down', type: 'requests' }, { 'retry-after': '1' }), openAiStream({ text: ['ok'] }));
    const t0 = Date.now();
    expect((await provider(1).chat(ask())).text).toBe('ok');
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('classifies 500 as server and 503 as overloaded', async () => {
    server.enqueue(openAiError(500, { message: 'The server had an error while processing your request.', type: 'server_error' }));
    expect((await failure(provider().chat(ask()))).kind).toBe('server');
    server.enqueue(openAiError(503, { message: 'The engine is currently overloaded, please try again later.', type: 'server_error' }));
    expect((await failure(provider().chat(ask()))).kind).toBe('overloaded');
  });

  it('an error chunk mid-stream (OpenRouter style) is classified after the text it interrupted', async () => {
    const chunks = openAiChunks({ text: ['part'] }).slice(0, 2).map((c) => sseFrame(c));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: [...chunks, sseFrame({ error: { code: 502, message: 'Provider returned error' } })] });
    const seen: string[] = [];
    const err = await failure(provider().chat(ask(), (e) => { if (e.type === 'text') seen.push(e.text); }));
    expect(err.kind).toBe('server');
    expect(seen).toEqual(['part']);
  });

  it('401 is auth with an action naming OPENAI_API_KEY; a key the server echoes is redacted', async () => {
    server.enqueue(openAiError(401, { message: `Incorrect API key provided: ${KEY}. Find your key at https://platform.openai.com`, type: 'invalid_request_error', code: 'invalid_api_key' }));
    const err = await failure(provider().chat(ask()));
    expect(err.kind).toBe('auth');
    expect(err.action).toMatch(/OPENAI_API_KEY/);
    expect(err.message).toMatch(/Incorrect API key provided: \[REDACTED\]/);
    expect(err.message).not.toContain(KEY);
  });

  it('context_length_exceeded is context-too-long; another 400 is bad-request', async () => {
    server.enqueue(openAiError(400, {
      message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
      type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages',
    }));
    expect((await failure(provider().chat(ask()))).kind).toBe('context-too-long');
    server.enqueue(openAiError(400, { message: "Invalid value for 'temperature'", type: 'invalid_request_error', param: 'temperature' }));
    expect((await failure(provider().chat(ask()))).kind).toBe('bad-request');
  });

  it('a malformed chunk is malformed-response', async () => {
    const [first] = openAiChunks({ text: ['a'] }).map((c) => sseFrame(c));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: [first!, 'data: {"id":"chatcmpl-test","choices":[{\n\n'] });
    expect((await failure(provider().chat(ask()))).kind).toBe('malformed-response');
  });

  it('a stream cut mid-way (socket destroyed) fails as network, not a hang', async () => {
    server.enqueue(openAiStream({ text: ['one ', 'two ', 'three'] }, { cutAfter: 3 }));
    const seen: string[] = [];
    const err = await failure(provider().chat(ask(), (e) => { if (e.type === 'text') seen.push(e.text); }));
    expect(err.kind).toBe('network');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('a stream that ends cleanly before finish_reason is malformed-response', async () => {
    const chunks = openAiChunks({ text: ['one', 'two'] }).slice(0, 3).map((c) => sseFrame(c));
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks });
    expect((await failure(provider().chat(ask()))).kind).toBe('malformed-response');
  });

  it('a server that ignores include_usage (no usage chunk) still answers; usage is 0/0', async () => {
    const chunks = openAiChunks({ text: ['fine'] });
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: [...chunks.slice(0, -1).map((c) => sseFrame(c)), 'data: [DONE]\n\n'] });
    const events: StreamEvent[] = [];
    const result = await provider().chat(ask(), (e) => events.push(e));
    expect(result.text).toBe('fine');
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(events.some((e) => e.type === 'usage')).toBe(false);
  });

  it('a local server needs no key; a remote one refuses before sending without one', async () => {
    server.enqueue(openAiStream({ text: ['hi'] }));
    const local = provider(0, undefined);
    expect(local.local).toBe(true);
    expect((await local.chat(ask())).text).toBe('hi');
    const remote = new OpenAiProvider({ baseUrl: 'https://openrouter.ai/api/v1' });
    expect(remote.label).toBe('OpenRouter');
    expect((await failure(remote.chat(ask()))).kind).toBe('auth');
    expect(server.requests).toHaveLength(1);
  });

  it('lists models from GET /models, falling back to the configured ones', async () => {
    server.enqueue(openAiModels(['qwen2.5-coder:7b', 'llama3.1:8b']));
    expect((await provider().listModels()).map((m) => m.id)).toEqual(['llama3.1:8b', 'qwen2.5-coder:7b']);
    expect(server.request(0)).toMatchObject({ method: 'GET', url: '/v1/models' });
    server.enqueue(openAiError(404, { message: 'not found', type: 'invalid_request_error' }));
    const p = new OpenAiProvider({ baseUrl: `${server.url}/v1`, models: ['my-model'], maxRetries: 0 });
    expect(await p.listModels()).toEqual([{ id: 'my-model', supportsTools: true }]);
  });

  it('knows which base URLs are local', () => {
    expect(isLocalBaseUrl('http://127.0.0.1:11434/v1')).toBe(true);
    expect(isLocalBaseUrl('http://localhost:1234/v1')).toBe(true);
    expect(isLocalBaseUrl('http://[::1]:8000/v1')).toBe(true);
    expect(isLocalBaseUrl('https://api.openai.com/v1')).toBe(false);
    expect(isLocalBaseUrl('not a url')).toBe(false);
  });
});

describe('OpenaiProvider: cancellation', () => {
  cancellationCases({ server: () => server, provider: () => provider(), ask, stream: (text, delays) => openAiStream({ text }, delays) });
});
