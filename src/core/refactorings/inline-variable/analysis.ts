// When is replacing a variable's uses by its initializer still the same program? The checks here
// are on the syntax tree and the type checker, before anything is edited:
// - one declaration (`const x = …` or an unreassigned let/var), not exported, used at least once,
//   never written, never in `typeof x`;
// - an initializer with side effects (calls, `new`, assignments, ++/--, await, …) or that creates
//   a new object (literal, function, class, regexp) is inlined only into a single use that runs
//   exactly once, right where the initializer ran: not inside a nested function or loop, not
//   after other side effects, not in a branch that may not run;
// - the names the initializer uses must mean the same at every use (no capture by an inner
//   declaration), the variables it reads must not be reassigned before a use, and property reads
//   must not be preceded by calls or assignments that could change them;
// - `this`, `arguments`, `super` and `new.target` must stay in the same function.
import type { ts } from 'ts-morph';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { declarationScope } from '../rename/conflicts';
import { snippet, where } from '../rename/support';

export interface InlineTarget {
  name: string;
  decl: ts.VariableDeclaration & { name: ts.Identifier; initializer: ts.Expression };
  list: ts.VariableDeclarationList;
  statement: ts.VariableStatement;
  symbol: ts.Symbol;
  references: ts.Identifier[];
}

function refuse(message: string): never {
  throw new RustyError('refused', message);
}

/** The variable at an offset (its declaration or any use) and its uses, or a refusal saying why not. */
export function findInlineTarget(wp: WorkspaceProject, program: ts.Program, sf: ts.SourceFile, node: ts.Node): InlineTarget {
  const t = wp.ts;
  const checker = program.getTypeChecker();
  const at = where(wp, sf, node.getStart(sf));
  if (!t.isIdentifier(node)) refuse(`There is no variable at ${at}; put the position on the variable's name (its declaration or a use).`);
  const name = node.text;
  const symbol = t.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
    ? checker.getShorthandAssignmentValueSymbol(node.parent)
    : checker.getSymbolAtLocation(node);
  if (!symbol) refuse(`\`${name}\` at ${at} is not declared anywhere TypeScript can see; there is nothing to inline.`);
  if (symbol.flags & t.SymbolFlags.Alias) refuse(`\`${name}\` at ${at} is an import; only variables declared in this file can be inlined.`);
  const decls = symbol.declarations ?? [];
  if (decls.length !== 1) refuse(`\`${name}\` has ${decls.length} declarations; only a variable with a single declaration can be inlined.`);
  const decl = decls[0]!;
  if (!t.isVariableDeclaration(decl)) refuse(`\`${name}\` is ${describeDeclaration(t, decl)}, not a variable; only variables can be inlined.`);
  const declSf = decl.getSourceFile();
  if (declSf !== sf) refuse(`\`${name}\` is declared in ${wp.rel(declSf.fileName)}, not in this file; only variables declared in the file can be inlined.`);
  if (!t.isIdentifier(decl.name)) refuse(`\`${name}\` is declared by destructuring (${snippet(decl.name.getText(sf), 40)}); only a variable with a plain name can be inlined.`);
  const list = decl.parent;
  if (!t.isVariableDeclarationList(list) || !t.isVariableStatement(list.parent)) refuse(`\`${name}\` is declared in a ${t.isCatchClause(list) ? 'catch clause' : 'loop header'}; it has no single initializer to inline.`);
  if (!decl.initializer) refuse(`\`${name}\` has no initializer; there is no value to inline.`);
  const statement = list.parent;
  const declAt = where(wp, sf, decl.name.getStart(sf));
  if ((t.getCombinedModifierFlags(decl) & t.ModifierFlags.Export) !== 0) refuse(`\`${name}\` is exported (${declAt}); other modules may use it, so it cannot be inlined.`);
  if ((t.getCombinedModifierFlags(decl) & t.ModifierFlags.Ambient) !== 0) refuse(`\`${name}\` is an ambient declaration (declare); it has no value to inline.`);
  if (t.isSourceFile(statement.parent) && !t.isExternalModule(sf)) refuse(`\`${name}\` is a global variable of the script ${wp.rel(sf.fileName)}; other files may use it, so it cannot be inlined.`);

  const scope = declarationScope(t, decl);
  const region: ts.Node = scope === 'global' ? sf : scope;
  const references: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isIdentifier(n) && n.text === name && n !== decl.name) {
      const s = t.isShorthandPropertyAssignment(n.parent) && n.parent.name === n ? checker.getShorthandAssignmentValueSymbol(n.parent)
        : t.isExportSpecifier(n.parent) && !n.parent.parent.parent.moduleSpecifier ? checker.getExportSpecifierLocalTargetSymbol(n.parent)
          : checker.getSymbolAtLocation(n);
      if (s === symbol) references.push(n);
    }
    t.forEachChild(n, visit);
  };
  visit(region);
  if (references.length === 0) refuse(`\`${name}\` (${declAt}) is never used; there is nothing to inline (remove the declaration instead).`);
  for (const ref of references) {
    const refAt = where(wp, sf, ref.getStart(sf));
    const p = ref.parent;
    if (isWrite(t, ref)) refuse(`\`${name}\` is reassigned at ${refAt}; only a variable that keeps its initial value can be inlined.`);
    if (t.isExportSpecifier(p) || t.isExportAssignment(p)) refuse(`\`${name}\` is exported at ${refAt}; other modules may use it, so it cannot be inlined.`);
    if (t.isTypeQueryNode(p)) refuse(`\`${name}\` is used in a type (\`typeof ${name}\` at ${refAt}); a type cannot refer to an inlined expression.`);
    if (ref.pos >= decl.pos && ref.end <= decl.end) refuse(`\`${name}\` refers to itself in its initializer (${refAt}); it cannot be inlined.`);
  }
  return { name, decl: decl as InlineTarget['decl'], list, statement, symbol, references };
}

