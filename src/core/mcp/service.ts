// The MCP facade the CLI and the extension use: configs → client manager → permission gate →
// audit. Every tool call passes the gate here, on the call path itself, so a deny rule or an
// expired grant holds whatever front end (or script) makes the call.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { createSchemaValidator, withSchemaDefaults } from './client/schemaCheck';
import { loadMcpConfigFolders } from './config/folders';
import { GrantStore, loadPolicy, PermissionGate } from './policy';
import { ToolIndex } from './search';
import { McpClientManager, type McpClientManagerOptions } from './client';
import {
  McpAuditSink, ServerSecrets, callDetails, captureArgs, decisionDetails, grantDetails, revokeDetails,
  type CapturedArgs,
} from './audit';
import { createSamplingHandler, type McpSamplingHooks } from './sampling';
import { FileSecrets, OAuthStore, RustyOAuthProvider, type SignInMode, type SignInUi } from './auth';
import type { Secrets } from '../ports/secrets';
import { createElicitationHandler, type McpElicitationHooks } from './elicitation';
import { pathToFileURL } from 'node:url';
import { McpError } from './types';
import { FileAuditWitness, witnessFileFor, type AuditWitness } from '../audit';
import type {
  AskAnswer, AskRequest, GateDecision, LoadedMcpConfig, McpAskPrompt, McpCallOptions, McpCallResult,
  McpChangeEvent, McpConfigError, McpConfigSourceKind, McpGrant, McpInputSpec, McpPromptInfo, McpResourceInfo, McpResourceTemplateInfo, McpLogLevel,
  McpServerConfig, McpServerState, McpServiceApi, McpToolInfo, PolicyRule, ToolDetail, ToolSearchHit,
} from './types';

/** The `rusty.mcp.*` settings (VS Code passes its values; the CLI reads .vscode/settings.json). */
export interface McpServiceSettings {
  servers?: unknown;
  trustedServers?: string[];
  rules?: PolicyRule[];
  importFrom?: McpConfigSourceKind[];
}

export interface McpServiceOptions {
  workspace: string;
  /** The other folders of a multi-root window: their MCP configs are read too (config/folders.ts). */
  folders?: string[];
  /** The workspace's Rusty state folder: audit.jsonl, state.lock, mcp/ (grants, logs, outputs). */
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** Who is calling, for the audit log (`cli`, `user:…`, `model:…`). */
  actor: string;
  settings?: McpServiceSettings;
  /** `rusty mcp --config FILE`. */
  extraConfigFiles?: string[];
  /** Who answers "ask". Without one, "ask" is refused with a how-to-grant message. */
  ask?: McpAskPrompt;
  resolveInput?: (spec: McpInputSpec) => Promise<string | undefined>;
  now?: () => Date;
  /** User home for the imported configs (default os.homedir()); tests pass a temp folder. */
  home?: string;
  /** Identifies "for this session" grants (default: a fresh id per service). */
  sessionId?: string;
  /** Client manager knobs (ping interval, output cap, client info). */
  client?: Partial<Omit<McpClientManagerOptions, 'logDir' | 'outputDir'>>;
  /** How long audit entries may wait to share one write (default 20 ms). */
  auditFlushDelayMs?: number;
  /** Given only when a model provider is configured: the `sampling` capability is declared then. */
  sampling?: McpSamplingHooks;
  /** Background audit write failures (entries stay queued; dispose/flush reports them too). */
  onAuditError?: (err: Error) => void;
  /** Witnesses of the audit chain head besides the file in the user's state home (the extension's global state). */
  auditWitnesses?: AuditWitness[];
  /** Answers servers' elicitation requests (a form, terminal prompts, or a fixed mode). */
  elicitation?: McpElicitationHooks;
  /**
   * Workspace folders sent as roots (default: the workspace). The roots capability is declared
   * always; `setRoots` changes them and tells the servers.
   */
  roots?: string[];
  /** OAuth sign-in for remote servers: the browser UI, and where sign-ins are kept (default: a 0600 file in the state folder). */
  signIn?: { ui: SignInUi; secrets?: Secrets; timeoutMs?: number };
}

