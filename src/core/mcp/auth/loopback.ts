// The OAuth redirect target: an HTTP listener on 127.0.0.1 (random port, or the port a client was
// registered with) that takes one authorization response and checks its `state`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type CallbackResult = { code: string } | { error: string; description?: string };

export class LoopbackRedirect {
  private server: http.Server | undefined;
  private waiting: { state: string; resolve: (r: CallbackResult) => void; reject: (e: Error) => void } | undefined;

  /** Binds 127.0.0.1:<preferred port> when free, else a random port. */
  async open(preferredPort?: number): Promise<void> {
    if (this.server) return;
    const listen = (port: number) => new Promise<http.Server>((resolve, reject) => {
      const srv = http.createServer((req, res) => this.onRequest(req, res));
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        srv.off('error', reject);
        srv.unref();
        resolve(srv);
      });
    });
    try {
      this.server = await listen(preferredPort ?? 0);
    } catch {
      this.server = await listen(0);
    }
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  /** The next authorization response carrying `state`; a wrong state, an error or the timeout rejects. */
  wait(state: string, timeoutMs: number, signal?: AbortSignal): Promise<CallbackResult> {
    this.waiting?.reject(new Error('a newer sign-in started'));
    // While waiting, the listener keeps the process alive (a CLI has nothing else to do).
    this.server?.ref();
    return new Promise<CallbackResult>((resolve, reject) => {
      const timer = setTimeout(() => done(() => reject(new Error(`no answer from the browser within ${Math.round(timeoutMs / 1000)} s`))), timeoutMs);
      timer.unref();
      const onAbort = () => done(() => reject(new Error('cancelled')));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (fn: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting = undefined;
        this.server?.unref();
        fn();
      };
      this.waiting = {
        state,
        resolve: (r) => done(() => resolve(r)),
        reject: (e) => done(() => reject(e)),
      };
    });
  }

  close(): void {
    this.waiting?.reject(new Error('the connection was closed'));
    this.server?.close();
    this.server?.closeAllConnections?.();
    this.server = undefined;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const page = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><meta charset="utf-8"><title>Rusty</title><p>${text}</p>`);
    };
    const waiting = this.waiting;
    if (!waiting) {
      page(400, 'Rusty is not waiting for a sign-in. Start it again from Rusty.');
      return;
    }
    const state = url.searchParams.get('state');
    if (state !== waiting.state) {
      page(400, 'This sign-in answer does not belong to the sign-in Rusty started. Nothing was stored.');
      waiting.reject(new Error('the answer\'s state does not match the request (it may be forged or stale)'));
      return;
    }
    const error = url.searchParams.get('error');
    if (error) {
      page(200, 'Sign-in was not completed. You can close this tab.');
      const description = url.searchParams.get('error_description');
      waiting.resolve({ error, ...(description ? { description } : {}) });
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) {
      page(400, 'The answer has no authorization code.');
      waiting.reject(new Error('the answer has no authorization code'));
      return;
    }
    page(200, 'Signed in. You can close this tab and return to Rusty.');
    waiting.resolve({ code });
  }
}
