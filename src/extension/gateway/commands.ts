// The agent gateway in VS Code: "Rusty: Start/Stop Agent Gateway" (and `rusty.gateway.autoStart`),
// its status bar item, "Rusty: Connect an Agent…" (the agent's MCP config becomes a proposal you
// approve; its token goes to SecretStorage and the clipboard, never into a file), and the
// language-model tools that route Copilot's writes through Rusty's review panel. The gateway itself
// (src/core/gateway) loads from dist/gateway.js on first use.
import * as vscode from 'vscode';
import type { Container } from '../container';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { Commands, GatewayCommands } from '../commands/ids';
import { loadGateway, type GatewayEngine } from './loadGateway';
import type { RustyCore } from '../../core/rustyCore';
import type { CodeModeGatewayTools, GatewayMcp } from '../../core/codemode/gatewayTools';
import type { Gateway } from '../../core/gateway/gateway';
import type { HttpGateway } from '../../core/gateway/transports';
import type { InProcessGatewayClient } from '../../core/gateway/inProcess';
import type { AgentKind } from '../../core/gateway/agentConfigs';
import { readGatewaySettings } from './settings';
import { LM_TOOLS } from './lmToolSpecs';
import { gatewayMenuItems, gatewayMenuTitle, type GatewayMenuId, type GatewayMenuState } from './menuItems';
import type { ApprovalsSnapshot } from '../../shared/approvalsProtocol';
import { sha256 } from '../../core/util/hash';

/** Language-model tools act as this gateway client (the person's own editor, propose scope). */
const LM_CLIENT = { name: 'vscode-lm', scope: 'propose' as const };
const AGENT_PICKS: { label: string; agent: AgentKind; detail: string }[] = [
  { label: 'Claude Code', agent: 'claude-code', detail: 'adds the server to .mcp.json (as a proposal); the token comes from RUSTY_GATEWAY_TOKEN' },
  { label: 'GitHub Copilot (VS Code agent mode)', agent: 'copilot', detail: 'adds the server to .vscode/mcp.json (as a proposal); VS Code asks for the token once' },
  { label: 'Cline', agent: 'cline', detail: "shows the entry for Cline's MCP settings" },
  { label: 'Other MCP client', agent: 'other', detail: 'shows the URL and how to authenticate' },
];

/** The status bar item's menu; internal (not contributed, so not in the palette). */
const MENU_COMMAND = 'rusty.gateway.menu';

const secretKey = (stateDir: string, client: string) => `rusty.gateway.token:${stateDir}:${client}`;

