// TypeScript's organize imports sorts side-effect imports (`import './polyfill'`) together with the
// others, which changes evaluation order (polyfills, CSS order, instrumentation). It never moves an
// import across a blank line or comment line ("import groups"), so we put a marker comment line
// before and after every top-level side-effect import, organize, then take the markers out again.

import { randomBytes } from 'node:crypto';
import type { ts as TsNamespace } from 'ts-morph';

export interface Barriers {
  text: string;
  marker: string;
  count: number;
  /** False when a side-effect import shares its line with other code, so no marker could be placed. */
  complete: boolean;
}

export function insertBarriers(ts: typeof TsNamespace, text: string, sourceFile: TsNamespace.SourceFile): Barriers {
  let marker = '';
  do marker = `//@rusty-keep-order-${randomBytes(6).toString('hex')}`;
  while (text.includes(marker));

  const inserts: { at: number; text: string }[] = [];
  let complete = true;
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause) continue;
    const start = statement.getStart(sourceFile);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', statement.end);
    const rest = text.slice(statement.end, lineEnd < 0 ? text.length : lineEnd);
    if (text.slice(lineStart, start).trim() !== '' || !/^[ \t]*(?:\/\/.*)?$/.test(rest)) {
      complete = false;
      continue;
    }
    inserts.push({ at: lineStart, text: `${marker}\n` });
    inserts.push(lineEnd < 0 ? { at: text.length, text: `\n${marker}` } : { at: lineEnd + 1, text: `${marker}\n` });
  }
  let out = text;
  for (let i = inserts.length - 1; i >= 0; i--) {
    const ins = inserts[i];
    if (ins) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  }
  return { text: out, marker, count: inserts.length, complete };
}

/** Removes the marker lines; undefined when they did not all survive intact. */
export function removeBarriers(text: string, barriers: Barriers): string | undefined {
  if (barriers.count === 0) return text;
  const { marker } = barriers;
  if (text.split(marker).length - 1 !== barriers.count) return undefined;
  const lines = text.split('\n');
  const kept = lines.filter((l) => l !== marker);
  if (lines.length - kept.length !== barriers.count) return undefined;
  // A marker appended after a last line without newline came with its own '\n'; the filter above
  // removed the marker line but the line before it still ends with that '\n' only if the file had
  // one, so nothing else to fix: join restores the original line structure.
  return kept.join('\n');
}
