// One configured server: its SDK Client and transport, discovery (all pages, refreshed on
// list_changed), status (starting → connected → degraded / failed / stopped), periodic ping,
// automatic restart with backoff, and staged shutdown.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ListRootsRequestSchema,
  ErrorCode,
  McpError as SdkMcpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import {
  McpError,
  type McpPromptInfo,
  type McpListKind,
  type McpLogLevel,
  type McpResourceInfo,
  type McpResourceTemplateInfo,
  type McpServerConfig,
  type McpServerState,
  type McpServerStatus,
  type McpToolInfo,
  type McpTransportKind,
} from '../types';
import { listPrompts, listResourceTemplates, listResources, listTools } from './discovery';
import { backoffDelay, type BackoffOptions } from './retry';
import { ServerLog } from './serverLog';
import { createSchemaValidator } from './schemaCheck';
import { StdioTransport, type StdioShutdownDelays } from './transports/stdio';
import { connectRemote, terminateSession } from './transports/http';
import type { RustyOAuthProvider } from '../auth/provider';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationHandler } from '../elicitation';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * Answers a server's `sampling/createMessage` (approval, model, audit: McpService). Given only
 * when a model provider is configured; without it the capability is not declared.
 */
export type SamplingHandler = (server: string, params: CreateMessageRequest['params'], signal: AbortSignal) => Promise<CreateMessageResult>;

export interface ConnectionSettings {
  sampling?: SamplingHandler;
  /** Answers `elicitation/create` (form mode); declared only when given. */
  elicitation?: ElicitationHandler;
  /** The workspace folders as roots (declared only when given); `onRootsChanged` tells servers. */
  roots?: () => { uri: string; name?: string }[];
  /** OAuth for remote servers: a provider per connection (none = no authorization support). */
  oauth?: (config: McpServerConfig) => RustyOAuthProvider;
  logDir: string;
  outputDir: string;
  clientInfo: { name: string; version: string };
  /** 0 disables pinging. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Consecutive failed pings that turn `degraded` into `failed` + restart. */
  pingFailuresBeforeRestart: number;
  /** Spawn/connect + initialize. */
  startTimeoutMs: number;
  /** tools/list, resources/list, prompts/list. */
  listTimeoutMs: number;
  restartBackoff: BackoffOptions;
  /** Automatic restarts in a row before giving up (a later call or start() tries again). */
  maxRestartAttempts: number;
  shutdown: StdioShutdownDelays;
  maxInMemoryMessageBytes: number;
  listChangedDebounceMs: number;
  stderrTailLines: number;
}

type ListKind = McpListKind;

export class ServerConnection {
  status: McpServerStatus = 'stopped';
  tools: McpToolInfo[] = [];
  resources: McpResourceInfo[] = [];
  prompts: McpPromptInfo[] = [];
  resourceTemplates: McpResourceTemplateInfo[] = [];
  /** Listings that failed at the last discovery or refresh, by kind. */
  readonly listErrors = new Map<ListKind, string>();
  readonly log: ServerLog;

  private client: Client | undefined;
  private transport: Transport | undefined;
  private connecting: Promise<void> | undefined;
  /** Bumped whenever we drop a connection on purpose, so its late close events are ignored. */
  private generation = 0;
  /** The user (or a call) wants this server running: unexpected exits are restarted. */
  private wanted = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private pingFailures = 0;
  private pingInFlight = false;
  private readonly refreshTimers = new Map<ListKind, NodeJS.Timeout>();
  private restarts = 0;
  private lastError: string | undefined;
  /** Date.now() of the last sign of life; formatted only when state() is read (touch is on every call). */
  private lastSeen: number | undefined;
  private toolsByName: Map<string, McpToolInfo> | undefined;
  private toolsIndexed: McpToolInfo[] | undefined;
  private connectedVia: McpTransportKind | undefined;
  private serverInfo: { name: string; version: string } | undefined;
  private garbageSample: string | undefined;
  private auth: RustyOAuthProvider | undefined;

  constructor(
    readonly config: McpServerConfig,
    private readonly settings: ConnectionSettings,
    private readonly changed: () => void,
  ) {
    const safeName = config.name.replace(/[^A-Za-z0-9._-]/g, '_');
    this.log = new ServerLog(path.join(settings.logDir, `${safeName}.log`), settings.stderrTailLines);
  }

