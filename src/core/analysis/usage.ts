// Unused exports, unused files and the public API, from the files' facts and resolved imports
// (no type checker, like knip). An export is used when something outside its file asks for it:
// an import of that name, a namespace import whose member is read (or that is used whole), or a
// re-export that is itself used — through any chain of barrels, `export *` included. Entry points
// use all they export; test and tool-config files use what they import. Use inside the declaring
// file does not count (the `export` keyword could go) — except that when another file imports a
// value whose type names another export of its file, that one stays used too (the importer's
// inferred types may need to name it: TS4023), as knip decides. `@public`, `@beta` and `@alias` in
// JSDoc opt out.
import type { FileFacts, ReExportFact } from './facts';
import type { ExportKind, PublicApiEntry, UnusedExportEntry } from './types';

export type FileRole = 'source' | 'test' | 'config';

export interface LinkedFile {
  rel: string;
  facts: FileFacts;
  role: FileRole;
  /** Resolved workspace targets, parallel to facts.imports / facts.reExports (undefined: a package or unresolved). */
  importTargets: (string | undefined)[];
  reExportTargets: (string | undefined)[];
}

interface Named { type: 'local'; kind: ExportKind; typeOnly: boolean; line: number; isPublic: boolean; typeRefs: string[] | undefined }
interface Forward { type: 're'; fact: ReExportFact; target: string | undefined }
type ExportEntry = Named | Forward;
interface Table { named: Map<string, ExportEntry>; stars: (string | undefined)[] }

export interface UsageResult {
  unusedExports: UnusedExportEntry[];
  unusedFiles: string[];
  publicApi: PublicApiEntry[];
}

const DECLARATION_FILE = /\.d\.[cm]?ts$/;

