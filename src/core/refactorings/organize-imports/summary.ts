// What organizing changed in a file, in words for the proposal's rationale.

import type { ImportDecl } from './engine';

export interface FileSummary {
  path: string;
  /** Local names of the imports that were removed, e.g. `useMemo`, `* as path`. */
  removed: string[];
  /** Declarations were sorted or merged (beyond removing names). */
  reorganized: boolean;
}

export function summarizeFile(path: string, before: ImportDecl[], after: ImportDecl[]): FileSummary {
  const remaining = new Map<string, number>();
  for (const d of after) if (d.kind === 'import') for (const n of d.names) remaining.set(n, (remaining.get(n) ?? 0) + 1);

  const removed: string[] = [];
  const expected: ImportDecl[] = [];
  for (const d of before) {
    if (d.kind !== 'import') {
      expected.push(d);
      continue;
    }
    const kept: string[] = [];
    for (const n of d.names) {
      const left = remaining.get(n) ?? 0;
      if (left > 0) {
        remaining.set(n, left - 1);
        kept.push(n);
      } else {
        removed.push(n);
      }
    }
    if (kept.length > 0 || d.names.length === 0) expected.push({ ...d, names: kept });
  }
  return { path, removed, reorganized: signature(expected) !== signature(after) };
}

function signature(decls: ImportDecl[]): string {
  return JSON.stringify(decls.map((d) => [d.kind, d.module, d.names]));
}

const MAX_LISTED_FILES = 30;

export function describeChanges(files: FileSummary[]): string {
  const removedCount = files.reduce((n, f) => n + f.removed.length, 0);
  const withRemovals = files.filter((f) => f.removed.length > 0).length;
  const reorganized = files.filter((f) => f.reorganized).length;
  const parts: string[] = [];
  if (removedCount > 0) {
    parts.push(`removes ${removedCount} unused import${removedCount === 1 ? '' : 's'} in ${plural(withRemovals, 'file')}`);
  }
  if (reorganized > 0) parts.push(`sorts and merges import/export declarations in ${plural(reorganized, 'file')}`);
  const lines = [
    `TypeScript's organize imports ${parts.length > 0 ? parts.join(' and ') : 'tidies import declarations'}. ` +
      'Unused imports are those the compiler reports as never read; side-effect imports (`import "./x"`) ' +
      'are kept and stay where they are. Only import and export declarations change.',
    '',
  ];
  for (const f of files.slice(0, MAX_LISTED_FILES)) {
    const what: string[] = [];
    if (f.removed.length > 0) what.push(`removed ${f.removed.map((n) => `\`${n}\``).join(', ')}`);
    if (f.reorganized) what.push('sorted/merged');
    lines.push(`- ${f.path}: ${what.length > 0 ? what.join('; ') : 'reformatted imports'}`);
  }
  if (files.length > MAX_LISTED_FILES) lines.push(`- … and ${files.length - MAX_LISTED_FILES} more files`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
