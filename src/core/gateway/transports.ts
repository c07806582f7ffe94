// The gateway's two transports. Stdio: the client is named by the token in RUSTY_GATEWAY_TOKEN.
// Streamable HTTP on node:http, loopback only unless the user's policy binds elsewhere. Every
// HTTP request passes, in this order: Host check (DNS rebinding: a page on evil.example resolving
// to 127.0.0.1 sends Host: evil.example), Origin check (browsers; agents send none), bearer token,
// per-client rate limit, body size limit; only then the MCP SDK sees it. A session belongs to the
// client that opened it. /metrics (Prometheus text) needs a token too.
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Transform, type Readable, type Writable } from 'node:stream';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RustyError } from '../util/errors';
import type { AuthenticatedClient } from './clients';
import type { Gateway } from './gateway';
import type { CallOutcome } from './metrics';
import { LOOPBACK_BINDS } from './policy';
import { connectAudited, createGatewayServer } from './tools';

export const TOKEN_ENV = 'RUSTY_GATEWAY_TOKEN';
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Serve one client over stdin/stdout until the input closes. */
export async function serveStdio(gw: Gateway, token: string | undefined): Promise<McpServer> {
  const client = gw.clients.authenticate(token);
  if (!client) {
    await gw.refusedRequest('(stdio)', 'unauthorized', token ? 'unknown or revoked token' : 'no token');
    throw new RustyError('usage', token
      ? `The token in ${TOKEN_ENV} is unknown or revoked; create a client with \`rusty gateway add NAME\`.`
      : `Set ${TOKEN_ENV} to a gateway client's token (create one with \`rusty gateway add NAME --scope propose\`).`);
  }
  const server = createGatewayServer(gw, client);
  await connectAudited(server, new StdioServerTransport(limitedStdin(gw, client.name, process.stdin, process.stdout), process.stdout), gw, client);
  await gw.audit(`agent:${client.name}`, 'gateway.connected', { client: client.name, scope: client.scope, transport: 'stdio' });
  return server;
}

const ID_AT_END = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/;
const ID_AT_START = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/;

/** The id of a request too large to parse, from its first or last bytes (the SDK writes it last). */
function idOfOversized(head: Buffer, tail: Buffer): string | number | null {
  const m = ID_AT_END.exec(tail.toString('utf8').replace(/\r$/, '')) ?? ID_AT_START.exec(head.toString('utf8'));
  if (!m) return null;
  try {
    return JSON.parse(m[1]!) as string | number;
  } catch {
    return null;
  }
}

/**
 * Stdin as the SDK's stdio transport reads it (one JSON-RPC message a line), with the HTTP
 * gateway's limits: a line over maxRequestBytes is dropped without being buffered whole, and a
 * request over the client's rate never reaches the server; both are answered with a JSON-RPC error
 * on `output` (with the request's id when it can be read) and audited like HTTP refusals.
 */
export function limitedStdin(gw: Gateway, client: string, input: Readable, output: Writable): Readable {
  const max = gw.policy.maxRequestBytes;
  let parts: Buffer[] = [];
  let size = 0;
  let over: { head: Buffer; tail: Buffer } | undefined;
  const refuse = (id: string | number | null, message: string, outcome: CallOutcome, reason: string): void => {
    output.write(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message } }) + '\n');
    void gw.refusedRequest(client, outcome, reason, '(stdio)').catch(() => {});
  };
  const take = (piece: Buffer): void => {
    size += piece.length;
    if (over) {
      over.tail = Buffer.concat([over.tail, piece]).subarray(-256);
    } else if (size > max) {
      const all = Buffer.concat([...parts, piece]);
      over = { head: all.subarray(0, 256), tail: all.subarray(-256) };
      parts = [];
    } else {
      parts.push(piece);
    }
  };
  const endLine = (push: (b: Buffer) => void): void => {
    if (over) {
      refuse(idOfOversized(over.head, over.tail), `Request too large: at most ${max} bytes.`, 'refused', `request of ${size} bytes over the limit`);
    } else {
      const line = Buffer.concat(parts);
      let msg: unknown;
      try {
        msg = JSON.parse(line.toString('utf8'));
      } catch {
        // the SDK answers a line that is not JSON
      }
      const request = msg && typeof msg === 'object' && 'method' in msg && 'id' in msg ? (msg as { id: string | number }) : undefined;
      if (request && !gw.allowCall(client)) {
        refuse(request.id, `Too many requests: at most ${gw.policy.ratePerMinute} per minute per client.`, 'rate-limited', `over ${gw.policy.ratePerMinute} requests per minute`);
      } else {
        push(Buffer.concat([line, NEWLINE]));
      }
    }
    parts = [];
    size = 0;
    over = undefined;
  };
  const limited = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        take(chunk.subarray(start, nl < 0 ? chunk.length : nl));
        if (nl < 0) break;
        endLine((b) => this.push(b));
        start = nl + 1;
      }
      done();
    },
  });
  input.on('error', (err) => limited.destroy(err));
  return input.pipe(limited);
}
const NEWLINE = Buffer.from('\n');

