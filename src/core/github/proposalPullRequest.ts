// An applied proposal → a pull request, recorded on the proposal and in the audit log. Shared by
// `rusty pr`, the VS Code command and the GitHub Action; the caller brings the client and remote.
import type { RustyCore } from '../rustyCore';
import type { Proposal } from '../proposals/model';
import type { GitHubClient } from './client';
import type { GitHubRemote } from './remote';
import { commitFilesOf, type CommitFile } from './changes';
import { branchName, branchNameProblem, PR_TEMPLATE_PATHS, pullRequestBody, pullRequestTitle } from './description';
import { openPullRequest, type OpenedPullRequest } from './pullRequest';
import { RustyError } from '../util/errors';
import { decodeUtf8 } from '../util/text';

export interface ProposalPrOptions {
  base?: string;
  branch?: string;
  draft?: boolean;
  labels?: string[];
  onStep?: (step: string) => void;
}

export interface ProposalPrPlan {
  proposal: Proposal;
  repo: string;
  base?: string;
  branch: string;
  title: string;
  body: string;
  files: CommitFile[];
  template?: string;
}

async function readTemplate(core: RustyCore): Promise<{ path: string; text: string } | undefined> {
  for (const p of PR_TEMPLATE_PATHS) {
    const bytes = await core.wfs.read(p).catch(() => undefined);
    if (bytes) return { path: p, text: decodeUtf8(bytes) };
  }
  return undefined;
}

/** Everything the pull request will contain, without calling GitHub (dry runs print this). */
export async function planProposalPullRequest(core: RustyCore, id: string, remote: GitHubRemote, opts: ProposalPrOptions = {}): Promise<ProposalPrPlan> {
  const p = core.get(id);
  if (p.pullRequest) throw new RustyError('bad-state', `Proposal ${id} already has pull request #${p.pullRequest.number}: ${p.pullRequest.url}`, { pullRequest: p.pullRequest });
  if (!p.applied) throw new RustyError('bad-state', `Proposal ${id} is ${p.status}: only an applied proposal can become a pull request (approve it first).`);
  const files = commitFilesOf(p, core.checkpoints.get(p.applied.checkpointId), (h) => core.blobText(h));
  const branch = opts.branch ?? branchName(p);
  const problem = branchNameProblem(branch);
  if (problem) throw new RustyError('usage', `Branch name ${JSON.stringify(branch)} is not valid: ${problem}.`);
  const template = await readTemplate(core);
  const audit = core.auditEntries({ proposalId: id });
  return {
    proposal: p, repo: `${remote.owner}/${remote.repo}`, ...(opts.base ? { base: opts.base } : {}), branch,
    title: pullRequestTitle(p), body: pullRequestBody({ proposal: p, files, audit, branch, ...(template ? { template: template.text } : {}) }),
    files, ...(template ? { template: template.path } : {}),
  };
}

export async function openProposalPullRequest(core: RustyCore, gh: GitHubClient, remote: GitHubRemote, id: string, opts: ProposalPrOptions = {}): Promise<{ plan: ProposalPrPlan; pr: OpenedPullRequest; proposal: Proposal }> {
  const plan = await planProposalPullRequest(core, id, remote, opts);
  const pr = await openPullRequest(gh, {
    owner: remote.owner, repo: remote.repo, ...(plan.base ? { base: plan.base } : {}), branch: plan.branch,
    title: plan.title, body: plan.body, files: plan.files, draft: !!opts.draft, labels: opts.labels ?? [],
    commitMessage: `${plan.title}\n\nRusty proposal ${id} (${plan.proposal.source}).`, baseUrl: remote.apiBaseUrl,
    ...(opts.onStep ? { onStep: opts.onStep } : {}),
  });
  const proposal = await core.recordPullRequest(id, { repo: plan.repo, number: pr.number, url: pr.url, branch: pr.branch, base: pr.base, commitSha: pr.commitSha, draft: pr.draft });
  return { plan, pr, proposal };
}
