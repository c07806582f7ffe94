// "Rusty: Generate Tests" (palette, editor context menu) and the "Generate tests" CodeLens on
// exported functions and classes. The skeleton comes from the engines bundle (loaded on the first
// run) over the workspace as the editor sees it (unsaved text wins); it is run with the project's
// runner on an overlay copy, and queued as a proposal with the run attached, opened in the review
// panel. Nothing is written to the workspace.
//
// The command also takes one plain object (tests, the lens): { uri?: Uri | string, symbol?, run? }.
import * as vscode from 'vscode';
import type { TestRunRecord } from '../../core/testgen/run';
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
}

export interface GenerateTestsResult extends ProposeCommandResult {
  testPath?: string;
  testRun?: TestRunRecord;
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

/** Unsaved editors of this folder: the overlay run reads the saved files, so it would not test what is shown. */
function unsaved(ws: RustyWorkspace): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => ws.rel(d.uri)).filter((r): r is string => !!r);
}

async function generate(c: Container, a: GenerateTestsArgs): Promise<GenerateTestsResult> {
  const uri = uriOf(a);
  if (!uri) return refusal(c, LABEL, 'usage', 'Open a TypeScript or JavaScript file first, or run the command from its context menu.');
  const ws = c.workspaceFor(uri);
  const rel = ws?.rel(uri);
  if (!ws || !rel) return refusal(c, LABEL, 'usage', `${uri.scheme === 'untitled' ? 'Save the file first: ' : ''}${uri.fsPath || uri.toString()} is not a file in an open workspace folder.`);
  if (!isTestGenSource(rel)) return refusal(c, LABEL, 'usage', `${rel} is not a TypeScript or JavaScript source file (test files and declarations are left alone).`);
  const symbol = a.symbol ?? symbolFromEditor(uri);
  const what = `${rel}${symbol ? `:${symbol}` : ''}`;
  c.approvals.setBusy(`${LABEL} for ${what}`);
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rusty: ${LABEL} for ${what}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: 'reading the project\'s test conventions…' });
        const engines = loadEngines();
        const core = await ws.core();
        const gen = await engines.generateTests(engines.createEngineContext(core.wfs, { signal: abort.signal }), { file: rel, ...(symbol ? { symbol } : {}) });
        let testRun: TestRunRecord | undefined;
        if (a.run !== false) {
          const dirty = unsaved(ws);
          if (dirty.length) {
            testRun = {
              framework: gen.conventions.framework, status: 'not-run', passed: 0, failed: 0, todo: 0, skipped: 0, ms: 0, at: new Date().toISOString(),
              reason: `unsaved changes in ${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ` and ${dirty.length - 3} more` : ''}: the run uses the saved files, so it would not test what the editor shows. Save, then generate again to run it.`,
            };
          } else {
            progress.report({ message: `running ${gen.testPath} with ${gen.conventions.framework} on a copy of the workspace…` });
            testRun = await engines.runGeneratedTest(core.wfs.root, gen.conventions.framework, gen.testPath, gen.content, { signal: abort.signal });
          }
        }
        if (abort.signal.aborted) throw Object.assign(new Error('Cancelled: nothing was queued and nothing was written.'), { name: 'RustyError', code: 'cancelled' });
        const queued = await core.submit(gen.changeSet, { signal: abort.signal, ...(testRun ? { testRun } : {}) });
        return { ...queued, gen, testRun };
      } finally {
        sub.dispose();
      }
    });
    ws.refresh();
    const { proposal, existing, gen, testRun } = r;
    c.log.info(`${LABEL}: ${existing ? 'already queued as' : 'queued'} ${proposal.id} (${gen.testPath}, ${gen.conventions.framework}: ${gen.checks} checks, ${gen.todos} todos; run: ${testRun ? `${testRun.status} ${testRun.passed}/${testRun.failed}/${testRun.todo}` : 'skipped'}).`);
    await c.reviewPanels.open(proposal.id);
    void vscode.window.showInformationMessage(`Rusty: ${gen.testPath} — ${gen.checks} checks and ${gen.todos} todos for you to fill (${gen.conventions.framework}); ${runSummary(testRun)}. Review it before it is written.`);
    return { created: existing ? [] : [proposal.id], existing: existing ? [proposal.id] : [], testPath: gen.testPath, ...(testRun ? { testRun } : {}) };
  } catch (err) {
    const e = toUserError(err);
    if (REFUSALS.has(e.code)) return refusal(c, LABEL, e.code, e.message);
    c.actions.showError(err, { ws, operation: LABEL });
    return { created: [], existing: [], error: { code: e.code, message: e.message } };
  } finally {
    c.approvals.setBusy(undefined);
  }
}

export function runSummary(run: TestRunRecord | undefined): string {
  if (!run) return 'not run';
  if (run.status === 'not-run') return 'the run could not start (see the review panel)';
  return `run on a copy: ${run.status}, ${run.passed} passed, ${run.failed} failed, ${run.todo} todo`;
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

export function registerTestGen(c: Container): vscode.Disposable {
  const lenses = new TestGenLensProvider(c);
  return vscode.Disposable.from(
    lenses,
    vscode.languages.registerCodeLensProvider(SOURCES, lenses),
    vscode.commands.registerCommand(TestDebugCommands.generateTests, async (arg: unknown): Promise<GenerateTestsResult> => {
      try {
        return await generate(c, argsOf(arg));
      } catch (err) {
        c.actions.showError(err, { operation: LABEL });
        const e = toUserError(err);
        return { created: [], existing: [], error: { code: e.code, message: e.message } };
      }
    }),
  );
}
