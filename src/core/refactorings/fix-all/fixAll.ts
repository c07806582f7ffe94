// Fix all: TypeScript's combined code fix for one diagnostic code, in every file that has the
// diagnostic (or in one file). The fix id is the one TypeScript's quick fix reports for that code
// (getCodeFixesAtPosition); when its diagnostics prefer different fixes (TS6133 on an import:
// "Delete all unused imports", on a local: "Delete all unused declarations") each is applied in
// turn. The fix per file is getCombinedCodeFix. A combined fix covers every
// code of its family (adding `override` fixes TS4114 and TS4115 alike); when it changed
// diagnostics of other codes in a file, that file is fixed again from its original text with the
// single fixes of the asked code only, so "fix all TS4114" changes TS4114 sites and nothing else.
//
// The project is edited in memory to compute later rounds and to count what was fixed, then put
// back as it was: the result is a change set built from the texts; nothing is written.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ChangeSet, FileEdit } from '../../proposals/changeSet';
import type { SourceFile, WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { ticker } from '../../engine/context';
import { sha256 } from '../../util/hash';
import { encodeLike, readText } from '../../util/text';
import { type FixAllParams, type RefactoringContext, signalOf } from '../api';

type Ts = typeof TsNamespace;

export const FIX_ALL_SOURCE = 'refactoring:fix-all';

export interface FixAllOptions extends FixAllParams {
  /** A fix id other than the first one TypeScript offers for the code (e.g. 'unusedIdentifier_prefix'). */
  fixId?: string;
}

export interface FixAllResult {
  changeSet: ChangeSet;
  code: number;
  /** The fix ids applied, most used first. */
  fixIds: string[];
  /** TypeScript's description of the fix-all ("Add all missing 'override' modifiers"). */
  description: string;
  /** Diagnostics of the code before, and how many of them are gone. */
  found: number;
  fixed: number;
  remaining: number;
  /** Files the change set touches. */
  files: string[];
  /** Files fixed one diagnostic at a time because the combined fix also changed other codes. */
  oneByOne: string[];
  /** Per code (`TS1234`): diagnostics of other codes that went away / appeared in the touched files. */
  alsoFixed: Record<string, number>;
  introduced: Record<string, number>;
}

const MAX_ROUNDS = 25;
const MAX_FIX_ID_PROBES = 100;
const YIELD_EVERY_MS = 25;

interface Scan { fileName: string; rel: string; diagnostics: TsNamespace.Diagnostic[] }

export async function fixAll(ctx: RefactoringContext, params: FixAllOptions): Promise<FixAllResult> {
  const wp = ctx.project;
  const ts = wp.ts;
  const tick = ticker(signalOf(ctx), 'Fix all', YIELD_EVERY_MS);
  await tick(true);
  const code = params.code;
  if (!Number.isInteger(code) || code <= 0) throw new RustyError('refused', `${String(code)} is not a diagnostic code (write it as a number, e.g. 6133 for TS6133).`);
  const label = `TS${code}`;

  const scopeRels = scopeFiles(wp, params.file);
  const scopeText = params.file ? params.file : 'the project';
  const ls = wp.project.getLanguageService().compilerObject;
  const format: TsNamespace.FormatCodeSettings = { ...ts.getDefaultFormatCodeSettings('\n'), newLineCharacter: '\n' };
  const preferences: TsNamespace.UserPreferences = {};

  // 1. Where the code is reported: errors first; suggestion diagnostics (a type check's worth
  //    more) only when the code is not an error here or is one TypeScript reports both ways.
  const before = new Map<string, Scan>();
  for (const rel of scopeRels) {
    await tick();
    const fileName = wp.abs(rel);
    before.set(fileName, { fileName, rel, diagnostics: diagnosticsOf(ls, fileName, false) });
  }
  const withSuggestions = BOTH_WAYS.has(code) || ![...before.values()].some((s) => s.diagnostics.some((d) => d.code === code));
  if (withSuggestions) {
    for (const scan of before.values()) {
      await tick();
      scan.diagnostics.push(...ls.getSuggestionDiagnostics(scan.fileName));
    }
  }
  const withCode = [...before.values()].filter((s) => s.diagnostics.some((d) => d.code === code));
  const found = withCode.reduce((n, s) => n + s.diagnostics.filter((d) => d.code === code).length, 0);
  if (found === 0) throw new RustyError('refused', `There are no ${label} diagnostics in ${scopeText}.`);

  // 2. The fix id TypeScript's quick fix reports for the code. TypeScript leaves the id out of a
  //    quick fix when its file has a single fixable diagnostic, and some fixes have no fix-all at
  //    all: then each diagnostic gets its first quick fix that edits code, one at a time (unless
  //    no quick fix edits anything: "install @types/node" is a command, not an edit).
  const chosen = chooseFixes(ls, withCode, code, format, preferences, params.fixId);
  let fixIds = chosen.fixIds;
  let singleFixes = false;
  if (fixIds.length === 0) {
    if (params.fixId) {
      if (!fixIdExists(ls, withCode[0]!.fileName, params.fixId, format, preferences)) throw new RustyError('refused', `TypeScript offers no fix "${params.fixId}" for ${label} here.`);
      fixIds = [params.fixId];
    } else if (!chosen.single) {
      throw new RustyError('refused', `TypeScript has no fix for ${label} in ${scopeText} (none of its quick fixes edits code at these diagnostics).`);
    } else {
      singleFixes = true;
    }
  }
  await tick(true);

  /** Each touched file's text before the fix; null for a file the fix creates. */
  const originals = new Map<string, string | null>();
  const failed: string[] = [];
  try {
    // 3. Combined fixes, in rounds: fixes computed on the same program are applied together unless
    //    two of them touch the same file; those wait for the next round (on the updated program).
    if (singleFixes) {
      for (const scan of withCode) await fixEachInFile(ls, wp, scan.fileName, code, withSuggestions, format, preferences, originals, failed, tick);
    }
    for (const fixId of singleFixes ? [] : fixIds) {
      let pending = withCode.map((s) => s.fileName);
      for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
        const claimed = new Set<string>();
        const accepted: TsNamespace.FileTextChanges[][] = [];
        const deferred: string[] = [];
        for (const fileName of pending) {
          await tick();
          let fix: { changes: readonly TsNamespace.FileTextChanges[] };
          try {
            fix = ls.getCombinedCodeFix({ type: 'file', fileName }, fixId, format, preferences);
          } catch {
            // A TypeScript internal failure in one file: leave that file as it is.
            failed.push(wp.rel(fileName));
            continue;
          }
          const targets = fix.changes.map((c) => path.resolve(c.fileName));
          if (targets.some((t) => claimed.has(t))) {
            deferred.push(fileName);
            continue;
          }
          for (const t of targets) claimed.add(t);
          accepted.push([...fix.changes]);
        }
        for (const changes of accepted) applyFileChanges(wp, changes, originals);
        if (accepted.length === 0) break;
        pending = deferred;
      }
    }
    await tick(true);

    // 4. What changed in the diagnostics of the touched files; files where other codes changed are
    //    redone with the single fixes of this code.
    const oneByOne: string[] = [];
    const counted = async (): Promise<Map<string, Map<number, number>>> => {
      const out = new Map<string, Map<number, number>>();
      for (const fileName of new Set([...originals.keys(), ...withCode.map((s) => s.fileName)])) {
        await tick();
        out.set(fileName, countByCode(diagnosticsOf(ls, fileName, withSuggestions)));
      }
      return out;
    };
    let after = await counted();
    const collateral = singleFixes ? [] : [...originals.keys()].filter((f) => before.has(f) && otherCodesDecreased(countByCode(before.get(f)!.diagnostics), after.get(f)!, code));
    if (collateral.length > 0) {
      for (const fileName of collateral) restore(wp, fileName, originals);
      for (const fileName of collateral) {
        await fixOneByOne(ls, wp, fileName, code, new Set(fixIds), format, preferences, originals, tick);
        oneByOne.push(wp.rel(fileName));
      }
      after = await counted();
    }

    // 5. The change set.
    const edits: FileEdit[] = [];
    for (const [fileName, original] of originals) {
      const sf = wp.project.getSourceFile(fileName);
      const text = sf?.getFullText() ?? original;
      if (text === original || text === null) continue;
      const rel = wp.rel(fileName);
      if (rel.startsWith('..') || rel.split('/').includes('node_modules')) {
        throw new RustyError('refused', `Fixing ${label} would change ${fileName}, which is outside the workspace.`);
      }
      if (original === null) {
        edits.push({ kind: 'create', path: rel, content: text });
        continue;
      }
      const base = wp.base(rel) ?? (await wp.readFile(rel));
      if (!base) throw new RustyError('not-found', `${rel} could not be read.`);
      edits.push({ kind: 'modify', path: rel, baseHash: sha256(base), content: encodeLike(text, readText(base).format) });
    }
    edits.sort((a, b) => a.path.localeCompare(b.path));
    if (edits.length === 0) throw new RustyError('refused', `TypeScript's fix-all for ${label} ("${chosen.description}") changes nothing in ${scopeText}.`);

    let remaining = 0;
    const alsoFixed: Record<string, number> = {};
    const introduced: Record<string, number> = {};
    for (const [fileName, counts] of after) {
      if (before.has(fileName)) remaining += counts.get(code) ?? 0;
      const was = before.has(fileName) ? countByCode(before.get(fileName)!.diagnostics) : undefined;
      if (!was) continue;
      for (const c of new Set([...was.keys(), ...counts.keys()])) {
        if (c === code) continue;
        const delta = (counts.get(c) ?? 0) - (was.get(c) ?? 0);
        if (delta < 0) alsoFixed[`TS${c}`] = (alsoFixed[`TS${c}`] ?? 0) - delta;
        if (delta > 0) introduced[`TS${c}`] = (introduced[`TS${c}`] ?? 0) + delta;
      }
    }
    const fixed = Math.max(0, found - remaining);
    const files = edits.map((e) => e.path);
    const message = firstMessage(ts, withCode, code);
    const rationale = [
      `Fixes ${plural(fixed, `${label} diagnostic`)} of ${found} in ${scopeText} (${message}) with ${singleFixes ? `TypeScript's quick fixes, one diagnostic at a time (TypeScript has no fix-all for ${label} here; e.g. "${chosen.description}")` : `TypeScript's fix-all "${chosen.description}" (${fixIds.join(', ')})`}, in ${plural(files.length, 'file')}.`,
      remaining ? `${remaining} remain (the fix does not cover them).` : '',
      oneByOne.length ? `In ${plural(oneByOne.length, 'file')} the combined fix also changed other diagnostics, so only the ${label} sites were fixed there, one at a time: ${oneByOne.slice(0, 5).join(', ')}${oneByOne.length > 5 ? ', …' : ''}.` : '',
      Object.keys(alsoFixed).length ? `Also resolves ${describeCounts(alsoFixed)}.` : '',
      Object.keys(introduced).length ? `Introduces ${describeCounts(introduced)}.` : '',
      failed.length ? `TypeScript failed to compute the fix in ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}; left as they are.` : '',
    ].filter(Boolean).join(' ');
    const changeSet: ChangeSet = {
      title: `Fix all ${label} in ${files.length === 1 ? files[0] : `${files.length} files`} (${plural(fixed, 'diagnostic')})`,
      rationale,
      source: FIX_ALL_SOURCE,
      priority: 'normal',
      edits,
    };
    return { changeSet, code, fixIds, description: chosen.description, found, fixed, remaining, files, oneByOne, alsoFixed, introduced };
  } finally {
    for (const fileName of [...originals.keys()]) restore(wp, fileName, originals);
  }
}

