// Requests to one server with Rusty's rules: lazy start, inactivity timeout reset by progress with
// a hard maximum, cancellation (the SDK sends notifications/cancelled when the signal aborts),
// error classification, and retries with backoff + jitter only when repeating cannot hurt.
import { CallToolResultSchema, ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { McpError, type McpCallOptions, type McpCallResult } from '../types';
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
  for (;;) {
    attempts++;
    let classified: Classified;
    // The hard maximum, enforced by aborting: unlike the SDK's own maxTotalTimeout (checked only
    // when progress arrives) this fires on time and makes the SDK send notifications/cancelled.
    const hard = new AbortController();
    const hardTimer = setTimeout(() => hard.abort(new SdkMcpError(ErrorCode.RequestTimeout, `Maximum total timeout of ${maxTotal} ms exceeded`)), maxTotal);
    const signal = opts.signal ? AbortSignal.any([opts.signal, hard.signal]) : hard.signal;
    try {
      if (opts.signal?.aborted) throw new McpError('cancelled', `Server "${config.name}", ${ctx.action}: cancelled before it was sent.`, config.name, ctx.tool, 'return-to-caller');
      await conn.ensureConnected();
      const value = await send(conn.requireClient(), {
        timeout,
        resetTimeoutOnProgress: true,
        maxTotalTimeout: maxTotal,
        signal,
        onprogress: (p) => {
          conn.touch();
          opts.onProgress?.({ progress: p.progress, total: p.total, message: p.message });
        },
      });
      conn.touch();
      return { value, attempts };
    } catch (raw) {
      classified = classifyError(raw, {
        server: config.name,
        tool: ctx.tool,
        action: ctx.action,
        signal: opts.signal,
        stderrTail: () => conn.log.tail(),
        hadSession: config.transport !== 'stdio',
      });
    } finally {
      clearTimeout(hardTimer);
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

export async function callTool(
  conn: ServerConnection,
  settings: CallSettings,
  tool: string,
  args: Record<string, unknown>,
  opts: McpCallOptions,
): Promise<McpCallResult> {
  const server = conn.config.name;
  const started = Date.now();
  let outputSchema: Record<string, unknown> | undefined;
  const { value, attempts } = await runRequest(
    conn,
    settings,
    opts,
    {
      action: `calling tool "${tool}"`,
      tool,
      repeatable: () => isRetrySafeTool(conn.config.trusted, conn.findTool(tool)?.annotations),
    },
    async (client, requestOptions) => {
      let info = conn.findTool(tool);
      if (!info) {
        await conn.refresh('tools').catch(() => undefined);
        info = conn.findTool(tool);
      }
      if (!info) {
        const known = conn.tools.map((t) => t.name);
        throw new McpError('unknown-tool', `Server "${server}" has no tool "${tool}". Its tools: ${known.slice(0, 30).join(', ') || '(none)'}${known.length > 30 ? ', …' : ''}.`, server, tool, 'return-to-caller');
      }
      checkArguments(args, info.inputSchema, { server, tool, validators: settings.validators });
      outputSchema = info.outputSchema;
      return (await client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CallToolResultSchema, requestOptions)) as RawToolResult;
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
