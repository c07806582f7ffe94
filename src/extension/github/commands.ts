// "Rusty: Open Pull Request": pick an applied proposal (or get one from a menu), open its PR and
// offer to show it in the browser.
import * as vscode from 'vscode';
import type { Container } from '../container';
import { GitHubCommands } from '../commands/ids';
import { toUserError } from '../actions/errors';

export function registerGitHub(c: Container): vscode.Disposable[] {
  const open = async (arg?: unknown) => {
    try {
      let id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg && typeof (arg as { id?: unknown }).id === 'string' ? (arg as { id: string }).id : undefined;
      if (!id) {
        const ws = c.requireCurrent();
        const candidates = ws.proposals().filter((p) => (p.status === 'applied' || p.status === 'redone') && !p.pullRequest);
        if (!candidates.length) {
          void vscode.window.showInformationMessage('No applied proposal without a pull request: approve a proposal first.');
          return;
        }
        const pick = await vscode.window.showQuickPick(candidates.map((p) => ({ label: p.title, description: p.id, detail: `${p.files.length} file${p.files.length === 1 ? '' : 's'} · ${p.source}`, id: p.id })), { title: 'Rusty: Open Pull Request', placeHolder: 'Applied proposal' });
        if (!pick) return;
        id = pick.id;
      }
      const { ws } = await c.resolve(id);
      const r = await c.github.openPullRequest(ws, id);
      const pick = await vscode.window.showInformationMessage(`Opened pull request #${r.number} for ${id}.`, 'Open in Browser');
      if (pick) await vscode.env.openExternal(vscode.Uri.parse(r.url));
    } catch (err) {
      c.log.error(`${GitHubCommands.openPullRequest} failed: ${toUserError(err).message}`);
      c.actions.showError(err);
    }
  };
  return [vscode.commands.registerCommand(GitHubCommands.openPullRequest, open)];
}
