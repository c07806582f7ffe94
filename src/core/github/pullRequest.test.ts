import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { FakeGitHub, rateLimitHeaders } from './testing/fakeGitHub';
import { createGitHubClient } from './client';
import { detectGitHubRemote } from './remote';
import { openProposalPullRequest, planProposalPullRequest } from './proposalPullRequest';
import { isRustyError } from '../util/errors';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]);
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

let ws: TempWorkspace;
let hub: FakeGitHub;
const BASE_FILES = { 'src/a.ts': 'export const a = 1;\n', 'src/old.ts': 'old\n', 'img/logo.png': PNG, 'bin/run.sh': '#!/bin/sh\necho hi\n', 'bin/tool.sh': '#!/bin/sh\necho tool\n' };

beforeEach(async () => {
  ws = tempWorkspace(BASE_FILES);
  fs.chmodSync(path.join(ws.root, 'bin/run.sh'), 0o755);
  fs.chmodSync(path.join(ws.root, 'bin/tool.sh'), 0o755);
  git(ws.root, 'init', '-q', '-b', 'main');
  git(ws.root, 'add', '-A');
  git(ws.root, 'commit', '-q', '-m', 'init');
  git(ws.root, 'remote', 'add', 'origin', 'git@github.com:owner/repo.git');
  hub = new FakeGitHub();
  hub.seed({ ...BASE_FILES, 'bin/run.sh': { content: BASE_FILES['bin/run.sh'], mode: '100755' }, 'bin/tool.sh': { content: BASE_FILES['bin/tool.sh'], mode: '100755' } });
  await hub.start();
});
afterEach(async () => {
  await hub.stop();
  ws.cleanup();
});

async function appliedProposal() {
  const core = ws.core();
  const { proposal } = await core.submit({
    title: 'Tidy <b>@team</b> things', rationale: 'Because [link](https://evil.example) and @everyone', source: 'test',
    edits: [
      modify(ws, 'src/a.ts', 'export const a = 2;\n'),
      { kind: 'create', path: 'src/new/b.ts', content: 'export const b = 1;\n' },
      { kind: 'delete', path: 'src/old.ts', baseHash: ws.hash('src/old.ts') },
      { kind: 'rename', path: 'img/logo.png', to: 'assets/logo.png', baseHash: ws.hash('img/logo.png') },
      modify(ws, 'bin/run.sh', '#!/bin/sh\necho hello\n'),
      { kind: 'rename', path: 'bin/tool.sh', to: 'bin/tool2.sh', baseHash: ws.hash('bin/tool.sh') },
    ],
  });
  await core.approve(proposal.id);
  return { core, id: proposal.id };
}

const client = () => createGitHubClient({ token: 'test-token', baseUrl: hub.url, throttle: false });
const remote = () => detectGitHubRemote(ws.root, { apiUrl: hub.url });
const gitState = () => ({ status: git(ws.root, 'status', '--porcelain=v1', '-uall'), head: git(ws.root, 'rev-parse', 'HEAD'), branch: git(ws.root, 'symbolic-ref', 'HEAD'), index: fs.readFileSync(path.join(ws.root, '.git', 'index')) });

