// The gateway's tools called from inside the same process (VS Code's language-model tools): a real
// MCP client and server over the SDK's in-memory transport, so these calls get exactly the same
// validation, scope check, audit and metrics as an agent's.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { AuthenticatedClient } from './clients';
import type { Gateway } from './gateway';
import { connectAudited, createGatewayServer } from './tools';

export interface InProcessGatewayClient {
  /** The tool's JSON result, or its one-line error. */
  call(tool: string, args: Record<string, unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;
  close(): Promise<void>;
}

export async function connectInProcess(gw: Gateway, client: AuthenticatedClient): Promise<InProcessGatewayClient> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createGatewayServer(gw, client);
  await connectAudited(server, serverSide, gw, client);
  const mcp = new Client({ name: `rusty-in-process-${client.name}`, version: gw.version });
  await mcp.connect(clientSide);
  return {
    async call(tool, args) {
      try {
        const r = await mcp.callTool({ name: tool, arguments: args }) as { isError?: boolean; content: { type: string; text?: string }[] };
        const text = r.content.find((c) => c.type === 'text')?.text ?? '';
        if (r.isError) return { ok: false, error: text };
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
    async close() {
      await mcp.close();
      await server.close();
    },
  };
}