/** Where the MCP parts keep their files inside the state folder. */
export function mcpStatePaths(stateDir: string) {
  const mcp = path.join(stateDir, 'mcp');
  return {
    audit: path.join(stateDir, 'audit.jsonl'),
    lock: path.join(stateDir, 'state.lock'),
    grants: path.join(mcp, 'grants.json'),
    oauth: path.join(mcp, 'oauth.json'),
    logs: path.join(mcp, 'logs'),
    outputs: path.join(mcp, 'outputs'),
  };
}

type Validate = (args: unknown) => { ok: true } | { ok: false; message: string };

export class McpService implements McpServiceApi {
  private loaded: LoadedMcpConfig = { servers: [], errors: [], inputs: [] };
  private policyProblems: string[] = [];
  private configs = new Map<string, McpServerConfig>();
  private secrets = new Map<string, ServerSecrets>();
  private readonly index = new ToolIndex();
  private readonly validators = new WeakMap<McpToolInfo, Validate>();
  private readonly ajv = createSchemaValidator();
  private readonly listeners = new Set<(e: McpChangeEvent) => void>();
  private readonly managerSub: { dispose(): void };
  private disposed: Promise<void> | undefined;
  private oauthStore: OAuthStore | undefined;
  private rootFolders: { folders: string[] } = { folders: [] };
  private signInModes = new Map<string, SignInMode>();
  private extraFolders: string[] | undefined;

  private constructor(
    private readonly opts: McpServiceOptions,
    private readonly manager: McpClientManager,
    private readonly gate: PermissionGate,
    private readonly audit: McpAuditSink,
  ) {
    this.managerSub = manager.onDidChange((e) => {
      this.syncIndex(e.server);
      this.emit(e);
    });
  }

  static async create(opts: McpServiceOptions): Promise<McpService> {
    const paths = mcpStatePaths(opts.stateDir);
    for (const dir of [opts.stateDir, paths.logs, paths.outputs]) fs.mkdirSync(dir, { recursive: true });
    const now = opts.now ?? (() => new Date());
    const audit = new McpAuditSink({
      auditFile: paths.audit, lockFile: paths.lock, actor: opts.actor, now,
      witnesses: [new FileAuditWitness(witnessFileFor(paths.audit, opts.env)), ...(opts.auditWitnesses ?? [])],
      ...(opts.auditFlushDelayMs !== undefined ? { flushDelayMs: opts.auditFlushDelayMs } : {}),
      ...(opts.onAuditError ? { onError: opts.onAuditError } : {}),
    });
    const sampling = opts.sampling
      ? createSamplingHandler({ workspace: opts.workspace, hooks: opts.sampling, audit: (details) => audit.record('mcp.sampling', details) })
      : undefined;
    const signIn = opts.signIn;
    const store = new OAuthStore(signIn?.secrets ?? new FileSecrets(paths.oauth));
    const modes = new Map<string, SignInMode>();
    const oauth = signIn
      ? (config: McpServerConfig) => new RustyOAuthProvider({
        server: config.name, url: config.url!, store, ui: signIn.ui, mode: () => modes.get(config.name) ?? 'if-signed-in',
        ...(config.oauth ? { oauth: config.oauth } : {}), ...(signIn.timeoutMs !== undefined ? { timeoutMs: signIn.timeoutMs } : {}),
      })
      : undefined;
    const elicitation = opts.elicitation
      ? createElicitationHandler({ hooks: opts.elicitation, audit: (details) => audit.record('mcp.elicitation', details) })
      : undefined;
    const roots = { folders: opts.roots ?? [opts.workspace] };
    const manager = new McpClientManager({
      ...opts.client, logDir: paths.logs, outputDir: paths.outputs, ...(sampling ? { sampling } : {}), ...(oauth ? { oauth } : {}),
      ...(elicitation ? { elicitation } : {}),
      roots: () => roots.folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
    });
    const grants = new GrantStore(paths.grants, { now, sessionId: opts.sessionId ?? randomUUID() });
    const { policy } = loadPolicy(opts.workspace, userPolicy(opts.settings));
    const gate = new PermissionGate({ workspace: opts.workspace, policy, grants, now });
    const service = new McpService(opts, manager, gate, audit);
    service.oauthStore = store;
    service.rootFolders = roots;
    service.signInModes = modes;
    await service.reload();
    return service;
  }

