// Inline variable: replace every use of a variable by its initializer (parenthesized where the
// context needs it) and remove the declaration. The edits are TypeScript's own "Inline variable"
// refactoring (TypeScript ≥ 5.2), or an equivalent built here when the bundled TypeScript lacks it;
// the safety checks (analysis.ts) are ours and run first either way, and the result must not add a
// compiler diagnostic to the file.
import type { ts } from 'ts-morph';
import type { ChangeSet } from '../../proposals/changeSet';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { type InlineVariableParams, type RefactoringContext, type Refactor, signalOf } from '../api';
import { declarationScope } from '../rename/conflicts';
import {
  changedWindow, describeDiagnostic, formatSettingsFor, introducedDiagnostics, nameNodeAt, offsetAt, programFile, ScratchEdits,
  snippet, spliceText, throwIfCancelled, where, windowDiagnostics, workspaceRel, type TextChange,
} from '../rename/support';
import {
  conditionalAncestor, effectsBefore, findInlineTarget, initializerFacts, isAssignmentOperator, isWrite, repeatingContainer, thisContainer, type InlineTarget,
} from './analysis';

export const INLINE_VARIABLE_SOURCE = 'refactoring:inline-variable';
const TS_REFACTOR = 'Inline variable';

/** Which edits to use: TypeScript's refactoring when the bundled TypeScript has it ('auto'), or always ours. */
export type InlineEngine = 'auto' | 'typescript' | 'own';

export const proposeInlineVariable: Refactor<InlineVariableParams> = (ctx, params) => inlineVariable(ctx, params);

function refuse(message: string): never {
  throw new RustyError('refused', message);
}

/** TypeScript has had the "Inline variable" refactoring since 5.2. */
export function typeScriptHasInlineVariable(tsApi: typeof ts): boolean {
  const [major = 0, minor = 0] = tsApi.versionMajorMinor.split('.').map(Number);
  return major > 5 || (major === 5 && minor >= 2);
}

export async function inlineVariable(ctx: RefactoringContext, params: InlineVariableParams, opts: { engine?: InlineEngine } = {}): Promise<ChangeSet> {
  const wp = ctx.project;
  const t = wp.ts;
  throwIfCancelled(signalOf(ctx), 'Inline variable');
  const rel = workspaceRel(wp, params.file);
  const { sf, program, ls } = programFile(wp, rel);
  const offset = offsetAt(sf, rel, params.at);
  const node = nameNodeAt(t, sf, offset);
  if (!node) refuse(`There is no variable at ${where(wp, sf, offset)}; put the position on the variable's name (its declaration or a use).`);
  const target = findInlineTarget(wp, program, sf, node);
  checkSemantics(wp, program, sf, target);
  throwIfCancelled(signalOf(ctx), 'Inline variable');

  const engine = opts.engine ?? 'auto';
  const useTs = engine === 'typescript' || (engine === 'auto' && typeScriptHasInlineVariable(t));
  const changes = useTs ? typeScriptEdits(wp, ls, sf, target) : ownEdits(t, sf, target);
  const scratch = new ScratchEdits(wp);
  try {
    scratch.set(rel, spliceText(sf.text, changes));
    throwIfCancelled(signalOf(ctx), 'Inline variable');
    // The file must not gain a diagnostic in the statements that changed.
    const { program: afterProgram, sf: afterSf } = programFile(wp, rel);
    const window = changedWindow(sf.text, afterSf.text);
    const introduced = introducedDiagnostics(windowDiagnostics(t, program, sf, window.before), windowDiagnostics(t, afterProgram, afterSf, window.after));
    if (introduced.length > 0) {
      refuse(`Inlining \`${target.name}\` would introduce ${introduced.length === 1 ? 'a compiler error' : `${introduced.length} compiler errors`}: ${introduced.slice(0, 3).map((d) => describeDiagnostic(t, wp, d)).join('; ')}.`);
    }
    const edits = scratch.edits();
    const n = target.references.length;
    const declAt = where(wp, sf, target.decl.name.getStart(sf));
    const kind = (target.list.flags & t.NodeFlags.Const) !== 0 ? 'const' : (target.list.flags & t.NodeFlags.Let) !== 0 ? 'let' : 'var';
    return {
      title: `Inline variable ${target.name} in ${rel}`,
      rationale: `Replaces the ${n === 1 ? 'use' : `${n} uses`} of \`${target.name}\` (${kind}, declared at ${declAt}) with its initializer \`${snippet(target.decl.initializer.getText(sf), 60)}\`, `
        + `parenthesized where needed, and removes the declaration (${useTs ? 'TypeScript\'s "Inline variable" refactoring' : 'Rusty\'s inline-variable edits'}). `
        + 'Checked first: a single declaration, never reassigned, not exported; the initializer runs exactly as often and in the same order as before, '
        + `and every name it uses means the same at each use. No new compiler diagnostics in the changed code of ${rel}.`,
      source: INLINE_VARIABLE_SOURCE,
      priority: 'normal',
      edits,
    };
  } finally {
    scratch.restore();
  }
}