function scopeFiles(wp: WorkspaceProject, file: string | undefined): string[] {
  const all = wp.files();
  if (file === undefined) return all;
  const rel = file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
  if (!all.includes(rel)) throw new RustyError('refused', `${rel} is not part of the TypeScript project (check tsconfig include/exclude).`);
  return [rel];
}

/**
 * Codes TypeScript reports as errors or as suggestions depending on the options (unused locals vs
 * parameters, deprecations): for these both kinds are always looked at.
 */
const BOTH_WAYS = new Set([6133, 6138, 6192, 6196, 6198, 6199, 6205, 6385, 6387, 7027, 7028]);

function diagnosticsOf(ls: TsNamespace.LanguageService, fileName: string, withSuggestions = true): TsNamespace.Diagnostic[] {
  const out = [...ls.getSyntacticDiagnostics(fileName), ...ls.getSemanticDiagnostics(fileName)];
  return withSuggestions ? out.concat(ls.getSuggestionDiagnostics(fileName)) : out;
}

function countByCode(diags: readonly TsNamespace.Diagnostic[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of diags) out.set(d.code, (out.get(d.code) ?? 0) + 1);
  return out;
}

function otherCodesDecreased(was: Map<number, number>, now: Map<number, number>, code: number): boolean {
  for (const [c, n] of was) if (c !== code && (now.get(c) ?? 0) < n) return true;
  return false;
}