  state(): McpServerState {
    const state: McpServerState = {
      name: this.config.name,
      status: this.status,
      transport: this.config.transport,
      stderrTail: this.log.tail(),
      logFile: this.log.file,
      restarts: this.restarts,
      toolCount: this.tools.length,
      resourceCount: this.resources.length,
      promptCount: this.prompts.length,
    };
    if (this.connectedVia) state.connectedVia = this.connectedVia;
    if (this.lastError) state.lastError = this.lastError;
    const pid = this.transport instanceof StdioTransport ? this.transport.pid : undefined;
    if (pid !== undefined && this.status !== 'stopped') state.pid = pid;
    if (this.serverInfo) state.serverInfo = this.serverInfo;
    if (this.lastSeen !== undefined) state.lastSeen = new Date(this.lastSeen).toISOString();
    if (this.resourceTemplates.length) state.resourceTemplateCount = this.resourceTemplates.length;
    if (this.listErrors.size) state.listErrors = Object.fromEntries(this.listErrors);
    return state;
  }

  /** The connected client, or a `connection` error. */
  requireClient(): Client {
    if (!this.client || (this.status !== 'connected' && this.status !== 'degraded')) {
      throw new McpError('connection', `Server "${this.config.name}" is not connected (${this.status}).`, this.config.name, undefined, 'reconnect', { notSent: true });
    }
    return this.client;
  }

  isConnected(): boolean {
    return this.client !== undefined && (this.status === 'connected' || this.status === 'degraded');
  }

  ensureConnected(): Promise<void> {
    if (this.isConnected()) return Promise.resolve();
    return this.start();
  }

  start(): Promise<void> {
    this.wanted = true;
    if (this.connecting) return this.connecting;
    if (this.client && (this.status === 'connected' || this.status === 'degraded')) return Promise.resolve();
    this.clearRestartTimer();
    this.connecting = this.connectOnce().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.generation++;
    this.clearTimers();
    const { client, transport } = this;
    this.client = undefined;
    this.transport = undefined;
    const wasRunning = this.status !== 'stopped';
    this.status = 'stopped';
    if (wasRunning) this.changed();
    this.auth?.close();
    this.auth = undefined;
    await closeQuietly(client, transport);
  }

  async restart(): Promise<void> {
    await this.stop();
    this.restartAttempt = 0;
    await this.start();
  }

  /** Streamable HTTP lost our session (404): a fresh connection with a new initialize. */
  async renewSession(): Promise<void> {
    this.log.note('the server no longer knows our session (HTTP 404): initializing a new session');
    await this.dropConnection();
    await this.start();
  }

  /** By name, through a map rebuilt whenever `tools` is replaced (servers may list 1,000+ tools). */
  findTool(name: string): McpToolInfo | undefined {
    if (this.toolsIndexed !== this.tools) {
      this.toolsByName = new Map();
      for (const t of this.tools) if (!this.toolsByName.has(t.name)) this.toolsByName.set(t.name, t);
      this.toolsIndexed = this.tools;
    }
    return this.toolsByName!.get(name);
  }

  async refresh(kind: ListKind): Promise<void> {
    const client = this.client;
    if (!client) return;
    const opts = { timeout: this.settings.listTimeoutMs };
    const name = this.config.name;
    try {
      if (kind === 'tools') this.tools = await listTools(client, name, opts);
      else if (kind === 'resources') this.resources = await listResources(client, name, opts);
      else if (kind === 'resourceTemplates') this.resourceTemplates = await listResourceTemplates(client, name, opts);
      else this.prompts = await listPrompts(client, name, opts);
    } catch (error) {
      this.listErrors.set(kind, errorText(error));
      throw error;
    }
    this.listErrors.delete(kind);
    this.touch();
    this.changed();
  }

  /**
   * After a request was refused for authorization (401, or 403 insufficient_scope: step-up) and the
   * browser was opened: waits for the answer and exchanges the code. False when no sign-in is pending.
   */
  async completeSignIn(): Promise<boolean> {
    const auth = this.auth;
    if (!auth?.hasPendingSignIn()) return false;
    const code = await auth.takeCode();
    await (this.transport as StreamableHTTPClientTransport | undefined)?.finishAuth(code);
    this.log.note('signed in');
    return true;
  }

  /** logging/setLevel: which messages the server sends into its log. */
  async setLogLevel(level: McpLogLevel): Promise<void> {
    const client = this.requireClient();
    if (!client.getServerCapabilities()?.logging) {
      throw new McpError('protocol', `Server "${this.config.name}" does not offer logging (no "logging" capability).`, this.config.name, undefined, 'return-to-caller');
    }
    await client.setLoggingLevel(level, { timeout: this.settings.listTimeoutMs });
    this.log.note(`log level set to ${level}`);
  }

