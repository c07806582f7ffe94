// URIs of the `rusty-proposal:` scheme: one side (before / after) of one file of one proposal,
// served from the blob store for VS Code's own diff editor. Pure.
import type { Proposal, ProposalFile } from '../../core/proposals/model';

export const PROPOSAL_SCHEME = 'rusty-proposal';

export type Side = 'before' | 'after';

export interface ProposalUriParts {
  /** Workspace folder URI (string) the proposal belongs to. */
  folder: string;
  id: string;
  /** The path shown (FileView.path; for the after side of a rename, the new path). */
  path: string;
  side: Side;
}

/** `{ path, query }` for vscode.Uri.from({ scheme, path, query }); the path keeps the file name, so the diff editor picks the language. */
export function proposalUriParts(parts: ProposalUriParts): { path: string; query: string } {
  const query = new URLSearchParams({ id: parts.id, side: parts.side, folder: parts.folder }).toString();
  return { path: `/${parts.path}`, query };
}

export function parseProposalUri(uri: { path: string; query: string }): ProposalUriParts | undefined {
  const q = new URLSearchParams(uri.query);
  const id = q.get('id');
  const side = q.get('side');
  const folder = q.get('folder');
  if (!id || !folder || (side !== 'before' && side !== 'after')) return undefined;
  return { id, side, folder, path: uri.path.replace(/^\//, '') };
}

/** The file of `p` shown at `path` (its old path, or the new path of a rename). */
export function fileAt(p: Proposal, path: string): ProposalFile | undefined {
  return p.files.find((f) => f.path === path) ?? p.files.find((f) => f.to === path);
}

/** The blob hash holding one side of a file, or null for "no file" (before a create, after a delete). */
export function sideHash(f: ProposalFile, side: Side): string | null {
  if (side === 'before') return f.kind === 'create' ? null : f.baseHash ?? null;
  if (f.kind === 'delete') return null;
  return f.newHash ?? f.baseHash ?? null;
}
