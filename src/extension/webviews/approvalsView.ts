// The sidebar (WebviewView "rusty.approvals"): the proposal queue of the current workspace folder,
// live — it refreshes whenever the state folder changes, whoever changed it.
import type * as vscode from 'vscode';
import type { ApprovalsProtocol, ApprovalsSnapshot } from '../../shared/approvalsProtocol';
import { toUserError } from '../actions/errors';
import { GatewayPaths } from '../../core/gateway/paths';
import { GatewayQueue, type DeadLetter } from '../../core/gateway/queue';
import type { Container } from '../container';
import { pendingCount, toCardView } from '../views/proposalViews';
import { WebviewProtocolHost, type RequestHandlers } from './protocolHost';
import { approvalsSchemas } from './schemas';
import { webviewHtml, webviewOptions } from './webviewResources';

/** Newest first, at most 100 (the queue keeps 500). */
function deadLetterViews(dead: readonly DeadLetter[]): Pick<ApprovalsSnapshot, 'deadLetters'> {
  if (!dead.length) return {};
  return { deadLetters: dead.slice(-100).reverse().map((d) => ({ id: d.id, client: d.client, ...(d.title ? { title: d.title } : {}), kind: d.kind, code: d.code, reason: d.reason, failedAt: d.failedAt })) };
}

export class ApprovalsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private host: WebviewProtocolHost<ApprovalsProtocol> | undefined;
  private view: vscode.WebviewView | undefined;
  private busy: string | undefined;
  private lastError: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly container: Container) {
    this.subscriptions.push(container.onDidChange(() => this.refresh()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.container.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.container.extensionUri, 'approvals', 'Rusty: Approvals');
    const host = new WebviewProtocolHost<ApprovalsProtocol>(view.webview, 'approvals', approvalsSchemas, this.handlers(), this.container.log, () => this.refresh());
    this.host = host;
    const visibility = view.onDidChangeVisibility(() => {
      if (!view.visible) host.reset();
    });
    view.onDidDispose(() => {
      visibility.dispose();
      host.dispose();
      if (this.host === host) {
        this.host = undefined;
        this.view = undefined;
      }
    });
    this.refresh();
  }

  get visible(): boolean {
    return !!this.view?.visible;
  }

  setBusy(label: string | undefined): void {
    this.busy = label;
    this.refresh();
  }

  private handlers(): RequestHandlers<ApprovalsProtocol> {
    const c = this.container;
    // Errors are shown as notifications by Actions and as a banner here, and answered to the webview.
    const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        const result = await fn();
        this.lastError = undefined;
        return result;
      } catch (err) {
        this.lastError = toUserError(err).message;
        throw err;
      } finally {
        this.refresh();
      }
    };
    return {
      review: ({ id }) => guard(() => c.reviewPanels.open(id)),
      approve: ({ id }) => guard(async () => {
        const { ws } = await c.resolve(id);
        const r = await c.actions.approve(ws, id);
        return { status: r.proposal.status, applied: r.applied };
      }),
      reject: ({ id, reason }) => guard(async () => {
        const { ws } = await c.resolve(id);
        const p = await c.actions.reject(ws, id, reason);
        return { status: p.status };
      }),
      rollback: ({ id }) => guard(async () => {
        const { ws } = await c.resolve(id);
        const r = await c.actions.rollback(ws, id);
        return { status: r.proposal.status };
      }),
      redo: ({ id }) => guard(async () => {
        const { ws } = await c.resolve(id);
        const r = await c.actions.redo(ws, id);
        return { status: r.proposal.status };
      }),
      reviewWorkspace: () => guard(async () => {
        const ws = c.requireCurrent();
        const r = await c.actions.propose(ws, { title: 'Review Workspace' });
        return { created: r.created.length };
      }),
      openAuditLog: () => guard(() => c.auditPanel.open()),
      openPullRequest: ({ id }) => guard(async () => {
        const { ws } = await c.resolve(id);
        return c.github.openPullRequest(ws, id);
      }),
      dismissDeadLetter: ({ id }) => guard(() => this.dismissDead([id])),
      clearDeadLetters: () => guard(() => this.dismissDead(undefined)),
    };
  }

  /** Remove refused gateway submissions from the current folder's dead-letter list (under the gateway lock). */
  private async dismissDead(ids: string[] | undefined): Promise<{ removed: number }> {
    const ws = this.container.requireCurrent();
    const p = new GatewayPaths((await ws.core()).stateDir);
    // A paused queue never processes: it only edits the file.
    const queue = new GatewayQueue(p.queue, p.lock, () => Promise.reject(new Error('not processing')), { paused: true });
    const removed = await queue.dismissDead(ids);
    ws.refresh();
    return { removed };
  }

  snapshot(): ApprovalsSnapshot {
    const ws = this.container.current();
    if (!ws) return { workspaceName: '', proposals: [], pendingCount: 0, noWorkspace: true };
    const proposals = ws.proposals();
    return {
      workspaceName: ws.name,
      proposals: proposals.map(toCardView),
      pendingCount: pendingCount(proposals),
      ...deadLetterViews(ws.deadLetters()),
      ...(this.busy ? { busy: { label: this.busy } } : {}),
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  refresh(): void {
    if (!this.host) return;
    const ws = this.container.current();
    if (ws && !ws.loaded) {
      void ws.core().catch((err: unknown) => {
        this.lastError = toUserError(err).message;
        this.host?.notify('snapshot', this.snapshot());
      });
    }
    this.host.notify('snapshot', this.snapshot());
  }

  dispose(): void {
    this.host?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
