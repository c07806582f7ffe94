// The composition root: builds every part of the extension once, wires them together and owns
// their Disposables. Activation does only this — no core I/O, no engines (ts-morph loads from
// dist/engines.js on the first "Propose"/"Review Workspace"), no MCP, no providers. Each workspace
// folder's core is created on first use, which first finishes or undoes an interrupted apply.
import * as vscode from 'vscode';
import type { RecoveryReport } from '../core/checkpoints/transaction';
import type { Proposal } from '../core/proposals/model';
import { RustyError } from '../core/util/errors';
import { Actions } from './actions/actions';
import { VscodeSecrets, type Secrets } from './adapters/secrets';
import { GlobalStateAuditWitness } from './adapters/auditWitness';
import type { QuarantineRecord } from '../core/state/quarantine';
import { RustyCodeLensProvider } from './codelens/codeLensProvider';
import { Views } from './commands/ids';
import { registerCommands } from './commands/registerCommands';
import { registerMcp } from './mcp/commands';
import type { McpHost } from './mcp/mcpHost';
import { registerAi } from './ai/commands';
import { registerGateway } from './gateway/commands';
import { GitHubService } from './github/githubService';
import { registerGitHub } from './github/commands';
import { ProposalContentProvider } from './diff/proposalContentProvider';
import { PROPOSAL_SCHEME } from './diff/proposalUri';
import { RustyStatusBar } from './statusBar';
import { registerSuggestions } from './suggestions/register';
import { registerTestGen } from './testgen/register';
import { registerDebug } from './debug/register';
import { ApprovalsViewProvider } from './webviews/approvalsView';
import { AuditPanel } from './webviews/auditPanel';
import { ReviewPanels } from './webviews/reviewPanels';
import { RustyWorkspace } from './workspace/rustyWorkspace';
import { CORE_SETTING_KEYS } from './workspace/settings';

function describeRecovery(r: RecoveryReport): string {
  const what = r.outcome === 'completed' ? 'completed it' : 'restored the files to how they were before it';
  const rescued = r.rescued.length ? ` Bytes found in ${r.rescued.map((x) => x.path).join(', ')} were neither before nor after; they are saved as blobs ${r.rescued.map((x) => x.blob.slice(0, 12)).join(', ')}.` : '';
  const skipped = r.skipped?.length ? ` Left alone because they are not safe to write now: ${r.skipped.map((x) => `${x.path} (${x.reason})`).join(', ')}.` : '';
  return `Rusty recovered an interrupted ${r.kind} of proposal ${r.proposalId}: ${what} (${r.files.length} file${r.files.length === 1 ? '' : 's'}).${rescued}${skipped}`;
}

