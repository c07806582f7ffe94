import type { BatchOp, FileInfo, WorkspaceFs } from './workspaceFs';
import { pathRefused } from './pathGuard';

/** In-memory workspace for unit tests and the port contract test. */
export class MemoryWorkspaceFs implements WorkspaceFs {
  readonly root: string;
  readonly files = new Map<string, { bytes: Uint8Array; mode: number }>();
  /** Paths that stand for symbolic links escaping the workspace. */
  readonly escapingLinks = new Set<string>();

  constructor(root = '/memory-workspace', initial: Record<string, string | Uint8Array> = {}) {
    this.root = root;
    for (const [rel, content] of Object.entries(initial)) {
      this.files.set(rel, { bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content, mode: 0o644 });
    }
  }

  async read(rel: string): Promise<Uint8Array | undefined> {
    return this.files.get(rel)?.bytes;
  }

  async allFiles(): Promise<string[]> {
    return [...this.files.keys()];
  }

  async stat(rel: string): Promise<FileInfo | undefined> {
    if (this.escapingLinks.has(rel)) return { size: 0, mode: 0o777, isSymbolicLink: true, isFile: false };
    const f = this.files.get(rel);
    if (f) return { size: f.bytes.byteLength, mode: f.mode, isSymbolicLink: false, isFile: true };
    const isDir = [...this.files.keys()].some((k) => k.startsWith(rel + '/'));
    return isDir ? { size: 0, mode: 0o755, isSymbolicLink: false, isFile: false } : undefined;
  }

  async writeAtomic(rel: string, bytes: Uint8Array, opts: { tag: string; mode?: number }): Promise<void> {
    this.guard(rel);
    this.files.set(rel, { bytes: Uint8Array.from(bytes), mode: opts.mode ?? this.files.get(rel)?.mode ?? 0o644 });
  }

  async applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }): Promise<void> {
    for (const o of ops) this.guard(o.rel);
    let done = 0;
    for (const o of ops) {
      if (o.bytes) await this.writeAtomic(o.rel, o.bytes, { tag: opts.tag, mode: o.mode });
      else await this.remove(o.rel);
      opts.onEach?.(++done, ops.length, o.rel);
    }
  }

  async remove(rel: string): Promise<void> {
    this.guard(rel);
    this.files.delete(rel);
  }

  async removeEmptyDir(): Promise<void> {
    // Folders are implicit in memory.
  }

  async removeTemp(): Promise<void> {
    // Memory writes are atomic by construction; no temp files exist.
  }

  private guard(rel: string): void {
    const problem = this.problem(rel);
    if (problem) throw pathRefused(rel, problem);
  }

  private problem(rel: string): string | undefined {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.escapingLinks.has(dir)) return `${dir} is a symbolic link to a folder outside the workspace`;
      if (this.files.has(dir)) return `${dir} is a file, not a folder`;
    }
    if (this.escapingLinks.has(rel)) return `${rel} is a symbolic link; Rusty never writes through, replaces or removes a link`;
    if (!this.files.has(rel) && [...this.files.keys()].some((k) => k.startsWith(rel + '/'))) return `${rel} is a folder`;
    return undefined;
  }

  async writeProblem(rel: string): Promise<string | undefined> {
    return this.problem(rel);
  }

  async containmentProblem(rel: string): Promise<string | undefined> {
    for (const link of this.escapingLinks) {
      if (rel === link || rel.startsWith(link + '/')) return `resolves outside the workspace through the symbolic link ${link}`;
    }
    return undefined;
  }
}
