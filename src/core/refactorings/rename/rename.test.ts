import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../util/hash';
import { fixture, refusal, type Fixture } from './testSupport';
import { proposeRename, RENAME_PREFERENCES, RENAME_SOURCE } from './index';

let f: Fixture | undefined;
afterEach(() => {
  f?.cleanup();
  f = undefined;
});

const THREE_FILES = {
  'src/util.ts': [
    '/** formatName joins the parts of a name. */',
    'export function formatName(first: string, last: string): string {',
    '  return `${first} ${last}`;',
    '}',
    "export const label = 'formatName';",
    'export const twice = (a: string) => formatName(a, a);',
    '',
  ].join('\n'),
  'src/user.ts': "import { formatName } from './util';\r\nexport const greet = (u: { first: string; last: string }) => 'Hi ' + formatName(u.first, u.last);\r\n",
  'src/alias.ts': "import { formatName as fmt } from './util';\nexport const shout = fmt('a', 'b').toUpperCase();\n",
  'src/index.ts': "export { formatName } from './util';\nexport * from './user';\n",
  'src/consumer.ts': "import { formatName, greet } from './index';\nexport const x = formatName('q', 'r') + greet({ first: '', last: '' });\n",
};

/** Rename locations straight from the language service, as `file:start:length` → new text. */
function lsLocations(fx: Fixture, file: string, needle: string, nth = 0, newName = 'X', opts: { comments?: boolean; strings?: boolean } = {}): Map<string, string> {
  const sf = fx.wp.sourceFile(file);
  const pos = sf.getFullText().split(needle, nth + 1).join(needle).length;
  const locs = fx.wp.project.getLanguageService().compilerObject.findRenameLocations(sf.getFilePath(), pos, !!opts.strings, !!opts.comments, RENAME_PREFERENCES) ?? [];
  return new Map(locs.map((l) => [`${fx.wp.rel(l.fileName)}:${l.textSpan.start}:${l.textSpan.length}`, `${l.prefixText ?? ''}${newName}${l.suffixText ?? ''}`]));
}