/** The fix ids the code's diagnostics prefer (the first fix with a fix id at each), most used first. */
function chooseFixes(
  ls: TsNamespace.LanguageService, scans: Scan[], code: number, format: TsNamespace.FormatCodeSettings, preferences: TsNamespace.UserPreferences, wanted: string | undefined,
): { fixIds: string[]; description: string; single?: string; severalInOneFile: boolean } {
  let single: string | undefined;
  let probes = 0;
  const uses = new Map<string, { n: number; description: string }>();
  const severalInOneFile = scans.some((s) => s.diagnostics.filter((d) => d.code === code).length > 1);
  probing: for (const scan of scans) {
    for (const d of scan.diagnostics) {
      if (d.code !== code || d.start === undefined) continue;
      if (++probes > MAX_FIX_ID_PROBES) break probing;
      const fixes = ls.getCodeFixesAtPosition(scan.fileName, d.start, d.start + (d.length ?? 0), [code], format, preferences);
      single ??= fixes.find((f) => hasEdits(f.changes))?.description;
      const fix = fixes.find((f) => f.fixId !== undefined && (wanted === undefined || f.fixId === wanted));
      if (!fix) continue;
      const id = String(fix.fixId);
      const u = uses.get(id) ?? { n: 0, description: fix.fixAllDescription ?? fix.description };
      u.n++;
      uses.set(id, u);
      if (wanted !== undefined) break probing;
    }
  }
  const ranked = [...uses.entries()].sort((a, b) => b[1].n - a[1].n);
  const description = ranked.length ? ranked.map(([, u]) => u.description).join('; ') : single ?? '';
  return { fixIds: ranked.map(([id]) => id), description, severalInOneFile, ...(single ? { single } : {}) };
}

