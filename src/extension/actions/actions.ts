// What the commands, the sidebar, the review panel and the CodeLenses all do: approve, reject,
// roll back, redo and propose, with progress, "verify" after writing, notifications that offer the
// way back (Rollback / Redo), and errors turned into messages with something to do about them.
import * as vscode from 'vscode';
import type { ApproveResult, RustyCore, UndoResult } from '../../core/rustyCore';
import type { Selection } from '../../core/proposals/approve';
import type { Proposal } from '../../core/proposals/model';
import { sha256 } from '../../core/util/hash';
import type { ProgressStep, ProgressView } from '../../shared/proposalView';
import { Commands, type ProposeCommandResult } from '../commands/ids';
import { loadEngines } from '../workspace/loadEngines';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { describeConflictList, toUserError } from './errors';

export interface ActionsDeps {
  log: vscode.LogOutputChannel;
  /** Open (or reveal) the review panel of a proposal. */
  openReview(id: string): Promise<void>;
  /** The sidebar shows this while long work runs (undefined = idle). */
  setBusy(label: string | undefined): void;
}

export interface OperationOptions {
  /** Progress tracker snapshots (the review panel shows them). */
  onProgress?: (progress: ProgressView) => void;
  /** Errors are shown by the caller (the review panel shows them itself). */
  quiet?: boolean;
}