describe('pull request from an applied proposal', () => {
  it('commits exactly the applied files through the Git Data API and records the PR', async () => {
    const { core, id } = await appliedProposal();
    ws.write('.github/pull_request_template.md', '## Checklist\n- [ ] tests\n\n<!-- rusty -->\n');
    const before = gitState();
    const treeBefore = ws.snapshot();
    const { pr, proposal } = await openProposalPullRequest(core, client(), remote(), id, { labels: ['rusty', 'refactor'], draft: true });

    expect(pr.branch).toMatch(new RegExp(`^rusty/${id}-tidy-b-team-b-things$`));
    expect(pr.base).toBe('main');
    const files = hub.files(pr.branch);
    expect(files.get('src/a.ts')!.text).toBe('export const a = 2;\n');
    expect(files.get('src/new/b.ts')!.text).toBe('export const b = 1;\n');
    expect(files.has('src/old.ts')).toBe(false);
    expect(files.has('img/logo.png')).toBe(false);
    expect(files.get('assets/logo.png')!.bytes.equals(PNG)).toBe(true);
    expect(files.get('bin/run.sh')).toMatchObject({ text: '#!/bin/sh\necho hello\n', mode: '100755' });
    expect(files.get('bin/tool2.sh')!.mode).toBe('100755');
    expect(files.has('bin/tool.sh')).toBe(false);
    expect(files.get('src/new/b.ts')!.mode).toBe('100644');
    expect(files.size).toBe(5);
    // The binary went as base64, the text as UTF-8; the base branch did not move.
    const blobs = hub.requests.filter((r) => r.path.endsWith('/git/blobs')).map((r) => (r.body as { encoding: string }).encoding);
    expect(blobs.sort()).toEqual(['base64', 'utf-8', 'utf-8', 'utf-8', 'utf-8']);
    expect(hub.files('main').get('src/a.ts')!.text).toBe('export const a = 1;\n');

    const pull = hub.pulls[0]!;
    expect(pull).toMatchObject({ head: pr.branch, base: 'main', draft: true, labels: ['rusty', 'refactor'] });
    expect(pull.body.startsWith('## Checklist\n- [ ] tests\n\n## Rusty proposal')).toBe(true);
    for (const s of ['### Files', '### Impact', '### Audit trail', '### Roll back', `rusty rollback ${id}`, 'renamed `img/logo.png` → `assets/logo.png`', '`bin/run.sh` (executable)']) expect(pull.body).toContain(s);
    // Untrusted text cannot ping people, link or inject HTML.
    expect(pull.body).not.toMatch(/@everyone|@team|<b>|\]\(https/);

    expect(proposal.pullRequest).toMatchObject({ repo: 'owner/repo', number: 1, url: 'https://github.com/owner/repo/pull/1', branch: pr.branch, draft: true, openedBy: 'test' });
    expect(core.get(id).pullRequest?.number).toBe(1);
    const opened = core.auditEntries({ proposalId: id }).filter((e) => e.action === 'pr.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.details).toMatchObject({ number: 1, branch: pr.branch, repo: 'owner/repo' });
    expect(core.verifyAudit().ok).toBe(true);

    // Nothing local changed: working tree (but the template we wrote), index, HEAD and branch.
    expect(gitState()).toEqual(before);
    expect(ws.snapshot()).toEqual(treeBefore);
    // A second PR for the same proposal is refused with the first one's URL.
    await expect(openProposalPullRequest(core, client(), remote(), id)).rejects.toThrow(/already has pull request #1: https:\/\/github.com\/owner\/repo\/pull\/1/);
  });

  it('refuses a proposal that is not applied, and a bad --branch, before calling GitHub', async () => {
    const core = ws.core();
    const { proposal } = await core.submit({ title: 't', source: 'test', edits: [modify(ws, 'src/a.ts', 'x\n')] });
    await expect(planProposalPullRequest(core, proposal.id, remote())).rejects.toThrow(/is pending: only an applied proposal can become a pull request/);
    await core.approve(proposal.id);
    await expect(planProposalPullRequest(core, proposal.id, remote(), { branch: 'bad name..' })).rejects.toThrow(/Branch name "bad name\.\." is not valid/);
    expect(hub.requests).toHaveLength(0);
  });

  const errorCases: { name: string; setup: () => void; kind: string; message: RegExp }[] = [
    { name: '401 bad credentials', setup: () => { hub.token = 'other'; }, kind: 'unauthorized', message: /rejected the token \(401 Bad credentials\)/ },
    { name: '403 SSO required', setup: () => hub.fail({ path: /\/git\/blobs$/, status: 403, headers: { 'x-github-sso': 'required; url=https://github.com/orgs/owner/sso?authorization_request=abc' }, body: { message: 'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.' } }), kind: 'sso-required', message: /single sign-on.*Authorize it at https:\/\/github.com\/orgs\/owner\/sso\?authorization_request=abc/ },
    { name: '403 no permission', setup: () => hub.fail({ path: /\/git\/blobs$/, status: 403, body: { message: 'Resource not accessible by personal access token' } }), kind: 'forbidden', message: /may not write to owner\/repo.*Contents and Pull requests write/ },
    { name: 'protected branch / ruleset', setup: () => hub.fail({ path: /\/git\/refs$/, status: 422, body: { message: 'Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n' } }), kind: 'protected-branch', message: /branch protection rule or ruleset of owner\/repo refuses it.*--branch/ },
    { name: 'branch exists', setup: () => { hub.refs.set('refs/heads/taken', hub.refs.get('refs/heads/main')!); }, kind: 'branch-exists', message: /branch taken already exists on owner\/repo\. Pass --branch/ },
    { name: '404 repository', setup: () => hub.fail({ path: /^\/repos\/owner\/repo$/, status: 404, body: { message: 'Not Found' } }), kind: 'repo-not-found', message: /owner\/repo was not found, or the token cannot see it \(404\)/ },
    { name: 'base branch not on GitHub', setup: () => { hub.refs.delete('refs/heads/main'); }, kind: 'not-found', message: /branch main of owner\/repo: the branch is not on GitHub\. Push it first, or pass --base/ },
    { name: 'rate limit', setup: () => hub.fail({ path: /\/git\/blobs$/, status: 403, headers: rateLimitHeaders(Math.floor(Date.now() / 1000) + 600), body: { message: 'API rate limit exceeded for user ID 1.' } }), kind: 'rate-limit', message: /rate limit is used up; it resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 1[01] minutes\)/ },
    { name: 'secondary rate limit (429)', setup: () => hub.fail({ path: /\/pulls$/, status: 429, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } }), kind: 'secondary-rate-limit', message: /secondary rate limit.*Wait 30 seconds/ },
  ];
  for (const c of errorCases) {
    it(`explains ${c.name}`, async () => {
      const { core, id } = await appliedProposal();
      c.setup();
      const err = await openProposalPullRequest(core, client(), remote(), id, c.name === 'branch exists' ? { branch: 'taken' } : {}).catch((e: unknown) => e);
      expect(isRustyError(err)).toBe(true);
      expect((err as { details: { kind: string } }).details.kind).toBe(c.kind);
      expect((err as Error).message).toMatch(c.message);
      expect(core.get(id).pullRequest).toBeUndefined();
      expect(core.auditEntries({ proposalId: id }).some((e) => e.action === 'pr.opened')).toBe(false);
    });
  }
});

