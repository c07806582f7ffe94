// Impact of a change set (or a stored proposal) on a workspace, computed entirely in memory:
// what changed (files, declarations), who depends on it (reverse import graph, tests, references),
// what a user of the package sees (public API), whether it still type-checks (delta of the
// affected files' diagnostics with the change overlaid on the project), and a risk score with
// its reasons. Nothing is written.
//
// Cost: the project is loaded once (one parse per file), one type checker runs before the
// overlay and one after, and only the changed files and their dependents are type-checked — never
// the whole program — so a small proposal on a big workspace stays cheap. Above
// `limits.maxTypeCheckFiles` affected files the check narrows to direct importers, then is skipped,
// and the report says so. Changes that touch no TypeScript/JavaScript never load ts-morph.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ChangeSet, FileEdit } from '../proposals/changeSet';
import type { Proposal } from '../proposals/model';
import { WorkspaceProject } from '../ts/workspaceProject';
import { RustyError } from '../util/errors';
import { sha256 } from '../util/hash';
import { normalize, readText } from '../util/text';
import { cancelledError, isCancellation, throwIfCancelled } from './cancel';
import { readerOf, yieldNow, type WorkspaceReader, type WorkspaceSource } from '../engine/context';
import { DEFAULT_TEST_PATTERNS, impactFiles, isCodeFile, isTestFile, touchesCode } from './classify';
import { entryPointsOf, packageDirsFor } from './entryPoints';
import { changeSetFromProposal } from './fromProposal';
import { createResolver, ImportGraph, transitiveDependents } from './importGraph';
import { diffExports, entryExports, type ApiContext } from './publicApi';
import { assessRisk } from './risk';
import { diffDeclarations, parse, type SymbolDiff } from './symbols';
import { collectDiagnostics, diffDiagnostics } from './typeCheck';
import type { ProjectTypeChecker } from '../tsEngine';
import {
  DEFAULT_IMPACT_LIMITS, type ImpactDiagnostic, type ImpactLimits, type ImpactReport, type PublicApiChange,
  type ReferenceLocation, type SymbolReferences, type TypeCheckDelta,
} from './types';

/** The workspace: `fs` (EngineContext.fs, through the port) or `root` on disk. */
export interface ComputeImpactOptions extends WorkspaceSource {
  signal?: AbortSignal;
  /** Blob reader, needed when `input` is a stored proposal (its texts live in the blob store). */
  readBlob?: (hash: string) => Uint8Array;
  /** Workspace-relative tsconfig; default tsconfig.json, else jsconfig.json, else inferred options. */
  tsconfig?: string;
  limits?: Partial<ImpactLimits>;
  testPatterns?: readonly RegExp[];
  /** Per-phase progress (for a status line). */
  onPhase?: (phase: string) => void;
  /**
   * The project's own compiler (TypeScript ≥ 7 through its API, src/core/tsEngine) for the
   * type-check delta: the proposal is its in-memory overlay, and the check is never narrowed or
   * skipped for size. Default: the bundled TypeScript through ts-morph, within `maxTypeCheckFiles`.
   */
  typeChecker?: ProjectTypeChecker;
  /** Type-check changed files and all dependents (the whole program when the walk stopped), ignoring `maxTypeCheckFiles`. */
  fullCheck?: boolean;
}

const MAX_MESSAGE = 500;

function afterPath(e: FileEdit): string | undefined {
  return e.kind === 'delete' ? undefined : e.kind === 'rename' ? e.to : e.path;
}

function beforePath(e: FileEdit): string | undefined {
  return e.kind === 'create' ? undefined : e.path;
}