export interface HttpGateway {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

interface Session { transport: StreamableHTTPServerTransport; server: McpServer; client: string }

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

function reply(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Read the body, refusing (413) past `max` bytes without buffering the rest. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > max) {
        done = true;
        resolve('too-large');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export async function startHttpGateway(gw: Gateway, opts: { port?: number } = {}): Promise<HttpGateway> {
  const policy = gw.policy;
  const host = policy.bind;
  const allowedHosts = new Set([...LOOPBACK_HOSTS, ...policy.allowedHosts.map((h) => h.toLowerCase()), ...(LOOPBACK_BINDS.includes(host) ? [] : [host.includes(':') ? `[${host}]` : host])]);
  const allowedOrigins = new Set(policy.allowedOrigins.map((o) => o.replace(/\/$/, '')));
  const sessions = new Map<string, Session>();

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const hostname = hostnameOf(req.headers.host)?.toLowerCase();
    if (!hostname || !allowedHosts.has(hostname)) {
      await gw.refusedRequest('(unknown)', 'refused', `Host ${String(req.headers.host).slice(0, 100)} not allowed`);
      return reply(res, 403, 'Host not allowed: the gateway answers only to loopback names (add others to allowedHosts in the gateway policy).');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.replace(/\/$/, ''))) {
      await gw.refusedRequest('(unknown)', 'refused', `Origin ${origin.slice(0, 100)} not allowed`);
      return reply(res, 403, 'Origin not allowed (add it to allowedOrigins in the gateway policy to accept requests from that page).');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/mcp' && url.pathname !== '/metrics') return reply(res, 404, 'Not found: the MCP endpoint is /mcp, metrics are at /metrics.');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    let client: AuthenticatedClient | undefined;
    try {
      client = gw.clients.authenticate(token);
    } catch (err) {
      return reply(res, 500, err instanceof Error ? err.message : String(err));
    }
    if (!client) {
      await gw.refusedRequest('(unknown)', 'unauthorized', token ? 'unknown or revoked token' : 'no token');
      return reply(res, 401, token ? 'Unknown or revoked token.' : 'A bearer token is required (Authorization: Bearer …); create one with `rusty gateway add NAME`.', { 'www-authenticate': 'Bearer realm="rusty-gateway"' });
    }
    if (!gw.allowCall(client.name)) {
      await gw.refusedRequest(client.name, 'rate-limited', `over ${gw.policy.ratePerMinute} requests per minute`);
      return reply(res, 429, `Too many requests: at most ${gw.policy.ratePerMinute} per minute per client.`, { 'retry-after': '60' });
    }
    if (url.pathname === '/metrics') {
      if (req.method !== 'GET') return reply(res, 405, 'Use GET for /metrics.');
      const body = await gw.metricsText();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(body);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > policy.maxRequestBytes) {
      await gw.refusedRequest(client.name, 'refused', `request of ${declared} bytes over the limit`);
      return reply(res, 413, `Request too large: at most ${policy.maxRequestBytes} bytes.`, { connection: 'close' });
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, policy.maxRequestBytes);
      if (raw === 'too-large') {
        await gw.refusedRequest(client.name, 'refused', 'request body over the limit');
        return reply(res, 413, `Request too large: at most ${policy.maxRequestBytes} bytes.`, { connection: 'close' });
      }
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(res, 400, 'The request body is not valid JSON.');
      }
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const s = sessions.get(sessionId);
      if (!s) return reply(res, 404, 'Unknown session; initialize again.');
      if (s.client !== client.name) {
        await gw.refusedRequest(client.name, 'refused', 'session of another client');
        return reply(res, 403, 'This session belongs to another client.');
      }
      await s.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return reply(res, 400, 'No session: send an initialize request first (without mcp-session-id).');
    const server = createGatewayServer(gw, client);
    const owner = client.name;
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, client: owner });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await connectAudited(server, transport, gw, client);
    await transport.handleRequest(req, res, body);
    await gw.audit(`agent:${owner}`, 'gateway.connected', { client: owner, scope: client.scope, transport: 'http' });
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, err instanceof Error ? err.message : String(err)));
  });
  httpServer.requestTimeout = 0; // get_proposal may wait for a decision
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/mcp`, port, host,
    close: async () => {
      for (const s of sessions.values()) await s.transport.close().catch(() => {});
      sessions.clear();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
}
