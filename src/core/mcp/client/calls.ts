// Requests to one server with Rusty's rules: lazy start, inactivity timeout reset by progress with
// a hard maximum, cancellation (the SDK sends notifications/cancelled when the signal aborts),
// error classification, and retries with backoff + jitter only when repeating cannot hurt.
import { CallToolResultSchema, ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { McpError, type McpCallOptions, type McpCallResult, type McpToolInfo } from '../types';
import type { ServerConnection } from './connection';
import { classifyError, type Classified } from './errors';
import { checkArguments, finishToolResult, type RawToolResult, type SchemaValidators } from './output';
import { backoffDelay, isRetrySafeTool, sleep, type BackoffOptions } from './retry';

export interface CallSettings {
  defaultTimeoutMs: number;
  defaultMaxTotalTimeoutMs: number;
  retry: BackoffOptions & { maxAttempts: number };
  outputCapBytes: number;
  outputDir: string;
  validators: SchemaValidators;
}

/** Step-up sign-ins for one request before it is given up (the server keeps asking for more). */
const MAX_SIGN_INS_PER_REQUEST = 2;

interface AttemptContext {
  action: string;
  tool?: string;
  /** Whether this request may be repeated after it reached the server. */
  repeatable: () => boolean;
}

/** Runs `send` with timeouts and the retry rules; returns its value and how many attempts it took. */
export async function runRequest<T>(
  conn: ServerConnection,
  settings: CallSettings,
  opts: McpCallOptions,
  ctx: AttemptContext,
  send: (client: Client, requestOptions: RequestOptions) => Promise<T>,
): Promise<{ value: T; attempts: number }> {
  const config = conn.config;
  let timeout = opts.timeoutMs ?? config.timeoutMs ?? settings.defaultTimeoutMs;
  const maxTotal = Math.max(timeout, opts.maxTotalTimeoutMs ?? config.maxTotalTimeoutMs ?? settings.defaultMaxTotalTimeoutMs);
  let attempts = 0;
  let signIns = 0;
  for (;;) {
    attempts++;
    let classified: Classified;
    try {
      return { value: await attempt(conn, opts, ctx, timeout, maxTotal, send), attempts };
    } catch (raw) {
      // Refused for authorization and the browser was opened (step-up): sign in, then send again.
      if (raw instanceof UnauthorizedError && signIns < MAX_SIGN_INS_PER_REQUEST) {
        let signedIn = false;
        try {
          signedIn = await conn.completeSignIn();
        } catch (err) {
          throw withAttempts(err instanceof McpError ? err : new McpError('auth', `Server "${config.name}", ${ctx.action}: sign-in failed: ${(err as Error).message}`, config.name, ctx.tool), attempts);
        }
        if (signedIn) {
          signIns++;
          attempts--;
          continue;
        }
      }
      classified = classifyError(raw, {
        server: config.name,
        tool: ctx.tool,
        action: ctx.action,
        signal: opts.signal,
        stderrTail: () => conn.log.tail(),
        hadSession: config.transport !== 'stdio',
      });
    }

    const { error } = classified;
    const repeatable = (error.kind === 'connection' || error.kind === 'timeout') && ctx.repeatable();
    const retry = attempts < settings.retry.maxAttempts && !opts.signal?.aborted && ((classified.notSent && error.kind === 'connection') || repeatable);
    if (!retry) throw withAttempts(error, attempts);
    if (error.kind === 'timeout') timeout = Math.min(timeout * 2, maxTotal);
    const delay = backoffDelay(attempts, settings.retry);
    conn.log.note(`${ctx.action}: attempt ${attempts} failed (${error.kind}: ${error.message}); retrying in ${delay} ms`);
    if (classified.sessionExpired) {
      try {
        await conn.renewSession();
      } catch {
        // the next attempt reports the connection problem
      }
    }
    await sleep(delay, opts.signal);
  }
}

/** One attempt. Not async: on a connected server the request is sent synchronously. */
function attempt<T>(
  conn: ServerConnection,
  opts: McpCallOptions,
  ctx: AttemptContext,
  timeout: number,
  maxTotal: number,
  send: (client: Client, requestOptions: RequestOptions) => Promise<T>,
): Promise<T> {
  if (opts.signal?.aborted) {
    return Promise.reject(new McpError('cancelled', `Server "${conn.config.name}", ${ctx.action}: cancelled before it was sent.`, conn.config.name, ctx.tool, 'return-to-caller'));
  }
  if (!conn.isConnected()) return conn.ensureConnected().then(() => attempt(conn, opts, ctx, timeout, maxTotal, send));
  const guard = new HardLimit(maxTotal, opts.signal);
  let sent: Promise<T>;
  try {
    sent = send(conn.requireClient(), {
      timeout,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: maxTotal,
      signal: guard.signal,
      onprogress: (p) => {
        guard.progressed();
        conn.touch();
        opts.onProgress?.({ progress: p.progress, total: p.total, message: p.message });
      },
    });
  } catch (err) {
    guard.dispose();
    return Promise.reject(err);
  }
  return sent.then(
    (value) => {
      guard.dispose();
      conn.touch();
      return value;
    },
    (err: unknown) => {
      guard.dispose();
      throw err;
    },
  );
}

/**
 * The hard maximum, enforced by aborting: unlike the SDK's own maxTotalTimeout (checked only when
 * progress arrives) this fires on time and makes the SDK send notifications/cancelled. The timer
 * is armed at the first progress notice only: until a progress reset, the SDK's inactivity timeout
 * (≤ the maximum) already ends the request in time — and most calls then pay for no timer at all.
 * Also forwards the caller's signal (cheaper than AbortSignal.any, and the listener is removed).
 */
class HardLimit {
  private readonly controller = new AbortController();
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly maxTotal: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    if (callerSignal) {
      this.onCallerAbort = () => this.controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  progressed(): void {
    if (this.timer || this.controller.signal.aborted) return;
    const left = Math.max(0, this.maxTotal - (Date.now() - this.started));
    this.timer = setTimeout(() => this.controller.abort(new SdkMcpError(ErrorCode.RequestTimeout, `Maximum total timeout of ${this.maxTotal} ms exceeded`)), left);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.onCallerAbort) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}

export async function callTool(
  conn: ServerConnection,
  settings: CallSettings,
  tool: string,
  args: Record<string, unknown>,
  opts: McpCallOptions,
  checkedSchema?: Record<string, unknown>,
): Promise<McpCallResult> {
  const server = conn.config.name;
  const started = Date.now();
  let outputSchema: Record<string, unknown> | undefined;
  const request = (client: Client, requestOptions: RequestOptions, info: McpToolInfo): Promise<RawToolResult> => {
    if (info.inputSchema !== checkedSchema) checkArguments(args, info.inputSchema, { server, tool, validators: settings.validators });
    outputSchema = info.outputSchema;
    return client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CallToolResultSchema, requestOptions) as Promise<RawToolResult>;
  };
  const { value, attempts } = await runRequest(
    conn,
    settings,
    opts,
    {
      action: `calling tool "${tool}"`,
      tool,
      repeatable: () => isRetrySafeTool(conn.config.trusted, conn.findTool(tool)?.annotations),
    },
    (client, requestOptions) => {
      const info = conn.findTool(tool);
      if (info) return request(client, requestOptions, info);
      // Not in the last listing: list again once (the server may have added it), then give up.
      return conn.refresh('tools').catch(() => undefined).then(() => {
        const found = conn.findTool(tool);
        if (found) return request(client, requestOptions, found);
        const known = conn.tools.map((t) => t.name);
        throw new McpError('unknown-tool', `Server "${server}" has no tool "${tool}". Its tools: ${known.slice(0, 30).join(', ') || '(none)'}${known.length > 30 ? ', …' : ''}.`, server, tool, 'return-to-caller');
      });
    },
  );
  return finishToolResult(value, {
    server,
    tool,
    outputSchema,
    capBytes: settings.outputCapBytes,
    outputDir: settings.outputDir,
    durationMs: Date.now() - started,
    attempts,
    validators: settings.validators,
  });
}

function withAttempts(error: McpError, attempts: number): McpError {
  return new McpError(error.kind, error.message, error.server, error.tool, error.resolution, { ...error.details, attempts });
}
