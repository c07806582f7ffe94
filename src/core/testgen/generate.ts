// `gen-tests`: a deterministic test skeleton for the exported functions and classes of one file,
// in the project's own framework and conventions. The real symbols are imported; what the code does
// not determine is left as the framework's todo, never a made-up assertion.
import * as path from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { EngineContext } from '../engine/context';
import type { ChangeSet } from '../proposals/changeSet';
import { WorkspaceProject } from '../ts/workspaceProject';
import { RustyError } from '../util/errors';
import { casesOf, type TestCase, type TestTarget } from './cases';
import { detectConventions, testPathFor, type TestConventions } from './conventions';

export interface GenTestsRequest { file: string; symbol?: string }

export interface GeneratedTests {
  conventions: TestConventions;
  testPath: string;
  content: string;
  targets: TestTarget[];
  /** Number of todo cases in the file (expectations left to a person). */
  todos: number;
  /** Number of real checks (the symbol is exported with its kind). */
  checks: number;
  changeSet: ChangeSet;
}

/** CommonJS `module.exports = { add, sub: subtract }`: the export is the property; the target is the function it names. */
function cjsTarget(decl: TsMorph.Node | undefined, sf: TsMorph.SourceFile, Node: typeof TsMorph.Node): TsMorph.Node | undefined {
  if (!decl) return undefined;
  let ref: string | undefined;
  if (Node.isShorthandPropertyAssignment(decl)) ref = decl.getName();
  else if (Node.isPropertyAssignment(decl)) {
    const init = decl.getInitializer();
    if (init && (Node.isFunctionExpression(init) || Node.isArrowFunction(init))) return init;
    if (init && Node.isIdentifier(init)) ref = init.getText();
  }
  else if (Node.isIdentifier(decl)) ref = decl.getText();
  if (!ref) return decl;
  return sf.getFunction(ref) ?? sf.getClass(ref) ?? sf.getVariableDeclaration(ref) ?? decl;
}

/** CommonJS exports read from the statements (`module.exports = { … }`, `exports.x = …`) when the checker lists none. */
function cjsExports(sf: TsMorph.SourceFile, Node: typeof TsMorph.Node): [string, TsMorph.Node[]][] {
  const out: [string, TsMorph.Node[]][] = [];
  for (const st of sf.getStatements()) {
    if (!Node.isExpressionStatement(st)) continue;
    const e = st.getExpression();
    if (!Node.isBinaryExpression(e) || e.getOperatorToken().getText() !== '=') continue;
    const left = e.getLeft().getText();
    const right = e.getRight();
    if (left === 'module.exports' && Node.isObjectLiteralExpression(right)) {
      for (const p of right.getProperties()) if (Node.isShorthandPropertyAssignment(p) || Node.isPropertyAssignment(p)) out.push([p.getName(), [p]]);
    }
    const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
    if (m) out.push([m[1]!, [right]]);
  }
  return out;
}

function targetsOf(sf: TsMorph.SourceFile, tsMorph: typeof TsMorph, symbol: string | undefined): TestTarget[] {
  const { Node } = tsMorph;
  const out: TestTarget[] = [];
  let exported: Iterable<[string, TsMorph.Node[]]> = sf.getExportedDeclarations();
  if (!(exported as Map<string, TsMorph.Node[]>).size && /\.c?jsx?$/.test(sf.getFilePath())) exported = cjsExports(sf, Node);
  for (const [name, decls] of exported) {
    if (symbol && name !== symbol) continue;
    const decl = cjsTarget(decls[0], sf, Node);
    if (!decl || decl.getSourceFile() !== sf) continue;
    const exportName = name === 'default' ? (Node.isFunctionDeclaration(decl) || Node.isClassDeclaration(decl) ? decl.getName() ?? 'subject' : 'subject') : name;
    const isDefault = name === 'default';
    if (Node.isFunctionDeclaration(decl)) {
      out.push({ name: exportName, kind: 'function', isDefault, isAsync: decl.isAsync(), cases: casesOf(exportName, decl, tsMorph) });
    } else if (Node.isArrowFunction(decl) || Node.isFunctionExpression(decl)) {
      out.push({ name: exportName, kind: 'function', isDefault, isAsync: decl.isAsync(), cases: casesOf(exportName, decl, tsMorph) });
    } else if (Node.isVariableDeclaration(decl)) {
      const init = decl.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) out.push({ name: exportName, kind: 'function', isDefault, isAsync: init.isAsync(), cases: casesOf(exportName, init, tsMorph) });
    } else if (Node.isClassDeclaration(decl) && !decl.isAbstract()) {
      const ctor = decl.getConstructors()[0];
      const methods = decl.getMethods().filter((m) => !m.isStatic() && m.getScope() !== tsMorph.Scope.Private && m.getScope() !== tsMorph.Scope.Protected && !m.getName().startsWith('#'));
      out.push({
        name: exportName, kind: 'class', isDefault, isAsync: false,
        cases: ctor ? casesOf(`new ${exportName}`, ctor, tsMorph) : [{ title: `new ${exportName}()`, kind: 'boundary' }],
        methods: methods.map((m) => ({ name: m.getName(), cases: casesOf(m.getName(), m, tsMorph) })),
      });
    }
  }
  out.sort((a, b) => a.name.localeCompare(b.name));
  if (symbol && !out.length) throw new RustyError('not-found', `${sf.getBaseName()} exports no function or class named ${symbol}.`);
  return out;
}

