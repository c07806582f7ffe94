import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../util/hash';
import { fixture, refusal, type Fixture } from '../rename/testSupport';
import { EXTRACT_FUNCTION_SOURCE, proposeExtractFunction } from './index';
import { extractRangeScopes } from './candidates';

let f: Fixture | undefined;
afterEach(() => {
  f?.cleanup();
  f = undefined;
});

const TOTAL = [
  'export function total(items: number[], tax: number): number {',
  '  let sum = 0;',
  '  for (const i of items) {',
  '    sum += i;',
  '  }',
  '  const withTax = sum * (1 + tax);',
  '  return withTax;',
  '}',
  '',
  'export class Cart {',
  '  private rate = 2;',
  '  price(x: number) {',
  '    return x * this.rate + 1;',
  '  }',
  '}',
  '',
  'export function helper() { return 1; }',
  '',
].join('\n');

/** Range from the start of `from` to the end of `to` (1-based positions). */
function range(fx: Fixture, file: string, from: string, to: string) {
  return { start: fx.pos(file, from), end: fx.pos(file, to, 0, to.length) };
}

describe('extract function', () => {
  it('extracts statements with parameters and a return value into module scope, named as asked', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const before = f.ws.snapshot();
    const cs = await proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'let sum', 'const withTax = sum * (1 + tax);'), name: 'computeTotal' });
    expect(cs).toMatchObject({ title: 'Extract function computeTotal from src/total.ts:2–6', source: EXTRACT_FUNCTION_SOURCE });
    expect(cs.edits).toEqual([{ kind: 'modify', path: 'src/total.ts', baseHash: sha256(f.ws.bytes('src/total.ts')), content: expect.any(String) }]);
    const out = f.after(cs, 'src/total.ts');
    expect(out).toContain('export function total(items: number[], tax: number): number {\n  const withTax = computeTotal(items, tax);\n  return withTax;\n}');
    expect(out).toContain('function computeTotal(items: number[], tax: number) {\n  let sum = 0;\n  for (const i of items) {\n    sum += i;\n  }\n  const withTax = sum * (1 + tax);\n  return withTax;\n}');
    expect(out).not.toContain('newFunction');
    expect(cs.rationale).toMatch(/new function in module scope `computeTotal\(items: number\[\], tax: number\)`/);
    expect(f.ws.snapshot()).toEqual(before);
    expect(f.wp.changedEdits()).toEqual([]); // the shared project is back to the workspace's text
  });

  it('extracts into an inner scope (scope 0) and into a class as a method', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const inner = await proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'let sum', 'sum += i;\n  }'), name: 'accumulate', scope: 0 });
    expect(f.after(inner, 'src/total.ts')).toContain('  let sum = accumulate();\n  const withTax = sum * (1 + tax);\n  return withTax;\n\n  function accumulate() {\n    let sum = 0;');
    const method = await proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'x * this.rate', 'this.rate + 1'), name: 'scaled', scope: 1 });
    expect(f.after(method, 'src/total.ts')).toContain('    return this.scaled(x);\n  }\n\n  private scaled(x: number) {\n    return x * this.rate + 1;\n  }');
  });

  it('keeps the file\'s indentation and line endings', async () => {
    f = await fixture({ 'src/tabs.ts': 'export function f(a: number) {\r\n\tconst b = a * 2;\r\n\treturn b + 1;\r\n}\r\n' });
    const cs = await proposeExtractFunction({ project: f.wp }, { file: 'src/tabs.ts', ...range(f, 'src/tabs.ts', 'a * 2', 'a * 2'), name: 'double' });
    expect(f.after(cs, 'src/tabs.ts')).toBe('export function f(a: number) {\r\n\tconst b = double(a);\r\n\treturn b + 1;\r\n}\r\n\r\nfunction double(a: number) {\r\n\treturn a * 2;\r\n}\r\n');
  });

  it('is cancelled by the signal', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const ac = new AbortController();
    ac.abort();
    expect(await refusal(proposeExtractFunction({ project: f.wp, signal: ac.signal }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'let sum', 'let sum = 0;'), name: 'x' }), 'cancelled')).toMatch(/cancelled/i);
  });
});

