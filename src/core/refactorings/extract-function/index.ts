// Extract function: TypeScript's "Extract Symbol" refactoring (its function_scope_N actions: the
// same data-flow analysis that decides parameters and return values in VS Code), into the scope
// asked for, then the new function is renamed from TypeScript's `newFunction` to the requested
// name with the rename machinery (same identifier and collision rules). The result must not add
// a compiler diagnostic to the edited file.
import type { ts } from 'ts-morph';
import type { ChangeSet } from '../../proposals/changeSet';
import { RustyError } from '../../util/errors';
import { type ExtractFunctionParams, type Refactor, signalOf } from '../api';
import { nameProblem, planRename } from '../rename';
import {
  changedWindow, describeDiagnostic, formatSettingsFor, introducedDiagnostics, offsetAt, programFile, ScratchEdits,
  snippet, throwIfCancelled, windowDiagnostics, workspaceRel,
} from '../rename/support';

export const EXTRACT_FUNCTION_SOURCE = 'refactoring:extract-function';
const REFACTOR = 'Extract Symbol';
const PREFERENCES: ts.UserPreferences = { provideRefactorNotApplicableReason: true, quotePreference: 'auto' };

function refuse(message: string): never {
  throw new RustyError('refused', message);
}

export interface ExtractScopeOption {
  /** What `scope` to pass: the index TypeScript gives the scope (0 = innermost). */
  index: number;
  /** TypeScript's description, e.g. "Extract to function in module scope". */
  description: string;
}

export const proposeExtractFunction: Refactor<ExtractFunctionParams> = async (ctx, params) => {
  const wp = ctx.project;
  const t = wp.ts;
  throwIfCancelled(signalOf(ctx), 'Extract function');
  const rel = workspaceRel(wp, params.file);
  const { sf, program, ls } = programFile(wp, rel);
  const pos = offsetAt(sf, rel, params.start, 'start');
  const end = offsetAt(sf, rel, params.end, 'end');
  const range = `${rel}:${params.start.line}:${params.start.column}–${params.end.line}:${params.end.column}`;
  if (end <= pos) throw new RustyError('usage', `The range ${range} is empty: the end must come after the start.`);
  // Not an identifier at all: say so before asking TypeScript anything.
  const early = nameProblem(t, params.name, 'member', sf);
  if (early) refuse(`Cannot name the extracted function \`${params.name}\`: ${early}`);

  const { chosen, offered } = chooseAction(ls, sf, { pos, end }, range, params.scope ?? 'module');
  const isMethod = /\bmethod\b/.test(chosen.description);
  const problem = nameProblem(t, params.name, isMethod ? 'member' : 'binding', sf);
  if (problem) refuse(`Cannot name the extracted ${isMethod ? 'method' : 'function'} \`${params.name}\`: ${problem}`);
  throwIfCancelled(signalOf(ctx), 'Extract function');

  const info = ls.getEditsForRefactor(sf.fileName, formatSettingsFor(t, sf.text), { pos, end }, REFACTOR, `function_scope_${chosen.index}`, PREFERENCES);
  if (!info || info.notApplicableReason || info.edits.length === 0) refuse(`TypeScript could not extract ${range}${info?.notApplicableReason ? `: ${info.notApplicableReason.replace(/\.$/, '')}` : ''}.`);
  if (info.renameLocation === undefined) refuse(`TypeScript extracted ${range} but did not say where the new function is; refusing.`);

  const scratch = new ScratchEdits(wp);
  try {
    scratch.apply(withoutDuplicatedComments(t, sf, info.edits), 'Extracting the function');
    const renameFile = info.renameFilename ? wp.rel(info.renameFilename) : rel;
    const generated = /^#?[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/u.exec(scratch.text(renameFile).slice(info.renameLocation))?.[0];
    if (!generated) refuse('TypeScript extracted the function but its name could not be found; refusing.');
    throwIfCancelled(signalOf(ctx), 'Extract function');
    if (generated !== params.name) {
      const plan = planRename(wp, { file: renameFile, offset: info.renameLocation, newName: params.name }, signalOf(ctx));
      for (const [file, text] of plan.texts) scratch.set(file, text);
    }
    throwIfCancelled(signalOf(ctx), 'Extract function');

    // The edited files must not gain a diagnostic: compare each one's changed top-level
    // statements before (old program) and after (new program).
    const after = programFile(wp, rel).program;
    const introduced: ts.Diagnostic[] = [];
    for (const file of scratch.touched()) {
      const oldSf = program.getSourceFile(wp.abs(file));
      const newSf = after.getSourceFile(wp.abs(file));
      if (!oldSf || !newSf) continue;
      const window = changedWindow(oldSf.text, newSf.text);
      introduced.push(...introducedDiagnostics(windowDiagnostics(t, program, oldSf, window.before), windowDiagnostics(t, after, newSf, window.after)));
    }
    if (introduced.length > 0) {
      refuse(`Extracting ${range} would introduce ${introduced.length === 1 ? 'a compiler error' : `${introduced.length} compiler errors`}: ${introduced.slice(0, 3).map((d) => describeDiagnostic(t, wp, d)).join('; ')}.`);
    }
    const signature = signatureOf(t, after.getSourceFile(wp.abs(renameFile)), params.name);
    const edits = scratch.edits();
    const lines = params.start.line === params.end.line ? `line ${params.start.line}` : `lines ${params.start.line}–${params.end.line}`;
    const where = chosen.description.replace(/^Extract to /, '');
    const changeSet: ChangeSet = {
      title: `Extract function ${params.name} from ${rel}:${params.start.line}${params.end.line !== params.start.line ? `–${params.end.line}` : ''}`,
      rationale: `Moves ${lines} of ${rel} (\`${snippet(sf.text.slice(pos, end), 60)}\`) into a new ${where}${signature ? ` \`${signature}\`` : ` \`${params.name}\``} and calls it in their place. `
        + `TypeScript's "${REFACTOR}" refactoring chose the parameters and the return value from the code's data flow (the same as VS Code's "${chosen.description}"); `
        + `other scopes it offered: ${offered.filter((o) => o.index !== chosen.index).map((o) => `${o.index} = ${o.description.replace(/^Extract to /, '')}`).join(', ') || 'none'}. `
        + `The name was checked like a rename (valid identifier, no clash in scope). No new compiler diagnostics in the changed code of ${scratch.touched().join(', ')}.`,
      source: EXTRACT_FUNCTION_SOURCE,
      priority: 'normal',
      edits,
    };
    return changeSet;
  } finally {
    scratch.restore();
  }
};

