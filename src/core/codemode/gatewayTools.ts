// Code mode in the agent gateway: `execute_code` (propose scope) runs an agent's script in the
// sandbox, its writes queued as ONE submission of the client (source and actor `agent:<client>`,
// the same path as submit_change_set; nothing applied); `search_tools` and `get_tool_docs`
// (read-only) search the workspace's MCP servers, started on first use and shared by all clients.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Gateway, GatewayToolProvider } from '../gateway/gateway';
import type { AuthenticatedClient } from '../gateway/clients';
import { describeTicket } from '../gateway/tools';
import { createEngineContext } from '../engine/context';
import { RustyError } from '../util/errors';
import { SANDBOX_API_DTS } from './api';
import { MemoryScratchStore } from './state';
import { runCode, type CodeModeMcp } from './sandbox/runner';
import type { SandboxLimits } from './sandbox/protocol';

/** An MCP service the provider can start and dispose (McpService). */
export interface GatewayMcp extends CodeModeMcp {
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export interface CodeModeGatewayOptions {
  /** Creates the workspace's MCP service; called once, on the first call that needs tools. Without it scripts have no MCP tools. */
  openMcp?: () => Promise<GatewayMcp>;
  limits?: Partial<SandboxLimits>;
}

/** Scripts that use MCP tools (the service is started before they run). */
const USES_MCP = /\b(?:callTool|search_tools|get_tool_docs|list_categories)\b/;

export interface CodeModeGatewayTools {
  provider: GatewayToolProvider;
  /** Stops the MCP servers started for the gateway. */
  dispose(): Promise<void>;
}

export function codeModeGatewayTools(opts: CodeModeGatewayOptions = {}): CodeModeGatewayTools {
  let mcp: Promise<GatewayMcp> | undefined;
  const service = async (): Promise<GatewayMcp> => {
    if (!opts.openMcp) throw new RustyError('usage', 'No MCP servers are available to the gateway; configure them in .vscode/mcp.json or rusty.mcp.servers.');
    mcp ??= opts.openMcp().then(async (s) => {
      await s.start();
      return s;
    }).catch((err: unknown) => {
      mcp = undefined;
      throw err;
    });
    return mcp;
  };
  // One scratch store per client for the life of the gateway.
  const scratch = new Map<string, MemoryScratchStore>();

  const provider: GatewayToolProvider = (server, { gateway, client }) => {
    const tool = <S extends z.ZodObject>(name: string, description: string, needs: 'read-only' | 'propose', schema: S, fn: (args: z.infer<S>, signal: AbortSignal) => Promise<unknown>, audit?: (r: unknown) => Record<string, unknown>) => {
      (server as McpServer).registerTool(name, {
        description, inputSchema: schema,
        annotations: { readOnlyHint: needs === 'read-only', destructiveHint: false, openWorldHint: needs === 'propose' },
      }, (async (args: z.infer<S>, extra: { signal: AbortSignal }) => {
        const r = await gateway.call(client, name, needs, () => fn(args, extra.signal), audit);
        return r.ok ? text(r.value) : { isError: true, content: [{ type: 'text', text: `${r.code}: ${r.message}` }] };
      }) as never);
    };

    tool('execute_code', `Run a TypeScript script in Rusty's sandbox (QuickJS: no fs, network or process). It reads the workspace, calls the workspace's MCP tools, and what it writes becomes ONE proposal a person reviews (nothing is written before). Returns what it printed, its error, and the proposal. The script's globals:\n${SANDBOX_API_DTS}`, 'propose', z.object({
      code: z.string().min(1).max(200_000).describe('TypeScript; top-level await allowed; print results with console.log'),
      title: z.string().min(1).max(200).optional().describe('title of the proposal its writes become'),
      rationale: z.string().max(20_000).optional(),
      timeoutSeconds: z.number().min(1).max(120).optional().describe('wall-clock limit (default 30)'),
      wait: z.number().min(0).max(3600).optional().describe('seconds to wait for the proposal to be queued (default 30)'),
    }).strict(), (a, signal) => executeCode(gateway, client, a, signal), (r) => {
      const v = r as { ok: boolean; proposalId?: string; ticket?: string };
      return { ok: v.ok, ...(v.proposalId ? { proposalId: v.proposalId } : {}), ...(v.ticket ? { ticket: v.ticket } : {}) };
    });

    tool('search_tools', "Search the tools of the workspace's MCP servers (started on first use); execute_code scripts call them with callTool(server, tool, args).", 'read-only', z.object({
      query: z.string().min(1).max(500),
      detail: z.enum(['name', 'summary', 'full']).optional().describe('full includes the input schemas (default summary)'),
      server: z.string().min(1).max(200).optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }).strict(), async (a) => {
      const s = await service();
      return { hits: s.searchTools(a.query, { detail: a.detail ?? 'summary', limit: a.limit ?? 10, ...(a.server ? { server: a.server } : {}) }) };
    });

    tool('get_tool_docs', "One MCP tool's full description and input/output schemas.", 'read-only', z.object({
      server: z.string().min(1).max(200), tool: z.string().min(1).max(200),
    }).strict(), async (a) => {
      const t = (await service()).tools(a.server).find((x) => x.name === a.tool);
      if (!t) throw new RustyError('not-found', `No tool ${JSON.stringify(a.tool)} on server ${JSON.stringify(a.server)}; find tools with search_tools.`);
      return t;
    });
  };

  const executeCode = async (gw: Gateway, client: AuthenticatedClient, a: { code: string; title?: string; rationale?: string; timeoutSeconds?: number; wait?: number }, signal: AbortSignal) => {
    const mcpService = USES_MCP.test(a.code) && opts.openMcp ? await service() : undefined;
    let store = scratch.get(client.name);
    if (!store) scratch.set(client.name, store = new MemoryScratchStore());
    let queued: Record<string, unknown> | undefined;
    const run = await runCode(a.code, {
      ctx: createEngineContext(gw.core.wfs, { signal }),
      ...(mcpService ? { mcp: mcpService } : {}),
      state: store,
      limits: { ...opts.limits, ...(a.timeoutSeconds ? { timeoutMs: Math.round(a.timeoutSeconds * 1000) } : {}) },
      fileName: 'execute_code.ts',
      proposal: { title: a.title ?? `Changes from a script by ${client.name}`, source: `agent:${client.name}`, ...(a.rationale ? { rationale: a.rationale } : {}) },
      // The gateway's own submission path: queued as the client, processed by core.submit.
      submit: async (cs) => {
        const { ticket } = await gw.queue.enqueue({ client: client.name, priority: cs.priority ?? 'normal', kind: 'change-set', title: cs.title, payload: { changeSet: cs } });
        const state = await gw.queue.waitFor(ticket, (a.wait ?? 30) * 1000, signal);
        if (state?.state === 'dead-letter') throw new RustyError('refused', `${state.code}: ${state.reason}`);
        queued = describeTicket(gw, state, false);
        return state?.state === 'proposed' ? { id: state.proposalId, existing: state.existing } : { id: ticket };
      },
      signal,
    });
    return {
      ok: run.ok,
      output: run.output,
      ...(run.error ? { error: `${run.error.kind}: ${run.error.message}` } : {}),
      ...(run.proposal ? { files: run.proposal.files, ...queued } : { proposal: run.ok ? 'the script wrote nothing; nothing was proposed' : 'the script failed; nothing was proposed' }),
      toolCalls: run.toolCalls.map((t) => ({ server: t.server, tool: t.tool, ok: t.ok, cached: t.cached })),
      durationMs: Math.round(run.durationMs),
    };
  };

  return {
    provider,
    async dispose() {
      const s = await mcp?.catch(() => undefined);
      mcp = undefined;
      await s?.dispose();
    },
  };
}

function text(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}
