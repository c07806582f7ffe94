// What the suggestions show, computed from an analysis report: hot spots over the user's
// thresholds, unused exports, diagnostics grouped by code (marked fixable when the analysis found
// that TypeScript's fixes edit code for them), and the CodeLenses of one file. Pure data in, data out: no VS Code, no
// ts-morph, so it is unit-tested in Node and bundled into the light activation bundle.
import type { AnalysisReport, CodeFixes, DiagnosticEntry, FunctionEntry, UnusedExportEntry } from '../../core/analysis/types';
import { describeCompiler } from '../../core/tsEngine/types';
import type { SuggestionSettings } from './settings';

export interface DiagnosticGroup {
  code: number;
  /**
   * What TypeScript's fixes do for the code here (AnalysisSession.codeFixes): 'all' a fix-all,
   * 'each' one quick fix per diagnostic ("Fix all" proposes them together), 'none' nothing;
   * 'unknown' not looked at yet.
   */
  fixes: CodeFixes | 'unknown';
  /** fixes is 'all' or 'each'. */
  fixable: boolean;
  entries: DiagnosticEntry[];
}

export interface Findings {
  hotSpots: FunctionEntry[];
  unusedExports: UnusedExportEntry[];
  /** Most frequent code first. */
  diagnostics: DiagnosticGroup[];
  unusedFiles: string[];
  cycles: string[][];
}

/** What a hot-spot lens passes to "Extract Function": the function the analysis found. */
export interface HotSpotRef { line: number; lines: number; name: string }

export type LensSpec =
  | { kind: 'extract'; line: number; title: string; tooltip: string; args: { file: string; hotSpot: HotSpotRef } }
  | { kind: 'remove-export'; line: number; title: string; tooltip: string; args: { file: string; name: string } }
  | { kind: 'fix-all'; line: number; title: string; tooltip: string; args: { file: string; code: number; scope: 'file' } };

export function isHotSpot(fn: Pick<FunctionEntry, 'complexity' | 'lines'>, s: Pick<SuggestionSettings, 'complexityThreshold' | 'linesThreshold'>): boolean {
  return fn.complexity >= s.complexityThreshold || fn.lines >= s.linesThreshold;
}

/**
 * The findings of a report. `extraDiagnostics` are per-file semantic diagnostics computed on
 * demand (syntactic mode); they replace what the report has for those files.
 */
export function findingsOf(report: AnalysisReport, settings: SuggestionSettings, codeFixes: Readonly<Record<string, CodeFixes>> = report.codeFixes ?? {}, extraDiagnostics?: ReadonlyMap<string, DiagnosticEntry[]>): Findings {
  const hotSpots = report.functions.filter((f) => isHotSpot(f, settings))
    .sort((a, b) => b.complexity - a.complexity || b.lines - a.lines || compare(a.file, b.file) || a.line - b.line);
  const diagnostics = extraDiagnostics?.size
    ? [...report.diagnostics.filter((d) => d.file === null || !extraDiagnostics.has(d.file)), ...[...extraDiagnostics.values()].flat()]
    : report.diagnostics;
  const byCode = new Map<number, DiagnosticEntry[]>();
  for (const d of diagnostics) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
  const groups = [...byCode].map(([code, entries]): DiagnosticGroup => {
    const fixes = codeFixes[`TS${code}`] ?? 'unknown';
    return { code, fixes, fixable: fixes === 'all' || fixes === 'each', entries };
  })
    .sort((a, b) => b.entries.length - a.entries.length || a.code - b.code);
  return {
    hotSpots,
    unusedExports: report.unusedExports,
    diagnostics: groups,
    unusedFiles: report.unusedFiles,
    cycles: report.cycles,
  };
}

