// The envelope every webview speaks (GitLens / GitHub PR style): requests with replies matched by
// id, notifications as full snapshots, and a `ready` handshake before the host posts anything.
// Each webview has its own protocol file that fills in the methods.

export interface ReadyMessage { kind: 'ready' }
export interface RequestMessage<M extends string = string, P = unknown> { kind: 'request'; id: number; method: M; params: P }
export interface ResponseMessage<R = unknown> { kind: 'response'; id: number; ok: true; result: R }
/** `forceable`: the refusal can be overridden on request (a rollback over later edits can be forced). */
export interface ErrorResponseMessage { kind: 'response'; id: number; ok: false; error: { code: string; message: string; forceable?: boolean } }
export interface NotificationMessage<M extends string = string, P = unknown> { kind: 'notification'; method: M; params: P }

export type WebviewToHost = ReadyMessage | RequestMessage;
export type HostToWebview = ResponseMessage | ErrorResponseMessage | NotificationMessage;

/** A protocol: request methods with their params and results, and notification methods. */
export interface Protocol {
  requests: Record<string, { params: unknown; result: unknown }>;
  notifications: Record<string, unknown>;
}

/** Cheap structural check for anything arriving from a webview; the host validates params further. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  if (m.kind === 'ready') return true;
  return m.kind === 'request' && Number.isSafeInteger(m.id) && typeof m.method === 'string';
}

/**
 * Id of the `<script type="application/json">` block in which the host may write a webview's first
 * snapshot, so its first paint does not wait for `ready` and the reply.
 */
export const INITIAL_SNAPSHOT_ID = 'rusty-initial-snapshot';