function hasEdits(changes: readonly TsNamespace.FileTextChanges[]): boolean {
  return changes.some((c) => c.textChanges.some((t) => t.newText.length > 0 || t.span.length > 0));
}

const MAX_SINGLE_FIXES = 200;

/**
 * No fix-all: the code's diagnostics in the file get their preferred quick fix (the first one that
 * edits code), one at a time on the updated text, while each fix removes a diagnostic of the code.
 */
async function fixEachInFile(
  ls: TsNamespace.LanguageService, wp: WorkspaceProject, fileName: string, code: number, withSuggestions: boolean,
  format: TsNamespace.FormatCodeSettings, preferences: TsNamespace.UserPreferences, originals: Map<string, string | null>, failed: string[], tick: (force?: boolean) => Promise<void>,
): Promise<void> {
  const left = () => diagnosticsOf(ls, fileName, withSuggestions).filter((d) => d.code === code && d.start !== undefined);
  let diags = left();
  const skipped = new Set<string>();
  for (let i = 0; diags.length > 0 && i < MAX_SINGLE_FIXES; i++) {
    await tick();
    const d = diags.find((x) => !skipped.has(`${x.start}:${x.length}`));
    if (!d) return;
    let changes: readonly TsNamespace.FileTextChanges[] | undefined;
    try {
      changes = ls.getCodeFixesAtPosition(fileName, d.start!, d.start! + (d.length ?? 0), [code], format, preferences).find((f) => hasEdits(f.changes))?.changes;
    } catch {
      failed.push(wp.rel(fileName));
      return;
    }
    if (!changes) {
      skipped.add(`${d.start}:${d.length}`);
      continue;
    }
    applyFileChanges(wp, changes, originals);
    const now = left();
    if (now.length >= diags.length) return; // the fix did not remove it: stop rather than loop
    diags = now;
  }
}

