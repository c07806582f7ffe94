// Extension entry point. The UI (approval sidebar, review panel, CodeLenses, commands) is built on
// this in the next step; for now activation finishes or undoes an apply that was interrupted by a
// crash, so the promise "entirely before or entirely after" also holds for VS Code sessions.
import * as vscode from 'vscode';
import type { RecoveryReport } from '../core/checkpoints/transaction';

function settingsFor(folder: vscode.WorkspaceFolder) {
  const cfg = vscode.workspace.getConfiguration('rusty', folder.uri);
  const stateDir = cfg.get<string>('stateDir')?.trim();
  return {
    maxFileSizeMB: cfg.get<number>('maxFileSizeMB', 5),
    retentionDays: cfg.get<number>('checkpoints.retentionDays', 30),
    ...(stateDir ? { stateDir } : {}),
  };
}

function describe(r: RecoveryReport): string {
  const what = r.outcome === 'completed' ? 'completed it' : 'restored the files to how they were before it';
  return `Rusty recovered an interrupted ${r.kind} of proposal ${r.proposalId}: ${what} (${r.files.length} file${r.files.length === 1 ? '' : 's'}).`;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Rusty', { log: true });
  context.subscriptions.push(log);
  // The core is loaded only now, after startup, and without the engines (ts-morph stays unloaded).
  const { RustyCore } = await import('../core/rustyCore');
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    try {
      const core = new RustyCore({ workspace: folder.uri.fsPath, actor: 'extension', settings: settingsFor(folder) });
      const reports = await core.recover();
      for (const r of reports) {
        log.warn(describe(r));
        void vscode.window.showWarningMessage(describe(r));
      }
    } catch (err) {
      log.error(`Recovery check failed for ${folder.uri.fsPath}: ${(err as Error).message}`);
    }
  }
}

export function deactivate(): void {
  // Nothing to stop yet: no servers or watchers are started.
}
