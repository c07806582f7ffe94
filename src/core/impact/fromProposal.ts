// A stored proposal back to the change set it was made from (texts come from the blob store), so
// its impact can be computed again later (`core.refreshImpact`). Pure; no ts-morph.
import type { ChangeSet, FileEdit } from '../proposals/changeSet';
import type { Proposal } from '../proposals/model';
import { decodeUtf8 } from '../util/text';
import { RustyError } from '../util/errors';

export function changeSetFromProposal(p: Proposal, readBlob: (hash: string) => Uint8Array): ChangeSet {
  const text = (hash: string | undefined, path: string): string => {
    if (!hash) throw new RustyError('checkpoint-missing', `Proposal ${p.id} has no stored text for ${path}.`);
    return decodeUtf8(readBlob(hash));
  };
  const edits: FileEdit[] = p.files.map((f): FileEdit => {
    switch (f.kind) {
      case 'modify':
        return { kind: 'modify', path: f.path, baseHash: f.baseHash ?? '', content: text(f.newHash, f.path) };
      case 'create':
        return { kind: 'create', path: f.path, content: text(f.newHash, f.path) };
      case 'delete':
        return { kind: 'delete', path: f.path, baseHash: f.baseHash ?? '' };
      case 'rename':
        return { kind: 'rename', path: f.path, to: f.to ?? f.path, baseHash: f.baseHash ?? '', ...(f.newHash && f.newHash !== f.baseHash ? { content: text(f.newHash, f.to ?? f.path) } : {}) };
      default: {
        const never: never = f.kind;
        throw new Error(`unknown edit kind ${String(never)}`);
      }
    }
  });
  return { title: p.title, ...(p.rationale ? { rationale: p.rationale } : {}), source: p.source, priority: p.priority, edits };
}
