// The module dependency graph: who imports whom among the workspace's files. Cycles are the
// strongly connected components of *runtime* imports (Tarjan's algorithm): `import type`, type
// positions and `/// <reference>` vanish at runtime, and `import()` runs after initialisation, so
// none of them can make two modules wait on each other. Every edge (types included) counts for
// dependents, since a type change can break the files that import it.
import { createHash } from 'node:crypto';

export interface Edge {
  to: string;
  /** Part of module initialisation: a static, value-level import or re-export, or `require()`. */
  runtime: boolean;
}

export class ModuleGraph {
  private readonly out = new Map<string, Edge[]>();
  private readonly into = new Map<string, Set<string>>();

  nodes(): string[] {
    return [...this.out.keys()].sort();
  }

  edges(from: string): readonly Edge[] {
    return this.out.get(from) ?? [];
  }

  /** Replace a file's outgoing edges (a file with no entry is not in the graph). */
  setEdges(from: string, edges: Edge[]): void {
    for (const e of this.out.get(from) ?? []) this.into.get(e.to)?.delete(from);
    this.out.set(from, edges);
    for (const e of edges) {
      let set = this.into.get(e.to);
      if (!set) this.into.set(e.to, (set = new Set()));
      set.add(from);
    }
  }

  remove(file: string): void {
    this.setEdges(file, []);
    this.out.delete(file);
  }

  importers(file: string): string[] {
    return [...(this.into.get(file) ?? [])].filter((f) => this.out.has(f)).sort();
  }

  /** Every file that imports `file`, directly or through others (not `file` itself unless in a cycle). */
  dependents(file: string): Set<string> {
    const seen = new Set<string>();
    const stack = [file];
    while (stack.length) {
      const cur = stack.pop()!;
      for (const from of this.into.get(cur) ?? []) {
        if (!seen.has(from) && this.out.has(from)) {
          seen.add(from);
          stack.push(from);
        }
      }
    }
    return seen;
  }

  /** Import cycles over runtime edges: components of two or more files, or a file importing itself. */
  cycles(): string[][] {
    const succ = (n: string) => this.edges(n).filter((e) => e.runtime && this.out.has(e.to)).map((e) => e.to);
    return stronglyConnected(this.nodes(), succ)
      .filter((c) => c.length > 1 || succ(c[0]!).includes(c[0]!))
      .map((c) => [...c].sort())
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  }

  /**
   * A hash per file of everything its type-check can depend on among these files: itself and
   * all it reaches. Merkle-style over the components (a component's hash covers its members and
   * the hashes of the components it imports), so it costs O(files + edges).
   */
  closureHashes(own: (file: string) => string): Map<string, string> {
    const nodes = this.nodes();
    const succ = (n: string) => this.edges(n).map((e) => e.to).filter((t) => this.out.has(t));
    const sccs = stronglyConnected(nodes, succ); // reverse topological: dependencies come first
    const compOf = new Map<string, number>();
    sccs.forEach((c, i) => c.forEach((n) => compOf.set(n, i)));
    const compHash: string[] = [];
    const result = new Map<string, string>();
    sccs.forEach((members, i) => {
      const h = createHash('sha256');
      for (const m of [...members].sort()) h.update(`${m}\0${own(m)}\n`);
      const deps = new Set<string>();
      for (const m of members) for (const t of succ(m)) {
        const j = compOf.get(t)!;
        if (j !== i) deps.add(compHash[j]!);
      }
      for (const d of [...deps].sort()) h.update(d);
      compHash[i] = h.digest('hex');
      for (const m of members) result.set(m, compHash[i]!);
    });
    return result;
  }
}

/**
 * Tarjan's strongly connected components, iterative (deep import chains would overflow the
 * stack). Components come out in reverse topological order: a component after all it reaches.
 */
export function stronglyConnected(nodes: string[], succ: (n: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let next = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; succ: string[]; i: number }[] = [];
    const open = (n: string) => {
      index.set(n, next);
      low.set(n, next);
      next++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, succ: succ(n), i: 0 });
    };
    open(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.succ.length) {
        const w = top.succ[top.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.node);
        result.push(comp);
      }
    }
  }
  return result;
}
