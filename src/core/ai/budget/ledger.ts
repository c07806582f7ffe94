// Daily spend (tokens and dollars) per local calendar day, in <state>/ai/spend.json. Every add
// re-reads the file and writes it back fsynced under <state>/ai/ai.lock: two processes never lose
// each other's spend, and a crash after `add` returned loses nothing. Days older than
// KEEP_DAYS are dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { withLock } from '../../state/lock';
import { writeJsonDurable } from '../../util/fsx';
import { readValidated } from '../metrics/jsonState';
import type { AiStoreOptions } from '../metrics/store';

export const KEEP_DAYS = 62;

const DaySpendSchema = z.object({ tokens: z.number().int().nonnegative(), usd: z.number().nonnegative(), requests: z.number().int().nonnegative() });
const SpendFileSchema = z.object({ version: z.literal(1), days: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), DaySpendSchema) });

export type DaySpend = z.infer<typeof DaySpendSchema>;
type SpendFile = z.infer<typeof SpendFileSchema>;

/** The local calendar day, YYYY-MM-DD (a daily budget resets at the user's midnight). */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
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

  /** Spend of one day (default today), read fresh from disk so other processes' spend counts. */
  day(key = dayKey(this.now())): DaySpend & { day: string } {
    return { day: key, ...(this.read().days[key] ?? { tokens: 0, usd: 0, requests: 0 }) };
  }

  async add(tokens: number, usd: number): Promise<void> {
    fs.mkdirSync(this.aiDir, { recursive: true });
    await withLock(this.lockFile, 'ai spend', async () => {
      const file = this.read();
      const key = dayKey(this.now());
      const d = file.days[key] ?? { tokens: 0, usd: 0, requests: 0 };
      file.days[key] = { tokens: d.tokens + Math.max(0, Math.round(tokens)), usd: d.usd + Math.max(0, usd), requests: d.requests + 1 };
      const keep = Object.keys(file.days).sort().slice(-KEEP_DAYS);
      file.days = Object.fromEntries(keep.map((k) => [k, file.days[k]!]));
      writeJsonDurable(this.file, file, true);
    });
  }
}
