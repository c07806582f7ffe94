// The real @google/genai SDK against a local server speaking the Gemini API streaming format
// (`streamGenerateContent?alt=sse`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest, StreamEvent } from '../../types';
import { aiFailure, cancellationCases, helloRequest } from '../../testing/providerContract';
import { ProtocolServer, SSE_HEADERS } from '../../testing/protocolServer';
import { GeminiProvider, parseErrorBody } from './geminiProvider';
import { geminiChunks, geminiError, geminiFrame, geminiStream } from './testServer';

const KEY = 'AIzaSyTest0123456789abcdefghijklmnopqrs';
let server: ProtocolServer;

beforeEach(async () => { server = await ProtocolServer.start(); });
afterEach(async () => { await server.close(); });

function provider(maxRetries = 0) {
  return new GeminiProvider({ apiKey: KEY, baseUrl: server.url, maxRetries });
}

const ask = (extra: Partial<ChatRequest> = {}) => helloRequest('gemini-2.5-flash', extra);
const failure = aiFailure;

describe('GeminiProvider over the streamGenerateContent SSE protocol', () => {
  it('streams text chunks and reads usageMetadata (thinking counts as output)', async () => {
    server.enqueue(geminiStream({ text: ['Hel', 'lo', '!'], usage: { prompt: 30, candidates: 4, cached: 20, thoughts: 6 } }));
    const events: StreamEvent[] = [];
    const result = await provider().chat(ask(), (e) => events.push(e));
    expect(result.text).toBe('Hello!');
    expect(events.filter((e) => e.type === 'text').map((e) => e.type === 'text' && e.text)).toEqual(['Hel', 'lo', '!']);
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 10, cachedInputTokens: 20 });
    expect(result.stopReason).toBe('end');
    const sent = server.request(0);
    // @google/genai 3.x defaults to the v1 API (earlier versions: v1beta).
    expect(sent.url).toMatch(/^\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
  });

  it('collects function calls arriving in separate chunks and sends the documented request body', async () => {
    server.enqueue(geminiStream({
      text: ['Looking.'],
      toolCalls: [
        { name: 'read_file', args: { path: 'src/a.ts' }, thoughtSignature: 'c2lnLTE=' },
        { name: 'search', args: { query: 'foo', max: 3 } },
      ],
    }));
    const result = await provider().chat(ask({
      system: 'You are Rusty.',
      maxTokens: 800,
      temperature: 0.1,
      tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      messages: [
        { role: 'user', content: 'Fix a.ts' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'gemini-call-0', name: 'read_file', arguments: { path: 'a.ts' }, signature: 'c2lnLTA=' }] },
        { role: 'tool', toolCallId: 'gemini-call-0', name: 'read_file', content: 'export const a = 1;' },
      ],
    }));
    expect(result.stopReason).toBe('tool-use');
    expect(result.text).toBe('Looking.');
    expect(result.toolCalls).toEqual([
      { id: 'gemini-call-0', name: 'read_file', arguments: { path: 'src/a.ts' }, signature: 'c2lnLTE=' },
      { id: 'gemini-call-1', name: 'search', arguments: { query: 'foo', max: 3 } },
    ]);
    expect(server.request(0).body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Fix a.ts' }] },
        { role: 'model', parts: [{ functionCall: { name: 'read_file', args: { path: 'a.ts' } }, thoughtSignature: 'c2lnLTA=' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'read_file', response: { output: 'export const a = 1;' } } }] },
      ],
      systemInstruction: { parts: [{ text: 'You are Rusty.' }], role: 'user' },
      generationConfig: { maxOutputTokens: 800, temperature: 0.1 },
      tools: [{ functionDeclarations: [{ name: 'read_file', description: 'Read a file', parametersJsonSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }] }],
    });
  });

  it('classifies 429 RESOURCE_EXHAUSTED with its RetryInfo delay; with maxRetries 1 the SDK retries once', async () => {
    server.enqueue(geminiError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', '23s'));
    const err = await failure(provider(0).chat(ask()));
    expect(err.kind).toBe('rate-limit');
    expect(err.retryAfterMs).toBe(23_000);
    expect(server.requests).toHaveLength(1);

    server.enqueue(geminiError(429, 'RESOURCE_EXHAUSTED', 'quota', '1s'), geminiStream({ text: ['ok'] }));
    expect((await provider(1).chat(ask())).text).toBe('ok');
    expect(server.requests).toHaveLength(3);
  });

  it('classifies 503 UNAVAILABLE as overloaded and 500 INTERNAL as server', async () => {
    server.enqueue(geminiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'));
    expect((await failure(provider().chat(ask()))).kind).toBe('overloaded');
    server.enqueue(geminiError(500, 'INTERNAL', 'An internal error has occurred.'));
    expect((await failure(provider().chat(ask()))).kind).toBe('server');
  });

  it('an error chunk mid-stream is classified after the text it interrupted', async () => {
    const first = geminiChunks({ text: ['part', 'more'] })[0];
    server.enqueue({
      status: 200, headers: SSE_HEADERS,
      chunks: [geminiFrame(first), geminiFrame({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })],
      chunkDelayMs: 30,
    });
    const seen: string[] = [];
    const err = await failure(provider().chat(ask(), (e) => { if (e.type === 'text') seen.push(e.text); }));
    expect(err.kind).toBe('overloaded');
    expect(seen).toEqual(['part']);
  });

  it('a wrong key (400 API_KEY_INVALID), 401 and 403 are auth errors whose action names GEMINI_API_KEY', async () => {
    server.enqueue(geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', undefined, 'API_KEY_INVALID'));
    const err = await failure(provider().chat(ask()));
    expect(err.kind).toBe('auth');
    expect(err.action).toMatch(/GEMINI_API_KEY/);
    server.enqueue(geminiError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    expect((await failure(provider().chat(ask()))).kind).toBe('auth');
    server.enqueue(geminiError(403, 'PERMISSION_DENIED', 'Permission denied on resource project.'));
    expect((await failure(provider().chat(ask()))).kind).toBe('auth');
  });

  it('a too-long input is context-too-long; another 400 is bad-request', async () => {
    server.enqueue(geminiError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'));
    expect((await failure(provider().chat(ask()))).kind).toBe('context-too-long');
    server.enqueue(geminiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name "foo".'));
    expect((await failure(provider().chat(ask()))).kind).toBe('bad-request');
  });

  it('a malformed chunk is malformed-response', async () => {
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: [geminiFrame(geminiChunks({ text: ['a', 'b'] })[0]), 'data: {"candidates": [\r\n\r\n'] });
    expect((await failure(provider().chat(ask()))).kind).toBe('malformed-response');
  });

  it('a stream cut mid-way (socket destroyed) fails as network, not a hang', async () => {
    server.enqueue(geminiStream({ text: ['one ', 'two ', 'three'] }, { cutAfter: 2 }));
    const seen: string[] = [];
    const err = await failure(provider().chat(ask(), (e) => { if (e.type === 'text') seen.push(e.text); }));
    expect(err.kind).toBe('network');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('a stream that ends cleanly without a finishReason is malformed-response', async () => {
    server.enqueue({ status: 200, headers: SSE_HEADERS, chunks: geminiChunks({ text: ['a', 'b', 'c'] }).slice(0, 2).map(geminiFrame) });
    expect((await failure(provider().chat(ask()))).kind).toBe('malformed-response');
  });

  it('lists the models that generate content, with their limits; falls back to the defaults', async () => {
    server.enqueue({
      status: 200, headers: { 'content-type': 'application/json' },
      chunks: [JSON.stringify({ models: [
        { name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent', 'countTokens'] },
        { name: 'models/text-embedding-004', displayName: 'Embedding', supportedGenerationMethods: ['embedContent'] },
      ] })],
    });
    expect(await provider().listModels()).toEqual([
      { id: 'gemini-2.5-flash', label: 'Gemini 2.5 Flash', contextWindow: 1048576, maxOutputTokens: 65536, supportsTools: true },
    ]);
    expect(server.request(0).url).toMatch(/^\/v1(beta)?\/models\?/);
    server.enqueue(geminiError(500, 'INTERNAL', 'x'));
    expect((await provider().listModels()).map((m) => m.id)).toContain('gemini-2.5-flash');
  });

  it('reads google.rpc.Status bodies out of SDK messages', () => {
    expect(parseErrorBody('got status: UNAVAILABLE. {"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}'))
      .toEqual({ message: 'busy', status: 'UNAVAILABLE' });
    expect(parseErrorBody('{"error":{"code":429,"message":"q","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}}'))
      .toEqual({ message: 'q', status: 'RESOURCE_EXHAUSTED', retryAfterMs: 1500 });
    expect(parseErrorBody('plain text')).toBeUndefined();
  });
});

describe('GeminiProvider: cancellation', () => {
  cancellationCases({ server: () => server, provider: () => provider(), ask, stream: (text, delays) => geminiStream({ text }, delays) });
});
