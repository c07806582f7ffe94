// "Open Pull Request" for an applied proposal and its CI, for the command, the review panel and
// the sidebar. The GitHub code (Octokit and its plugins) loads on first use. CI is polled with
// ETags while someone looks (a review panel is open) and stops when every check has finished.
import * as vscode from 'vscode';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import type { Proposal } from '../../core/proposals/model';
import { RustyError } from '../../core/util/errors';
import { readGitHubSettings } from '../../core/github/settings';
import { folderRemote } from './gitRemote';
import { githubToken } from './auth';
import type * as GitHubEngine from './githubEngine';
import { lazyBundle } from '../workspace/lazyBundle';

type GitHubModule = typeof GitHubEngine;

/** dist/github.js: Octokit stays out of the activation bundle. */
const loadGitHub = lazyBundle<GitHubModule>('github.js', 'GitHub', 'pull requests cannot be opened');

function settingsFor(ws: RustyWorkspace) {
  const c = vscode.workspace.getConfiguration('rusty.github', ws.folder.uri);
  return readGitHubSettings({
    'rusty.github.enterpriseUrl': c.get('enterpriseUrl'), 'rusty.github.labels': c.get('labels'), 'rusty.github.remote': c.get('remote'),
  }, process.env);
}

export interface OpenPrOptions { draft?: boolean; base?: string }

export class GitHubService implements vscode.Disposable {
  private readonly watchers = new Map<string, { users: number; stop: AbortController }>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  private async load(): Promise<GitHubModule> {
    return loadGitHub();
  }

  private async connect(ws: RustyWorkspace) {
    const gh = await this.load();
    const settings = settingsFor(ws);
    const remote = await folderRemote(ws.folder.uri, { ...(settings.remote ? { remote: settings.remote } : {}), ...(settings.enterpriseUrl ? { enterpriseUrl: settings.enterpriseUrl } : {}), ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) });
    const token = await githubToken(remote.host);
    const client = gh.createGitHubClient({ token, baseUrl: remote.apiBaseUrl, onWait: (what, s) => this.log.info(`GitHub ${what}: waiting ${s}s`) });
    return { gh, settings, remote, client };
  }

  /** Branch, commit and pull request for an applied proposal; nothing local is touched. */
  async openPullRequest(ws: RustyWorkspace, id: string, opts: OpenPrOptions = {}): Promise<{ number: number; url: string }> {
    const core = await ws.core();
    const p = core.get(id);
    if (p.pullRequest) return { number: p.pullRequest.number, url: p.pullRequest.url };
    if (p.status !== 'applied' && p.status !== 'redone') throw new RustyError('bad-state', `Proposal ${id} is ${p.status}: approve it before opening a pull request.`);
    const { gh, settings, remote, client } = await this.connect(ws);
    const base = opts.base ?? gh.requireBranch(remote);
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rusty: opening a pull request for ${id}` }, (progress) =>
      gh.openProposalPullRequest(core, client, remote, id, { base, draft: !!opts.draft, labels: settings.labels, onStep: (s) => progress.report({ message: s }) }));
    ws.refresh(core);
    this.log.info(`Opened pull request #${r.pr.number} for ${id}: ${r.pr.url}`);
    return { number: r.pr.number, url: r.pr.url };
  }

  /** Poll the CI of a proposal's pull request until it finishes; dispose to stop (panel closed). */
  watchCi(ws: RustyWorkspace, p: Proposal): vscode.Disposable {
    const key = `${ws.folder.uri.toString()}#${p.id}`;
    const done = p.pullRequest?.ci && p.pullRequest.ci.state !== 'pending' && p.pullRequest.ci.state !== 'none';
    if (!p.pullRequest || done) return new vscode.Disposable(() => undefined);
    let w = this.watchers.get(key);
    if (!w) {
      w = { users: 0, stop: new AbortController() };
      this.watchers.set(key, w);
      const entry = w;
      void this.poll(ws, p.id, entry.stop.signal)
        .catch((err: unknown) => this.log.warn(`CI status of ${p.id}: ${(err as Error).message}`))
        .finally(() => { if (this.watchers.get(key) === entry) this.watchers.delete(key); });
    }
    w.users++;
    const entry = w;
    return new vscode.Disposable(() => {
      if (--entry.users <= 0) entry.stop.abort();
    });
  }

  private async poll(ws: RustyWorkspace, id: string, signal: AbortSignal): Promise<void> {
    const core = await ws.core();
    const record = core.get(id).pullRequest!;
    const { gh, client } = await this.connect(ws);
    const [owner, repo] = record.repo.split('/') as [string, string];
    const pull = await client.rest.pulls.get({ owner, repo, pull_number: record.number });
    const poller = new gh.CiStatusPoller(client, { owner, repo, ref: pull.data.head.sha });
    let last = '';
    await poller.watch({
      intervalMs: 20_000, timeoutMs: 3 * 60 * 60_000, signal,
      onUpdate: (s) => {
        const key = JSON.stringify([s.state, s.counts, s.checks.map((c) => c.conclusion ?? c.status)]);
        if (key === last) return;
        last = key;
        const checks = s.checks.slice(0, 30).map((c) => ({ name: c.name, status: c.status, ...(c.conclusion ? { conclusion: c.conclusion } : {}), ...(c.url ? { url: c.url } : {}) }));
        void core.recordPullRequestCi(id, { state: s.state, at: s.at, total: s.counts.total, failed: s.counts.failed, pending: s.counts.pending, checks })
          .then(() => ws.refresh(core), (err: unknown) => this.log.warn(`Could not record CI of ${id}: ${(err as Error).message}`));
      },
    });
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.stop.abort();
    this.watchers.clear();
  }
}