function checkSemantics(wp: WorkspaceProject, program: ts.Program, sf: ts.SourceFile, target: InlineTarget): void {
  const t = wp.ts;
  const checker = program.getTypeChecker();
  const { name, decl, statement, references: refs } = target;
  const init = decl.initializer;
  const facts = initializerFacts(t, checker, init);
  const at = (n: ts.Node): string => where(wp, sf, n.getStart(sf));
  const list = refs.slice(0, 3).map(at).join(', ') + (refs.length > 3 ? ', …' : '');
  const n = refs.length;
  if (n > 1 && facts.sideEffect) refuse(`\`${name}\`'s initializer has side effects (it ${facts.sideEffect.what}) and \`${name}\` is used ${n} times (${list}); inlining would run it ${n} times instead of once.`);
  if (n > 1 && facts.fresh) refuse(`\`${name}\`'s initializer creates ${facts.fresh} each time it runs, and \`${name}\` is used ${n} times (${list}); inlining would make ${n} separate ones where the code now shares one.`);
  const block = statement.parent;
  const thisOfDecl = thisContainer(t, decl);
  for (const ref of refs) {
    const refAt = at(ref);
    const repeating = repeatingContainer(t, ref, block);
    if ((facts.sideEffect || facts.fresh) && repeating) {
      const what = facts.sideEffect ? `has side effects (it ${facts.sideEffect.what})` : `creates ${facts.fresh}`;
      refuse(`\`${name}\`'s initializer ${what}, and its use at ${refAt} is inside a ${repeating.kind === 'function' ? 'nested function' : 'loop'}: inlined, it would run each time that ${repeating.kind} runs instead of once.`);
    }
    if (facts.sideEffect) {
      const branch = conditionalAncestor(t, ref, block);
      if (branch) refuse(`\`${name}\`'s initializer has side effects (it ${facts.sideEffect.what}), and its use at ${refAt} is in a branch that may not run (\`${snippet(branch.getText(sf), 40)}\`): inlined, it might not run at all.`);
      const effect = effectsBefore(t, block, statement.end, ref.getStart(sf), statement);
      if (effect) refuse(`\`${name}\`'s initializer has side effects (it ${facts.sideEffect.what}), and \`${snippet(effect.getText(sf), 40)}\` at ${at(effect)} runs between the declaration and the use at ${refAt}: inlining would change their order.`);
    }
    if (facts.functionContext && thisContainer(t, ref) !== thisOfDecl) {
      refuse(`\`${name}\`'s initializer uses ${facts.functionContext}, which means something else at ${refAt} (inside another function); it cannot be inlined there.`);
    }
    // The names the initializer uses must mean the same at the use.
    for (const used of facts.names) {
      const resolved = checker.resolveName(used.id.text, ref, used.meaning, false);
      if (!sameSymbol(checker, resolved, used.symbol)) {
        const d = resolved?.declarations?.[0];
        refuse(`\`${used.id.text}\` in the initializer of \`${name}\` would mean something else at ${refAt} (${d ? `the \`${used.id.text}\` declared at ${at(d)}` : 'nothing is declared there under that name'}); inlining there would change what it refers to.`);
      }
    }
    // What the initializer reads must not change between the declaration and the use.
    const regionEnd = repeating?.kind === 'function' ? Number.POSITIVE_INFINITY : repeating ? repeating.node.end : ref.getStart(sf);
    for (const used of facts.names) {
      if (!isMutableVariable(t, used.symbol)) continue;
      const write = writesOf(t, checker, used.symbol).find((w) => w.pos >= statement.end && w.pos < regionEnd);
      if (write) refuse(`\`${name}\`'s initializer reads \`${used.id.text}\`, which is reassigned at ${at(write)} before the use at ${refAt}; inlined, it would read the new value.`);
    }
    if (facts.readsProperties) {
      if (repeating?.kind === 'function') refuse(`\`${name}\`'s initializer reads properties (\`${snippet(init.getText(sf), 40)}\`) and its use at ${refAt} is inside a nested function that may run later, after they change; it cannot be inlined there.`);
      const effect = effectsBefore(t, block, statement.end, regionEnd, statement);
      if (effect) refuse(`\`${name}\`'s initializer reads properties (\`${snippet(init.getText(sf), 40)}\`), and \`${snippet(effect.getText(sf), 40)}\` at ${at(effect)} may change them before the use at ${refAt}; inlined, it could read different values.`);
    }
  }
}

