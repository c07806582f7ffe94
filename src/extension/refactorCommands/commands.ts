// The "Propose: …" refactoring commands (palette, editor and explorer context menus, suggestion
// lenses, the Findings view). Each acts on the selection or cursor of the active editor, or on
// what its argument names, asks for what is missing (validated input boxes, a quick pick), and
// queues a proposal through the real refactoring — never writing — then opens its review panel.
//
// Every command also takes one plain object so tests, lenses and other extensions can skip the
// prompts (lines and columns 1-based, as the CLI takes them):
//   { uri?: Uri | string, file?: 'src/a.ts', line?, column?, endLine?, endColumn?,
//     newName?, name?, code?, scope?: 'file' | 'workspace', target?, hotSpot?: { line, lines, name },
//     inComments?, inStrings?, extractScope?: 'module' | number }
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RefactorCommands } from '../commands/ids';
import type { Container } from '../container';
import type { AnalysisController } from '../suggestions/analysisController';
import { functionBodySpan, type TextSpan } from '../suggestions/functionBody';
import type { HotSpotRef } from '../suggestions/findings';
import { loadEngines } from '../workspace/loadEngines';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { proposeWithProgress, refusal, type RefactorCommandResult } from './runner';
import { exportedNameOnLine, identifierProblem, moveTargetProblem, normalizeTarget } from './validate';

export interface RefactorCommandArgs {
  uri?: vscode.Uri | string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  newName?: string;
  name?: string;
  code?: number | string;
  scope?: 'file' | 'workspace';
  target?: string;
  hotSpot?: HotSpotRef;
  inComments?: boolean;
  inStrings?: boolean;
  extractScope?: 'module' | number;
}

interface Pos { line: number; column: number }

/** A file a command acts on. */
interface Target { ws: RustyWorkspace; rel: string; uri: vscode.Uri; editor: vscode.TextEditor | undefined }

class InputProblem extends Error {
  constructor(message: string, readonly code = 'usage') {
    super(message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !(v instanceof vscode.Uri);
}

/** The command's argument: a Uri (menus), an args object, or a Findings-view node carrying `commandArgs`. */
function argsOf(arg: unknown): RefactorCommandArgs {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg === 'string') return { uri: arg };
  if (!isRecord(arg)) return {};
  if (isRecord(arg.commandArgs)) return arg.commandArgs as RefactorCommandArgs;
  return arg as RefactorCommandArgs;
}

function toUri(c: Container, a: RefactorCommandArgs): vscode.Uri | undefined {
  if (a.uri instanceof vscode.Uri) return a.uri;
  if (typeof a.uri === 'string') return /^[a-z][\w+.-]+:/i.test(a.uri) && !/^[a-z]:[\\/]/i.test(a.uri) ? vscode.Uri.parse(a.uri) : vscode.Uri.file(a.uri);
  if (typeof a.file === 'string') {
    if (path.isAbsolute(a.file)) return vscode.Uri.file(a.file);
    return c.requireCurrent().uri(a.file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, ''));
  }
  return vscode.window.activeTextEditor?.document.uri;
}

function target(c: Container, a: RefactorCommandArgs, what: string): Target {
  const uri = toUri(c, a);
  if (!uri) throw new InputProblem(`Open a TypeScript or JavaScript file first: ${what} acts on the active editor.`);
  const ws = c.workspaceFor(uri);
  const rel = ws?.rel(uri);
  if (!ws || !rel) throw new InputProblem(`${uri.scheme === 'untitled' ? 'Save the file first: ' : ''}${uri.fsPath || uri.toString()} is not a file in an open workspace folder.`);
  const editor = vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() ? vscode.window.activeTextEditor : undefined;
  return { ws, rel, uri, editor };
}

/** The 1-based position: from the arguments, else the cursor. */
function position(t: Target, a: RefactorCommandArgs, what: string): Pos {
  if (typeof a.line === 'number') return { line: a.line, column: typeof a.column === 'number' ? a.column : 1 };
  if (!t.editor) throw new InputProblem(`Put the cursor on ${what} in the editor of ${t.rel}.`);
  const p = t.editor.selection.active;
  return { line: p.line + 1, column: p.character + 1 };
}

async function documentOf(t: Target): Promise<vscode.TextDocument> {
  return t.editor?.document ?? vscode.workspace.openTextDocument(t.uri);
}

