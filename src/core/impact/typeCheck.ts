// The type-check delta: diagnostics of the affected files before and after the change, matched
// by (file, code, message) — not by line, since lines shift — as multisets.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ImpactDiagnostic } from './types';
import { throwIfCancelled } from './cancel';
import { yieldNow } from '../engine/context';

type Ts = typeof TsNamespace;

export interface CollectOptions {
  ts: Ts;
  program: TsNamespace.Program;
  root: string;
  /** Workspace-relative files to check in this program. */
  files: readonly string[];
  /** Reported file name for a path in this state (renamed files are reported under their new path). */
  label?: (rel: string) => string;
  signal?: AbortSignal;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Syntactic + semantic diagnostics of each file (paths inside messages made workspace-relative). */
export async function collectDiagnostics(opts: CollectOptions): Promise<{ diagnostics: ImpactDiagnostic[]; checked: number }> {
  const { ts, program, root } = opts;
  const rootPrefix = new RegExp(escapeRegExp(root.split(path.sep).join('/') + '/'), 'g');
  const out: ImpactDiagnostic[] = [];
  let checked = 0;
  for (const rel of opts.files) {
    throwIfCancelled(opts.signal);
    const sf = program.getSourceFile(path.join(root, ...rel.split('/')));
    if (!sf) continue;
    checked++;
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    for (const d of diags) {
      if (d.category !== ts.DiagnosticCategory.Error && d.category !== ts.DiagnosticCategory.Warning) continue;
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      out.push({ file: opts.label ? opts.label(rel) : rel, line, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n').replace(rootPrefix, '') });
    }
    // Let other work (and cancellation) in between files.
    if (checked % 10 === 0) await yieldNow();
  }
  return { diagnostics: out, checked };
}

const key = (d: ImpactDiagnostic) => `${d.file}\u0000${d.code}\u0000${d.message}`;

/** Diagnostics present after but not before (introduced), and before but not after (removed). */
export function diffDiagnostics(before: readonly ImpactDiagnostic[], after: readonly ImpactDiagnostic[]): { introduced: ImpactDiagnostic[]; removed: ImpactDiagnostic[] } {
  const count = new Map<string, number>();
  for (const d of before) count.set(key(d), (count.get(key(d)) ?? 0) + 1);
  const introduced: ImpactDiagnostic[] = [];
  for (const d of after) {
    const k = key(d);
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else introduced.push(d);
  }
  // What is left in `count` was removed; report those occurrences in their original order.
  const removed: ImpactDiagnostic[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const d = before[i]!;
    const k = key(d);
    const n = count.get(k) ?? 0;
    if (n > 0) {
      removed.unshift(d);
      count.set(k, n - 1);
    }
  }
  const order = (a: ImpactDiagnostic, b: ImpactDiagnostic) => a.file.localeCompare(b.file) || a.line - b.line || a.code - b.code;
  return { introduced: introduced.sort(order), removed: removed.sort(order) };
}
