// Remove unused export: stops exporting a name that nothing outside its file uses.
//
// "Unused" is checked with TypeScript's findReferences over the whole program (importers, named
// re-exports in barrels, consumers of `export *` barrels, `import('./x').name` types; test files
// in the program count), plus a scan of the workspace files the tsconfig leaves out (tests,
// scripts) that import the file or a barrel re-exporting it and mention the name. A name that a
// package entry point reaches (package.json main/module/types/exports, mapped back to sources) is
// public API and stays.
//
// What is removed: when the file itself does not use the declaration either and deleting it
// cannot drop a side effect (functions, classes without decorators or static side effects,
// interfaces, types, enums, variables with pure initializers), the whole declaration goes, with
// the imports only it used; otherwise only the `export` keyword (or the `export { … }` specifier)
// goes and the declaration stays. Either way the file's own diagnostics must stay the same (a
// removal that would leave something else unused under noUnusedLocals falls back to dropping the
// keyword; if that too changes them, the refactoring is refused). A file left without imports or
// exports gets `export {};` so it stays a module. Nothing is written; the project is left as it was.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ChangeSet } from '../../proposals/changeSet';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { throwIfCancelled, type WorkspaceReader } from '../../engine/context';
import { sha256 } from '../../util/hash';
import { minus } from '../../util/multiset';
import { encodeLike, isBinary, readText } from '../../util/text';
import { engineOf, type RefactoringContext, type RemoveUnusedExportParams } from '../api';
import { collectModuleRefs, makeResolver, readerHost } from '../move-file/moduleRefs';
import { applyEdits, findExportSites, importBindingRemoval, isRemovable, removalEdits, unexportEdits, type ExportSite } from './exportSites';
import { entryFiles, packageEntries, publicThrough } from './publicApi';

type Ts = typeof TsNamespace;

export const REMOVE_UNUSED_EXPORT_SOURCE = 'refactoring:remove-unused-export';

export interface ExportUser { path: string; line: number; column: number; outsideProject?: boolean }

export interface RemoveUnusedExportResult {
  changeSet: ChangeSet;
  file: string;
  name: string;
  /** 'declaration': the declaration was deleted too; 'export': only the export keyword/specifier. */
  removed: 'declaration' | 'export';
  /** Import bindings deleted because only the removed declaration used them. */
  removedImports: string[];
  /** Files searched for users: in the program, and outside it. */
  searched: { program: number; outsideProject: number };
}

const MAX_LISTED_USERS = 5;
const MAX_OUTSIDE_BYTES = 5 * 1024 * 1024;

