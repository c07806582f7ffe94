// GitHub: auth-agnostic Octokit client, remote detection, PR from an applied proposal, CI status.
export { createGitHubClient, GITHUB_API_URL, type GitHubClient, type GitHubClientOptions } from './client';
export { detectGitHubRemote, requireBranch, parseRemoteUrl, type GitHubRemote, type RemoteOptions } from './remote';
export { cliToken, type TokenSource } from './token';
export { githubError, type GitHubErrorKind } from './errors';
export { openProposalPullRequest, planProposalPullRequest, type ProposalPrOptions, type ProposalPrPlan } from './proposalPullRequest';
export { openPullRequest, type OpenedPullRequest } from './pullRequest';
export { CiStatusPoller, type CiSnapshot, type CiCheck, type CiState } from './ciStatus';
