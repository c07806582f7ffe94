// Remote servers: Streamable HTTP first; when the initial POST is answered 400, 404 or 405 the
// server is an old HTTP+SSE one (spec, "Backwards compatibility"), so connect again over SSE.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, type McpServerConfig } from '../../types';
import type { RustyOAuthProvider } from '../../auth/provider';

/** Browser sign-ins per connect (a server that keeps asking after each one is refused). */
const MAX_SIGN_IN_ROUNDS = 3;

export interface RemoteConnection {
  client: Client;
  transport: Transport;
  via: 'http' | 'sse';
}

export function parseServerUrl(config: McpServerConfig): URL {
  if (!config.url) throw new McpError('config', `Server "${config.name}" uses transport "${config.transport}" but has no "url".`, config.name);
  try {
    const url = new URL(config.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url;
  } catch {
    throw new McpError('config', `Server "${config.name}": "url" must be an http:// or https:// URL, got "${config.url}".`, config.name);
  }
}

/** Connects (initialize included); `makeClient` gives a fresh Client per attempt. With `auth`, a 401 runs the OAuth flow. */
export async function connectRemote(
  config: McpServerConfig,
  makeClient: () => Client,
  timeoutMs: number,
  onTransport?: (transport: Transport) => void,
  auth?: RustyOAuthProvider,
): Promise<RemoteConnection> {
  const url = parseServerUrl(config);
  const requestInit: RequestInit = config.headers ? { headers: config.headers } : {};
  for (let round = 0; ; round++) {
    try {
      return await connectOnce(config, url, requestInit, makeClient, timeoutMs, onTransport, auth);
    } catch (error) {
      // The browser was opened: wait for its answer, exchange the code, then connect again.
      const transport = (error as { transport?: Transport }).transport;
      if (!auth?.hasPendingSignIn() || !transport) throw (error as { cause?: unknown }).cause ?? error;
      const code = await auth.takeCode();
      await (transport as StreamableHTTPClientTransport | SSEClientTransport).finishAuth(code);
      if (round + 1 >= MAX_SIGN_IN_ROUNDS) {
        throw new McpError('auth', `Server "${config.name}" still refused after ${MAX_SIGN_IN_ROUNDS} sign-ins; check its "oauth" settings.`, config.name);
      }
    }
  }
}

async function connectOnce(
  config: McpServerConfig,
  url: URL,
  requestInit: RequestInit,
  makeClient: () => Client,
  timeoutMs: number,
  onTransport: ((transport: Transport) => void) | undefined,
  auth: RustyOAuthProvider | undefined,
): Promise<RemoteConnection> {
  if (config.transport === 'sse') return connectSse(url, requestInit, makeClient, timeoutMs, onTransport, auth);
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit,
    ...(auth ? { authProvider: auth } : {}),
    reconnectionOptions: { initialReconnectionDelay: 500, maxReconnectionDelay: 5000, reconnectionDelayGrowFactor: 1.5, maxRetries: 2 },
  });
  const client = makeClient();
  onTransport?.(transport);
  try {
    await client.connect(transport, { timeout: timeoutMs });
    return { client, transport, via: 'http' };
  } catch (error) {
    await client.close().catch(() => undefined);
    if (error instanceof UnauthorizedError) throw Object.assign(new Error('unauthorized'), { transport, cause: error });
    if (error instanceof StreamableHTTPError && (error.code === 400 || error.code === 404 || error.code === 405)) {
      return connectSse(url, requestInit, makeClient, timeoutMs, onTransport, auth);
    }
    throw error;
  }
}

async function connectSse(
  url: URL,
  requestInit: RequestInit,
  makeClient: () => Client,
  timeoutMs: number,
  onTransport?: (transport: Transport) => void,
  auth?: RustyOAuthProvider,
): Promise<RemoteConnection> {
  const transport = new SSEClientTransport(url, { requestInit, ...(auth ? { authProvider: auth } : {}) });
  const client = makeClient();
  onTransport?.(transport);
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (error) {
    await client.close().catch(() => undefined);
    if (error instanceof UnauthorizedError) throw Object.assign(new Error('unauthorized'), { transport, cause: error });
    throw error;
  }
  return { client, transport, via: 'sse' };
}

/** Ends a Streamable HTTP session politely (DELETE); best effort, bounded in time. */
export async function terminateSession(transport: Transport, timeoutMs: number): Promise<void> {
  if (!(transport instanceof StreamableHTTPClientTransport) || !transport.sessionId) return;
  await Promise.race([transport.terminateSession().catch(() => undefined), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
}