export async function removeUnusedExport(ctx: RefactoringContext, params: RemoveUnusedExportParams): Promise<RemoveUnusedExportResult> {
  const wp = ctx.project;
  const ts = wp.ts;
  const engine = engineOf(ctx, 'Remove unused export');
  const signal = engine.signal;
  checkCancelled(signal);
  const rel = params.file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
  const name = params.name.trim();
  if (!name) throw new RustyError('refused', 'Name the export to remove.');
  if (name === 'default') throw new RustyError('refused', `Remove unused export handles named exports; the default export of ${rel} is not one (remove it by hand if nothing imports it).`);
  const programRels = wp.files();
  if (!programRels.includes(rel)) throw new RustyError('refused', `${rel} is not part of the TypeScript project (check tsconfig include/exclude), so its users cannot be checked.`);

  const ls = wp.project.getLanguageService().compilerObject;
  const program = ls.getProgram();
  if (!program) throw new RustyError('refused', 'The TypeScript program could not be built.');
  const checker = program.getTypeChecker();
  const options = program.getCompilerOptions();
  const abs = path.resolve(wp.abs(rel));
  const sf = program.getSourceFile(abs)!;

  // 1. Where the file exports the name.
  const sites = findExportSites(ts, sf, name);
  if (sites.length === 0) throw notExported(ts, checker, wp, sf, rel, name);
  checkCancelled(signal);

  // 2. Users in the program (TypeScript's findReferences).
  const { users, usedInFile } = programUsers(ts, ls, program, checker, wp, sf, sites, name);
  checkCancelled(signal);

  // 3. Users among the files the program leaves out.
  const outside = users.length === 0 ? await outsideUsers(wp, engine.fs, ts, program, options, abs, name, new Set(programRels), signal) : { users: [], searched: 0 };
  users.push(...outside.users);
  if (users.length > 0) {
    const files = new Set(users.map((u) => u.path));
    const listed = users.slice(0, MAX_LISTED_USERS).map((u) => `${u.path}:${u.line}:${u.column}${u.outsideProject ? ' (outside the TypeScript project)' : ''}`);
    throw new RustyError('refused', `\`${name}\` is used outside ${rel}, in ${files.size} file${files.size === 1 ? '' : 's'}: ${listed.join(', ')}${users.length > MAX_LISTED_USERS ? `, and ${users.length - MAX_LISTED_USERS} more` : ''}.`);
  }
  checkCancelled(signal);

  // 4. Public API of a package.
  const entries = entryFiles(wp, await packageEntries(wp, rel), options).sort((a, b) => Number(b.file === rel) - Number(a.file === rel));
  const declarations = new Set<TsNamespace.Node>(sites.map((s) => s.declaration));
  const via = publicThrough(ts, checker, program, wp, entries, (s) => s.declarations?.some((d) => declarations.has(d)) ?? false);
  if (via) {
    throw new RustyError('refused', `\`${name}\` is part of the public API of package ${via.entry.packageName}: ${via.file === rel ? `${rel} is` : `it is exported from ${via.file},`} an entry point (package.json ${via.entry.field}: "${via.entry.target}").`);
  }
  checkCancelled(signal);

  // 5. The edit, checked against the file's diagnostics.
  const wholeDeclaration = !usedInFile && sites.every((s) => (s.kind === 'declaration' || s.kind === 'declarator') && isRemovable(ts, s));
  const wsf = wp.sourceFile(rel);
  const original = wsf.getFullText();
  const diagnostics = (): string[] => [...ls.getSyntacticDiagnostics(abs), ...ls.getSemanticDiagnostics(abs)]
    .map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`).sort();
  const before = diagnostics();
  const attempt = (plan: 'declaration' | 'export'): { text: string; introduced: string[]; removedImports: string[] } => {
    let text = applyEdits(sf.text, plan === 'declaration' ? removalEdits(ts, sf, sites) : unexportEdits(ts, sf, sites));
    const removedImports: string[] = [];
    if (plan === 'declaration') {
      for (const local of importsOnlyUsedBy(ts, checker, sf, sites)) {
        const parsed = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true);
        const edit = importBindingRemoval(ts, parsed, local);
        if (!edit) continue;
        text = applyEdits(text, [edit]);
        removedImports.push(local);
      }
    }
    // Still a module (a script would put its declarations in the global scope).
    if (!ts.isExternalModule(ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true))) {
      const body = text.replace(/\s*$/, '');
      text = body ? `${body}\n\nexport {};\n` : 'export {};\n';
    }
    try {
      wsf.replaceWithText(text);
      return { text, introduced: minus(diagnostics(), before), removedImports };
    } finally {
      wsf.replaceWithText(original);
    }
  };
  let plan: 'declaration' | 'export' = wholeDeclaration ? 'declaration' : 'export';
  let outcome = attempt(plan);
  if (outcome.introduced.length > 0 && plan === 'declaration') {
    plan = 'export';
    outcome = attempt(plan);
  }
  if (outcome.introduced.length > 0) {
    throw new RustyError('refused', `Removing the export \`${name}\` from ${rel} would introduce ${outcome.introduced.length} diagnostic${outcome.introduced.length === 1 ? '' : 's'} there: ${outcome.introduced.slice(0, 3).join('; ')}${outcome.introduced.length > 3 ? '; …' : ''}.`);
  }

  const base = wp.base(rel) ?? (await wp.readFile(rel));
  if (!base) throw new RustyError('not-found', `${rel} could not be read.`);
  const searched = { program: programRels.length, outsideProject: outside.searched };
  const rationale = [
    `\`${name}\` has no references outside ${rel} (TypeScript's findReferences across the ${searched.program} files of the project${searched.outsideProject ? `, and ${searched.outsideProject} files outside it that import it` : ''}) and no package entry point exports it.`,
    plan === 'declaration'
      ? `Nothing in ${rel} uses it either, so the declaration is deleted${outcome.removedImports.length ? `, with the imports only it used (${outcome.removedImports.join(', ')})` : ''}.`
      : `The declaration stays (${usedInFile ? `${rel} uses it` : 'deleting it could drop a side effect'}); only the export is removed.`,
  ].join(' ');
  return {
    changeSet: {
      title: `Remove unused export ${name} from ${rel}`,
      rationale,
      source: REMOVE_UNUSED_EXPORT_SOURCE,
      priority: 'low',
      edits: [{ kind: 'modify', path: rel, baseHash: sha256(base), content: encodeLike(outcome.text, readText(base).format) }],
    },
    file: rel, name, removed: plan, removedImports: outcome.removedImports, searched,
  };
}

