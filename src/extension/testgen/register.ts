// "Rusty: Generate Tests" (palette, editor context menu) and the "Generate tests" CodeLens on
// exported functions and classes. The skeleton comes from the engines bundle (loaded on the first
// run) over the workspace as the editor sees it (unsaved text wins); with an AI model configured
// the model may fill its expectations (a quick pick, or `rusty.testGen.fillExpectations`; dist/ai.js,
// routed as "Rusty: Ask…"). The test is run with the project's runner on an overlay copy with the
// unsaved editors' text laid over, and queued as a proposal with the run attached, opened in the
// review panel. Nothing is written to the workspace.
//
// The command also takes one plain object (tests, the lens): { uri?: Uri | string, symbol?, run?, ai?, token? }.
import * as vscode from 'vscode';
import type { RustyCore } from '../../core/rustyCore';
import type { AiFillResult, FilledCase } from '../../core/testgen/aiFill';
import type { GeneratedTests } from '../../core/testgen/generate';
import type { TestRunRecord } from '../../core/testgen/run';
import { aiSettings } from '../ai/commands';
import { loadAi, type AiEngine } from '../ai/loadAi';
import type { TestFill } from '../ai/testFillFlow';
import { toUserError } from '../actions/errors';
import { TestDebugCommands, type ProposeCommandResult } from '../commands/ids';
import type { Container } from '../container';
import { refusal } from '../refactorCommands/runner';
import { loadEngines } from '../workspace/loadEngines';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { isTestGenSource, symbolAt, testLensTargets } from './lensTargets';

export interface GenerateTestsArgs {
  uri?: vscode.Uri | string;
  /** An export name ('default' for the default export); absent: every export of the file. */
  symbol?: string;
  /** false: queue without running the tests first. */
  run?: boolean;
  /** true: the model fills the expectations (no question); false: the skeleton only. Absent: setting `rusty.testGen.fillExpectations`. */
  ai?: boolean;
  /** In-process callers (tests) can cancel like the notification's Cancel button. */
  token?: vscode.CancellationToken;
}

export interface GenerateTestsResult extends ProposeCommandResult {
  testPath?: string;
  testRun?: TestRunRecord;
  /** The model that filled the expectations, and each todo case after it. */
  ai?: { model: string; outcome: AiFillResult['outcome'] };
  cases?: FilledCase[];
  error?: { code: string; message: string };
}

/** `rusty.codeLens.generateTests`, under the master switch `rusty.codeLens.enabled`. */
export const LENS_SETTING = 'codeLens.generateTests';

const REFUSALS = new Set(['refused', 'usage', 'not-found']);
const LABEL = 'Generate Tests';

function argsOf(arg: unknown): GenerateTestsArgs {
  if (arg instanceof vscode.Uri || typeof arg === 'string') return { uri: arg };
  return arg && typeof arg === 'object' ? (arg as GenerateTestsArgs) : {};
}

function uriOf(a: GenerateTestsArgs): vscode.Uri | undefined {
  if (a.uri instanceof vscode.Uri) return a.uri;
  if (typeof a.uri === 'string') return /^[a-z][\w+.-]+:/i.test(a.uri) && !/^[a-z]:[\\/]/i.test(a.uri) ? vscode.Uri.parse(a.uri) : vscode.Uri.file(a.uri);
  return vscode.window.activeTextEditor?.document.uri;
}

/** The export under the selection or cursor of the file's active editor (undefined: the whole file). */
function symbolFromEditor(uri: vscode.Uri): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.toString() !== uri.toString()) return undefined;
  const doc = editor.document;
  const sel = editor.selection;
  const range = sel.isEmpty ? doc.getWordRangeAtPosition(sel.active, /[A-Za-z_$][\w$]*/) : sel;
  const word = range ? doc.getText(range).trim() : undefined;
  return symbolAt(testLensTargets(doc.getText()), word, sel.active.line);
}

/** Unsaved editors of this folder: their text is laid over the run's copy. */
function unsaved(ws: RustyWorkspace): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => ws.rel(d.uri)).filter((r): r is string => !!r);
}

/** `rusty.testGen.fillExpectations`: ask (when a model is configured), model, skeleton. */
export const FILL_SETTING = 'testGen.fillExpectations';
type FillMode = 'ask' | 'model' | 'skeleton';