  /** The workspace folders changed: tell the server (when connected). */
  async rootsChanged(): Promise<void> {
    if (!this.settings.roots || !this.isConnected()) return;
    try {
      await this.client?.sendRootsListChanged();
    } catch (error) {
      this.log.note(`roots/list_changed could not be sent: ${errorText(error)}`);
    }
  }

  /** Any sign of life from the server (answer, progress) counts as "seen". */
  touch(): void {
    this.lastSeen = Date.now();
  }

  private async connectOnce(): Promise<void> {
    const gen = ++this.generation;
    const { config, settings } = this;
    if (config.disabled) {
      throw new McpError('config', `Server "${config.name}" is disabled in its configuration.`, config.name);
    }
    this.garbageSample = undefined;
    this.setStatus('starting');
    const makeClient = (): Client => this.wire(new Client(settings.clientInfo, { capabilities: clientCapabilities(settings), jsonSchemaValidator: createSchemaValidator() }), gen);
    let client: Client | undefined;
    try {
      if (config.transport === 'stdio') {
        if (!config.command) throw new McpError('config', `Server "${config.name}" uses transport "stdio" but has no "command".`, config.name);
        const transport = new StdioTransport({
          server: config.name,
          command: config.command,
          args: config.args ?? [],
          env: config.env,
          cwd: config.cwd,
          log: this.log,
          spillDir: settings.outputDir,
          maxInMemoryMessageBytes: settings.maxInMemoryMessageBytes,
          shutdown: settings.shutdown,
          onGarbage: (sample) => this.onGarbage(sample),
        });
        this.transport = transport;
        client = makeClient();
        await client.connect(transport, { timeout: settings.startTimeoutMs });
        this.connectedVia = 'stdio';
      } else {
        this.log.begin(`connecting to ${config.url ?? '(no url)'}`);
        if (settings.oauth && config.url && !this.auth) {
          this.auth = settings.oauth(config);
          await this.auth.prepare();
        }
        const remote = await connectRemote(config, makeClient, settings.startTimeoutMs, (t) => {
          this.transport = t;
        }, this.auth);
        client = remote.client;
        this.transport = remote.transport;
        this.connectedVia = remote.via;
        if (remote.via === 'sse' && config.transport === 'http') this.log.note('Streamable HTTP was refused (400/404/405): connected with the deprecated HTTP+SSE transport');
      }
      if (gen !== this.generation) throw new Error('stopped while starting');
      this.client = client;
      const version = client.getServerVersion();
      if (version) this.serverInfo = { name: version.name, version: version.version };
      // A server may let initialize through and ask for authorization at the first listing.
      for (let signIns = 0; ; signIns++) {
        try {
          await this.discover();
          break;
        } catch (error) {
          if (!(error instanceof UnauthorizedError) || signIns >= 2 || !(await this.completeSignIn())) throw error;
        }
      }
      if (gen !== this.generation) throw new Error('stopped while starting');
      this.restartAttempt = 0;
      this.pingFailures = 0;
      this.touch();
      this.log.note(`connected${this.connectedVia ? ` via ${this.connectedVia}` : ''}: ${this.tools.length} tools, ${this.resources.length} resources, ${this.prompts.length} prompts`);
      this.setStatus('connected');
      this.startPing(gen);
    } catch (raw) {
      const error = this.startError(raw);
      if (gen === this.generation) {
        const transport = this.transport;
        this.client = undefined;
        this.transport = undefined;
        this.generation++;
        await closeQuietly(client, transport);
        this.lastError = error.message;
        this.log.note(`start failed: ${error.message}`);
        this.setStatus('failed');
      } else {
        await closeQuietly(client, undefined);
      }
      throw error;
    }
  }

