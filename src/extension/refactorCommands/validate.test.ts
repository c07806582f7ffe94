import { describe, expect, it } from 'vitest';
import { exportedNameOnLine, identifierProblem, moveTargetProblem, normalizeTarget } from './validate';

describe('identifierProblem', () => {
  it('accepts identifiers, including unicode, $ and _', () => {
    for (const name of ['total', '_x', '$el', 'café', 'x1', 'Ünïcode']) expect(identifierProblem(name)).toBeUndefined();
    expect(identifierProblem('#count', '#total')).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(identifierProblem('')).toBe('Type a name.');
    expect(identifierProblem(' x')).toBe('A name cannot start or end with spaces.');
    expect(identifierProblem('1abc')).toBe('`1abc` starts with a digit; a name must start with a letter, $ or _.');
    expect(identifierProblem('a-b')).toBe('`a-b` is not a valid identifier (it contains "-").');
    expect(identifierProblem('class')).toBe('`class` is a reserved word.');
    expect(identifierProblem('total', 'total')).toBe('The name is already `total`.');
    expect(identifierProblem('#x', 'x')).toMatch(/private class member/);
    expect(identifierProblem('x', '#x')).toMatch(/keeps its # prefix/);
  });
});

describe('moveTargetProblem', () => {
  it('accepts a new workspace-relative source path', () => {
    expect(moveTargetProblem('src/a.ts', 'src/util/a.ts')).toBeUndefined();
    expect(moveTargetProblem('src/a.ts', './lib\\b.tsx')).toBeUndefined();
    expect(normalizeTarget(' ./lib\\b.tsx ')).toBe('lib/b.tsx');
  });

  it('explains what is wrong', () => {
    expect(moveTargetProblem('src/a.ts', '  ')).toMatch(/Type the new path/);
    expect(moveTargetProblem('src/a.ts', '/tmp/a.ts')).toMatch(/not an absolute one/);
    expect(moveTargetProblem('src/a.ts', '../a.ts')).toMatch(/inside the workspace folder/);
    expect(moveTargetProblem('src/a.ts', 'src/lib/')).toMatch(/must name a file/);
    expect(moveTargetProblem('src/a.ts', 'src/a.txt')).toMatch(/TypeScript or JavaScript extension/);
    expect(moveTargetProblem('src/a.ts', './src/a.ts')).toBe('That is where the file already is.');
  });
});

describe('exportedNameOnLine', () => {
  it('finds the declared name of an export', () => {
    expect(exportedNameOnLine('export function helper(a: number) {')).toBe('helper');
    expect(exportedNameOnLine('  export async function* gen() {')).toBe('gen');
    expect(exportedNameOnLine('export const LIMIT = 3;')).toBe('LIMIT');
    expect(exportedNameOnLine('export abstract class Base {}')).toBe('Base');
    expect(exportedNameOnLine('export type Id = string;')).toBe('Id');
    expect(exportedNameOnLine('export default function () {}')).toBeUndefined();
    expect(exportedNameOnLine('const x = 1;')).toBeUndefined();
  });
});