function notExported(ts: Ts, checker: TsNamespace.TypeChecker, wp: WorkspaceProject, sf: TsNamespace.SourceFile, rel: string, name: string): RustyError {
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (moduleSymbol && checker.getExportsOfModule(moduleSymbol).some((s) => s.name === name)) {
    for (const st of sf.statements) {
      if (!ts.isExportDeclaration(st) || st.exportClause || !st.moduleSpecifier) continue;
      const target = checker.getSymbolAtLocation(st.moduleSpecifier);
      if (!target || !checker.getExportsOfModule(target).some((s) => s.name === name)) continue;
      const from = target.declarations?.find((d) => ts.isSourceFile(d)) as TsNamespace.SourceFile | undefined;
      const spec = (st.moduleSpecifier as TsNamespace.StringLiteral).text;
      return new RustyError('refused', `\`${name}\` is not declared in ${rel}: it comes from \`export * from '${spec}'\`; remove the export in ${from ? wp.rel(from.fileName) : spec} instead.`);
    }
  }
  return new RustyError('refused', `${rel} has no export named \`${name}\`.`);
}

function programUsers(
  ts: Ts, ls: TsNamespace.LanguageService, program: TsNamespace.Program, checker: TsNamespace.TypeChecker, wp: WorkspaceProject,
  sf: TsNamespace.SourceFile, sites: readonly ExportSite[], name: string,
): { users: ExportUser[]; usedInFile: boolean } {
  const abs = path.resolve(sf.fileName);
  const users = new Map<string, ExportUser>();
  let usedInFile = false;
  for (const site of sites) {
    const upstream = upstreamDeclarations(ts, checker, site);
    for (const group of ls.findReferences(sf.fileName, site.nameNode.getStart(sf)) ?? []) {
      const def = group.definition;
      const defFile = path.resolve(def.fileName);
      const defText = program.getSourceFile(def.fileName)?.text.slice(def.textSpan.start, def.textSpan.start + def.textSpan.length).replace(/^['"]|['"]$/g, '');
      // Another export of this file (`export { x as y }`) is a different export, not a use of this one.
      const otherExportHere = defFile === abs && defText !== name;
      // What a re-export re-exports (`export { x } from './y'`: y's x, and all its users) is not this export either.
      const isUpstream = upstream.some((d) => path.resolve(d.getSourceFile().fileName) === defFile && def.textSpan.start >= d.getStart() && def.textSpan.start < d.end);
      if (isUpstream) continue;
      for (const ref of group.references) {
        const file = path.resolve(ref.fileName);
        if (file === abs) {
          if (!ref.isDefinition && !insideSite(ref.textSpan.start, sites, sf)) usedInFile = true;
          continue;
        }
        if (otherExportHere) continue;
        const refRel = wp.rel(file);
        if (refRel.startsWith('..') || refRel.split('/').includes('node_modules')) continue;
        const refSf = program.getSourceFile(ref.fileName);
        const lc = refSf?.getLineAndCharacterOfPosition(ref.textSpan.start) ?? { line: 0, character: 0 };
        users.set(`${refRel}:${ref.textSpan.start}`, { path: refRel, line: lc.line + 1, column: lc.character + 1 });
      }
    }
  }
  return { users: [...users.values()].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line), usedInFile };
}

/** Declarations of what a re-export site refers to, all the way down its alias chain. */
function upstreamDeclarations(ts: Ts, checker: TsNamespace.TypeChecker, site: ExportSite): TsNamespace.Declaration[] {
  if (site.kind !== 'specifier' && site.kind !== 'namespace-export') return [];
  const out: TsNamespace.Declaration[] = [];
  let s = checker.getSymbolAtLocation(site.nameNode);
  for (let depth = 0; s && s.flags & ts.SymbolFlags.Alias && depth < 20; depth++) {
    s = checker.getImmediateAliasedSymbol(s);
    if (s?.declarations) out.push(...s.declarations);
  }
  return out;
}

/** Whether a position is the export's own name (a declaration of an overload or merged declaration). */
function insideSite(pos: number, sites: readonly ExportSite[], sf: TsNamespace.SourceFile): boolean {
  return sites.some((s) => pos >= s.nameNode.getStart(sf) && pos < s.nameNode.end);
}

async function outsideUsers(
  wp: WorkspaceProject, fs: WorkspaceReader, ts: Ts, program: TsNamespace.Program, options: TsNamespace.CompilerOptions, abs: string, name: string,
  programRels: Set<string>, signal: AbortSignal | undefined,
): Promise<{ users: ExportUser[]; searched: number }> {
  const programFiles = new Set(program.getSourceFiles().map((f) => path.resolve(f.fileName)));
  const host = await readerHost(ts, fs, programFiles);
  const resolve = makeResolver({ ts, options, host, present: (p) => programFiles.has(p), currentDirectory: wp.root });
  // Modules through which the name is importable: the file and every `export *` barrel over it.
  const edges: [string, string][] = [];
  for (const rel of programRels) {
    const f = program.getSourceFile(wp.abs(rel));
    if (!f) continue;
    for (const ref of collectModuleRefs(ts, f)) {
      const parent = ref.literal.parent;
      if (ref.kind !== 'export' || !ts.isExportDeclaration(parent) || (parent.exportClause && !ts.isNamespaceExport(parent.exportClause))) continue;
      const target = resolve(ref, f);
      if (target) edges.push([path.resolve(f.fileName), target]);
    }
  }
  const reachable = new Set([abs]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [from, to] of edges) {
      if (reachable.has(to) && !reachable.has(from)) {
        reachable.add(from);
        grew = true;
      }
    }
  }
  let listed: string[];
  try {
    listed = await fs.list();
  } catch (err) {
    checkCancelled(signal);
    throw err;
  }
  const word = new RegExp(`(^|[^\\w$])${name.replace(/[$]/g, '\\$')}($|[^\\w$])`);
  const users: ExportUser[] = [];
  let searched = 0;
  for (const rel of listed) {
    if (programRels.has(rel)) continue;
    checkCancelled(signal);
    const bytes = await wp.readFile(rel).catch(() => undefined);
    if (!bytes || bytes.byteLength > MAX_OUTSIDE_BYTES || isBinary(bytes)) continue;
    const { text } = readText(bytes);
    if (!word.test(text)) continue;
    const fileAbs = path.resolve(wp.abs(rel));
    const f = ts.createSourceFile(fileAbs, text, { languageVersion: ts.ScriptTarget.Latest, impliedNodeFormat: ts.getImpliedNodeFormatForFile(fileAbs, undefined, ts.sys, options) }, true);
    if (!collectModuleRefs(ts, f).some((ref) => { const t = resolve(ref, f); return t !== undefined && reachable.has(t); })) continue;
    searched++;
    const use = firstIdentifier(ts, f, name);
    if (use === undefined) continue;
    const lc = f.getLineAndCharacterOfPosition(use);
    users.push({ path: rel, line: lc.line + 1, column: lc.character + 1, outsideProject: true });
  }
  return { users, searched };
}

