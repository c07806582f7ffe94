// A local HTTP server that plays scripted replies, byte for byte, so the real vendor SDKs can be
// pointed at it (no vendor is reachable from the test machines). Each vendor's testServer.ts
// builds the replies in that vendor's documented wire format; this file only moves bytes, records
// what the SDK sent and notices when the client hangs up early.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as the SDK sent them. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON when it is JSON, else the raw text. */
  body: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Body pieces, written one by one (SSE frames, or one JSON document). */
  chunks?: string[];
  /** Wait before the status line: a server slow to answer at all. */
  headersDelayMs?: number;
  /** Wait after the headers before the first piece: a slow first token. */
  firstChunkDelayMs?: number;
  /** Wait between pieces. */
  chunkDelayMs?: number;
  /** Destroy the socket after this many pieces: a stream cut mid-way. */
  cutAfter?: number;
}

export type Responder = (req: RecordedRequest, index: number) => Reply;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ProtocolServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose client closed the connection before the reply was complete. */
  clientAborts = 0;
  private abortWaiters: (() => void)[] = [];
  private queue: Reply[] = [];
  private responder: Responder | undefined;

  private constructor(private readonly server: ReturnType<typeof createServer>, readonly url: string) {}

  /** Starts on 127.0.0.1 with a random port. */
  static async start(responder?: Responder): Promise<ProtocolServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new ProtocolServer(server, `http://127.0.0.1:${port}`);
    self.responder = responder;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => { void self.handle(req, res); });
    return self;
  }

  /** The i-th request received (throws when there is none). */
  request(i: number): RecordedRequest {
    const r = this.requests[i];
    if (!r) throw new Error(`the server received ${this.requests.length} request(s), not ${i + 1}`);
    return r;
  }

  /** Replies for the next requests, in order (used before the responder). */
  enqueue(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  respondWith(responder: Responder): this {
    this.responder = responder;
    return this;
  }

  /** Resolves once a client has hung up early (now, if one already has). */
  waitForClientAbort(timeoutMs = 2000): Promise<void> {
    if (this.clientAborts > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no client abort within ${timeoutMs} ms`)), timeoutMs);
      this.abortWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = raw;
    try { body = raw ? JSON.parse(raw) : undefined; } catch { /* keep the text */ }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
    const index = this.requests.push(recorded) - 1;
    const reply = this.queue.shift() ?? this.responder?.(recorded, index)
      ?? { status: 500, headers: { 'content-type': 'text/plain' }, chunks: [`no scripted reply for request ${index}`] };

    let finished = false;
    res.on('close', () => {
      if (finished) return;
      this.clientAborts++;
      for (const wake of this.abortWaiters.splice(0)) wake();
    });
    const gone = () => res.destroyed || res.socket?.destroyed === true;

    if (reply.headersDelayMs) await sleep(reply.headersDelayMs);
    if (gone()) return;
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    res.flushHeaders();
    if (reply.firstChunkDelayMs) await sleep(reply.firstChunkDelayMs);
    const chunks = reply.chunks ?? [];
    for (let i = 0; i < chunks.length; i++) {
      if (gone()) return;
      if (reply.cutAfter !== undefined && i >= reply.cutAfter) {
        await sleep(20); // let the pieces already written reach the client
        finished = true;
        res.socket?.destroy();
        return;
      }
      if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (gone()) return;
      res.write(chunks[i]);
    }
    if (reply.cutAfter !== undefined && reply.cutAfter >= chunks.length) {
      // Give the client the bytes, then cut before the final chunk of the chunked encoding.
      await sleep(10);
      finished = true;
      res.socket?.destroy();
      return;
    }
    finished = true;
    res.end();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** One server-sent event frame: `event:` line (when named), `data:` line, blank line. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
export const JSON_HEADERS = { 'content-type': 'application/json' };
