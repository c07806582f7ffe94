// What kind of file a path is, for the impact analysis. Pure and cheap: deciding that a change
// set touches no TypeScript/JavaScript must not load ts-morph.
import type { ChangeSet } from '../proposals/changeSet';
import type { ImpactFile } from './types';

const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/** Test files: `*.test.ts`, `*.spec.ts` (and -spec/_test variants, any JS/TS extension), anything under `__tests__/`. */
export const DEFAULT_TEST_PATTERNS: readonly RegExp[] = [
  /(?:^|\/)__tests__\//,
  /[._-](?:test|spec)\.(?:[cm]?[jt]s|[jt]sx)$/i,
];

/** Build configuration: changing it can change how every file type-checks. */
const CONFIG = /(?:^|\/)(?:tsconfig(?:\.[\w-]+)?\.json|jsconfig\.json|package\.json)$/i;

export function isCodeFile(rel: string): boolean {
  return CODE.test(rel);
}

export function isTestFile(rel: string, patterns: readonly RegExp[] = DEFAULT_TEST_PATTERNS): boolean {
  return isCodeFile(rel) && patterns.some((p) => p.test(rel));
}

export function roleOf(rel: string, patterns: readonly RegExp[] = DEFAULT_TEST_PATTERNS): ImpactFile['role'] {
  if (isTestFile(rel, patterns)) return 'test';
  if (isCodeFile(rel)) return 'code';
  if (CONFIG.test(rel)) return 'config';
  return 'other';
}

export function impactFiles(cs: ChangeSet, patterns?: readonly RegExp[]): ImpactFile[] {
  return cs.edits.map((e) => {
    const after = e.kind === 'rename' ? e.to : e.path;
    const role = [roleOf(e.path, patterns), roleOf(after, patterns)].sort((a, b) => RANK[a] - RANK[b])[0]!;
    return { path: e.path, ...(e.kind === 'rename' ? { to: e.to } : {}), kind: e.kind, role };
  });
}

const RANK: Record<ImpactFile['role'], number> = { test: 0, code: 1, config: 2, other: 3 };

/** True when some edit touches TypeScript/JavaScript (the type checker has something to say). */
export function touchesCode(cs: ChangeSet): boolean {
  return cs.edits.some((e) => isCodeFile(e.path) || (e.kind === 'rename' && isCodeFile(e.to)));
}