function fillMode(a: GenerateTestsArgs, uri: vscode.Uri): FillMode {
  if (a.ai === true) return 'model';
  if (a.ai === false) return 'skeleton';
  const v = vscode.workspace.getConfiguration('rusty', uri).get<string>(FILL_SETTING);
  return v === 'model' || v === 'skeleton' ? v : 'ask';
}

const cancelledError = () => Object.assign(new Error('Cancelled: nothing was queued and nothing was written.'), { name: 'RustyError', code: 'cancelled' });

/** The model that fills the expectations (VS Code's language models first, as "Rusty: Ask…"), or undefined: the skeleton. */
async function planFill(c: Container, context: vscode.ExtensionContext, ws: RustyWorkspace, core: RustyCore, source: string, explicit: boolean, signal: AbortSignal): Promise<TestFill | undefined> {
  let planned: Awaited<ReturnType<AiEngine['planTestFill']>>;
  try {
    const ai = loadAi();
    planned = await ai.planTestFill({ core, secrets: c.secrets, settings: aiSettings(context, ws.folder.uri), extra: [ai.vscodeLmEntry()], source, signal, onWarning: (m) => c.log.warn(`AI: ${m}`) });
  } catch (err) {
    if (signal.aborted) throw cancelledError();
    c.log.warn(`${LABEL}: no model for the expectations (${(err as Error).message}); the skeleton is generated.`);
    if (explicit) void vscode.window.showWarningMessage(`Rusty — ${LABEL}: the model is not available (${(err as Error).message.slice(0, 200)}); the skeleton with todos is queued instead.`);
    return undefined;
  }
  if ('model' in planned) return planned;
  if ('unavailable' in planned) {
    c.log.info(`${LABEL}: ${planned.unavailable} The skeleton is generated.`);
    if (explicit) void vscode.window.showWarningMessage(`Rusty — ${LABEL}: ${planned.unavailable.slice(0, 300)} The skeleton with todos is queued instead.`);
  } else if (explicit) {
    void vscode.window.showWarningMessage(`Rusty — ${LABEL}: no AI model is configured; the skeleton with todos is queued. Set an API key ("Rusty: Set API Key…") or enable a VS Code language model to fill the expectations.`);
  }
  return undefined;
}

