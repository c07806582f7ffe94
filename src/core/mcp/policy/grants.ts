// Time-limited permissions the user gave in the "ask" prompt.
//   once    — in memory; allows until consume() is called after the call it allowed.
//   session — in memory; lives as long as this process (tied to its sessionId).
//   timed   — persisted in the state folder (`<stateDir>/mcp-grants.json`, replaced atomically)
//             so the CLI sees grants made in VS Code and the other way round; the file is re-read
//             when it changes (inode/mtime/size), checked at most every `refreshIntervalMs` on
//             the hot path and always before list/revoke/add.
// Expired grants never allow (findLive compares a number) and are pruned from memory and file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { writeFileDurable } from '../../util/fsx';
import { tryAcquireLock } from '../../state/lock';
import type { GrantScope, McpGrant } from '../types';

export interface GrantStoreOptions {
  now?: () => Date;
  /** Owner of `session` grants; default: a random id per GrantStore. */
  sessionId?: string;
  /** Longest time (ms) check() may go without noticing another process changed the file. */
  refreshIntervalMs?: number;
}

export type GrantRequestScope = Exclude<GrantScope, 'always'>;

/** Longest `timed` grant: 30 days. */
export const MAX_GRANT_MINUTES = 30 * 24 * 60;

interface LiveGrant {
  grant: McpGrant;
  /** Infinity when it never expires on its own (once, session). */
  expiresAtMs: number;
}

const FILE_VERSION = 1;
const PersistedGrant = z.object({
  id: z.string().min(1),
  server: z.string().min(1),
  tool: z.string().min(1),
  scope: z.literal('timed'),
  createdAt: z.string(),
  expiresAt: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO date'),
});
const GrantsFile = z.object({ version: z.literal(FILE_VERSION), grants: z.array(z.unknown()) });

interface FileStamp { ino: number; mtimeMs: number; size: number }

