// MCP failures in words a person can act on, with the buttons that help: a denied call points at
// the policy and the grants, a dead server at Restart and its log, bad arguments back to the input
// (kept), a timeout at Retry. Pure (no vscode), so each kind's wording is unit-tested in Node.
import type { McpErrorKind } from '../../core/mcp/types';

export type McpErrorAction = 'Edit Arguments' | 'Retry' | 'Restart Server' | 'Show Log' | 'Open Policy' | 'Show Grants' | 'Open Config';

export interface McpUserError {
  kind: McpErrorKind | 'internal' | string;
  /** Info for a cancel, error otherwise. */
  level: 'info' | 'error';
  message: string;
  actions: McpErrorAction[];
}

/**
 * Duck-typed on purpose: dist/mcp.js has its own copy of the McpError class, so `instanceof`
 * in the activation bundle would miss errors thrown there.
 */
export function isMcpErrorLike(err: unknown): err is Error & { kind: McpErrorKind; server?: string; tool?: string } {
  return err instanceof Error && err.name === 'McpError' && typeof (err as { kind?: unknown }).kind === 'string';
}

export function describeMcpError(err: unknown, ctx: { server?: string; tool?: string; interactive?: boolean } = {}): McpUserError {
  if (isMcpErrorLike(err)) {
    const server = err.server ?? ctx.server;
    const edit: McpErrorAction[] = ctx.interactive ? ['Edit Arguments'] : [];
    switch (err.kind) {
      case 'cancelled':
        return { kind: err.kind, level: 'info', message: `Cancelled: ${err.message}`, actions: [] };
      case 'denied':
        return { kind: err.kind, level: 'error', message: err.message, actions: ['Open Policy', 'Show Grants'] };
      case 'ask-refused':
        return { kind: err.kind, level: 'error', message: err.message, actions: ['Open Policy'] };
      case 'invalid-params':
        return { kind: err.kind, level: 'error', message: `${err.message}${ctx.interactive ? ' Your input is kept: choose "Edit Arguments" to fix it.' : ''}`, actions: edit };
      case 'unknown-tool':
        return { kind: err.kind, level: 'error', message: err.message, actions: [] };
      case 'timeout':
        return { kind: err.kind, level: 'error', message: `${err.message} The server may still be working; retry, or raise "timeoutMs" for ${server ?? 'the server'} in its config.`, actions: ['Retry', ...(server ? (['Show Log'] as const) : [])] };
      case 'connection':
      case 'protocol':
        return { kind: err.kind, level: 'error', message: err.message, actions: server ? ['Restart Server', 'Show Log'] : [] };
      case 'config':
      case 'unknown-server':
        return { kind: err.kind, level: 'error', message: err.message, actions: ['Open Config'] };
      case 'tool-error':
      case 'output-invalid':
        return { kind: err.kind, level: 'error', message: err.message, actions: [...edit, ...(server ? (['Show Log'] as const) : [])] };
      default:
        return { kind: err.kind, level: 'error', message: err.message, actions: server ? ['Show Log'] : [] };
    }
  }
  if (err instanceof Error && err.name === 'RustyError') return { kind: String((err as { code?: unknown }).code ?? 'error'), level: 'error', message: err.message, actions: [] };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', level: 'error', message: `Rusty hit an unexpected error with MCP: ${message}. Details are in the "Rusty" output channel.`, actions: [] };
}
