// `rusty pr` end to end: the built CLI as a child process, a real git repository whose remote is
// github.com/owner/repo, and the local GitHub server as the API (RUSTY_GITHUB_API_URL).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli } from '../core/testing/cli';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { FakeGitHub } from '../core/github/testing/fakeGitHub';
import { sha256 } from '../core/util/hash';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

let cli: Cli;
let ws: TempWorkspace;
let hub: FakeGitHub;
beforeAll(() => { cli = prepareCli(); });
afterAll(() => cli?.dispose());
beforeEach(async () => {
  ws = tempWorkspace({ 'src/a.ts': 'export const a = 1;\n', 'run.sh': '#!/bin/sh\necho 1\n', 'gone.txt': 'bye\n' });
  fs.chmodSync(path.join(ws.root, 'run.sh'), 0o755);
  git(ws.root, 'init', '-q', '-b', 'main');
  git(ws.root, 'add', '-A');
  git(ws.root, 'commit', '-q', '-m', 'init');
  git(ws.root, 'remote', 'add', 'origin', 'https://github.com/owner/repo.git');
  hub = new FakeGitHub();
  hub.seed({ 'src/a.ts': 'export const a = 1;\n', 'run.sh': { content: '#!/bin/sh\necho 1\n', mode: '100755' }, 'gone.txt': 'bye\n' });
  await hub.start();
});
afterEach(async () => {
  await hub.stop();
  ws.cleanup();
});

const env = (extra: Record<string, string> = {}) => ({ RUSTY_STATE_DIR: ws.stateRoot, RUSTY_GITHUB_API_URL: hub.url, RUSTY_GITHUB_THROTTLE: '0', GITHUB_TOKEN: hub.token, GH_TOKEN: '', PATH: process.env.PATH ?? '', ...extra });
const rusty = (args: string[], extra?: Record<string, string>) => cli.run(['--workspace', ws.root, ...args], { env: env(extra) });

async function applied(title = 'Bump a'): Promise<string> {
  const cs = {
    title, source: 'test', edits: [
      { kind: 'modify', path: 'src/a.ts', baseHash: ws.hash('src/a.ts'), content: 'export const a = 2;\n' },
      { kind: 'modify', path: 'run.sh', baseHash: ws.hash('run.sh'), content: '#!/bin/sh\necho 2\n' },
      { kind: 'delete', path: 'gone.txt', baseHash: ws.hash('gone.txt') },
      { kind: 'create', path: 'docs/new.md', content: '# New\n' },
    ],
  };
  fs.writeFileSync(path.join(ws.stateRoot, '..', 'cs.json'), JSON.stringify(cs));
  const sub = await rusty(['submit', path.join(ws.stateRoot, '..', 'cs.json'), '--json']);
  const id = parseJson<{ id: string }>(sub).id;
  const ok = await rusty(['approve', id]);
  expect(ok.code, ok.stderr).toBe(0);
  return id;
}

const gitState = () => ({
  status: git(ws.root, 'status', '--porcelain=v1', '-uall'), head: git(ws.root, 'rev-parse', 'HEAD'),
  branch: git(ws.root, 'symbolic-ref', 'HEAD'), branches: git(ws.root, 'branch', '--list'),
  index: sha256(fs.readFileSync(path.join(ws.root, '.git', 'index'))),
});

