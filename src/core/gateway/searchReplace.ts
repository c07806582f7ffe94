// Search/replace edits against the files as they are now, turned into a change set (DESIGN.md
// format) with the base hashes of the bytes they were applied to. Texts are compared with line
// endings normalized (LF); the core writes the result back with each file's own endings and BOM.
import { z } from 'zod';
import type { ChangeSet, FileEdit } from '../proposals/changeSet';
import type { WorkspaceFs } from '../ports/workspaceFs';
import { RustyError } from '../util/errors';
import { sha256 } from '../util/hash';
import { isBinary, normalize, readText } from '../util/text';
import { relPathProblem } from '../proposals/paths';

const relPath = z.string().min(1).max(1000).superRefine((p, ctx) => {
  const problem = relPathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(p.slice(0, 200))} ${problem}` });
});

export const searchReplaceEditSchema = z.union([
  z.object({
    path: relPath,
    search: z.string().min(1).max(1_000_000),
    replace: z.string().max(4_000_000),
    /** Replace every occurrence (default: the text must occur exactly once). */
    all: z.boolean().optional(),
  }).strict(),
  z.object({ path: relPath, create: z.string().max(4_000_000) }).strict(),
  z.object({ path: relPath, delete: z.literal(true) }).strict(),
]);
export type SearchReplaceEdit = z.infer<typeof searchReplaceEditSchema>;

function count(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Apply the edits in memory, in order (several may touch one file), and build the change set. */
export async function changeSetFromSearchReplace(
  wfs: WorkspaceFs,
  cs: { title: string; rationale?: string; source: string; priority?: ChangeSet['priority'] },
  edits: SearchReplaceEdit[],
): Promise<ChangeSet> {
  const files = new Map<string, { base?: Uint8Array; text: string | null; created: boolean }>();
  const load = async (p: string) => {
    const problem = relPathProblem(p);
    if (problem) throw new RustyError('path-refused', `path ${JSON.stringify(p.slice(0, 200))} ${problem}`);
    let f = files.get(p);
    if (!f) {
      const base = await wfs.read(p);
      if (base && isBinary(base)) throw new RustyError('binary-file', `${p}: is a binary file; search/replace edits text files only.`);
      f = { ...(base ? { base } : {}), text: base ? readText(base).text : null, created: false };
      files.set(p, f);
    }
    return f;
  };
  for (const [i, e] of edits.entries()) {
    const f = await load(e.path);
    if ('create' in e) {
      if (f.text !== null) throw new RustyError('invalid-change-set', `edits[${i}]: ${e.path} already exists; use search/replace to change it.`);
      f.text = normalize(e.create);
      f.created = true;
    } else if ('delete' in e) {
      if (f.text === null) throw new RustyError('invalid-change-set', `edits[${i}]: ${e.path} does not exist; nothing to delete.`);
      f.text = null;
    } else {
      if (f.text === null) throw new RustyError('invalid-change-set', `edits[${i}]: ${e.path} does not exist; create it with {"path", "create"}.`);
      const search = normalize(e.search);
      const n = count(f.text, search);
      if (n === 0) throw new RustyError('invalid-change-set', `edits[${i}]: the search text was not found in ${e.path} (it may have changed; read the file again).`);
      if (n > 1 && !e.all) throw new RustyError('invalid-change-set', `edits[${i}]: the search text occurs ${n} times in ${e.path}; add surrounding lines to make it unique, or set "all": true.`);
      const replace = normalize(e.replace);
      f.text = e.all ? f.text.split(search).join(replace) : f.text.replace(search, () => replace);
    }
  }
  const out: FileEdit[] = [];
  for (const [p, f] of files) {
    if (f.base && f.text === null) out.push({ kind: 'delete', path: p, baseHash: sha256(f.base) });
    else if (f.base && f.text !== null) {
      if (f.text !== readText(f.base).text) out.push({ kind: 'modify', path: p, baseHash: sha256(f.base), content: f.text });
    } else if (!f.base && f.text !== null) out.push({ kind: 'create', path: p, content: f.text });
  }
  if (!out.length) throw new RustyError('invalid-change-set', 'The edits change nothing.');
  return { title: cs.title, ...(cs.rationale ? { rationale: cs.rationale } : {}), source: cs.source, ...(cs.priority ? { priority: cs.priority } : {}), edits: out };
}
