// Owns the MCP service of the window: created on first use (loading dist/mcp.js, reading every
// config source), re-read when a config file or a `rusty.mcp.*` setting changes, disposed with a
// staged shutdown of every server. Configs come from every local workspace folder (a later folder's
// server whose name is taken is shown as `name (folder)` and runs in its folder; config/folders.ts);
// the settings, the policy (.rusty/policy.json) and the state folder are the first folder's. The
// servers get every local folder as roots, and a change of folders as roots/list_changed.
import * as vscode from 'vscode';
import type { McpService } from '../../core/mcp/service';
import type { McpSamplingHooks } from '../../core/mcp/sampling';
import type { LoadedMcpConfig, McpChangeEvent } from '../../core/mcp/types';
import { workspaceStateDir } from '../../core/state/location';
import { RustyError } from '../../core/util/errors';
import type { Secrets } from '../adapters/secrets';
import { readSettings } from '../workspace/settings';
import { VscodeAskPrompt } from './askPrompt';
import { askInput, inputSecretKey, TrackedSecrets } from './inputs';
import { loadMcp } from './loadMcp';
import { MCP_SETTING_KEYS, readMcpSettings } from './mcpSettings';
import { ReadonlyDocs } from './readonlyDocs';
import { askElicitation } from './elicitationForm';

/** Workspace files whose change re-reads the configs and the policy (settings changes arrive as configuration events). */
const WATCHED = '{.vscode/mcp.json,.mcp.json,.roo/mcp.json,.continue/mcpServers/*,.rusty/policy.json}';

/**
 * Host tests only: when the test runner's results path is set (RUSTY_TEST_RESULTS) and the suite
 * has installed `globalThis.__rustyTestOpenExternal`, the sign-in URL goes there (the suite follows
 * it with an HTTP client) instead of a browser.
 */
function testOpenExternal(): ((url: string) => Promise<boolean>) | undefined {
  if (!process.env.RUSTY_TEST_RESULTS) return undefined;
  return (globalThis as { __rustyTestOpenExternal?: (url: string) => Promise<boolean> }).__rustyTestOpenExternal;
}

export interface McpHostDeps {
  log: vscode.LogOutputChannel;
  secrets: Secrets;
  globalState: vscode.Memento;
}

/** Sampling hooks for a folder when a model provider is configured (src/extension/ai/samplingPrompt.ts). */
export type SamplingFactory = (folder: vscode.WorkspaceFolder, stateDir: string) => Promise<McpSamplingHooks | undefined>;

interface Live {
  service: McpService;
  folder: vscode.WorkspaceFolder;
  subs: vscode.Disposable[];
  /** File watchers of every folder (renewed when folders change). */
  watchers: vscode.Disposable[];
}

export class McpHost implements vscode.Disposable {
  readonly docs: ReadonlyDocs;
  readonly secrets: TrackedSecrets;
  private readonly ask: VscodeAskPrompt;
  private pending: Promise<Live> | undefined;
  private live: Live | undefined;
  /** `${input:id}` ids the configs asked for, so "Forget MCP Input Values" finds them. */
  private readonly inputIds = new Set<string>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly changed = new vscode.EventEmitter<McpChangeEvent>();
  /** A server changed, or everything (reload, new service). */
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private sampling: SamplingFactory | undefined;

