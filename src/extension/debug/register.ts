// "Rusty: Debug Stack Trace…" and "Propose a Fix" on a debug session stopped on an exception.
//
// The trace comes from the command's argument ({ text }), a proposal's failed test run, the
// terminal selection (copied with VS Code's own command), the clipboard, the editor selection, or
// an untitled editor the user pastes into. The core reads it against the workspace (engines bundle,
// loaded on first use; unsaved text wins); the analysis opens as a read-only markdown document
// (your frames first, excerpts, kind), "Go to Frame…" opens a location, and TypeScript's code fix,
// when there is one, is queued as a proposal and opened in the review panel. No fix otherwise.
//
// A debug adapter tracker ('*') watches `stopped` events with reason `exception`, asks the adapter
// for `exceptionInfo` and `stackTrace`, and offers "Propose a Fix" (notification, debug toolbar).
import * as vscode from 'vscode';
import type { DebugReport } from '../../core/debug/analyze';
import type { TestRunRecord } from '../../core/testgen/run';
import { toUserError } from '../actions/errors';
import { aiFixForTrace } from '../ai/debugFix';
import type { DebugFixResult } from '../ai/debugFixFlow';
import { TestDebugCommands } from '../commands/ids';
import type { Container } from '../container';
import { refusal } from '../refactorCommands/runner';
import { loadEngines } from '../workspace/loadEngines';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { traceFromDap, type DapExceptionInfo, type DapStackFrame } from './dapTrace';
import { errorTitle, frameWhere, KIND_LABEL, orderedFrames, reportMarkdown, testRunSummary } from './reportText';

export const DEBUG_DOC_SCHEME = 'rusty-debug';
/** Context key: the active debug session is stopped on an exception Rusty has read. */
export const EXCEPTION_STOPPED_CONTEXT = 'rusty.debug.exceptionStopped';

export interface DebugTraceArgs {
  /** The trace itself (skips the prompts). */
  text?: string;
  /** Use this proposal's failed test run output. */
  proposalId?: string;
  /** Where the text came from, for the report. */
  from?: string;
  /** false: do not open the report document and the review panel (the result still says everything). */
  show?: boolean;
  /** When TypeScript has no fix: true asks the model without a question, false never (absent: `rusty.debug.askModel`). */
  ai?: boolean;
}

export interface DebugTraceResult {
  errorName?: string;
  message?: string;
  kind?: DebugReport['kind'];
  frames?: { fn?: string; file?: string; location: string; line?: number; origin: string }[];
  focus?: { file?: string; line?: number };
  fix?: { fixName: string; description: string; proposalId: string; existing: boolean };
  noFix?: string;
  /** The read-only markdown report. */
  reportUri?: string;
  /** The trace text read (for the debugger flow: built from the adapter's answers). */
  trace?: string;
  /** The failing test (read from the trace) run on copies: `before` without the fix, `after` with it. */
  testRun?: TestRunRecord;
  /** The model asked when TypeScript had no fix: its queued proposal, or why it made none. */
  ai?: { model: string; proposalId?: string; existing?: boolean; error?: string };
  error?: { code: string; message: string };
}

const LABEL = 'Debug Stack Trace';
const REFUSALS = new Set(['refused', 'usage', 'not-found', 'cancelled']);
const KEEP = 20;

/** The analyses as read-only markdown documents. */
class ReportDocs implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private seq = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This analysis is no longer available. Run "Rusty: Debug Stack Trace…" again.';
  }

  add(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DEBUG_DOC_SCHEME, path: `/${++this.seq}/${name.replace(/[^\w.-]+/g, '_')}.md` });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > KEEP) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }
}

/** One exception stop of a debug session, as read from its adapter. */
interface ExceptionStop {
  session: vscode.DebugSession;
  threadId: number;
  trace: string;
  title: string;
}

