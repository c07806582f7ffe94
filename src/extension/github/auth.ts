// VS Code's own GitHub sign-in (the built-in "github" / "github-enterprise" authentication
// providers): no personal token in settings. The session's token goes to Octokit only.
import * as vscode from 'vscode';
import { RustyError } from '../../core/util/errors';

export async function githubToken(host: string): Promise<string> {
  const provider = host === 'github.com' || host === 'ssh.github.com' ? 'github' : 'github-enterprise';
  let session: vscode.AuthenticationSession | undefined;
  try {
    session = await vscode.authentication.getSession(provider, ['repo'], { createIfNone: true });
  } catch (err) {
    throw new RustyError('github', `GitHub sign-in did not complete (${(err as Error).message}). ${provider === 'github-enterprise' ? `Set "github-enterprise.uri" to https://${host} and sign in again.` : 'Sign in from the Accounts menu and try again.'}`, { kind: 'no-token' });
  }
  if (!session) throw new RustyError('github', 'GitHub sign-in was cancelled: nothing was sent to GitHub.', { kind: 'no-token' });
  return session.accessToken;
}
