// Turns whatever the SDK, a transport or a server threw into an McpError with a kind and a
// resolution, and tells whether the request can have reached the server.
import { ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { McpError } from '../types';
import { NotSentError } from './transports/errors';

export interface Classified {
  error: McpError;
  /** The request certainly did not reach the server: retrying repeats nothing. */
  notSent: boolean;
  /** Streamable HTTP answered 404 for our session: start a new session, then resend. */
  sessionExpired: boolean;
}

export interface ClassifyContext {
  server: string;
  tool?: string;
  /** What was being done, for the message: `calling tool "x"`, `reading resource "y"`. */
  action: string;
  /** The caller's own signal: aborted means cancelled, not timed out. */
  signal?: AbortSignal;
  /** The server log's last lines, added to connection errors. */
  stderrTail?: () => string[];
  hadSession?: boolean;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function classifyError(raw: unknown, ctx: ClassifyContext): Classified {
  const { server, tool } = ctx;
  const where = `Server "${server}", ${ctx.action}`;
  const make = (kind: McpError['kind'], message: string, resolution: McpError['resolution'], details?: Record<string, unknown>): McpError =>
    new McpError(kind, message, server, tool, resolution, details);

  if (raw instanceof McpError) return { error: raw, notSent: raw.details?.notSent === true, sessionExpired: false };
  if (raw instanceof UnauthorizedError) {
    return { error: make('auth', `${where}: the server refused our authorization (${raw.message || 'unauthorized'}); sign in again.`, 'escalate'), notSent: false, sessionExpired: false };
  }
  if (ctx.signal?.aborted) {
    return { error: make('cancelled', `${where}: cancelled (the server was sent notifications/cancelled).`, 'return-to-caller'), notSent: false, sessionExpired: false };
  }
  if (raw instanceof NotSentError) {
    return { error: make('connection', `${where}: ${raw.message}`, 'reconnect', { notSent: true }), notSent: true, sessionExpired: raw.reason === 'session-expired' };
  }
  if (raw instanceof StreamableHTTPError) {
    if (raw.code === 404 && ctx.hadSession) {
      return { error: make('connection', `${where}: the server no longer knows our session (HTTP 404); a new session is needed.`, 'reconnect', { status: 404, notSent: true }), notSent: true, sessionExpired: true };
    }
    const kind = raw.code === 401 || raw.code === 403 ? 'config' : 'connection';
    return { error: make(kind, `${where}: ${raw.message}${kind === 'config' ? ' — check the server\'s "headers" (credentials).' : ''}`, kind === 'config' ? 'escalate' : 'reconnect', { status: raw.code }), notSent: false, sessionExpired: false };
  }
  if (raw instanceof SdkMcpError) {
    switch (raw.code) {
      case ErrorCode.RequestTimeout:
        return { error: make('timeout', `${where}: timed out (${raw.message}).`, 'retry-longer', { data: raw.data }), notSent: false, sessionExpired: false };
      case ErrorCode.ConnectionClosed:
        return { error: make('connection', `${where}: the connection closed before the answer came${tailNote(ctx)}.`, 'reconnect'), notSent: false, sessionExpired: false };
      case ErrorCode.InvalidParams:
        return { error: make('invalid-params', `${where}: invalid parameters: ${stripPrefix(raw.message)}`, 'return-to-caller', { code: raw.code, data: raw.data }), notSent: false, sessionExpired: false };
      case ErrorCode.MethodNotFound:
        return { error: make('protocol', `${where}: the server does not support this (${stripPrefix(raw.message)}).`, 'escalate', { code: raw.code }), notSent: false, sessionExpired: false };
      default:
        return { error: make('protocol', `${where}: the server answered with error ${raw.code}: ${stripPrefix(raw.message)}`, 'escalate', { code: raw.code, data: raw.data }), notSent: false, sessionExpired: false };
    }
  }
  const err = raw instanceof Error ? raw : new Error(String(raw));
  const code = errnoCode(err);
  if (code && CONNECT_CODES.has(code)) {
    return { error: make('connection', `${where}: cannot connect (${code}).`, 'reconnect', { notSent: true }), notSent: true, sessionExpired: false };
  }
  if (err.message === 'Not connected') {
    return { error: make('connection', `${where}: not connected.`, 'reconnect', { notSent: true }), notSent: true, sessionExpired: false };
  }
  if (err.name === 'ZodError' || err.constructor.name === 'ZodError') {
    return { error: make('protocol', `${where}: the server's answer does not follow the MCP schema: ${err.message.slice(0, 500)}`, 'escalate'), notSent: false, sessionExpired: false };
  }
  if (code) return { error: make('connection', `${where}: ${err.message}`, 'reconnect'), notSent: false, sessionExpired: false };
  return { error: make('protocol', `${where}: ${err.message}`, 'escalate'), notSent: false, sessionExpired: false };
}

function errnoCode(err: Error): string | undefined {
  const direct = (err as NodeJS.ErrnoException).code;
  if (typeof direct === 'string') return direct;
  const cause = (err as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const c = (cause as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    const nested = (cause as { errors?: unknown[] }).errors?.[0] as { code?: unknown } | undefined;
    if (typeof nested?.code === 'string') return nested.code;
  }
  return undefined;
}

function stripPrefix(message: string): string {
  return message.replace(/^MCP error -?\d+: /, '');
}

function tailNote(ctx: ClassifyContext): string {
  const tail = ctx.stderrTail?.().slice(-3) ?? [];
  return tail.length ? `; last log lines: ${tail.join(' | ')}` : '';
}