/** Skeleton only, or the model fills the expectations; Escape cancels the command. */
async function pickFill(gen: { todos: number; checks: number; testPath: string }, fill: TestFill): Promise<'skeleton' | 'model' | undefined> {
  const items: (vscode.QuickPickItem & { pick: 'skeleton' | 'model' })[] = [
    { label: `$(sparkle) Fill expectations with ${fill.model}`, description: `${gen.todos} todo case${gen.todos === 1 ? '' : 's'}`, detail: 'The model may only edit the test file; each filled case is run on a copy and reported passed or failed.', pick: 'model' },
    { label: '$(symbol-method) Skeleton only', description: `${gen.checks} checks, ${gen.todos} todos for you`, detail: 'Deterministic, from the code; nothing is sent to a model.', pick: 'skeleton' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Rusty: ${LABEL} — ${gen.testPath}`, placeHolder: `How to write the expectations (setting rusty.${FILL_SETTING} skips this question)`, ignoreFocusOut: true,
  });
  return picked?.pick;
}

interface Generated { proposal: { id: string }; existing: boolean; gen: GeneratedTests; testRun: TestRunRecord | undefined; fill?: { model: string; result: AiFillResult } }

async function generate(c: Container, context: vscode.ExtensionContext, a: GenerateTestsArgs): Promise<GenerateTestsResult> {
  const uri = uriOf(a);
  if (!uri) return refusal(c, LABEL, 'usage', 'Open a TypeScript or JavaScript file first, or run the command from its context menu.');
  const ws = c.workspaceFor(uri);
  const rel = ws?.rel(uri);
  if (!ws || !rel) return refusal(c, LABEL, 'usage', `${uri.scheme === 'untitled' ? 'Save the file first: ' : ''}${uri.fsPath || uri.toString()} is not a file in an open workspace folder.`);
  if (!isTestGenSource(rel)) return refusal(c, LABEL, 'usage', `${rel} is not a TypeScript or JavaScript source file (test files and declarations are left alone).`);
  const symbol = a.symbol ?? symbolFromEditor(uri);
  const what = `${rel}${symbol ? `:${symbol}` : ''}`;
  const mode = fillMode(a, uri);
  c.approvals.setBusy(`${LABEL} for ${what}`);
  const abort = new AbortController();
  const external = a.token?.onCancellationRequested(() => abort.abort());
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rusty: ${LABEL} for ${what}`, cancellable: true }, async (progress, token): Promise<Generated | undefined> => {
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: 'reading the project\'s test conventions…' });
        const engines = loadEngines();
        const core = await ws.core();
        const gen = await engines.generateTests(engines.createEngineContext(core.wfs, { signal: abort.signal }), { file: rel, ...(symbol ? { symbol } : {}) });
        let fill: TestFill | undefined;
        if (mode !== 'skeleton' && gen.todos > 0) {
          progress.report({ message: 'looking for a configured AI model…' });
          fill = await planFill(c, context, ws, core, rel, mode === 'model', abort.signal);
          if (fill && mode === 'ask') {
            progress.report({ message: 'skeleton or model? (choose in the list)' });
            const pick = await pickFill(gen, fill);
            if (!pick) return undefined;
            if (pick === 'skeleton') fill = undefined;
          }
        }
        if (abort.signal.aborted) throw cancelledError();
        // Unsaved editors of the folder are laid over the run's copy, so the run tests what the editors show.
        const dirty = a.run === false ? {} : await engines.unsavedOverlay(core.wfs, unsaved(ws));
        const unsavedOpt = Object.keys(dirty).length ? { unsaved: dirty } : {};
        if (fill) {
          progress.report({ message: `asking ${fill.model} to fill ${gen.todos} expectations…` });
          const { fillProgressLine } = loadAi();
          let streamed = 0;
          let last = 0;
          const result = await fill.run({
            gen, signal: abort.signal, ...(a.run === false ? { run: false } : {}), ...unsavedOpt,
            onEvent: (e) => {
              if (e.type === 'text') {
                streamed += e.text.length;
                if (Date.now() - last < 250) return;
                last = Date.now();
              }
              progress.report({ message: fillProgressLine(e, streamed) });
            },
            onSessionEvent: (e) => progress.report({ message: e.message.slice(0, 120) }),
          });
          if (abort.signal.aborted) throw cancelledError();
          if (result.queued) return { proposal: { id: result.queued.id }, existing: result.queued.existing, gen, testRun: result.testRun, fill: { model: fill.model, result } };
          c.log.warn(`${LABEL}: ${fill.model} filled nothing (${result.reason ?? result.outcome}); the skeleton is queued.`);
          void vscode.window.showWarningMessage(`Rusty — ${LABEL}: ${fill.model} filled no expectation (${(result.reason ?? result.outcome).slice(0, 200)}); the skeleton with its todos is queued instead.`);
        }
        let testRun: TestRunRecord | undefined;
        if (a.run !== false) {
          progress.report({ message: `running ${gen.testPath} with ${gen.conventions.framework} on a copy of the workspace${unsavedOpt.unsaved ? ' (with your unsaved changes)' : ''}…` });
          testRun = await engines.runGeneratedTest(core.wfs.root, gen.conventions.framework, gen.testPath, gen.content, { signal: abort.signal, ...unsavedOpt });
        }
        if (abort.signal.aborted) throw cancelledError();
        const queued = await core.submit(gen.changeSet, { signal: abort.signal, ...(testRun ? { testRun } : {}) });
        return { ...queued, gen, testRun };
      } catch (err) {
        if (abort.signal.aborted) throw cancelledError();
        throw err;
      } finally {
        sub.dispose();
      }
    });
    if (!r) return { created: [], existing: [], error: { code: 'cancelled', message: 'Nothing was generated.' } };
    ws.refresh();
    const { proposal, existing, gen, testRun, fill } = r;
    const cases = fill?.result.cases;
    c.log.info(`${LABEL}: ${existing ? 'already queued as' : 'queued'} ${proposal.id} (${gen.testPath}, ${gen.conventions.framework}: ${gen.checks} checks, ${gen.todos} todos${fill ? `; ${fill.model} filled ${cases!.filter((x) => x.status !== 'todo').length}` : ''}; run: ${testRun ? `${testRun.status} ${testRun.passed}/${testRun.failed}/${testRun.todo}${testRun.unsaved ? ' on unsaved text' : ''}` : 'skipped'}).`);
    await c.reviewPanels.open(proposal.id);
    void vscode.window.showInformationMessage(`Rusty: ${gen.testPath} — ${fill ? fillSummary(fill.model, cases!) : `${gen.checks} checks and ${gen.todos} todos for you to fill (${gen.conventions.framework})`}; ${runSummary(testRun)}. Review it before it is written.`);
    return {
      created: existing ? [] : [proposal.id], existing: existing ? [proposal.id] : [], testPath: gen.testPath, ...(testRun ? { testRun } : {}),
      ...(fill ? { ai: { model: fill.model, outcome: fill.result.outcome }, cases: cases! } : {}),
    };
  } catch (err) {
    const e = toUserError(err);
    if (REFUSALS.has(e.code)) return refusal(c, LABEL, e.code, e.message);
    if (e.code === 'cancelled') {
      c.log.info(`${LABEL}: ${e.message}`);
      return { created: [], existing: [], error: { code: e.code, message: e.message } };
    }
    c.actions.showError(err, { ws, operation: LABEL });
    return { created: [], existing: [], error: { code: e.code, message: e.message } };
  } finally {
    external?.dispose();
    c.approvals.setBusy(undefined);
  }
}

