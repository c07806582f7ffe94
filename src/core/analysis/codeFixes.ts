// Which diagnostic codes TypeScript can really fix here, decided by asking its language service
// for the code fixes of the first few diagnostics of each code: 'all' when a fix-all (fix id +
// getCombinedCodeFix) produces edits, 'each' when only single quick fixes do, 'none' when no fix
// has edits. A code TypeScript registers a fix for may still have none at these sites (TS2339 on a
// library type, TS2307 and TS2591 whose fixes only install packages): those are 'none'.
import type { ts as TsNamespace } from 'ts-morph';
import type { CodeFixes } from './types';

type Ts = typeof TsNamespace;

/** Files, and diagnostics per file, looked at for each code. */
export const PROBE_FILES = 3;
export const PROBE_PER_FILE = 3;

/** The verdict for one code from its first files (absolute names), with the language service of their program. */
export function probeCodeFixes(ts: Ts, ls: TsNamespace.LanguageService, code: number, fileNames: readonly string[]): CodeFixes {
  const format: TsNamespace.FormatCodeSettings = { ...ts.getDefaultFormatCodeSettings('\n'), newLineCharacter: '\n' };
  const preferences: TsNamespace.UserPreferences = {};
  let verdict: CodeFixes = 'none';
  for (const fileName of fileNames.slice(0, PROBE_FILES)) {
    let diagnostics: TsNamespace.Diagnostic[];
    try {
      diagnostics = [...ls.getSyntacticDiagnostics(fileName), ...ls.getSemanticDiagnostics(fileName)].filter((d) => d.code === code && d.start !== undefined);
    } catch {
      continue; // a TypeScript internal failure in one file: look at the next
    }
    const tried = new Set<string>();
    for (const d of diagnostics.slice(0, PROBE_PER_FILE)) {
      let fixes: readonly TsNamespace.CodeFixAction[];
      try {
        fixes = ls.getCodeFixesAtPosition(fileName, d.start!, d.start! + (d.length ?? 0), [code], format, preferences);
      } catch {
        continue;
      }
      for (const fix of fixes) {
        if (!hasEdits(fix.changes)) continue; // e.g. "Install '@types/node'": a command, no edit
        verdict = 'each';
        if (fix.fixId === undefined || tried.has(String(fix.fixId))) continue;
        tried.add(String(fix.fixId));
        try {
          if (hasEdits(ls.getCombinedCodeFix({ type: 'file', fileName }, fix.fixId, format, preferences).changes)) return 'all';
        } catch {
          // no combined fix after all
        }
      }
    }
  }
  return verdict;
}

function hasEdits(changes: readonly TsNamespace.FileTextChanges[]): boolean {
  return changes.some((c) => c.textChanges.some((t) => t.newText.length > 0 || t.span.length > 0));
}
