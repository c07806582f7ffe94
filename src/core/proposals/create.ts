// A validated change set becomes a proposal: contents go to the blob store (so the base text is
// kept for 3-way merges later), hunks are computed once and keep their ids.
import type { ChangeSet } from './changeSet';
import type { Proposal, ProposalFile } from './model';
import type { PreparedEdit } from './validate';
import type { BlobStore } from '../checkpoints/blobStore';
import { countChanges, diffFile, type DiffSimplified } from './diff';
import { proposalWarnings } from './warnings';
import { sha256 } from '../util/hash';
import { newId } from '../util/ids';

export function fingerprintOf(cs: ChangeSet): string {
  return sha256(JSON.stringify({ source: cs.source, edits: cs.edits }));
}

function toProposalFile(prep: PreparedEdit, blobs: BlobStore, taken: Set<string>, simplified: Map<ProposalFile, DiffSimplified>): ProposalFile {
  const e = prep.edit;
  const baseHash = prep.baseBytes ? blobs.put(prep.baseBytes) : undefined;
  const newHash = prep.newBytes ? blobs.put(prep.newBytes) : undefined;
  const label = e.kind === 'rename' ? e.to : e.path;
  const diff = prep.binary || prep.baseText === undefined || prep.newText === undefined ? { hunks: [] } : diffFile(label, prep.baseText, prep.newText, taken);
  const hunks = diff.hunks;
  const file: ProposalFile = {
    path: e.path,
    kind: e.kind,
    ...(e.kind === 'rename' ? { to: e.to } : {}),
    ...(baseHash ? { baseHash } : {}),
    ...(newHash ? { newHash } : {}),
    binary: prep.binary,
    ...countChanges(hunks),
    hunks,
  };
  if (diff.simplified) simplified.set(file, diff.simplified);
  return file;
}

export function buildProposal(cs: ChangeSet, prepared: PreparedEdit[], blobs: BlobStore, actor: string, now: Date): Proposal {
  const taken = new Set<string>();
  const at = now.toISOString();
  const simplified = new Map<ProposalFile, DiffSimplified>();
  const files = prepared.map((p) => toProposalFile(p, blobs, taken, simplified));
  const warnings = proposalWarnings(cs, files, simplified);
  return {
    id: newId('p', now),
    title: cs.title.trim(),
    ...(cs.rationale ? { rationale: cs.rationale } : {}),
    source: cs.source,
    priority: cs.priority ?? 'normal',
    createdBy: actor,
    createdAt: at,
    updatedAt: at,
    status: 'pending',
    fingerprint: fingerprintOf(cs),
    files,
    history: [{ status: 'pending', at, actor }],
    ...(warnings.length ? { warnings } : {}),
  };
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a === b || (!!a && !!b && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b));

/** Whether two preparations of one change set read and would write the same bytes. */
export function samePrepared(a: PreparedEdit[], b: PreparedEdit[]): boolean {
  return a.length === b.length && a.every((x, i) => sameBytes(x.baseBytes, b[i]!.baseBytes) && sameBytes(x.newBytes, b[i]!.newBytes));
}

/** Store the contents a proposal built with a hash-only blob store refers to. */
export function storeContents(prepared: PreparedEdit[], blobs: BlobStore): void {
  for (const p of prepared) {
    if (p.baseBytes) blobs.put(p.baseBytes);
    if (p.newBytes) blobs.put(p.newBytes);
  }
}
