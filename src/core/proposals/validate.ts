// Validation of a change set before it becomes a proposal: schema (with field paths), path rules,
// and the workspace's current state (base hashes, binary files, size limits). Refusals write nothing.
import { z } from 'zod';
import type { ChangeSet, FileEdit } from './changeSet';
import { PRIORITIES } from './changeSet';
import type { WorkspaceFs } from '../ports/workspaceFs';
import { relPathProblem } from './paths';
import { RustyError } from '../util/errors';
import { sha256 } from '../util/hash';
import { encodeLike, isBinary, normalize, readText, toBytes } from '../util/text';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex string (64 lowercase hex characters) of the file bytes the change was computed on');
const relPath = z.string().superRefine((p, ctx) => {
  const problem = relPathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(p)} ${problem}` });
});
const content = z.string().refine((c) => !c.includes('\0'), 'contains a NUL byte; Rusty edits text files only')
  // A lone UTF-16 surrogate has no UTF-8 encoding: it would be written as U+FFFD, not byte for byte.
  .refine((c) => !/\p{Cs}/u.test(c), 'contains a lone UTF-16 surrogate (\\ud800–\\udfff without its pair), which cannot be written as UTF-8; send valid Unicode text');

const editSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('modify'), path: relPath, baseHash: hash, content }).strict(),
  z.object({ kind: z.literal('create'), path: relPath, content }).strict(),
  z.object({ kind: z.literal('delete'), path: relPath, baseHash: hash }).strict(),
  z.object({ kind: z.literal('rename'), path: relPath, to: relPath, baseHash: hash, content: content.optional() }).strict(),
], { error: () => "must have a 'kind' of modify, create, delete or rename" });

export const changeSetSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  rationale: z.string().max(20_000).optional(),
  source: z.string().trim().min(1, 'must name who produced the change, e.g. "agent:my-bot"').max(200),
  priority: z.enum(PRIORITIES).optional(),
  edits: z.array(editSchema).min(1, 'must contain at least one edit'),
}).strict();

function fieldPath(path: PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out || '(root)';
}

/** Parse untrusted JSON into a change set, or throw one error listing every problem by field path. */
export function parseChangeSet(input: unknown): ChangeSet {
  const result = changeSetSchema.safeParse(input);
  if (result.success) return result.data as ChangeSet;
  const lines = result.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
  throw new RustyError('invalid-change-set', `Invalid change set — ${lines.join('; ')}`, { issues: lines });
}

export interface Limits { maxFileBytes: number }

/** An edit checked against the workspace, with the exact bytes it would write. */
export interface PreparedEdit {
  edit: FileEdit;
  binary: boolean;
  baseBytes?: Uint8Array;
  /** Bytes to write at `edit.to ?? edit.path`, encoded like the base (EOL, BOM, final newline). */
  newBytes?: Uint8Array;
  /** Normalized texts the diff is computed on (text files only). */
  baseText?: string;
  newText?: string;
}

function refuse(code: 'path-refused' | 'binary-file' | 'too-large' | 'stale' | 'invalid-change-set', path: string, why: string): never {
  throw new RustyError(code, `${path}: ${why}`);
}

function mb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function checkOverlaps(edits: FileEdit[]): void {
  const seen = new Map<string, number>();
  edits.forEach((e, i) => {
    for (const p of e.kind === 'rename' ? [e.path, e.to] : [e.path]) {
      const key = p.toLowerCase();
      const prev = seen.get(key);
      if (prev !== undefined) {
        const again = prev === i ? `renames ${p} onto itself` : `edits[${prev}] and edits[${i}] both touch ${p}; combine them into one edit`;
        throw new RustyError('invalid-change-set', `Invalid change set — ${again}`);
      }
      seen.set(key, i);
    }
  });
  // One path cannot be both a file and a folder of another edit (a.txt and a.txt/x).
  edits.forEach((e, i) => {
    for (const p of e.kind === 'rename' ? [e.path, e.to] : [e.path]) {
      const parts = p.split('/');
      for (let n = 1; n < parts.length; n++) {
        const dir = parts.slice(0, n).join('/');
        const j = seen.get(dir.toLowerCase());
        if (j !== undefined) throw new RustyError('invalid-change-set', `Invalid change set — edits[${j}] makes ${dir} a file while edits[${i}] puts a file inside it; split them into two change sets`);
      }
    }
  });
}

async function checkContained(wfs: WorkspaceFs, path: string): Promise<void> {
  const problem = await wfs.containmentProblem(path);
  if (problem) refuse('path-refused', path, problem);
  const info = await wfs.stat(path);
  if (info?.isSymbolicLink) refuse('path-refused', path, 'is a symbolic link; edit the file it points to instead');
  if (info && !info.isFile) refuse('path-refused', path, 'is not a regular file');
  // A folder on the path that is a file (creating a.txt/x when a.txt is a file).
  const writeProblem = await wfs.writeProblem(path);
  if (writeProblem) refuse('path-refused', path, writeProblem);
}

async function readBase(wfs: WorkspaceFs, edit: FileEdit & { baseHash: string }, limits: Limits): Promise<Uint8Array> {
  const info = await wfs.stat(edit.path);
  if (!info) refuse('stale', edit.path, 'does not exist in the workspace (was it moved or deleted since the change was computed?)');
  if (info.size > limits.maxFileBytes) refuse('too-large', edit.path, `is ${mb(info.size)}, over the ${mb(limits.maxFileBytes)} limit (setting rusty.maxFileSizeMB)`);
  const bytes = await wfs.read(edit.path);
  if (!bytes) refuse('stale', edit.path, 'could not be read');
  const actual = sha256(bytes);
  if (actual !== edit.baseHash) {
    refuse('stale', edit.path, `changed since the change set was computed (baseHash ${edit.baseHash.slice(0, 12)}…, file now ${actual.slice(0, 12)}…); recompute the change against the current file`);
  }
  return bytes;
}

function checkNewSize(path: string, bytes: Uint8Array, limits: Limits): void {
  if (bytes.byteLength > limits.maxFileBytes) refuse('too-large', path, `new content is ${mb(bytes.byteLength)}, over the ${mb(limits.maxFileBytes)} limit (setting rusty.maxFileSizeMB)`);
}

async function prepareOne(wfs: WorkspaceFs, edit: FileEdit, limits: Limits): Promise<PreparedEdit> {
  await checkContained(wfs, edit.path);
  switch (edit.kind) {
    case 'create': {
      if (await wfs.stat(edit.path)) refuse('stale', edit.path, 'already exists; use a "modify" edit with its baseHash to change it');
      const newBytes = toBytes(edit.content);
      checkNewSize(edit.path, newBytes, limits);
      return { edit, binary: false, newBytes, baseText: '', newText: readText(newBytes).text };
    }
    case 'delete': {
      const baseBytes = await readBase(wfs, edit, limits);
      const binary = isBinary(baseBytes);
      return { edit, binary, baseBytes, baseText: binary ? undefined : readText(baseBytes).text, newText: binary ? undefined : '' };
    }
    case 'modify':
    case 'rename': {
      if (edit.kind === 'rename') {
        await checkContained(wfs, edit.to);
        if (await wfs.stat(edit.to)) refuse('stale', edit.to, `already exists; cannot rename ${edit.path} onto it`);
      }
      const baseBytes = await readBase(wfs, edit, limits);
      const binary = isBinary(baseBytes);
      if (edit.kind === 'rename' && edit.content === undefined) {
        const baseText = binary ? undefined : readText(baseBytes).text;
        return { edit, binary, baseBytes, newBytes: baseBytes, baseText, newText: baseText };
      }
      if (binary) refuse('binary-file', edit.path, 'is a binary file; Rusty only applies text edits (delete or rename it without content instead)');
      const { text: baseText, format } = readText(baseBytes);
      const newText = normalize(edit.content!);
      const newBytes = toBytes(encodeLike(newText, format));
      checkNewSize(edit.path, newBytes, limits);
      return { edit, binary, baseBytes, newBytes, baseText, newText: readText(newBytes).text };
    }
    default: {
      const never: never = edit;
      throw new RustyError('invalid-change-set', `Unknown edit ${JSON.stringify(never)}`);
    }
  }
}

/** Check every edit against the workspace; the first problem refuses the whole change set. */
export async function prepareChangeSet(cs: ChangeSet, wfs: WorkspaceFs, limits: Limits): Promise<PreparedEdit[]> {
  checkOverlaps(cs.edits);
  const out: PreparedEdit[] = [];
  for (const edit of cs.edits) out.push(await prepareOne(wfs, edit, limits));
  return out;
}