  private wire(client: Client, gen: number): Client {
    client.onclose = () => this.onClosed(gen);
    client.onerror = (error) => {
      if (gen === this.generation) this.log.note(`transport: ${error.message}`);
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.scheduleRefresh('tools', gen));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      this.scheduleRefresh('resources', gen);
      this.scheduleRefresh('resourceTemplates', gen);
    });
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => this.scheduleRefresh('prompts', gen));
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      if (gen === this.generation) this.log.message(n.params.level, n.params.logger, n.params.data);
    });
    const elicitation = this.settings.elicitation;
    if (elicitation) {
      client.setRequestHandler(ElicitRequestSchema, (req, extra) => elicitation(this.config.name, req.params as Parameters<ElicitationHandler>[1], extra.signal));
    }
    const roots = this.settings.roots;
    if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots() }));
    const sampling = this.settings.sampling;
    if (sampling) {
      client.setRequestHandler(CreateMessageRequestSchema, (req, extra) => sampling(this.config.name, req.params, extra.signal));
    } else {
      // Not declared, so a well-behaved server never asks; one that does gets a reason, not just "Method not found".
      client.fallbackRequestHandler = async (req) => {
        if (req.method === 'sampling/createMessage') {
          throw new SdkMcpError(ErrorCode.MethodNotFound, 'Sampling is not available: this Rusty client has no model provider configured (set ANTHROPIC_API_KEY, OPENAI_API_KEY / OPENAI_BASE_URL or GEMINI_API_KEY, or use VS Code\'s language models).');
        }
        throw new SdkMcpError(ErrorCode.MethodNotFound, `Method not found: ${req.method}`);
      };
    }
    return client;
  }

  private async discover(): Promise<void> {
    const caps = this.client?.getServerCapabilities() ?? {};
    const kinds: ListKind[] = [];
    if (caps.tools) kinds.push('tools');
    if (caps.resources) kinds.push('resources', 'resourceTemplates');
    if (caps.prompts) kinds.push('prompts');
    this.tools = [];
    this.resources = [];
    this.resourceTemplates = [];
    this.prompts = [];
    this.listErrors.clear();
    for (const kind of kinds) {
      try {
        await this.refresh(kind);
      } catch (error) {
        // A server whose resource listing fails can still serve its tools.
        // Templates are optional: a server without resources/templates/list is not in error.
        if (kind === 'resourceTemplates' && error instanceof SdkMcpError && error.code === ErrorCode.MethodNotFound) {
          this.listErrors.delete(kind);
          continue;
        }
        this.lastError = `listing ${kind} failed: ${errorText(error)}`;
        this.log.note(this.lastError);
        if (kind === 'tools' || error instanceof UnauthorizedError || (error instanceof McpError && error.kind === 'auth')) throw error;
      }
    }
  }

  private scheduleRefresh(kind: ListKind, gen: number): void {
    if (gen !== this.generation) return;
    clearTimeout(this.refreshTimers.get(kind));
    const timer = setTimeout(() => {
      this.refreshTimers.delete(kind);
      if (gen !== this.generation) return;
      this.refresh(kind).catch((error: unknown) => {
        this.lastError = `refreshing ${kind} after list_changed failed: ${errorText(error)}`;
        this.log.note(this.lastError);
        this.changed();
      });
    }, this.settings.listChangedDebounceMs);
    timer.unref();
    this.refreshTimers.set(kind, timer);
  }

  private onClosed(gen: number): void {
    if (gen !== this.generation) return;
    const transport = this.transport;
    this.stopPing();
    this.client = undefined;
    this.transport = undefined;
    if (this.status === 'starting') return; // connectOnce reports it
    const exit = transport instanceof StdioTransport && transport.exitReason ? `process ${transport.exitReason}` : 'closed the connection';
    const tail = stderrSummary(this.log.tail());
    this.lastError = `Server ${exit}${tail.length ? `; stderr: ${tail.join(' | ')}` : ''}`;
    this.generation++;
    this.setStatus('failed');
    if (this.wanted) this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.restartTimer || this.connecting || !this.wanted) return;
    if (this.restartAttempt >= this.settings.maxRestartAttempts) {
      this.log.note(`giving up after ${this.restartAttempt} restart attempts; the next call or start will try again`);
      this.restartAttempt = 0;
      return;
    }
    const delay = backoffDelay(this.restartAttempt + 1, this.settings.restartBackoff);
    this.log.note(`restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartAttempt++;
      this.restarts++;
      this.start().catch(() => this.scheduleRestart());
    }, delay);
    this.restartTimer.unref();
  }

  private startPing(gen: number): void {
    this.stopPing();
    if (this.settings.pingIntervalMs <= 0) return;
    this.pingTimer = setInterval(() => void this.pingOnce(gen), this.settings.pingIntervalMs);
    this.pingTimer.unref();
  }

  private async pingOnce(gen: number): Promise<void> {
    const client = this.client;
    if (this.pingInFlight || !client || gen !== this.generation) return;
    this.pingInFlight = true;
    try {
      await client.ping({ timeout: this.settings.pingTimeoutMs });
      if (gen !== this.generation) return;
      this.pingFailures = 0;
      this.touch();
      if (this.status === 'degraded') this.setStatus('connected');
    } catch (error) {
      if (gen !== this.generation) return;
      this.pingFailures++;
      const limit = this.settings.pingFailuresBeforeRestart;
      this.lastError = `ping failed (${this.pingFailures} of ${limit} allowed): ${errorText(error)}`;
      this.log.note(this.lastError);
      if (this.pingFailures >= limit) {
        this.log.note('the server stopped answering pings: restarting it');
        await this.dropConnection();
        this.scheduleRestart();
      } else {
        this.setStatus('degraded');
      }
    } finally {
      this.pingInFlight = false;
    }
  }

  /** Closes the current connection on purpose (status `failed`); the caller decides what follows. */
  private async dropConnection(): Promise<void> {
    this.generation++;
    this.stopPing();
    const { client, transport } = this;
    this.client = undefined;
    this.transport = undefined;
    this.setStatus('failed');
    await closeQuietly(client, transport);
  }

  private onGarbage(sample: string): void {
    this.garbageSample ??= sample;
    this.log.note(`stdout line is not JSON-RPC (stdio servers must log to stderr): ${sample}`);
    this.lastError = `Server wrote non-JSON-RPC text to stdout (stdio servers must write only JSON-RPC there and log to stderr): "${sample}"`;
  }

  private startError(raw: unknown): McpError {
    const name = this.config.name;
    if (raw instanceof McpError) return raw;
    const tail = stderrSummary(this.log.tail());
    const tailText = tail.length ? ` Stderr: ${tail.join(' | ')}` : '';
    if (this.garbageSample !== undefined) {
      return new McpError('protocol', `Server "${name}" wrote non-JSON-RPC text to stdout instead of answering initialize: "${this.garbageSample}". Stdio servers must write only JSON-RPC to stdout (logs belong on stderr).${tailText}`, name, undefined, 'escalate', { notSent: true });
    }
    if (raw instanceof SdkMcpError && raw.code === ErrorCode.RequestTimeout) {
      return new McpError('connection', `Server "${name}" did not answer initialize within ${this.settings.startTimeoutMs} ms.${tailText}`, name, undefined, 'reconnect', { notSent: true });
    }
    if (raw instanceof SdkMcpError && raw.code === ErrorCode.ConnectionClosed) {
      const exit = this.transport instanceof StdioTransport ? this.transport.exitReason : undefined;
      return new McpError('connection', `Server "${name}" ${exit ? `process ${exit}` : 'closed the connection'} during startup.${tailText}`, name, undefined, 'reconnect', { notSent: true });
    }
    const cause = (raw as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    const reason = typeof cause === 'string' ? `${errorText(raw)} (${cause})` : errorText(raw);
    return new McpError('connection', `Server "${name}" could not be started: ${reason}.${tailText}`, name, undefined, 'reconnect', { notSent: true });
  }

  private setStatus(status: McpServerStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.changed();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private clearTimers(): void {
    this.stopPing();
    this.clearRestartTimer();
    for (const timer of this.refreshTimers.values()) clearTimeout(timer);
    this.refreshTimers.clear();
  }
}

async function closeQuietly(client: Client | undefined, transport: Transport | undefined): Promise<void> {
  if (transport) await terminateSession(transport, 1000);
  try {
    // Client.close() closes its transport; a transport whose connect never finished is closed directly.
    if (client?.transport) await client.close();
    else await transport?.close();
  } catch {
    // closing a broken connection may fail; the stdio transport kills the process regardless
  }
}

function clientCapabilities(settings: ConnectionSettings): ClientCapabilities {
  return {
    ...(settings.sampling ? { sampling: {} } : {}),
    ...(settings.elicitation ? { elicitation: { form: { applyDefaults: true } } } : {}),
    ...(settings.roots ? { roots: { listChanged: true } } : {}),
  };
}

/** Stack frames, braces, `Node.js v20`, caret lines: what a crashing Node process adds around its message. */
const NOISE = /^(\s*at\s|\s*[{}[\]^]+\s*$|\s*\^+\s*$|\s*(code|requireStack|errno|syscall|path|cause):|Node\.js v\d|\s*throw\s|node:internal|\s*$)/;
const ERROR_LINE = /(^|\s)(\w*(Error|Exception)(\s*\[[^\]]*\])?:|error:|fatal:|Cannot find|not found|No such file|ENOENT|EACCES|EADDRINUSE|Traceback|panic:)/i;

/**
 * The stderr lines that say what went wrong: the first error-looking line (e.g. "Error: Cannot
 * find module …") and the last meaningful line when it differs, not the tail of a stack dump.
 */
export function stderrSummary(lines: readonly string[]): string[] {
  const own = lines.filter((l) => !l.startsWith('[rusty'));
  const meaningful = own.filter((l) => !NOISE.test(l));
  const error = meaningful.find((l) => ERROR_LINE.test(l));
  const last = meaningful.at(-1);
  if (error) return last && last !== error && ERROR_LINE.test(last) ? [error.trim(), last.trim()] : [error.trim()];
  return meaningful.slice(-3).map((l) => l.trim());
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
