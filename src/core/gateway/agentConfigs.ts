// The MCP configuration each agent needs to reach the gateway ("Rusty: Connect an Agent…" writes or
// shows it). No token is ever written into a file: Claude Code expands ${RUSTY_GATEWAY_TOKEN} from
// the environment, VS Code (Copilot) asks once through a password input and keeps it in its secret
// storage, Cline's settings are global and shown to paste (the token is copied separately).
export const AGENTS = ['claude-code', 'copilot', 'cline', 'other'] as const;
export type AgentKind = (typeof AGENTS)[number];

export const SERVER_NAME = 'rusty';
export const TOKEN_INPUT_ID = 'rusty-gateway-token';

export interface AgentConfig {
  agent: AgentKind;
  /** Workspace-relative file to merge into, or undefined when the config is shown to paste. */
  file?: string;
  /** Key of the servers object in that file. */
  serversKey: 'mcpServers' | 'servers';
  server: Record<string, unknown>;
  inputs?: Record<string, unknown>[];
  /** What the person still has to do, one sentence each. */
  steps: string[];
}

export function agentConfig(agent: AgentKind, url: string, clientName: string): AgentConfig {
  switch (agent) {
    case 'claude-code':
      return {
        agent, file: '.mcp.json', serversKey: 'mcpServers',
        server: { type: 'http', url, headers: { Authorization: 'Bearer ${RUSTY_GATEWAY_TOKEN}' } },
        steps: [`Set RUSTY_GATEWAY_TOKEN to the token of client ${clientName} in the shell that starts Claude Code (the token was copied to the clipboard).`],
      };
    case 'copilot':
      return {
        agent, file: '.vscode/mcp.json', serversKey: 'servers',
        server: { type: 'http', url, headers: { Authorization: `Bearer \${input:${TOKEN_INPUT_ID}}` } },
        inputs: [{ type: 'promptString', id: TOKEN_INPUT_ID, description: `Rusty gateway token (client ${clientName})`, password: true }],
        steps: ['Start the "rusty" server in .vscode/mcp.json and paste the token when VS Code asks (it was copied to the clipboard); VS Code keeps it in its secret storage.'],
      };
    case 'cline':
      return {
        agent, serversKey: 'mcpServers',
        server: { type: 'streamableHttp', url, headers: { Authorization: 'Bearer <paste the token>' }, disabled: false },
        steps: ["Open Cline's MCP settings (cline_mcp_settings.json), add this server and paste the token in place of <paste the token>."],
      };
    case 'other':
      return {
        agent, serversKey: 'mcpServers',
        server: { type: 'http', url, headers: { Authorization: 'Bearer <token>' } },
        steps: [`Any MCP client: Streamable HTTP at ${url} with "Authorization: Bearer <token>"; or stdio: rusty serve --stdio -w <workspace> with RUSTY_GATEWAY_TOKEN set.`],
      };
    default: {
      const never: never = agent;
      return never;
    }
  }
}

/**
 * Merge the server into an existing config file's text (or a new one). Other servers and keys are
 * kept; a file that is not a JSON object is refused rather than overwritten.
 */
export function mergeAgentConfig(existing: string | undefined, cfg: AgentConfig): string {
  let doc: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (err) {
      throw new Error(`${cfg.file ?? 'the config'} is not valid JSON (${(err as Error).message}); fix it first, Rusty does not overwrite it.`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${cfg.file ?? 'the config'} is not a JSON object; Rusty does not overwrite it.`);
    doc = parsed as Record<string, unknown>;
  }
  const servers = (doc[cfg.serversKey] && typeof doc[cfg.serversKey] === 'object' ? doc[cfg.serversKey] : {}) as Record<string, unknown>;
  doc[cfg.serversKey] = { ...servers, [SERVER_NAME]: cfg.server };
  if (cfg.inputs) {
    const inputs = Array.isArray(doc.inputs) ? (doc.inputs as { id?: unknown }[]) : [];
    const ids = new Set(cfg.inputs.map((i) => i.id));
    doc.inputs = [...inputs.filter((i) => !ids.has(i?.id)), ...cfg.inputs];
  }
  return JSON.stringify(doc, null, 2) + '\n';
}
