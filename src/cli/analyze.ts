// `rusty analyze [--json]`: the workspace analysis as the stable JSON report (SCHEMA.md) or a
// readable summary, and the analysis lines `rusty review` prints. The lead wires these into
// main.ts; this module only computes and formats (no I/O besides the core's workspace).
import * as path from 'node:path';
import type { RustyCore } from '../core/rustyCore';
import type { AnalysisMode, AnalysisReport, AnalysisSummary, FunctionEntry } from '../core/analysis/types';
import type { ReviewResult } from '../core/review';
import type { EngineSetting } from '../core/tsEngine/select';
import { describeCompiler } from '../core/tsEngine/types';
import { workspaceReader } from '../core/engine/context';
import { safeLine as t } from '../core/util/terminalText';

export interface AnalyzeOptions {
  /** Only the JSON is needed (the text is still returned, it is cheap). */
  json?: boolean;
  /** Files done of the report's files, in the phase given (see AnalysisOptions.onProgress). */
  onProgress?: (done: number, total: number, file: string, phase: 'reading' | 'checking') => void;
  signal?: AbortSignal;
  /** 'auto' (default): full unless the workspace is very large; 'syntactic': no type checker. */
  mode?: AnalysisMode | 'auto';
  /** Entry points (workspace-relative files or globs) instead of package.json's. */
  entries?: string[];
  /** How many hot spots / unused exports / cycles the text lists (default 10). */
  top?: number;
  /** Which TypeScript reports the diagnostics (src/core/tsEngine); default auto. */
  engine?: EngineSetting;
}

export interface AnalyzeResult {
  json: AnalysisReport;
  text: string;
}

