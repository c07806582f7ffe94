import { describe, expect, it } from 'vitest';
import { AiError } from '../../types';
import { parseScript, ScriptedProvider, scriptedSession } from './scripted';

describe('ScriptedProvider', () => {
  it('streams text in deltas, then tool calls and usage, and returns the assembled result', async () => {
    const p = new ScriptedProvider([{ text: 'hello world!', chunks: 3, toolCalls: [{ name: 'read_file', arguments: { path: 'a.ts' } }], usage: { inputTokens: 7, outputTokens: 3 } }]);
    const events: unknown[] = [];
    const r = await p.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, (e) => events.push(e));
    expect(events).toEqual([
      { type: 'text', text: 'hell' }, { type: 'text', text: 'o wo' }, { type: 'text', text: 'rld!' },
      { type: 'tool-call', call: { id: 'call_1_1', name: 'read_file', arguments: { path: 'a.ts' } } },
      { type: 'usage', usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
    expect(r).toMatchObject({ provider: 'scripted', model: 'm', text: 'hello world!', stopReason: 'tool-use', usage: { inputTokens: 7, outputTokens: 3 } });
    expect(p.requests).toHaveLength(1);
  });

  it('throws the scripted AiError, and a malformed-response error past the end of the script', async () => {
    const p = new ScriptedProvider([{ error: { kind: 'rate-limit', retryAfterMs: 1500 } }]);
    const err = await p.chat({ model: 'm', messages: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AiError);
    expect(err).toMatchObject({ kind: 'rate-limit', resolution: 'retry', retryAfterMs: 1500 });
    await expect(p.chat({ model: 'm', messages: [] })).rejects.toMatchObject({ kind: 'malformed-response' });
  });

  it('honours the abort signal between deltas and during a delay', async () => {
    const s = scriptedSession([{ text: 'a'.repeat(100), chunks: 10, delayMs: 20 }, { text: 'x', delayMs: 10_000 }]);
    const c = new AbortController();
    let n = 0;
    await expect(s.chat({ messages: [], signal: c.signal }, () => { if (++n === 2) c.abort(); })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(n).toBe(2);
    const c2 = new AbortController();
    const started = Date.now();
    setTimeout(() => c2.abort(), 20);
    await expect(s.chat({ messages: [], signal: c2.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('parseScript names the first bad turn', () => {
    expect(parseScript({ turns: [{ text: 'a' }] })).toEqual([{ text: 'a' }]);
    expect(() => parseScript([{ text: 1 }])).toThrow('turns[0].text must be a string.');
    expect(() => parseScript([{}, { toolCalls: [{ arguments: {} }] }])).toThrow('turns[1].toolCalls[0].name must be a string.');
    expect(() => parseScript([{ error: { kind: 'nope' } }])).toThrow('turns[0].error.kind must be one of');
    expect(() => parseScript('x')).toThrow('A script is a JSON array of turns');
  });
});