  /** The workspace's Rusty state folder this service uses. */
  get stateFolder(): string {
    return this.opts.stateDir;
  }

  // ─── configuration ───────────────────────────────────────────────────────────────────────

  async reload(): Promise<LoadedMcpConfig> {
    const { opts } = this;
    this.loaded = await loadMcpConfigFolders({
      workspace: opts.workspace,
      env: opts.env,
      ...(opts.home !== undefined ? { home: opts.home } : {}),
      ...(opts.settings?.servers !== undefined ? { settingsServers: opts.settings.servers } : {}),
      ...(opts.settings?.importFrom ? { importFrom: opts.settings.importFrom } : {}),
      ...(opts.extraConfigFiles?.length ? { extraFiles: opts.extraConfigFiles } : {}),
      ...(opts.resolveInput ? { resolveInput: opts.resolveInput } : {}),
    }, this.extraFolders ?? opts.folders ?? []);
    // A stdio server without a cwd runs in the workspace folder, not the caller's current folder.
    this.loaded.servers = this.loaded.servers.map((s) => (s.transport === 'stdio' && s.cwd === undefined ? { ...s, cwd: opts.workspace } : s));
    this.configs = new Map(this.loaded.servers.map((s) => [s.name, s]));
    this.secrets = new Map(this.loaded.servers.map((s) => [s.name, new ServerSecrets(s)]));
    this.manager.setServers(this.loaded.servers);
    const { policy, errors } = loadPolicy(opts.workspace, userPolicy(opts.settings));
    this.gate.setPolicy(policy);
    this.policyProblems = errors;
    for (const tool of this.index.all()) if (!this.configs.has(tool.server)) this.index.removeServer(tool.server);
    this.emit({});
    return this.loaded;
  }

  configErrors(): McpConfigError[] {
    return [...this.loaded.errors];
  }

  /** Problems in `.rusty/policy.json` or the rusty.mcp.rules / trustedServers settings (each names its entry). */
  policyErrors(): string[] {
    return [...this.policyProblems];
  }

  /** The servers as configured (after expansion), for listings that must not start anything. */
  serverConfigs(): McpServerConfig[] {
    return [...this.loaded.servers];
  }

  // ─── servers and discovery ───────────────────────────────────────────────────────────────

  servers(): McpServerState[] {
    return this.manager.states();
  }

  async start(server?: string): Promise<void> {
    if (server !== undefined) {
      this.requireKnown(server);
      try {
        await this.manager.start(server);
      } finally {
        this.syncIndex(server);
      }
      return;
    }
    // All enabled servers; one failing is reported in its state, not by rejecting the rest.
    await Promise.allSettled(this.loaded.servers.filter((s) => !s.disabled).map((s) => this.manager.start(s.name)));
    this.syncIndex(undefined);
  }

  stop(server: string): Promise<void> {
    this.requireKnown(server);
    return this.manager.stop(server);
  }

  restart(server: string): Promise<void> {
    this.requireKnown(server);
    return this.manager.restart(server);
  }

  tools(server?: string): McpToolInfo[] {
    return this.manager.tools(server);
  }

  resources(server?: string): McpResourceInfo[] {
    return this.manager.resources(server);
  }

  prompts(server?: string): McpPromptInfo[] {
    return this.manager.prompts(server);
  }

  resourceTemplates(server?: string): McpResourceTemplateInfo[] {
    return this.manager.resourceTemplates(server);
  }

  searchTools(query: string, opts?: { detail?: ToolDetail; limit?: number; server?: string }): ToolSearchHit[] {
    return this.index.search(query, opts);
  }

