// The analysis report: what `rusty analyze --json` prints and what the extension shows. This is a
// public, versioned schema (SCHEMA.md): add optional fields freely, but renaming or removing one
// means a new schemaVersion. Paths are workspace-relative with '/'; lines and columns are 1-based.

import type { CompilerInfo } from '../tsEngine/types';

export const ANALYSIS_SCHEMA_VERSION = 1 as const;

export type AnalysisMode = 'full' | 'syntactic';

export type DiagnosticCategory = 'error' | 'warning' | 'suggestion' | 'message';

export interface DiagnosticEntry {
  /** null for diagnostics that belong to no file (compiler options, missing global types). */
  file: string | null;
  line: number | null;
  column: number | null;
  /** The TypeScript code: 2322 means TS2322. */
  code: number;
  category: DiagnosticCategory;
  /** The whole message chain, one line per level. */
  message: string;
}

/**
 * Whether TypeScript's code fixes change anything for a code's diagnostics here: 'all' (a fix-all
 * does), 'each' (only one-at-a-time quick fixes do), 'none' (no fix has an edit).
 */
export type CodeFixes = 'all' | 'each' | 'none';

export interface FunctionEntry {
  file: string;
  /** `name`, `Class.method`, `Class.constructor`, `callee callback`, or unnamed: `container › arrow@12` / `function@12`. */
  name: string;
  line: number;
  /** Lines the function spans, first to last. */
  lines: number;
  /** Cyclomatic complexity counted like ESLint's `complexity` rule (SCHEMA.md). */
  complexity: number;
}

export type ExportKind = 'function' | 'class' | 'variable' | 'interface' | 'type' | 'enum' | 'namespace' | 'unknown';

export interface UnusedExportEntry {
  file: string;
  /** The exported name ('default' for a default export). */
  name: string;
  line: number;
  kind: ExportKind;
  /** Exists only for the type system (interface, type alias, `export type`). */
  typeOnly: boolean;
}

export interface PublicApiEntry {
  /** The entry point that exposes the name. */
  entry: string;
  name: string;
  kind: ExportKind;
  /** Where the name is declared (after following re-exports); null when it comes from a package. */
  declaredIn: string | null;
  typeOnly: boolean;
}

export interface AnalysisSummary {
  mode: AnalysisMode;
  typescriptVersion: string;
  /** tsconfig/jsconfig files that defined the analysed programs (root first, then references). */
  configs: string[];
  files: number;
  lines: number;
  functions: number;
  /** Functions at or over this complexity are hot spots (listed in `functions`). */
  complexityThreshold: number;
  /** Functions at or over this many lines are hot spots too. */
  linesThreshold: number;
  hotSpots: number;
  maxComplexity: number;
  diagnostics: {
    total: number;
    errors: number;
    warnings: number;
    suggestions: number;
    messages: number;
    /** Counts by code, keyed `TS2322`. */
    byCode: Record<string, number>;
    /** false in syntactic mode: only parse errors were looked for. */
    semantic: boolean;
  };
  /** Entry points the unused-export and unused-file results are relative to. */
  entries: string[];
  /** Where the entries came from. */
  entriesFrom: 'explicit' | 'package.json' | 'tsconfig' | 'convention' | 'none';
  unusedExports: number;
  unusedFiles: number;
  cycles: number;
  publicApi: number;
  /** Files left out (binary, too large, unreadable), with the reason. */
  skipped: { file: string; reason: string }[];
  durationMs: number;
  cache: { hits: number; misses: number };
}

export interface AnalysisReport {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  /** Absolute path of the workspace root. */
  workspace: string;
  summary: AnalysisSummary;
  diagnostics: DiagnosticEntry[];
  /** Hot spots only, most complex first. */
  functions: FunctionEntry[];
  unusedExports: UnusedExportEntry[];
  unusedFiles: string[];
  /** Import cycles (strongly connected components of runtime imports), each sorted. */
  cycles: string[][];
  publicApi: PublicApiEntry[];
  /** Per code (`TS2322`), what TypeScript's code fixes can do here; only when asked for (AnalysisSession.codeFixes). */
  codeFixes?: Record<string, CodeFixes>;
  /** The compiler the diagnostics come from (`--engine`); absent: the bundled TypeScript of `summary.typescriptVersion`. */
  compiler?: CompilerInfo;
}