describe('rusty pr', () => {
  it('opens a PR from an applied proposal without touching the working tree, index, HEAD or branch', async () => {
    const id = await applied();
    const before = gitState();
    const files = ws.snapshot();
    const r = await rusty(['pr', id, '--draft', '--label', 'rusty', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = parseJson<{ number: number; url: string; branch: string; base: string; draft: boolean; labels: string[]; files: number }>(r);
    expect(j).toMatchObject({ number: 1, url: 'https://github.com/owner/repo/pull/1', base: 'main', draft: true, labels: ['rusty'], files: 4 });
    expect(j.branch).toBe(`rusty/${id}-bump-a`);
    const tree = hub.files(j.branch);
    expect(tree.get('src/a.ts')!.text).toBe('export const a = 2;\n');
    expect(tree.get('run.sh')).toMatchObject({ text: '#!/bin/sh\necho 2\n', mode: '100755' });
    expect(tree.get('docs/new.md')!.text).toBe('# New\n');
    expect(tree.has('gone.txt')).toBe(false);
    expect(gitState()).toEqual(before);
    expect(ws.snapshot()).toEqual(files);

    // Recorded on the proposal and in the audit log.
    const show = parseJson<{ pullRequest: { number: number; branch: string } }>(await rusty(['show', id, '--json']));
    expect(show.pullRequest).toMatchObject({ number: 1, branch: j.branch });
    const audit = parseJson<{ entries: { action: string }[] }>(await rusty(['audit', '--proposal', id, '--json']));
    expect(audit.entries.map((e) => e.action)).toContain('pr.opened');

    // CI: pending, then finished; the text output lists the checks with links.
    hub.checks.set(hub.pulls[0]!.headSha, [{ name: 'build', status: 'completed', conclusion: 'success' }]);
    hub.statuses.set(hub.pulls[0]!.headSha, [{ context: 'ci/\x1b[31mred', state: 'failure' }]);
    const st = await rusty(['pr', 'status', id]);
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toContain('CI: failure — 1 passed, 1 failed, 0 running');
    expect(st.stdout).toContain('https://github.com/owner/repo/runs/1');
    expect(st.stdout).toContain('ci/\\x1b[31mred');
    expect(st.stdout).not.toContain('\x1b');
    const watched = parseJson<{ ci: { state: string; done: boolean } }>(await rusty(['pr', 'status', id, '--watch', '--interval', '0.05', '--json']));
    expect(watched.ci).toMatchObject({ state: 'failure', done: true });

    // Again: refused, naming the existing pull request.
    const again = await rusty(['pr', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`rusty: Proposal ${id} already has pull request #1: https://github.com/owner/repo/pull/1`);
  }, 90_000);

  it('--dry-run prints the plan and calls nothing; untrusted titles are escaped on the terminal', async () => {
    const id = await applied('Evil \x1b]0;pwned\x07 title');
    const r = await rusty(['pr', id, '--dry-run', '--base', 'main']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: would open a pull request on owner/repo (main ← rusty/');
    expect(r.stdout).toContain('Evil \\x1b]0;pwned\\x07 title');
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toContain('modify  run.sh (executable)');
    expect(hub.requests).toHaveLength(0);
  }, 60_000);

  it('clear errors: no token, bad token, detached HEAD, no GitHub remote', async () => {
    const id = await applied();
    const noToken = await rusty(['pr', id], { GITHUB_TOKEN: '', PATH: '/nonexistent' });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('rusty: No GitHub token for github.com: set GITHUB_TOKEN or GH_TOKEN, or sign in with `gh auth login`.');
    const bad = await rusty(['pr', id, '--json'], { GITHUB_TOKEN: 'wrong' });
    expect(parseJson<{ error: { code: string; details: { kind: string } } }>(bad).error).toMatchObject({ code: 'github', details: { kind: 'unauthorized', status: 401 } });
    git(ws.root, 'checkout', '-q', '--detach');
    const detached = await rusty(['pr', id]);
    expect(detached.stderr).toContain('HEAD is detached');
    git(ws.root, 'checkout', '-q', 'main');
    git(ws.root, 'remote', 'set-url', 'origin', 'https://gitlab.com/owner/repo.git');
    const gitlab = await rusty(['pr', id], { RUSTY_GITHUB_API_URL: '' });
    expect(gitlab.stderr).toContain('No GitHub remote: origin (gitlab.com) is not on github.com.');
    expect(hub.pulls).toHaveLength(0);
  }, 60_000);
});
