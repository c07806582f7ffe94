// Runs one refactoring from the engines bundle and shows its proposal: a cancellable progress
// notification while the TypeScript project loads and the refactoring runs, then the proposal's
// review panel. Nothing is written. An engine refusal ('refused', 'usage', 'not-found') is a
// warning with the engine's reason; the result carries it too, so callers (tests) can see it.
import * as vscode from 'vscode';
import type { RefactoringName, RefactoringParams } from '../../core/refactorings/registry';
import { toUserError } from '../actions/errors';
import type { ProposeCommandResult } from '../commands/ids';
import type { Container } from '../container';
import { loadEngines } from '../workspace/loadEngines';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';

/** What the "Propose: …" refactoring commands return. */
export interface RefactorCommandResult extends ProposeCommandResult {
  /** Set when nothing was proposed: the engine refused (with its reason), the input was wrong, or it was cancelled. */
  error?: { code: string; message: string };
}

const REFUSALS = new Set(['refused', 'usage', 'not-found']);

export function refusal(c: Container, label: string, code: string, message: string): RefactorCommandResult {
  c.log.info(`${label}: ${message}`);
  void vscode.window.showWarningMessage(`Rusty — ${label}: ${message}`);
  return { created: [], existing: [], error: { code, message } };
}

export async function proposeWithProgress<N extends RefactoringName>(
  c: Container, ws: RustyWorkspace, name: N, params: RefactoringParams[N], label: string,
): Promise<RefactorCommandResult> {
  c.approvals.setBusy(label);
  try {
    const { proposal, existing } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rusty: ${label}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: 'loading the TypeScript project…' });
        const engines = loadEngines();
        const core = await ws.core();
        let last = 0;
        const r = await engines.proposeRefactoring(core, name, params, {
          signal: abort.signal,
          onProgress: (done, total, file) => {
            const pct = total ? (done / total) * 90 : 90;
            progress.report({ increment: Math.max(0, pct - last), message: `${done}/${total} ${file}` });
            last = pct;
          },
        });
        if (abort.signal.aborted) throw Object.assign(new Error('Cancelled: nothing was queued and nothing was written.'), { name: 'RustyError', code: 'cancelled' });
        return r;
      } finally {
        sub.dispose();
      }
    });
    ws.refresh();
    c.log.info(`${label}: ${existing ? 'already queued as' : 'queued'} ${proposal.id} "${proposal.title}" (${proposal.files.map((f) => f.to ?? f.path).join(', ')}).`);
    await c.reviewPanels.open(proposal.id);
    if (existing) void vscode.window.showInformationMessage(`Rusty: the same change is already waiting for review: "${proposal.title}".`);
    return { created: existing ? [] : [proposal.id], existing: existing ? [proposal.id] : [] };
  } catch (err) {
    const e = toUserError(err);
    if (REFUSALS.has(e.code)) return refusal(c, label, e.code, e.message);
    c.actions.showError(err, { ws, operation: label });
    return { created: [], existing: [], error: { code: e.code, message: e.message } };
  } finally {
    c.approvals.setBusy(undefined);
  }
}