export async function runAnalyze(core: RustyCore, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const { selectEngine } = await import('../core/tsEngine/select');
  const mode = opts.mode ?? 'auto';
  // The project's native compiler gives the diagnostics (never skipped for size): the bundled
  // analysis then only computes the facts, which need no type checker (its syntactic mode).
  const choice = mode === 'syntactic' ? { engine: 'bundled' as const } : selectEngine({ setting: opts.engine ?? 'auto', root: core.wfs.root });
  // Opened and checking first, before the bundled TypeScript loads: the compiler (its own process)
  // works while the facts are computed here.
  const opening = choice.engine === 'native'
    ? import('../core/tsEngine/native').then(({ NativeTsEngine }) => NativeTsEngine.open({ root: core.wfs.root, apiPath: choice.apiPath, version: choice.version, source: choice.source, diskOnly: true }))
    : undefined;
  const checking = opening?.then((e) => e.projectDiagnostics(opts.signal));
  checking?.catch(() => undefined);
  // Loaded on use: the analysis pulls in ts-morph.
  const { AnalysisSession } = await import('../core/analysis');
  const analyse = (m: AnalysisMode | 'auto') => AnalysisSession.open({
    fs: workspaceReader(core.wfs, opts.signal),
    mode: m,
    cacheDir: path.join(core.stateDir, 'analysis'),
    maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
    ...(opts.entries?.length ? { entries: opts.entries } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  if (opening && checking) {
    const { withNativeDiagnostics } = await import('../core/tsEngine/analysis');
    const { RustyError } = await import('../core/util/errors');
    let facts: AnalysisReport;
    try {
      facts = (await analyse('syntactic')).report();
    } catch (err) {
      void opening.then((e) => e.close(), () => undefined);
      throw err;
    }
    let engine: Awaited<typeof opening> | undefined;
    try {
      engine = await opening;
    } catch (err) {
      // `auto` falls back to the bundled TypeScript (e.g. no tsconfig.json); an explicit `native` does not.
      if (opts.engine === 'native' || !(err instanceof RustyError)) throw err;
    }
    if (engine) {
      try {
        const json = await withNativeDiagnostics(facts, engine, opts.signal, await checking);
        return { json, text: formatAnalysis(json, opts.top ?? 10) };
      } finally {
        await engine.close();
      }
    }
  }
  const report = (await analyse(mode)).report();
  const json: AnalysisReport = { ...report, compiler: { engine: 'bundled', version: report.summary.typescriptVersion } };
  return { json, text: formatAnalysis(json, opts.top ?? 10) };
}

/** The human summary of a report: totals, diagnostics by code, hot spots, unused, cycles. */
export function formatAnalysis(r: AnalysisReport, top = 10): string {
  const s = r.summary;
  const lines = [`Rusty analysis of ${t(r.workspace)}`, ...summaryLines(s, r.functions, r.cycles, top)];
  if (r.compiler) lines.splice(2, 0, `Type checker: ${describeCompiler(r.compiler)}`);
  if (r.unusedExports.length) {
    lines.push('', `Unused exports (${r.unusedExports.length}):`);
    for (const u of r.unusedExports.slice(0, top)) lines.push(`  ${t(u.file)}:${u.line}  ${t(u.name)}  (${u.typeOnly && u.kind !== 'interface' && u.kind !== 'type' ? `type-only ${u.kind}` : u.kind})`);
    if (r.unusedExports.length > top) lines.push(`  … ${r.unusedExports.length - top} more (--json lists all)`);
  }
  if (r.unusedFiles.length) {
    lines.push('', `Unused files (${r.unusedFiles.length}):`);
    for (const f of r.unusedFiles.slice(0, top)) lines.push(`  ${t(f)}`);
    if (r.unusedFiles.length > top) lines.push(`  … ${r.unusedFiles.length - top} more`);
  }
  const withFile = r.diagnostics.filter((d) => d.category === 'error').slice(0, top);
  if (withFile.length) {
    lines.push('', `First errors:`);
    for (const d of withFile) lines.push(`  ${d.file == null ? '(project)' : t(d.file)}${d.line ? `:${d.line}:${d.column}` : ''}  TS${d.code}  ${t(d.message.split('\n')[0]!)}`);
  }
  return lines.join('\n');
}

/** The analysis block `rusty review` prints after its proposals. */
export function formatReviewAnalysis(review: ReviewResult, top = 5): string {
  const a = review.analysis;
  if (!a) return '';
  const lines = ['Analysis:', ...summaryLines(a.summary, a.hotSpots, a.cycles, top).map((l) => (l ? `  ${l}` : l))];
  const suggestions = review.suggestions ?? [];
  if (suggestions.length) {
    lines.push('', `  Suggestions (not proposed: they change the public API) — ${suggestions.length} unused export${suggestions.length === 1 ? '' : 's'}:`);
    for (const sg of suggestions.slice(0, top)) lines.push(`    ${t(sg.file)}:${sg.line}  ${t(sg.name)}   → ${t(sg.command)}`);
    if (suggestions.length > top) lines.push(`    … ${suggestions.length - top} more (rusty analyze lists all)`);
  }
  return lines.join('\n');
}

function summaryLines(s: AnalysisSummary, hot: FunctionEntry[], cycles: string[][], top: number): string[] {
  const d = s.diagnostics;
  const lines = [
    `${s.files} files, ${s.lines.toLocaleString('en-US')} lines · ${s.mode === 'full' ? 'full analysis' : 'syntactic pass (no type checker)'} · TypeScript ${s.typescriptVersion} · ${(s.durationMs / 1000).toFixed(1)}s${s.configs.length ? ` · ${s.configs.map(t).join(', ')}` : ''}`,
  ];
  const byCode = Object.entries(d.byCode).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  lines.push(`Diagnostics: ${d.total}${d.total ? ` (${d.errors} error${d.errors === 1 ? '' : 's'}${d.warnings ? `, ${d.warnings} warnings` : ''}${d.suggestions ? `, ${d.suggestions} suggestions` : ''})` : ''}${byCode.length ? ` — ${byCode.slice(0, top).map(([c, n]) => `${c} ×${n}`).join(', ')}${byCode.length > top ? ', …' : ''}` : ''}${d.semantic ? '' : ' (parse errors only)'}`);
  lines.push(`Functions: ${s.functions}, max complexity ${s.maxComplexity}; ${s.hotSpots} hot spot${s.hotSpots === 1 ? '' : 's'} (complexity ≥ ${s.complexityThreshold} or ≥ ${s.linesThreshold} lines)`);
  for (const f of hot.slice(0, top)) lines.push(`  complexity ${String(f.complexity).padStart(3)}  ${String(f.lines).padStart(4)} lines  ${t(f.file)}:${f.line}  ${t(f.name)}`);
  const entries = s.entries.length ? `${s.entries.length} entr${s.entries.length === 1 ? 'y' : 'ies'} from ${s.entriesFrom}` : 'no entry points found (add package.json "exports"/"main", or pass entries)';
  lines.push(`Unused exports: ${s.unusedExports} · unused files: ${s.unusedFiles} · public API: ${s.publicApi} names (${entries})`);
  lines.push(`Import cycles: ${s.cycles}`);
  for (const c of cycles.slice(0, top)) lines.push(`  ${c.length === 1 ? `${t(c[0]!)} imports itself` : c.map(t).join(' ⇄ ')}`);
  if (s.skipped.length) lines.push(`Skipped: ${s.skipped.length} file${s.skipped.length === 1 ? '' : 's'} (${s.skipped.slice(0, 3).map((k) => `${t(k.file)}: ${t(k.reason)}`).join('; ')}${s.skipped.length > 3 ? '; …' : ''})`);
  return lines;
}
