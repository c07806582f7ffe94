// Turning an approval (all, some files, some hunks) into exact bytes per file, checking each
// file against the bytes the proposal was computed on. A changed file is merged 3-way
// (base = proposal base, ours = current text, theirs = the proposal); overlaps are conflicts.
import type { WorkspaceFs } from '../ports/workspaceFs';
import type { BlobStore } from '../checkpoints/blobStore';
import type { Target } from '../checkpoints/transaction';
import type { FileConflict } from '../checkpoints/revert';
import type { Hunk, Proposal, ProposalFile } from './model';
import { applyHunks } from './diff';
import { remainingOf } from './parts';
import { merge3 } from '../checkpoints/merge3';
import { RustyError } from '../util/errors';
import { sha256 } from '../util/hash';
import { encodeLike, isBinary, readText, toBytes } from '../util/text';

export interface Selection { files?: string[]; hunks?: string[] }

export interface ChosenFile {
  file: ProposalFile;
  hunks: Hunk[];
  /** Once this apply is done, every hunk of the file is applied. */
  whole: boolean;
  /** Hunks of the file an earlier part already applied (the file on disk has them). */
  before: Hunk[];
}

/**
 * Resolve `--files` / `--hunks` to files and hunks among what is not applied yet (everything for a
 * proposal never applied); unknown names are usage errors, names already applied are refused.
 * `partial` is true when something will remain to approve afterwards.
 */
