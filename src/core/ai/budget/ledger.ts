// Daily spend (tokens and dollars) per local calendar day, in <state>/ai/spend.json, updated
// under <state>/ai/ai.lock and fsynced: two processes never lose each other's spend, and a crash
// after an update returned loses nothing. Days older than KEEP_DAYS are dropped.
//
// A request in flight holds a reservation of its worst case (input + max output tokens, and
// their price): the daily-cap check and the reservation happen in one step under the lock, so
// two processes (or two sessions) sending at the same moment cannot both pass the check and
// together overshoot the cap. Settling replaces the reservation with the actual usage. A
// reservation left by a process that died (same host) or older than RESERVATION_TTL_MS is
// dropped.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { withLock } from '../../state/lock';
import { writeJsonDurable } from '../../util/fsx';
import { readValidated } from '../metrics/jsonState';
import type { AiStoreOptions } from '../metrics/store';
import type { AiError } from '../types';
import type { Spent } from './caps';

export const KEEP_DAYS = 62;
export const RESERVATION_TTL_MS = 30 * 60_000;

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const DaySpendSchema = z.object({ tokens: z.number().int().nonnegative(), usd: z.number().nonnegative(), requests: z.number().int().nonnegative() });
const ReservationSchema = z.object({
  id: z.string(), day: DAY, tokens: z.number().nonnegative(), usd: z.number().nonnegative(), pid: z.number().int(), host: z.string(), expiresAt: z.number(),
});
const SpendFileSchema = z.object({ version: z.literal(1), days: z.record(DAY, DaySpendSchema), reservations: z.array(ReservationSchema).optional() });

export type DaySpend = z.infer<typeof DaySpendSchema>;
type SpendFile = z.infer<typeof SpendFileSchema>;
type ReservationRecord = z.infer<typeof ReservationSchema>;

export interface Reservation {
  /** Replace the reservation with what the request actually used. */
  settle(tokens: number, usd: number): Promise<void>;
  /** The request used nothing (it failed before an answer): drop the reservation. */
  release(): Promise<void>;
}

/** The local calendar day, YYYY-MM-DD (a daily budget resets at the user's midnight). */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SpendLedger {
  private readonly file: string;
  private readonly lockFile: string;
  private readonly warn: (m: string) => void;
  readonly now: () => Date;

  constructor(readonly aiDir: string, opts: AiStoreOptions = {}) {
    this.file = path.join(aiDir, 'spend.json');
    this.lockFile = path.join(aiDir, 'ai.lock');
    this.warn = opts.onWarning ?? (() => undefined);
    this.now = opts.now ?? (() => new Date());
  }

  private read(): SpendFile {
    return readValidated(this.file, SpendFileSchema, () => ({ version: 1 as const, days: {} }), this.warn);
  }

  private update<T>(purpose: string, fn: (file: SpendFile) => T): Promise<T> {
    fs.mkdirSync(this.aiDir, { recursive: true });
    return withLock(this.lockFile, purpose, async () => {
      const file = this.read();
      const host = os.hostname();
      const now = this.now().getTime();
      file.reservations = (file.reservations ?? []).filter((r) => r.expiresAt > now && (r.host !== host || r.pid === process.pid || alive(r.pid)));
      const result = fn(file);
      const keep = Object.keys(file.days).sort().slice(-KEEP_DAYS);
      file.days = Object.fromEntries(keep.map((k) => [k, file.days[k]!]));
      writeJsonDurable(this.file, file, true);
      return result;
    });
  }

  /** Committed spend of one day (default today), read fresh from disk so other processes' spend counts. */
  day(key = dayKey(this.now())): DaySpend & { day: string } {
    return { day: key, ...(this.read().days[key] ?? { tokens: 0, usd: 0, requests: 0 }) };
  }

  async add(tokens: number, usd: number, key = dayKey(this.now())): Promise<void> {
    await this.update('ai spend', (file) => commit(file, key, tokens, usd));
  }

  /**
   * Under the lock: today's committed spend plus every live reservation goes to `check`; when it
   * returns no error, `worst` is reserved. Throws the check's error otherwise (nothing reserved).
   */
  async reserve(worst: Spent, check: (today: Spent) => AiError | undefined): Promise<Reservation> {
    const key = dayKey(this.now());
    const id = randomBytes(8).toString('hex');
    await this.update('ai budget check', (file) => {
      const d = file.days[key] ?? { tokens: 0, usd: 0, requests: 0 };
      const today = { tokens: d.tokens, usd: d.usd };
      for (const r of file.reservations ?? []) {
        if (r.day !== key) continue;
        today.tokens += r.tokens;
        today.usd += r.usd;
      }
      const refusal = check(today);
      if (refusal) throw refusal;
      const rec: ReservationRecord = { id, day: key, tokens: worst.tokens, usd: worst.usd, pid: process.pid, host: os.hostname(), expiresAt: this.now().getTime() + RESERVATION_TTL_MS };
      file.reservations = [...(file.reservations ?? []), rec];
    });
    let done = false;
    const finish = (spent?: Spent) => {
      if (done) return Promise.resolve();
      done = true;
      return this.update('ai spend', (file) => {
        file.reservations = (file.reservations ?? []).filter((r) => r.id !== id);
        if (spent) commit(file, key, spent.tokens, spent.usd);
      });
    };
    return { settle: (tokens, usd) => finish({ tokens, usd }), release: () => finish() };
  }
}

function commit(file: SpendFile, key: string, tokens: number, usd: number): void {
  const d = file.days[key] ?? { tokens: 0, usd: 0, requests: 0 };
  file.days[key] = { tokens: d.tokens + Math.max(0, Math.round(tokens)), usd: d.usd + Math.max(0, usd), requests: d.requests + 1 };
}
