// Rename symbol: every place TypeScript's rename finds (optionally also comments and strings),
// refused when the new name is not a valid identifier or would clash with an existing name.
import type { ChangeSet } from '../../proposals/changeSet';
import { type Refactor, type RenameParams, signalOf } from '../api';
import { planRename, type RenamePlan } from './engine';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { describeDiagnostic, diagnosticKeys, editsFromTexts, introducedDiagnostics, offsetAt, programFile, ScratchEdits, throwIfCancelled, workspaceRel } from './support';

export { planRename, RENAME_PREFERENCES, type PlannedLocation, type RenamePlan, type RenameRequest } from './engine';
export { nameProblem, roleOfKind, type NameRole } from './identifier';

export const RENAME_SOURCE = 'refactoring:rename';

export const proposeRename: Refactor<RenameParams> = async (ctx, params) => {
  const wp = ctx.project;
  throwIfCancelled(signalOf(ctx), 'Rename');
  const rel = workspaceRel(wp, params.file);
  const { sf } = programFile(wp, rel);
  const offset = offsetAt(sf, rel, params.at);
  const plan = planRename(wp, {
    file: rel, offset, newName: params.newName,
    ...(params.inComments ? { inComments: true } : {}),
    ...(params.inStrings ? { inStrings: true } : {}),
  }, signalOf(ctx));
  if (plan.role === 'member' || plan.role === 'private') verifyMemberRename(wp, plan, signalOf(ctx));
  const edits = editsFromTexts(wp, plan.texts);
  throwIfCancelled(signalOf(ctx), 'Rename');
  const changeSet: ChangeSet = {
    title: `Rename ${plan.oldName} → ${plan.newName}`,
    rationale: renameRationale(plan, edits.length),
    source: RENAME_SOURCE,
    priority: 'normal',
    edits,
  };
  return changeSet;
};

/**
 * TypeScript renames a member through declared types; a type that has the member only
 * structurally (an object literal checked against another type literal, a class that matches an
 * interface without `implements`, a library type in a union) keeps the old name and the program
 * breaks. So member renames are type-checked: the files that mention the old or the new name,
 * before and after, must have the same diagnostics.
 */
function verifyMemberRename(wp: WorkspaceProject, plan: RenamePlan, signal: AbortSignal | undefined): void {
  const t = wp.ts;
  const words = [plan.oldName, plan.newName].map((n) => new RegExp(`(?<![\\p{ID_Continue}$#])${n.replace(/[$]/g, '\\$')}(?![\\p{ID_Continue}$])`, 'u'));
  const mentions = wp.files().filter((rel) => plan.texts.has(rel) || words.some((w) => w.test(wp.sourceFile(rel).getFullText())));
  const { program } = programFile(wp, mentions[0] ?? [...plan.texts.keys()][0]!);
  const sourceFiles = (p: typeof program) => mentions.map((rel) => p.getSourceFile(wp.abs(rel))).filter((f): f is NonNullable<typeof f> => !!f);
  const before = diagnosticKeys(t, program, sourceFiles(program));
  throwIfCancelled(signal, 'Rename');
  const scratch = new ScratchEdits(wp);
  try {
    for (const [rel, text] of plan.texts) scratch.set(rel, text);
    const after = programFile(wp, mentions[0] ?? [...plan.texts.keys()][0]!).program;
    const introduced = introducedDiagnostics(before, diagnosticKeys(t, after, sourceFiles(after)));
    if (introduced.length > 0) {
      throw new RustyError('refused', `Renaming the member \`${plan.oldName}\` to \`${plan.newName}\` would break the build: ${introduced.slice(0, 3).map((d) => describeDiagnostic(t, wp, d)).join('; ')}. `
        + 'TypeScript renames members through declared types, and these places use a type that has the member only structurally; give them a common declared type (or rename them too) first.');
    }
  } finally {
    scratch.restore();
  }
}

export function renameRationale(plan: RenamePlan, fileCount: number): string {
  const code = plan.locations.filter((l) => l.kind === 'code').length;
  const text = plan.locations.length - code;
  const aliased = plan.locations.filter((l) => l.newText !== plan.newName && l.kind === 'code').length;
  const parts = [
    `Renames the ${plan.kind} \`${plan.oldName}\`${plan.declaredAt ? ` (declared at ${plan.declaredAt})` : ''} to \`${plan.newName}\`:`,
    `${plural(plan.locations.length, 'location')} in ${plural(fileCount, 'file')}, exactly the TypeScript language service's rename locations`
      + `${text > 0 ? ` (${code} in code, ${text} in comments or strings)` : ''}.`,
  ];
  if (aliased > 0) parts.push(`${plural(aliased, 'import or re-export')} keep${aliased === 1 ? 's' : ''} its existing name through an alias (as VS Code's rename does).`);
  parts.push(`Checked first: no declaration, import, member or export named \`${plan.newName}\` clashes in any scope that sees the renamed symbol`
    + `${plan.role === 'member' || plan.role === 'private' ? ', and the files that mention either name type-check as before' : ''}.`);
  return parts.join(' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