  /**
   * The gate treats this tool as read-only: its server is trusted and the tool says readOnlyHint
   * (and not destructiveHint). Code mode caches such results within a run.
   */
  isReadOnly(server: string, tool: string): boolean {
    const a = this.index.get(server, tool)?.annotations;
    return a?.readOnlyHint === true && a.destructiveHint !== true && this.gate.isTrusted(server, this.configs.get(server)?.trusted);
  }

  serverLog(server: string): string {
    return this.manager.logText(server);
  }

  // ─── calls ───────────────────────────────────────────────────────────────────────────────

  // The hot path avoids async frames: a known tool on a running server, allowed by the gate,
  // costs one promise (the manager's) plus microseconds of checks; the audit is only queued.
  callTool(server: string, tool: string, args: Record<string, unknown>, opts?: McpCallOptions): Promise<McpCallResult> {
    try {
      const info = this.index.get(server, tool);
      if (info) return this.callKnown(info, args, opts);
      return this.findTool(server, tool).then((found) => this.callKnown(found, args, opts));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private callKnown(info: McpToolInfo, args: Record<string, unknown>, opts: McpCallOptions | undefined): Promise<McpCallResult> {
    const { server, name: tool } = info;
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new McpError('invalid-params', `Arguments for ${tool} on ${server} must be a JSON object, got ${describe(args)}.`, server, tool, 'return-to-caller');
    }
    const validation = this.validatorFor(info)(args);
    if (!validation.ok) {
      throw new McpError('invalid-params', `Invalid arguments for ${tool} on ${server}: ${validation.message}`, server, tool, 'return-to-caller', { validation: validation.message });
    }
    const captured = captureArgs(args);
    const secrets = this.secrets.get(server) ?? NO_SECRETS;
    const checked = this.gate.check(server, tool, info.annotations, this.configs.get(server)?.trusted);
    if (checked.decision === 'allow') {
      this.audit.record('mcp.decision', decisionDetails(server, tool, checked, captured, secrets, 'policy'));
      return this.invoke(server, tool, args, opts, checked, captured, secrets, info.inputSchema);
    }
    return this.decide(server, tool, info, args, checked, captured, secrets)
      .then((decision) => this.invoke(server, tool, args, opts, decision, captured, secrets, info.inputSchema));
  }

  /** The call the gate allowed; afterwards a `once` grant is used up and the call is audited. */
  private invoke(
    server: string, tool: string, args: Record<string, unknown>, opts: McpCallOptions | undefined,
    decision: GateDecision, captured: CapturedArgs, secrets: ServerSecrets, checkedSchema: Record<string, unknown>,
  ): Promise<McpCallResult> {
    const started = performance.now();
    const done = (result: McpCallResult | undefined, failure: unknown) => {
      this.gate.consume(decision);
      this.audit.record('mcp.call', callDetails(server, tool, decision, captured, secrets, performance.now() - started, result, failure));
    };
    let call: Promise<McpCallResult>;
    try {
      call = this.manager.callTool(server, tool, args, opts, checkedSchema);
    } catch (err) {
      call = Promise.reject(err);
    }
    return call.then(
      (result) => {
        done(result, undefined);
        return result;
      },
      (err: unknown) => {
        done(undefined, err);
        throw err;
      },
    );
  }

  /** A deny or ask decision → an allow (the user granted it), or a `denied` / `ask-refused` McpError. Audited either way. */
  private async decide(
    server: string, tool: string, info: McpToolInfo, args: Record<string, unknown>, checked: GateDecision, captured: CapturedArgs, secrets: ServerSecrets,
  ): Promise<GateDecision> {
    if (checked.decision === 'deny') {
      this.audit.record('mcp.decision', decisionDetails(server, tool, checked, captured, secrets, 'policy'));
      throw new McpError('denied', `${tool} on ${server} is denied: ${checked.reason} ${howToChangeDeny(checked, this.opts.workspace, server, tool)}`,
        server, tool, 'return-to-caller', { decision: checked });
    }
    const req: AskRequest = { server, tool, args, reason: checked.reason, ...(info.annotations ? { annotations: info.annotations } : {}) };
    if (!this.opts.ask) {
      this.audit.record('mcp.decision', decisionDetails(server, tool, checked, captured, secrets, 'no-prompt'));
      throw new McpError('ask-refused', askRefusedMessage(req, this.opts.workspace), server, tool, 'return-to-caller', { decision: checked });
    }
    let answer: AskAnswer | undefined;
    try {
      answer = await this.opts.ask.ask(req);
    } catch (err) {
      // A prompt that fails (window closed, UI error) is a refusal, never an allow.
      this.audit.record('mcp.decision', decisionDetails(server, tool, { ...checked, decision: 'deny', reason: `the prompt failed: ${(err as Error).message}` }, captured, secrets, 'user'));
      throw new McpError('denied', `${tool} on ${server} was not allowed: the permission prompt failed (${(err as Error).message}).`, server, tool, 'return-to-caller');
    }
    let applied: ReturnType<PermissionGate['applyAnswer']>;
    try {
      applied = this.gate.applyAnswer(req, answer);
    } catch (err) {
      // An answer the gate cannot use (e.g. "for 0 minutes") grants nothing.
      const reason = `the answer could not be used: ${(err as Error).message}`;
      this.audit.record('mcp.decision', decisionDetails(server, tool, { decision: 'deny', reason }, captured, secrets, 'user', answer));
      throw new McpError('denied', `${tool} on ${server} was not allowed: ${reason}`, server, tool, 'return-to-caller');
    }
    this.audit.record('mcp.decision', decisionDetails(server, tool, applied.decision, captured, secrets, 'user', answer));
    if (answer && answer.kind !== 'deny') {
      this.audit.record('mcp.grant', grantDetails(applied.grant, answer, server, tool, {
        ...(applied.ruleFile ? { ruleFile: applied.ruleFile } : {}), ...(applied.warning ? { warning: applied.warning } : {}),
      }));
      if (applied.grant || applied.ruleFile) this.emit({});
    }
    if (applied.decision.decision !== 'allow') {
      throw new McpError('denied', `${tool} on ${server} was not allowed: ${applied.decision.reason}`, server, tool, 'return-to-caller', { decision: applied.decision });
    }
    return applied.decision;
  }

  readResource(server: string, uri: string, opts?: McpCallOptions): Promise<unknown> {
    this.requireKnown(server);
    return this.manager.readResource(server, uri, opts);
  }

  getPrompt(server: string, name: string, args?: Record<string, string>, opts?: McpCallOptions): Promise<unknown> {
    this.requireKnown(server);
    return this.manager.getPrompt(server, name, args, opts);
  }

  /** logging/setLevel on a server (its messages go to its log). */
  setLogLevel(server: string, level: McpLogLevel): Promise<void> {
    this.requireKnown(server);
    return this.manager.setLogLevel(server, level);
  }

  /** The workspace folders changed (multi-root): servers get notifications/roots/list_changed. */
  async setRoots(folders: string[]): Promise<void> {
    const same = folders.length === this.rootFolders.folders.length && folders.every((f, i) => f === this.rootFolders.folders[i]);
    this.rootFolders.folders = [...folders];
    if (!same) await this.manager.rootsChanged();
  }

  /** The other folders of a multi-root window changed: their configs are read again. */
  async setFolders(folders: string[]): Promise<LoadedMcpConfig> {
    this.extraFolders = [...folders];
    return this.reload();
  }

  // ─── sign-in (OAuth) ─────────────────────────────────────────────────────────────────────

  /**
   * Signs in to a remote server anew: the stored sign-in is dropped, the server restarted and the
   * browser opened when it asks for authorization. `signedIn` is false when it never asked.
   */
  async login(server: string): Promise<{ signedIn: boolean }> {
    const config = this.requireKnown(server);
    if (!config.url) throw new McpError('config', `Server "${server}" is a local (stdio) server; only remote (http/sse) servers sign in.`, server);
    if (!this.opts.signIn) throw new McpError('auth', `Signing in is not available here.`, server);
    await this.manager.stop(server);
    await this.oauthStore?.remove(server, config.url);
    this.signInModes.set(server, 'always');
    try {
      await this.manager.start(server);
    } finally {
      this.signInModes.delete(server);
      this.syncIndex(server);
    }
    const record = await this.oauthStore?.load(server, config.url);
    this.audit.record('mcp.signin', { server, signedIn: record?.tokens !== undefined });
    return { signedIn: record?.tokens !== undefined };
  }

  /** Forgets the server's sign-in (tokens and registration) and stops it. */
  async logout(server: string): Promise<{ removed: boolean }> {
    const config = this.requireKnown(server);
    if (!config.url) throw new McpError('config', `Server "${server}" is a local (stdio) server; it has no sign-in.`, server);
    await this.manager.stop(server);
    const removed = (await this.oauthStore?.remove(server, config.url)) ?? false;
    this.audit.record('mcp.signout', { server, removed });
    return { removed };
  }

  /** Whether a sign-in is stored for the server (never the tokens themselves). */
  async signedIn(server: string): Promise<boolean> {
    const config = this.configs.get(server);
    if (!config?.url || !this.oauthStore) return false;
    return (await this.oauthStore.load(server, config.url))?.tokens !== undefined;
  }

  // ─── grants ──────────────────────────────────────────────────────────────────────────────

  grants(): McpGrant[] {
    return this.gate.grants();
  }

  async revokeGrant(id: string): Promise<boolean> {
    const grant = this.gate.grants().find((g) => g.id === id);
    const found = this.gate.revoke(id);
    this.audit.record('mcp.revoke', revokeDetails(id, grant, found));
    await this.audit.flush();
    if (found) this.emit({});
    return found;
  }

  // ─── lifecycle ───────────────────────────────────────────────────────────────────────────

  onDidChange(listener: (e: McpChangeEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Waits for every queued audit entry to be written. */
  flushAudit(): Promise<void> {
    return this.audit.flush();
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.managerSub.dispose();
      this.listeners.clear();
      let auditError: unknown;
      try {
        await this.audit.flush();
      } catch (err) {
        auditError = err;
      }
      await this.manager.dispose();
      if (auditError) throw auditError;
    })();
    return this.disposed;
  }

  // ─── helpers ─────────────────────────────────────────────────────────────────────────────

  private emit(e: McpChangeEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure must not break the manager's event loop or other listeners.
      }
    }
  }

  private syncIndex(server: string | undefined): void {
    const names = server !== undefined ? [server] : [...this.configs.keys()];
    for (const name of names) {
      if (this.configs.has(name)) this.index.setServerTools(name, this.manager.tools(name));
      else this.index.removeServer(name);
    }
  }

  /** Unknown servers get a message that lists the known ones, or the config error that dropped it. */
  private requireKnown(server: string): McpServerConfig {
    const config = this.configs.get(server);
    if (config) return config;
    const problems = this.loaded.errors.filter((e) => e.server === server);
    if (problems.length) {
      throw new McpError('config', `MCP server "${server}" is not available: ${problems.map((p) => `${p.source.file ?? p.source.kind} ${p.path}: ${p.message}`).join('; ')}`, server);
    }
    const known = [...this.configs.keys()];
    throw new McpError('unknown-server', `No MCP server named "${server}". ${known.length ? `Configured servers: ${known.join(', ')}.` : 'No MCP servers are configured: add one to .vscode/mcp.json or the rusty.mcp.servers setting.'}`, server);
  }

  private async findTool(server: string, tool: string): Promise<McpToolInfo> {
    const hit = this.index.get(server, tool);
    if (hit) return hit;
    const config = this.requireKnown(server);
    if (config.disabled) throw new McpError('config', `MCP server "${server}" is disabled in ${config.source.file ?? config.source.kind}; enable it to call ${tool}.`, server, tool);
    const status = this.manager.state(server)?.status;
    if (status !== 'connected' && status !== 'degraded') await this.manager.start(server);
    this.syncIndex(server);
    const found = this.index.get(server, tool) ?? this.manager.tools(server).find((t) => t.name === tool);
    if (found) return found;
    const names = this.manager.tools(server).map((t) => t.name);
    const close = closeNames(tool, names);
    throw new McpError('unknown-tool', `MCP server "${server}" has no tool "${tool}".${close.length ? ` Did you mean ${close.map((n) => `"${n}"`).join(', ')}?` : names.length ? ` Its tools: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.` : ' It offers no tools.'}`,
      server, tool, 'return-to-caller', { closeNames: close });
  }

  private validatorFor(info: McpToolInfo): Validate {
    let v = this.validators.get(info);
    if (!v) {
      v = compileValidator(this.ajv, info.inputSchema);
      this.validators.set(info, v);
    }
    return v;
  }
}

