// The gateway's submission queue, persisted in the state folder (gateway/queue.json, replaced
// atomically under gateway.lock): entries wait there until a proposal is made of them, so a
// crash or restart loses nothing. Order: priority (urgent, high, normal, low), then arrival.
// An entry leaves the queue only after its proposal is stored; one processed twice (a crash in
// between) finds its pending twin in the core, so it is not queued twice. Submissions that fail
// validation go to the dead-letter list with their reason. Idempotency keys (per client) map a
// replayed submission to the first one's result.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../proposals/changeSet';
import { readStateFile } from '../state/schemas';
import { withLock } from '../state/lock';
import { writeJsonDurable } from '../util/fsx';
import { isRustyError, RustyError } from '../util/errors';
import { sha256 } from '../util/hash';
import { newId } from '../util/ids';

/** Highest first. */
export const PRIORITY_ORDER: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];
/** Finished submissions remembered for idempotency keys and ticket look-ups. */
export const DONE_KEPT = 2000;
export const DEAD_KEPT = 500;

const entrySchema = z.looseObject({
  id: z.string().min(1),
  seq: z.number().int().min(0),
  client: z.string(),
  priority: z.enum(PRIORITIES),
  receivedAt: z.string(),
  kind: z.string(),
  title: z.string().optional(),
  payload: z.unknown(),
  payloadHash: z.string(),
  idempotencyKey: z.string().optional(),
  plan: z.object({ id: z.string(), step: z.string() }).optional(),
  attempts: z.number().int().min(0).optional(),
});
const doneSchema = z.looseObject({
  id: z.string(), client: z.string(), kind: z.string(), payloadHash: z.string(), idempotencyKey: z.string().optional(),
  receivedAt: z.string(), doneAt: z.string(), proposalId: z.string(), existing: z.boolean(),
  autoApproved: z.boolean().optional(),
});
const deadSchema = z.looseObject({
  id: z.string(), client: z.string(), kind: z.string(), priority: z.enum(PRIORITIES), payloadHash: z.string(),
  idempotencyKey: z.string().optional(), title: z.string().optional(), receivedAt: z.string(), failedAt: z.string(),
  code: z.string(), reason: z.string(), plan: z.object({ id: z.string(), step: z.string() }).optional(),
});
export const queueFileSchema = z.looseObject({
  version: z.literal(1),
  seq: z.number().int().min(0),
  entries: z.array(entrySchema),
  done: z.array(doneSchema),
  dead: z.array(deadSchema),
});

export type QueueEntry = z.infer<typeof entrySchema>;
export type DoneRecord = z.infer<typeof doneSchema>;
export type DeadLetter = z.infer<typeof deadSchema>;
export type QueueFile = z.infer<typeof queueFileSchema>;

export interface Submission {
  client: string;
  priority: Priority;
  kind: string;
  title?: string;
  payload: unknown;
  idempotencyKey?: string;
  plan?: { id: string; step: string };
}

/** Where a ticket is now. */
export type TicketState =
  | { state: 'queued'; ticket: string; position: number; entry: QueueEntry }
  | { state: 'proposed'; ticket: string; proposalId: string; existing: boolean; autoApproved?: boolean }
  | { state: 'dead-letter'; ticket: string; code: string; reason: string };

export interface ProcessResult { proposalId: string; existing: boolean; autoApproved?: boolean }
export type Processor = (entry: QueueEntry) => Promise<ProcessResult>;

/** The dead letters in a queue file, oldest first; none when the file is missing or damaged (doctor reports that). */
export function readDeadLetters(file: string): DeadLetter[] {
  const r = readStateFile<QueueFile>(file, queueFileSchema);
  return r.status === 'ok' ? r.value.dead : [];
}

export function compareEntries(a: Pick<QueueEntry, 'priority' | 'seq'>, b: Pick<QueueEntry, 'priority' | 'seq'>): number {
  return PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) || a.seq - b.seq;
}

const empty = (): QueueFile => ({ version: 1, seq: 0, entries: [], done: [], dead: [] });

export class GatewayQueue {
  private readonly events = new EventEmitter();
  private running = false;
  private paused: boolean;
  private stopped = false;
  /** Told after each entry is processed (metrics, plans). */
  onProcessed?: (entry: QueueEntry, outcome: TicketState) => void;

  constructor(
    readonly file: string,
    readonly lockFile: string,
    private readonly processor: Processor,
    opts: { paused?: boolean; now?: () => Date } = {},
  ) {
    this.paused = !!opts.paused;
    this.now = opts.now ?? (() => new Date());
    this.events.setMaxListeners(0);
  }

  private readonly now: () => Date;

  read(): QueueFile {
    const r = readStateFile<QueueFile>(this.file, queueFileSchema);
    if (r.status === 'corrupt') throw new RustyError('io', `Gateway queue ${this.file} is damaged (${r.reason}); run rusty doctor or move it aside.`);
    return r.status === 'ok' ? r.value : empty();
  }

  /** Read-modify-write under the gateway lock. */
  private mutate<T>(purpose: string, fn: (q: QueueFile) => T): Promise<T> {
    return withLock(this.lockFile, purpose, async () => {
      const q = this.read();
      const out = fn(q);
      writeJsonDurable(this.file, q);
      return out;
    });
  }

