// "$(checklist) Rusty: N pending" in the status bar, opening the approvals sidebar. Hidden when
// nothing is waiting, so it only asks for attention when there is something to review.
import * as vscode from 'vscode';
import { Commands } from './commands/ids';
import type { Container } from './container';
import { pendingCount } from './views/proposalViews';

export class RustyStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rusty.pending', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly container: Container) {
    this.item.name = 'Rusty: pending proposals';
    this.item.command = Commands.showApprovals;
    this.subscription = container.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const n = this.container.all().reduce((sum, ws) => sum + pendingCount(ws.proposals()), 0);
    if (n === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(checklist) Rusty: ${n} pending`;
    this.item.tooltip = `${n} proposal${n === 1 ? '' : 's'} waiting for review — open the Rusty approvals`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
