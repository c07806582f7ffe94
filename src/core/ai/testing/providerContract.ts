// What every vendor provider's test checks the same way, written once: the failure helper, the
// request every test sends, and cancellation before the first token and mid-stream (the SDK must
// stop at once and the local server must see the connection close). Test code only.
import { expect, it } from 'vitest';
import { AiError, type ChatRequest, type ModelProvider } from '../types';
import type { ProtocolServer, Reply } from './protocolServer';

/** The AiError a call failed with (fails the test when it did not fail with one). */
export async function aiFailure(p: Promise<unknown>): Promise<AiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AiError);
  return err as AiError;
}

/** A one-message request to `model`, with `extra` on top. */
export function helloRequest(model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'user', content: 'Say hello' }], ...extra };
}

export interface CancellationSubject {
  server(): ProtocolServer;
  provider(): ModelProvider;
  ask(extra?: Partial<ChatRequest>): ChatRequest;
  /** A streamed reply of these text pieces in the vendor's wire format, with these delays. */
  stream(text: string[], delays: Pick<Reply, 'firstChunkDelayMs' | 'chunkDelayMs'>): Reply;
}

/** Registers the two cancellation cases every provider must pass. */
export function cancellationCases(s: CancellationSubject): void {
  it('cancels promptly before the first token and the server sees the connection close', async () => {
    s.server().enqueue(s.stream(['late'], { firstChunkDelayMs: 5000 }));
    const ac = new AbortController();
    const pending = s.provider().chat(s.ask({ signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 150));
    const t0 = Date.now();
    ac.abort();
    expect((await aiFailure(pending)).kind).toBe('cancelled');
    // Well before the server's first piece (5 s away); loose enough for a loaded machine.
    expect(Date.now() - t0).toBeLessThan(1000);
    await s.server().waitForClientAbort();
  });

  it('cancels mid-stream after text was delivered', async () => {
    s.server().enqueue(s.stream(['a', 'b', 'c', 'd'], { chunkDelayMs: 1500 }));
    const ac = new AbortController();
    const seen: string[] = [];
    let abortedAt = 0;
    const pending = s.provider().chat(s.ask({ signal: ac.signal }), (e) => {
      if (e.type === 'text') { seen.push(e.text); abortedAt = Date.now(); ac.abort(); }
    });
    expect((await aiFailure(pending)).kind).toBe('cancelled');
    // Before the server's next piece (1.5 s away): the stream was cut, not read to the end.
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(seen).toEqual(['a']);
    await s.server().waitForClientAbort();
  });
}