/** The relative import of `source` from `test`, with the extension the project's imports use. */
function specifier(test: string, source: string, conv: TestConventions, sampleText: string): string {
  let rel = path.posix.relative(path.posix.dirname(test), source);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  if (/\.[cm]?js$/.test(source)) return rel;
  const jsExt = /from\s+['"]\.\.?\/[^'"]+\.js['"]/.test(sampleText);
  return rel.replace(/\.[cm]?tsx?$/, jsExt ? '.js' : '');
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r?\n/g, ' ')}'`;

function render(conv: TestConventions, targets: TestTarget[], spec: string): { content: string; todos: number; checks: number } {
  const f = conv.framework;
  const esm = conv.module === 'esm';
  const named = targets.filter((t) => !t.isDefault).map((t) => t.name);
  const def = targets.find((t) => t.isDefault)?.name;
  const lines: string[] = [];
  const importSubject = esm
    ? `import ${[def, named.length ? `{ ${named.join(', ')} }` : undefined].filter(Boolean).join(', ')} from ${q(spec)};`
    : `const ${def ? `${def}` : `{ ${named.join(', ')} }`} = require(${q(spec)});`;
  const block = conv.style === 'describe-it' ? 'it' : 'test';
  if (f === 'vitest') lines.push(esm ? `import { ${conv.style === 'describe-it' ? 'describe, expect, it' : 'expect, test'} } from 'vitest';` : `const { ${conv.style === 'describe-it' ? 'describe, expect, it' : 'expect, test'} } = require('vitest');`);
  else if (f === 'node:test') lines.push(esm ? `import { ${conv.style === 'describe-it' ? 'describe, it' : 'test'} } from 'node:test';\nimport assert from 'node:assert/strict';` : `const { ${conv.style === 'describe-it' ? 'describe, it' : 'test'} } = require('node:test');\nconst assert = require('node:assert/strict');`);
  else if (f === 'ava') lines.push(esm ? "import test from 'ava';" : "const test = require('ava');");
  else if (f === 'mocha') lines.push(esm ? "import assert from 'node:assert/strict';" : "const assert = require('node:assert/strict');");
  lines.push(importSubject, '');
  let todos = 0;
  let checks = 0;
  // ava fails a whole file on a repeated test title: a repeat gets its owner's name, then a number.
  const used = new Set<string>();
  const unique = (title: string, owned: string): string => {
    if (f !== 'ava') return title;
    let t = used.has(title) ? owned : title;
    for (let n = 2; used.has(t); n++) t = `${owned} (${n})`;
    used.add(t);
    return t;
  };
  // A case whose expectation the code does not determine: the framework's own todo.
  const todo = (title: string, indent: string): string => {
    todos++;
    if (f === 'node:test') return `${indent}${block}(${q(title)}, { todo: true });`;
    if (f === 'mocha') return `${indent}${block}(${q(title)});`; // mocha: a test without a body is pending
    if (f === 'ava') return `${indent}test.todo(${q(title)});`;
    return `${indent}${block}.todo(${q(title)});`;
  };
  // Determined by the code: the symbol is exported with this kind.
  const check = (name: string, indent: string): string[] => {
    checks++;
    const title = q(`is exported as a ${'function'}`);
    const cond = `typeof ${name}`;
    if (f === 'ava') return [`${indent}test(${q(unique(`${name} is exported as a function`, `${name} is exported as a function`))}, (t) => {`, `${indent}  t.is(${cond}, 'function');`, `${indent}});`];
    const assertion = f === 'vitest' || f === 'jest' ? `expect(${cond}).toBe('function');` : `assert.equal(${cond}, 'function');`;
    return [`${indent}${block}(${conv.style === 'describe-it' ? title : q(`${name} is exported as a function`)}, () => {`, `${indent}  ${assertion}`, `${indent}});`];
  };
  const section = (title: string, cases: TestCase[], indent: string, prefix: string) => {
    if (conv.style === 'describe-it' && f !== 'ava') {
      lines.push(`${indent}describe(${q(title)}, () => {`);
      for (const c of cases) lines.push(todo(c.title, `${indent}  `));
      lines.push(`${indent}});`);
    } else for (const c of cases) lines.push(todo(`${prefix}${c.title}`, indent));
  };
  for (const t of targets) {
    if (conv.style === 'describe-it' && f !== 'ava') {
      lines.push(`describe(${q(t.name)}, () => {`);
      lines.push(...check(t.name, '  '));
      if (t.kind === 'class') {
        section('constructor', t.cases, '  ', '');
        for (const m of t.methods ?? []) section(`#${m.name}`, m.cases, '  ', '');
      } else for (const c of t.cases) lines.push(todo(c.title, '  '));
      lines.push('});', '');
    } else {
      lines.push(...check(t.name, ''));
      for (const c of t.cases) lines.push(todo(unique(c.title, `${t.name}: ${c.title}`), ''));
      for (const m of t.methods ?? []) for (const c of m.cases) lines.push(todo(unique(`${t.name}#${c.title}`, `${t.name}#${m.name}: ${c.title}`), ''));
      lines.push('');
    }
  }
  return { content: `${lines.join('\n').trimEnd()}\n`, todos, checks };
}

