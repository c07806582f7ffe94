// `rusty pr ID` opens a pull request from an applied proposal (branch, commit and PR through the
// GitHub API; the working tree, index and current branch are not touched); `rusty pr status ID`
// shows its CI, polling until every check has finished with --watch.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { readSettingsFile } from '../core/state/settings';
import { RustyError } from '../core/util/errors';
import { Output, type Io } from './output';
import { terminalLine, terminalText } from './terminalText';

export interface PrCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
}

interface PrOpts { draft?: boolean; base?: string; branch?: string; label?: string[]; remote?: string; dryRun?: boolean; workspace?: string; json?: boolean }

/** Client, remote and settings for a workspace: the token from the environment or `gh`. */
async function connect(core: RustyCore, remoteName: string | undefined, out: Output) {
  const gh = await import('../core/github');
  const { readGitHubSettings } = await import('../core/github/settings');
  const settings = readGitHubSettings(readSettingsFile(core.wfs.root).values, process.env);
  const remote = gh.detectGitHubRemote(core.wfs.root, { ...(remoteName ?? settings.remote ? { remote: remoteName ?? settings.remote } : {}), ...(settings.enterpriseUrl ? { enterpriseUrl: settings.enterpriseUrl } : {}), ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) });
  const connectClient = () => {
    const { token } = gh.cliToken(remote.host);
    return gh.createGitHubClient({
      token, baseUrl: remote.apiBaseUrl,
      // RUSTY_GITHUB_THROTTLE=0 turns waiting and retrying off (tests, scripts that handle limits).
      throttle: process.env.RUSTY_GITHUB_THROTTLE !== '0',
      onWait: (what, seconds) => out.notice(`rusty: GitHub ${what === 'rate-limit' ? 'rate limit' : 'secondary rate limit'} reached; waiting ${seconds}s…`),
    });
  };
  return { gh, remote, settings, connectClient };
}

const positiveSeconds = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`must be a number of seconds > 0, got ${v}`);
  return n;
};