const WORD = /#?[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/u;

function wordAt(doc: vscode.TextDocument, at: Pos): string | undefined {
  const range = doc.getWordRangeAtPosition(new vscode.Position(at.line - 1, at.column - 1), WORD);
  return range ? doc.getText(range) : undefined;
}

async function askName(title: string, prompt: string, value: string, current?: string): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title, prompt, value, valueSelection: [0, value.length], ignoreFocusOut: true,
    validateInput: (v) => identifierProblem(v, current),
  });
  return name?.trim();
}

function diagnosticCode(d: vscode.Diagnostic): number | undefined {
  if (d.source !== 'ts' && d.source !== 'js') return undefined;
  const raw = typeof d.code === 'object' ? d.code.value : d.code;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

type Handler = (arg: unknown) => Promise<RefactorCommandResult | undefined>;

export function registerRefactorCommands(c: Container, analysis: AnalysisController): vscode.Disposable[] {
  const handlers: Record<Exclude<keyof typeof RefactorCommands, 'analyzeWorkspace'>, Handler> = {
    proposeRename: async (arg) => {
      const a = argsOf(arg);
      const t = target(c, a, 'Rename Symbol');
      const at = position(t, a, 'the symbol to rename');
      let newName = a.newName;
      if (newName === undefined) {
        const current = wordAt(await documentOf(t), at);
        if (!current) throw new InputProblem(`Put the cursor on the name of the symbol to rename (line ${at.line}, column ${at.column} of ${t.rel} is not on a name).`);
        newName = await askName(`Rusty: Rename \`${current}\``, 'The new name. Rusty queues a proposal with every reference renamed; nothing is written until you approve.', current, current);
        if (newName === undefined) return undefined;
      }
      return proposeWithProgress(c, t.ws, 'rename', {
        file: t.rel, at, newName,
        ...(a.inComments ? { inComments: true } : {}), ...(a.inStrings ? { inStrings: true } : {}),
      }, `Rename Symbol to ${newName}`);
    },

    proposeExtractFunction: async (arg) => {
      const a = argsOf(arg);
      const t = target(c, a, 'Extract Function');
      let span: TextSpan;
      if (typeof a.line === 'number' && typeof a.endLine === 'number') {
        span = { start: { line: a.line, column: a.column ?? 1 }, end: { line: a.endLine, column: a.endColumn ?? 1 } };
      } else if (a.hotSpot) {
        // What TypeScript accepts inside the function is found first; then the user picks, then names.
        const picked = await pickHotSpotExtraction(c, t, a.hotSpot, a.name !== undefined);
        if (!picked) return undefined;
        if ('problem' in picked) return refusal(c, 'Extract Function', 'refused', picked.problem);
        const name = a.name ?? await askName('Rusty: Extract Function', `Name of the new function (lines ${picked.span.start.line}–${picked.span.end.line} of ${t.rel}, ${picked.where}). Nothing is written until you approve.`, 'extracted');
        if (name === undefined) return undefined;
        return proposeWithProgress(c, t.ws, 'extract-function', { file: t.rel, start: picked.span.start, end: picked.span.end, name, scope: picked.scope }, `Extract Function ${name}`);
      } else {
        const sel = t.editor?.selection;
        if (!sel || sel.isEmpty) throw new InputProblem('Select the statements or the expression to extract, then run "Propose: Extract Function…" again.');
        span = { start: { line: sel.start.line + 1, column: sel.start.character + 1 }, end: { line: sel.end.line + 1, column: sel.end.character + 1 } };
      }
      // A selection from the palette: where the new function goes is picked first, as on a hot spot.
      let scope = a.extractScope;
      if (scope === undefined && a.name === undefined && !a.hotSpot && typeof a.line !== 'number') {
        const picked = await pickSelectionScope(t, span);
        if (!picked) return undefined;
        if ('problem' in picked) return refusal(c, 'Extract Function', 'refused', picked.problem);
        scope = picked.scope;
      }
      const name = a.name ?? await askName('Rusty: Extract Function', `Name of the new function (from ${t.rel}:${span.start.line}:${span.start.column} to ${span.end.line}:${span.end.column}). Nothing is written until you approve.`, 'extracted');
      if (name === undefined) return undefined;
      return proposeWithProgress(c, t.ws, 'extract-function', {
        file: t.rel, start: span.start, end: span.end, name, ...(scope !== undefined ? { scope } : {}),
      }, `Extract Function ${name}`);
    },

    proposeInlineVariable: async (arg) => {
      const a = argsOf(arg);
      const t = target(c, a, 'Inline Variable');
      const at = position(t, a, 'the variable to inline');
      return proposeWithProgress(c, t.ws, 'inline-variable', { file: t.rel, at }, 'Inline Variable');
    },

    proposeMoveFile: async (arg) => {
      const a = argsOf(arg);
      const t = target(c, a, 'Move File');
      let to = a.target;
      if (to === undefined) {
        const base = path.posix.basename(t.rel);
        const start = t.rel.length - base.length;
        const stem = base.includes('.') ? base.slice(0, base.indexOf('.')) : base;
        to = await vscode.window.showInputBox({
          title: `Rusty: Move ${t.rel}`,
          prompt: 'New path, relative to the workspace folder. Every import of the file is updated; nothing is written until you approve.',
          value: t.rel, valueSelection: [start, start + stem.length], ignoreFocusOut: true,
          validateInput: (v) => moveTargetProblem(t.rel, v),
        });
        if (to === undefined) return undefined;
      } else {
        const problem = moveTargetProblem(t.rel, to);
        if (problem) return refusal(c, 'Move File', 'usage', problem);
      }
      const dest = normalizeTarget(to);
      return proposeWithProgress(c, t.ws, 'move', { from: t.rel, to: dest }, `Move ${t.rel} to ${dest}`);
    },

    proposeFixAll: async (arg) => {
      const a = argsOf(arg);
      let code: number | undefined;
      let ws: RustyWorkspace;
      let file: string | undefined;
      if (a.code !== undefined) {
        code = typeof a.code === 'number' ? a.code : Number(String(a.code).replace(/^TS/i, ''));
        if (!Number.isInteger(code) || code <= 0) return refusal(c, 'Fix All', 'usage', `${String(a.code)} is not a diagnostic code (write it as a number, e.g. 6133 for TS6133).`);
        if (a.scope === 'workspace') {
          // Any file or the folder itself names the workspace folder; default: the current one.
          const uri = a.uri || a.file ? toUri(c, a) : undefined;
          ws = (uri && c.workspaceFor(uri)) || c.requireCurrent();
          file = undefined;
        } else {
          const t = target(c, a, 'Fix All');
          ws = t.ws;
          file = t.rel;
        }
      } else {
        const picked = await pickFixAll(c, analysis, a);
        if (!picked) return undefined;
        ({ ws, code, file } = picked);
      }
      return proposeWithProgress(c, ws, 'fix-all', { code, ...(file ? { file } : {}) }, `Fix All TS${code} in ${file ?? ws.name}`);
    },

    proposeRemoveUnusedExport: async (arg) => {
      const a = argsOf(arg);
      const t = target(c, a, 'Remove Unused Export');
      let name = a.name;
      if (name === undefined) {
        const at = position(t, a, 'the export to remove');
        const doc = await documentOf(t);
        const fromAnalysis = analysis.get(t.ws)?.findings.unusedExports.find((u) => u.file === t.rel && u.line === at.line)?.name;
        const word = wordAt(doc, at);
        name = fromAnalysis ?? (word && !KEYWORDS.has(word) ? word : exportedNameOnLine(doc.lineAt(at.line - 1).text));
        if (!name) throw new InputProblem(`Put the cursor on the exported name to remove (line ${at.line} of ${t.rel} exports nothing Rusty recognises).`);
      }
      return proposeWithProgress(c, t.ws, 'remove-unused-export', { file: t.rel, name }, `Remove Unused Export ${name}`);
    },
  };

  return (Object.keys(handlers) as (keyof typeof handlers)[]).map((key) => vscode.commands.registerCommand(RefactorCommands[key], async (arg: unknown) => {
    try {
      return await handlers[key](arg);
    } catch (err) {
      if (err instanceof InputProblem) return refusal(c, TITLES[key], err.code, err.message);
      c.actions.showError(err, { operation: RefactorCommands[key] });
      return undefined;
    }
  }));
}

const TITLES: Record<Exclude<keyof typeof RefactorCommands, 'analyzeWorkspace'>, string> = {
  proposeRename: 'Rename Symbol',
  proposeExtractFunction: 'Extract Function',
  proposeInlineVariable: 'Inline Variable',
  proposeMoveFile: 'Move File',
  proposeFixAll: 'Fix All',
  proposeRemoveUnusedExport: 'Remove Unused Export',
};

const KEYWORDS = new Set(['export', 'default', 'declare', 'abstract', 'async', 'function', 'class', 'const', 'let', 'var', 'interface', 'type', 'enum', 'namespace', 'module']);

interface ExtractPick extends vscode.QuickPickItem { span: TextSpan; scope: number; where: string }

/**
 * What a hot-spot lens extracts, chosen before any name is asked for: the runs of statements
 * inside the function (inside the selection, when the editor has one there) that TypeScript
 * accepts, largest first, each with the scopes it accepts — in a quick pick unless there is one
 * choice (or `firstChoice`: a caller that passed the name takes the largest, outermost).
 */
async function pickHotSpotExtraction(c: Container, t: Target, hot: HotSpotRef, firstChoice: boolean): Promise<{ span: TextSpan; scope: number; where: string } | { problem: string } | undefined> {
  const doc = await documentOf(t);
  const { ts } = await loadEngines().loadTsMorph();
  const found = functionBodySpan(ts, t.rel, doc.getText(), hot);
  if ('problem' in found) return found;
  const sel = t.editor?.selection;
  const within = sel && !sel.isEmpty && sel.start.line + 1 >= found.functionLines.first && sel.end.line + 1 <= found.functionLines.last
    ? { start: { line: sel.start.line + 1, column: sel.start.character + 1 }, end: { line: sel.end.line + 1, column: sel.end.character + 1 } }
    : undefined;
  const looked = await cancellableLookup(`Rusty: what can be extracted from ${hot.name}`, async (signal) => loadEngines().extractFunctionChoices(await t.ws.core(), { file: t.rel, line: found.functionLines.first, lines: found.functionLines.last - found.functionLines.first + 1, ...(within ? { within } : {}) }, { signal }));
  if (!looked || 'problem' in looked) return looked;
  const result = looked.value;
  if (!result.candidates.length) {
    return { problem: `TypeScript cannot extract any run of whole statements ${within ? 'in the selection' : 'inside'} ${hot.name}${result.reason ? ` (${result.reason.replace(/\.$/, '')})` : ''}. Select one complete expression or whole statements and run "Propose: Extract Function…".` };
  }
  const items: ExtractPick[] = [];
  for (const cand of result.candidates) {
    // The outermost scope first: a function beside the others is what "extract" usually means.
    for (const scope of [...cand.scopes].reverse()) {
      const where = scope.description.replace(/^Extract to /, '');
      items.push({
        label: `Lines ${cand.start.line}–${cand.end.line}`,
        description: `${cand.statements} statement${cand.statements === 1 ? '' : 's'} · ${cand.lines} lines → ${where}`,
        detail: cand.preview,
        span: { start: cand.start, end: cand.end }, scope: scope.index, where,
      });
    }
  }
  if (firstChoice || items.length === 1) return items[0]!;
  c.log.info(`Extract Function in ${hot.name}: ${result.candidates.length} ranges TypeScript accepts.`);
  const picked = await vscode.window.showQuickPick(items, {
    title: `Rusty: Extract Function from ${hot.name}`,
    placeHolder: 'What to extract, and where the new function goes (largest first; ranges TypeScript accepts)',
    matchOnDescription: true, matchOnDetail: true,
  });
  return picked ? { span: picked.span, scope: picked.scope, where: picked.where } : undefined;
}

/** Runs a lookup under a cancellable notification: undefined when cancelled, a failure as its message. */
async function cancellableLookup<T>(title: string, run: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | { problem: string } | undefined> {
  try {
    return { value: await Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await run(abort.signal);
      } finally {
        sub.dispose();
      }
    })) };
  } catch (err) {
    const e = err as { code?: string; message?: string } | undefined;
    if (e?.code === 'cancelled') return undefined;
    return { problem: e?.message ?? String(err) };
  }
}

