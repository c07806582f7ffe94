// Review panels: one WebviewPanel per proposal (revealed again if already open), with the diff,
// partial approval, the progress tracker during approve / rollback / redo, and guidance when a
// proposal conflicted, went stale or failed. Panels survive a window reload (serializer): the
// webview keeps `proposalId` in its state (vscode.setState).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Proposal } from '../../core/proposals/model';
import { relPathProblem } from '../../core/proposals/paths';
import { RustyError } from '../../core/util/errors';
import type { ProgressView } from '../../shared/proposalView';
import type { ReviewProtocol, ReviewSnapshot } from '../../shared/reviewProtocol';
import { toUserError } from '../actions/errors';
import { Views } from '../commands/ids';
import type { Container } from '../container';
import { ProposalContentProvider } from '../diff/proposalContentProvider';
import { fileAt } from '../diff/proposalUri';
import { alternativesOf, guidanceFor, proposalTexts, reviewPanelTitle, toDetailView } from '../views/proposalViews';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { askingFromState, proposalIdFromState } from './panelState';
import { AskProgress } from '../ai/askProgress';
import { WebviewProtocolHost, type RequestHandlers } from './protocolHost';
import { reviewSchemas } from './schemas';
import { webviewHtml, webviewOptions } from './webviewResources';

function panelTitle(p: Pick<Proposal, 'id' | 'title'>): string {
  return reviewPanelTitle(p);
}