export function registerPrCommand(program: Command, deps: PrCliDeps): void {
  const { io, setExit } = deps;
  // Commander calls an action with (id, options, command).
  const run = (fn: (out: Output, g: PrOpts & Record<string, unknown>, id: string) => Promise<void>) => async (id: string, _o: unknown, cmd: Command) => {
    const g = cmd.optsWithGlobals() as PrOpts & Record<string, unknown>;
    const out = new Output(io, !!g.json);
    try {
      await fn(out, g, id);
      out.endProgress();
    } catch (err) {
      setExit(out.error(err));
    }
  };

  const pr = program.command('pr')
    .description('open a GitHub pull request from an applied proposal (your working tree, index and branch are not touched)')
    .argument('<id>', 'an applied proposal')
    .option('--draft', 'open it as a draft')
    .option('--base <branch>', 'branch to merge into (default: the checked-out branch)')
    .option('--branch <name>', 'branch to create (default: rusty/<id>-<slug>)')
    .option('--label <names...>', 'labels to add (default: the rusty.github.labels setting)')
    .option('--remote <name>', 'git remote of the GitHub repository (default: origin)')
    .option('--dry-run', 'print the branch, files and description without calling GitHub')
    .action(run(async (out, g, id) => {
      const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
      const { gh, remote, settings, connectClient } = await connect(core, g.remote, out);
      // The PR targets the checked-out branch unless --base says otherwise (a detached HEAD needs --base).
      const base = g.base ?? gh.requireBranch(remote);
      const labels = g.label ?? settings.labels;
      const opts = { base, ...(g.branch ? { branch: g.branch } : {}), draft: !!g.draft, labels, onStep: (s: string) => out.progress(`GitHub: ${s}`) };
      if (g.dryRun) {
        const plan = await gh.planProposalPullRequest(core, id, remote, opts);
        out.result({ dryRun: true, repo: plan.repo, base, branch: plan.branch, title: plan.title, draft: !!g.draft, labels, template: plan.template ?? null, files: plan.files.map((f) => ({ path: f.path, kind: f.kind, mode: f.mode, deleted: f.bytes === null, ...(f.renamedFrom ? { renamedFrom: f.renamedFrom } : {}) })), body: plan.body },
          () => [`Dry run: would open a pull request on ${plan.repo} (${base} ← ${plan.branch})${g.draft ? ' as a draft' : ''}:`, `  ${plan.title}`,
            ...plan.files.map((f) => `  ${f.bytes === null ? 'delete' : f.kind}  ${terminalLine(f.path)}${f.mode === '100755' ? ' (executable)' : ''}`),
            ...(labels.length ? [`Labels: ${labels.map((l) => terminalLine(l)).join(', ')}`] : []), plan.template ? `Template: ${plan.template}` : '', '', terminalText(plan.body, { multiline: true })].join('\n'));
        return;
      }
      const { pr: opened, plan } = await gh.openProposalPullRequest(core, connectClient(), remote, id, opts);
      out.endProgress();
      out.result({ id, repo: plan.repo, number: opened.number, url: opened.url, branch: opened.branch, base: opened.base, commit: opened.commitSha, draft: opened.draft, labels: opened.labels, files: plan.files.length },
        () => [`Opened pull request #${opened.number}${opened.draft ? ' (draft)' : ''} on ${plan.repo}: ${opened.url}`,
          `  ${opened.base} ← ${terminalLine(opened.branch)} (commit ${opened.commitSha.slice(0, 12)}, ${plan.files.length} file${plan.files.length === 1 ? '' : 's'})`,
          `Your working tree, index and branch were not touched. CI: rusty pr status ${id} --watch`].join('\n'));
    }));

  pr.command('status')
    .description('CI of a proposal\'s pull request: check runs and commit statuses of its head')
    .argument('<id>')
    .option('--watch', 'poll (ETag conditional requests) until every check has finished')
    .addOption(new Option('--interval <seconds>', 'seconds between polls with --watch (default 15)').argParser(positiveSeconds))
    .addOption(new Option('--timeout <seconds>', 'stop watching after this long (default 3600)').argParser(positiveSeconds))
    .action(run(async (out, g, id) => {
      const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
      const p = core.get(id);
      if (!p.pullRequest) throw new RustyError('bad-state', `Proposal ${id} has no pull request; open one with \`rusty pr ${id}\`.`);
      const record = p.pullRequest;
      const { gh, connectClient } = await connect(core, g.remote as string | undefined, out);
      const [owner, repo] = record.repo.split('/') as [string, string];
      const client = connectClient();
      const pull = await client.rest.pulls.get({ owner, repo, pull_number: record.number }).catch((err: unknown) => { throw gh.githubError(err, { repo: record.repo, doing: `read pull request #${record.number}` }); });
      const poller = new gh.CiStatusPoller(client, { owner, repo, ref: pull.data.head.sha });
      const o = g as { watch?: boolean; interval?: number; timeout?: number };
      const snap = o.watch
        ? await poller.watch({ intervalMs: (o.interval ?? 15) * 1000, timeoutMs: (o.timeout ?? 3600) * 1000, ...(deps.signal ? { signal: deps.signal } : {}), onUpdate: (s) => out.progress(`CI: ${s.state} — ${s.counts.pending} running, ${s.counts.passed} passed, ${s.counts.failed} failed`) })
        : await poller.poll();
      out.endProgress();
      await core.recordPullRequestCi(id, { state: snap.state, at: snap.at, total: snap.counts.total, failed: snap.counts.failed, pending: snap.counts.pending, checks: snap.checks.slice(0, 30).map((c) => ({ name: c.name, status: c.status, ...(c.conclusion ? { conclusion: c.conclusion } : {}), ...(c.url ? { url: c.url } : {}) })) });
      const state = pull.data.merged ? 'merged' : pull.data.state;
      out.result({ id, number: record.number, url: record.url, state, head: pull.data.head.sha, ci: snap, requests: poller.requests, notModified: poller.notModifiedTotal },
        () => [`Pull request #${record.number} (${state}): ${record.url}`,
          `CI: ${snap.state}${snap.done ? '' : ' (not finished)'} — ${snap.counts.passed} passed, ${snap.counts.failed} failed, ${snap.counts.pending} running`,
          ...snap.checks.map((c) => `  ${terminalLine(c.conclusion ?? c.status, 20).padEnd(10)} ${terminalLine(c.name, 80)}${c.url ? `  ${terminalLine(c.url, 200)}` : ''}`)].join('\n'));
    }));
}
