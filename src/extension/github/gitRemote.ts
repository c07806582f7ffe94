// The folder's GitHub remote and branch from the built-in git extension's API when it is there
// (it knows about worktrees, submodules and unsaved state), else from .git/config (the core).
import * as vscode from 'vscode';
import { apiBaseUrlFor, detectGitHubRemote, GITHUB_API_URL, parseRemoteUrl, withoutCredentials, type GitHubRemote, type RemoteOptions } from '../../core/github/remote';

/** The parts of the git extension's API (extensions/git/src/api/git.d.ts, version 1) used here. */
interface GitApi {
  getRepository(uri: vscode.Uri): { state: { HEAD?: { name?: string }; remotes: { name: string; fetchUrl?: string; pushUrl?: string }[] } } | null;
}

async function gitApi(): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
  if (!ext) return undefined;
  try {
    return (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  } catch {
    return undefined;
  }
}

export async function folderRemote(folder: vscode.Uri, opts: RemoteOptions): Promise<GitHubRemote> {
  const repo = (await gitApi())?.getRepository(folder);
  if (repo) {
    const remotes = opts.remote ? repo.state.remotes.filter((r) => r.name === opts.remote) : [...repo.state.remotes].sort((a, b) => Number(b.name === 'origin') - Number(a.name === 'origin'));
    for (const r of remotes) {
      const url = r.pushUrl ?? r.fetchUrl;
      const parsed = url ? parseRemoteUrl(url) : undefined;
      const api = parsed && apiBaseUrlFor(parsed.host, opts);
      if (!parsed || !api || !url) continue;
      const web = api === GITHUB_API_URL ? 'https://github.com' : api.replace(/\/api\/v3$/, '');
      const branch = repo.state.HEAD?.name;
      return { owner: parsed.owner, repo: parsed.repo, host: parsed.host, apiBaseUrl: api, htmlUrl: `${web}/${parsed.owner}/${parsed.repo}`, remoteName: r.name, remoteUrl: withoutCredentials(url), ...(branch ? { branch } : {}) };
    }
  }
  // No git extension, or it does not know the folder: read .git/config (clear errors from the core).
  return detectGitHubRemote(folder.fsPath, opts);
}