export function resolveSelection(p: Proposal, sel: Selection): { chosen: ChosenFile[]; partial: boolean } {
  const everything = !sel.files?.length && !sel.hunks?.length;
  const left = new Map(remainingOf(p).map((r) => [r.file, r]));
  const byPath = new Map<string, ProposalFile>();
  for (const f of p.files) {
    byPath.set(f.path, f);
    if (f.to) byPath.set(f.to, f);
  }
  const already = (what: string) => new RustyError('bad-state', `Proposal ${p.id}: ${what} is already applied; nothing was written. ` +
    `Still to approve: ${describeRemaining(p)}.`);
  const wholeFiles = new Set<ProposalFile>();
  for (const path of sel.files ?? []) {
    const f = byPath.get(path.replace(/\\/g, '/').replace(/^\.\//, ''));
    if (!f) throw new RustyError('not-found', `Proposal ${p.id} has no file ${path}; its files are ${p.files.map((x) => x.path).join(', ')}.`);
    if (!left.has(f)) throw already(f.to ?? f.path);
    wholeFiles.add(f);
  }
  const hunkPicks = new Map<ProposalFile, Set<string>>();
  for (const id of sel.hunks ?? []) {
    const f = p.files.find((x) => x.hunks.some((h) => h.id === id));
    if (!f) throw new RustyError('not-found', `Proposal ${p.id} has no hunk ${id}; see \`rusty show ${p.id} --diff\` for hunk ids.`);
    if (!left.get(f)?.hunks.some((h) => h.id === id)) throw already(`hunk ${id}`);
    // Creating, deleting or moving a file cannot be done by halves.
    if (f.kind !== 'modify' && !(f.kind === 'rename' && f.newHash !== f.baseHash)) wholeFiles.add(f);
    else hunkPicks.set(f, (hunkPicks.get(f) ?? new Set()).add(id));
  }
  const chosen: ChosenFile[] = [];
  for (const f of p.files) {
    const r = left.get(f);
    if (!r) continue;
    if (everything || wholeFiles.has(f)) chosen.push({ file: f, hunks: r.hunks, whole: true, before: r.before });
    else if (hunkPicks.has(f)) {
      const ids = hunkPicks.get(f)!;
      const hunks = r.hunks.filter((h) => ids.has(h.id));
      chosen.push({ file: f, hunks, whole: hunks.length === r.hunks.length, before: r.before });
    }
  }
  const partial = chosen.length < left.size || chosen.some((c) => !c.whole);
  return { chosen, partial };
}

/** What is left to approve, in words: "src/a.ts (hunk h1), src/b.ts". */
export function describeRemaining(p: Proposal): string {
  const left = remainingOf(p);
  if (!left.length) return 'nothing';
  return left.map((r) => {
    const name = r.file.to ?? r.file.path;
    return r.before.length ? `${name} (hunk${r.hunks.length > 1 ? 's' : ''} ${r.hunks.map((h) => h.id).join(', ')})` : name;
  }).join(', ');
}

export interface ApprovalPlan {
  targets: Target[];
  conflicts: FileConflict[];
  stale: FileConflict[];
  merged: string[];
}

function overlappingHunks(hunks: Hunk[], baseLine: number, length: number): string[] {
  const end = baseLine + Math.max(length, 1);
  return hunks.filter((h) => h.oldStart < end && baseLine < h.oldStart + Math.max(h.oldLines, 1)).map((h) => h.id);
}

/**
 * New bytes for a text file: the chosen hunks (with those earlier parts applied) on the base, merged
 * onto the current text if it moved since the proposal was made or its last part was applied.
 */
function mergedBytes(c: ChosenFile, base: Uint8Array, current: Uint8Array, blobs: BlobStore, plan: ApprovalPlan, where: string): Uint8Array | undefined {
  const f = c.file;
  const baseText = readText(base);
  const full = c.whole && f.newHash !== undefined;
  const theirs = full ? readText(blobs.get(f.newHash!)).text : applyHunks(baseText.text, [...c.before, ...c.hunks], f.path);
  // What the file holds if nobody touched it since: the base, or the base with the earlier parts.
  const expected = c.before.length ? applyHunks(baseText.text, c.before, f.path) : baseText.text;
  const expectedHash = c.before.length ? sha256(toBytes(encodeLike(expected, baseText.format))) : f.baseHash;
  if (sha256(current) === expectedHash) return full ? blobs.get(f.newHash!) : toBytes(encodeLike(theirs, baseText.format));
  if (isBinary(current)) {
    plan.conflicts.push({ path: f.path, reason: 'changed since the proposal was made and is now binary' });
    return undefined;
  }
  const cur = readText(current);
  const result = merge3(expected, cur.text, theirs);
  if (!result.clean) {
    const hunks = [...new Set(result.conflicts.flatMap((k) => overlappingHunks(c.hunks, k.baseLine, k.base.length)))];
    plan.conflicts.push({
      path: f.path,
      reason: `changed since the proposal was made and the changes overlap at line ${result.conflicts.map((k) => k.oursLine).join(', ')}`,
      lines: result.conflicts.map((k) => k.oursLine),
      hunks,
    });
    return undefined;
  }
  plan.merged.push(where);
  return toBytes(encodeLike(result.text, cur.format));
}

export async function planApproval(wfs: WorkspaceFs, blobs: BlobStore, chosen: ChosenFile[]): Promise<ApprovalPlan> {
  const plan: ApprovalPlan = { targets: [], conflicts: [], stale: [], merged: [] };
  for (const c of chosen) {
    const f = c.file;
    const current = await wfs.read(f.path);
    const info = current ? await wfs.stat(f.path) : undefined;
    switch (f.kind) {
      case 'create': {
        if (!current) plan.targets.push({ path: f.path, bytes: applyCreate(c, blobs) });
        else if (sha256(current) !== f.newHash) plan.conflicts.push({ path: f.path, reason: 'now exists with different content; the proposal would overwrite it' });
        break;
      }
      case 'delete': {
        if (!current) break; // already gone: nothing to do
        if (sha256(current) === f.baseHash) plan.targets.push({ path: f.path, bytes: null });
        else plan.conflicts.push({ path: f.path, reason: 'changed since the proposal was made; deleting it would discard those changes' });
        break;
      }
      case 'modify': {
        if (!current) {
          plan.stale.push({ path: f.path, reason: 'no longer exists' });
          break;
        }
        const bytes = mergedBytes(c, blobs.get(f.baseHash!), current, blobs, plan, f.path);
        if (bytes) plan.targets.push({ path: f.path, bytes, mode: info?.mode });
        break;
      }
      case 'rename': {
        if (c.before.length) {
          // An earlier part already moved it: the rest is an edit of the new path.
          const moved = await wfs.read(f.to!);
          if (!moved) {
            plan.stale.push({ path: f.to!, reason: 'no longer exists' });
            break;
          }
          const bytes = mergedBytes(c, blobs.get(f.baseHash!), moved, blobs, plan, f.to!);
          if (bytes) plan.targets.push({ path: f.to!, bytes, mode: (await wfs.stat(f.to!))?.mode });
          break;
        }
        if (!current) {
          plan.stale.push({ path: f.path, reason: 'no longer exists, so it cannot be renamed' });
          break;
        }
        if (await wfs.stat(f.to!)) {
          plan.conflicts.push({ path: f.to!, reason: `now exists; renaming ${f.path} would overwrite it` });
          break;
        }
        const bytes = f.binary
          ? sha256(current) === f.baseHash ? current : undefined
          : mergedBytes(c, blobs.get(f.baseHash!), current, blobs, plan, f.to!);
        if (f.binary && !bytes) plan.conflicts.push({ path: f.path, reason: 'is binary and changed since the proposal was made' });
        if (bytes) plan.targets.push({ path: f.to!, bytes, mode: info?.mode, renamedFrom: f.path }, { path: f.path, bytes: null });
        break;
      }
      default: {
        const never: never = f.kind;
        throw new RustyError('bad-state', `Unknown edit kind ${String(never)}`);
      }
    }
  }
  return plan;
}

function applyCreate(c: ChosenFile, blobs: BlobStore): Uint8Array {
  return blobs.get(c.file.newHash!);
}