export function analyzeUsage(files: ReadonlyMap<string, LinkedFile>, entries: readonly string[]): UsageResult {
  const tables = new Map<string, Table>();
  const table = (rel: string): Table | undefined => {
    let t = tables.get(rel);
    if (t) return t;
    const f = files.get(rel);
    if (!f) return undefined;
    t = { named: new Map(), stars: [] };
    for (const e of f.facts.exports) t.named.set(e.name, { type: 'local', kind: e.kind, typeOnly: e.typeOnly, line: e.line, isPublic: !!e.isPublic, typeRefs: e.typeRefs });
    f.facts.reExports.forEach((r, i) => {
      if (r.as === '*') t!.stars.push(f.reExportTargets[i]);
      else if (!t!.named.has(r.as)) t!.named.set(r.as, { type: 're', fact: r, target: f.reExportTargets[i] });
    });
    tables.set(rel, t);
    return t;
  };

  // Demand propagation: (file, name) pairs, '*' = every name, '*-' = every name but default
  // (export *). `imported` says whether the demand comes from an import (whose file may infer
  // types from the export) rather than from an entry point exposing it: only then do the types
  // the export's signature names have to stay exported (as knip decides).
  const used = new Set<string>();
  const seen = new Set<string>();
  const work: [string, string, boolean][] = [];
  const demand = (file: string | undefined, name: string, imported: boolean) => {
    if (file !== undefined) work.push([file, name, imported]);
  };
  const drain = () => {
    while (work.length) {
      const [file, name, imported] = work.pop()!;
      const key = `${file}\0${name}\0${imported ? 1 : 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const t = table(file);
      if (!t) continue;
      const useEntry = (n: string, e: ExportEntry) => {
        used.add(`${file}\0${n}`);
        if (e.type === 're') demand(e.target, e.fact.from, imported);
        else if (imported) for (const r of e.typeRefs ?? []) demand(file, r, imported);
      };
      if (name === '*' || name === '*-') {
        for (const [n, e] of t.named) if (name === '*' || n !== 'default') useEntry(n, e);
        for (const s of t.stars) demand(s, '*-', imported);
        continue;
      }
      const e = t.named.get(name);
      if (e) useEntry(name, e);
      else if (name !== 'default') for (const s of t.stars) demand(s, name, imported);
    }
  };

  // Only files something reaches count as users; a file nothing reaches is reported as unused
  // itself, and what only it uses is unused too (remove the file and that is plain to see).
  const reached = reachable(files, entries);
  for (const e of entries) demand(e, '*', false);
  for (const f of files.values()) {
    if (!reached.has(f.rel)) continue;
    f.facts.imports.forEach((imp, i) => {
      const target = f.importTargets[i];
      if (!target || target === f.rel) return; // a file using its own exports does not count
      if (imp.all) demand(target, '*', true);
      else for (const n of imp.names) demand(target, n, true);
    });
  }
  drain();

  const entrySet = new Set(entries);
  const unusedExports: UnusedExportEntry[] = [];
  if (entries.length) {
    for (const f of files.values()) {
      if (f.role !== 'source' || entrySet.has(f.rel) || DECLARATION_FILE.test(f.rel) || !reached.has(f.rel)) continue;
      for (const [name, e] of table(f.rel)!.named) {
        if (used.has(`${f.rel}\0${name}`)) continue;
        if (e.type === 'local') {
          if (!e.isPublic) unusedExports.push({ file: f.rel, name, line: e.line, kind: e.kind, typeOnly: e.typeOnly });
        } else {
          const origin = resolveExport(table, e.target, e.fact.from);
          unusedExports.push({ file: f.rel, name, line: e.fact.line, kind: origin.kind, typeOnly: e.fact.typeOnly || origin.typeOnly });
        }
      }
    }
  }
  unusedExports.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.name < b.name ? -1 : 1)));

  const unusedFiles = entries.length
    ? [...files.values()].filter((f) => f.role === 'source' && !reached.has(f.rel) && !DECLARATION_FILE.test(f.rel) && f.facts.isModule).map((f) => f.rel).sort()
    : [];
  return { unusedExports, unusedFiles, publicApi: publicApi(files, table, entries) };
}

/** The declaration a (file, name) export comes from, following re-exports and `export *`. */
function resolveExport(table: (rel: string) => Table | undefined, file: string | undefined, name: string): { kind: ExportKind; typeOnly: boolean; declaredIn: string | null } {
  const seen = new Set<string>();
  const n = name;
  let cur = file;
  while (cur !== undefined) {
    if (n === '*') return { kind: 'namespace', typeOnly: false, declaredIn: cur };
    const key = `${cur}\0${n}`;
    if (seen.has(key)) break;
    seen.add(key);
    const t = table(cur);
    if (!t) break;
    const e = t.named.get(n);
    if (e?.type === 'local') return { kind: e.kind, typeOnly: e.typeOnly, declaredIn: cur };
    if (e?.type === 're') {
      if (e.target === undefined) return { kind: e.fact.from === '*' ? 'namespace' : 'unknown', typeOnly: e.fact.typeOnly, declaredIn: null };
      const inner = resolveExport(table, e.target, e.fact.from);
      return { ...inner, typeOnly: inner.typeOnly || e.fact.typeOnly };
    }
    if (n === 'default') break;
    const from = t.stars.find((s) => s !== undefined && exportsName(table, s, n, new Set()));
    if (from === undefined) return { kind: 'unknown', typeOnly: false, declaredIn: null };
    cur = from;
  }
  return { kind: 'unknown', typeOnly: false, declaredIn: null };
}

function exportsName(table: (rel: string) => Table | undefined, file: string, name: string, seen: Set<string>): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const t = table(file);
  if (!t) return false;
  if (t.named.has(name)) return true;
  return name !== 'default' && t.stars.some((s) => s !== undefined && exportsName(table, s, name, seen));
}

/** Every name an entry exports, `export *` expanded (local names win over starred ones, default never comes through a star). */
function allNames(table: (rel: string) => Table | undefined, file: string, seen: Set<string>): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const t = table(file);
  if (!t) return names;
  for (const n of t.named.keys()) names.add(n);
  for (const s of t.stars) {
    if (s === undefined) continue;
    for (const n of allNames(table, s, seen)) if (n !== 'default') names.add(n);
  }
  return names;
}

function publicApi(files: ReadonlyMap<string, LinkedFile>, table: (rel: string) => Table | undefined, entries: readonly string[]): PublicApiEntry[] {
  const out: PublicApiEntry[] = [];
  for (const entry of entries) {
    if (!files.has(entry)) continue;
    for (const name of [...allNames(table, entry, new Set())].sort()) {
      const r = resolveExport(table, entry, name);
      out.push({ entry, name, kind: r.kind, declaredIn: r.declaredIn, typeOnly: r.typeOnly });
    }
  }
  return out;
}

/** Files reachable from the entries, tests and tool configs through any import (types included). */
function reachable(files: ReadonlyMap<string, LinkedFile>, entries: readonly string[]): Set<string> {
  const reached = new Set<string>();
  const stack = [...entries];
  for (const f of files.values()) if (f.role !== 'source') stack.push(f.rel);
  while (stack.length) {
    const rel = stack.pop()!;
    if (reached.has(rel)) continue;
    reached.add(rel);
    const f = files.get(rel);
    if (!f) continue;
    for (const t of f.importTargets) if (t && !reached.has(t)) stack.push(t);
    for (const t of f.reExportTargets) if (t && !reached.has(t)) stack.push(t);
  }
  return reached;
}
