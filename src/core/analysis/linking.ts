// Linking: each file's imports and re-exports resolved to files, the module graph's edges, and
// the entry points.
import { findEntries as findEntriesIn, type EntryResult } from './entries';
import type { Edge } from './graph';
import { ModuleResolver } from './resolver';
import type { FileState, SessionState } from './state';

/** Resolvers built again (the set of files changed) and every file linked. */
export function linkAll(s: SessionState): void {
  const known = new Set(s.files.keys());
  s.resolvers = s.units.map((u) => new ModuleResolver(s.ts, s.root, u.options, known, s.units));
  for (const f of s.files.values()) link(s, f);
  s.usage = undefined;
}

export function link(s: SessionState, f: FileState): void {
  const resolver = s.resolvers[f.unit] ?? s.resolvers[0]!;
  f.importTargets = f.facts.imports.map((i) => resolver.resolve(f.rel, i));
  f.reExportTargets = f.facts.reExports.map((r) => resolver.resolve(f.rel, { spec: r.spec }));
  const edges: Edge[] = [];
  // Imports used only as types are elided from the output unless the options keep every import.
  const o = s.units[f.unit]?.options ?? {};
  const keepsImports = !!(o.verbatimModuleSyntax || (o as { preserveValueImports?: boolean }).preserveValueImports);
  f.facts.imports.forEach((imp, i) => {
    const to = f.importTargets[i];
    if (to) edges.push({ to, runtime: !imp.typeOnly && !imp.dynamic && !imp.reference && (!imp.typeUseOnly || keepsImports) });
  });
  f.facts.reExports.forEach((r, i) => {
    const to = f.reExportTargets[i];
    if (to) edges.push({ to, runtime: !r.typeOnly });
  });
  s.graph.setEdges(f.rel, edges);
  s.usage = undefined;
}

export function findEntries(s: SessionState): EntryResult {
  const candidates = new Set([...s.files.values()].filter((f) => f.inProgram && f.role === 'source').map((f) => f.rel));
  return findEntriesIn({ files: candidates, units: s.units, root: s.root, packageJsons: s.packageJsons, ...(s.opts.entries ? { explicit: s.opts.entries } : {}) });
}
