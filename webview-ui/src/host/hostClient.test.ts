import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Protocol, WebviewToHost } from '../protocol';
import { createHostClient, HostRequestError } from './hostClient';
import type { HostTransport } from './transport';

interface TestProtocol extends Protocol {
  requests: { echo: { params: { text: string }; result: { text: string } }; nothing: { params: Record<string, never>; result: void } };
  notifications: { snapshot: { count: number } };
}

function transport() {
  const posted: WebviewToHost[] = [];
  let listener: ((data: unknown) => void) | undefined;
  let state: unknown;
  const t: HostTransport = {
    postMessage: (m) => posted.push(m),
    getState: () => state,
    setState: (s) => (state = s),
    onMessage: (l) => {
      listener = l;
      return () => (listener = undefined);
    },
  };
  return { t, posted, send: (data: unknown) => listener?.(data), subscribed: () => listener !== undefined };
}

afterEach(() => vi.useRealTimers());

describe('createHostClient', () => {
  it('starts from the snapshot in the page when it passes the shape check, before any message', () => {
    const isSnapshot = (v: unknown): v is { count: number } => typeof (v as { count?: unknown })?.count === 'number';
    const { t, send } = transport();
    const client = createHostClient<TestProtocol>(t, { isSnapshot, initialSnapshot: { count: 1 } });
    expect(client.snapshot).toEqual({ count: 1 });
    send({ kind: 'notification', method: 'snapshot', params: { count: 2 } });
    expect(client.snapshot).toEqual({ count: 2 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(createHostClient<TestProtocol>(transport().t, { isSnapshot, initialSnapshot: { count: 'x' } }).snapshot).toBeUndefined();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('posts requests with increasing ids and resolves them with the matching response', async () => {
    const { t, posted, send } = transport();
    const client = createHostClient<TestProtocol>(t);
    const first = client.request('echo', { text: 'a' });
    const second = client.request('echo', { text: 'b' });
    expect(posted).toEqual([
      { kind: 'request', id: 1, method: 'echo', params: { text: 'a' } },
      { kind: 'request', id: 2, method: 'echo', params: { text: 'b' } },
    ]);
    send({ kind: 'response', id: 2, ok: true, result: { text: 'B' } });
    send({ kind: 'response', id: 1, ok: true, result: { text: 'A' } });
    await expect(first).resolves.toEqual({ text: 'A' });
    await expect(second).resolves.toEqual({ text: 'B' });
  });

  it('rejects with the host error code and message', async () => {
    const { t, send } = transport();
    const client = createHostClient<TestProtocol>(t);
    const pending = client.request('echo', { text: 'a' });
    send({ kind: 'response', id: 1, ok: false, error: { code: 'conflict', message: 'Use --force' } });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostRequestError);
    expect(error).toMatchObject({ code: 'conflict', message: 'Use --force', method: 'echo' });
  });

  it('times out a request the host never answers, and ignores the late answer', async () => {
    vi.useFakeTimers();
    const { t, send } = transport();
    const client = createHostClient<TestProtocol>(t, { timeoutMs: 1000 });
    const pending = client.request('echo', { text: 'a' });
    const outcome = pending.catch((e: unknown) => e);
    vi.advanceTimersByTime(1001);
    expect(await outcome).toMatchObject({ code: 'timeout', method: 'echo' });
    expect(() => send({ kind: 'response', id: 1, ok: true, result: { text: 'late' } })).not.toThrow();
  });

  it('lets a single request wait longer than the default', async () => {
    vi.useFakeTimers();
    const { t, send } = transport();
    const client = createHostClient<TestProtocol>(t, { timeoutMs: 1000 });
    const pending = client.request('echo', { text: 'a' }, { timeoutMs: 60_000 });
    vi.advanceTimersByTime(5000);
    send({ kind: 'response', id: 1, ok: true, result: { text: 'A' } });
    await expect(pending).resolves.toEqual({ text: 'A' });
  });

  it('ignores malformed messages and messages that are not ours', async () => {
    const { t, send } = transport();
    const client = createHostClient<TestProtocol>(t);
    const pending = client.request('echo', { text: 'a' });
    for (const junk of [null, 'x', 42, [], { kind: 'response', id: 'one', ok: true }, { kind: 'response', id: 1, ok: false, error: 'nope' }, { kind: 'notification' }, { type: 'other-extension' }]) {
      expect(() => send(junk)).not.toThrow();
    }
    send({ kind: 'response', id: 1, ok: true, result: { text: 'A' } });
    await expect(pending).resolves.toEqual({ text: 'A' });
  });

  it('keeps the latest snapshot, replays it to new listeners, and drops snapshots failing the guard', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { t, send } = transport();
    const client = createHostClient<TestProtocol>(t, { isSnapshot: (v): v is { count: number } => typeof (v as { count?: unknown }).count === 'number' });
    const seen: number[] = [];
    client.onSnapshot((s) => seen.push(s.count));
    send({ kind: 'notification', method: 'snapshot', params: { count: 1 } });
    send({ kind: 'notification', method: 'snapshot', params: { count: 'two' } });
    send({ kind: 'notification', method: 'other', params: { count: 3 } });
    expect(seen).toEqual([1]);
    expect(client.snapshot).toEqual({ count: 1 });
    const late: number[] = [];
    const stop = client.onSnapshot((s) => late.push(s.count));
    stop();
    send({ kind: 'notification', method: 'snapshot', params: { count: 4 } });
    expect(late).toEqual([1]);
    expect(seen).toEqual([1, 4]);
  });

  it('sends ready once and passes state through', () => {
    const { t, posted } = transport();
    const client = createHostClient<TestProtocol>(t);
    client.ready();
    client.ready();
    expect(posted).toEqual([{ kind: 'ready' }]);
    client.setState({ a: 1 });
    expect(client.getState()).toEqual({ a: 1 });
  });

  it('rejects pending requests and unsubscribes on dispose', async () => {
    const { t, subscribed } = transport();
    const client = createHostClient<TestProtocol>(t);
    const pending = client.request('nothing', {});
    client.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'disposed' });
    expect(subscribed()).toBe(false);
  });

  it('turns a failing postMessage into a rejected request', async () => {
    const { t } = transport();
    t.postMessage = () => {
      throw new Error('could not be cloned');
    };
    const client = createHostClient<TestProtocol>(t);
    await expect(client.request('echo', { text: 'a' })).rejects.toMatchObject({ code: 'post-failed' });
  });
});