function sameSymbol(checker: ts.TypeChecker, a: ts.Symbol | undefined, b: ts.Symbol): boolean {
  if (!a) return false;
  if (a === b || checker.getMergedSymbol(a) === checker.getMergedSymbol(b)) return true;
  const da = a.declarations?.[0];
  return !!da && da === b.declarations?.[0];
}

function isMutableVariable(t: typeof ts, s: ts.Symbol): boolean {
  let d: ts.Node | undefined = s.valueDeclaration ?? s.declarations?.[0];
  if (!d) return false;
  if (t.isParameter(d)) return true;
  while (d && t.isBindingElement(d)) d = d.parent.parent;
  if (d && t.isParameter(d)) return true;
  if (d && t.isVariableDeclaration(d)) return (d.parent.flags & t.NodeFlags.Const) === 0;
  return false;
}

function writesOf(t: typeof ts, checker: ts.TypeChecker, s: ts.Symbol): ts.Identifier[] {
  const d = s.valueDeclaration ?? s.declarations?.[0];
  if (!d) return [];
  const scope = declarationScope(t, d);
  const region = scope === 'global' ? d.getSourceFile() : scope;
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isIdentifier(n) && n.text === s.name && isWrite(t, n) && checker.getSymbolAtLocation(n) === s) out.push(n);
    t.forEachChild(n, visit);
  };
  visit(region);
  return out;
}

// ---- edits --------------------------------------------------------------------------------------

function typeScriptEdits(wp: WorkspaceProject, ls: ts.LanguageService, sf: ts.SourceFile, target: InlineTarget): TextChange[] {
  const t = wp.ts;
  const pos = target.decl.name.getStart(sf);
  const prefs: ts.UserPreferences = { provideRefactorNotApplicableReason: true };
  const offered = ls.getApplicableRefactors(sf.fileName, pos, prefs, 'invoked', 'refactor.inline.variable').find((r) => r.name === TS_REFACTOR);
  const action = offered?.actions[0];
  if (!action || action.notApplicableReason) refuse(`TypeScript's "Inline variable" does not apply to \`${target.name}\`${action?.notApplicableReason ? `: ${action.notApplicableReason.replace(/\.$/, '')}` : ''}.`);
  const info = ls.getEditsForRefactor(sf.fileName, formatSettingsFor(t, sf.text), pos, TS_REFACTOR, action.name, prefs);
  const edits = info?.edits ?? [];
  if (edits.some((e) => e.fileName !== sf.fileName)) refuse(`TypeScript's "Inline variable" would edit other files than ${wp.rel(sf.fileName)}; refusing.`);
  return edits.flatMap((e) => e.textChanges.map((c) => ({ start: c.span.start, length: c.span.length, newText: c.newText })));
}

/** Our own edits (used when the bundled TypeScript has no "Inline variable"). */
export function ownEdits(t: typeof ts, sf: ts.SourceFile, target: InlineTarget): TextChange[] {
  const init = target.decl.initializer;
  const initText = init.getText(sf);
  const changes: TextChange[] = [];
  for (const ref of target.references) {
    const p = ref.parent;
    const start = ref.getStart(sf);
    if (t.isShorthandPropertyAssignment(p) && p.name === ref) {
      changes.push({ start, length: ref.end - start, newText: `${ref.text}: ${needsParentheses(t, init, ref) ? `(${initText})` : initText}` });
    } else {
      changes.push({ start, length: ref.end - start, newText: needsParentheses(t, init, ref) ? `(${initText})` : initText });
    }
  }
  const list = target.list;
  const text = sf.text;
  if (list.declarations.length === 1) {
    const statement = target.statement;
    let start = statement.getStart(sf);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (text.slice(lineStart, start).trim() === '') start = lineStart;
    let end = statement.end;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    if (text[end] === '\n') end++;
    changes.push({ start, length: end - start, newText: '' });
  } else {
    const i = list.declarations.indexOf(target.decl);
    const next = list.declarations[i + 1];
    const prev = list.declarations[i - 1];
    if (next) changes.push({ start: target.decl.getStart(sf), length: next.getStart(sf) - target.decl.getStart(sf), newText: '' });
    else if (prev) changes.push({ start: prev.end, length: target.decl.end - prev.end, newText: '' });
  }
  return changes;
}

