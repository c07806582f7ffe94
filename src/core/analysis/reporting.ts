// Reporting: the analysis report from what the session holds — diagnostics, hot spots, unused
// exports and files, cycles, the public API, code fixes.
import { codeFixesRecord } from './checking';
import { compareDiagnostics, diagnosticsSummary } from './diagnostics';
import type { SessionState } from './state';
import { analyzeUsage, type LinkedFile, type UsageResult } from './usage';
import { ANALYSIS_SCHEMA_VERSION, type AnalysisReport, type DiagnosticEntry, type FunctionEntry } from './types';

export function buildReport(s: SessionState): AnalysisReport {
  const complexityThreshold = s.opts.complexityThreshold ?? 10;
  const linesThreshold = s.opts.linesThreshold ?? 80;
  const program = [...s.files.values()].filter((f) => f.inProgram).sort((a, b) => (a.rel < b.rel ? -1 : 1));

  const diagnostics: DiagnosticEntry[] = [];
  if (s.mode === 'full') for (const { list } of s.programDiags.values()) diagnostics.push(...list);
  for (const f of program) {
    const list = s.fileDiags.get(f.rel)?.list ?? f.facts.syntactic;
    for (const d of list) diagnostics.push({ file: f.rel, ...d });
  }
  diagnostics.sort(compareDiagnostics);

  let functionCount = 0;
  let maxComplexity = 0;
  let lines = 0;
  const hot: FunctionEntry[] = [];
  for (const f of program) {
    lines += f.facts.lines;
    for (const fn of f.facts.functions) {
      functionCount++;
      maxComplexity = Math.max(maxComplexity, fn.complexity);
      if (fn.complexity >= complexityThreshold || fn.lines >= linesThreshold) hot.push({ file: f.rel, ...fn });
    }
  }
  hot.sort((a, b) => b.complexity - a.complexity || b.lines - a.lines || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

  const usage = usageResult(s);
  const cycles = s.graph.cycles();
  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    workspace: s.root,
    summary: {
      mode: s.mode,
      typescriptVersion: s.ts.version,
      configs: s.units.map((u) => u.config).filter((c): c is string => c !== null),
      files: program.length,
      lines,
      functions: functionCount,
      complexityThreshold,
      linesThreshold,
      hotSpots: hot.length,
      maxComplexity,
      diagnostics: diagnosticsSummary(diagnostics, s.mode === 'full'),
      entries: s.entries.entries,
      entriesFrom: s.entries.from,
      unusedExports: usage.unusedExports.length,
      unusedFiles: usage.unusedFiles.length,
      cycles: cycles.length,
      publicApi: usage.publicApi.length,
      skipped: s.skipped,
      durationMs: s.durationMs,
      cache: { hits: s.cache.hits, misses: s.cache.misses },
    },
    diagnostics,
    functions: hot,
    unusedExports: usage.unusedExports,
    unusedFiles: usage.unusedFiles,
    cycles,
    publicApi: usage.publicApi,
    ...(s.fixes.size ? { codeFixes: codeFixesRecord(s) } : {}),
  };
}

/** Unused exports and files and the public API, computed once per state of the links. */
function usageResult(s: SessionState): UsageResult {
  if (!s.usage) {
    const linked = new Map<string, LinkedFile>();
    for (const f of s.files.values()) linked.set(f.rel, { rel: f.rel, facts: f.facts, role: f.inProgram ? f.role : f.role === 'source' ? 'test' : f.role, importTargets: f.importTargets, reExportTargets: f.reExportTargets });
    s.usage = analyzeUsage(linked, s.entries.entries);
  }
  return s.usage;
}