class ReviewPanel implements vscode.Disposable {
  private readonly host: WebviewProtocolHost<ReviewProtocol>;
  private progress: ProgressView | undefined;
  private error: string | undefined;
  private texts: { key: string; value: ReviewSnapshot['texts'] } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Polls the CI of the proposal's pull request while the panel is open. */
  private ci: vscode.Disposable | undefined;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly id: string,
    private readonly ws: RustyWorkspace,
    private readonly container: Container,
    onDispose: () => void,
  ) {
    panel.webview.options = webviewOptions(container.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(container.extensionUri, 'media', 'rusty.svg');
    this.host = new WebviewProtocolHost<ReviewProtocol>(panel.webview, `review ${id}`, reviewSchemas, this.handlers(), container.log, () => void this.refresh());
    this.subscriptions.push(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.host.reset();
      }),
      ws.onDidChange(() => void this.refresh()),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  private handlers(): RequestHandlers<ReviewProtocol> {
    const { actions } = this.container;
    const opts = { quiet: true, onProgress: (p: ProgressView) => this.setProgress(p) };
    const run = async <T>(fn: () => Promise<T>): Promise<T> => {
      this.error = undefined;
      try {
        return await fn();
      } catch (err) {
        this.error = toUserError(err).message;
        throw err;
      } finally {
        await this.refresh();
      }
    };
    return {
      approve: ({ files, hunks }) => run(async () => {
        const r = await actions.approve(this.ws, this.id, { files, hunks }, opts);
        return { status: r.proposal.status, applied: r.applied, merged: r.merged };
      }),
      reject: ({ reason }) => run(async () => ({ status: (await actions.reject(this.ws, this.id, reason, { quiet: true })).status })),
      // `force` comes from the panel's own "Roll back with force" banner, shown with the conflict.
      rollback: ({ force }) => run(async () => ({ status: (await actions.rollback(this.ws, this.id, force, opts)).proposal.status })),
      redo: () => run(async () => ({ status: (await actions.redo(this.ws, this.id, opts)).proposal.status })),
      openDiff: async ({ path }) => {
        const p = await this.proposal();
        const f = fileAt(p, path);
        if (!f) throw new RustyError('not-found', `Proposal ${p.id} has no file ${path}.`);
        const folder = this.ws.folder.uri;
        const left = ProposalContentProvider.uri(folder, p.id, f.path, 'before');
        const right = ProposalContentProvider.uri(folder, p.id, f.to ?? f.path, 'after');
        const label = f.to ? `${f.path} → ${f.to}` : f.path;
        await vscode.commands.executeCommand('vscode.diff', left, right, `${label} (Rusty ${p.id}: before ↔ proposed)`, { preview: true, preserveFocus: true });
      },
      openFile: async ({ path, line }) => {
        const problem = relPathProblem(path);
        if (problem) throw new RustyError('path-refused', `Cannot open ${path}: ${problem}.`);
        const core = await this.ws.core();
        const outside = await core.wfs.containmentProblem(path);
        if (outside) throw new RustyError('path-refused', `Cannot open ${path}: it ${outside}.`);
        if (!(await core.wfs.stat(path))) throw new RustyError('not-found', `${path} does not exist in the workspace.`);
        const doc = await vscode.workspace.openTextDocument(this.ws.uri(path));
        const at = new vscode.Position(Math.min(Math.max((line ?? 1) - 1, 0), Math.max(doc.lineCount - 1, 0)), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(at, at), preview: true, preserveFocus: true });
      },
      cancelAsk: () => {
        throw new RustyError('bad-state', 'The model has finished: there is nothing to cancel.');
      },
      openTranscript: async () => {
        const core = await this.ws.core();
        const t = core.get(this.id).ai?.transcript;
        if (!t) throw new RustyError('not-found', `Proposal ${this.id} has no AI transcript.`);
        const problem = relPathProblem(t.path);
        if (problem) throw new RustyError('path-refused', `Cannot open the transcript ${t.path}: ${problem}.`);
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(core.stateDir, ...t.path.split('/'))));
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      },
      openProposal: ({ id }) => this.container.reviewPanels.open(id),
      openPullRequest: ({ draft }) => run(async () => {
        const r = await this.container.github.openPullRequest(this.ws, this.id, { draft });
        this.watchCi();
        return r;
      }),
      // The full type check the size limit skipped, with progress; the result is stored with the proposal.
      checkNow: () => run(async () => {
        const core = await this.ws.core();
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rusty: type-checking ${this.id} in full`, cancellable: true }, async (_progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          try {
            await core.refreshImpact(this.id, { fullCheck: true, signal: abort.signal });
          } finally {
            sub.dispose();
          }
        });
      }),
    };
  }

  private async proposal(): Promise<Proposal> {
    return (await this.ws.core()).get(this.id);
  }

  /** Start polling CI once there is a pull request whose checks have not finished (stops by itself). */
  private watchCi(): void {
    if (this.ci) return;
    void this.proposal().then((p) => {
      if (p.pullRequest && !this.ci) this.ci = this.container.github.watchCi(this.ws, p);
    }, () => undefined);
  }

  private setProgress(p: ProgressView): void {
    this.progress = p;
    void this.refresh();
  }

  async snapshot(): Promise<ReviewSnapshot> {
    const core = await this.ws.core();
    const p = core.get(this.id);
    // Blobs never change: texts are read once per proposal content.
    if (this.texts?.key !== p.fingerprint) this.texts = { key: p.fingerprint, value: proposalTexts(p, (h) => core.blobText(h)) };
    const guidance = guidanceFor(p);
    const alternatives = alternativesOf(p, (id) => core.proposals.find(id));
    return {
      proposal: toDetailView(p),
      ...(alternatives ? { alternatives } : {}),
      texts: this.texts.value,
      ...(this.progress ? { progress: this.progress } : {}),
      ...(guidance ? { guidance } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /**
   * Writes the page with the first snapshot in it (html.ts `initialSnapshot`): the diff paints with
   * the page, without waiting for `ready` and the reply. Without a snapshot, the page asks as usual.
   */
  async load(): Promise<void> {
    let snap: ReviewSnapshot | undefined;
    try {
      snap = await this.snapshot();
      this.panel.title = panelTitle(snap.proposal);
      this.host.seed('snapshot', snap);
    } catch (err) {
      this.container.log.warn(`Review panel ${this.id}: ${toUserError(err).message}`);
    }
    if (this.disposed) return;
    this.panel.webview.html = webviewHtml(this.panel.webview, this.container.extensionUri, 'review', `Rusty: review ${this.id}`, snap);
    if (snap?.proposal.pullRequest) this.watchCi();
  }

  async refresh(): Promise<void> {
    try {
      const snap = await this.snapshot();
      this.panel.title = panelTitle(snap.proposal);
      if (snap.proposal.pullRequest) this.watchCi();
      this.host.notify('snapshot', snap);
    } catch (err) {
      this.container.log.warn(`Review panel ${this.id}: ${toUserError(err).message}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.host.dispose();
    this.ci?.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}

/** Snapshots while asking are posted at most this often (the model streams many small deltas). */
const ASK_REFRESH_MS = 100;

/**
 * The review panel while "Rusty: Ask…" runs: the model's streamed text and the agent's events, with
 * a Cancel button. `showProposal` turns the same editor tab into the proposal's review panel.
 */
export class AskPanel implements vscode.Disposable {
  private readonly host: WebviewProtocolHost<ReviewProtocol>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private handedOver = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly progress: AskProgress,
    private readonly cancel: () => void,
    private readonly container: Container,
  ) {
    panel.webview.options = webviewOptions(container.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(container.extensionUri, 'media', 'rusty.svg');
    panel.webview.html = webviewHtml(panel.webview, container.extensionUri, 'review', 'Rusty: asking the model');
    const busy = (): never => {
      const working = this.progress.status === 'running' || this.progress.status === 'cancelling';
      throw new RustyError('bad-state', working ? 'The model is still working: wait for the proposal, or cancel.' : 'This ask proposed nothing: there is nothing to review here. Ask again with "Rusty: Ask…".');
    };
    this.host = new WebviewProtocolHost<ReviewProtocol>(panel.webview, 'ask', reviewSchemas, {
      approve: busy, reject: busy, rollback: busy, redo: busy, openDiff: busy, openFile: busy, openTranscript: busy, openPullRequest: busy, checkNow: busy,
      cancelAsk: () => {
        this.progress.cancelling();
        this.cancel();
      },
      openProposal: ({ id }) => this.container.reviewPanels.open(id),
    }, container.log, () => this.post());
    const off = progress.onChange(() => this.schedule());
    this.subscriptions.push(
      { dispose: off },
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.host.reset();
      }),
      panel.onDidDispose(() => {
        // Closing the tab while the model works stops it: nothing is queued.
        if (!this.handedOver && this.progress.status === 'running') this.cancel();
        this.dispose();
      }),
    );
    this.post();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.post();
    }, ASK_REFRESH_MS);
  }

  private post(): void {
    const view = this.progress.view();
    this.panel.title = `Rusty: ${view.state === 'running' || view.state === 'cancelling' ? 'asking' : 'asked'} — ${view.task.length > 30 ? `${view.task.slice(0, 27)}...` : view.task}`;
    this.host.notify('snapshot', { asking: view });
  }

  /** Show the final state now (no throttle). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.post();
  }

  /** The ask produced proposal `id`: this tab becomes its review panel. */
  showProposal(id: string, ws: RustyWorkspace): void {
    this.handedOver = true;
    this.dispose();
    this.container.reviewPanels.adopt(this.panel, id, ws);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.host.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}

