// The fake extension host used by every webview test (DESIGN convention 5): the app gets a real
// HostClient whose transport is this object, so tests see exactly the envelopes the webview
// would post and can answer them like the host would.
import type { ReactElement } from 'react';
import { act, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RequestMessage, WebviewToHost } from '../protocol';
import { createHostClient, HostProvider, type HostClient, type HostTransport, type RequestMethod, type RequestParams, type RequestResult, type SnapshotOf, type SnapshotProtocol } from '../host';

/** Throw from a handler to make the host answer `{ ok: false, error: { code, message } }`. */
export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly forceable = false,
  ) {
    super(message);
  }
}

export type Handlers<P extends SnapshotProtocol> = {
  [M in RequestMethod<P>]?: (params: RequestParams<P, M>) => RequestResult<P, M> | Promise<RequestResult<P, M>>;
};

export class FakeHost<P extends SnapshotProtocol> implements HostTransport {
  readonly posted: WebviewToHost[] = [];
  state: unknown;
  /** When false, requests stay unanswered (to test timeouts and busy states). */
  autoRespond = true;
  private readonly listeners = new Set<(data: unknown) => void>();

  constructor(public handlers: Handlers<P> = {}) {}

  postMessage(message: WebviewToHost): void {
    this.posted.push(message);
    if (message.kind === 'request' && this.autoRespond) void this.answer(message);
  }

  getState(): unknown {
    return this.state;
  }

  setState(state: unknown): void {
    this.state = state;
  }

  onMessage(listener: (data: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers a raw message to the webview, as window.postMessage from the host would. */
  deliver(data: unknown): void {
    act(() => {
      for (const listener of [...this.listeners]) listener(data);
    });
  }

  pushSnapshot(snapshot: SnapshotOf<P>): void {
    this.deliver({ kind: 'notification', method: 'snapshot', params: snapshot });
  }

  requests<M extends RequestMethod<P>>(method: M): RequestParams<P, M>[] {
    return this.posted.filter((m): m is RequestMessage => m.kind === 'request' && m.method === method).map((m) => m.params as RequestParams<P, M>);
  }

  lastRequest<M extends RequestMethod<P>>(method: M): RequestParams<P, M> | undefined {
    return this.requests(method).at(-1);
  }

  private async answer(message: RequestMessage): Promise<void> {
    const handler = this.handlers[message.method as RequestMethod<P>] as ((params: unknown) => unknown) | undefined;
    let reply: unknown;
    try {
      const result = handler ? await handler(message.params) : undefined;
      reply = { kind: 'response', id: message.id, ok: true, result };
    } catch (err) {
      const code = err instanceof HostError ? err.code : 'internal';
      const forceable = err instanceof HostError && err.forceable;
      reply = { kind: 'response', id: message.id, ok: false, error: { code, message: (err as Error).message, ...(forceable ? { forceable } : {}) } };
    }
    // Answer on a later tick, like a real host across postMessage.
    await Promise.resolve();
    this.deliver(reply);
  }
}

export interface RenderWithHostOptions<P extends SnapshotProtocol> {
  snapshot?: SnapshotOf<P>;
  handlers?: Handlers<P>;
  /** Reuse a host (and its saved webview state) to simulate the view being hidden and shown. */
  host?: FakeHost<P>;
}

export function renderWithHost<P extends SnapshotProtocol>(ui: ReactElement, options: RenderWithHostOptions<P> = {}) {
  const host = options.host ?? new FakeHost<P>(options.handlers);
  if (options.handlers) host.handlers = options.handlers;
  const client: HostClient<P> = createHostClient<P>(host);
  const user = userEvent.setup();
  const result = render(<HostProvider client={client}>{ui}</HostProvider>);
  client.ready();
  if (options.snapshot) host.pushSnapshot(options.snapshot);
  const unmount = () => {
    result.unmount();
    client.dispose();
  };
  return { host, client, user, ...result, unmount };
}
