// The change set: what every proposal source produces (and what `rusty submit` accepts).
// Format documented in ../shared/DESIGN.md.

export type EditKind = 'modify' | 'create' | 'delete' | 'rename';

export interface ModifyEdit { kind: 'modify'; path: string; baseHash: string; content: string }
export interface CreateEdit { kind: 'create'; path: string; content: string }
export interface DeleteEdit { kind: 'delete'; path: string; baseHash: string }
export interface RenameEdit { kind: 'rename'; path: string; to: string; baseHash: string; content?: string }

export type FileEdit = ModifyEdit | CreateEdit | DeleteEdit | RenameEdit;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface ChangeSet {
  title: string;
  rationale?: string;
  source: string;
  priority?: Priority;
  edits: FileEdit[];
}