function describeDeclaration(t: typeof ts, d: ts.Node): string {
  if (t.isParameter(d)) return 'a parameter';
  if (t.isFunctionDeclaration(d)) return 'a function';
  if (t.isClassDeclaration(d)) return 'a class';
  if (t.isEnumDeclaration(d)) return 'an enum';
  if (t.isPropertyDeclaration(d) || t.isPropertySignature(d) || t.isPropertyAssignment(d)) return 'a property';
  if (t.isMethodDeclaration(d)) return 'a method';
  if (t.isBindingElement(d)) return 'a destructured binding';
  if (t.isImportSpecifier(d) || t.isImportClause(d) || t.isNamespaceImport(d)) return 'an import';
  if (t.isInterfaceDeclaration(d) || t.isTypeAliasDeclaration(d)) return 'a type';
  return `a ${t.SyntaxKind[d.kind]}`;
}

/** Is this identifier written (assignment target, ++/--, for-in/of variable, destructuring assignment)? */
export function isWrite(t: typeof ts, id: ts.Identifier): boolean {
  let child: ts.Node = id;
  let p = id.parent;
  while (t.isParenthesizedExpression(p) || t.isNonNullExpression(p) || t.isAsExpression(p) || t.isSatisfiesExpression(p) || t.isTypeAssertionExpression(p)) {
    child = p;
    p = p.parent;
  }
  if ((t.isPrefixUnaryExpression(p) || t.isPostfixUnaryExpression(p)) && (p.operator === t.SyntaxKind.PlusPlusToken || p.operator === t.SyntaxKind.MinusMinusToken)) return true;
  if ((t.isForInStatement(p) || t.isForOfStatement(p)) && p.initializer === child) return true;
  // Inside an object/array literal that is the target of a destructuring assignment.
  let node: ts.Node = child;
  let parent: ts.Node = p;
  for (;;) {
    if (t.isBinaryExpression(parent) && isAssignmentOperator(t, parent.operatorToken.kind) && parent.left === node) return true;
    if (t.isShorthandPropertyAssignment(parent) || t.isSpreadElement(parent) || t.isSpreadAssignment(parent) || t.isArrayLiteralExpression(parent)
      || (t.isPropertyAssignment(parent) && parent.initializer === node) || t.isObjectLiteralExpression(parent)
      || (t.isBinaryExpression(parent) && parent.operatorToken.kind === t.SyntaxKind.EqualsToken && parent.left !== node && t.isArrayLiteralExpression(parent.parent))) {
      node = parent;
      parent = parent.parent;
      if (t.isForOfStatement(parent) || t.isForInStatement(parent)) return parent.initializer === node;
      continue;
    }
    return false;
  }
}

export function isAssignmentOperator(t: typeof ts, kind: ts.SyntaxKind): boolean {
  return kind >= t.SyntaxKind.FirstAssignment && kind <= t.SyntaxKind.LastAssignment;
}

export interface InitializerFacts {
  /** First side effect, described (`calls \`load()\``). */
  sideEffect?: { what: string; node: ts.Node };
  /** First fresh object it creates (`an object literal`). */
  fresh?: string;
  /** Reads properties (state that calls may change). */
  readsProperties: boolean;
  /** Lexical names it uses, with the symbols they mean at the declaration. */
  names: { id: ts.Identifier; symbol: ts.Symbol; meaning: number }[];
  /** `this`, `arguments`, `super` or `new.target`, when used (outside nested non-arrow functions). */
  functionContext?: string;
}

