// CodeLenses in files with open proposals: "Rusty: 2 proposals · Review" at the top and
// "Proposed change · Review" above each changed region. Refreshed whenever proposals change;
// off with rusty.codeLens.enabled.
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import type { Container } from '../container';
import { lensesFor } from './lensRegions';

export class RustyCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly container: Container) {
    this.subscriptions = [
      this.changed,
      container.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('rusty.codeLens.enabled')) this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const ws = this.container.workspaceFor(doc.uri);
    if (!ws || !ws.settings().codeLensEnabled) return [];
    if (!ws.loaded) {
      // First look at this folder: load its proposals; onDidChange asks again when they are in.
      void ws.core().catch(() => undefined);
      return [];
    }
    const rel = ws.rel(doc.uri);
    if (!rel) return [];
    return lensesFor(ws.proposals(), rel, doc.lineCount).map((spec) => new vscode.CodeLens(
      new vscode.Range(spec.line, 0, spec.line, 0),
      {
        title: spec.title,
        tooltip: spec.tooltip,
        command: Commands.reviewProposal,
        arguments: ['id' in spec.target ? { id: spec.target.id } : doc.uri],
      },
    ));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
