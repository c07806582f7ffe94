// The MCP client's shared vocabulary. Every part of src/core/mcp (config readers, client manager,
// permission gate, tool search) and its front ends (CLI `rusty mcp`, the VS Code tree view) speak
// these types; the @modelcontextprotocol/sdk types stay inside src/core/mcp/client.

// ───────────────────────────── configuration ─────────────────────────────

/** `http` is Streamable HTTP, falling back to the deprecated SSE transport on 400/404/405. */
export type McpTransportKind = 'stdio' | 'http' | 'sse';

export type McpConfigSourceKind =
  | 'rusty-settings'   // rusty.mcp.servers (VS Code settings / .vscode/settings.json)
  | 'vscode-mcp-json'  // .vscode/mcp.json  { servers, inputs }
  | 'claude'           // { mcpServers } (Claude Desktop / Claude Code / .mcp.json)
  | 'cline'            // cline_mcp_settings.json
  | 'roo'              // .roo/mcp.json
  | 'continue'         // .continue/mcpServers/*.yaml|json
  | 'cli-config';      // rusty mcp --config FILE

export interface McpConfigSource {
  kind: McpConfigSourceKind;
  /** Absolute file the entry came from (absent for in-memory settings). */
  file?: string;
}

export interface McpServerConfig {
  /** Unique across all sources; the first source in precedence order wins a clash. */
  name: string;
  transport: McpTransportKind;
  // stdio
  command?: string;
  args?: string[];
  /** Explicit environment added to a minimal inherited one (PATH, HOME, …), after expansion. */
  env?: Record<string, string>;
  cwd?: string;
  // http / sse
  url?: string;
  headers?: Record<string, string>;
  /** The user trusts this server's tool annotations (readOnlyHint, idempotentHint, destructiveHint). */
  trusted?: boolean;
  /** Default per-call timeout (ms); reset by progress notifications up to maxTotalTimeoutMs. */
  timeoutMs?: number;
  maxTotalTimeoutMs?: number;
  disabled?: boolean;
  /** OAuth for a remote server: a pre-registered client, the scopes to ask for, a Client ID Metadata Document URL. */
  oauth?: McpOAuthConfig;
  source: McpConfigSource;
  /** The workspace folder whose configs define it (set in multi-root windows). */
  folder?: string;
}

export interface McpOAuthConfig {
  clientId?: string;
  /** Written as ${input:…} or ${env:…} in the file; expanded here. */
  clientSecret?: string;
  scopes?: string[];
  /** An https URL whose document describes Rusty as a client (used when the server supports it). */
  clientMetadataUrl?: string;
}

/** One invalid entry: reported precisely, never stops the other entries. */
export interface McpConfigError {
  source: McpConfigSource;
  /** Server name when known. */
  server?: string;
  /** JSON path inside the file, e.g. `servers.github.command`. */
  path: string;
  message: string;
}

/** A `.vscode/mcp.json` input: `${input:id}` is asked once and then kept in SecretStorage. */
export interface McpInputSpec {
  id: string;
  type: 'promptString' | 'pickString';
  description?: string;
  password?: boolean;
  default?: string;
  options?: string[];
}

/** Where an input's value is kept in the Secrets port (SecretStorage). */
export function mcpInputSecretKey(id: string): string {
  return `mcp.input.${id}`;
}

export interface LoadedMcpConfig {
  servers: McpServerConfig[];
  errors: McpConfigError[];
  inputs: McpInputSpec[];
}

// ───────────────────────────── servers and discovery ─────────────────────────────

export type McpServerStatus = 'starting' | 'connected' | 'degraded' | 'failed' | 'stopped';

export interface McpServerState {
  name: string;
  status: McpServerStatus;
  transport: McpTransportKind;
  /** Which transport actually connected (`sse` after a Streamable HTTP fallback). */
  connectedVia?: McpTransportKind;
  lastError?: string;
  /** Last lines the server wrote to stderr (stdio), newest last. */
  stderrTail: string[];
  /** File holding this server's full stderr log. */
  logFile?: string;
  restarts: number;
  pid?: number;
  serverInfo?: { name: string; version: string };
  toolCount: number;
  resourceCount: number;
  promptCount: number;
  /** ISO time of the last successful ping or request. */
  lastSeen?: string;
  resourceTemplateCount?: number;
  /** Listings that failed at the last discovery (the server stays usable for the rest). */
  listErrors?: Partial<Record<McpListKind, string>>;
}

export const MCP_LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type McpLogLevel = (typeof MCP_LOG_LEVELS)[number];

export type McpListKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

export interface McpToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface McpToolInfo {
  server: string;
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: McpToolAnnotations;
  /** The protocol's `execution` (e.g. `taskSupport`), as the server sent it. */
  execution?: Record<string, unknown>;
}

export interface McpResourceInfo {
  server: string;
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
}

