import { describe, expect, it } from 'vitest';
import { loadTsMorph } from '../util/loadTsMorph';
import { entryPointsOf, packageDirsFor, sourceForTarget } from './entryPoints';
import { diffDiagnostics } from './typeCheck';
import { diffDeclarations, parse } from './symbols';
import { assessRisk, levelOf } from './risk';
import { isTestFile, roleOf } from './classify';
import { sampleImpactReport } from './fixtures';

describe('entry points', () => {
  const files = new Set(['src/index.ts', 'src/operators/index.ts', 'src/internal/x.ts', 'lib/main.ts', 'packages/a/src/index.ts']);
  const exists = (rel: string) => files.has(rel);
  it('maps build output named by package.json back to the source file', () => {
    expect(sourceForTarget('', './dist/types/operators/index.d.ts', exists)).toBe('src/operators/index.ts');
    expect(sourceForTarget('', 'index.d.ts', exists)).toBe('src/index.ts');
    expect(sourceForTarget('', './dist/cjs/index.js', exists)).toBe('src/index.ts');
    expect(sourceForTarget('', 'lib/main.ts', exists)).toBe('lib/main.ts');
    expect(sourceForTarget('', '../outside.js', exists)).toBeUndefined();
  });
  it('reads types/main/exports (skipping wildcards), else falls back to index.ts', () => {
    const pkg = JSON.stringify({ types: 'index.d.ts', exports: { '.': { types: './dist/types/index.d.ts' }, './operators': { default: './dist/esm/operators/index.js' }, './internal/*': './dist/internal/*.js' } });
    expect(entryPointsOf('', pkg, exists)).toEqual(['src/index.ts', 'src/operators/index.ts']);
    expect(entryPointsOf('', '{ not json', exists)).toEqual(['src/index.ts']);
    expect(entryPointsOf('packages/a', undefined, exists)).toEqual(['packages/a/src/index.ts']);
  });
  it('finds the nearest package of each file (monorepos)', () => {
    expect(packageDirsFor(['packages/a/src/x.ts', 'src/y.ts'], (d) => d === 'packages/a')).toEqual(['', 'packages/a']);
  });
});

describe('type-check delta matching', () => {
  const d = (file: string, line: number, code: number, message = 'm') => ({ file, line, code, message });
  it('matches by file, code and message as multisets, ignoring lines', () => {
    const before = [d('a.ts', 1, 1), d('a.ts', 5, 1), d('b.ts', 2, 2)];
    const after = [d('a.ts', 3, 1), d('b.ts', 9, 2), d('b.ts', 10, 2), d('c.ts', 1, 3)];
    expect(diffDiagnostics(before, after)).toEqual({ introduced: [d('b.ts', 10, 2), d('c.ts', 1, 3)], removed: [d('a.ts', 5, 1)] });
  });
});

describe('changed declarations', () => {
  it('finds added, removed, modified and comment-only declarations, with class members', async () => {
    const { ts } = await loadTsMorph();
    const before = parse(ts, 'a.ts', [
      'export function f(a: number) { return a; }',
      'function g() { return 1; }',
      'export class C {',
      '  m() { return 1; }',
      '  n() { return 2; }',
      '}',
      'const k = 1, j = 2;',
      'export { k };',
      'export type T = string;',
    ].join('\n'));
    const after = parse(ts, 'a.ts', [
      'export function f(a: number) {',
      '  // same tokens',
      '  return a;',
      '}',
      'export class C {',
      '  m() { return 2; }',
      '  n() { return 2; }',
      '}',
      'const k = 1, j = 3;',
      'export { k };',
      'export type T = number;',
      'export const added = true;',
    ].join('\n'));
    const diff = diffDeclarations(ts, { beforePath: 'a.ts', afterPath: 'a.ts', before, after });
    expect(diff.map((s) => `${s.change} ${s.kind} ${s.name}${s.exported ? ' exported' : ''}${s.commentsOnly ? ' comments-only' : ''}`).sort()).toEqual([
      'added variable added exported',
      'modified function f exported comments-only',
      'modified method C.m exported',
      'modified type T exported',
      'modified variable j',
      'removed function g',
    ]);
    expect(diff.find((s) => s.name === 'g')!.before).toEqual({ file: 'a.ts', pos: expect.any(Number) });
  });
});

describe('risk', () => {
  it('is the capped sum of its reasons, with levels at 20 and 40', () => {
    expect([0, 19, 20, 39, 40, 100].map(levelOf)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
    const r = assessRisk(sampleImpactReport({ files: [{ path: 'src/math.ts', kind: 'delete', role: 'code' }, { path: 'tsconfig.json', kind: 'modify', role: 'config' }], tests: [] }));
    expect(r.reasons.map((x) => `${x.id} +${x.points}`)).toEqual(['type-errors +40', 'public-api +30', 'references +5', 'no-tests +15', 'deletes-files +10', 'config +20']);
    expect(r).toMatchObject({ score: 100, level: 'high' });
  });
});

describe('file roles', () => {
  it('recognizes tests, code and configuration', () => {
    expect(['a.test.ts', 'a.spec.tsx', 'x/__tests__/a.ts', 'spec/map-spec.ts', 'a_test.js'].map((f) => isTestFile(f))).toEqual([true, true, true, true, true]);
    expect(['src/testing.ts', 'src/contest.ts', 'README.md'].map((f) => isTestFile(f))).toEqual([false, false, false]);
    expect(['src/a.ts', 'tsconfig.build.json', 'package.json', 'docs/a.md'].map((f) => roleOf(f))).toEqual(['code', 'config', 'config', 'other']);
  });
});
