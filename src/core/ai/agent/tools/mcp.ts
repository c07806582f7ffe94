// MCP tools for the agent: listed from the service and called through McpService.callTool, which
// runs the permission gate (ask in VS Code; refused without a terminal unless a rule allows) and
// audits every call. Exposed to the model as `mcp__<server>__<tool>`.
import type { McpCallResult, McpToolInfo } from '../../../mcp/types';
import type { ToolSpec } from '../../types';
import { capOutput, ToolError } from './types';

/** The part of McpServiceApi the agent needs. */
export interface McpToolBridge {
  tools(): McpToolInfo[];
  callTool(server: string, tool: string, args: Record<string, unknown>, opts?: { signal?: AbortSignal }): Promise<McpCallResult>;
}

const PREFIX = 'mcp__';
const MAX_MCP_TOOLS = 40;

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

export interface McpToolTable {
  specs: ToolSpec[];
  /** server/tool behind an exposed name. */
  resolve(name: string): { server: string; tool: string } | undefined;
}

export function mcpToolTable(bridge: McpToolBridge): McpToolTable {
  const map = new Map<string, { server: string; tool: string }>();
  const specs: ToolSpec[] = [];
  for (const t of bridge.tools().slice(0, MAX_MCP_TOOLS)) {
    const name = `${PREFIX}${safeName(t.server)}__${safeName(t.name)}`.slice(0, 64);
    if (map.has(name)) continue;
    map.set(name, { server: t.server, tool: t.name });
    specs.push({ name, description: `[MCP ${t.server}] ${t.title ?? ''} ${t.description ?? ''}`.trim().slice(0, 1000), inputSchema: t.inputSchema ?? { type: 'object' } });
  }
  return { specs, resolve: (name) => map.get(name) };
}

export function mcpResultText(r: McpCallResult): string {
  const parts: string[] = [];
  for (const block of r.content) {
    const b = block as { type?: string; text?: string };
    parts.push(b.type === 'text' && typeof b.text === 'string' ? b.text : JSON.stringify(block));
  }
  if (!parts.length && r.structuredContent !== undefined) parts.push(JSON.stringify(r.structuredContent));
  return capOutput(`${r.isError ? '(the tool reported an error)\n' : ''}${parts.join('\n') || '(empty result)'}`);
}

export async function callMcpTool(bridge: McpToolBridge, target: { server: string; tool: string }, args: Record<string, unknown>, signal: AbortSignal | undefined): Promise<string> {
  try {
    return mcpResultText(await bridge.callTool(target.server, target.tool, args, signal ? { signal } : {}));
  } catch (err) {
    throw new ToolError(`MCP ${target.server}/${target.tool}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