/**
 * Where the new function goes, for a selected range: the scopes TypeScript accepts it into, outermost
 * first, in a quick pick unless there is one.
 */
async function pickSelectionScope(t: Target, span: TextSpan): Promise<{ scope: number } | { problem: string } | undefined> {
  const looked = await cancellableLookup('Rusty: where the selection can be extracted to', async (signal) => loadEngines().extractFunctionScopes(await t.ws.core(), { file: t.rel, start: span.start, end: span.end }, { signal }));
  if (!looked || 'problem' in looked) return looked;
  const result = looked.value;
  if (!result.offered.length) {
    return { problem: `TypeScript cannot extract a function from ${t.rel}:${span.start.line}:${span.start.column}–${span.end.line}:${span.end.column}${result.reason ? `: ${result.reason.replace(/\.$/, '')}` : ''}. Select whole statements, or one complete expression, inside a function or at module level.` };
  }
  const items = [...result.offered].reverse().map((o) => ({ label: o.description.replace(/^Extract to /, ''), description: `scope ${o.index}`, scope: o.index }));
  if (items.length === 1) return { scope: items[0]!.scope };
  const picked = await vscode.window.showQuickPick(items, {
    title: `Rusty: Extract Function from ${t.rel}:${span.start.line}–${span.end.line}`,
    placeHolder: 'Where the new function goes (outermost first; scopes TypeScript accepts)',
  });
  return picked ? { scope: picked.scope } : undefined;
}

