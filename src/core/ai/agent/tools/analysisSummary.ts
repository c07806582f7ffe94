// analysis_summary: the workspace analysis (src/core/analysis) in a few lines: size, diagnostics
// by code, hot spots, unused exports, cycles, public API entries.
import type { AgentTool } from './types';

export const analysisSummaryTool: AgentTool = {
  spec: {
    name: 'analysis_summary',
    description: 'Summary of the workspace analysis: files, diagnostics by code, complexity hot spots, unused exports, import cycles, entry points.',
    inputSchema: { type: 'object', properties: {} },
  },
  async run(_args, { ctx }) {
    const { analyzeWorkspace } = await import('../../../analysis');
    const r = await analyzeWorkspace({ fs: ctx.fs, mode: 'auto', ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const s = r.summary;
    const codes = Object.entries(s.diagnostics.byCode).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([c, n]) => `${c}×${n}`).join(', ');
    return [
      `${s.files} files, ${s.lines} lines, ${s.functions} functions (${s.mode} analysis, TypeScript ${s.typescriptVersion})`,
      `Diagnostics: ${s.diagnostics.errors} errors, ${s.diagnostics.warnings} warnings${codes ? ` (${codes})` : ''}`,
      `Hot spots (complexity ≥ ${s.complexityThreshold} or ≥ ${s.linesThreshold} lines): ${s.hotSpots}, max complexity ${s.maxComplexity}`,
      ...r.functions.slice(0, 10).map((f) => `  ${f.file}:${f.line} ${f.name} (complexity ${f.complexity}, ${f.lines} lines)`),
      `Entry points (${s.entriesFrom}): ${s.entries.slice(0, 10).join(', ') || 'none'}`,
      `Unused exports: ${s.unusedExports}; unused files: ${s.unusedFiles}; import cycles: ${r.cycles.length}`,
    ].join('\n');
  },
};