/** The CodeLenses of one file (0-based lines), top to bottom. */
export function lensesForFile(f: Findings, rel: string, settings: Pick<SuggestionSettings, 'complexityThreshold' | 'linesThreshold'>): LensSpec[] {
  const out: LensSpec[] = [];
  for (const g of f.diagnostics) {
    if (!g.fixable) continue;
    const here = g.entries.filter((d) => d.file === rel && d.line !== null);
    if (!here.length) continue;
    const first = here[0]!;
    out.push({
      kind: 'fix-all', line: 0,
      title: `${here.length} × TS${g.code} · Fix all`,
      tooltip: `${g.fixes === 'each' ? `Propose TypeScript's quick fix for each TS${g.code} in ${rel}, as one proposal (TypeScript has no fix-all for it)` : `Propose TypeScript's fix-all for TS${g.code} in ${rel}`} (${here.length} here; first at line ${first.line}: ${first.message.split('\n')[0]}). Nothing is written until you approve.`,
      args: { file: rel, code: g.code, scope: 'file' },
    });
  }
  for (const fn of f.hotSpots) {
    if (fn.file !== rel) continue;
    const parts = [
      ...(fn.complexity >= settings.complexityThreshold ? [`complexity ${fn.complexity}`] : []),
      ...(fn.lines >= settings.linesThreshold ? [`${fn.lines} lines`] : []),
    ];
    out.push({
      kind: 'extract', line: fn.line - 1,
      title: `${parts.join(' · ')} · Extract function…`,
      tooltip: `${fn.name}: cyclomatic complexity ${fn.complexity} (hot spot from ${settings.complexityThreshold}), ${fn.lines} lines (from ${settings.linesThreshold}). Offers what TypeScript can extract from it (runs of statements, inside the selection if there is one there; largest first, with the scopes each can go to), then asks for the new function's name.`,
      args: { file: rel, hotSpot: { line: fn.line, lines: fn.lines, name: fn.name } },
    });
  }
  for (const u of f.unusedExports) {
    if (u.file !== rel || u.name === 'default') continue;
    out.push({
      kind: 'remove-export', line: u.line - 1,
      title: 'unused export · Remove',
      tooltip: `Nothing outside ${rel} uses \`${u.name}\` (${u.kind}): propose removing the export. Nothing is written until you approve.`,
      args: { file: rel, name: u.name },
    });
  }
  return out.sort((a, b) => a.line - b.line);
}

export interface FindingsSummary {
  mode: AnalysisReport['summary']['mode'];
  files: number;
  durationMs: number;
  hotSpots: number;
  unusedExports: number;
  unusedFiles: number;
  cycles: number;
  errors: number;
  /** Diagnostics whose code TypeScript's fixes edit code for (fix-all or one at a time), and how many codes. */
  fixable: number;
  fixableCodes: number;
  /** The compiler the diagnostics come from ("TypeScript 7.0.2 (native, the workspace's)"). */
  compiler?: string;
}

export function summaryOf(report: AnalysisReport, f: Findings): FindingsSummary {
  const fixableGroups = f.diagnostics.filter((g) => g.fixable);
  return {
    mode: report.summary.mode,
    files: report.summary.files,
    durationMs: report.summary.durationMs,
    hotSpots: f.hotSpots.length,
    unusedExports: f.unusedExports.length,
    unusedFiles: f.unusedFiles.length,
    cycles: f.cycles.length,
    errors: f.diagnostics.reduce((n, g) => n + g.entries.filter((d) => d.category === 'error').length, 0),
    fixable: fixableGroups.reduce((n, g) => n + g.entries.length, 0),
    fixableCodes: fixableGroups.length,
    ...(report.compiler ? { compiler: describeCompiler(report.compiler) } : {}),
  };
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** One line for the notification and the view's message. */
export function describeSummary(s: FindingsSummary): string {
  const seconds = s.durationMs < 1000 ? `${s.durationMs} ms` : `${(s.durationMs / 1000).toFixed(1)} s`;
  const parts = [
    plural(s.hotSpots, 'hot spot'),
    plural(s.unusedExports, 'unused export'),
    `${plural(s.fixable, 'fixable diagnostic')}${s.fixableCodes ? ` (${plural(s.fixableCodes, 'code')})` : ''}`,
    plural(s.errors, 'error'),
    ...(s.unusedFiles ? [plural(s.unusedFiles, 'unused file')] : []),
    ...(s.cycles ? [plural(s.cycles, 'import cycle')] : []),
  ];
  const mode = s.mode === 'syntactic' ? ' (large workspace: syntactic pass; type errors are checked per file as you open it)' : '';
  return `${plural(s.files, 'file')} analysed in ${seconds}${mode}: ${parts.join(', ')}.${s.compiler ? ` Type-checked by ${s.compiler}.` : ''}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
