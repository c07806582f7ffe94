// A checkpoint is the manifest of one transaction: for each touched file, the blob it held before
// and the blob written after (null = absent). Only touched files are listed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeDurable, writeJsonDurable } from '../util/fsx';
import { RustyError } from '../util/errors';
import { checkpointSchema, readStateFile } from '../state/schemas';
import type { Quarantine, QuarantineRecord } from '../state/quarantine';

export type TransactionKind = 'apply' | 'rollback' | 'force-rollback' | 'redo' | 'recovery';

export interface CheckpointFile {
  path: string;
  before: string | null;
  after: string | null;
  mode?: number;
  /** Folders this transaction created for the file (removed again when undone, if empty). */
  createdDirs?: string[];
  /** Set on the new path of a rename: the old path (whose entry has after = null). */
  renamedFrom?: string;
  /** Folders removed (when empty) after the file was removed. */
  removeDirs?: string[];
}

export interface Checkpoint {
  id: string;
  createdAt: string;
  proposalId: string;
  kind: TransactionKind;
  files: CheckpointFile[];
  /** Bytes of new blobs this checkpoint added to the store. */
  bytesStored: number;
}

export class CheckpointStore {
  constructor(readonly dir: string, private readonly quarantine?: Quarantine) {}

  /** Schema-checked; a corrupt manifest is quarantined (its record returned) instead of throwing a raw error. */
  private load(file: string): Checkpoint | undefined | { corrupt: QuarantineRecord | { reason: string; movedTo?: undefined } } {
    const r = readStateFile<Checkpoint>(file, checkpointSchema);
    if (r.status === 'ok') return r.value;
    if (r.status === 'missing') return undefined;
    return { corrupt: this.quarantine?.put(file, 'checkpoint', r.reason) ?? { reason: r.reason } };
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  save(c: Checkpoint): void {
    writeJsonDurable(this.file(c.id), c);
  }

  get(id: string): Checkpoint {
    const file = this.file(id);
    const c = this.load(file);
    const corrupt = c && 'corrupt' in c ? c.corrupt : !c ? this.quarantine?.find(`checkpoints/${id}.json`) : undefined;
    if (corrupt) {
      throw new RustyError('checkpoint-missing',
        `Checkpoint ${id} is corrupt (${file}: ${corrupt.reason})` +
        `${corrupt.movedTo ? `; it was moved to ${corrupt.movedTo}` : ''}. This change cannot be undone automatically: ` +
        'restore the files from version control (or from that manifest by hand), and run `rusty doctor` to check the rest of the state.', { quarantined: corrupt });
    }
    if (!c || 'corrupt' in c) throw new RustyError('checkpoint-missing', `Checkpoint ${id} is gone (removed by \`rusty gc\` after its retention period), so this cannot be undone automatically.`);
    return c;
  }

  list(): Checkpoint[] {
    if (!fs.existsSync(this.dir)) return [];
    const out: Checkpoint[] = [];
    for (const n of fs.readdirSync(this.dir).filter((name) => name.endsWith('.json'))) {
      const c = this.load(path.join(this.dir, n));
      if (c && !('corrupt' in c)) out.push(c);
    }
    return out;
  }

  remove(id: string): void {
    removeDurable(this.file(id));
  }
}