export class Container implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly secrets: Secrets;
  readonly extensionUri: vscode.Uri;
  readonly approvalsViewId = Views.approvals;
  readonly actions: Actions;
  readonly approvals: ApprovalsViewProvider;
  readonly reviewPanels: ReviewPanels;
  readonly auditPanel: AuditPanel;
  readonly github: GitHubService;
  private readonly workspaces = new Map<string, { ws: RustyWorkspace; sub: vscode.Disposable }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Any workspace folder's proposals changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly shutdowns: (() => Promise<void>)[] = [];
  private readonly globalState: vscode.Memento;

  constructor(context: vscode.ExtensionContext) {
    this.extensionUri = context.extensionUri;
    this.globalState = context.globalState;
    this.log = vscode.window.createOutputChannel('Rusty', { log: true });
    this.secrets = new VscodeSecrets(context.secrets);
    this.actions = new Actions({
      log: this.log,
      openReview: (id) => this.reviewPanels.open(id),
      setBusy: (label) => this.approvals.setBusy(label),
    });
    this.approvals = new ApprovalsViewProvider(this);
    this.reviewPanels = new ReviewPanels(this);
    this.auditPanel = new AuditPanel(this);
    this.github = new GitHubService(this.log);
    const codeLens = new RustyCodeLensProvider(this);
    const content = new ProposalContentProvider(this);

    this.disposables.push(
      this.changed,
      ...registerCommands(this),
      // MCP: the view and commands; the SDK and servers load on first use (dist/mcp.js).
      ...registerMcp(this, context),
      // AI: keys, "Ask…" and the "AI Models" view; the runtime and SDKs load on first ask (dist/ai.js).
      ...registerAi(this, context),
      ...registerGateway(this, context),
      // GitHub: "Open Pull Request"; Octokit loads on first use.
      this.github,
      ...registerGitHub(this),
      vscode.window.registerWebviewViewProvider(Views.approvals, this.approvals),
      vscode.window.registerWebviewPanelSerializer(Views.reviewPanel, this.reviewPanels),
      vscode.window.registerWebviewPanelSerializer(Views.auditPanel, this.auditPanel),
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, content),
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, codeLens),
      new RustyStatusBar(this),
      registerSuggestions(this),
      // Tests and debugging: "Generate Tests" and its lenses, "Debug Stack Trace…", "Propose a Fix" on a stopped session.
      registerTestGen(this, context),
      registerDebug(this, context),
      codeLens,
      content,
      this.approvals,
      this.reviewPanels,
      this.auditPanel,
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const { ws } of this.workspaces.values()) {
          if (CORE_SETTING_KEYS.some((key) => e.affectsConfiguration(key, ws.folder.uri))) ws.reconfigure();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const folder of e.removed) this.drop(folder.uri.toString());
        this.changed.fire();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => {
        // The sidebar and the audit view follow the folder of the active editor in a multi-root window.
        if (this.workspaces.size > 1) this.changed.fire();
      }),
      this.log,
    );
    // Load the current folder's proposals soon after activation (status bar, CodeLenses), not during it.
    setTimeout(() => {
      const ws = this.current();
      if (ws) void ws.core().catch((err: unknown) => this.log.error(`Rusty could not open its state for ${ws.name}: ${(err as Error).message}`));
    }, 0);
  }

  /** The Rusty workspace of a file-system workspace folder (created on first request). */
  private forFolder(folder: vscode.WorkspaceFolder): RustyWorkspace | undefined {
    if (folder.uri.scheme !== 'file') return undefined;
    const key = folder.uri.toString();
    let entry = this.workspaces.get(key);
    if (!entry) {
      const ws = new RustyWorkspace(folder, {
        log: this.log,
        onRecovered: (w, reports) => this.announceRecovery(w, reports),
        auditWitnesses: (auditFile) => [new GlobalStateAuditWitness(this.globalState, auditFile)],
        onQuarantined: (w, r) => this.announceQuarantine(w, r),
      });
      entry = { ws, sub: ws.onDidChange(() => this.changed.fire()) };
      this.workspaces.set(key, entry);
    }
    return entry.ws;
  }

  private drop(key: string): void {
    const entry = this.workspaces.get(key);
    if (!entry) return;
    entry.sub.dispose();
    entry.ws.dispose();
    this.workspaces.delete(key);
  }

  workspaceFor(uri: vscode.Uri): RustyWorkspace | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.forFolder(folder) : undefined;
  }

  /** Folder of the active editor, else the first local folder. */
  current(): RustyWorkspace | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active ? this.workspaceFor(active) : undefined;
    if (fromEditor) return fromEditor;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const ws = this.forFolder(folder);
      if (ws) return ws;
    }
    return undefined;
  }

  requireCurrent(): RustyWorkspace {
    const ws = this.current();
    if (!ws) throw new RustyError('usage', 'Open a folder first: Rusty works on the files of a local workspace folder.');
    return ws;
  }

  all(): RustyWorkspace[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => this.forFolder(f)).filter((w): w is RustyWorkspace => !!w);
  }

  /** The folder holding proposal `id`, if any (loads each folder's core as needed). */
  async find(id: string): Promise<{ ws: RustyWorkspace; proposal: Proposal } | undefined> {
    for (const ws of this.all()) {
      const proposal = (await ws.core()).proposals.find(id);
      if (proposal) return { ws, proposal };
    }
    return undefined;
  }

  async resolve(id: string): Promise<{ ws: RustyWorkspace; proposal: Proposal }> {
    const found = await this.find(id);
    if (!found) throw new RustyError('not-found', `No proposal ${id} in this window's workspace folders.`);
    return found;
  }

  private announceRecovery(ws: RustyWorkspace, reports: RecoveryReport[]): void {
    for (const r of reports) {
      const text = describeRecovery(r);
      this.log.warn(`${ws.name}: ${text}`);
      void vscode.window.showWarningMessage(text, 'Open Audit Log').then((pick) => {
        if (pick) void this.auditPanel.open({ proposalId: r.proposalId }).catch((err: unknown) => this.actions.showError(err));
      });
    }
    ws.refresh();
  }

  private announceQuarantine(ws: RustyWorkspace, r: QuarantineRecord): void {
    const text = `Rusty found a corrupt state file in ${ws.name} (${r.original}: ${r.reason}) and moved it to ${r.movedTo}. Everything else keeps working; run \`rusty doctor\` in a terminal to check the whole state folder.`;
    this.log.warn(text);
    void vscode.window.showWarningMessage(text);
  }

  onShutdown(fn: () => Promise<void>): void {
    this.shutdowns.push(fn);
  }

  /** The window's MCP host (set by registerMcp): AI asks offer its tools, sampling is wired into it. */
  mcpHost: McpHost | undefined;

  onMcpHost(host: McpHost): void {
    this.mcpHost = host;
  }

  /** Asynchronous cleanup deactivate() awaits (VS Code calls it before disposing subscriptions). */
  async shutdown(): Promise<void> {
    await Promise.allSettled(this.shutdowns.splice(0).map((fn) => fn()));
  }

  dispose(): void {
    for (const key of [...this.workspaces.keys()]) this.drop(key);
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error('Rusty: disposing failed', err);
      }
    }
  }
}
