// A fast first look at an attempt's type errors, on the TypeScript project the run already loaded
// for its tools: the changed files and their direct importers, before and after the change laid
// over the project in memory (the impact analysis' own collectDiagnostics / diffDiagnostics). An
// attempt with new errors is refused from this alone, so repair rounds skip the full impact
// analysis; a clean attempt then gets the full analysis (transitive dependents, public API, risk).
// The project is put back exactly as it was.
import type { ChangeSet } from '../../proposals/changeSet';
import type { ImpactDiagnostic } from '../../impact/types';
import { isCodeFile } from '../../impact/classify';
import { collectDiagnostics, diffDiagnostics } from '../../impact/typeCheck';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { normalize } from '../../util/text';

export class QuickTypeCheck {
  /** Diagnostics of unchanged files (the workspace does not change during a run). */
  private readonly before = new Map<string, ImpactDiagnostic[]>();

  constructor(private readonly wp: WorkspaceProject) {}

  async introduced(cs: ChangeSet, signal?: AbortSignal): Promise<ImpactDiagnostic[]> {
    const { wp } = this;
    const project = wp.project;
    const code = cs.edits.filter((e) => isCodeFile(e.path) || (e.kind === 'rename' && isCodeFile(e.to)));
    // Renames (which the edit format does not produce) are left to the full analysis.
    if (!code.length || code.some((e) => e.kind === 'rename')) return [];
    const inProgram = (rel: string) => !!project.getSourceFile(wp.abs(rel));
    const changedBefore = code.filter((e) => e.kind !== 'create' && inProgram(e.path)).map((e) => e.path);
    const importers = new Set<string>();
    for (const rel of changedBefore) {
      for (const r of project.getSourceFileOrThrow(wp.abs(rel)).getReferencingSourceFiles()) {
        const ref = wp.rel(r.getFilePath());
        if (!ref.startsWith('..') && !ref.split('/').includes('node_modules')) importers.add(ref);
      }
    }
    const gone = new Set(code.filter((e) => e.kind === 'delete' || e.kind === 'rename').map((e) => e.path));
    const checkBefore = [...new Set([...changedBefore, ...importers])];
    const ls = project.getLanguageService().compilerObject;
    const missing = checkBefore.filter((f) => !this.before.has(f));
    if (missing.length) {
      const { diagnostics } = await collectDiagnostics({ ts: wp.ts, program: ls.getProgram()!, root: wp.root, files: missing, ...(signal ? { signal } : {}) });
      for (const f of missing) this.before.set(f, []);
      for (const d of diagnostics) this.before.get(d.file)?.push(d);
    }
    // Lay the change over the project, check, put every file back.
    const originals = new Map<string, string | undefined>();
    const remember = (rel: string) => {
      if (!originals.has(rel)) originals.set(rel, project.getSourceFile(wp.abs(rel))?.getFullText());
    };
    try {
      for (const e of code) {
        remember(e.path);
        if (e.kind === 'delete' || e.kind === 'rename') {
          const sf = project.getSourceFile(wp.abs(e.path));
          if (sf) project.removeSourceFile(sf);
        }
        const to = e.kind === 'rename' ? e.to : e.kind === 'delete' ? undefined : e.path;
        const content = e.kind === 'rename' ? e.content ?? originals.get(e.path) : e.kind === 'delete' ? undefined : e.content;
        if (to && content !== undefined) {
          remember(to);
          project.createSourceFile(wp.abs(to), normalize(content), { overwrite: true });
        }
      }
      const changedAfter = code.map((e) => (e.kind === 'rename' ? e.to : e.path)).filter((p) => !gone.has(p) || code.some((e) => e.kind === 'rename' && e.to === p));
      const checkAfter = [...new Set([...changedAfter, ...[...importers].filter((f) => !gone.has(f))])];
      const { diagnostics: after } = await collectDiagnostics({ ts: wp.ts, program: ls.getProgram()!, root: wp.root, files: checkAfter, ...(signal ? { signal } : {}) });
      const before = checkBefore.flatMap((f) => this.before.get(f) ?? []);
      return diffDiagnostics(before, after).introduced;
    } finally {
      for (const [rel, text] of originals) {
        const abs = wp.abs(rel);
        if (text === undefined) {
          const sf = project.getSourceFile(abs);
          if (sf) project.removeSourceFile(sf);
        } else project.createSourceFile(abs, text, { overwrite: true });
      }
    }
  }
}