export interface McpResourceTemplateInfo {
  server: string;
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface McpPromptInfo {
  server: string;
  name: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

export type ToolDetail = 'name' | 'summary' | 'full';

export interface ToolSearchHit {
  server: string;
  name: string;
  /** Higher is better; only comparable within one search. */
  score: number;
  category: string;
  /** `summary` and `full` detail. */
  title?: string;
  description?: string;
  /** `full` detail only. */
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: McpToolAnnotations;
}

// ───────────────────────────── calls ─────────────────────────────

export interface McpProgress { progress: number; total?: number; message?: string }

export interface McpCallOptions {
  /** Inactivity timeout (ms); progress resets it. Default: server's timeoutMs, else 60 s. */
  timeoutMs?: number;
  /** Hard maximum (ms) however much progress arrives. Default: server's, else 10 min. */
  maxTotalTimeoutMs?: number;
  /** Aborting sends the protocol's notifications/cancelled and rejects with kind `cancelled`. */
  signal?: AbortSignal;
  onProgress?: (p: McpProgress) => void;
}

export type McpErrorKind =
  | 'connection'        // transport down, spawn failed, server crashed
  | 'timeout'
  | 'cancelled'
  | 'invalid-params'    // JSON-RPC -32602 or input schema validation
  | 'tool-error'        // result.isError
  | 'output-invalid'    // structuredContent does not match outputSchema
  | 'protocol'          // garbage on the wire, unexpected response
  | 'unknown-server'
  | 'unknown-tool'
  | 'denied'            // permission gate: deny rule, user denied
  | 'ask-refused'       // permission gate: "ask" with no one to ask (non-interactive CLI)
  | 'config'
  | 'auth';            // sign-in needed, cancelled or refused (OAuth)

export type McpResolution = 'reconnect' | 'retry-longer' | 'return-to-caller' | 'escalate';

export class McpError extends Error {
  constructor(
    readonly kind: McpErrorKind,
    message: string,
    readonly server?: string,
    readonly tool?: string,
    readonly resolution: McpResolution = 'escalate',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'McpError';
  }
}

export interface McpCallResult {
  server: string;
  tool: string;
  /** MCP content blocks, possibly with oversized text replaced by a pointer to `savedTo`. */
  content: unknown[];
  structuredContent?: unknown;
  isError: boolean;
  /** Size of the result as received (JSON bytes). */
  bytes: number;
  /** Set when the result exceeded the output cap and was written to this file instead. */
  savedTo?: string;
  durationMs: number;
  attempts: number;
}

// ───────────────────────────── permission gate ─────────────────────────────

export type PolicyDecisionKind = 'allow' | 'ask' | 'deny';

export interface PolicyRule {
  /** Glob over server names (`*`, `github-*`). */
  server: string;
  /** Glob over tool names (`delete_*`). */
  tool: string;
  decision: PolicyDecisionKind;
}

/** `.rusty/policy.json` (extend, never change this shape). */
export interface McpPolicyFile {
  trustedServers?: string[];
  rules?: PolicyRule[];
  /** The AI agent's section (read by loadAiCommandPolicy): commands its run_command tool may run. */
  ai?: { commands?: string[]; commandTimeoutMs?: number };
}

export type GrantScope = 'once' | 'session' | 'timed' | 'always';

export interface McpGrant {
  id: string;
  server: string;
  tool: string;
  scope: GrantScope;
  createdAt: string;
  /** `timed` grants only. */
  expiresAt?: string;
  /** `session` grants only: the process session that owns it. */
  sessionId?: string;
}

export interface GateDecision {
  decision: PolicyDecisionKind;
  /** One sentence for the user and the audit log. */
  reason: string;
  rule?: PolicyRule & { origin: 'workspace' | 'user' };
  grantId?: string;
}

/** What the user chose in the "ask" prompt. `undefined` (dismissed) means deny. */
export type AskAnswer =
  | { kind: 'once' }
  | { kind: 'session' }
  | { kind: 'minutes'; minutes: number }
  | { kind: 'always' }
  | { kind: 'deny' };

export interface AskRequest {
  server: string;
  tool: string;
  args: unknown;
  annotations?: McpToolAnnotations;
  /** Why the gate is asking (no rule, destructive hint, untrusted server…). */
  reason: string;
}

/** The UI's side of "ask". The CLI without a TTY has none: "ask" becomes `ask-refused`. */
export interface McpAskPrompt {
  ask(req: AskRequest): Promise<AskAnswer | undefined>;
}

// ───────────────────────────── the facade front ends use ─────────────────────────────

export interface McpChangeEvent {
  /** Which server changed (status, tools, resources, prompts); absent = everything (reload). */
  server?: string;
}

/**
 * What the CLI and the VS Code extension use (implemented by `McpService` in ./service.ts):
 * configs → client manager → permission gate → audit. Every tool call goes through the gate.
 */
export interface McpServiceApi {
  /** Read all config sources again; starts new servers lazily, stops removed ones. */
  reload(): Promise<LoadedMcpConfig>;
  configErrors(): McpConfigError[];
  servers(): McpServerState[];
  /** Start (or connect) one server, or all enabled ones; resolves when connected or failed. */
  start(server?: string): Promise<void>;
  stop(server: string): Promise<void>;
  restart(server: string): Promise<void>;
  tools(server?: string): McpToolInfo[];
  resources(server?: string): McpResourceInfo[];
  prompts(server?: string): McpPromptInfo[];
  resourceTemplates(server?: string): McpResourceTemplateInfo[];
  searchTools(query: string, opts?: { detail?: ToolDetail; limit?: number; server?: string }): ToolSearchHit[];
  /** Gate → (ask) → call → audit. Rejects with McpError (`denied`, `ask-refused`, …). */
  callTool(server: string, tool: string, args: Record<string, unknown>, opts?: McpCallOptions): Promise<McpCallResult>;
  readResource(server: string, uri: string, opts?: McpCallOptions): Promise<unknown>;
  getPrompt(server: string, name: string, args?: Record<string, string>, opts?: McpCallOptions): Promise<unknown>;
  grants(): McpGrant[];
  revokeGrant(id: string): Promise<boolean>;
  /** Server log (stderr for stdio) — the whole file's text, for "Show log". */
  serverLog(server: string): string;
  onDidChange(listener: (e: McpChangeEvent) => void): { dispose(): void };
  /** Staged shutdown of every server (close stdin → SIGTERM → SIGKILL). */
  dispose(): Promise<void>;
}
