// The host side of the webview envelope (src/shared/messages.ts), generic over a protocol:
// - a `Record<Method, Handler>` per webview, so the compiler forces every request to be handled;
// - every incoming message is validated (envelope, known method, zod schema of its params); an
//   invalid one gets an error reply and a log line, and is never thrown into VS Code;
// - notifications wait for the webview's `ready`; only the latest one per method is kept (they
//   are full snapshots), and it is posted again whenever the webview (re)loads.
// It needs only the two members of vscode.Webview it uses, so it is unit-tested in Node.
import type { z } from 'zod';
import { isWebviewToHost, type ErrorResponseMessage, type HostToWebview, type Protocol } from '../../shared/messages';
import { describeIssues, type ParamSchemas } from './schemas';

export interface Disposable { dispose(): unknown }

export interface WebviewLike {
  postMessage(message: unknown): PromiseLike<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => unknown): Disposable;
}

export interface HostLog {
  warn(message: string): void;
  error(message: string): void;
}

export type RequestHandlers<P extends Protocol> = {
  [M in keyof P['requests']]: (params: P['requests'][M]['params']) => Promise<P['requests'][M]['result']> | P['requests'][M]['result'];
};

/** An error a handler throws is answered with its `code` when it has one (RustyError does). */
function errorOf(err: unknown): { code: string; message: string; forceable?: boolean } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const forceable = ((err as { details?: { forceable?: unknown } }).details?.forceable) === true;
    return { code: typeof code === 'string' ? code : 'error', message: err.message, ...(forceable ? { forceable } : {}) };
  }
  return { code: 'error', message: String(err) };
}

export class WebviewProtocolHost<P extends Protocol> implements Disposable {
  private ready = false;
  private disposed = false;
  /** Latest notification per method, with its JSON (to skip posting the same snapshot twice). */
  private readonly latest = new Map<keyof P['notifications'], { json: string; message: HostToWebview; inPage?: boolean }>();
  private readonly subscription: Disposable;

  constructor(
    private readonly webview: WebviewLike,
    private readonly name: string,
    private readonly schemas: ParamSchemas<P>,
    private readonly handlers: RequestHandlers<P>,
    private readonly log: HostLog,
    /** Called on every `ready` (first load and each reload), e.g. to refresh the snapshot. */
    private readonly onReady?: () => void,
  ) {
    this.subscription = webview.onDidReceiveMessage((m) => this.receive(m));
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The webview's document went away (hidden without retained context): wait for the next `ready`. */
  reset(): void {
    this.ready = false;
  }

  /** Post a full snapshot (or any notification); held until the webview is ready. */
  notify<M extends keyof P['notifications'] & string>(method: M, params: P['notifications'][M]): void {
    if (this.disposed) return;
    const message: HostToWebview = { kind: 'notification', method, params };
    const json = JSON.stringify(message);
    const prev = this.latest.get(method);
    if (prev?.json === json && (this.ready || prev.inPage)) return; // nothing new
    this.latest.set(method, { json, message });
    if (this.ready) this.post(message);
  }

  /**
   * The webview's HTML already carries this notification (html.ts `initialSnapshot`): the first
   * `ready` does not post it again; a later one (the webview reloaded) does, like any other.
   */
  seed<M extends keyof P['notifications'] & string>(method: M, params: P['notifications'][M]): void {
    if (this.disposed || this.ready) return this.notify(method, params);
    const message: HostToWebview = { kind: 'notification', method, params };
    this.latest.set(method, { json: JSON.stringify(message), message, inPage: true });
  }

  /** Handle one message from the webview. Never throws; the promise settles when the reply is sent. */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    if (!isWebviewToHost(raw)) {
      const id = raw && typeof raw === 'object' && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : undefined;
      this.log.warn(`${this.name} webview: ignored a malformed message ${preview(raw)}`);
      if (id !== undefined) this.replyError(id, 'invalid-message', 'The message is not a request this host understands.');
      return;
    }
    if (raw.kind === 'ready') {
      this.ready = true;
      for (const entry of this.latest.values()) {
        if (entry.inPage) entry.inPage = false;
        else this.post(entry.message);
      }
      try {
        this.onReady?.();
      } catch (err) {
        this.log.error(`${this.name} webview: refreshing after ready failed: ${errorOf(err).message}`);
      }
      return;
    }
    const { id, method } = raw;
    if (!Object.prototype.hasOwnProperty.call(this.schemas, method)) {
      this.log.warn(`${this.name} webview: unknown request ${JSON.stringify(method).slice(0, 80)}`);
      this.replyError(id, 'unknown-method', `Unknown request "${method.slice(0, 80)}".`);
      return;
    }
    const m = method as keyof P['requests'] & string;
    const parsed = (this.schemas[m] as z.ZodType).safeParse(raw.params);
    if (!parsed.success) {
      const why = describeIssues(parsed.error);
      this.log.warn(`${this.name} webview: invalid params for ${m}: ${why}`);
      this.replyError(id, 'invalid-params', `Invalid request ${m}: ${why}`);
      return;
    }
    try {
      const handler = this.handlers[m] as (params: unknown) => unknown;
      const result = await handler(parsed.data);
      this.post({ kind: 'response', id, ok: true, result: result ?? null });
    } catch (err) {
      const e = errorOf(err);
      this.log.warn(`${this.name} webview: ${m} failed: ${e.message}`);
      this.replyError(id, e.code, e.message, e.forceable);
    }
  }

  private replyError(id: number, code: string, message: string, forceable?: boolean): void {
    const reply: ErrorResponseMessage = { kind: 'response', id, ok: false, error: { code, message, ...(forceable ? { forceable } : {}) } };
    this.post(reply);
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    let sent: PromiseLike<boolean>;
    try {
      sent = this.webview.postMessage(message);
    } catch (err) {
      this.log.warn(`${this.name} webview: could not post: ${errorOf(err).message}`);
      return;
    }
    Promise.resolve(sent).then(
      (ok) => { if (!ok) this.ready = false; },
      (err: unknown) => this.log.warn(`${this.name} webview: could not post: ${errorOf(err).message}`),
    );
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}

function preview(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