const NO_SECRETS = new ServerSecrets();

function userPolicy(settings: McpServiceSettings | undefined): { trustedServers?: string[]; rules?: PolicyRule[] } | undefined {
  if (!settings || (settings.trustedServers === undefined && settings.rules === undefined)) return undefined;
  return {
    ...(settings.trustedServers !== undefined ? { trustedServers: settings.trustedServers } : {}),
    ...(settings.rules !== undefined ? { rules: settings.rules } : {}),
  };
}

function compileValidator(ajv: AjvJsonSchemaValidator, schema: Record<string, unknown> | undefined): Validate {
  if (!schema || typeof schema !== 'object') return () => ({ ok: true });
  try {
    const check = ajv.getValidator(schema as Parameters<AjvJsonSchemaValidator['getValidator']>[0]);
    return (args) => {
      const r = check(withSchemaDefaults(schema, args));
      return r.valid ? { ok: true } : { ok: false, message: r.errorMessage };
    };
  } catch {
    // A schema the validator cannot compile is the server's problem; the server still validates.
    return () => ({ ok: true });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function ruleJson(server: string, tool: string, decision: 'allow' | 'deny'): string {
  return JSON.stringify({ server, tool, decision });
}

function howToChangeDeny(d: GateDecision, workspace: string, server: string, tool: string): string {
  const rule = d.rule;
  if (!rule) return '';
  const where = rule.origin === 'workspace' ? path.join(workspace, '.rusty', 'policy.json') : 'the rusty.mcp.rules setting';
  return `To allow it, remove or change the rule ${ruleJson(rule.server, rule.tool, 'deny')} in ${where}, or add the more specific rule ${ruleJson(server, tool, 'allow')}.`;
}

/** Exactly how to grant what was asked: the rule to add, or the interactive way. */
export function askRefusedMessage(req: AskRequest, workspace: string): string {
  const file = path.join(workspace, '.rusty', 'policy.json');
  return `${req.tool} on ${req.server} needs permission (${req.reason}) and there is no one to ask here. `
    + `To allow it, add ${ruleJson(req.server, req.tool, 'allow')} to "rules" in ${file} (or to the rusty.mcp.rules setting), `
    + `or run the call from VS Code ("Rusty: Call MCP Tool…") and answer the prompt.`;
}

/** Up to five names close to `wanted`: same prefix/substring first, then small edit distance. */
export function closeNames(wanted: string, names: string[]): string[] {
  const w = wanted.toLowerCase();
  const scored = names.map((n) => {
    const l = n.toLowerCase();
    const d = editDistance(w, l);
    const related = l.includes(w) || w.includes(l) || d <= Math.max(2, Math.floor(w.length / 3));
    return { n, score: related ? d - (l.includes(w) || w.includes(l) ? 100 : 0) : Infinity };
  });
  return scored.filter((s) => s.score !== Infinity).sort((a, b) => a.score - b.score || a.n.localeCompare(b.n)).slice(0, 5).map((s) => s.n);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