/** The function-extraction scopes TypeScript offers for a range, innermost first. */
export function extractScopes(ls: ts.LanguageService, sf: ts.SourceFile, range: ts.TextRange): { offered: ExtractScopeOption[]; reason?: string } {
  const refactors = ls.getApplicableRefactors(sf.fileName, range, PREFERENCES, 'invoked', 'refactor.extract.function');
  const extract = refactors.find((r) => r.name === REFACTOR);
  const offered: ExtractScopeOption[] = [];
  let reason: string | undefined;
  for (const a of extract?.actions ?? []) {
    const m = /^function_scope_(\d+)$/.exec(a.name);
    if (m && !a.notApplicableReason) offered.push({ index: Number(m[1]), description: a.description });
    else if (a.notApplicableReason && (a.kind ?? '').startsWith('refactor.extract.function')) reason ??= a.notApplicableReason;
  }
  return { offered: offered.sort((a, b) => a.index - b.index), ...(reason ? { reason } : {}) };
}

function chooseAction(ls: ts.LanguageService, sf: ts.SourceFile, range: ts.TextRange, label: string, scope: 'module' | number): { chosen: ExtractScopeOption; offered: ExtractScopeOption[] } {
  const { offered, reason } = extractScopes(ls, sf, range);
  if (offered.length === 0) {
    refuse(`TypeScript cannot extract a function from ${label}${reason ? `: ${reason.replace(/\.$/, '')}` : ''}. Select whole statements, or one complete expression, inside a function or at module level.`);
  }
  const list = offered.map((o) => `${o.index} = ${o.description.replace(/^Extract to /, '')}`).join(', ');
  let chosen: ExtractScopeOption | undefined;
  if (scope === 'module') {
    chosen = offered.find((o) => /\b(module|global) scope\b/.test(o.description));
    // The scopes go with the refusal: the CLI names its --scope option, the extension offers a pick.
    if (!chosen) throw new RustyError('refused', `TypeScript does not offer to extract ${label} to module scope; it offers: ${list}.`, { extractScopes: offered });
  } else {
    chosen = offered.find((o) => o.index === scope);
    if (!chosen) throw new RustyError('refused', `Scope ${scope} is not offered for ${label}; TypeScript offers: ${list}.`, { extractScopes: offered });
  }
  return { chosen, offered };
}

/**
 * TypeScript copies the trailing comment of the last extracted statement (`x = 1; // why`) into
 * the new function and also leaves it after the call that replaces the statements: the comment
 * would be there twice. It goes with the code it describes; the copy after the call is removed.
 */
function withoutDuplicatedComments(tsApi: typeof ts, sf: ts.SourceFile, edits: readonly ts.FileTextChanges[]): ts.FileTextChanges[] {
  return edits.map((fc) => {
    if (fc.fileName !== sf.fileName) return fc;
    const textChanges = fc.textChanges.map((c) => {
      const after = c.span.start + c.span.length;
      if (c.span.length === 0) return c;
      const comments = tsApi.getTrailingCommentRanges(sf.text, after) ?? [];
      let end = after;
      for (const r of comments) {
        const comment = sf.text.slice(r.pos, r.end);
        if (!fc.textChanges.some((o) => o !== c && o.newText.includes(comment))) break;
        end = r.end;
      }
      return end === after ? c : { ...c, span: { start: c.span.start, length: end - c.span.start } };
    });
    return { ...fc, textChanges };
  });
}

/** `name(a: number, b: string): number` of the extracted function or method, for the rationale. */
function signatureOf(tsApi: typeof ts, sf: ts.SourceFile | undefined, name: string): string | undefined {
  if (!sf) return undefined;
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((tsApi.isFunctionDeclaration(n) || tsApi.isMethodDeclaration(n)) && n.name && tsApi.isIdentifier(n.name) && n.name.text === name && n.body) {
      found = snippet(sf.text.slice(n.name.getStart(sf), n.body.getStart(sf)).trim(), 120);
      return;
    }
    tsApi.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