export async function generateTests(ctx: EngineContext, req: GenTestsRequest): Promise<GeneratedTests> {
  const conv = await detectConventions(ctx);
  if (!(await ctx.fs.stat(req.file))) throw new RustyError('not-found', `${req.file} does not exist in the workspace.`);
  await ctx.tick();
  const wp = await WorkspaceProject.load({ fs: ctx.fs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  let sf = wp.project.getSourceFile(wp.abs(req.file));
  if (!sf) {
    const bytes = await ctx.fs.read(req.file);
    sf = wp.project.createSourceFile(wp.abs(req.file), new TextDecoder().decode(bytes), { overwrite: true });
  }
  await ctx.tick();
  const targets = targetsOf(sf, wp.tsMorph, req.symbol);
  if (!targets.length) throw new RustyError('not-found', `${req.file} exports no function or class to test.`);
  const testPath = testPathFor(req.file, conv);
  if (await ctx.fs.stat(testPath)) throw new RustyError('refused', `${testPath} already exists; Rusty creates new test files only (move it aside or add cases by hand).`);
  const sampleText = conv.sample ? new TextDecoder().decode((await ctx.fs.read(conv.sample)) ?? new Uint8Array()) : '';
  const { content, todos, checks } = render(conv, targets, specifier(testPath, req.file, conv, sampleText));
  const what = req.symbol ? `${req.symbol} in ${req.file}` : req.file;
  return {
    conventions: conv, testPath, content, targets, todos, checks,
    changeSet: {
      title: `Add tests for ${what}`,
      rationale: `A ${conv.framework} test skeleton (${conv.evidence}) for ${targets.map((t) => t.name).join(', ')}: ${checks} checks the code determines and ${todos} todo cases whose expectations are left to you (boundary values, union members, optional parameters, thrown errors, branches).`,
      source: 'testgen',
      edits: [{ kind: 'create', path: testPath, content }],
    },
  };
}
