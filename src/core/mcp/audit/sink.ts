// The MCP audit trail's writer. AuditLog.append is synchronous, fsyncs every entry and must run
// under the state lock; doing that on every tool call would cost more than the call itself (an
// fsync takes from 0.1 to 10+ ms depending on the disk's load). The sink queues entries and
// writes them in the background, in order, one lock acquisition per batch. `flush()` (awaited by McpService.dispose and by the CLI before it exits) makes sure a
// normal exit loses nothing; only a hard kill can drop the last few milliseconds of entries.
import { AuditLog, type AuditAppendInput, type AuditWitness } from '../../audit';
import { withLock } from '../../state/lock';

export type McpAuditAction = 'mcp.decision' | 'mcp.call' | 'mcp.grant' | 'mcp.revoke' | 'mcp.sampling' | 'mcp.signin' | 'mcp.signout' | 'mcp.elicitation';

export interface McpAuditSinkOptions {
  /** `<stateDir>/audit.jsonl`, the workspace's audit log shared with proposals. */
  auditFile: string;
  /** `<stateDir>/state.lock`, the inter-process lock every audit writer holds. */
  lockFile: string;
  actor: string;
  /** How long entries may wait so several calls share one lock + write (default 20 ms). */
  flushDelayMs?: number;
  /** Entries per lock acquisition; the event loop gets a turn between batches (default 200). */
  maxBatch?: number;
  /** Background write failures (the entries stay queued and the next flush retries them). */
  onError?: (err: Error) => void;
  now?: () => Date;
  /** Witnesses of the chain head outside the state folder, updated with every batch. */
  witnesses?: AuditWitness[];
}

/** Details, or a function computing them when the entry is written (keeps work off the call path). */
export type McpAuditDetails = Record<string, unknown> | (() => Record<string, unknown>);

interface Queued { action: McpAuditAction; details: McpAuditDetails }

/**
 * Batch writes when the core's AuditLog offers them: `appendManyAsync` (one fsync per batch, run
 * off the event loop), else `appendMany` (one fsync per batch), else one append per entry.
 */
type BatchingLog = AuditLog & {
  appendManyAsync?: (inputs: AuditAppendInput[]) => Promise<unknown>;
  appendMany?: (inputs: AuditAppendInput[]) => unknown;
};

export class McpAuditSink {
  private readonly log: BatchingLog;
  private readonly queue: Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastError: Error | undefined;
  private readonly flushDelayMs: number;
  private readonly maxBatch: number;
  private written = 0;

  constructor(private readonly opts: McpAuditSinkOptions) {
    this.log = new AuditLog(opts.auditFile, { ...(opts.now ? { now: opts.now } : {}), ...(opts.witnesses ? { witnesses: opts.witnesses } : {}) });
    this.flushDelayMs = opts.flushDelayMs ?? 20;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 200);
  }

  /** Entries waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Entries written by this sink so far. */
  get writtenCount(): number {
    return this.written;
  }

  /** Queue one entry; returns at once. Details are redacted by AuditLog before hashing. */
  record(action: McpAuditAction, details: McpAuditDetails): void {
    this.queue.push({ action, details });
    if (this.queue.length >= this.maxBatch) this.kick();
    else if (!this.timer && !this.running) {
      this.timer = setTimeout(() => this.kick(), this.flushDelayMs);
      // A pending audit write must not keep a process alive on its own; exits flush explicitly.
      this.timer.unref();
    }
  }

  /** Write everything queued so far. Rejects if a write failed (the entries stay queued). */
  async flush(): Promise<void> {
    this.lastError = undefined;
    while (this.queue.length || this.running) {
      this.kick();
      await this.running;
      if (this.lastError) throw this.lastError;
    }
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.running || !this.queue.length) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      // Entries that arrived while writing get their own (delayed) batch.
      if (this.queue.length && !this.lastError && !this.timer) {
        this.timer = setTimeout(() => this.kick(), this.flushDelayMs);
        this.timer.unref();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.slice(0, this.maxBatch);
        const inputs = batch.map((q) => this.toInput(q));
        await withLock(this.opts.lockFile, 'mcp audit', () => this.writeBatch(inputs));
        this.queue.splice(0, batch.length);
        this.written += batch.length;
        if (this.queue.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      this.lastError = err instanceof Error ? err : new Error(String(err));
      this.opts.onError?.(this.lastError);
    }
  }

  private toInput(q: Queued): AuditAppendInput {
    let details: Record<string, unknown>;
    try {
      details = typeof q.details === 'function' ? q.details() : q.details;
    } catch (err) {
      // The entry still lands: losing an audit line because its details failed is worse.
      details = { auditDetailsError: err instanceof Error ? err.message : String(err) };
    }
    return { actor: this.opts.actor, action: q.action, details };
  }

  private async writeBatch(batch: AuditAppendInput[]): Promise<void> {
    if (typeof this.log.appendManyAsync === 'function') {
      await this.log.appendManyAsync(batch);
      return;
    }
    if (typeof this.log.appendMany === 'function') {
      this.log.appendMany(batch);
      return;
    }
    // One fsync per entry: give the event loop a turn between them so a long batch never
    // freezes the host. A failure part-way leaves the first entries written: drop exactly those
    // from the queue so a retry neither loses nor duplicates any.
    let done = 0;
    try {
      for (const input of batch) {
        if (done > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        this.log.append(input);
        done++;
      }
    } finally {
      if (done < batch.length && done > 0) {
        this.queue.splice(0, done);
        this.written += done;
      }
    }
  }
}
