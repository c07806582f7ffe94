import { describe, expect, it } from 'vitest';
import { isTestGenSource, symbolAt, testLensTargets } from './lensTargets';

const TEXT = [
  "import { x } from './x';",
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  'export async function load<T>(id: string): Promise<T> { return x(id); }',
  'export default class Shape {}',
  'export abstract class Base<T> {',
  '}',
  'export const twice = (n: number) => n * 2;',
  'export const fetcher: Fetch = async (url) => fetch(url);',
  'export const one = x => x;',
  'export const LIMIT = 3;',
  'export type T = string;',
  'export interface I {}',
  '/*',
  'export function commented() {}',
  '*/',
  '  export function nested() {}',
  'function local() {}',
  'export { local };',
  'export default function () {}',
].join('\n');

describe('Generate tests lens targets', () => {
  it('finds exported functions, classes and function-valued consts, with their lines and export names', () => {
    expect(testLensTargets(TEXT)).toEqual([
      { line: 1, symbol: 'add', name: 'add', kind: 'function' },
      { line: 4, symbol: 'load', name: 'load', kind: 'function' },
      { line: 5, symbol: 'default', name: 'Shape', kind: 'class' },
      { line: 6, symbol: 'Base', name: 'Base', kind: 'class' },
      { line: 8, symbol: 'twice', name: 'twice', kind: 'function' },
      { line: 9, symbol: 'fetcher', name: 'fetcher', kind: 'function' },
      { line: 10, symbol: 'one', name: 'one', kind: 'function' },
      { line: 20, symbol: 'default', name: 'default', kind: 'function' },
    ]);
  });

  it('picks the symbol from the word at the cursor, else the declaration on the line, else the whole file', () => {
    const t = testLensTargets(TEXT);
    expect(symbolAt(t, 'Shape', 0)).toBe('default');
    expect(symbolAt(t, 'twice', 30)).toBe('twice');
    expect(symbolAt(t, 'number', 1)).toBe('add');
    expect(symbolAt(t, 'return', 2)).toBeUndefined();
  });

  it('accepts TS/JS sources, not tests, declarations or dependencies', () => {
    expect(['src/a.ts', 'src/a.mjs', 'src/b.tsx', 'lib/c.cjs'].every(isTestGenSource)).toBe(true);
    expect(['src/a.test.ts', 'src/a.spec.mjs', 'src/a.d.ts', 'node_modules/x/a.js', 'README.md'].some(isTestGenSource)).toBe(false);
  });
});