class GatewayHost implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rusty.gateway', vscode.StatusBarAlignment.Left, 9);
  private running: { ws: RustyWorkspace; gw: Gateway; http: HttpGateway; ownGateway: boolean } | undefined;
  private ticker: NodeJS.Timeout | undefined;
  /** In-process gateways for the language-model tools, per workspace folder. */
  private readonly codeTools: CodeModeGatewayTools[] = [];
  private readonly lm = new Map<string, Promise<{ gw: Gateway; client: InProcessGatewayClient; own: boolean }>>();

  constructor(private readonly c: Container, private readonly context: vscode.ExtensionContext) {
    this.item.name = 'Rusty: agent gateway';
    this.item.command = MENU_COMMAND;
  }

  private get version(): string {
    return String((this.context.extension.packageJSON as { version?: string }).version ?? 'dev');
  }

  private updateItem(): void {
    if (!this.running) {
      this.item.hide();
      return;
    }
    let queued = 0;
    let dead = 0;
    try {
      const q = this.running.gw.queue.read();
      queued = q.entries.length;
      dead = q.dead.length;
    } catch {
      // a damaged queue file: the gateway reports it on the next call
    }
    const extra = [queued ? `${queued} queued` : '', dead ? `${dead} refused` : ''].filter(Boolean).join(' · ');
    this.item.text = `$(broadcast) Rusty gateway :${this.running.http.port}${extra ? ` · ${extra}` : ''}`;
    this.item.tooltip = `Agent gateway for ${this.running.ws.name} on ${this.running.http.url}${dead ? ` — ${dead} submission${dead === 1 ? '' : 's'} refused (dead letters)` : ''}. Click for actions.`;
    this.item.show();
  }

  /** A gateway with code mode (execute_code, search_tools over the window's MCP servers). */
  private newGateway(engine: GatewayEngine, core: RustyCore): Gateway {
    const code = engine.codeModeGatewayTools({ openMcp: () => this.gatewayMcp() });
    this.codeTools.push(code);
    return new engine.Gateway({ core, version: this.version, log: (line) => this.c.log.info(line), extraTools: [code.provider] });
  }

  /** The window's MCP service for gateway scripts; it stays the window's (the gateway never stops it). */
  private async gatewayMcp(): Promise<GatewayMcp> {
    if (!this.c.mcpHost) throw new Error('MCP is not available in this window.');
    const svc = await this.c.mcpHost.service();
    return {
      callTool: (server, tool, args, opts) => svc.callTool(server, tool, args, opts),
      tools: (server) => svc.tools(server),
      searchTools: (query, opts) => svc.searchTools(query, opts),
      isReadOnly: (server, tool) => svc.isReadOnly(server, tool),
      start: () => svc.start(),
      dispose: async () => {},
    };
  }

  private menuState(): GatewayMenuState {
    if (!this.running) return { running: false };
    let queued = 0;
    let dead = 0;
    try {
      const q = this.running.gw.queue.read();
      queued = q.entries.length;
      dead = q.dead.length;
    } catch {
      // a damaged queue file: the gateway reports it on the next call
    }
    return { running: true, url: this.running.http.url, queued, dead };
  }

  /**
   * The status bar item's menu (see menuItems.ts). Returns what it offered and what was picked;
   * "Show Refused Submissions" opens the approvals sidebar and returns the dead letters it shows.
   */
  async menu(): Promise<{ offered: GatewayMenuId[]; picked?: GatewayMenuId; deadLetters?: ApprovalsSnapshot['deadLetters'] }> {
    const state = this.menuState();
    const items = gatewayMenuItems(state);
    const offered = items.map((i) => i.id);
    const pick = await vscode.window.showQuickPick(items, { title: gatewayMenuTitle(state) });
    const picked = pick?.id;
    if (picked === 'start') await this.start();
    else if (picked === 'connect') await this.connectAgent();
    else if (picked === 'stop') await this.stop();
    else if (picked === 'copy' && this.running) await vscode.env.clipboard.writeText(this.running.http.url);
    else if (picked === 'dead' && this.running) {
      const { ws } = this.running;
      await vscode.commands.executeCommand(Commands.showApprovals);
      ws.refresh(await ws.core());
      return { offered, picked, deadLetters: this.c.approvals.snapshot().deadLetters ?? [] };
    }
    return { offered, ...(picked ? { picked } : {}) };
  }

  async start(quiet = false): Promise<HttpGateway> {
    if (this.running) return this.running.http;
    const ws = this.c.requireCurrent();
    const core = await ws.core();
    const engine = loadGateway();
    // One gateway (one queue worker) per folder: reuse the one the language-model tools started.
    const shared = await this.lm.get(ws.folder.uri.toString())?.catch(() => undefined);
    const gw = shared?.gw ?? this.newGateway(engine, core);
    if (!shared) gw.start();
    const { port } = readGatewaySettings((k) => vscode.workspace.getConfiguration().get(k));
    let http: HttpGateway;
    try {
      http = await engine.startHttpGateway(gw, { port });
    } catch (err) {
      if (!shared) await gw.close();
      throw err;
    }
    this.running = { ws, gw, http, ownGateway: !shared };
    this.ticker = setInterval(() => this.updateItem(), 3000);
    this.c.log.info(`Agent gateway for ${ws.name} listening on ${http.url}`);
    this.updateItem();
    if (!quiet) void vscode.window.showInformationMessage(`Rusty agent gateway listening on ${http.url}. Agents need a token: "Rusty: Connect an Agent…".`, 'Connect an Agent…').then((pick) => {
      if (pick) void vscode.commands.executeCommand(GatewayCommands.connectAgent);
    });
    return http;
  }

  async stop(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.updateItem();
    if (!r) return;
    await r.http.close();
    // The language-model tools may still use it.
    const usedByLm = [...this.lm.values()].length > 0 && await Promise.all([...this.lm.values()].map((e) => e.then((x) => x.gw === r.gw, () => false))).then((xs) => xs.some(Boolean));
    if (r.ownGateway && !usedByLm) await r.gw.close();
    this.c.log.info('Agent gateway stopped; queued submissions stay in the state folder.');
  }

  async connectAgent(): Promise<void> {
    const pick = await vscode.window.showQuickPick(AGENT_PICKS, { title: 'Rusty: Connect an Agent…', placeHolder: 'Which agent should send its changes through Rusty?' });
    if (!pick) return;
    const http = await this.start(true);
    const { ws, gw } = this.running!;
    const engine = loadGateway();
    const name = pick.agent;
    // A token is shown only once: keep it in SecretStorage; replace a client whose token is lost.
    let token = await this.c.secrets.get(secretKey(gw.core.stateDir, name));
    const active = gw.clients.active().find((x) => x.name === name);
    if (!token || !active) {
      if (active) gw.clients.revoke(name);
      token = gw.clients.add(name, 'propose').token;
      await this.c.secrets.store(secretKey(gw.core.stateDir, name), token);
    }
    await vscode.env.clipboard.writeText(token);
    const cfg = engine.agentConfig(pick.agent, http.url, name);
    if (cfg.file) {
      const core = await ws.core();
      const existing = await core.wfs.read(cfg.file);
      const content = engine.mergeAgentConfig(existing ? Buffer.from(existing).toString('utf8') : undefined, cfg);
      const { proposal } = await core.submit({
        title: `Connect ${pick.label} to the Rusty agent gateway`, source: 'gateway:connect-agent',
        rationale: `Adds the "rusty" MCP server (${http.url}) to ${cfg.file}. No token is written: ${cfg.steps.join(' ')}`,
        edits: [existing ? { kind: 'modify', path: cfg.file, baseHash: sha256(existing), content } : { kind: 'create', path: cfg.file, content }],
      });
      await this.c.reviewPanels.open(proposal.id);
    } else {
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify({ [cfg.serversKey]: { rusty: cfg.server } }, null, 2) });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
    void vscode.window.showInformationMessage(`Gateway client "${name}" (propose scope): its token is on the clipboard and in VS Code's secret storage. ${cfg.steps.join(' ')}`);
  }

  /** The gateway the language-model tools call: the running one for this folder, else an in-process one. */
  private async lmClient(): Promise<{ gw: Gateway; client: InProcessGatewayClient }> {
    const ws = this.c.requireCurrent();
    const key = ws.folder.uri.toString();
    let entry = this.lm.get(key);
    if (!entry) {
      entry = (async () => {
        const engine = loadGateway();
        const running = this.running?.ws === ws ? this.running.gw : undefined;
        const gw = running ?? this.newGateway(engine, await ws.core());
        if (!running) gw.start();
        return { gw, client: await engine.connectInProcess(gw, LM_CLIENT), own: !running };
      })();
      entry.catch(() => this.lm.delete(key));
      this.lm.set(key, entry);
    }
    return entry;
  }

  registerLmTools(): vscode.Disposable[] {
    if (!vscode.lm?.registerTool) return [];
    return LM_TOOLS.map((spec) => vscode.lm.registerTool<Record<string, unknown>>(spec.name, {
      prepareInvocation: (options) => {
        const p = spec.prepare(options.input ?? {});
        return {
          invocationMessage: p.invocationMessage,
          ...(p.confirmation ? { confirmationMessages: { title: p.confirmation.title, message: new vscode.MarkdownString(p.confirmation.message) } } : {}),
        };
      },
      invoke: async (options) => {
        const { client } = await this.lmClient();
        const r = await client.call(spec.gatewayTool, spec.args(options.input ?? {}));
        if (!r.ok) return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`Rusty refused: ${r.error}`)]);
        const v = r.value as { proposalId?: string; state?: string };
        // A new proposal opens in the review panel: the person decides there.
        if (v.proposalId && (spec.gatewayTool === 'submit_change_set' || spec.gatewayTool === 'propose_refactoring')) {
          void this.c.reviewPanels.open(v.proposalId).catch((err: unknown) => this.c.log.warn(`Could not open proposal ${v.proposalId}: ${(err as Error).message}`));
        }
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(r.value))]);
      },
    }));
  }

  async shutdown(): Promise<void> {
    await this.stop();
    for (const e of this.lm.values()) {
      const { gw, client, own } = await e.catch(() => ({ gw: undefined, client: undefined, own: false }));
      await client?.close();
      if (own) await gw?.close();
    }
    this.lm.clear();
    for (const code of this.codeTools.splice(0)) await code.dispose();
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function registerGateway(c: Container, context: vscode.ExtensionContext): vscode.Disposable[] {
  const host = new GatewayHost(c, context);
  c.onShutdown(() => host.shutdown());
  const run = <T>(fn: () => Promise<T>) => async (): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      c.actions.showError(err);
      return undefined;
    }
  };
  if (readGatewaySettings((k) => vscode.workspace.getConfiguration().get(k)).autoStart) {
    setTimeout(() => void host.start(true).catch((err: unknown) => c.log.error(`Agent gateway did not start: ${(err as Error).message}`)), 0);
  }
  return [
    host,
    vscode.commands.registerCommand(GatewayCommands.start, run(async () => {
      const http = await host.start();
      return { url: http.url, port: http.port };
    })),
    vscode.commands.registerCommand(GatewayCommands.stop, run(() => host.stop())),
    vscode.commands.registerCommand(GatewayCommands.connectAgent, run(() => host.connectAgent())),
    vscode.commands.registerCommand(MENU_COMMAND, run(() => host.menu())),
    ...host.registerLmTools(),
  ];
}