export async function computeImpact(input: ChangeSet | Proposal, opts: ComputeImpactOptions): Promise<ImpactReport> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  const limits: ImpactLimits = { ...DEFAULT_IMPACT_LIMITS, ...opts.limits };
  const patterns = opts.testPatterns ?? DEFAULT_TEST_PATTERNS;
  const { signal } = opts;
  const cs: ChangeSet = 'edits' in input ? input : changeSetFromProposal(input, opts.readBlob ?? noBlobs);
  const files = impactFiles(cs, patterns);
  const notes: string[] = [];
  throwIfCancelled(signal);

  const finish = (partial: Omit<ImpactReport, 'risk' | 'version' | 'computedAt' | 'durationMs' | 'notes' | 'timings'>): ImpactReport => ({
    version: 1,
    computedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    ...partial,
    risk: assessRisk(partial),
    notes,
    timings,
  });

  if (!touchesCode(cs)) {
    return finish({
      files, symbols: [], references: { total: 0, symbols: [], truncated: false },
      dependents: { total: 0, direct: 0, files: [], truncated: false }, tests: [],
      publicApi: { entryPoints: [], changes: [] },
      typeCheck: { status: 'skipped', reason: 'no TypeScript or JavaScript file changed', checkedFiles: 0, introduced: [], removed: [] },
    });
  }

  let reader: WorkspaceReader | undefined;
  // 1. The project, loaded once (every file parsed once, through readFile).
  opts.onPhase?.('loading the TypeScript project');
  let wp: WorkspaceProject;
  try {
    reader = readerOf(opts, signal);
    wp = await WorkspaceProject.load({ fs: reader, ...(signal ? { signal } : {}), ...(opts.tsconfig ? { tsconfig: opts.tsconfig } : {}) });
  } catch (err) {
    if (isCancellation(err, signal)) throw cancelledError();
    const config = opts.tsconfig ?? (await Promise.all(['tsconfig.json', 'jsconfig.json'].map(async (n) => (await reader?.stat(n).catch(() => undefined)) ? n : undefined))).find(Boolean);
    const message = err instanceof Error ? err.message : String(err);
    throw new RustyError('io', `Could not load the TypeScript project${config ? ` (${config})` : ''}: ${message}`);
  }
  const ts = wp.ts;
  const root = wp.root;
  const ws = reader!;
  const read = (rel: string) => ws.read(rel).catch(() => undefined);
  const project = wp.project;
  const programFiles = new Set(wp.files());
  phase('load');
  throwIfCancelled(signal);

  // 2. Texts of both states of every changed code file.
  const codeEdits = cs.edits.filter((e) => isCodeFile(e.path) || (e.kind === 'rename' && isCodeFile(e.to)));
  const beforeText = new Map<string, string>();
  const afterText = new Map<string, string>();
  for (const e of codeEdits) {
    const from = beforePath(e);
    if (from) {
      const base = wp.base(from) ?? (await read(from));
      if (base) {
        beforeText.set(from, readText(base).text);
        if ('baseHash' in e && e.baseHash && sha256(base) !== e.baseHash) notes.push(`${from} changed since the proposal was computed; impact is against its current text.`);
      }
    }
    const to = afterPath(e);
    if (to) {
      const content = e.kind === 'rename' ? e.content : e.kind === 'delete' ? undefined : e.content;
      const text = content !== undefined ? normalize(content) : from ? beforeText.get(from) : undefined;
      if (text !== undefined) afterText.set(to, text);
    }
  }
  const changedBefore = [...beforeText.keys()];
  const changedAfter = [...afterText.keys()];
  const changedAll = [...new Set([...changedBefore, ...changedAfter])];

  // 3. Reverse import graph over the program plus test files the tsconfig leaves out.
  opts.onPhase?.('building the import graph');
  const graphTexts = new Map<string, string>();
  for (const rel of programFiles) graphTexts.set(rel, project.getSourceFile(wp.abs(rel))!.getFullText());
  for (const [rel, text] of beforeText) graphTexts.set(rel, text);
  let outsideTests = 0;
  try {
    for (const rel of await ws.list()) {
      if (graphTexts.has(rel) || !isTestFile(rel, patterns)) continue;
      const bytes = await read(rel);
      if (!bytes) continue;
      graphTexts.set(rel, readText(bytes).text);
      outsideTests++;
    }
  } catch (err) {
    if (isCancellation(err, signal)) throw cancelledError();
    throw err;
  }
  const compilerOptions = project.getCompilerOptions();
  const presentBefore = new Set(graphTexts.keys());
  const gBefore = await ImportGraph.build(ts, graphTexts, createResolver({ ts, root, compilerOptions, present: presentBefore, absent: new Set() }), signal);
  const removedPaths = new Set(cs.edits.filter((e) => e.kind === 'delete' || e.kind === 'rename').map((e) => e.path));
  const presentAfter = new Set([...presentBefore].filter((p) => !removedPaths.has(p)));
  for (const p of changedAfter) presentAfter.add(p);
  const resolveAfter = createResolver({ ts, root, compilerOptions, present: presentAfter, absent: removedPaths });
  const gAfter = new ImportGraph();
  for (const [rel, text] of afterText) gAfter.setFile(ts, rel, text, resolveAfter);
  if (cs.edits.some((e) => e.kind === 'create' || e.kind === 'rename')) {
    // A new path can satisfy imports that did not resolve before.
    const created = new Set(changedAfter.filter((p) => !presentBefore.has(p)));
    for (const rel of gBefore.unresolved) {
      const text = graphTexts.get(rel);
      if (text === undefined || afterText.has(rel) || removedPaths.has(rel)) continue;
      const now = new ImportGraph();
      now.setFile(ts, rel, text, resolveAfter);
      if ([...now.imports(rel)].some((t) => created.has(t))) gAfter.setFile(ts, rel, text, resolveAfter);
    }
  }
  const deps = transitiveDependents([gBefore, gAfter], changedAll, limits.maxDependents);
  const tests = [...new Set([...changedAll.filter((f) => isTestFile(f, patterns)), ...deps.files.filter((f) => isTestFile(f, patterns))])].sort();
  if (outsideTests) notes.push(`${outsideTests} test file${outsideTests === 1 ? '' : 's'} outside the TypeScript project (tsconfig include) ${outsideTests === 1 ? 'was' : 'were'} searched for imports too.`);
  if (deps.truncated) notes.push(`Stopped counting dependents at ${limits.maxDependents} files.`);
  phase('graph');
  throwIfCancelled(signal);

  // 4. Declarations added, removed and modified (syntactic).
  const symbolDiffs: SymbolDiff[] = [];
  for (const e of codeEdits) {
    const from = beforePath(e);
    const to = afterPath(e);
    const b = from && beforeText.has(from) ? parse(ts, from, beforeText.get(from)!) : undefined;
    const a = to && afterText.has(to) ? parse(ts, to, afterText.get(to)!) : undefined;
    symbolDiffs.push(...diffDeclarations(ts, { ...(from ? { beforePath: from } : {}), ...(to ? { afterPath: to } : {}), ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) }));
  }
  const moved = cs.edits.filter((e): e is Extract<FileEdit, { kind: 'rename' }> => e.kind === 'rename' && isCodeFile(e.path));
  phase('symbols');

  // Changed code files the tsconfig leaves out are type-checked too (with its options), so the
  // delta covers every changed file.
  const outsideProgram = changedBefore.filter((f) => !programFiles.has(f));
  for (const rel of outsideProgram) project.createSourceFile(wp.abs(rel), beforeText.get(rel)!, { overwrite: true });
  if (outsideProgram.length && !opts.typeChecker) notes.push(`Type-checked ${outsideProgram.join(', ')} with the workspace tsconfig although it does not include ${outsideProgram.length === 1 ? 'it' : 'them'}.`);

  // 5. The "before" program: references, public API, diagnostics.
  opts.onPhase?.('type-checking before the change');
  const ls = project.getLanguageService().compilerObject;
  const before = ls.getProgram();
  if (!before) throw new RustyError('io', 'The TypeScript language service produced no program.');
  const references = findReferences(ls, before, root, symbolDiffs, moved, limits, signal);
  if (references.truncatedSymbols) notes.push(`References were looked up for the first ${limits.maxReferenceSymbols} changed exported symbols only.`);
  phase('references');
  await yieldNow();
  throwIfCancelled(signal);

  const reach = new Set([...changedAll, ...deps.files]);
  const pkgDirs = packageDirsFor(changedAll, (d) => fs.existsSync(path.join(root, ...d.split('/'), 'package.json')));
  const existsBefore = (rel: string) => programFiles.has(rel) || beforeText.has(rel);
  const entries = new Set<string>();
  for (const dir of pkgDirs) {
    const pj = await read(dir === '' ? 'package.json' : `${dir}/package.json`);
    for (const e of entryPointsOf(dir, pj ? readText(pj).text : undefined, (rel) => existsBefore(rel) || afterText.has(rel))) entries.add(e);
  }
  const reachedEntries = [...entries].filter((e) => reach.has(e)).sort();
  const apiCtx = (program: TsNamespace.Program): ApiContext => ({ ts, program, root, reach });
  const apiBefore = new Map(reachedEntries.map((e) => [e, entryExports(apiCtx(before), e)] as const));
  phase('publicApiBefore');
  throwIfCancelled(signal);

  const native = opts.typeChecker;
  const plan = native || opts.fullCheck ? fullTypeCheckPlan(changedBefore, changedAfter, deps, programFiles) : typeCheckPlan(changedBefore, changedAfter, deps, programFiles, limits);
  let diagBefore: ImpactDiagnostic[] = [];
  let checkedBefore = 0;
  const renamedTo = new Map(moved.map((e) => [e.path, e.to] as const));
  if (plan.status !== 'skipped' && !native) {
    const r = await collectDiagnostics({ ts, program: before, root, files: plan.whole ? [...programFiles] : plan.before, label: (rel) => renamedTo.get(rel) ?? rel, ...(signal ? { signal } : {}) });
    diagBefore = r.diagnostics;
    checkedBefore = r.checked;
  }
  phase('typeCheckBefore');
  throwIfCancelled(signal);

  // 6. Overlay the change set in memory (nothing is saved) and look again.
  opts.onPhase?.('type-checking with the change');
  for (const e of codeEdits) {
    const from = beforePath(e);
    if (from && (e.kind === 'delete' || e.kind === 'rename')) {
      const sf = project.getSourceFile(wp.abs(from)) ?? project.addSourceFileAtPathIfExists(wp.abs(from));
      sf?.delete(); // queued in ts-morph's in-memory file system; never saved
    }
    const to = afterPath(e);
    if (to && afterText.has(to)) project.createSourceFile(wp.abs(to), afterText.get(to)!, { overwrite: true });
  }
  const nonCode = cs.edits.filter((e) => !codeEdits.includes(e) && /\.(?:json|d\.ts)$/i.test(afterPath(e) ?? e.path));
  if (nonCode.length && !native) notes.push(`Not overlaid for the type-check: ${nonCode.map((e) => e.path).join(', ')} (configuration and JSON files are read from disk).`);
  const after = ls.getProgram();
  if (!after) throw new RustyError('io', 'The TypeScript language service produced no program.');
  let diagAfter: ImpactDiagnostic[] = [];
  let checkedAfter = 0;
  if (native) {
    // The proposal as the compiler's in-memory overlay (JSON and .d.ts edits included).
    const overlay = new Map<string, string | null>();
    for (const e of cs.edits) {
      const from = beforePath(e);
      if (from && (e.kind === 'delete' || e.kind === 'rename')) overlay.set(from, null);
      const to = afterPath(e);
      if (!to) continue;
      const text = afterText.get(to) ?? (e.kind !== 'delete' && e.content !== undefined ? normalize(e.content) : undefined);
      if (text !== undefined) overlay.set(to, text);
      else if (from && e.kind === 'rename') {
        const bytes = await read(from);
        if (bytes) overlay.set(to, readText(bytes).text);
      }
    }
    const rootPrefix = root.split(path.sep).join('/') + '/';
    const toImpact = (label?: (rel: string) => string) => (d: { file: string | null; line: number | null; code: number; category: string; message: string }): ImpactDiagnostic[] =>
      d.file !== null && (d.category === 'error' || d.category === 'warning') ? [{ file: label ? label(d.file) : d.file, line: d.line ?? 0, code: d.code, message: d.message.split(rootPrefix).join('') }] : [];
    const r = await native.checkWithOverlay({ overlay, ...(plan.whole ? {} : { before: plan.before, after: plan.after }) }, signal);
    diagBefore = r.before.flatMap(toImpact((rel) => renamedTo.get(rel) ?? rel));
    diagAfter = r.after.flatMap(toImpact());
    checkedBefore = r.checkedBefore;
    checkedAfter = r.checkedAfter;
  } else if (plan.status !== 'skipped') {
    const r = await collectDiagnostics({ ts, program: after, root, files: plan.whole ? afterProgramFiles(after, root) : plan.after, ...(signal ? { signal } : {}) });
    diagAfter = r.diagnostics;
    checkedAfter = r.checked;
  }
  phase('typeCheckAfter');
  throwIfCancelled(signal);
  const apiChanges: PublicApiChange[] = [];
  for (const entry of reachedEntries) {
    const renamed = renamedTo.get(entry);
    const deleted = cs.edits.some((e) => e.kind === 'delete' && e.path === entry);
    apiChanges.push(...diffExports(entry, apiBefore.get(entry), deleted ? undefined : entryExports(apiCtx(after), renamed ?? entry)));
  }
  phase('publicApiAfter');

  const delta = diffDiagnostics(diagBefore, diagAfter);
  // Matching used the whole message; what is kept is shortened (TypeScript's elaborations run long).
  const cap = (list: ImpactDiagnostic[], what: string) => {
    if (list.length > limits.maxDiagnostics) notes.push(`${list.length} diagnostics ${what}; the first ${limits.maxDiagnostics} are listed.`);
    return list.slice(0, limits.maxDiagnostics).map((d) => (d.message.length > MAX_MESSAGE ? { ...d, message: `${d.message.slice(0, MAX_MESSAGE - 1)}…` } : d));
  };
  const typeCheck: TypeCheckDelta = {
    status: plan.status,
    ...(plan.reason ? { reason: plan.reason } : {}),
    ...(plan.status !== 'checked' ? { limit: limits.maxTypeCheckFiles } : {}),
    ...(opts.fullCheck && !native ? { full: true } : {}),
    checkedFiles: Math.max(checkedBefore, checkedAfter),
    introduced: cap(delta.introduced, 'introduced'),
    removed: cap(delta.removed, 'removed'),
  };
  if (typeCheck.status !== 'checked' && plan.reason) notes.push(`Type-check ${typeCheck.status}: ${plan.reason}`);

  return finish({
    files,
    symbols: symbolDiffs.map(({ before: _before, ...s }) => s),
    references: { total: references.total, symbols: references.symbols, truncated: references.truncatedSymbols || references.truncatedLocations },
    dependents: { total: deps.files.length, direct: deps.direct.size, files: deps.files.slice(0, limits.maxListedDependents), truncated: deps.truncated || deps.files.length > limits.maxListedDependents },
    tests,
    publicApi: { entryPoints: [...entries].sort(), changes: apiChanges },
    typeCheck,
    compiler: native?.compiler ?? { engine: 'bundled', version: ts.version },
  });
}