export function initializerFacts(t: typeof ts, checker: ts.TypeChecker, init: ts.Expression): InitializerFacts {
  const facts: InitializerFacts = { readsProperties: false, names: [] };
  const visit = (n: ts.Node, insideFunction: boolean, insideArrow: boolean): void => {
    if (t.isFunctionExpression(n) || t.isClassExpression(n)) {
      facts.fresh ??= t.isClassExpression(n) ? 'a class' : 'a function';
      // its body runs later; only the names it closes over matter
      t.forEachChild(n, (c) => visit(c, true, false));
      return;
    }
    if (t.isArrowFunction(n)) {
      facts.fresh ??= 'a function';
      t.forEachChild(n, (c) => visit(c, true, true));
      return;
    }
    if (!insideFunction) {
      if (t.isCallExpression(n) || t.isTaggedTemplateExpression(n)) facts.sideEffect ??= { what: `calls \`${snippet(n.getText(), 40)}\``, node: n };
      else if (t.isNewExpression(n)) {
        facts.sideEffect ??= { what: `runs \`${snippet(n.getText(), 40)}\``, node: n };
        facts.fresh ??= `a new object (\`${snippet(n.getText(), 30)}\`)`;
      } else if (t.isBinaryExpression(n) && isAssignmentOperator(t, n.operatorToken.kind)) facts.sideEffect ??= { what: `assigns \`${snippet(n.getText(), 40)}\``, node: n };
      else if ((t.isPrefixUnaryExpression(n) || t.isPostfixUnaryExpression(n)) && (n.operator === t.SyntaxKind.PlusPlusToken || n.operator === t.SyntaxKind.MinusMinusToken)) facts.sideEffect ??= { what: `updates \`${snippet(n.getText(), 40)}\``, node: n };
      else if (t.isDeleteExpression(n) || t.isAwaitExpression(n) || t.isYieldExpression(n)) facts.sideEffect ??= { what: `runs \`${snippet(n.getText(), 40)}\``, node: n };
      else if (t.isObjectLiteralExpression(n)) facts.fresh ??= 'an object literal';
      else if (t.isArrayLiteralExpression(n)) facts.fresh ??= 'an array literal';
      else if (n.kind === t.SyntaxKind.RegularExpressionLiteral) facts.fresh ??= 'a regular expression';
      else if (t.isPropertyAccessExpression(n) || t.isElementAccessExpression(n)) facts.readsProperties = true;
    }
    if (!insideFunction || insideArrow) {
      if (n.kind === t.SyntaxKind.ThisKeyword) facts.functionContext ??= '`this`';
      else if (n.kind === t.SyntaxKind.SuperKeyword) facts.functionContext ??= '`super`';
      else if (t.isMetaProperty(n) && n.keywordToken === t.SyntaxKind.NewKeyword) facts.functionContext ??= '`new.target`';
      else if (t.isIdentifier(n) && n.text === 'arguments' && isLexicalName(t, n)) facts.functionContext ??= '`arguments`';
    }
    if (t.isIdentifier(n) && isLexicalName(t, n)) {
      const s = t.isShorthandPropertyAssignment(n.parent) ? checker.getShorthandAssignmentValueSymbol(n.parent) : checker.getSymbolAtLocation(n);
      if (s && !isDeclaredWithin(s, init)) facts.names.push({ id: n, symbol: s, meaning: t.isPartOfTypeNode(n) ? t.SymbolFlags.Type : t.SymbolFlags.Value });
    }
    t.forEachChild(n, (c) => visit(c, insideFunction, insideArrow));
  };
  visit(init, false, false);
  return facts;
}

function isDeclaredWithin(s: ts.Symbol, node: ts.Node): boolean {
  const decls = s.declarations ?? [];
  return decls.length > 0 && decls.every((d) => d.getSourceFile() === node.getSourceFile() && d.pos >= node.pos && d.end <= node.end);
}