export class ReviewPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ReviewPanel>();

  constructor(private readonly container: Container) {}

  /** Open the review panel of a proposal, or reveal it if it is already open. */
  /** Whether a review panel for `id` is open (commands skip their confirm when it is). */
  isOpen(id: string): boolean {
    return this.panels.has(id);
  }

  async open(id: string): Promise<void> {
    const existing = this.panels.get(id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const { ws, proposal } = await this.container.resolve(id);
    const panel = vscode.window.createWebviewPanel(Views.reviewPanel, panelTitle(proposal), vscode.ViewColumn.Active, {
      ...webviewOptions(this.container.extensionUri),
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    this.attach(panel, id, ws);
    const core = await ws.core();
    void core.markShown(id).catch((err: unknown) => this.container.log.warn(`Recording that ${id} was shown failed: ${(err as Error).message}`));
  }

  /** A panel in the "asking" state for "Rusty: Ask…" (see AskPanel). */
  openAsking(progress: AskProgress, cancel: () => void): AskPanel {
    const panel = vscode.window.createWebviewPanel(Views.reviewPanel, `Rusty: asking — ${progress.view().task.slice(0, 30)}`, vscode.ViewColumn.Active, {
      ...webviewOptions(this.container.extensionUri),
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    return new AskPanel(panel, progress, cancel, this.container);
  }

  /** An ask panel's tab becomes the review panel of `id` (or the panel already open for it is shown). */
  adopt(panel: vscode.WebviewPanel, id: string, ws: RustyWorkspace): void {
    const existing = this.panels.get(id);
    if (existing) {
      panel.dispose();
      existing.panel.reveal();
      return;
    }
    this.attach(panel, id, ws);
    void ws.core().then((core) => core.markShown(id)).catch((err: unknown) => this.container.log.warn(`Recording that ${id} was shown failed: ${(err as Error).message}`));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const id = proposalIdFromState(state);
    const found = id ? await this.container.find(id).catch(() => undefined) : undefined;
    if (!id) {
      // A "Rusty: Ask…" panel: its finished answer comes back, or says the reload stopped the model.
      const asking = askingFromState(state);
      if (asking) new AskPanel(panel, AskProgress.restored(asking), () => undefined, this.container);
      else panel.dispose();
      return;
    }
    if (!found || this.panels.has(id)) {
      panel.dispose();
      return;
    }
    this.attach(panel, id, found.ws);
  }

  private attach(panel: vscode.WebviewPanel, id: string, ws: RustyWorkspace): void {
    const review = new ReviewPanel(panel, id, ws, this.container, () => {
      if (this.panels.get(id) === review) this.panels.delete(id);
    });
    this.panels.set(id, review);
    void review.load();
  }

  get openIds(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}