  constructor(private readonly deps: McpHostDeps) {
    this.secrets = new TrackedSecrets(deps.secrets, deps.globalState);
    this.docs = new ReadonlyDocs((server) => this.live?.service.serverLog(server));
    this.ask = new VscodeAskPrompt(this.docs, deps.log);
    this.subs.push(
      this.changed,
      this.docs,
      vscode.workspace.registerTextDocumentContentProvider('rusty-mcp', this.docs),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.live && MCP_SETTING_KEYS.some((k) => e.affectsConfiguration(k, this.live!.folder.uri))) void this.recreate('settings changed');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (this.live && this.folder()?.uri.toString() !== this.live.folder.uri.toString()) void this.recreate('workspace folders changed');
        else if (this.live) void this.foldersChanged(this.live);
      }),
    );
  }

  /** The folder whose MCP configs Rusty uses: the first local workspace folder. */
  folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  }

  /** Set by the AI feature: services created from now on answer servers' sampling requests. */
  setSampling(factory: SamplingFactory): void {
    this.sampling = factory;
  }

  /** Every local workspace folder: the roots servers see (multi-root windows included). */
  rootFolders(): string[] {
    return this.localFolders().map((f) => f.uri.fsPath);
  }

  private localFolders(): vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  }

  /** Folders other than the first came or went: new roots, their configs read again, their files watched. */
  private async foldersChanged(live: Live): Promise<void> {
    try {
      await live.service.setRoots(this.rootFolders());
      await live.service.setFolders(this.rootFolders().slice(1));
      for (const w of live.watchers.splice(0)) w.dispose();
      live.watchers.push(...this.watch());
      this.changed.fire({});
    } catch (err) {
      this.deps.log.error(`MCP: workspace folders changed, re-reading their configs failed: ${(err as Error).message}`);
    }
  }

  /** Config and policy files of every local folder. */
  private watch(): vscode.Disposable[] {
    const onFile = () => this.scheduleReload();
    return this.localFolders().flatMap((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WATCHED));
      return [watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile)];
    });
  }

  /** The service if it is already created (the view does not load the bundle just to draw). */
  loaded(): McpService | undefined {
    return this.live?.service;
  }

  /** The service, created on first use. */
  async service(): Promise<McpService> {
    if (this.disposed) throw new RustyError('usage', 'Rusty is shutting down; MCP servers are no longer available in this window.');
    if (this.live) return this.live.service;
    this.pending ??= this.create().then(
      (live) => {
        this.live = live;
        this.pending = undefined;
        this.changed.fire({});
        return live;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return (await this.pending).service;
  }

  private async create(): Promise<Live> {
    const folder = this.folder();
    if (!folder) throw new RustyError('usage', 'Open a folder first: MCP servers are configured per workspace folder (.vscode/mcp.json or the rusty.mcp.servers setting).');
    const cfg = vscode.workspace.getConfiguration('rusty', folder.uri);
    const settings = readMcpSettings((key) => cfg.get(key));
    for (const p of settings.problems) this.deps.log.warn(`MCP settings: ${p}`);
    const workspace = folder.uri.fsPath;
    const stateDir = workspaceStateDir(workspace, process.env, readSettings((key) => cfg.get(key), workspace).core.stateDir);
    const t0 = Date.now();
    const engine = loadMcp();
    const resolveInput = engine.secretInputResolver(this.secrets, askInput);
    // Sampling is declared only when a model can answer (no provider: the hooks are left out).
    const sampling = await this.sampling?.(folder, stateDir).catch((err: unknown) => {
      this.deps.log.warn(`MCP: sampling is off: ${(err as Error).message}`);
      return undefined;
    });
    const service = await engine.createMcpService({
      workspace,
      folders: this.rootFolders().slice(1),
      stateDir,
      env: process.env,
      actor: 'extension',
      settings: {
        ...(settings.servers !== undefined ? { servers: settings.servers } : {}),
        trustedServers: settings.trustedServers,
        rules: settings.rules,
        importFrom: settings.importFrom,
      },
      ask: this.ask,
      ...(sampling ? { sampling } : {}),
      roots: this.rootFolders(),
      elicitation: { ask: (req, signal) => askElicitation(req, signal) },
      signIn: {
        secrets: this.deps.secrets,
        ui: {
          open: async (server, url) => {
            this.deps.log.info(`MCP ${server}: sign-in page opened in the browser`);
            const opened = await (testOpenExternal() ?? ((u: string) => vscode.env.openExternal(vscode.Uri.parse(u, true))))(url);
            if (!opened) {
              const pick = await vscode.window.showWarningMessage(`Rusty could not open the browser to sign in to MCP server "${server}".`, 'Copy Sign-In URL');
              if (pick) await vscode.env.clipboard.writeText(url);
            }
          },
          hint: () => 'use "Sign In" on the server in the MCP Servers view (or "Rusty: Sign In to MCP Server").',
        },
      },
      resolveInput: (spec) => {
        this.inputIds.add(spec.id);
        return resolveInput(spec);
      },
    });
    if (this.disposed) {
      await service.dispose();
      throw new RustyError('usage', 'Rusty is shutting down; MCP servers are no longer available in this window.');
    }
    this.deps.log.info(`MCP: ${service.servers().length} server(s) configured for ${workspace}, ${service.configErrors().length} config problem(s) (${Date.now() - t0} ms)`);
    for (const e of service.configErrors()) this.deps.log.warn(`MCP config: ${e.source.file ?? e.source.kind} ${e.path}: ${e.message}`);
    const subs: vscode.Disposable[] = [
      service.onDidChange((e) => {
        this.docs.refreshLog(e.server);
        this.changed.fire(e);
      }),
    ];
    return { service, folder, subs, watchers: this.watch() };
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.reload().catch((err: unknown) => this.deps.log.error(`MCP: reloading the configs failed: ${(err as Error).message}`));
    }, 300);
  }

  /** Reads every config source again (servers added, changed, removed; policy re-read). */
  async reload(): Promise<LoadedMcpConfig> {
    const service = await this.service();
    const loaded = await service.reload();
    this.deps.log.info(`MCP: configs re-read: ${loaded.servers.length} server(s), ${loaded.errors.length} problem(s)`);
    this.changed.fire({});
    return loaded;
  }

  /** Settings are given to the service when it is created: a change means a new service. */
  private async recreate(why: string): Promise<void> {
    const old = this.live;
    if (!old) return;
    this.deps.log.info(`MCP: ${why}; restarting the MCP service`);
    this.live = undefined;
    for (const s of [...old.subs, ...old.watchers]) s.dispose();
    await old.service.dispose().catch((err: unknown) => this.deps.log.error(`MCP: stopping servers failed: ${(err as Error).message}`));
    this.changed.fire({});
    await this.service().catch((err: unknown) => this.deps.log.error(`MCP: ${(err as Error).message}`));
  }

  /** Input ids of the current configs (their secret keys), for "Forget MCP Input Values". */
  configInputKeys(): string[] {
    return [...this.inputIds].map(inputSecretKey);
  }

  /** Staged shutdown of every server; deactivate awaits this when it can. */
  async shutdown(): Promise<void> {
    this.disposed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    const live = this.live ?? (this.pending ? await this.pending.catch(() => undefined) : undefined);
    this.live = undefined;
    if (!live) return;
    for (const s of [...live.subs, ...live.watchers]) s.dispose();
    await live.service.dispose();
  }

  dispose(): void {
    void this.shutdown().catch((err: unknown) => console.error('Rusty: stopping MCP servers failed', err));
    for (const d of this.subs.splice(0).reverse()) d.dispose();
  }
}