describe('throttling and retry (the one test with them on)', () => {
  it('waits out a short primary rate limit and a secondary one, then succeeds; gives up on a long one', async () => {
    const { core, id } = await appliedProposal();
    const waits: string[] = [];
    const gh = createGitHubClient({ token: hub.token, baseUrl: hub.url, retryAfterBaseValue: 20, onWait: (what, s) => waits.push(`${what}:${s}`) });
    hub.fail({ path: /\/git\/commits$/, method: 'POST', status: 403, headers: rateLimitHeaders(Math.floor(Date.now() / 1000) + 1), body: { message: 'API rate limit exceeded for user ID 1.' } });
    hub.fail({ path: /\/pulls$/, status: 403, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation.' } });
    const { pr } = await openProposalPullRequest(core, gh, remote(), id);
    expect(pr.number).toBe(1);
    expect(waits.map((w) => w.split(':')[0])).toEqual(['rate-limit', 'secondary-rate-limit']);
    expect(hub.requests.filter((r) => r.status === 403)).toHaveLength(2);

    // An hour-long reset is not waited for: the error says when to come back.
    const ws2 = await appliedProposalAgain(core);
    hub.fail({ path: /\/git\/blobs$/, status: 403, headers: rateLimitHeaders(Math.floor(Date.now() / 1000) + 3600), body: { message: 'API rate limit exceeded for user ID 1.' } });
    await expect(openProposalPullRequest(core, gh, remote(), ws2)).rejects.toThrow(/rate limit is used up; it resets at .* \(in (59|60) minutes\)/);
  }, 30_000);
});

async function appliedProposalAgain(core: ReturnType<TempWorkspace['core']>): Promise<string> {
  const { proposal } = await core.submit({ title: 'Second', source: 'test', edits: [modify(ws, 'src/a.ts', 'export const a = 3;\n')] });
  await core.approve(proposal.id);
  return proposal.id;
}
