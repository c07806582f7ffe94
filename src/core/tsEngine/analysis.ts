// An analysis report's diagnostics from the project's native compiler: the bundled analysis
// computes the facts (complexity, graph, unused, public API — syntax only, so its syntactic mode
// gives the same ones without a type check), and its diagnostics are replaced by what the native
// compiler reports for the same tsconfig, exactly as its own `tsc --noEmit -p` does. The report
// is then a full one (semantic diagnostics) and names that compiler.
import type { AnalysisReport, DiagnosticEntry } from '../analysis/types';
import { compareDiagnostics, diagnosticsSummary } from '../analysis/diagnostics';
import type { NativeTsEngine } from './native';
import type { CompilerInfo } from './types';

/** `computed`: the engine's projectDiagnostics() when the caller already has them (started early). */
export async function withNativeDiagnostics(report: AnalysisReport, engine: NativeTsEngine, signal?: AbortSignal, computed?: DiagnosticEntry[]): Promise<AnalysisReport> {
  return reportWithDiagnostics(report, computed ?? await engine.projectDiagnostics(signal), engine.compiler);
}

/** The report with `list` (a whole project's diagnostics from `compiler`) as its diagnostics. */
export function reportWithDiagnostics(report: AnalysisReport, list: readonly DiagnosticEntry[], compiler: CompilerInfo): AnalysisReport {
  const diagnostics: DiagnosticEntry[] = [...list].sort(compareDiagnostics);
  return {
    ...report,
    summary: {
      ...report.summary,
      mode: 'full',
      diagnostics: diagnosticsSummary(diagnostics, true),
    },
    diagnostics,
    compiler,
  };
}
