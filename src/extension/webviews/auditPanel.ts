// The audit log view: one WebviewPanel, filterable by proposal, with "Verify audit log".
import * as vscode from 'vscode';
import type { AuditProtocol, AuditSnapshot } from '../../shared/auditProtocol';
import { toUserError } from '../actions/errors';
import { Views } from '../commands/ids';
import type { Container } from '../container';
import { toAuditEntryView } from '../views/proposalViews';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { auditFilterFromState } from './panelState';
import { WebviewProtocolHost, type RequestHandlers } from './protocolHost';
import { auditSchemas } from './schemas';
import { webviewHtml, webviewOptions } from './webviewResources';

export class AuditPanel implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private host: WebviewProtocolHost<AuditProtocol> | undefined;
  private ws: RustyWorkspace | undefined;
  private filter: string | undefined;
  private verify: AuditSnapshot['verify'];
  private error: string | undefined;
  private subscriptions: vscode.Disposable[] = [];

  constructor(private readonly container: Container) {}

  async open(opts: { proposalId?: string } = {}): Promise<void> {
    if (opts.proposalId !== undefined) this.filter = opts.proposalId;
    if (this.panel) {
      this.panel.reveal();
      await this.refresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel(Views.auditPanel, 'Rusty: Audit Log', vscode.ViewColumn.Active, {
      ...webviewOptions(this.container.extensionUri),
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    this.attach(panel, this.container.requireCurrent());
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const ws = this.container.current();
    if (this.panel || !ws) {
      panel.dispose();
      return;
    }
    this.filter = auditFilterFromState(state);
    this.attach(panel, ws);
  }

  private attach(panel: vscode.WebviewPanel, ws: RustyWorkspace): void {
    this.panel = panel;
    this.ws = ws;
    panel.webview.options = webviewOptions(this.container.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.container.extensionUri, 'media', 'rusty.svg');
    panel.webview.html = webviewHtml(panel.webview, this.container.extensionUri, 'audit', 'Rusty: Audit Log');
    const host = new WebviewProtocolHost<AuditProtocol>(panel.webview, 'audit', auditSchemas, this.handlers(), this.container.log, () => void this.refresh());
    this.host = host;
    this.subscriptions = [
      host,
      panel.onDidChangeViewState(() => {
        if (!panel.visible) host.reset();
      }),
      ws.onDidChangeState(() => void this.refresh()),
      panel.onDidDispose(() => {
        for (const s of this.subscriptions.splice(0)) s.dispose();
        this.panel = undefined;
        this.host = undefined;
      }),
    ];
    void this.refresh();
  }

  private handlers(): RequestHandlers<AuditProtocol> {
    return {
      setFilter: async ({ proposalId }) => {
        this.filter = proposalId;
        await this.refresh();
      },
      verify: async () => {
        const core = await this.workspace().core();
        this.verify = core.verifyAudit();
        await this.refresh();
        return this.verify;
      },
      openProposal: ({ id }) => this.container.reviewPanels.open(id),
    };
  }

  private workspace(): RustyWorkspace {
    return this.ws ?? this.container.requireCurrent();
  }

  async snapshot(): Promise<AuditSnapshot> {
    const core = await this.workspace().core();
    return {
      entries: core.auditEntries(this.filter ? { proposalId: this.filter } : {}).map(toAuditEntryView),
      ...(this.filter ? { proposalId: this.filter } : {}),
      ...(this.verify ? { verify: this.verify } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  async refresh(): Promise<void> {
    if (!this.host) return;
    try {
      this.error = undefined;
      this.host.notify('snapshot', await this.snapshot());
    } catch (err) {
      this.error = toUserError(err).message;
      this.container.log.warn(`Audit view: ${this.error}`);
      this.host.notify('snapshot', { entries: [], ...(this.filter ? { proposalId: this.filter } : {}), error: this.error });
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