function noBlobs(): Uint8Array {
  throw new RustyError('usage', 'computeImpact needs readBlob to read a stored proposal.');
}

interface TypeCheckPlan { status: TypeCheckDelta['status']; reason?: string; before: string[]; after: string[]; whole?: boolean }

/** Which files to type-check: changed + all dependents, else changed + direct importers, else none. */
function typeCheckPlan(changedBefore: string[], changedAfter: string[], deps: ReturnType<typeof transitiveDependents>, programFiles: ReadonlySet<string>, limits: ImpactLimits): TypeCheckPlan {
  const all = deps.files.filter((f) => programFiles.has(f));
  const direct = all.filter((f) => deps.direct.has(f));
  const total = new Set([...changedBefore, ...changedAfter, ...all]).size;
  const max = limits.maxTypeCheckFiles;
  const plan = (dependents: string[]) => ({ before: [...new Set([...changedBefore, ...dependents])], after: [...new Set([...changedAfter, ...dependents])] });
  if (!deps.truncated && total <= max) return { status: 'checked', ...plan(all) };
  const narrowed = new Set([...changedBefore, ...changedAfter, ...direct]).size;
  const many = deps.truncated ? `more than ${deps.files.length}` : String(all.length);
  if (narrowed <= max) {
    return { status: 'partial', reason: `${many} files depend on the change (limit ${max}); checked the ${narrowed} changed files and direct importers.`, ...plan(direct) };
  }
  return { status: 'skipped', reason: `${narrowed} changed files and direct importers exceed the type-check limit of ${max} files (large workspace).`, before: [], after: [] };
}

