// Which GitHub repository a workspace belongs to, read from .git/config and .git/HEAD (no `git`
// process needed). GitHub Enterprise Server: the API is https://HOST/api/v3 for a remote on HOST
// when HOST is the configured enterprise URL's host (or an API URL is given outright).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../util/errors';

/** REST API of github.com. */
export const GITHUB_API_URL = 'https://api.github.com';

export interface GitHubRemote {
  owner: string;
  repo: string;
  /** github.com or the enterprise host. */
  host: string;
  /** REST API base URL for this host. */
  apiBaseUrl: string;
  /** Web URL of the repository. */
  htmlUrl: string;
  remoteName: string;
  remoteUrl: string;
  /** The checked-out branch; undefined when HEAD is detached. */
  branch?: string;
}

export interface RemoteOptions {
  /** Remote to use (default: origin, else the first GitHub remote). */
  remote?: string;
  /** GitHub Enterprise Server URL (`https://github.example.com`), e.g. from a setting. */
  enterpriseUrl?: string;
  /** API base URL override (RUSTY_GITHUB_API_URL): any host counts as GitHub then. */
  apiUrl?: string;
}

export interface GitLayout { gitDir: string; commonDir: string }

/** The .git folder of `root` (a worktree's `.git` file is followed); undefined when not a repository. */
export function findGitDir(root: string): GitLayout | undefined {
  let dir = path.resolve(root);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(dotGit);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) return { gitDir: dotGit, commonDir: dotGit };
    if (st?.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (m) {
        const gitDir = path.resolve(dir, m[1]!.trim());
        let commonDir = gitDir;
        try {
          commonDir = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
        } catch {
          // not a linked worktree
        }
        return { gitDir, commonDir };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `[remote "name"] url = …` entries of a git config file. */
export function parseGitConfigRemotes(text: string): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (section) {
      current = section[1]!.toLowerCase() === 'remote' && section[2] !== undefined ? section[2].replace(/\\(.)/g, '$1') : undefined;
      continue;
    }
    const kv = /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(line);
    if (current !== undefined && kv && kv[1]!.toLowerCase() === 'url') {
      let value = kv[2]!.trim();
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!out.some((r) => r.name === current)) out.push({ name: current, url: value });
    }
  }
  return out;
}

/** host/owner/repo of a remote URL: https, ssh://, git://, scp-like `git@host:owner/repo.git`. */
export function parseRemoteUrl(url: string): { host: string; owner: string; repo: string } | undefined {
  let host: string;
  let pathname: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    host = u.hostname.toLowerCase();
    pathname = decodeURIComponent(u.pathname);
  } else if (scp) {
    host = scp[1]!.toLowerCase();
    pathname = scp[2]!;
  } else {
    return undefined;
  }
  if (!host) return undefined;
  const parts = pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const ok = /^[A-Za-z0-9_.-]+$/;
  if (!ok.test(parts[0]) || !ok.test(parts[1])) return undefined;
  return { host, owner: parts[0], repo: parts[1] };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    throw new RustyError('usage', `The GitHub Enterprise URL ${JSON.stringify(url)} is not a URL; use e.g. https://github.example.com.`);
  }
}

/** API base URL for a remote host, or undefined when the host is not a GitHub we know of. */
export function apiBaseUrlFor(host: string, opts: RemoteOptions = {}): string | undefined {
  if (opts.apiUrl) return opts.apiUrl.replace(/\/+$/, '');
  if (host === 'github.com' || host === 'ssh.github.com' || host === 'www.github.com') return GITHUB_API_URL;
  const enterprise = hostOf(opts.enterpriseUrl);
  if (enterprise && host === enterprise) {
    const u = new URL(opts.enterpriseUrl!);
    return `${u.protocol}//${u.host}/api/v3`;
  }
  return undefined;
}

/** The branch HEAD points at, or undefined when detached. */
export function readHeadBranch(layout: GitLayout): string | undefined {
  let head: string;
  try {
    head = fs.readFileSync(path.join(layout.gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    throw new RustyError('github', `Cannot read ${path.join(layout.gitDir, 'HEAD')}: the repository looks damaged.`, { kind: 'no-git' });
  }
  const m = /^ref:\s*refs\/heads\/(.+)$/.exec(head);
  return m ? m[1] : undefined;
}

/** The workspace's GitHub repository; clear errors for no git, no GitHub remote. */
export function detectGitHubRemote(root: string, opts: RemoteOptions = {}): GitHubRemote {
  const layout = findGitDir(root);
  if (!layout) throw new RustyError('github', `${root} is not in a git repository: run \`git init\` and add a GitHub remote (git remote add origin https://github.com/OWNER/REPO.git).`, { kind: 'no-git' });
  let config = '';
  try {
    config = fs.readFileSync(path.join(layout.commonDir, 'config'), 'utf8');
  } catch {
    // no config: no remotes
  }
  const remotes = parseGitConfigRemotes(config);
  if (!remotes.length) throw new RustyError('github', `The repository at ${path.dirname(layout.commonDir)} has no remote: add one with \`git remote add origin https://github.com/OWNER/REPO.git\`.`, { kind: 'no-remote' });
  const candidates = opts.remote ? remotes.filter((r) => r.name === opts.remote) : [...remotes.filter((r) => r.name === 'origin'), ...remotes.filter((r) => r.name !== 'origin')];
  if (opts.remote && !candidates.length) throw new RustyError('github', `No git remote named ${JSON.stringify(opts.remote)} (remotes: ${remotes.map((r) => r.name).join(', ')}).`, { kind: 'no-remote' });
  for (const r of candidates) {
    const parsed = parseRemoteUrl(r.url);
    const apiBaseUrl = parsed && apiBaseUrlFor(parsed.host, opts);
    if (!parsed || !apiBaseUrl) continue;
    const web = apiBaseUrl === GITHUB_API_URL || opts.apiUrl ? `https://${parsed.host === 'ssh.github.com' ? 'github.com' : parsed.host}` : apiBaseUrl.replace(/\/api\/v3$/, '');
    const branch = readHeadBranch(layout);
    return {
      owner: parsed.owner, repo: parsed.repo, host: parsed.host, apiBaseUrl,
      htmlUrl: `${web}/${parsed.owner}/${parsed.repo}`, remoteName: r.name, remoteUrl: withoutCredentials(r.url),
      ...(branch ? { branch } : {}),
    };
  }
  const listed = candidates.map((r) => `${r.name} (${parseRemoteUrl(r.url)?.host ?? 'unrecognised URL'})`).join(', ');
  throw new RustyError('github',
    `No GitHub remote: ${listed} ${candidates.length === 1 ? 'is' : 'are'} not on github.com. For GitHub Enterprise Server set rusty.github.enterpriseUrl (or RUSTY_GITHUB_ENTERPRISE_URL) to its URL.`,
    { kind: 'no-github-remote' });
}

/** A remote URL without a user name or token in it (`https://x-access-token:…@github.com/…`). */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/** The checked-out branch, or a clear error for a detached HEAD. */
export function requireBranch(remote: GitHubRemote): string {
  if (!remote.branch) throw new RustyError('github', 'HEAD is detached (no branch is checked out): check out the branch the pull request should target, or pass --base BRANCH.', { kind: 'detached-head' });
  return remote.branch;
}