export function fillSummary(model: string, cases: readonly FilledCase[]): string {
  const n = (s: FilledCase['status']) => cases.filter((x) => x.status === s).length;
  const filled = cases.length - n('todo');
  return `${model} filled ${filled} of ${cases.length} expectations (${n('passed')} passed, ${n('failed')} failed${n('not-run') ? `, ${n('not-run')} not run` : ''}), ${n('todo')} left todo`;
}

export function runSummary(run: TestRunRecord | undefined): string {
  if (!run) return 'not run';
  if (run.status === 'not-run') return 'the run could not start (see the review panel)';
  return `run on a copy${run.unsaved ? ' with your unsaved changes' : ''}: ${run.status}, ${run.passed} passed, ${run.failed} failed, ${run.todo} todo`;
}

class TestGenLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`rusty.${LENS_SETTING}`) || e.affectsConfiguration('rusty.codeLens.enabled')) this.changed.fire();
  });

  constructor(private readonly c: Container) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const ws = this.c.workspaceFor(doc.uri);
    const rel = ws?.rel(doc.uri);
    if (!ws || !rel || !isTestGenSource(rel)) return [];
    const cfg = vscode.workspace.getConfiguration('rusty', doc.uri);
    if (cfg.get('codeLens.enabled') === false || cfg.get(LENS_SETTING) === false) return [];
    return testLensTargets(doc.getText()).map((t) => new vscode.CodeLens(new vscode.Range(t.line, 0, t.line, 0), {
      title: 'Generate tests',
      tooltip: `Rusty: a test skeleton for ${t.name} in the project's framework, run on a copy, queued for review`,
      command: TestDebugCommands.generateTests,
      arguments: [{ uri: doc.uri.toString(), symbol: t.symbol } satisfies GenerateTestsArgs],
    }));
  }

  dispose(): void {
    this.changed.dispose();
    this.sub.dispose();
  }
}

const SOURCES: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' };

export function registerTestGen(c: Container, context: vscode.ExtensionContext): vscode.Disposable {
  const lenses = new TestGenLensProvider(c);
  return vscode.Disposable.from(
    lenses,
    vscode.languages.registerCodeLensProvider(SOURCES, lenses),
    vscode.commands.registerCommand(TestDebugCommands.generateTests, async (arg: unknown): Promise<GenerateTestsResult> => {
      try {
        return await generate(c, context, argsOf(arg));
      } catch (err) {
        c.actions.showError(err, { operation: LABEL });
        const e = toUserError(err);
        return { created: [], existing: [], error: { code: e.code, message: e.message } };
      }
    }),
  );
}
