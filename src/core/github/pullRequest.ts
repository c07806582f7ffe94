// A branch, a commit and a pull request through the Git Data API (blobs → tree on the base tree →
// commit → ref → pull): nothing local is read or written, so the user's working tree, index and
// current branch are untouched.
import type { GitHubClient } from './client';
import type { CommitFile } from './changes';
import { githubError } from './errors';
import { invalidUtf8Offset } from '../util/text';
import { RustyError } from '../util/errors';

export interface PullRequestInput {
  owner: string;
  repo: string;
  /** Branch the pull request targets; default: the repository's default branch. */
  base?: string;
  /** Branch to create (must not exist). */
  branch: string;
  title: string;
  body: string;
  commitMessage: string;
  files: CommitFile[];
  draft?: boolean;
  labels?: string[];
  baseUrl?: string;
  onStep?: (step: string) => void;
}

export interface OpenedPullRequest {
  number: number;
  url: string;
  apiUrl: string;
  branch: string;
  base: string;
  baseSha: string;
  commitSha: string;
  draft: boolean;
  labels: string[];
}

export async function openPullRequest(gh: GitHubClient, input: PullRequestInput): Promise<OpenedPullRequest> {
  const { owner, repo } = input;
  const full = `${owner}/${repo}`;
  const step = async <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    input.onStep?.(doing);
    try {
      return await fn();
    } catch (err) {
      throw githubError(err, { repo: full, doing, branch: input.branch, ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}) });
    }
  };
  // The repository first: a 404 here is the repository (not a branch), and its default branch is the base.
  const repository = await step(`read repository ${full}`, () => gh.rest.repos.get({ owner, repo }));
  const base = input.base ?? repository.data.default_branch;
  const baseRef = await step(`read branch ${base} of ${full}`, () => gh.rest.git.getRef({ owner, repo, ref: `heads/${base}` })).catch((err: unknown) => {
    if ((err as { details?: { kind?: string } }).details?.kind !== 'repo-not-found') throw err;
    throw new RustyError('github', `Could not read branch ${base} of ${full}: the branch is not on GitHub. Push it first, or pass --base BRANCH.`, { kind: 'not-found', status: 404 });
  });
  const baseSha = baseRef.data.object.sha;
  const baseCommit = await step(`read commit ${baseSha.slice(0, 12)}`, () => gh.rest.git.getCommit({ owner, repo, commit_sha: baseSha }));

  const tree: { path: string; mode: '100644' | '100755'; type: 'blob'; sha: string | null }[] = [];
  for (const f of input.files) {
    if (f.bytes === null) {
      tree.push({ path: f.path, mode: f.mode, type: 'blob', sha: null });
      continue;
    }
    const bytes = Buffer.from(f.bytes);
    // Text goes as UTF-8; anything that is not valid UTF-8 (binary) as base64, byte for byte.
    const text = invalidUtf8Offset(bytes) === undefined;
    const blob = await step(`upload ${f.path}`, () => gh.rest.git.createBlob({ owner, repo, content: text ? bytes.toString('utf8') : bytes.toString('base64'), encoding: text ? 'utf-8' : 'base64' }));
    tree.push({ path: f.path, mode: f.mode, type: 'blob', sha: blob.data.sha });
  }
  const newTree = await step('create the tree', () => gh.rest.git.createTree({ owner, repo, base_tree: baseCommit.data.tree.sha, tree }));
  const commit = await step('create the commit', () => gh.rest.git.createCommit({ owner, repo, message: input.commitMessage, tree: newTree.data.sha, parents: [baseSha] }));
  await step(`create branch ${input.branch}`, () => gh.rest.git.createRef({ owner, repo, ref: `refs/heads/${input.branch}`, sha: commit.data.sha }));
  const pr = await step('open the pull request', () => gh.rest.pulls.create({ owner, repo, title: input.title, head: input.branch, base, body: input.body, draft: !!input.draft }));
  let labels: string[] = [];
  if (input.labels?.length) {
    const r = await step('add labels', () => gh.rest.issues.addLabels({ owner, repo, issue_number: pr.data.number, labels: input.labels! }));
    labels = r.data.map((l) => l.name);
  }
  return {
    number: pr.data.number, url: pr.data.html_url, apiUrl: pr.data.url, branch: input.branch, base, baseSha,
    commitSha: commit.data.sha, draft: !!pr.data.draft, labels,
  };
}