describe('extract function refuses', () => {
  it('a range TypeScript cannot extract, with its reason', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const msg = await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', '(items', 'tax: number)'), name: 'x' }));
    expect(msg).toBe('TypeScript cannot extract a function from src/total.ts:1:22–1:52: Cannot extract range. Select whole statements, or one complete expression, inside a function or at module level.');
  });

  it('a scope TypeScript does not offer', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'let sum', 'let sum = 0;'), name: 'x', scope: 4 })))
      .toBe("Scope 4 is not offered for src/total.ts:2:3–2:15; TypeScript offers: 0 = inner function in function 'total', 1 = function in module scope.");
  });

  it('invalid names and names that collide in the target scope', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const r = range(f, 'src/total.ts', 'let sum', 'sum += i;\n  }');
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...r, name: '2x' }))).toMatch(/Cannot name the extracted function `2x`: `2x` is not a valid identifier/);
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...r, name: 'delete' }))).toMatch(/Cannot name the extracted function `delete`: `delete` is a reserved word/);
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...r, name: 'helper' })))
      .toMatch(/Cannot rename `newFunction` to `helper`: `helper` is already declared at src\/total\.ts:\d+:17, in the same scope/);
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...r, name: 'items', scope: 0 })))
      .toMatch(/`items` is already declared at src\/total\.ts:1:23, in the same scope/);
    expect(f.wp.changedEdits()).toEqual([]); // refused proposals leave the project as it was
  });

  it('an empty range or one outside the file', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const p = f.pos('src/total.ts', 'let sum');
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', start: p, end: p, name: 'x' }), 'usage')).toMatch(/is empty: the end must come after the start/);
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', start: p, end: { line: 2, column: 80 }, name: 'x' }), 'usage')).toMatch(/The end 2:80 is past the end of line 2/);
  });
});

describe('extract function keeps comments (issue 10)', () => {
  const SOURCE = [
    'export function build(flag: boolean): Record<string, string> {',
    '  // leading: before the first statement, inside the selection',
    '  const map: Record<string, string> = {',
    '    guid: "uuid",',
    '    regex: "", // do not set',
    '  };',
    '  /* block inside */',
    '  if (flag) map.extra = "x"; // trailing on a middle statement',
    '  map.last = "y"; // trailing: at the end of the selection',
    '  return map;',
    '}',
    '',
  ].join('\n');
  const COMMENTS = ['// leading: before the first statement, inside the selection', '// do not set', '/* block inside */', '// trailing on a middle statement', '// trailing: at the end of the selection'];

  it('keeps comments inside the range and at its edges, each once', async () => {
    f = await fixture({ 'src/build.ts': SOURCE });
    // From the leading comment's first column to the end of the trailing comment of the last statement.
    const start = f.pos('src/build.ts', '// leading');
    const end = f.pos('src/build.ts', '// trailing: at the end', 0, '// trailing: at the end of the selection'.length);
    const cs = await proposeExtractFunction({ project: f.wp }, { file: 'src/build.ts', start, end, name: 'fill' });
    const edit = cs.edits[0]!;
    const content = edit.kind === 'modify' ? edit.content : '';
    for (const comment of COMMENTS) expect(content.split(comment).length - 1, `${comment} in:\n${content}`).toBe(1);
    // The comments inside moved with the code into the new function; the last statement's trailing
    // comment too, and only there (TypeScript also left a copy after the call).
    const fill = content.slice(content.indexOf('function fill('));
    for (const comment of COMMENTS.slice(1)) expect(fill).toContain(comment);
    // Statement-aligned, as a hot-spot choice gives it (the leading comment is outside the range then): kept too.
    const aligned = await proposeExtractFunction({ project: f.wp }, { file: 'src/build.ts', start: f.pos('src/build.ts', 'const map'), end: f.pos('src/build.ts', 'map.last = "y";', 0, 'map.last = "y";'.length), name: 'fill' });
    const alignedText = aligned.edits[0]!.kind === 'modify' ? aligned.edits[0]!.content : '';
    for (const comment of COMMENTS) expect(alignedText.split(comment).length - 1, `${comment} in:\n${alignedText}`).toBe(1);
  });
});

describe('extract function scopes of a selection', () => {
  it('lists the scopes TypeScript accepts a selected expression into, innermost first; none for a half statement', async () => {
    f = await fixture({ 'src/total.ts': TOTAL });
    const { offered } = extractRangeScopes({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'x * this.rate + 1', 'x * this.rate + 1') });
    // `this` keeps it in the class: the default (module scope) is refused, so the extension asks.
    expect(offered.map((o) => o.description)).toEqual(["Extract to inner function in method 'price'", "Extract to method in class 'Cart'"]);
    expect(offered.map((o) => o.index)).toEqual([0, 1]);
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'x * this.rate + 1', 'x * this.rate + 1'), name: 'scaled' }))).toMatch(/does not offer to extract .* to module scope/);
    // The method extracts; TypeScript's inner function would lose `this`, which the type check refuses.
    const sel = range(f, 'src/total.ts', 'x * this.rate + 1', 'x * this.rate + 1');
    const cs = await proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...sel, name: 'scaled', scope: 1 });
    expect(f.after(cs, 'src/total.ts')).toContain('return this.scaled(x);');
    expect(await refusal(proposeExtractFunction({ project: f.wp }, { file: 'src/total.ts', ...sel, name: 'scaled', scope: 0 }))).toMatch(/TS2683/);
    const half = extractRangeScopes({ project: f.wp }, { file: 'src/total.ts', ...range(f, 'src/total.ts', 'sum += i;', 'const withTax') });
    expect(half.offered).toEqual([]);
    await expect(refusal(Promise.resolve().then(() => extractRangeScopes({ project: f!.wp }, { file: 'src/total.ts', start: { line: 2, column: 3 }, end: { line: 2, column: 3 } })), 'usage')).resolves.toMatch(/is empty/);
  });
});