/** The program's own files (workspace-relative, no declaration files from libraries). */
function afterProgramFiles(program: TsNamespace.Program, root: string): string[] {
  const out: string[] = [];
  for (const sf of program.getSourceFiles()) {
    const rel = path.relative(root, sf.fileName).split(path.sep).join('/');
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && !rel.includes('node_modules/')) out.push(rel);
  }
  return out;
}

/** The native engine (and "check now") is never limited: changed + all dependents, or the whole program (before/after empty, status 'checked') when the walk stopped. */
function fullTypeCheckPlan(changedBefore: string[], changedAfter: string[], deps: ReturnType<typeof transitiveDependents>, programFiles: ReadonlySet<string>): TypeCheckPlan {
  if (deps.truncated) return { status: 'checked', reason: `more than ${deps.files.length} files depend on the change; the whole program was type-checked.`, before: [], after: [], whole: true };
  const all = deps.files.filter((f) => programFiles.has(f));
  return { status: 'checked', before: [...new Set([...changedBefore, ...all])], after: [...new Set([...changedAfter, ...all])] };
}

interface ReferencesResult { total: number; symbols: SymbolReferences[]; truncatedSymbols: boolean; truncatedLocations: boolean }

/**
 * References (outside their own declaration) to each changed or removed exported declaration, and
 * to the exports of moved files, in the workspace as it is now — the places the change can break.
 */
