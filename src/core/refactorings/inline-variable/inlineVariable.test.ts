import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../util/hash';
import { fixture, refusal, type Fixture } from '../rename/testSupport';
import { INLINE_VARIABLE_SOURCE, inlineVariable, proposeInlineVariable, typeScriptHasInlineVariable } from './index';

let f: Fixture | undefined;
afterEach(() => {
  f?.cleanup();
  f = undefined;
});

const PRICES = [
  'export function price(base: number, qty: number) {',
  '  const subtotal = base * qty;',
  '  const total = subtotal + 1;',
  '  return { total, half: subtotal / 2 };',
  '}',
  '',
].join('\n');

describe('inline variable', () => {
  it('the bundled TypeScript has its "Inline variable" refactoring (else our own edits are used)', async () => {
    f = await fixture({ 'src/a.ts': 'export {};\n' });
    expect(typeScriptHasInlineVariable(f.wp.ts)).toBe(true);
  });

  it('inlines into two uses, parenthesized where needed, and removes the declaration', async () => {
    f = await fixture({ 'src/price.ts': PRICES });
    const before = f.ws.snapshot();
    const cs = await proposeInlineVariable({ project: f.wp }, { file: 'src/price.ts', at: f.pos('src/price.ts', 'subtotal') });
    expect(cs).toMatchObject({ title: 'Inline variable subtotal in src/price.ts', source: INLINE_VARIABLE_SOURCE });
    expect(cs.edits).toEqual([{ kind: 'modify', path: 'src/price.ts', baseHash: sha256(f.ws.bytes('src/price.ts')), content: expect.any(String) }]);
    expect(f.after(cs, 'src/price.ts')).toBe([
      'export function price(base: number, qty: number) {',
      '  const total = base * qty + 1;',
      '  return { total, half: base * qty / 2 };',
      '}',
      '',
    ].join('\n'));
    expect(cs.rationale).toMatch(/Replaces the 2 uses of `subtotal` \(const, declared at src\/price\.ts:2:9\) with its initializer `base \* qty`/);
    expect(f.ws.snapshot()).toEqual(before);
    expect(f.wp.changedEdits()).toEqual([]);
  });

  it('works from a use too, and into a shorthand property', async () => {
    f = await fixture({ 'src/price.ts': PRICES });
    const cs = await proposeInlineVariable({ project: f.wp }, { file: 'src/price.ts', at: f.pos('src/price.ts', 'total,') });
    expect(f.after(cs, 'src/price.ts')).toContain('  return { total: subtotal + 1, half: subtotal / 2 };');
    expect(f.after(cs, 'src/price.ts')).not.toContain('const total');
  });

  it('our own edits (for a TypeScript without the refactoring) give an equivalent, compiling result', async () => {
    f = await fixture({ 'src/price.ts': PRICES });
    const own = await inlineVariable({ project: f.wp }, { file: 'src/price.ts', at: f.pos('src/price.ts', 'subtotal') }, { engine: 'own' });
    expect(f.after(own, 'src/price.ts')).toBe([
      'export function price(base: number, qty: number) {',
      '  const total = base * qty + 1;',
      '  return { total, half: base * qty / 2 };',
      '}',
      '',
    ].join('\n'));
    const shorthand = await inlineVariable({ project: f.wp }, { file: 'src/price.ts', at: f.pos('src/price.ts', 'const total', 0, 6) }, { engine: 'own' });
    expect(f.after(shorthand, 'src/price.ts')).toContain('  return { total: subtotal + 1, half: subtotal / 2 };');
    // precedence: a lower-precedence initializer as an operand gets parentheses
    const sum = await fixture({ 'src/sum.ts': 'export function g(a: number, b: number) {\n  const s = a + b;\n  return s * 2 - (1 - s);\n}\n' });
    try {
      const cs = await inlineVariable({ project: sum.wp }, { file: 'src/sum.ts', at: sum.pos('src/sum.ts', 's =') }, { engine: 'own' });
      expect(sum.after(cs, 'src/sum.ts')).toBe('export function g(a: number, b: number) {\n  return (a + b) * 2 - (1 - (a + b));\n}\n');
    } finally {
      sum.cleanup();
    }
  });

  it('a side-effecting initializer used once, right where it ran', async () => {
    f = await fixture({ 'src/a.ts': "declare function load(): number;\nexport function f() {\n  const v = load();\n  return v + 1;\n}\n" });
    const cs = await proposeInlineVariable({ project: f.wp }, { file: 'src/a.ts', at: f.pos('src/a.ts', 'v =') });
    expect(f.after(cs, 'src/a.ts')).toContain('export function f() {\n  return load() + 1;\n}');
  });
});

