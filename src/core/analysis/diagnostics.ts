// Compiler diagnostics as report entries, collected per file so that progress, cancellation and
// caching can work file by file, yet adding up to exactly what `getPreEmitDiagnostics(program)`
// (i.e. `tsc --noEmit`) reports: config + options + syntactic + global + semantic (+ declaration
// diagnostics when the options emit declarations), each list sorted and de-duplicated like TS does.
import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisReport, DiagnosticCategory, DiagnosticEntry } from './types';

type Ts = typeof TsNamespace;

export type FileDiagnostic = Omit<DiagnosticEntry, 'file'>;

export function toDiagnosticEntry(ts: Ts, d: TsNamespace.Diagnostic, file: string | null): DiagnosticEntry {
  let line: number | null = null;
  let column: number | null = null;
  if (d.file && d.start !== undefined) {
    const lc = d.file.getLineAndCharacterOfPosition(d.start);
    line = lc.line + 1;
    column = lc.character + 1;
  }
  return { file, line, column, code: d.code, category: categoryName(ts, d.category), message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
}

export function categoryName(ts: Ts, c: TsNamespace.DiagnosticCategory): DiagnosticCategory {
  switch (c) {
    case ts.DiagnosticCategory.Error: return 'error';
    case ts.DiagnosticCategory.Warning: return 'warning';
    case ts.DiagnosticCategory.Suggestion: return 'suggestion';
    default: return 'message';
  }
}

/** Syntactic + semantic (+ declaration) diagnostics of one file of the program. */
export function checkFile(ts: Ts, program: TsNamespace.Program, sf: TsNamespace.SourceFile): FileDiagnostic[] {
  const opts = program.getCompilerOptions();
  const all: TsNamespace.Diagnostic[] = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  if (opts.declaration || opts.composite) all.push(...program.getDeclarationDiagnostics(sf));
  return ts.sortAndDeduplicateDiagnostics(all).map((d) => {
    const { file: _file, ...rest } = toDiagnosticEntry(ts, d, null);
    return rest;
  });
}

/** What belongs to the program rather than to one of its files: config, options, missing globals. */
export function programLevelDiagnostics(ts: Ts, program: TsNamespace.Program, fileName: (sf: TsNamespace.SourceFile) => string): DiagnosticEntry[] {
  const all = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  return ts.sortAndDeduplicateDiagnostics(all).map((d) => toDiagnosticEntry(ts, d, d.file ? fileName(d.file) : null));
}

/** Report order: file (global ones first), line, column, code, message. */
export function compareDiagnostics(a: DiagnosticEntry, b: DiagnosticEntry): number {
  if (a.file !== b.file) return a.file === null ? -1 : b.file === null ? 1 : a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code - b.code || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** The report summary's diagnostic counts (`semantic`: whether a type checker produced them). */
export function diagnosticsSummary(diagnostics: readonly DiagnosticEntry[], semantic: boolean): AnalysisReport['summary']['diagnostics'] {
  const byCode: Record<string, number> = {};
  const count = { error: 0, warning: 0, suggestion: 0, message: 0 };
  for (const d of diagnostics) {
    byCode[`TS${d.code}`] = (byCode[`TS${d.code}`] ?? 0) + 1;
    count[d.category]++;
  }
  return { total: diagnostics.length, errors: count.error, warnings: count.warning, suggestions: count.suggestion, messages: count.message, byCode, semantic };
}
