// Witnesses of the audit chain's head kept outside the state folder. The `.head` sidecar lives
// next to the log, so whoever deletes the last lines can delete or rewrite it too; a witness in
// another place (a file in the user's state home, the extension's global state) makes that
// harder. Every append updates each witness; verify checks that each one's seq/hash is still in
// the chain. A witness proves nothing against someone who can rewrite the log and every witness.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../util/hash';
import { stateRoot } from '../state/location';
import { replaceFileAsync, writeFileDurable } from '../util/fsx';

export interface WitnessRecord { seq: number; hash: string; at: string }

/** A place that remembers the last head of one audit log. `read` must be cheap (it runs on every append). */
export interface AuditWitness {
  /** Names it in messages, e.g. `witness file /home/me/.local/state/rusty/witness/ab12.json`. */
  readonly name: string;
  read(): WitnessRecord | undefined;
  write(record: WitnessRecord): void;
  /** The same write off the event loop (batching writers use it when present). */
  writeAsync?(record: WitnessRecord): Promise<void>;
}

export function isWitnessRecord(v: unknown): v is WitnessRecord {
  const r = v as Partial<WitnessRecord> | null;
  return !!r && typeof r === 'object' && typeof r.seq === 'number' && Number.isSafeInteger(r.seq) && r.seq >= 0 &&
    typeof r.hash === 'string' && /^[0-9a-f]{64}$/.test(r.hash) && typeof r.at === 'string';
}

/** The witness file of an audit log: `<state root>/witness/<hash of the log's path>.json`. */
export function witnessFileFor(auditFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateRoot(env), 'witness', `${sha256(path.resolve(auditFile)).slice(0, 16)}.json`);
}

export class FileAuditWitness implements AuditWitness {
  readonly name: string;
  constructor(readonly file: string) {
    this.name = `witness file ${file}`;
  }

  read(): WitnessRecord | undefined {
    try {
      const v: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return isWitnessRecord(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  write(record: WitnessRecord): void {
    // Not fsynced, like the .head file: one entry behind after a power cut is tolerated.
    writeFileDurable(this.file, `${JSON.stringify(record)}\n`, { sync: false });
  }

  async writeAsync(record: WitnessRecord): Promise<void> {
    try {
      await replaceFileAsync(this.file, `${JSON.stringify(record)}\n`);
    } catch {
      // Its folder may be missing (first write): the synchronous path creates it.
      this.write(record);
    }
  }
}

export class MemoryAuditWitness implements AuditWitness {
  private record: WitnessRecord | undefined;
  constructor(readonly name = 'in-memory witness') {}
  read(): WitnessRecord | undefined {
    return this.record ? { ...this.record } : undefined;
  }
  write(record: WitnessRecord): void {
    this.record = { ...record };
  }
}

/** What a local hash chain can and cannot prove (printed by verify). */
export const CHAIN_LIMITS =
  'The hash chain proves the order of entries and detects edits, deletions and reordering by anyone who cannot also rewrite ' +
  'the head file and every witness; deleting entries from the end is detected by the head file and the witnesses outside the ' +
  'state folder. It cannot prove anything against someone with write access to the log and to every witness (they can rewrite ' +
  'it all consistently), and it does not prove entries are true, only that they were not changed after they were written.';
