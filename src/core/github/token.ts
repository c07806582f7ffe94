// The CLI's GitHub token: GITHUB_TOKEN / GH_TOKEN (GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN for
// an enterprise host, as gh reads them), else `gh auth token` when the GitHub CLI is installed.
// The token is only ever handed to Octokit: never logged, stored or put in a proposal.
import { execFileSync } from 'node:child_process';
import { RustyError } from '../util/errors';

export interface TokenSource { token: string; source: string }

/** Runs `gh auth token --hostname HOST`; undefined when gh is missing or not signed in. */
export type GhRunner = (host: string) => string | undefined;

export const runGh: GhRunner = (host) => {
  try {
    const out = execFileSync('gh', ['auth', 'token', '--hostname', host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, windowsHide: true });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
};

export function cliToken(host: string, env: NodeJS.ProcessEnv = process.env, gh: GhRunner = runGh): TokenSource {
  const names = host === 'github.com' ? ['GITHUB_TOKEN', 'GH_TOKEN'] : ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'];
  for (const name of names) {
    const v = env[name]?.trim();
    if (v) return { token: v, source: name };
  }
  const fromGh = gh(host);
  if (fromGh) return { token: fromGh, source: 'gh auth token' };
  throw new RustyError('github',
    `No GitHub token for ${host}: set ${names.slice(0, 2).join(' or ')}, or sign in with \`gh auth login${host === 'github.com' ? '' : ` --hostname ${host}`}\`.`,
    { kind: 'no-token' });
}
