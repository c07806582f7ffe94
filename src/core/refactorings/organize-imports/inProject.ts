// Organize imports on the shared engine: the same algorithm as the per-file fast path (engine.ts
// organizeText), run with the language service of a WorkspaceProject that is already loaded — the
// workspace's real compiler options, resolved modules and types — instead of a private one-file
// project per config. Use it when a project is loaded anyway (after another refactoring, in an
// analysis session); use proposeOrganizeImports when nothing is loaded (it is faster cold).
// Each file's text is set in memory and put back; nothing is written and the project is left as
// it was.
import type { ModifyEdit } from '../../proposals/changeSet';
import { relPathProblem } from '../../proposals/paths';
import { throwIfCancelled, ticker } from '../../engine/context';
import { readText } from '../../util/text';
import { type RefactoringContext, signalOf } from '../api';
import { organizeText, type OrganizeOutcome } from './engine';
import { fileOutcome, MAY_HAVE_IMPORTS, organizeChangeSet, SOURCE_EXTENSION } from './outcome';
import type { FileSummary } from './summary';
import type { OrganizeImportsResult } from './index';

export interface OrganizeInProjectOptions {
  /** Workspace-relative paths; default: every file of the project. */
  files?: string[];
  onProgress?: (done: number, total: number, file: string) => void;
}

const YIELD_EVERY_MS = 25;
const WHAT = 'Organize imports';

export async function organizeImportsInProject(ctx: RefactoringContext, opts: OrganizeInProjectOptions = {}): Promise<OrganizeImportsResult> {
  const wp = ctx.project;
  const ts = wp.ts;
  const signal = signalOf(ctx);
  const check = (): void => throwIfCancelled(signal, WHAT);
  const tick = ticker(signal, WHAT, YIELD_EVERY_MS);
  check();
  const inProject = new Set(wp.files());
  const files = opts.files
    ? [...new Set(opts.files.map((f) => f.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')))]
    : [...inProject];
  const ls = wp.project.getLanguageService().compilerObject;
  const edits: ModifyEdit[] = [];
  const summaries: FileSummary[] = [];
  const skipped: OrganizeImportsResult['skipped'] = [];

  for (let i = 0; i < files.length; i++) {
    const rel = files[i]!;
    check();
    const problem = relPathProblem(rel);
    if (problem) skipped.push({ path: rel, reason: `path ${problem}` });
    else if (!SOURCE_EXTENSION.test(rel)) skipped.push({ path: rel, reason: 'not a TypeScript or JavaScript file' });
    else if (!inProject.has(rel)) skipped.push({ path: rel, reason: 'not part of the TypeScript project (check tsconfig include/exclude)' });
    else {
      const sf = wp.sourceFile(rel);
      const bytes = wp.base(rel) ?? (await wp.readFile(rel));
      const text = sf.getFullText();
      if (bytes && MAY_HAVE_IMPORTS.test(text)) {
        let outcome: OrganizeOutcome;
        try {
          outcome = organizeText(ts, ls, sf.getFilePath(), text, sf.compilerNode, (next) => {
            sf.replaceWithText(next);
            return sf.compilerNode;
          });
        } catch (err) {
          outcome = { kind: 'skipped', reason: `TypeScript could not organize it: ${(err instanceof Error ? err.message : String(err)).split('\n', 1)[0]}` };
        } finally {
          if (sf.getFullText() !== text) sf.replaceWithText(text);
        }
        const result = fileOutcome(rel, bytes, readText(bytes).format, outcome);
        if (result?.kind === 'skip') skipped.push({ path: rel, reason: result.reason });
        else if (result) {
          edits.push(result.edit);
          summaries.push(result.summary);
        }
      }
    }
    opts.onProgress?.(i + 1, files.length, rel);
    await tick();
  }
  check();
  return { changeSet: organizeChangeSet(edits, summaries), skipped };
}