function isLexicalName(t: typeof ts, id: ts.Identifier): boolean {
  const p = id.parent;
  if (t.isPropertyAccessExpression(p) && p.name === id) return false;
  if (t.isQualifiedName(p) && p.right === id) return false;
  if ((t.isPropertyAssignment(p) || t.isMethodDeclaration(p) || t.isPropertyDeclaration(p) || t.isGetAccessorDeclaration(p) || t.isSetAccessorDeclaration(p) || t.isPropertySignature(p) || t.isMethodSignature(p)) && p.name === id) return false;
  if (t.isBindingElement(p) && p.propertyName === id) return false;
  if ((t.isParameter(p) || t.isVariableDeclaration(p) || t.isFunctionExpression(p) || t.isClassExpression(p) || t.isBindingElement(p) || t.isTypeParameterDeclaration(p)) && p.name === id) return false;
  if (t.isJsxAttribute(p) || t.isLabeledStatement(p) || t.isBreakOrContinueStatement(p)) return false;
  return true;
}

/** The outermost function (of any kind), else loop, between a node and an ancestor: code there may run many times or never. */
export function repeatingContainer(t: typeof ts, node: ts.Node, stopAt: ts.Node): { kind: 'function' | 'loop'; node: ts.Node } | undefined {
  let fn: ts.Node | undefined;
  let loop: ts.Node | undefined;
  let child: ts.Node = node;
  for (let n: ts.Node | undefined = node.parent; n && n !== stopAt; child = n, n = n.parent) {
    if (t.isFunctionLike(n) || t.isClassStaticBlockDeclaration(n)) fn = n;
    else if (t.isForOfStatement(n) || t.isForInStatement(n)) {
      if (child !== n.expression) loop = n; // the iterated expression runs once
    } else if (t.isForStatement(n)) {
      if (child !== n.initializer) loop = n;
    } else if (t.isWhileStatement(n) || t.isDoStatement(n)) loop = n;
  }
  if (fn) return { kind: 'function', node: fn };
  return loop ? { kind: 'loop', node: loop } : undefined;
}

/** The nearest `this`-binding container (non-arrow function, class member, or the file). */
export function thisContainer(t: typeof ts, node: ts.Node): ts.Node {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((t.isFunctionLike(n) && !t.isArrowFunction(n)) || t.isClassStaticBlockDeclaration(n) || t.isPropertyDeclaration(n) || t.isSourceFile(n)) return n;
  }
  return node.getSourceFile();
}

/** Is the node inside a branch that may not run, below `stopAt` (if/else body, ?:, &&, ||, ??, ?., case, catch/finally)? */
export function conditionalAncestor(t: typeof ts, node: ts.Node, stopAt: ts.Node): ts.Node | undefined {
  let child: ts.Node = node;
  for (let n: ts.Node | undefined = node.parent; n && n !== stopAt; child = n, n = n.parent) {
    if (t.isIfStatement(n) && child !== n.expression) return n;
    if (t.isConditionalExpression(n) && child !== n.condition) return n;
    if (t.isBinaryExpression(n) && child === n.right && [t.SyntaxKind.AmpersandAmpersandToken, t.SyntaxKind.BarBarToken, t.SyntaxKind.QuestionQuestionToken,
      t.SyntaxKind.AmpersandAmpersandEqualsToken, t.SyntaxKind.BarBarEqualsToken, t.SyntaxKind.QuestionQuestionEqualsToken].includes(n.operatorToken.kind)) return n;
    if (t.isCaseClause(n) || t.isDefaultClause(n) || t.isCatchClause(n)) return n;
    if (t.isTryStatement(n) && child === n.finallyBlock) return n;
    if ((t.isPropertyAccessExpression(n) || t.isElementAccessExpression(n) || t.isCallExpression(n)) && n.questionDotToken && child !== n.expression) return n;
  }
  return undefined;
}

/** Side-effecting expressions that complete before `before` (textually) within `region`, skipping nested function bodies and `skip`. */
export function effectsBefore(t: typeof ts, region: ts.Node, from: number, before: number, skip: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.end <= from || n.pos >= before) return;
    if (n === skip) return;
    if (t.isFunctionLike(n) || t.isClassLike(n)) return; // declared, not run here
    const effect = t.isCallExpression(n) || t.isNewExpression(n) || t.isTaggedTemplateExpression(n) || t.isDeleteExpression(n) || t.isAwaitExpression(n) || t.isYieldExpression(n)
      || (t.isBinaryExpression(n) && isAssignmentOperator(t, n.operatorToken.kind))
      || ((t.isPrefixUnaryExpression(n) || t.isPostfixUnaryExpression(n)) && (n.operator === t.SyntaxKind.PlusPlusToken || n.operator === t.SyntaxKind.MinusMinusToken));
    if (effect && n.getStart() >= from && n.end <= before) {
      found = n;
      return;
    }
    t.forEachChild(n, visit);
  };
  visit(region);
  return found;
}
