// Typed request/response client over the shared envelope (src/shared/messages.ts): ids, a pending
// map, timeouts, and the latest snapshot pushed by the host.
import type { Protocol } from '../protocol';
import { parseHostMessage } from './parseHostMessage';
import type { HostTransport } from './transport';

/** A webview protocol whose host pushes full snapshots (all three of ours do). */
export type SnapshotProtocol = Protocol & { notifications: { snapshot: unknown } };
export type RequestMethod<P extends Protocol> = keyof P['requests'] & string;
export type RequestParams<P extends Protocol, M extends RequestMethod<P>> = P['requests'][M]['params'];
export type RequestResult<P extends Protocol, M extends RequestMethod<P>> = P['requests'][M]['result'];
export type SnapshotOf<P extends SnapshotProtocol> = P['notifications']['snapshot'];

/** A request that failed: the host's error code and message, or 'timeout' / 'disposed' / 'post-failed'. */
export class HostRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly method: string,
    /** The host says this refusal can be overridden (e.g. a rollback can be forced). */
    readonly forceable = false,
  ) {
    super(message);
    this.name = 'HostRequestError';
  }
}

export interface RequestOptions {
  /** Overrides the client's default; long operations (apply, review workspace) pass more. */
  timeoutMs?: number;
}

export interface HostClient<P extends SnapshotProtocol> {
  request<M extends RequestMethod<P>>(method: M, params: RequestParams<P, M>, options?: RequestOptions): Promise<RequestResult<P, M>>;
  /** Calls `listener` on every snapshot (and at once with the latest one, if any). Returns unsubscribe. */
  onSnapshot(listener: (snapshot: SnapshotOf<P>) => void): () => void;
  /** The latest snapshot, undefined until the host has sent one. */
  readonly snapshot: SnapshotOf<P> | undefined;
  /** Webview state that survives the panel being hidden and shown (vscode.getState/setState). */
  getState(): unknown;
  setState(state: unknown): void;
  /** Tells the host the webview listens; the host posts nothing before this. Sent once. */
  ready(): void;
  dispose(): void;
}

export interface HostClientOptions<S> {
  timeoutMs?: number;
  /** Shape check for snapshots; a snapshot that fails it is dropped (and logged). */
  isSnapshot?: (value: unknown) => value is S;
  /** The snapshot the host wrote into the page's HTML (checked like the others): the first render shows it. */
  initialSnapshot?: unknown;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Applying, rolling back or analysing a workspace can take minutes; progress arrives by snapshot. */
export const LONG_REQUEST_TIMEOUT_MS = 15 * 60_000;

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: HostRequestError): void;
  timer: ReturnType<typeof setTimeout>;
}

export function createHostClient<P extends SnapshotProtocol>(
  transport: HostTransport,
  options: HostClientOptions<SnapshotOf<P>> = {},
): HostClient<P> {
  const defaultTimeout = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(snapshot: SnapshotOf<P>) => void>();
  let latest: SnapshotOf<P> | undefined;
  if (options.initialSnapshot !== undefined) {
    if (!options.isSnapshot || options.isSnapshot(options.initialSnapshot)) latest = options.initialSnapshot as SnapshotOf<P>;
    else console.warn('Rusty: ignored a malformed snapshot in the page.', options.initialSnapshot);
  }
  let nextId = 1;
  let readySent = false;

  const unsubscribe = transport.onMessage((data) => {
    const message = parseHostMessage(data);
    if (!message) return;
    if (message.kind === 'response') {
      const entry = pending.get(message.id);
      if (!entry) return; // answered after its timeout, or not ours
      pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new HostRequestError(message.error.code, message.error.message, entry.method, message.error.forceable === true));
      return;
    }
    if (message.method !== 'snapshot') return;
    if (options.isSnapshot && !options.isSnapshot(message.params)) {
      console.warn('Rusty: ignored a malformed snapshot from the extension host.', message.params);
      return;
    }
    latest = message.params as SnapshotOf<P>;
    for (const listener of [...listeners]) listener(latest);
  });

  return {
    request(method, params, requestOptions) {
      const id = nextId++;
      const timeoutMs = requestOptions?.timeoutMs ?? defaultTimeout;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new HostRequestError('timeout', `The extension did not answer "${method}" within ${Math.round(timeoutMs / 1000)} s. Try again, or reload the view.`, method));
        }, timeoutMs);
        pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
        try {
          transport.postMessage({ kind: 'request', id, method, params });
        } catch (err) {
          pending.delete(id);
          clearTimeout(timer);
          reject(new HostRequestError('post-failed', `Could not send "${method}" to the extension: ${(err as Error).message}`, method));
        }
      });
    },
    onSnapshot(listener) {
      listeners.add(listener);
      if (latest !== undefined) listener(latest);
      return () => listeners.delete(listener);
    },
    get snapshot() {
      return latest;
    },
    getState: () => transport.getState(),
    setState: (state) => transport.setState(state),
    ready() {
      if (readySent) return;
      readySent = true;
      transport.postMessage({ kind: 'ready' });
    },
    dispose() {
      unsubscribe();
      listeners.clear();
      for (const [id, entry] of pending) {
        clearTimeout(entry.timer);
        entry.reject(new HostRequestError('disposed', `The view closed before "${entry.method}" was answered.`, entry.method));
        pending.delete(id);
      }
    },
  };
}