interface FixPick extends vscode.QuickPickItem { ws?: RustyWorkspace; code?: number; file?: string }

/** "Fix All" without a code: a quick pick of the fixable codes in the active file and in the last analysis of the workspace. */
async function pickFixAll(c: Container, analysis: AnalysisController, a: RefactorCommandArgs): Promise<{ ws: RustyWorkspace; code: number; file: string | undefined } | undefined> {
  const uri = toUri(c, a);
  const ws = (uri && c.workspaceFor(uri)) || c.requireCurrent();
  const rel = uri ? ws.rel(uri) : undefined;
  const fixable = await analysis.fixableCodeSet();
  const items: FixPick[] = [];

  if (uri && rel) {
    // The file: what the TypeScript extension reports for it now, and what the analysis found.
    const here = new Map<number, string[]>();
    for (const d of vscode.languages.getDiagnostics(uri)) {
      const code = diagnosticCode(d);
      // What the analysis decided for the code, else whether TypeScript has any fix for it.
      const decided = analysis.get(ws)?.codeFixes[`TS${code}`];
      if (code && (decided ? decided !== 'none' : fixable.has(code))) here.set(code, [...(here.get(code) ?? []), d.message]);
    }
    for (const g of analysis.get(ws)?.findings.diagnostics ?? []) {
      if (!g.fixable || here.has(g.code)) continue;
      const inFile = g.entries.filter((d) => d.file === rel);
      if (inFile.length) here.set(g.code, inFile.map((d) => d.message));
    }
    if (here.size) items.push({ label: rel, kind: vscode.QuickPickItemKind.Separator });
    for (const [code, messages] of [...here].sort((x, y) => y[1].length - x[1].length)) {
      items.push({ label: `TS${code}`, description: `${messages.length} in this file`, detail: messages[0]?.split('\n')[0], ws, code, file: rel });
    }
  }
  const state = analysis.get(ws);
  const groups = state?.findings.diagnostics.filter((g) => g.fixable) ?? [];
  if (groups.length) items.push({ label: `${ws.name} (last analysis)`, kind: vscode.QuickPickItemKind.Separator });
  for (const g of groups) {
    items.push({ label: `TS${g.code}`, description: `${g.entries.length} in the workspace`, detail: g.entries[0]?.message.split('\n')[0], ws, code: g.code });
  }
  if (!items.some((i) => i.code !== undefined)) {
    const where = rel ? `${rel}` : ws.name;
    void vscode.window.showInformationMessage(`Rusty: no diagnostics TypeScript can fix in ${where}${state ? '' : ' — run "Rusty: Analyze Workspace" to look through the whole workspace'}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Rusty: Fix All',
    placeHolder: 'Which diagnostic code? TypeScript\'s fix-all for it is queued as a proposal; nothing is written until you approve.',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.ws || picked.code === undefined) return undefined;
  return { ws: picked.ws, code: picked.code, file: picked.file };
}
