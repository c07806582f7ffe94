// The client side of every configured MCP server: lifecycle, discovery results and raw calls.
// No permission gate here — McpService puts the gate and the audit log in front of callTool.
import { GetPromptResultSchema, ReadResourceResultSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  McpError,
  type McpCallOptions,
  type McpCallResult,
  type McpChangeEvent,
  type McpPromptInfo,
  type McpResourceInfo,
  type McpResourceTemplateInfo,
  type McpLogLevel,
  type McpServerConfig,
  type McpServerState,
  type McpToolInfo,
} from '../types';
import { ServerConnection, type ConnectionSettings, type SamplingHandler } from './connection';
import { callTool, runRequest, type CallSettings } from './calls';
import { SchemaValidators } from './output';
import type { BackoffOptions } from './retry';

export interface McpClientManagerOptions {
  /** Answers servers' sampling requests; given only when a model provider is configured. */
  sampling?: SamplingHandler;
  /** OAuth for remote servers: a provider per connection. */
  oauth?: ConnectionSettings['oauth'];
  elicitation?: ConnectionSettings['elicitation'];
  roots?: ConnectionSettings['roots'];
  /** Per-server logs: <logDir>/<server>.log */
  logDir: string;
  /** Oversized results are saved here. */
  outputDir: string;
  /** Default 1 MiB. */
  outputCapBytes?: number;
  /** Default 30 s; 0 disables pinging. */
  pingIntervalMs?: number;
  clientInfo?: { name: string; version: string };
  // ── tuning (defaults in brackets) ──
  /** A ping fails after this long [10 s]. */
  pingTimeoutMs?: number;
  /** Failed pings in a row before a `degraded` server is restarted [3]. */
  pingFailuresBeforeRestart?: number;
  /** Spawn/connect + initialize [30 s]. */
  startTimeoutMs?: number;
  /** Per-call inactivity timeout when neither call nor server config sets one [60 s]. */
  defaultTimeoutMs?: number;
  /** Hard maximum per call, progress or not [10 min]. */
  defaultMaxTotalTimeoutMs?: number;
  /** Call retries (only when safe) [3 attempts, 250 ms base, 5 s cap]. */
  retry?: Partial<BackoffOptions & { maxAttempts: number }>;
  /** Automatic restarts of a crashed server [500 ms base, 30 s cap, 5 in a row]. */
  restart?: Partial<BackoffOptions & { maxAttempts: number }>;
  /** Staged shutdown delays [1 s after closing stdin, 1 s after SIGTERM]. */
  shutdown?: { stdinGraceMs?: number; termGraceMs?: number };
  /** Longer stdout messages are streamed to a file instead of memory [16 MiB]. */
  maxInMemoryMessageBytes?: number;
  /** Coalesces bursts of list_changed notifications [100 ms]. */
  listChangedDebounceMs?: number;
  /** Lines of stderr kept for the status view [50]. */
  stderrTailLines?: number;
}

const NO_OPTIONS: McpCallOptions = Object.freeze({});

export class McpClientManager {
  private readonly connections = new Map<string, ServerConnection>();
  private readonly listeners = new Set<(e: McpChangeEvent) => void>();
  private readonly settings: ConnectionSettings;
  private readonly callSettings: CallSettings;

  constructor(opts: McpClientManagerOptions) {
    this.settings = {
      logDir: opts.logDir,
      outputDir: opts.outputDir,
      clientInfo: opts.clientInfo ?? { name: 'rusty', version: '0.1.0' },
      pingIntervalMs: opts.pingIntervalMs ?? 30_000,
      pingTimeoutMs: opts.pingTimeoutMs ?? 10_000,
      pingFailuresBeforeRestart: opts.pingFailuresBeforeRestart ?? 3,
      startTimeoutMs: opts.startTimeoutMs ?? 30_000,
      listTimeoutMs: opts.startTimeoutMs ?? 30_000,
      restartBackoff: { baseDelayMs: opts.restart?.baseDelayMs ?? 500, maxDelayMs: opts.restart?.maxDelayMs ?? 30_000 },
      maxRestartAttempts: opts.restart?.maxAttempts ?? 5,
      shutdown: { stdinGraceMs: opts.shutdown?.stdinGraceMs ?? 1000, termGraceMs: opts.shutdown?.termGraceMs ?? 1000 },
      maxInMemoryMessageBytes: opts.maxInMemoryMessageBytes ?? 16 * 1024 * 1024,
      listChangedDebounceMs: opts.listChangedDebounceMs ?? 100,
      stderrTailLines: opts.stderrTailLines ?? 50,
      ...(opts.sampling ? { sampling: opts.sampling } : {}),
      ...(opts.oauth ? { oauth: opts.oauth } : {}),
      ...(opts.elicitation ? { elicitation: opts.elicitation } : {}),
      ...(opts.roots ? { roots: opts.roots } : {}),
    };
    this.callSettings = {
      defaultTimeoutMs: opts.defaultTimeoutMs ?? 60_000,
      defaultMaxTotalTimeoutMs: opts.defaultMaxTotalTimeoutMs ?? 10 * 60_000,
      retry: {
        maxAttempts: opts.retry?.maxAttempts ?? 3,
        baseDelayMs: opts.retry?.baseDelayMs ?? 250,
        maxDelayMs: opts.retry?.maxDelayMs ?? 5000,
      },
      outputCapBytes: opts.outputCapBytes ?? 1024 * 1024,
      outputDir: opts.outputDir,
      validators: new SchemaValidators(),
    };
  }

