import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './testing/fakeGitHub';
import { createGitHubClient } from './client';
import { CiStatusPoller } from './ciStatus';

let hub: FakeGitHub;
let sha: string;
beforeEach(async () => {
  hub = new FakeGitHub();
  sha = hub.seed({ 'a.txt': 'a\n' });
  await hub.start();
});
afterEach(() => hub.stop());

describe('CI status of a pull request head', () => {
  it('polls check runs and the combined status with ETags: unchanged answers are 304s; stops when every check finished', async () => {
    hub.checks.set(sha, [{ name: 'build', status: 'in_progress' }, { name: 'lint', status: 'completed', conclusion: 'success' }]);
    hub.statuses.set(sha, [{ context: 'ci/legacy', state: 'pending' }]);
    const poller = new CiStatusPoller(createGitHubClient({ token: hub.token, baseUrl: hub.url, throttle: false }), { owner: 'owner', repo: 'repo', ref: sha });
    const updates: string[] = [];
    let round = 0;
    const last = await poller.watch({
      intervalMs: 5,
      onUpdate: (s) => {
        updates.push(`${s.state}:${s.counts.pending}:${s.notModified}`);
        // CI makes progress between some rounds only.
        if (++round === 2) hub.statuses.set(sha, [{ context: 'ci/legacy', state: 'success' }]);
        if (round === 3) hub.checks.set(sha, [{ name: 'build', status: 'completed', conclusion: 'failure' }, { name: 'lint', status: 'completed', conclusion: 'success' }]);
      },
    });
    expect(updates).toEqual(['pending:2:0', 'pending:2:2', 'pending:1:1', 'failure:0:1']);
    expect(last).toMatchObject({ state: 'failure', done: true, counts: { total: 3, pending: 0, passed: 2, failed: 1 } });
    expect(last.checks.find((c) => c.name === 'build')).toMatchObject({ kind: 'check-run', conclusion: 'failure', url: 'https://github.com/owner/repo/runs/1' });
    expect(last.checks.find((c) => c.name === 'ci/legacy')).toMatchObject({ kind: 'status', conclusion: 'success', url: 'https://ci.example.com/1' });
    // Every request after the first of each endpoint was conditional; the unchanged ones were 304.
    const ci = hub.requests.filter((r) => /check-runs|status$/.test(r.path));
    expect(ci).toHaveLength(8);
    expect(ci.slice(2).every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);
    expect(ci.filter((r) => r.status === 304)).toHaveLength(4);
    expect(poller.notModifiedTotal).toBe(4);
  });

  it('no checks at all: state none, and watching gives up after noChecksMs; a signal stops it', async () => {
    const poller = new CiStatusPoller(createGitHubClient({ token: hub.token, baseUrl: hub.url, throttle: false }), { owner: 'owner', repo: 'repo', ref: sha });
    const s = await poller.watch({ intervalMs: 5, noChecksMs: 30 });
    expect(s).toMatchObject({ state: 'none', done: false });
    hub.checks.set(sha, [{ name: 'slow', status: 'queued' }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const stopped = await poller.watch({ intervalMs: 10, signal: ac.signal });
    expect(stopped).toMatchObject({ state: 'pending', done: false });
  });
});