/** Whether TypeScript knows the fix id (asking for an unknown one throws inside the language service). */
function fixIdExists(ls: TsNamespace.LanguageService, fileName: string, fixId: string, format: TsNamespace.FormatCodeSettings, preferences: TsNamespace.UserPreferences): boolean {
  try {
    ls.getCombinedCodeFix({ type: 'file', fileName }, fixId, format, preferences);
    return true;
  } catch {
    return false;
  }
}

/** The code's single fixes with `fixId`, applied in rounds of non-overlapping changes until none is left. */
async function fixOneByOne(
  ls: TsNamespace.LanguageService, wp: WorkspaceProject, fileName: string, code: number, fixIds: ReadonlySet<string>,
  format: TsNamespace.FormatCodeSettings, preferences: TsNamespace.UserPreferences, originals: Map<string, string | null>, tick: (force?: boolean) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await tick();
    const diags = ls.getSemanticDiagnostics(fileName).concat(ls.getSyntacticDiagnostics(fileName), ls.getSuggestionDiagnostics(fileName))
      .filter((d) => d.code === code && d.start !== undefined);
    const byFile = new Map<string, TsNamespace.TextChange[]>();
    const merged: TsNamespace.FileTextChanges[] = [];
    let progress = false;
    for (const d of diags) {
      const fix = ls.getCodeFixesAtPosition(fileName, d.start!, d.start! + (d.length ?? 0), [code], format, preferences).find((f) => f.fixId !== undefined && fixIds.has(String(f.fixId)));
      if (!fix || fix.changes.length === 0) continue;
      const overlaps = fix.changes.some((fc) => fc.textChanges.some((c) => (byFile.get(path.resolve(fc.fileName)) ?? []).some((o) => spansTouch(o.span, c.span))));
      if (overlaps) continue;
      for (const fc of fix.changes) {
        const abs = path.resolve(fc.fileName);
        byFile.set(abs, [...(byFile.get(abs) ?? []), ...fc.textChanges]);
      }
      progress = true;
    }
    if (!progress) return;
    for (const [abs, textChanges] of byFile) merged.push({ fileName: abs, textChanges });
    applyFileChanges(wp, merged, originals);
  }
}

function spansTouch(a: TsNamespace.TextSpan, b: TsNamespace.TextSpan): boolean {
  return a.start === b.start || (a.start < b.start + b.length && b.start < a.start + a.length);
}

/** Applies language-service text changes to the project's files, remembering each file's original text. */
function applyFileChanges(wp: WorkspaceProject, changes: readonly TsNamespace.FileTextChanges[], originals: Map<string, string | null>): void {
  for (const fc of changes) {
    const abs = path.resolve(fc.fileName);
    let sf: SourceFile | undefined = wp.project.getSourceFile(abs);
    let created = false;
    if (!sf) {
      if (!fc.isNewFile) continue;
      sf = wp.project.createSourceFile(abs, '');
      created = true;
    }
    const text = sf.getFullText();
    if (!originals.has(abs)) originals.set(abs, created ? null : text);
    let out = text;
    for (const c of [...fc.textChanges].sort((a, b) => b.span.start - a.span.start)) {
      out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.start + c.span.length);
    }
    if (out !== text) sf.replaceWithText(out);
  }
}

function restore(wp: WorkspaceProject, fileName: string, originals: Map<string, string | null>): void {
  const original = originals.get(fileName);
  const sf = wp.project.getSourceFile(fileName);
  originals.delete(fileName);
  if (original === undefined || !sf) return;
  if (original === null) wp.project.removeSourceFile(sf);
  else if (sf.getFullText() !== original) sf.replaceWithText(original);
}

function firstMessage(ts: Ts, scans: Scan[], code: number): string {
  for (const s of scans) {
    const d = s.diagnostics.find((x) => x.code === code);
    if (d) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      return `e.g. "${text.length > 100 ? `${text.slice(0, 97)}…` : text}"`;
    }
  }
  return '';
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${n} × ${c}`).join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

