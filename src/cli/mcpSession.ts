// A background MCP session for the CLI: `rusty mcp session start` runs one process that keeps the
// workspace's MCP servers running and listens on a socket in the state folder; `rusty mcp call`
// sends its call there when the session runs (so stateful servers keep their state between
// calls); `rusty mcp stop` ends it. Calls still pass the permission gate and the audit log, in the
// session process. Limits: no one can be asked there ("ask" is refused, elicitation follows the
// session's --elicitation, sign-in needs `rusty mcp login` first), config changes need a restart,
// Ctrl-C stops waiting but does not cancel the call, and it ends itself after 30 idle minutes.
// `tools`, `resources`, `prompts`, `read` and `prompt` are answered by the session too, so they
// see what the running servers offer now (e.g. a resource a call created).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { McpError, type McpCallResult, type ToolDetail } from '../core/mcp/types';
import type { McpService } from '../core/mcp/service';

export const SESSION_IDLE_MS = 30 * 60_000;

export function sessionSocket(stateDir: string): string {
  return path.join(stateDir, 'mcp', 'session.sock');
}

export type SessionRequest = Request;

type Request =
  | { method: 'callTool'; server: string; tool: string; args: Record<string, unknown>; timeoutMs?: number; maxTotalTimeoutMs?: number }
  | { method: 'tools'; server?: string; search?: string; detail?: ToolDetail; limit?: number }
  | { method: 'resources'; server?: string }
  | { method: 'prompts'; server?: string }
  | { method: 'read'; server: string; uri: string }
  | { method: 'prompt'; server: string; name: string; args: Record<string, string> }
  | { method: 'status' }
  | { method: 'shutdown' };

type Reply = { ok: true; result: unknown } | { ok: false; error: { kind: string; message: string; server?: string; tool?: string } };

/** Serves until `shutdown` or the idle limit; resolves when the socket is closed. */
export function serveSession(service: McpService, socket: string, idleMs = SESSION_IDLE_MS): Promise<void> {
  fs.rmSync(socket, { force: true });
  return new Promise((resolve, reject) => {
    let idle: NodeJS.Timeout;
    const server = net.createServer((conn) => {
      let buf = '';
      conn.on('data', (chunk) => {
        buf += chunk.toString();
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = '';
        void handle(line).then((reply) => conn.end(`${JSON.stringify(reply)}\n`));
      });
      conn.on('error', () => undefined);
    });
    const stop = () => {
      clearTimeout(idle);
      server.close(() => resolve());
      fs.rmSync(socket, { force: true });
    };
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    };
    const handle = async (line: string): Promise<Reply> => {
      touch();
      try {
        const req = JSON.parse(line) as Request;
        if (req.method === 'shutdown') {
          setImmediate(stop);
          return { ok: true, result: { pid: process.pid } };
        }
        if (req.method === 'status') return { ok: true, result: { pid: process.pid, servers: service.servers() } };
        if (req.method === 'callTool') {
          const result = await service.callTool(req.server, req.tool, req.args, {
            ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
            ...(req.maxTotalTimeoutMs !== undefined ? { maxTotalTimeoutMs: req.maxTotalTimeoutMs } : {}),
          });
          return { ok: true, result };
        }
        const result = await answer(service, req);
        if (result !== undefined) return { ok: true, result };
        return { ok: false, error: { kind: 'usage', message: 'unknown session request' } };
      } catch (err) {
        const e = err as McpError;
        return { ok: false, error: { kind: e instanceof McpError ? e.kind : 'internal', message: e.message, ...(e.server ? { server: e.server } : {}), ...(e.tool ? { tool: e.tool } : {}) } };
      }
    };
    server.once('error', reject);
    fs.mkdirSync(path.dirname(socket), { recursive: true });
    server.listen(socket, () => {
      fs.chmodSync(socket, 0o600);
      touch();
    });
  });
}

/** Listings come with the servers' states (for their listing errors and warnings). */
async function answer(service: McpService, req: Request): Promise<unknown> {
  const servers = () => service.servers().filter((s) => !('server' in req) || req.server === undefined || s.name === req.server);
  switch (req.method) {
    case 'tools':
      return req.search !== undefined
        ? { hits: service.searchTools(req.search, { ...(req.detail ? { detail: req.detail } : {}), ...(req.limit ? { limit: req.limit } : {}), ...(req.server ? { server: req.server } : {}) }), servers: servers() }
        : { tools: service.tools(req.server), servers: servers() };
    case 'resources':
      return { resources: service.resources(req.server), resourceTemplates: service.resourceTemplates(req.server), servers: servers() };
    case 'prompts':
      return { prompts: service.prompts(req.server), servers: servers() };
    case 'read':
      return service.readResource(req.server, req.uri);
    case 'prompt':
      return service.getPrompt(req.server, req.name, req.args);
    default:
      return undefined;
  }
}

/** Sends one request to the running session; undefined when none runs (no socket, or nobody listening). */
export function askSession(socket: string, req: Request): Promise<Reply | undefined> {
  if (!fs.existsSync(socket)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const conn = net.createConnection(socket);
    let buf = '';
    let connected = false;
    conn.on('connect', () => {
      connected = true;
      conn.write(`${JSON.stringify(req)}\n`);
    });
    conn.on('data', (c) => (buf += c.toString()));
    conn.on('end', () => {
      try {
        resolve(JSON.parse(buf) as Reply);
      } catch {
        resolve(undefined);
      }
    });
    conn.on('error', () => {
      // A stale socket from a session that died: remove it.
      if (!connected) fs.rmSync(socket, { force: true });
      resolve(undefined);
    });
  });
}

/** A session reply as the CLI's result or McpError. */
export function sessionResult<T = McpCallResult>(reply: Reply): T {
  if (reply.ok) return reply.result as T;
  throw new McpError(reply.error.kind as McpError['kind'], reply.error.message, reply.error.server, reply.error.tool, 'return-to-caller');
}
