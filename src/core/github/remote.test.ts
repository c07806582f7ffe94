import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { apiBaseUrlFor, detectGitHubRemote, parseGitConfigRemotes, parseRemoteUrl, requireBranch, withoutCredentials } from './remote';
import { cliToken } from './token';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function repo(remotes: Record<string, string> = {}): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-remote-')));
  dirs.push(d);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: d });
  for (const [name, url] of Object.entries(remotes)) execFileSync('git', ['remote', 'add', name, url], { cwd: d });
  return d;
}
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });

describe('remote URLs', () => {
  it.each([
    ['https://github.com/owner/repo.git', 'github.com'],
    ['https://github.com/owner/repo', 'github.com'],
    ['git@github.com:owner/repo.git', 'github.com'],
    ['ssh://git@github.com/owner/repo.git', 'github.com'],
    ['ssh://git@ssh.github.com:443/owner/repo.git', 'ssh.github.com'],
    ['https://x-access-token:ghs_secret@github.com/owner/repo', 'github.com'],
    ['git@ghe.corp.example:owner/repo.git', 'ghe.corp.example'],
  ])('%s', (url, host) => {
    expect(parseRemoteUrl(url)).toEqual({ host, owner: 'owner', repo: 'repo' });
  });
  it('refuses what is not owner/repo', () => {
    for (const u of ['/srv/git/repo.git', 'https://github.com/owner', 'https://gitlab.com/group/sub/repo.git', 'file:///tmp/x']) expect(parseRemoteUrl(u)).toBeUndefined();
  });
  it('reads remotes from a git config written by git', () => {
    const d = repo({ origin: 'git@github.com:o/r.git', 'up.stream': 'https://github.com/u/r' });
    expect(parseGitConfigRemotes(fs.readFileSync(path.join(d, '.git/config'), 'utf8'))).toEqual([{ name: 'origin', url: 'git@github.com:o/r.git' }, { name: 'up.stream', url: 'https://github.com/u/r' }]);
  });
  it('GitHub Enterprise Server: the API of the configured host, only for that host', () => {
    expect(apiBaseUrlFor('github.com')).toBe('https://api.github.com');
    expect(apiBaseUrlFor('ghe.corp.example', { enterpriseUrl: 'https://ghe.corp.example/' })).toBe('https://ghe.corp.example/api/v3');
    expect(apiBaseUrlFor('gitlab.com', { enterpriseUrl: 'https://ghe.corp.example' })).toBeUndefined();
    expect(withoutCredentials('https://x-access-token:ghs_secret@github.com/o/r')).toBe('https://github.com/o/r');
  });
});

describe('detectGitHubRemote', () => {
  it('finds origin, the branch, and the web URL; never keeps credentials', () => {
    const d = repo({ upstream: 'https://github.com/up/r.git', origin: 'https://x-access-token:ghs_secret@github.com/me/r.git' });
    fs.mkdirSync(path.join(d, 'sub'));
    const r = detectGitHubRemote(path.join(d, 'sub'));
    expect(r).toMatchObject({ owner: 'me', repo: 'r', host: 'github.com', apiBaseUrl: 'https://api.github.com', htmlUrl: 'https://github.com/me/r', remoteName: 'origin', branch: 'main' });
    expect(JSON.stringify(r)).not.toContain('ghs_secret');
    expect(detectGitHubRemote(d, { remote: 'upstream' }).owner).toBe('up');
  });
  it('enterprise remote with the setting', () => {
    const d = repo({ origin: 'git@ghe.corp.example:team/app.git' });
    expect(detectGitHubRemote(d, { enterpriseUrl: 'https://ghe.corp.example' })).toMatchObject({ apiBaseUrl: 'https://ghe.corp.example/api/v3', htmlUrl: 'https://ghe.corp.example/team/app' });
  });
  it('clear errors: no git, no remote, no GitHub remote, unknown remote name, detached HEAD', () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-nogit-')));
    dirs.push(plain);
    expect(() => detectGitHubRemote(plain)).toThrow(/is not in a git repository: run `git init`/);
    expect(() => detectGitHubRemote(repo())).toThrow(/has no remote: add one with `git remote add origin/);
    expect(() => detectGitHubRemote(repo({ origin: 'https://gitlab.com/a/b.git' }))).toThrow(/No GitHub remote: origin \(gitlab.com\) is not on github.com\. For GitHub Enterprise Server set rusty.github.enterpriseUrl/);
    expect(() => detectGitHubRemote(repo({ origin: 'https://github.com/a/b.git' }), { remote: 'fork' })).toThrow(/No git remote named "fork" \(remotes: origin\)/);
    const d = repo({ origin: 'https://github.com/a/b.git' });
    fs.writeFileSync(path.join(d, 'f'), 'x');
    git(d, 'add', 'f');
    git(d, 'commit', '-qm', 'c');
    git(d, 'checkout', '-q', '--detach');
    const r = detectGitHubRemote(d);
    expect(r.branch).toBeUndefined();
    expect(() => requireBranch(r)).toThrow(/HEAD is detached.*pass --base BRANCH/);
  });
  it('a linked worktree (.git is a file) reads the main repository config and its own HEAD', () => {
    const d = repo({ origin: 'https://github.com/a/b.git' });
    fs.writeFileSync(path.join(d, 'f'), 'x');
    git(d, 'add', 'f');
    git(d, 'commit', '-qm', 'c');
    const wt = path.join(d, '..', `${path.basename(d)}-wt`);
    dirs.push(wt);
    git(d, 'worktree', 'add', '-q', '-b', 'feature', wt);
    expect(detectGitHubRemote(wt)).toMatchObject({ owner: 'a', repo: 'b', branch: 'feature' });
  });
});

describe('cliToken', () => {
  const noGh = () => undefined;
  it('GITHUB_TOKEN, then GH_TOKEN, then gh auth token for the host, else a clear error', () => {
    expect(cliToken('github.com', { GITHUB_TOKEN: 'a', GH_TOKEN: 'b' }, noGh)).toEqual({ token: 'a', source: 'GITHUB_TOKEN' });
    expect(cliToken('github.com', { GH_TOKEN: 'b' }, noGh)).toEqual({ token: 'b', source: 'GH_TOKEN' });
    const asked: string[] = [];
    expect(cliToken('ghe.corp', {}, (h) => { asked.push(h); return 'c'; })).toEqual({ token: 'c', source: 'gh auth token' });
    expect(asked).toEqual(['ghe.corp']);
    expect(cliToken('ghe.corp', { GH_ENTERPRISE_TOKEN: 'e', GITHUB_TOKEN: 'a' }, noGh).source).toBe('GH_ENTERPRISE_TOKEN');
    expect(() => cliToken('github.com', {}, noGh)).toThrow(/No GitHub token for github.com: set GITHUB_TOKEN or GH_TOKEN, or sign in with `gh auth login`/);
  });
  it('runs the real gh only when it exists (a missing gh is not an error)', () => {
    expect(() => cliToken('github.com', { PATH: '/nonexistent' })).toThrow(/No GitHub token/);
  });
});
