// Workspace analysis (ts-morph / TypeScript): diagnostics, function size and complexity, unused
// exports and files, the module graph and its cycles, the public API of entry points. Loads
// ts-morph on first use only; import this module lazily from activation paths.
export { AnalysisSession, analyzeWorkspace, type AnalysisOptions, type AnalysisPhase, type SessionStats, type UpdateResult } from './session';
export { ANALYSIS_SCHEMA_VERSION } from './types';
export type {
  AnalysisMode, AnalysisReport, CodeFixes, AnalysisSummary, DiagnosticCategory, DiagnosticEntry, ExportKind, FunctionEntry,
  PublicApiEntry, UnusedExportEntry,
} from './types';