/** Conservative: parentheses unless the initializer is a primary expression or the use is a whole-expression slot. */
function needsParentheses(t: typeof ts, init: ts.Expression, ref: ts.Identifier): boolean {
  const p = ref.parent;
  const primary = t.isIdentifier(init) || t.isStringLiteral(init) || t.isNoSubstitutionTemplateLiteral(init) || t.isTemplateExpression(init)
    || t.isCallExpression(init) || t.isPropertyAccessExpression(init) || t.isElementAccessExpression(init) || t.isParenthesizedExpression(init)
    || t.isArrayLiteralExpression(init) || t.isNonNullExpression(init) || t.isTaggedTemplateExpression(init) || init.kind === t.SyntaxKind.ThisKeyword
    || init.kind === t.SyntaxKind.TrueKeyword || init.kind === t.SyntaxKind.FalseKeyword || init.kind === t.SyntaxKind.NullKeyword
    || (t.isNewExpression(init) && !!init.arguments) || t.isBigIntLiteral(init);
  const accessed = (t.isPropertyAccessExpression(p) || t.isElementAccessExpression(p) || t.isCallExpression(p) || t.isTaggedTemplateExpression(p)) && (p as { expression?: ts.Node }).expression === ref;
  if (primary) return false;
  const operandOf = t.isBinaryExpression(p) && (p.left === ref || p.right === ref) && !isAssignmentOperator(t, p.operatorToken.kind) && p.operatorToken.kind !== t.SyntaxKind.CommaToken;
  if (operandOf && t.isBinaryExpression(init)) {
    const order = binaryOrder(t, init.operatorToken.kind, p.operatorToken.kind, p.right === ref);
    if (order !== undefined) return order;
  }
  if ((t.isNumericLiteral(init) || t.isObjectLiteralExpression(init) || t.isFunctionExpression(init) || t.isArrowFunction(init) || t.isClassExpression(init)) && accessed) return true;
  if (t.isNumericLiteral(init)) return false;
  if (t.isObjectLiteralExpression(init) || t.isFunctionExpression(init) || t.isClassExpression(init)) return t.isExpressionStatement(p) || t.isArrowFunction(p);
  const isComma = t.isBinaryExpression(init) && init.operatorToken.kind === t.SyntaxKind.CommaToken;
  const slot = (t.isVariableDeclaration(p) && p.initializer === ref) || t.isReturnStatement(p) || (t.isExpressionStatement(p) && !t.isArrowFunction(init))
    || (t.isCallExpression(p) && p.arguments.includes(ref)) || (t.isNewExpression(p) && !!p.arguments?.includes(ref)) || t.isArrayLiteralExpression(p)
    || (t.isPropertyAssignment(p) && p.initializer === ref) || t.isShorthandPropertyAssignment(p) || t.isTemplateSpan(p) || t.isParenthesizedExpression(p)
    || t.isSpreadElement(p) || (t.isBinaryExpression(p) && p.operatorToken.kind === t.SyntaxKind.EqualsToken && p.right === ref)
    || t.isJsxExpression(p) || (t.isIfStatement(p) && p.expression === ref) || (t.isSwitchStatement(p) && p.expression === ref);
  if (isComma) return !(t.isParenthesizedExpression(p) || t.isExpressionStatement(p));
  return !slot;
}

interface TsPrecedence { getBinaryOperatorPrecedence?: (kind: ts.SyntaxKind) => number }

/** Whether `a <inner> b` needs parentheses as an operand of `<outer>` (undefined: unknown, be safe). */
function binaryOrder(t: typeof ts, inner: ts.SyntaxKind, outer: ts.SyntaxKind, isRight: boolean): boolean | undefined {
  const precedence = (t as unknown as TsPrecedence).getBinaryOperatorPrecedence;
  if (!precedence || isAssignmentOperator(t, inner) || inner === t.SyntaxKind.CommaToken) return undefined;
  const K = t.SyntaxKind;
  const logical = (k: ts.SyntaxKind) => k === K.BarBarToken || k === K.AmpersandAmpersandToken;
  if ((inner === K.QuestionQuestionToken && logical(outer)) || (outer === K.QuestionQuestionToken && logical(inner))) return true;
  const pi = precedence(inner);
  const po = precedence(outer);
  if (pi > po) return false;
  if (pi < po) return true;
  if (inner === K.AsteriskAsteriskToken) return !isRight;
  return isRight;
}
