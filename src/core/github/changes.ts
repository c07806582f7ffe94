// What a pull request commits: exactly the files the proposal's apply (or latest redo) wrote, with
// the bytes and mode its checkpoint recorded — not whatever the working tree holds now.
import type { Proposal } from '../proposals/model';
import type { Checkpoint } from '../checkpoints/checkpointStore';
import { RustyError } from '../util/errors';

export interface CommitFile {
  path: string;
  /** New bytes; null deletes the path. */
  bytes: Uint8Array | null;
  /** Git mode: 100755 when the file has an executable bit, else 100644. */
  mode: '100644' | '100755';
  kind: 'create' | 'modify' | 'delete' | 'rename';
  /** Old path of a rename (its own entry deletes it). */
  renamedFrom?: string;
}

export function gitMode(mode: number | undefined): '100644' | '100755' {
  return mode !== undefined && (mode & 0o111) !== 0 ? '100755' : '100644';
}

/** The applied files of `p` from its checkpoint; refuses a proposal that is not applied. */
export function commitFilesOf(p: Proposal, checkpoint: Checkpoint, blob: (hash: string) => Uint8Array): CommitFile[] {
  if ((p.status !== 'applied' && p.status !== 'redone') || !p.applied) {
    throw new RustyError('bad-state', `Proposal ${p.id} is ${p.status}: only an applied proposal can become a pull request (approve it first).`);
  }
  if (checkpoint.id !== p.applied.checkpointId) throw new RustyError('bad-state', `Checkpoint ${checkpoint.id} is not the one proposal ${p.id} was applied with.`);
  const renamedAway = new Set(checkpoint.files.map((f) => f.renamedFrom).filter((x): x is string => !!x));
  return checkpoint.files.map((f) => ({
    path: f.path,
    bytes: f.after === null ? null : blob(f.after),
    mode: gitMode(f.mode),
    kind: f.after === null ? (renamedAway.has(f.path) ? 'rename' : 'delete') : f.renamedFrom ? 'rename' : f.before === null ? 'create' : 'modify',
    ...(f.renamedFrom ? { renamedFrom: f.renamedFrom } : {}),
  }));
}
