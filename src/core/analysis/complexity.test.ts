import * as fs from 'node:fs';
import * as path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { loadTsMorph } from '../util/loadTsMorph';
import { fetchRealPackage } from '../testing/realCode';
import { measureFunctions } from './complexity';
import { extractFacts } from './facts';

const FIXTURE = `export function simple(a: number) {
  return a + 1;
}
export function branches(a: number, b?: string) {
  if (a > 0 && b) {
    return 1;
  } else if (a < 0 || b === undefined) {
    return 2;
  }
  for (const x of [1, 2]) {
    while (x > a) a++;
  }
  switch (a) {
    case 1: return 3;
    case 2: return 4;
    default: return 5;
  }
}
export const arrow = (x = 1, { y = 2 } = {}) => x ?? y;
export class Box {
  items: number[] = [];
  method(o?: { a?: { b: number } }) {
    try {
      return o?.a?.b;
    } catch {
      return 0;
    }
  }
  get size() {
    return this.items.length > 0 ? 1 : 0;
  }
  constructor() {}
}
export function outer(n: number) {
  const inner = () => (n > 1 ? 'a' : 'b');
  if (n) return inner();
  return '';
}
export function loops(o: Record<string, number>, n: number) {
  let s = 0;
  for (let i = 0; i < n; i++) s += i;
  for (const k in o) s += o[k]!;
  do {
    s--;
  } while (s > 100);
  let t: number | undefined;
  t ??= 1;
  t ||= 2;
  t &&= 3;
  return s + t;
}
[1, 2].map(function (v) { return v ? v : 0; });
`;

async function measure(text: string, file = '/fixture.ts') {
  const { ts } = await loadTsMorph();
  return measureFunctions(ts, ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false));
}

/**
 * ESLint's own `complexity` rule on the same text: "line complexity" for every function. (ESLint
 * also scores class field initializers; they are not functions, so the analysis leaves them out.)
 */
function eslintComplexities(text: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(text, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser }, rules: { complexity: ['error', { max: 0 }] } }], 'fixture.ts');
  return messages.filter((m) => !m.message.startsWith('Class field initializer')).map((m) => {
    const n = /complexity of (\d+)/.exec(m.message);
    if (!n) throw new Error(`unexpected ESLint message: ${m.message}`);
    return `${m.line} ${n[1]}`;
  }).sort();
}

describe('function size and cyclomatic complexity', () => {
  it('counts each function as hand-checked, names it, and gives its span', async () => {
    const fns = await measure(FIXTURE);
    expect(fns.map((f) => `${f.name}@${f.line}+${f.lines}=${f.complexity}`)).toEqual([
      'simple@1+3=1',
      'branches@4+15=9', // if, &&, else-if, ||, for-of, while, 2 cases
      'arrow@19+1=5', // x = 1, { … } = {}, y = 2, ??
      'Box.method@22+7=4', // ?., ?., catch
      'get Box.size@29+3=2', // ?:
      'Box.constructor@32+1=1',
      'outer@34+5=2', // if (the nested arrow is measured on its own)
      'inner@35+1=2',
      'loops@39+13=7', // for, for-in, do-while, ??=, ||=, &&=
      '[1, 2].map callback@52+1=2',
    ]);
  });

  it('agrees with ESLint’s complexity rule on the fixture and on real rxjs code', async () => {
    const ours = (fns: Awaited<ReturnType<typeof measure>>) => fns.map((f) => `${f.line} ${f.complexity}`).sort();
    expect(ours(await measure(FIXTURE))).toEqual(eslintComplexities(FIXTURE));
    const rxjs = fetchRealPackage('rxjs', '7.8.2');
    const { ts } = await loadTsMorph();
    for (const rel of ['src/internal/ajax/ajax.ts', 'src/internal/testing/TestScheduler.ts', 'src/internal/Subscriber.ts', 'src/internal/operators/mergeInternals.ts']) {
      const text = fs.readFileSync(path.join(rxjs.root, rel), 'utf8');
      const alone = await measure(text, `/${rel}`);
      expect(ours(alone), rel).toEqual(eslintComplexities(text));
      // The analysis measures during its one walk of the file: the same result.
      expect(extractFacts(ts, ts.createSourceFile(`/${rel}`, text, ts.ScriptTarget.Latest, false)).functions, rel).toEqual(alone);
    }
  }, 120_000);
});

describe('names of unnamed functions', () => {
  it('names them by kind and line inside their container, like VS Code’s outline', async () => {
    const text = `export function parse(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0) + [1].filter(function (x) { return !!x; }).length + (() => 1)();
}
(() => {
  [1].forEach((x) => x);
})();
export class Box {
  field = (() => 2)();
  run() {
    return (function () { return 3; })();
  }
}
export default () => 4;
`;
    expect((await measure(text)).map((f) => `${f.name}@${f.line}`)).toEqual([
      'parse@1',
      'xs.reduce callback@2',
      '[1].filter callback@2',
      'parse › arrow@2@2',
      'arrow@4@4',
      '[1].forEach callback@5',
      'Box › arrow@8@8',
      'Box.run@9',
      'Box.run › function@10@10',
      'default@13',
    ]);
  });

  it('leaves no `<anonymous>` in real code (rxjs)', async () => {
    const rxjs = fetchRealPackage('rxjs', '7.8.2');
    let unnamed = 0;
    for (const rel of ['src/internal/ajax/ajax.ts', 'src/internal/testing/TestScheduler.ts', 'src/internal/observable/dom/WebSocketSubject.ts']) {
      const fns = await measure(fs.readFileSync(path.join(rxjs.root, rel), 'utf8'), `/${rel}`);
      expect(fns.filter((f) => f.name.includes('<anonymous>')), rel).toEqual([]);
      unnamed += fns.filter((f) => /(?:arrow|function)@\d+$/.test(f.name)).length;
    }
    expect(unnamed).toBeGreaterThan(0);
  }, 120_000);
});