/** Sleep without an event loop (the store is synchronous); only while another process writes. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class GrantStore {
  readonly sessionId: string;
  private readonly now: () => Date;
  private readonly refreshIntervalMs: number;
  private local: LiveGrant[] = [];       // once + session
  private persisted: LiveGrant[] = [];   // timed, mirror of the file
  private index = new Map<string, Map<string, LiveGrant[]>>();
  private stamp: FileStamp | undefined;
  private nextRefreshAt = 0;
  private problem: string | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly file: string, opts: GrantStoreOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.sessionId = opts.sessionId ?? `s-${randomBytes(4).toString('hex')}`;
    this.refreshIntervalMs = opts.refreshIntervalMs ?? 250;
    this.reload();
  }

  /** Why the grants file could not be used (it is then treated as holding no grants). */
  lastError(): string | undefined {
    return this.problem;
  }

  /** Called after any change (here or noticed in the file); the gate drops nothing cached for grants but UIs refresh. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  // ─── hot path ────────────────────────────────────────────────────────────────────────────

  /** A grant that allows (server, tool) now, preferring session/timed ones over `once`. */
  findLive(server: string, tool: string, nowMs: number = this.now().getTime()): McpGrant | undefined {
    if (performance.now() >= this.nextRefreshAt) this.refreshIfChanged();
    const list = this.index.get(server)?.get(tool);
    if (!list) return undefined;
    let once: McpGrant | undefined;
    for (const g of list) {
      if (g.expiresAtMs <= nowMs) continue;
      if (g.grant.scope !== 'once') return g.grant;
      once ??= g.grant;
    }
    return once;
  }

  // ─── changes ─────────────────────────────────────────────────────────────────────────────

  add(server: string, tool: string, scope: GrantRequestScope, minutes?: number): McpGrant {
    if (!server || !tool) throw new Error('A grant needs a server and a tool name.');
    const now = this.now();
    const base = { server, tool, createdAt: now.toISOString() };
    if (scope === 'timed') {
      if (minutes === undefined || !Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_GRANT_MINUTES) {
        throw new RangeError(`A timed grant needs minutes between 1 and ${MAX_GRANT_MINUTES} (got ${String(minutes)}).`);
      }
      const expiresAtMs = now.getTime() + Math.round(minutes * 60_000);
      let grant!: McpGrant;
      this.mutateFile((list) => {
        grant = { id: this.newId(list), ...base, scope, expiresAt: new Date(expiresAtMs).toISOString() };
        return [...list, { grant, expiresAtMs }];
      });
      return grant;
    }
    if (scope !== 'once' && scope !== 'session') throw new Error(`Unknown grant scope ${JSON.stringify(scope)}: use once, session or timed ("always" writes a policy rule).`);
    this.refreshIfChanged();
    const grant: McpGrant = { id: this.newId([]), ...base, scope, ...(scope === 'session' ? { sessionId: this.sessionId } : {}) };
    this.local.push({ grant, expiresAtMs: Infinity });
    this.changed();
    return grant;
  }

  /** Removes a `once` grant after the call it allowed; other scopes are left alone. */
  consume(id: string): boolean {
    const i = this.local.findIndex((g) => g.grant.id === id && g.grant.scope === 'once');
    if (i < 0) return false;
    this.local.splice(i, 1);
    this.changed();
    return true;
  }

  /** Live grants (expired ones pruned), oldest first. */
  list(): McpGrant[] {
    this.refreshIfChanged();
    const nowMs = this.now().getTime();
    if (this.persisted.some((g) => g.expiresAtMs <= nowMs)) this.mutateFile((list) => list);
    return [...this.local, ...this.persisted]
      .filter((g) => g.expiresAtMs > nowMs)
      .map((g) => ({ ...g.grant }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** false when no grant has that id (already revoked, expired and pruned, or never existed). */
  revoke(id: string): boolean {
    this.refreshIfChanged();
    const i = this.local.findIndex((g) => g.grant.id === id);
    if (i >= 0) {
      this.local.splice(i, 1);
      this.changed();
      return true;
    }
    if (!this.persisted.some((g) => g.grant.id === id)) return false;
    let found = false;
    this.mutateFile((list) => {
      found = list.some((g) => g.grant.id === id);
      return list.filter((g) => g.grant.id !== id);
    });
    return found;
  }

  // ─── the shared file ─────────────────────────────────────────────────────────────────────

  private newId(extra: LiveGrant[]): string {
    const taken = new Set([...this.local, ...this.persisted, ...extra].map((g) => g.grant.id));
    for (;;) {
      const id = `g${randomBytes(3).toString('hex')}`;
      if (!taken.has(id)) return id;
    }
  }

  private statFile(): FileStamp | undefined {
    try {
      const st = fs.statSync(this.file);
      return { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
    } catch {
      return undefined;
    }
  }

  private refreshIfChanged(): void {
    this.nextRefreshAt = performance.now() + this.refreshIntervalMs;
    const st = this.statFile();
    const same = st && this.stamp ? st.ino === this.stamp.ino && st.mtimeMs === this.stamp.mtimeMs && st.size === this.stamp.size : st === this.stamp;
    if (!same) this.reload();
  }

  private reload(): void {
    this.stamp = this.statFile();
    this.persisted = this.readFile();
    this.changed();
  }

  /** The file's live timed grants; a broken file counts as none (fails closed) and is reported. */
  private readFile(): LiveGrant[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = `${this.file}: cannot be read (${(err as Error).message}); no timed grants are in effect`;
      else this.problem = undefined;
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.problem = `${this.file}: not valid JSON (${(err as Error).message}); no timed grants are in effect (the next grant rewrites the file)`;
      return [];
    }
    const file = GrantsFile.safeParse(parsed);
    if (!file.success) {
      this.problem = `${this.file}: expected {"version": ${FILE_VERSION}, "grants": [...]}; no timed grants are in effect`;
      return [];
    }
    this.problem = undefined;
    const nowMs = this.now().getTime();
    const out: LiveGrant[] = [];
    file.data.grants.forEach((raw, i) => {
      const g = PersistedGrant.safeParse(raw);
      if (!g.success) {
        this.problem = `${this.file}: grants[${i}] is invalid (${g.error.issues[0]?.path.join('.') ?? ''}: ${g.error.issues[0]?.message ?? ''}); ignored`;
        return;
      }
      const expiresAtMs = Date.parse(g.data.expiresAt);
      if (expiresAtMs > nowMs) out.push({ grant: g.data, expiresAtMs });
    });
    return out;
  }

  /**
   * Read-modify-write under a lock file so two processes adding grants at once both keep theirs.
   * The lock is held for microseconds; when a live owner holds it we wait up to 2 s, then write
   * anyway (a lost timed grant only means being asked again).
   */
  private mutateFile(fn: (current: LiveGrant[]) => LiveGrant[]): void {
    const lockFile = `${this.file}.lock`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    let lock = tryAcquireLock(lockFile, 'mcp grants');
    for (let waited = 0; !lock && waited < 2000; waited += 10) {
      pause(10);
      lock = tryAcquireLock(lockFile, 'mcp grants');
    }
    try {
      const nowMs = this.now().getTime();
      const next = fn(this.readFile()).filter((g) => g.expiresAtMs > nowMs);
      const body = { version: FILE_VERSION, grants: next.map((g) => g.grant) };
      writeFileDurable(this.file, `${JSON.stringify(body, null, 2)}\n`, { sync: false });
      this.stamp = this.statFile();
      this.persisted = next;
      this.problem = undefined;
    } finally {
      lock?.release();
    }
    this.changed();
  }

  private changed(): void {
    this.nextRefreshAt = performance.now() + this.refreshIntervalMs;
    const index = new Map<string, Map<string, LiveGrant[]>>();
    for (const g of [...this.local, ...this.persisted]) {
      let byTool = index.get(g.grant.server);
      if (!byTool) index.set(g.grant.server, (byTool = new Map()));
      const list = byTool.get(g.grant.tool);
      if (list) list.push(g);
      else byTool.set(g.grant.tool, [g]);
    }
    this.index = index;
    for (const l of this.listeners) l();
  }
}
