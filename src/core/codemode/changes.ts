// A script's writes, captured: workspace.write/delete/rename change an overlay over the files as
// they were when the run started; nothing touches the disk. At the end of a successful run the
// overlay becomes ONE change set (create/modify/delete/rename with the base hashes read here).
import type { ChangeSet, FileEdit } from '../proposals/changeSet';
import { relPathProblem } from '../proposals/paths';
import { sha256 } from '../util/hash';
import { RustyError } from '../util/errors';
import type { WorkspaceReader } from '../engine/context';

/** Paths a script may never write (Rusty's own state, git's). */
const PROTECTED = /^(?:\.git|\.rusty\/(?:policy\.json|skills))(?:\/|$)/;

interface Base { bytes: Uint8Array | undefined }

export class ChangeCapture {
  /** Base bytes of every path touched, read the first time it was touched. */
  private readonly bases = new Map<string, Base>();
  /** Current text of touched paths; `null` = deleted. */
  private readonly overlay = new Map<string, string | null>();
  /** Renames the script asked for, in order (from → to). */
  private readonly renames: { from: string; to: string }[] = [];

  constructor(private readonly fs: WorkspaceReader, private readonly maxFileBytes = 5 * 1024 * 1024) {}

  get touched(): boolean {
    return this.overlay.size > 0;
  }

  private check(p: unknown, what: string): string {
    if (typeof p !== 'string') throw new RustyError('path-refused', `${what} needs a workspace-relative path string, got ${p === null ? 'null' : typeof p}.`);
    const problem = relPathProblem(p);
    if (problem) throw new RustyError('path-refused', `${JSON.stringify(p)} ${problem}; scripts can only touch files inside the workspace.`);
    if (PROTECTED.test(p)) throw new RustyError('path-refused', `${JSON.stringify(p)} is protected; scripts cannot write it.`);
    return p;
  }

  private async base(p: string): Promise<Base> {
    let b = this.bases.get(p);
    if (!b) {
      b = { bytes: await this.fs.read(p) };
      this.bases.set(p, b);
    }
    return b;
  }

  /** Text the script sees at `p`: its own writes first, then the workspace. */
  async read(p: string): Promise<string | undefined> {
    const rel = typeof p === 'string' ? p : this.check(p, 'workspace.read');
    if (this.overlay.has(rel)) return this.overlay.get(rel) ?? undefined;
    const bytes = await this.fs.read(rel);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
  }

  async exists(p: string): Promise<boolean> {
    return (await this.read(p)) !== undefined;
  }

  /** Paths created or deleted by the script, to merge into listings. */
  listingDelta(): { added: string[]; removed: string[] } {
    const added: string[] = [];
    const removed: string[] = [];
    for (const [p, text] of this.overlay) (text === null ? removed : added).push(p);
    return { added, removed };
  }

  async write(p: unknown, content: unknown): Promise<void> {
    const rel = this.check(p, 'workspace.write');
    if (typeof content !== 'string') throw new RustyError('usage', `workspace.write(${JSON.stringify(rel)}, …) needs the new text as a string, got ${content === null ? 'null' : typeof content}.`);
    const size = Buffer.byteLength(content);
    if (size > this.maxFileBytes) throw new RustyError('too-large', `workspace.write(${JSON.stringify(rel)}): ${size} bytes is over the ${this.maxFileBytes}-byte limit.`);
    await this.base(rel);
    this.overlay.set(rel, content);
  }

  async delete(p: unknown): Promise<void> {
    const rel = this.check(p, 'workspace.delete');
    await this.base(rel);
    if (!(await this.exists(rel))) throw new RustyError('not-found', `workspace.delete(${JSON.stringify(rel)}): no such file.`);
    this.overlay.set(rel, null);
  }

  async rename(from: unknown, to: unknown): Promise<void> {
    const a = this.check(from, 'workspace.rename');
    const b = this.check(to, 'workspace.rename');
    const text = await this.read(a);
    if (text === undefined) throw new RustyError('not-found', `workspace.rename(${JSON.stringify(a)}, …): no such file.`);
    if (await this.exists(b)) throw new RustyError('refused', `workspace.rename(…, ${JSON.stringify(b)}): that file already exists.`);
    await this.base(a);
    await this.base(b);
    this.overlay.set(a, null);
    this.overlay.set(b, text);
    this.renames.push({ from: a, to: b });
  }

  /** The one change set for everything the script wrote; undefined when nothing differs from the base. */
  changeSet(meta: { title: string; rationale?: string; source: string }): ChangeSet | undefined {
    const edits: FileEdit[] = [];
    const done = new Set<string>();
    const baseText = (p: string) => {
      const b = this.bases.get(p)?.bytes;
      return b === undefined ? undefined : Buffer.from(b).toString('utf8');
    };
    for (const { from, to } of this.renames) {
      if (done.has(from) || done.has(to)) continue;
      const fromBase = this.bases.get(from)?.bytes;
      if (fromBase === undefined || this.bases.get(to)?.bytes !== undefined) continue;
      if (this.overlay.get(from) !== null || typeof this.overlay.get(to) !== 'string') continue;
      const text = this.overlay.get(to) as string;
      edits.push({ kind: 'rename', path: from, to, baseHash: sha256(fromBase), ...(text !== baseText(from) ? { content: text } : {}) });
      done.add(from).add(to);
    }
    for (const [p, text] of [...this.overlay].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      if (done.has(p)) continue;
      const base = this.bases.get(p)?.bytes;
      if (text === null) {
        if (base !== undefined) edits.push({ kind: 'delete', path: p, baseHash: sha256(base) });
      } else if (base === undefined) {
        edits.push({ kind: 'create', path: p, content: text });
      } else if (text !== baseText(p)) {
        edits.push({ kind: 'modify', path: p, baseHash: sha256(base), content: text });
      }
    }
    if (!edits.length) return undefined;
    return { ...meta, edits };
  }
}