type Operation = ProgressView['operation'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function quoted(p: Pick<Proposal, 'title'>): string {
  return `"${p.title.length > 80 ? `${p.title.slice(0, 77)}...` : p.title}"`;
}

export class Actions {
  /** Errors already shown, so one failure is not announced twice on its way up. */
  private readonly shown = new WeakSet<object>();

  constructor(private readonly deps: ActionsDeps) {}

  /**
   * Run a writing operation with the progress tracker (validate → checkpoint → apply → verify):
   * the steps come from what can be observed — the adapter is told when the batch starts (the
   * checkpoint and journal record are stored by then) and about each file written.
   */
  private async tracked<T extends { checkpoint: string }>(ws: RustyWorkspace, operation: Operation, id: string, opts: OperationOptions, run: (core: RustyCore) => Promise<T>): Promise<T> {
    let step: ProgressStep = 'validate';
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Rusty: ${operation} ${id}` }, async (bar) => {
      const report = (s: ProgressStep, state: ProgressView['state'], detail?: string) => {
        step = s;
        opts.onProgress?.({ operation, step: s, state, ...(detail ? { detail } : {}) });
        bar.report({ message: `${s}${detail ? `: ${detail}` : ''}` });
      };
      report('validate', 'running', 'checking the files against the proposal');
      const sink = {
        batchStart: (total: number) => {
          report('checkpoint', 'done', 'before and after bytes stored');
          report('apply', 'running', `0 of ${plural(total, 'file')}`);
        },
        fileWritten: (done: number, total: number, rel: string) => report('apply', 'running', `${done} of ${plural(total, 'file')}: ${rel}`),
      };
      let result: T;
      try {
        result = await ws.exclusive(sink, async () => run(await ws.core()));
      } catch (err) {
        report(step, 'failed', toUserError(err).message);
        throw err;
      } finally {
        ws.refresh();
      }
      report('verify', 'running', 're-reading the written files');
      const core = await ws.core();
      const problems = await this.verify(core, result.checkpoint);
      if (problems.length) {
        const detail = `${problems.join(', ')} ${problems.length === 1 ? 'does' : 'do'} not hold what was written (changed again since?)`;
        report('verify', 'failed', detail);
        this.deps.log.warn(`Verify after ${operation} of ${id}: ${detail}`);
      } else {
        report('verify', 'done', 'every file matches the checkpoint');
      }
      return result;
    });
  }

  /** Re-read every file the transaction wrote and compare with the checkpoint's after-hashes. */
  private async verify(core: RustyCore, checkpointId: string): Promise<string[]> {
    const checkpoint = core.checkpoints.get(checkpointId);
    const bad: string[] = [];
    for (const f of checkpoint.files) {
      const bytes = await core.wfs.read(f.path);
      if ((bytes ? sha256(bytes) : null) !== f.after) bad.push(f.path);
    }
    return bad;
  }

  async approve(ws: RustyWorkspace, id: string, selection: Selection = {}, opts: OperationOptions = {}): Promise<ApproveResult> {
    try {
      const result = await this.tracked(ws, 'approve', id, opts, (core) => core.approve(id, selection));
      const merged = result.merged.length ? ` Merged with newer edits in ${result.merged.join(', ')}.` : '';
      const part = result.partial ? ' (the chosen part)' : '';
      this.deps.log.info(`Applied ${id}${part}: ${result.applied.join(', ')} (checkpoint ${result.checkpoint}).`);
      this.offer(`Rusty applied ${quoted(result.proposal)}${part} to ${plural(result.applied.length, 'file')}.${merged}`, 'Rollback', Commands.rollback, id);
      return result;
    } catch (err) {
      if (!opts.quiet) this.showError(err, { ws, id, operation: 'approve' });
      throw err;
    }
  }

  async rollback(ws: RustyWorkspace, id: string, force = false, opts: OperationOptions = {}): Promise<UndoResult> {
    try {
      const result = await this.tracked(ws, 'rollback', id, opts, (core) => core.rollback(id, { force }));
      const kept = result.merged.length ? ` Kept your later edits in ${result.merged.join(', ')}.` : '';
      this.deps.log.info(`Rolled back ${id}${force ? ' (forced)' : ''}: ${result.files.join(', ')} (checkpoint ${result.checkpoint}).`);
      this.offer(`Rusty rolled back ${quoted(result.proposal)}${force ? ' exactly to its checkpoint' : ''}.${kept}`, 'Redo', Commands.redo, id);
      return result;
    } catch (err) {
      if (!opts.quiet) this.showError(err, { ws, id, operation: 'rollback' });
      throw err;
    }
  }

  async redo(ws: RustyWorkspace, id: string, opts: OperationOptions = {}): Promise<UndoResult> {
    try {
      const result = await this.tracked(ws, 'redo', id, opts, (core) => core.redo(id));
      this.deps.log.info(`Redid ${id}: ${result.files.join(', ')} (checkpoint ${result.checkpoint}).`);
      this.offer(`Rusty applied ${quoted(result.proposal)} again.`, 'Rollback', Commands.rollback, id);
      return result;
    } catch (err) {
      if (!opts.quiet) this.showError(err, { ws, id, operation: 'redo' });
      throw err;
    }
  }

  async reject(ws: RustyWorkspace, id: string, reason: string, opts: OperationOptions = {}): Promise<Proposal> {
    try {
      const core = await ws.core();
      const p = await ws.exclusive(undefined, () => core.reject(id, reason));
      this.deps.log.info(`Rejected ${id}: ${reason}`);
      void vscode.window.showInformationMessage(`Rusty rejected ${quoted(p)}.`);
      return p;
    } catch (err) {
      if (!opts.quiet) this.showError(err, { ws, id, operation: 'reject' });
      throw err;
    } finally {
      ws.refresh();
    }
  }

  /**
   * Run the embedded engines (all, or `only`) on the workspace or on `files`, with a cancellable
   * notification; cancelling aborts the analysis and queues nothing further.
   */
  async propose(ws: RustyWorkspace, what: { title: string; only?: string[]; files?: string[] }): Promise<ProposeCommandResult> {
    this.deps.setBusy(what.title);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rusty: ${what.title}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          progress.report({ message: 'loading the TypeScript engine…' });
          const engines = loadEngines();
          const core = await ws.core();
          return await engines.reviewWorkspace(core, {
            ...(what.only ? { only: what.only } : {}),
            ...(what.files ? { files: what.files } : {}),
            signal: abort.signal,
            onProgress: (done, total, file) => {
              const pct = total ? (done / total) * 100 : 100;
              progress.report({ increment: pct - last, message: `${done}/${total} ${file}` });
              last = pct;
            },
          });
        } finally {
          sub.dispose();
        }
      });
      ws.refresh();
      for (const s of result.skipped) this.deps.log.info(`Skipped ${s.path}: ${s.reason}`);
      const created = result.proposals.filter((p) => !p.existing).map((p) => p.proposal);
      const existing = result.proposals.filter((p) => p.existing).map((p) => p.proposal);
      this.deps.log.info(`${what.title}: scanned ${plural(result.filesScanned, 'file')}, ${created.length} new, ${existing.length} already queued, ${result.skipped.length} skipped.`);
      if (created.length + existing.length === 0) {
        void vscode.window.showInformationMessage(`Rusty: nothing to propose (${plural(result.filesScanned, 'file')} checked${result.skipped.length ? `, ${result.skipped.length} skipped — see the Rusty output` : ''}).`);
      } else {
        const first = created[0] ?? existing[0]!;
        const text = created.length
          ? `Rusty queued ${plural(created.length, 'proposal')}: ${created.map(quoted).join(', ')}. Nothing is written until you approve.`
          : `Rusty: the same change is already waiting: ${quoted(first)}.`;
        void vscode.window.showInformationMessage(text, 'Review').then((pick) => {
          if (pick) void this.deps.openReview(first.id).catch((err: unknown) => this.showError(err));
        });
      }
      return { created: created.map((p) => p.id), existing: existing.map((p) => p.id) };
    } catch (err) {
      this.showError(err, { ws, operation: 'propose' });
      throw err;
    } finally {
      this.deps.setBusy(undefined);
    }
  }

  /** A notification with one follow-up action; not awaited (nobody has to click it). */
  private offer(message: string, action: string, command: string, id: string): void {
    void vscode.window.showInformationMessage(message, action).then((pick) => {
      if (pick) void vscode.commands.executeCommand(command, { id });
    });
  }

  /** Show an error in words a person can act on, with the follow-ups that make sense. Never throws. */
  showError(err: unknown, ctx: { ws?: RustyWorkspace; id?: string; operation?: string } = {}): void {
    if (err && typeof err === 'object') {
      if (this.shown.has(err)) return;
      this.shown.add(err);
    }
    const e = toUserError(err);
    if (e.code === 'cancelled') {
      this.deps.log.info(e.message);
      void vscode.window.showInformationMessage(e.message);
      return;
    }
    this.deps.log.error(`${ctx.operation ?? 'operation'}${ctx.id ? ` ${ctx.id}` : ''}: ${e.message}${e.conflicts ? `\n${describeConflictList(e.conflicts)}` : ''}`);
    if (e.code === 'internal' && err instanceof Error && err.stack) this.deps.log.error(err.stack);
    const actions: string[] = [];
    if (ctx.id && ['conflict', 'stale', 'bad-state', 'io'].includes(e.code)) actions.push('Show details');
    if (ctx.id && ctx.ws && e.code === 'conflict' && ctx.operation === 'rollback') actions.push('Force rollback');
    if (e.code === 'internal') actions.push('Show log');
    void vscode.window.showErrorMessage(e.message, ...actions).then(async (pick) => {
      try {
        if (pick === 'Show details' && ctx.id) await this.deps.openReview(ctx.id);
        else if (pick === 'Show log') this.deps.log.show(true);
        else if (pick === 'Force rollback' && ctx.id && ctx.ws) await this.confirmForceRollback(ctx.ws, ctx.id);
      } catch (inner) {
        if (inner !== err) this.showError(inner, ctx);
      }
    });
  }

  async confirmForceRollback(ws: RustyWorkspace, id: string, opts: OperationOptions = {}): Promise<UndoResult | undefined> {
    const go = await vscode.window.showWarningMessage(
      `Force rollback restores the files of ${id} exactly as they were before it was applied, replacing your later edits to them. Your current files are checkpointed first, so "Redo" brings them back.`,
      { modal: true },
      'Force rollback',
    );
    if (go !== 'Force rollback') return undefined;
    return this.rollback(ws, id, true, opts);
  }
}