describe('inline variable refuses', () => {
  const inline = (fx: Fixture, file: string, needle: string, nth = 0) => refusal(proposeInlineVariable({ project: fx.wp }, { file, at: fx.pos(file, needle, nth) }));

  it('exported, reassigned, never used, or used in a type', async () => {
    f = await fixture({
      'src/a.ts': [
        'export const limit = 10;',
        'const local = 1;',
        'export { local };',
        'export function f() {',
        '  let count = 0;',
        '  count += 1;',
        '  const unused = 2;',
        '  const shape = { a: 1 };',
        '  const copy: typeof shape = { a: 2 };',
        '  return count + copy.a;',
        '}',
        '',
      ].join('\n'),
    });
    expect(await inline(f, 'src/a.ts', 'limit')).toBe('`limit` is exported (src/a.ts:1:14); other modules may use it, so it cannot be inlined.');
    expect(await inline(f, 'src/a.ts', 'local')).toBe('`local` is exported at src/a.ts:3:10; other modules may use it, so it cannot be inlined.');
    expect(await inline(f, 'src/a.ts', 'count')).toBe('`count` is reassigned at src/a.ts:6:3; only a variable that keeps its initial value can be inlined.');
    expect(await inline(f, 'src/a.ts', 'unused')).toBe('`unused` (src/a.ts:7:9) is never used; there is nothing to inline (remove the declaration instead).');
    expect(await inline(f, 'src/a.ts', 'shape')).toBe('`shape` is used in a type (`typeof shape` at src/a.ts:9:22); a type cannot refer to an inlined expression.');
  });

  it('side effects or a fresh object with more than one use', async () => {
    f = await fixture({
      'src/a.ts': [
        'declare function use(...xs: unknown[]): void;',
        'export function f() {',
        '  const r = Math.random();',
        '  const o = { n: 1 };',
        '  use(o, o);',
        '  return r + r;',
        '}',
        '',
      ].join('\n'),
    });
    expect(await inline(f, 'src/a.ts', 'r =')).toBe('`r`\'s initializer has side effects (it calls `Math.random()`) and `r` is used 2 times (src/a.ts:6:10, src/a.ts:6:14); inlining would run it 2 times instead of once.');
    expect(await inline(f, 'src/a.ts', 'o =')).toBe('`o`\'s initializer creates an object literal each time it runs, and `o` is used 2 times (src/a.ts:5:7, src/a.ts:5:10); inlining would make 2 separate ones where the code now shares one.');
  });

  it('a side-effecting initializer that would run in a loop, a later function, a branch, or after other effects', async () => {
    f = await fixture({
      'src/a.ts': [
        'declare function load(): number;',
        'declare function log(s: string): void;',
        'export function loop(xs: number[]) {',
        '  const v = load();',
        '  for (const x of xs) log(String(x + v));',
        '}',
        'export function later() {',
        '  const v = load();',
        '  return () => v;',
        '}',
        'export function branch(c: boolean) {',
        '  const v = load();',
        '  if (c) return v;',
        '  return 0;',
        '}',
        'export function order() {',
        '  const v = load();',
        "  log('x');",
        '  return v;',
        '}',
        '',
      ].join('\n'),
    });
    expect(await inline(f, 'src/a.ts', 'v =', 0)).toMatch(/^`v`'s initializer has side effects \(it calls `load\(\)`\), and its use at src\/a\.ts:5:38 is inside a loop: inlined, it would run each time that loop runs instead of once\.$/);
    expect(await inline(f, 'src/a.ts', 'v =', 1)).toMatch(/its use at src\/a\.ts:9:16 is inside a nested function: inlined, it would run each time that function runs/);
    expect(await inline(f, 'src/a.ts', 'v =', 2)).toMatch(/its use at src\/a\.ts:13:17 is in a branch that may not run \(`if \(c\) return v;`\)/);
    expect(await inline(f, 'src/a.ts', 'v =', 3)).toMatch(/and `log\('x'\)` at src\/a\.ts:18:3 runs between the declaration and the use at src\/a\.ts:19:10: inlining would change their order/);
  });

  it('names that would mean something else at the use, `this` in another function, state that changes before the use', async () => {
    f = await fixture({
      'src/a.ts': [
        'const y = 1;',
        'const x = y + 1;',
        'export function shadow(y: number) {',
        '  return x + y;',
        '}',
        'export class C {',
        '  n = 1;',
        '  m() {',
        '    const self = this;',
        '    return function () { return self; };',
        '  }',
        '}',
        'export function mutable() {',
        '  let a = 1;',
        '  const b = a;',
        '  a = 2;',
        '  return a + b;',
        '}',
        'export function heap(xs: number[]) {',
        '  const n = xs.length;',
        '  xs.push(1);',
        '  return n;',
        '}',
        '',
      ].join('\n'),
    });
    expect(await inline(f, 'src/a.ts', 'x =')).toBe('`y` in the initializer of `x` would mean something else at src/a.ts:4:10 (the `y` declared at src/a.ts:3:24); inlining there would change what it refers to.');
    expect(await inline(f, 'src/a.ts', 'self =')).toBe('`self`\'s initializer uses `this`, which means something else at src/a.ts:10:33 (inside another function); it cannot be inlined there.');
    expect(await inline(f, 'src/a.ts', 'b =')).toBe('`b`\'s initializer reads `a`, which is reassigned at src/a.ts:16:3 before the use at src/a.ts:17:14; inlined, it would read the new value.');
    expect(await inline(f, 'src/a.ts', 'n =', 1)).toBe('`n`\'s initializer reads properties (`xs.length`), and `xs.push(1)` at src/a.ts:21:3 may change them before the use at src/a.ts:22:10; inlined, it could read different values.');
  });

  it('not a single plain variable with an initializer', async () => {
    f = await fixture({
      'src/a.ts': [
        "import { helper } from './b';",
        'export function f(p: number) {',
        '  var twice = 1;',
        '  var twice = 2;',
        '  const { a } = { a: p };',
        '  let later: number;',
        '  later = 3;',
        '  return twice + a + later + helper() + p;',
        '}',
        '',
      ].join('\n'),
      'src/b.ts': 'export function helper() { return 1; }\n',
    });
    expect(await inline(f, 'src/a.ts', 'helper')).toBe('`helper` at src/a.ts:1:10 is an import; only variables declared in this file can be inlined.');
    expect(await inline(f, 'src/a.ts', 'twice')).toBe('`twice` has 2 declarations; only a variable with a single declaration can be inlined.');
    expect(await inline(f, 'src/a.ts', '{ a }', 0, )).toMatch(/^There is no variable at src\/a\.ts:5:9/);
    expect(await inline(f, 'src/a.ts', 'a }')).toBe('`a` is a destructured binding, not a variable; only variables can be inlined.');
    expect(await inline(f, 'src/a.ts', 'later')).toBe('`later` has no initializer; there is no value to inline.');
    expect(await inline(f, 'src/a.ts', 'p:')).toBe('`p` is a parameter, not a variable; only variables can be inlined.');
    expect(await inline(f, 'src/a.ts', 'export')).toMatch(/^There is no variable at src\/a\.ts:2:1/);
  });

  it('a result that would not compile', async () => {
    f = await fixture({ 'src/a.ts': 'export function f() {\n  const xs: number[] = [];\n  return xs.concat(1);\n}\n' });
    expect(await inline(f, 'src/a.ts', 'xs')).toMatch(/^Inlining `xs` would introduce a compiler error: src\/a\.ts:\d+:\d+ TS2769 No overload matches this call/);
    expect(f.wp.changedEdits()).toEqual([]);
  });
});
