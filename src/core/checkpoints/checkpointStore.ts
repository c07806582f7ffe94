// A checkpoint is the manifest of one transaction: for each touched file, the blob it held before
// and the blob written after (null = absent). Only touched files are listed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, removeDurable, writeJsonDurable } from '../util/fsx';
import { RustyError } from '../util/errors';

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
  constructor(readonly dir: string) {}

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  save(c: Checkpoint): void {
    writeJsonDurable(this.file(c.id), c);
  }

  get(id: string): Checkpoint {
    const c = readJson<Checkpoint>(this.file(id));
    if (!c) throw new RustyError('checkpoint-missing', `Checkpoint ${id} is gone (removed by \`rusty gc\` after its retention period), so this cannot be undone automatically.`);
    return c;
  }

  list(): Checkpoint[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'))
      .map((n) => readJson<Checkpoint>(path.join(this.dir, n)))
      .filter((c): c is Checkpoint => c !== undefined);
  }

  remove(id: string): void {
    removeDurable(this.file(id));
  }
}