function firstIdentifier(ts: Ts, sf: TsNamespace.SourceFile, name: string): number | undefined {
  let found: number | undefined;
  const visit = (node: TsNamespace.Node): void => {
    if (found !== undefined) return;
    if ((ts.isIdentifier(node) || ts.isStringLiteral(node)) && node.text === name && !ts.isImportDeclaration(node.parent) && (ts.isIdentifier(node) || ts.isImportSpecifier(node.parent) || ts.isExportSpecifier(node.parent))) {
      found = node.getStart(sf);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return found;
}

/** Local names of import bindings that only the removed declarations use. */
function importsOnlyUsedBy(ts: Ts, checker: TsNamespace.TypeChecker, sf: TsNamespace.SourceFile, sites: readonly ExportSite[]): string[] {
  const removed = new Set<TsNamespace.Node>(sites.map((s) => (s.kind === 'declarator' ? s.declaration : s.statement)));
  const symbolOf = (id: TsNamespace.Identifier): TsNamespace.Symbol | undefined => {
    const parent = id.parent;
    if (ts.isShorthandPropertyAssignment(parent) && parent.name === id) return checker.getShorthandAssignmentValueSymbol(parent);
    if (ts.isExportSpecifier(parent)) return checker.getExportSpecifierLocalTargetSymbol(parent);
    return checker.getSymbolAtLocation(id);
  };
  const isImportBinding = (d: TsNamespace.Declaration): boolean =>
    d.getSourceFile() === sf && (ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d) || ts.isImportEqualsDeclaration(d));
  const candidates = new Map<TsNamespace.Symbol, string>();
  const inRemoved = (node: TsNamespace.Node): void => {
    if (ts.isIdentifier(node)) {
      const s = symbolOf(node);
      if (s?.declarations?.some(isImportBinding)) candidates.set(s, node.text);
    }
    ts.forEachChild(node, inRemoved);
  };
  for (const node of removed) inRemoved(node);
  if (candidates.size === 0) return [];
  const used = new Set<TsNamespace.Symbol>();
  const elsewhere = (node: TsNamespace.Node): void => {
    if (removed.has(node) || ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      const s = symbolOf(node);
      if (s && candidates.has(s)) used.add(s);
    }
    ts.forEachChild(node, elsewhere);
  };
  ts.forEachChild(sf, elsewhere);
  return [...candidates].filter(([s]) => !used.has(s)).map(([, local]) => local);
}

function checkCancelled(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Remove unused export');
}
