// Recorded real GitHub answers (@octokit/fixtures, served by @octokit/fixtures-server as a child
// process on localhost) through Rusty's client: the requests it makes are the ones GitHub accepted
// when recorded (headers, auth, bodies), and its reading of the answers matches GitHub's real JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from './client';
import { summarizeCi } from './ciStatus';
import { githubError } from './errors';
import { REPO_ROOT } from '../testing/cli';

let server: ChildProcess;
let base = '';
const TOKEN = '0000000000000000000000000000000000000001';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  server = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/@octokit/fixtures-server/bin/server.js'), '--port', String(port), '--fixtures-url', base, '--log-level', 'error'], { cwd: REPO_ROOT, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${base}/ping`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('fixtures server did not start');
}, 20_000);
afterAll(() => { server?.kill(); });

async function scenario(name: string) {
  const r = await fetch(`${base}/fixtures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: name }) });
  const { url } = await r.json() as { url: string };
  return createGitHubClient({ token: TOKEN, baseUrl: url, throttle: false });
}

describe('recorded GitHub scenarios', () => {
  it('get-repository: the default branch a PR targets when no --base is given', async () => {
    const gh = await scenario('get-repository');
    const r = await gh.rest.repos.get({ owner: 'octokit-fixture-org', repo: 'hello-world' });
    expect(r.data.default_branch).toBe('master');
  });

  it('add-labels-to-issue: labels come back as GitHub spells them', async () => {
    const gh = await scenario('add-labels-to-issue');
    const owner = 'octokit-fixture-org';
    const repo = 'add-labels-to-issue';
    await gh.rest.issues.create({ owner, repo, title: 'Issue without a label' });
    const r = await gh.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['Foo', 'bAr', 'baZ'] });
    expect(r.data.map((l) => l.name)).toEqual(['Foo', 'bAr', 'baZ']);
  });

  it('create-status: the combined status of a commit, summarised', async () => {
    const gh = await scenario('create-status');
    const owner = 'octokit-fixture-org';
    const repo = 'create-status';
    const sha = '0000000000000000000000000000000000000001';
    await gh.rest.repos.createCommitStatus({ owner, repo, sha, state: 'failure', target_url: 'https://example.com', description: 'create-status failure test', context: 'example/1' });
    await gh.rest.repos.createCommitStatus({ owner, repo, sha, state: 'success', target_url: 'https://example.com', description: 'create-status success test', context: 'example/2' });
    await gh.rest.repos.listCommitStatusesForRef({ owner, repo, ref: sha });
    const r = await gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha });
    const s = summarizeCi(sha, [], r.data.statuses);
    expect(s).toMatchObject({ state: 'failure', done: true, counts: { total: 2, passed: 1, failed: 1, pending: 0 } });
    expect(s.checks[0]).toEqual({ name: 'example/1', status: 'failure', conclusion: 'failure', url: 'https://example.com', kind: 'status' });
  });

  it('errors: a real 422 becomes one actionable sentence with GitHub\'s reasons', async () => {
    const gh = await scenario('errors');
    const err = await gh.rest.issues.createLabel({ owner: 'octokit-fixture-org', repo: 'errors', name: 'foo', color: 'invalid' }).catch((e: unknown) => e);
    const e = githubError(err, { repo: 'octokit-fixture-org/errors', doing: 'create label foo' }) as Error & { details: { kind: string; status: number } };
    expect(e.details).toMatchObject({ kind: 'validation', status: 422 });
    expect(e.message).toMatch(/^Could not create label foo: GitHub refused the request \(422: Validation Failed/);
  });
});