class ExceptionWatcher implements vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private readonly stops = new Map<string, ExceptionStop>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly c: Container, private readonly onStop: (stop: ExceptionStop) => void) {
    this.subs = [
      vscode.debug.onDidTerminateDebugSession((s) => this.clear(s.id)),
      vscode.debug.onDidChangeActiveDebugSession(() => this.updateContext()),
    ];
  }

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    return {
      onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string; threadId?: number } }) => {
        if (m.type !== 'event') return;
        if (m.event === 'stopped' && m.body?.reason === 'exception' && typeof m.body.threadId === 'number') {
          this.c.log.info(`Debug session "${session.name}" stopped on an exception: reading it from the debug adapter.`);
          void this.capture(session, m.body.threadId);
        } else if (m.event === 'continued' || m.event === 'terminated' || m.event === 'exited') this.clear(session.id);
      },
      onWillStopSession: () => this.clear(session.id),
    };
  }

  /** The stop to fix: the active session's, else the latest. */
  current(): ExceptionStop | undefined {
    const active = vscode.debug.activeDebugSession;
    return (active && this.stops.get(active.id)) ?? [...this.stops.values()].pop();
  }

  private async capture(session: vscode.DebugSession, threadId: number): Promise<void> {
    try {
      const [info, st] = await Promise.all([
        Promise.resolve(session.customRequest('exceptionInfo', { threadId })).then((r: DapExceptionInfo) => r, () => undefined),
        Promise.resolve(session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 50 })) as Promise<{ stackFrames?: DapStackFrame[] }>,
      ]);
      const trace = traceFromDap(info, st.stackFrames ?? []);
      const stop = { session, threadId, trace, title: trace.split('\n')[0]! };
      this.stops.delete(session.id);
      this.stops.set(session.id, stop);
      this.updateContext();
      this.c.log.info(`Debug session "${session.name}": ${stop.title.slice(0, 200)} (${st.stackFrames?.length ?? 0} frames); "Propose a Fix" is offered.`);
      this.onStop(stop);
    } catch (err) {
      this.c.log.warn(`Rusty could not read the exception of debug session ${session.name}: ${(err as Error).message}`);
    }
  }

  private clear(id: string): void {
    if (this.stops.delete(id)) this.updateContext();
  }

  private updateContext(): void {
    const active = vscode.debug.activeDebugSession;
    void vscode.commands.executeCommand('setContext', EXCEPTION_STOPPED_CONTEXT, !!active && this.stops.has(active.id));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.stops.clear();
  }
}

/** Unsaved editors of this folder: their text is laid over the copies the failing test runs on. */
function unsaved(ws: RustyWorkspace): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => ws.rel(d.uri)).filter((r): r is string => !!r);
}

interface SourcePick extends vscode.QuickPickItem { take: () => Promise<{ text: string; from: string } | undefined> }

function argsOf(arg: unknown): DebugTraceArgs {
  if (typeof arg === 'string') return { text: arg };
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as DebugTraceArgs) : {};
}