describe('rename symbol', () => {
  it('renames an exported function across files: import, import alias, re-export (VS Code behaviour)', async () => {
    f = await fixture(THREE_FILES);
    const before = f.ws.snapshot();
    const cs = await proposeRename({ project: f.wp }, { file: 'src/util.ts', at: f.pos('src/util.ts', 'formatName(first'), newName: 'fullName' });
    expect(cs).toMatchObject({ title: 'Rename formatName → fullName', source: RENAME_SOURCE });
    expect(cs.rationale).toMatch(/6 locations in 4 files/);
    expect(cs.edits.map((e) => e.path)).toEqual(['src/alias.ts', 'src/index.ts', 'src/user.ts', 'src/util.ts']);
    for (const e of cs.edits) expect(e).toMatchObject({ kind: 'modify', baseHash: sha256(f.ws.bytes(e.path)) });
    expect(f.after(cs, 'src/util.ts')).toContain('export function fullName(first: string, last: string)');
    expect(f.after(cs, 'src/util.ts')).toContain('export const twice = (a: string) => fullName(a, a);');
    // comments and strings are left alone unless asked
    expect(f.after(cs, 'src/util.ts')).toContain('/** formatName joins');
    expect(f.after(cs, 'src/util.ts')).toContain("label = 'formatName'");
    // CRLF kept
    expect(f.after(cs, 'src/user.ts')).toBe("import { fullName } from './util';\r\nexport const greet = (u: { first: string; last: string }) => 'Hi ' + fullName(u.first, u.last);\r\n");
    // an aliased import keeps its local name; a re-export keeps its public name
    expect(f.after(cs, 'src/alias.ts')).toBe("import { fullName as fmt } from './util';\nexport const shout = fmt('a', 'b').toUpperCase();\n");
    expect(f.after(cs, 'src/index.ts')).toBe("export { fullName as formatName } from './util';\nexport * from './user';\n");
    expect(cs.edits.find((e) => e.path === 'src/consumer.ts')).toBeUndefined();
    expect(f.ws.snapshot()).toEqual(before); // nothing written
    expect(f.wp.changedEdits()).toEqual([]); // and the shared project is untouched
  });

  it('edits exactly the language service rename locations', async () => {
    f = await fixture(THREE_FILES);
    const expected = lsLocations(f, 'src/util.ts', 'formatName(first', 0, 'fullName');
    const cs = await proposeRename({ project: f.wp }, { file: 'src/util.ts', at: f.pos('src/util.ts', 'formatName(first'), newName: 'fullName' });
    // Re-apply the language service's locations to the original texts: the change set must be exactly that.
    const byFile = new Map<string, { start: number; length: number; text: string }[]>();
    for (const [key, text] of expected) {
      const [file, start, length] = key.split(':') as [string, string, string];
      byFile.set(file, [...(byFile.get(file) ?? []), { start: Number(start), length: Number(length), text }]);
    }
    expect([...byFile.keys()].sort()).toEqual(cs.edits.map((e) => e.path));
    for (const [file, locs] of byFile) {
      let text = f.ws.read(file).replace(/\r\n/g, '\n');
      for (const l of locs.sort((a, b) => b.start - a.start)) text = text.slice(0, l.start) + l.text + text.slice(l.start + l.length);
      expect(f.after(cs, file).replace(/\r\n/g, '\n')).toBe(text);
    }
  });

  it('renames in comments and strings when asked', async () => {
    f = await fixture(THREE_FILES);
    const cs = await proposeRename({ project: f.wp }, { file: 'src/util.ts', at: f.pos('src/util.ts', 'formatName(first'), newName: 'fullName', inComments: true, inStrings: true });
    expect(f.after(cs, 'src/util.ts')).toContain('/** fullName joins');
    expect(f.after(cs, 'src/util.ts')).toContain("label = 'fullName'");
    expect(cs.rationale).toMatch(/in comments or strings/);
  });

  it('renaming an import alias, or an imported name where it is used, renames only the local name', async () => {
    f = await fixture(THREE_FILES);
    const alias = await proposeRename({ project: f.wp }, { file: 'src/alias.ts', at: f.pos('src/alias.ts', 'fmt('), newName: 'format' });
    expect(alias.edits.map((e) => e.path)).toEqual(['src/alias.ts']);
    expect(f.after(alias, 'src/alias.ts')).toBe("import { formatName as format } from './util';\nexport const shout = format('a', 'b').toUpperCase();\n");
    const use = await proposeRename({ project: f.wp }, { file: 'src/user.ts', at: f.pos('src/user.ts', 'formatName(u'), newName: 'fmt' });
    expect(use.edits.map((e) => e.path)).toEqual(['src/user.ts']);
    expect(f.after(use, 'src/user.ts')).toContain("import { formatName as fmt } from './util';");
  });

  it('renames a default export like VS Code: the declaration, and default imports that used the same name', async () => {
    f = await fixture({
      'src/helper.ts': 'export default function helper(): number {\n  return 1;\n}\nexport const again = helper();\n',
      'src/same.ts': "import helper from './helper';\nexport const a = helper();\n",
      'src/other.ts': "import h from './helper';\nexport const b = h();\n",
    });
    const expected = lsLocations(f, 'src/helper.ts', 'helper()', 0, 'assist');
    const cs = await proposeRename({ project: f.wp }, { file: 'src/helper.ts', at: f.pos('src/helper.ts', 'helper()'), newName: 'assist' });
    expect(f.after(cs, 'src/helper.ts')).toBe('export default function assist(): number {\n  return 1;\n}\nexport const again = assist();\n');
    expect(cs.edits.find((e) => e.path === 'src/other.ts')).toBeUndefined();
    expect(new Set([...expected.keys()].map((k) => k.split(':')[0]))).toEqual(new Set(cs.edits.map((e) => e.path)));
    // renaming a default import's local name stays in that file
    const local = await proposeRename({ project: f.wp }, { file: 'src/other.ts', at: f.pos('src/other.ts', 'h()'), newName: 'helperFn' });
    expect(local.edits.map((e) => e.path)).toEqual(['src/other.ts']);
    expect(f.after(local, 'src/other.ts')).toBe("import helperFn from './helper';\nexport const b = helperFn();\n");
  });

  it('allows names that only shadow something unused, or live in a sibling scope', async () => {
    f = await fixture({
      'src/a.ts': 'export function f() {\n  const value = 1;\n  return value;\n}\nexport function g() {\n  const other = 2;\n  return other;\n}\n',
    });
    const sibling = await proposeRename({ project: f.wp }, { file: 'src/a.ts', at: f.pos('src/a.ts', 'value ='), newName: 'other' });
    expect(f.after(sibling, 'src/a.ts')).toContain('const other = 1;\n  return other;');
    const global = await proposeRename({ project: f.wp }, { file: 'src/a.ts', at: f.pos('src/a.ts', 'value ='), newName: 'Promise' });
    expect(f.after(global, 'src/a.ts')).toContain('const Promise = 1;');
  });

  it('renames class members and their uses', async () => {
    f = await fixture({
      'src/shape.ts': 'export class Shape {\n  area(): number { return 0; }\n}\nexport class Square extends Shape {\n  override area(): number { return this.side * this.side; }\n  side = 2;\n}\n',
      'src/use.ts': "import { Square } from './shape';\nexport const a = new Square().area();\n",
    });
    const cs = await proposeRename({ project: f.wp }, { file: 'src/shape.ts', at: f.pos('src/shape.ts', 'area'), newName: 'surface' });
    expect(f.after(cs, 'src/shape.ts')).toContain('  surface(): number { return 0; }');
    expect(f.after(cs, 'src/shape.ts')).toContain('override surface(): number');
    expect(f.after(cs, 'src/use.ts')).toContain('new Square().surface()');
  });

  it('renames private names (#x) only to private names', async () => {
    f = await fixture({ 'src/c.ts': 'export class Counter {\n  #count = 0;\n  #step = 1;\n  inc() { this.#count += this.#step; return this.#count; }\n}\n' });
    const cs = await proposeRename({ project: f.wp }, { file: 'src/c.ts', at: f.pos('src/c.ts', '#count'), newName: '#total' });
    expect(f.after(cs, 'src/c.ts')).toBe('export class Counter {\n  #total = 0;\n  #step = 1;\n  inc() { this.#total += this.#step; return this.#total; }\n}\n');
    expect(await refusal(proposeRename({ project: f.wp }, { file: 'src/c.ts', at: f.pos('src/c.ts', '#count'), newName: 'total' }))).toMatch(/`total` must start with #/);
    expect(await refusal(proposeRename({ project: f.wp }, { file: 'src/c.ts', at: f.pos('src/c.ts', '#count'), newName: '#step' }))).toMatch(/Class `Counter` already has a member `#step`/);
  });

  it('is cancelled by the signal', async () => {
    f = await fixture(THREE_FILES);
    const ac = new AbortController();
    ac.abort();
    expect(await refusal(proposeRename({ project: f.wp, signal: ac.signal }, { file: 'src/util.ts', at: f.pos('src/util.ts', 'formatName('), newName: 'x' }), 'cancelled')).toMatch(/^Cancelled: Rename stopped/);
  });
});

describe('rename symbol refuses', () => {
  const rename = (fx: Fixture, file: string, needle: string, newName: string, nth = 0, offset = 0) =>
    refusal(proposeRename({ project: fx.wp }, { file, at: fx.pos(file, needle, nth, offset), newName }));

  it('invalid identifiers, reserved words and built-in type names', async () => {
    f = await fixture({ ...THREE_FILES, 'src/types.ts': 'export interface Point { x: number }\nexport class Box { value = 1 }\n' });
    expect(await rename(f, 'src/util.ts', 'formatName(', '1st')).toMatch(/`1st` is not a valid identifier \(ES2022\)/);
    expect(await rename(f, 'src/util.ts', 'formatName(', 'full-name')).toMatch(/`full-name` is not a valid identifier/);
    expect(await rename(f, 'src/util.ts', 'formatName(', 'full name')).toMatch(/not a valid identifier/);
    expect(await rename(f, 'src/util.ts', 'formatName(', '')).toMatch(/The new name is empty/);
    expect(await rename(f, 'src/util.ts', 'formatName(', 'class')).toMatch(/`class` is a reserved word/);
    expect(await rename(f, 'src/util.ts', 'formatName(', 'let')).toMatch(/`let` is reserved in strict mode/);
    expect(await rename(f, 'src/util.ts', 'formatName(', 'await')).toMatch(/`await` is reserved/);
    expect(await rename(f, 'src/util.ts', 'first', 'arguments')).toMatch(/`arguments` cannot be declared in strict mode/);
    expect(await rename(f, 'src/types.ts', 'Point', 'string')).toMatch(/`string` is a built-in type name/);
    expect(await rename(f, 'src/types.ts', 'value', 'constructor')).toMatch(/`constructor` is the name of the class constructor/);
    expect(await rename(f, 'src/util.ts', 'formatName(', 'formatName')).toMatch(/already called `formatName`/);
    // a property may be called by a reserved word (obj.default is fine)
    const ok = await proposeRename({ project: f.wp }, { file: 'src/types.ts', at: f.pos('src/types.ts', 'value'), newName: 'default' });
    expect(f.after(ok, 'src/types.ts')).toContain('default = 1');
  });

  it('positions without a symbol, outside the file, or in a file outside the project', async () => {
    f = await fixture(THREE_FILES);
    expect(await rename(f, 'src/util.ts', 'function', 'x')).toMatch(/There is no symbol to rename at src\/util\.ts:2:8 \(found `function`\)/);
    expect(await rename(f, 'src/util.ts', 'joins', 'x')).toMatch(/There is no symbol to rename at src\/util\.ts:1:/);
    expect(await refusal(proposeRename({ project: f.wp }, { file: 'src/util.ts', at: { line: 99, column: 1 }, newName: 'x' }), 'usage')).toMatch(/past the end of src\/util\.ts \(7 lines\)/);
    expect(await refusal(proposeRename({ project: f.wp }, { file: 'src/util.ts', at: { line: 1, column: 0 }, newName: 'x' }), 'usage')).toMatch(/lines and columns start at 1/);
    expect(await refusal(proposeRename({ project: f.wp }, { file: 'src/nope.ts', at: { line: 1, column: 1 }, newName: 'x' }), 'not-found')).toMatch(/not part of the TypeScript project/);
  });

  it('symbols declared in the TypeScript library or in node_modules', async () => {
    f = await fixture({
      'src/a.ts': "import { thing, type PkgShape } from 'pkg';\nexport const p = Promise.resolve(1);\nconsole.log(thing);\nexport const s = (v: PkgShape) => v.size;\n",
      'node_modules/pkg/package.json': JSON.stringify({ name: 'pkg', version: '1.0.0', types: 'index.d.ts' }),
      'node_modules/pkg/index.d.ts': 'export declare const thing: number;\nexport interface PkgShape { size: number }\n',
    });
    expect(await rename(f, 'src/a.ts', 'Promise', 'P')).toMatch(/`Promise` is declared in TypeScript's standard library/);
    expect(await rename(f, 'src/a.ts', 'log', 'print')).toMatch(/`log` is declared in TypeScript's standard library/);
    expect(await rename(f, 'src/a.ts', 'size', 'length')).toMatch(/`size` is declared in a node_modules package/);
  });

  it('a name already declared in the same scope (locals, parameters, module level)', async () => {
    f = await fixture({
      'src/a.ts': 'export function f(a: number, b: number) {\n  let c = a;\n  let d = b;\n  return c + d;\n}\nexport function g(p: number) {\n  const q = p;\n  return q;\n}\nconst top = 1;\nconst other = 2;\nexport const sum = top + other;\n',
    });
    expect(await rename(f, 'src/a.ts', 'c =', 'd')).toMatch(/`d` is already declared at src\/a\.ts:3:7, in the same scope/);
    expect(await rename(f, 'src/a.ts', 'a:', 'b')).toMatch(/`b` is already declared at src\/a\.ts:1:30, in the same scope as the renamed `a`/);
    expect(await rename(f, 'src/a.ts', 'q =', 'p')).toMatch(/`p` is already declared at src\/a\.ts:6:19, in the same scope/);
    expect(await rename(f, 'src/a.ts', 'top', 'other')).toMatch(/`other` is already declared at src\/a\.ts:11:7/);
  });

  it('a clashing name spelled with escapes (the fast path that skips files without the name must not miss it)', async () => {
    f = await fixture({
      'src/a.ts': 'const b\\u0061r = 1;\nexport const foo = b\\u0061r + 1;\nexport function g() {\n  const x = 2;\n  return x + b\\u0061r;\n}\n',
    });
    expect(await rename(f, 'src/a.ts', 'foo', 'bar')).toMatch(/`bar` is already declared at src\/a\.ts:1:7, in the same scope as the renamed `foo`/);
    expect(await rename(f, 'src/a.ts', 'x =', 'bar')).toMatch(/`bar` at src\/a\.ts:5:14 refers to the `bar` declared at src\/a\.ts:1:7; after the rename the renamed `x`/);
  });

  it('shadowing: an inner declaration would capture a use, or the renamed one would capture an outer use', async () => {
    f = await fixture({
      'src/a.ts': [
        'const total = 1;',
        'export function g() {',
        '  const sum = 2;',
        '  return total + sum;',
        '}',
        'const count = 3;',
        'export function h() {',
        '  let size = 4;',
        '  return size + count;',
        '}',
        'export function t() {',
        '  const delay = 5;',
        '  setTimeout(() => delay, 0);',
        '}',
        '',
      ].join('\n'),
    });
    expect(await rename(f, 'src/a.ts', 'total', 'sum')).toMatch(/At src\/a\.ts:4:10, `sum` would refer to the `sum` declared at src\/a\.ts:3:9 \(an inner scope\)/);
    expect(await rename(f, 'src/a.ts', 'size', 'count')).toMatch(/`count` at src\/a\.ts:9:17 refers to the `count` declared at src\/a\.ts:6:7; after the rename the renamed `size`/);
    expect(await rename(f, 'src/a.ts', 'delay', 'setTimeout')).toMatch(/`setTimeout` at src\/a\.ts:13:3 refers to the `setTimeout` declared in lib\..*\.d\.ts/);
  });

  it('module exports: a re-exporting index or an importing module that would see two exports with the name', async () => {
    f = await fixture({
      'src/a.ts': 'export function parse(s: string) { return s; }\n',
      'src/b.ts': 'export function read(s: string) { return s; }\n',
      'src/index.ts': "export * from './a';\nexport * from './b';\n",
      'src/use.ts': "import { parse } from './a';\nimport { read } from './b';\nexport const x = parse(read('1'));\n",
      'src/c.ts': 'export function load() { return 1; }\nconst hidden = 2;\nexport { hidden as store };\n',
    });
    const msg = await rename(f, 'src/a.ts', 'parse', 'read');
    expect(msg).toMatch(/`read` is already declared at src\/use\.ts:2:10, in the same scope as the renamed `parse` \(src\/use\.ts:1:10\)/);
    expect(msg).toMatch(/src\/index\.ts already exports `read` \(declared at src\/b\.ts:1:17\)/);
    expect(await rename(f, 'src/c.ts', 'load', 'store')).toMatch(/src\/c\.ts already exports `store`/);
  });

  it('members: the class (own or inherited), interface or object type already has one', async () => {
    f = await fixture({
      'src/m.ts': [
        'export class Base { reset() {} }',
        'export class Counter extends Base {',
        '  count = 0;',
        '  increment() { this.count++; }',
        '}',
        'export interface Options { verbose: boolean; quiet: boolean }',
        'export const o: Options = { verbose: true, quiet: false };',
        'export const v = o.verbose;',
        '',
      ].join('\n'),
    });
    expect(await rename(f, 'src/m.ts', 'count =', 'increment')).toMatch(/Class `Counter` already has a member `increment` \(declared at src\/m\.ts:4:3\)/);
    expect(await rename(f, 'src/m.ts', 'increment', 'reset')).toMatch(/Class `Counter` already inherits a member `reset` \(declared at src\/m\.ts:1:21\)/);
    expect(await rename(f, 'src/m.ts', 'verbose', 'quiet')).toMatch(/Interface `Options` already has a member `quiet`/);
  });

  it('a lowercase name for a JSX component', async () => {
    f = await fixture({
      'src/app.tsx': 'function Card() { return <div />; }\nexport const app = <Card />;\n',
      'src/jsx.d.ts': 'declare namespace JSX { interface IntrinsicElements { [name: string]: unknown } interface Element {} }\ndeclare module "react/jsx-runtime" { export const jsx: any; export const jsxs: any; export const Fragment: any; }\n',
    });
    expect(await rename(f, 'src/app.tsx', 'Card', 'card')).toMatch(/JSX would treat <card> at src\/app\.tsx:2:21 as an HTML element/);
  });

  it('an import that would clash with another import of the same name, whatever each one means', async () => {
    f = await fixture({
      'src/types.ts': 'export interface Notice { text: string }\nexport function notify(n: Notice) { return n.text; }\n',
      'src/use.ts': "import type { Notice } from './types';\nimport { notify } from './types';\nexport const n: Notice = { text: '' };\nexport const r = notify(n);\n",
    });
    expect(await rename(f, 'src/use.ts', 'Notice = ', 'notify')).toMatch(/`notify` is already declared at src\/use\.ts:2:10, in the same scope as the renamed `Notice`/);
  });

  it('a member that some code has only structurally (TypeScript renames through declared types)', async () => {
    f = await fixture({
      'src/clock.ts': 'export interface Clock { now(): number }\ninterface Delegating extends Clock { delegate: Clock | undefined }\nexport const clock: Delegating = {\n  now() { return (clock.delegate || Date).now(); },\n  delegate: undefined,\n};\n',
    });
    expect(await rename(f, 'src/clock.ts', 'now', 'stamp')).toMatch(/^Renaming the member `now` to `stamp` would break the build: src\/clock\.ts:4:45 TS2339 Property 'stamp' does not exist on type 'Clock \| DateConstructor'/);
  });

  it('a `this` parameter', async () => {
    f = await fixture({ 'src/a.ts': 'export function f(this: { n: number }, k: number) { return this.n + k; }\n' });
    expect(await rename(f, 'src/a.ts', 'this', 'self')).toMatch(/is a `this` parameter/);
  });
});

describe('rename symbol does not refuse', () => {
  it('a re-exported name kept by an alias, or a name mentioned in JSDoc links', async () => {
    f = await fixture({
      'src/a.ts': "import base from './base';\nlet other = base;\n/** Same as {@link base}. */\nexport { base };\nexport const o = other;\n",
      'src/base.ts': 'export default function base() { return 1; }\n',
    });
    // Renaming the import keeps the public name: `export { other as base }` would clash only if the local use were renamed.
    const cs = await proposeRename({ project: f.wp }, { file: 'src/a.ts', at: f.pos('src/a.ts', 'base', 0, 0), newName: 'baseFn' });
    expect(f.after(cs, 'src/a.ts')).toContain('export { baseFn as base };');
    expect(f.after(cs, 'src/a.ts')).toContain('let other = baseFn;');
  });
});
