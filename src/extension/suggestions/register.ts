// Everything issue 4 adds to the extension, registered by one call from the composition root:
// "Analyze Workspace", the Findings view, the suggestion CodeLenses and the "Propose: …"
// refactoring commands. Nothing here loads ts-morph: the analysis and the refactorings run from
// the engines bundle, loaded on the first command.
import * as vscode from 'vscode';
import { RefactorCommands, Views } from '../commands/ids';
import type { Container } from '../container';
import { registerRefactorCommands } from '../refactorCommands/commands';
import { AnalysisController, type AnalyzeCommandResult } from './analysisController';
import { FindingsTreeProvider } from './findingsTree';
import { SuggestionLensProvider } from './suggestionLenses';

export type { AnalyzeCommandResult } from './analysisController';
export type { RefactorCommandResult } from '../refactorCommands/runner';

const RESTORE_DELAY_MS = 2000;
const SOURCES: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' };

export function registerSuggestions(c: Container): vscode.Disposable {
  const analysis = new AnalysisController(c);
  const lenses = new SuggestionLensProvider(c, analysis);
  const tree = new FindingsTreeProvider(analysis);
  const view = vscode.window.createTreeView(Views.findings, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);

  const analyze = vscode.commands.registerCommand(RefactorCommands.analyzeWorkspace, async (arg?: unknown): Promise<AnalyzeCommandResult | undefined> => {
    try {
      const uri = arg instanceof vscode.Uri ? arg : undefined;
      const ws = (uri && c.workspaceFor(uri)) || c.requireCurrent();
      return await analysis.analyze(ws);
    } catch (err) {
      // Shown once (cancelling is an information message); the caller gets undefined.
      c.actions.showError(err, { operation: 'analyze' });
      return undefined;
    }
  });

  // Findings survive a window reload: folders analysed before are analysed again from their cache,
  // quietly, once activation is done.
  const restoring = setTimeout(() => void analysis.restore(), RESTORE_DELAY_MS);

  return vscode.Disposable.from(
    { dispose: () => clearTimeout(restoring) },
    analysis,
    lenses,
    tree,
    view,
    analyze,
    vscode.languages.registerCodeLensProvider(SOURCES, lenses),
    ...registerRefactorCommands(c, analysis),
  );
}