function findReferences(ls: TsNamespace.LanguageService, program: TsNamespace.Program, root: string, symbols: SymbolDiff[], moved: { path: string }[], limits: ImpactLimits, signal?: AbortSignal): ReferencesResult {
  const targets = symbols
    .filter((s) => s.exported && s.before && !s.commentsOnly && s.change !== 'added' && s.kind !== 're-export')
    .sort((a, b) => (a.change === 'removed' ? 0 : 1) - (b.change === 'removed' ? 0 : 1));
  // Exports of a moved file: every importer's specifier has to follow it.
  for (const m of moved) {
    const sf = program.getSourceFile(path.join(root, ...m.path.split('/')));
    if (!sf) continue;
    const checker = program.getTypeChecker();
    const mod = checker.getSymbolAtLocation(sf);
    for (const exp of mod ? checker.getExportsOfModule(mod) : []) {
      const decl = exp.declarations?.find((d) => d.getSourceFile() === sf);
      const name = decl && (decl as { name?: TsNamespace.Node }).name;
      if (name && !targets.some((t) => t.before?.file === m.path && t.name === exp.name)) {
        targets.push({ file: m.path, name: exp.name, kind: 'export', change: 'modified', exported: true, line: sf.getLineAndCharacterOfPosition(name.getStart(sf)).line + 1, before: { file: m.path, pos: name.getStart(sf) } });
      }
    }
  }
  const out: SymbolReferences[] = [];
  let total = 0;
  let kept = 0;
  let truncatedLocations = false;
  for (const s of targets.slice(0, limits.maxReferenceSymbols)) {
    throwIfCancelled(signal);
    const abs = path.join(root, ...s.before!.file.split('/'));
    if (!program.getSourceFile(abs)) continue;
    let found: readonly TsNamespace.ReferencedSymbol[] | undefined;
    try {
      found = ls.findReferences(abs, s.before!.pos);
    } catch {
      continue; // the language service cannot resolve it (e.g. a syntax error); not fatal
    }
    const seen = new Set<string>();
    const locations: ReferenceLocation[] = [];
    for (const group of found ?? []) {
      for (const ref of group.references) {
        if (ref.isDefinition) continue;
        const rel = path.relative(root, ref.fileName).split(path.sep).join('/');
        if (rel.startsWith('..') || rel.split('/').includes('node_modules')) continue;
        const id = `${rel}:${ref.textSpan.start}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const sf = program.getSourceFile(ref.fileName);
        const lc = sf ? sf.getLineAndCharacterOfPosition(ref.textSpan.start) : { line: 0, character: 0 };
        if (kept < limits.maxReferenceLocations) {
          locations.push({ file: rel, line: lc.line + 1, column: lc.character + 1 });
          kept++;
        } else {
          truncatedLocations = true;
        }
      }
    }
    total += seen.size;
    out.push({ file: s.file, name: s.name, count: seen.size, locations });
  }
  return { total, symbols: out, truncatedSymbols: targets.length > limits.maxReferenceSymbols, truncatedLocations };
}
