// The suggestion CodeLenses: "complexity 23 · Extract function…", "unused export · Remove" and
// "7 × TS6133 · Fix all", from the last analysis of the file's folder. A lens click runs the
// matching "Propose: …" command with the finding as its argument: it creates the proposal through
// the real refactoring and opens its review panel. Lenses of a file edited since its analysis are
// hidden until the incremental update lands (their lines may have moved).
import * as vscode from 'vscode';
import { RefactorCommands } from '../commands/ids';
import type { Container } from '../container';
import type { AnalysisController } from './analysisController';
import { lensesForFile, type LensSpec } from './findings';

const COMMAND: Record<LensSpec['kind'], string> = {
  extract: RefactorCommands.proposeExtractFunction,
  'remove-export': RefactorCommands.proposeRemoveUnusedExport,
  'fix-all': RefactorCommands.proposeFixAll,
};

export class SuggestionLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly c: Container, private readonly analysis: AnalysisController) {
    this.subscriptions = [this.changed, analysis.onDidChange(() => this.changed.fire())];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const ws = this.c.workspaceFor(doc.uri);
    const state = ws && this.analysis.get(ws);
    const rel = ws?.rel(doc.uri);
    if (!ws || !state || !rel || state.stale.has(rel)) return [];
    const settings = this.analysis.settings(ws);
    if (!settings.enabled) return [];
    this.analysis.ensureSemantic(state, rel);
    return lensesForFile(state.findings, rel, settings)
      .filter((spec) => spec.line < doc.lineCount)
      .map((spec) => new vscode.CodeLens(new vscode.Range(spec.line, 0, spec.line, 0), {
        title: spec.title,
        tooltip: spec.tooltip,
        command: COMMAND[spec.kind],
        // The document's URI names the folder too (a relative path alone is ambiguous in a multi-root window).
        arguments: [{ ...spec.args, uri: doc.uri.toString() }],
      }));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