  /** Replaces the configured servers; removed or changed ones are stopped (changed ones restart lazily). */
  setServers(configs: McpServerConfig[]): void {
    const next = new Map(configs.map((c) => [c.name, c]));
    for (const [name, conn] of this.connections) {
      const config = next.get(name);
      if (!config || !sameConfig(config, conn.config)) {
        this.connections.delete(name);
        void conn.stop();
      }
    }
    for (const config of configs) {
      if (!this.connections.has(config.name)) {
        this.connections.set(config.name, new ServerConnection(config, this.settings, () => this.emit({ server: config.name })));
      }
    }
    this.emit({});
  }

  // async: an unknown server name rejects rather than throws.
  async start(name: string): Promise<void> {
    return this.connection(name).start();
  }

  async stop(name: string): Promise<void> {
    return this.connection(name).stop();
  }

  async restart(name: string): Promise<void> {
    return this.connection(name).restart();
  }

  state(name: string): McpServerState | undefined {
    return this.connections.get(name)?.state();
  }

  states(): McpServerState[] {
    return [...this.connections.values()].map((c) => c.state());
  }

  tools(server?: string): McpToolInfo[] {
    return this.pick(server).flatMap((c) => c.tools);
  }

  resources(server?: string): McpResourceInfo[] {
    return this.pick(server).flatMap((c) => c.resources);
  }

  prompts(server?: string): McpPromptInfo[] {
    return this.pick(server).flatMap((c) => c.prompts);
  }

  resourceTemplates(server?: string): McpResourceTemplateInfo[] {
    return this.pick(server).flatMap((c) => c.resourceTemplates);
  }

  // Not async (one promise layer less on the hot path); an unknown server still rejects.
  // `checkedSchema`: the input schema the caller already validated `args` against (McpService
  // does); when it is the tool's current one, the arguments are not validated a second time.
  callTool(server: string, tool: string, args: Record<string, unknown>, opts: McpCallOptions = NO_OPTIONS, checkedSchema?: Record<string, unknown>): Promise<McpCallResult> {
    try {
      return callTool(this.connection(server), this.callSettings, tool, args ?? {}, opts, checkedSchema);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** resources/read is a read by definition, so a failed attempt may be repeated. */
  async readResource(server: string, uri: string, opts: McpCallOptions = {}): Promise<unknown> {
    const { value } = await runRequest(this.connection(server), this.callSettings, opts, { action: `reading resource "${uri}"`, repeatable: () => true }, (client, o) =>
      client.request({ method: 'resources/read', params: { uri } }, ReadResourceResultSchema, o),
    );
    return value;
  }

  async getPrompt(server: string, name: string, args?: Record<string, string>, opts: McpCallOptions = {}): Promise<unknown> {
    const { value } = await runRequest(this.connection(server), this.callSettings, opts, { action: `getting prompt "${name}"`, repeatable: () => true }, (client, o) =>
      client.request({ method: 'prompts/get', params: { name, arguments: args } }, GetPromptResultSchema, o),
    );
    return value;
  }

  async setLogLevel(server: string, level: McpLogLevel): Promise<void> {
    const conn = this.connection(server);
    await conn.ensureConnected();
    await conn.setLogLevel(level);
  }

  /** Sends notifications/roots/list_changed to every connected server. */
  async rootsChanged(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.rootsChanged()));
  }

  /** The server's whole log file (stderr and Rusty's notes). */
  logText(server: string): string {
    return this.connection(server).log.text();
  }

  onDidChange(listener: (e: McpChangeEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Staged shutdown of every server. Children still alive when the process exits are killed by processCleanup. */
  async dispose(): Promise<void> {
    const all = [...this.connections.values()];
    await Promise.all(all.map((c) => c.stop()));
  }

  private connection(name: string): ServerConnection {
    const conn = this.connections.get(name);
    if (!conn) {
      const known = [...this.connections.keys()];
      throw new McpError('unknown-server', `No MCP server named "${name}". Configured: ${known.join(', ') || '(none)'}.`, name, undefined, 'return-to-caller');
    }
    return conn;
  }

  private pick(server?: string): ServerConnection[] {
    return server === undefined ? [...this.connections.values()] : [this.connection(server)];
  }

  private emit(event: McpChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a broken listener must not break the client
      }
    }
  }
}

function sameConfig(a: McpServerConfig, b: McpServerConfig): boolean {
  const strip = ({ source: _source, ...rest }: McpServerConfig): Omit<McpServerConfig, 'source'> => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