export function registerDebug(c: Container, context?: vscode.ExtensionContext): vscode.Disposable {
  const docs = new ReportDocs();
  /** Untitled editors opened for pasting a trace. */
  const pasteDocs = new Set<string>();

  async function fromTerminal(): Promise<{ text: string; from: string } | undefined> {
    const before = await vscode.env.clipboard.readText();
    await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
    const text = await vscode.env.clipboard.readText();
    if (!text.trim() || text === before) {
      void vscode.window.showInformationMessage('Rusty: the terminal has no selection. Select the error and its "at …" lines in the terminal, then run "Rusty: Debug Stack Trace…" again.');
      return undefined;
    }
    return { text, from: `the terminal "${vscode.window.activeTerminal?.name ?? ''}"` };
  }

  async function pasteEditor(): Promise<undefined> {
    const doc = await vscode.workspace.openTextDocument({ language: 'log', content: '' });
    pasteDocs.add(doc.uri.toString());
    await vscode.window.showTextDocument(doc, { preview: false });
    void vscode.window.showInformationMessage('Rusty: paste the stack trace into the new editor, then choose Analyze (or run "Rusty: Debug Stack Trace…" from it).', 'Analyze').then((pick) => {
      if (pick) void vscode.commands.executeCommand(TestDebugCommands.debugStackTrace, { pasteDoc: doc.uri.toString() });
    });
    return undefined;
  }

  /** The text of a paste editor; the editor is closed without saving. */
  async function takePasteDoc(uri: string): Promise<{ text: string; from: string } | undefined> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (!doc) return undefined;
    const text = doc.getText();
    pasteDocs.delete(uri);
    if (!text.trim()) {
      void vscode.window.showInformationMessage('Rusty: the editor is empty — paste the stack trace into it first.');
      pasteDocs.add(uri);
      return undefined;
    }
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return { text, from: 'the pasted text' };
  }

  async function ask(ws: RustyWorkspace): Promise<{ text: string; from: string } | undefined> {
    const editor = vscode.window.activeTextEditor;
    const items: SourcePick[] = [];
    if (vscode.window.activeTerminal) items.push({ label: '$(terminal) Terminal selection', description: vscode.window.activeTerminal.name, take: fromTerminal });
    const clip = await vscode.env.clipboard.readText();
    if (clip.trim()) items.push({ label: '$(clippy) Clipboard', detail: clip.trim().split(/\r?\n/)[0]!.slice(0, 120), take: async () => ({ text: clip, from: 'the clipboard' }) });
    if (editor && !editor.selection.isEmpty) items.push({ label: '$(selection) Editor selection', description: vscode.workspace.asRelativePath(editor.document.uri), take: async () => ({ text: editor.document.getText(editor.selection), from: 'the editor selection' }) });
    for (const p of ws.proposals()) {
      if (p.testRun?.status === 'failed' && p.testRun.output) items.push({ label: `$(beaker) Failed test run of proposal ${p.id}`, detail: p.title, take: async () => ({ text: p.testRun!.output!, from: `the test run of proposal ${p.id}` }) });
    }
    items.push({ label: '$(edit) Paste into a new editor…', detail: 'A multi-line editor for the trace; then choose Analyze.', take: pasteEditor });
    const picked = await vscode.window.showQuickPick(items, { title: 'Rusty: Debug Stack Trace', placeHolder: 'Where is the stack trace?' });
    return picked?.take();
  }

  async function pickFrame(ws: RustyWorkspace, report: DebugReport): Promise<void> {
    type FramePick = vscode.QuickPickItem & { file?: string; line?: number; column?: number };
    const items: FramePick[] = [];
    let section = '';
    for (const f of orderedFrames(report)) {
      const s = f.origin === 'workspace' ? 'Your code' : 'Dependencies and runtime';
      if (s !== section) items.push({ label: (section = s), kind: vscode.QuickPickItemKind.Separator });
      items.push({
        label: `${f.origin === 'workspace' ? '$(file-code) ' : ''}${(f.fn ?? '(anonymous)').slice(0, 100)}`,
        description: frameWhere(f).slice(0, 200),
        ...(f.excerpt ? { detail: f.excerpt.find((e) => e.line === f.line)?.text.trim().slice(0, 160) } : {}),
        ...(f.file && f.line ? { file: f.file, line: f.line, ...(f.column ? { column: f.column } : {}) } : {}),
      });
    }
    const picked = await vscode.window.showQuickPick(items, { title: `Rusty: ${errorTitle(report).slice(0, 120)}`, placeHolder: 'Go to a frame (your code first)', matchOnDescription: true });
    if (!picked?.file || !picked.line) return;
    const pos = new vscode.Position(picked.line - 1, Math.max(0, (picked.column ?? 1) - 1));
    await vscode.window.showTextDocument(ws.uri(picked.file), { selection: new vscode.Range(pos, pos) });
  }

  async function analyze(ws: RustyWorkspace, text: string, from: string, show: boolean, ai?: boolean): Promise<DebugTraceResult> {
    if (!text.trim()) return refusal(c, LABEL, 'usage', 'The stack trace is empty: paste the whole error with its "at …" lines.');
    c.approvals.setBusy('Reading the stack trace');
    try {
      const { report, queued, testRun, aiFix } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Rusty: reading the stack trace', cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: 'resolving frames and asking TypeScript…' });
          const engines = loadEngines();
          const core = await ws.core();
          const report = await engines.analyzeTrace(engines.createEngineContext(core.wfs, { signal: abort.signal }), text, { roots: [ws.folder.uri.fsPath] });
          if (abort.signal.aborted) throw Object.assign(new Error('Cancelled: nothing was queued and nothing was written.'), { name: 'RustyError', code: 'cancelled' });
          // The failing test read from the trace, run on copies without and with the fix (attached to the proposal).
          const test = engines.failingTestOf(report, text);
          let testRun: TestRunRecord | undefined;
          if (report.fix && test) {
            progress.report({ message: `running ${test.file}${test.name ? ` (${test.name.slice(0, 80)})` : ''} on copies without and with the fix…` });
            testRun = await engines.runTestWithFix(engines.createEngineContext(core.wfs, { signal: abort.signal }), test, report.fix.changeSet, { unsaved: await engines.unsavedOverlay(core.wfs, unsaved(ws)) });
          }
          if (abort.signal.aborted) throw Object.assign(new Error('Cancelled: nothing was queued and nothing was written.'), { name: 'RustyError', code: 'cancelled' });
          const queued = report.fix ? await core.submit(report.fix.changeSet, { signal: abort.signal, ...(testRun ? { testRun } : {}) }) : undefined;
          // No TypeScript fix: the configured model may propose one (src/extension/ai/debugFix.ts); none: the explanation.
          const dirty = !report.fix && test ? await engines.unsavedOverlay(core.wfs, unsaved(ws)) : {};
          const aiFix: DebugFixResult | undefined = report.fix || !context ? undefined : await aiFixForTrace(c, context, {
            label: LABEL, ws, core, report, test, ai, signal: abort.signal, progress,
            ...(test ? { testRunFor: (cs) => engines.runTestWithFix(engines.createEngineContext(core.wfs, { signal: abort.signal }), test, cs, { unsaved: dirty }) } : {}),
          });
          return { report, queued, testRun: testRun ?? aiFix?.testRun, aiFix };
        } finally {
          sub.dispose();
        }
      });
      ws.refresh();
      const fixed = queued ? { id: queued.proposal.id, existing: queued.existing } : aiFix?.proposal;
      const md = reportMarkdown(report, ws.folder.uri.fsPath, {
        from, ...(fixed ? { proposalId: fixed.id, existing: fixed.existing } : {}), ...(testRun ? { testRun } : {}),
        ...(aiFix ? { ai: { model: aiFix.model, ...(aiFix.proposal ? { title: aiFix.proposal.title } : {}), ...(aiFix.error ? { error: aiFix.error } : {}) } } : {}),
      });
      const uri = docs.add(`${report.errorName ?? 'error'}-analysis`, md);
      const where = report.focus ? ` at ${frameWhere(report.focus)}` : '';
      c.log.info(`${LABEL}: ${errorTitle(report).slice(0, 200)} (${report.kind})${where} from ${from}; ${fixed ? `${queued ? 'fix' : `${aiFix!.model}'s fix`} queued as ${fixed.id}` : `no fix: ${report.noFix ?? ''}`}${testRun ? `; ${testRunSummary(testRun)}` : ''}`);
      if (show) {
        if (fixed) await c.reviewPanels.open(fixed.id);
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri).then(undefined, async () => {
          await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false, viewColumn: vscode.ViewColumn.Beside });
        });
        const summary = `Rusty: ${errorTitle(report).slice(0, 160)} — ${KIND_LABEL[report.kind]}${where}. ${fixed ? `${queued ? 'TypeScript\'s' : `${aiFix!.model}'s`} fix is queued for review${testRun ? ` (${testRunSummary(testRun)})` : ''}.` : `No fix proposed: ${report.noFix ?? ''}${aiFix?.error ? ` (${aiFix.model}: ${aiFix.error.slice(0, 160)})` : ''}`}`;
        void vscode.window.showInformationMessage(summary, ...(report.frames.length ? ['Go to Frame…'] : []), ...(fixed ? ['Review Fix'] : [])).then((pick) => {
          if (pick === 'Go to Frame…') void pickFrame(ws, report);
          else if (pick === 'Review Fix' && fixed) void c.reviewPanels.open(fixed.id);
        });
      }
      return {
        ...(report.errorName ? { errorName: report.errorName } : {}),
        ...(report.message ? { message: report.message } : {}),
        kind: report.kind,
        frames: orderedFrames(report).map((f) => ({ location: f.location, origin: f.origin, ...(f.fn ? { fn: f.fn } : {}), ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}) })),
        ...(report.focus ? { focus: { ...(report.focus.file ? { file: report.focus.file } : {}), ...(report.focus.line ? { line: report.focus.line } : {}) } } : {}),
        ...(report.fix && queued ? { fix: { fixName: report.fix.fixName, description: report.fix.description, proposalId: queued.proposal.id, existing: queued.existing } } : {}),
        ...(report.noFix ? { noFix: report.noFix } : {}),
        ...(testRun ? { testRun } : {}),
        ...(aiFix ? { ai: { model: aiFix.model, ...(aiFix.proposal ? { proposalId: aiFix.proposal.id, existing: aiFix.proposal.existing } : {}), ...(aiFix.error ? { error: aiFix.error } : {}) } } : {}),
        reportUri: uri.toString(),
        trace: text,
      };
    } catch (err) {
      const e = toUserError(err);
      if (REFUSALS.has(e.code)) return refusal(c, LABEL, e.code, e.message);
      c.actions.showError(err, { ws, operation: LABEL });
      return { error: { code: e.code, message: e.message } };
    } finally {
      c.approvals.setBusy(undefined);
    }
  }

  const watcher = new ExceptionWatcher(c, (stop) => {
    void vscode.window.showInformationMessage(`Rusty: ${stop.session.name} stopped on ${stop.title.slice(0, 160)}`, 'Propose a Fix').then((pick) => {
      if (pick) void vscode.commands.executeCommand(TestDebugCommands.proposeFixFromDebugger);
    });
  });

  const wsOfSession = (s: vscode.DebugSession): RustyWorkspace => (s.workspaceFolder && c.workspaceFor(s.workspaceFolder.uri)) || c.requireCurrent();

  return vscode.Disposable.from(
    watcher,
    vscode.workspace.registerTextDocumentContentProvider(DEBUG_DOC_SCHEME, docs),
    vscode.debug.registerDebugAdapterTrackerFactory('*', watcher),
    vscode.workspace.onDidCloseTextDocument((d) => pasteDocs.delete(d.uri.toString())),
    vscode.commands.registerCommand(TestDebugCommands.debugStackTrace, async (arg: unknown): Promise<DebugTraceResult | undefined> => {
      try {
        const a = argsOf(arg) as DebugTraceArgs & { pasteDoc?: string };
        const ws = c.requireCurrent();
        let input: { text: string; from: string } | undefined;
        if (typeof a.text === 'string') input = { text: a.text, from: a.from ?? 'the given text' };
        else if (a.proposalId) {
          const p = (await c.resolve(a.proposalId)).proposal;
          if (!p.testRun?.output) return refusal(c, LABEL, 'usage', `Proposal ${p.id} has no test run output to read.`);
          input = { text: p.testRun.output, from: `the test run of proposal ${p.id}` };
        } else if (a.pasteDoc) input = await takePasteDoc(a.pasteDoc);
        else {
          const active = vscode.window.activeTextEditor?.document.uri.toString();
          input = active && pasteDocs.has(active) ? await takePasteDoc(active) : await ask(ws);
        }
        if (!input) return undefined;
        return await analyze(ws, input.text, input.from, a.show !== false, a.ai);
      } catch (err) {
        c.actions.showError(err, { operation: LABEL });
        const e = toUserError(err);
        return { error: { code: e.code, message: e.message } };
      }
    }),
    vscode.commands.registerCommand(TestDebugCommands.proposeFixFromDebugger, async (arg: unknown): Promise<DebugTraceResult | undefined> => {
      try {
        const stop = watcher.current();
        const a = arg && typeof arg === 'object' ? (arg as DebugTraceArgs) : {};
        const show = a.show !== false;
        const none = 'No debug session is stopped on an exception. Turn on "Uncaught Exceptions" in the Breakpoints view and run until it stops, or use "Rusty: Debug Stack Trace…" with the error text.';
        // A caller that shows nothing (a test, another extension) gets the answer without a notification.
        if (!stop) return show ? refusal(c, 'Propose a Fix', 'usage', none) : { error: { code: 'usage', message: none } };
        return await analyze(wsOfSession(stop.session), stop.trace, `the debug session "${stop.session.name}"`, show, a.ai);
      } catch (err) {
        c.actions.showError(err, { operation: 'Propose a Fix' });
        const e = toUserError(err);
        return { error: { code: e.code, message: e.message } };
      }
    }),
  );
}