  /** Remove dead letters (the given tickets, or all); returns how many went. */
  dismissDead(ids?: readonly string[]): Promise<number> {
    return this.mutate('dismiss-dead-letters', (q) => {
      const before = q.dead.length;
      q.dead = ids ? q.dead.filter((d) => !ids.includes(d.id)) : [];
      return before - q.dead.length;
    });
  }

  /** Ordered entries waiting. */
  pending(): QueueEntry[] {
    return [...this.read().entries].sort(compareEntries);
  }

  /**
   * Queue a submission, or (same client and idempotency key) return the first one's ticket. A key
   * reused for a different request is refused.
   */
  async enqueue(s: Submission): Promise<{ ticket: string; replayed: boolean }> {
    const payloadHash = sha256(JSON.stringify({ kind: s.kind, payload: s.payload, priority: s.priority, plan: s.plan ?? null }));
    const out = await this.mutate('enqueue', (q) => {
      if (s.idempotencyKey) {
        const prior = [...q.entries, ...q.done, ...q.dead].find((e) => e.client === s.client && e.idempotencyKey === s.idempotencyKey);
        if (prior) {
          if (prior.payloadHash !== payloadHash) throw new RustyError('usage', `Idempotency key ${JSON.stringify(s.idempotencyKey)} was already used for a different submission (${prior.id}); use a new key for a new request.`);
          return { ticket: prior.id, replayed: true };
        }
      }
      const entry: QueueEntry = {
        id: newId('q', this.now()), seq: q.seq + 1, client: s.client, priority: s.priority, receivedAt: this.now().toISOString(),
        kind: s.kind, ...(s.title ? { title: s.title } : {}), payload: s.payload, payloadHash,
        ...(s.idempotencyKey ? { idempotencyKey: s.idempotencyKey } : {}), ...(s.plan ? { plan: s.plan } : {}),
      };
      q.seq = entry.seq;
      q.entries.push(entry);
      return { ticket: entry.id, replayed: false };
    });
    this.kick();
    return out;
  }

  ticket(id: string, q: QueueFile = this.read()): TicketState | undefined {
    const order = [...q.entries].sort(compareEntries);
    const i = order.findIndex((e) => e.id === id);
    if (i >= 0) return { state: 'queued', ticket: id, position: i + 1, entry: order[i]! };
    const d = q.done.find((e) => e.id === id);
    if (d) return { state: 'proposed', ticket: id, proposalId: d.proposalId, existing: d.existing, ...(d.autoApproved ? { autoApproved: true } : {}) };
    const x = q.dead.find((e) => e.id === id);
    if (x) return { state: 'dead-letter', ticket: id, code: x.code, reason: x.reason };
    return undefined;
  }

  /** The ticket's state once it left the queue, or as it is after `timeoutMs`. */
  async waitFor(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TicketState | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = this.ticket(id);
      if (!t || t.state !== 'queued' || Date.now() >= deadline || signal?.aborted || this.stopped) return t;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.events.off('processed', done);
          resolve();
        };
        // Also polls: another process may have processed it.
        const timer = setTimeout(done, Math.min(500, Math.max(0, deadline - Date.now())));
        this.events.on('processed', done);
      });
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  /** Stop taking entries (the one being processed finishes); entries stay in the file. */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves when nothing is being processed. */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** Process entries one at a time, highest priority first, until the queue is empty. */
  kick(): void {
    if (this.running || this.paused || this.stopped) return;
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
    });
  }

  private async drain(): Promise<void> {
    while (!this.paused && !this.stopped) {
      const next = this.pending()[0];
      if (!next) return;
      let outcome: TicketState;
      try {
        const r = await this.processor(next);
        outcome = { state: 'proposed', ticket: next.id, ...r };
        await this.mutate('processed', (q) => {
          q.entries = q.entries.filter((e) => e.id !== next.id);
          q.done.push({
            id: next.id, client: next.client, kind: next.kind, payloadHash: next.payloadHash,
            ...(next.idempotencyKey ? { idempotencyKey: next.idempotencyKey } : {}),
            receivedAt: next.receivedAt, doneAt: this.now().toISOString(), proposalId: r.proposalId, existing: r.existing,
            ...(r.autoApproved ? { autoApproved: true } : {}),
          });
          if (q.done.length > DONE_KEPT) q.done.splice(0, q.done.length - DONE_KEPT);
        });
      } catch (err) {
        if (isRustyError(err) && err.code === 'cancelled') return;
        if (isRustyError(err) && err.code === 'locked') {
          // The state is busy (another process is applying): try again shortly, keep the entry.
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        const code = isRustyError(err) ? err.code : 'internal';
        const reason = err instanceof Error ? err.message : String(err);
        outcome = { state: 'dead-letter', ticket: next.id, code, reason };
        await this.mutate('dead-letter', (q) => {
          q.entries = q.entries.filter((e) => e.id !== next.id);
          q.dead.push({
            id: next.id, client: next.client, kind: next.kind, priority: next.priority, payloadHash: next.payloadHash,
            ...(next.idempotencyKey ? { idempotencyKey: next.idempotencyKey } : {}), ...(next.title ? { title: next.title } : {}),
            ...(next.plan ? { plan: next.plan } : {}),
            receivedAt: next.receivedAt, failedAt: this.now().toISOString(), code, reason,
          });
          if (q.dead.length > DEAD_KEPT) q.dead.splice(0, q.dead.length - DEAD_KEPT);
        });
      }
      try {
        this.onProcessed?.(next, outcome);
      } catch {
        // observers never stop the queue
      }
      this.events.emit('processed', next.id);
    }
  }
}
