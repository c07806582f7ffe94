// Updates: a file changed, was created or deleted. Its facts are recomputed (or taken from the
// cache), the programs learn of the change (structure reuse keeps the rest), links are redone —
// all of them when the set of files changed — and in full mode the files whose key changed are
// checked again: the changed file and those that depend on it.
import { sha256 } from '../util/hash';
import { factsKey, computeKeys } from './caching';
import { checkAll } from './checking';
import { decodeSource, parse, placeNewFile, roleOf, setFacts } from './discovery';
import { extractFacts, type FileFacts } from './facts';
import { findEntries, link, linkAll } from './linking';
import { DEFAULT_MAX_BYTES, normalizeRel, type FileState, type SessionState } from './state';

export interface UpdateResult {
  /** false when the bytes were the same as before (or the file is not part of any program). */
  changed: boolean;
  /** Files whose facts were recomputed: the changed one. */
  reparsed: string[];
  /** Files type-checked again: the changed one and those that depend on it (full mode). */
  rechecked: string[];
}

/** `bytes` undefined = deleted. The caller sets `s.signal` for the update. */
export async function applyUpdate(s: SessionState, relIn: string, bytes: Uint8Array | undefined): Promise<UpdateResult> {
  const started = performance.now();
  const rel = normalizeRel(relIn);
  const prev = s.files.get(rel);
  const unchanged: UpdateResult = { changed: false, reparsed: [], rechecked: [] };
  const text = bytes && bytes.byteLength <= (s.opts.maxBytes ?? DEFAULT_MAX_BYTES) ? decodeSource(bytes) : undefined;
  const usable = text !== undefined ? bytes : undefined;
  const hash = usable ? sha256(usable) : undefined;
  if (prev && hash === prev.hash) return unchanged;
  if (!prev && !usable) return unchanged;
  const place = prev ? { unit: prev.unit, inProgram: prev.inProgram } : await placeNewFile(s, rel);
  if (!place) return unchanged;
  let reparsed = false;
  const structural = !prev || !usable; // the set of files changed: imports elsewhere may resolve differently
  if (!usable) {
    s.files.delete(rel);
    s.graph.remove(rel);
    s.fileDiags.delete(rel);
    s.deleted.add(rel);
  } else {
    s.deleted.delete(rel);
    const f: FileState = { rel, unit: place.unit, inProgram: place.inProgram, role: roleOf(rel), text: text!, hash: hash!, facts: undefined as unknown as FileFacts, importTargets: [], reExportTargets: [] };
    s.files.set(rel, f);
    const cached = s.cache.get(s.cache.facts, factsKey(rel, f.hash));
    if (cached) f.facts = cached;
    else {
      setFacts(s, f, extractFacts(s.ts, parse(s, rel, f.text)));
      reparsed = true;
    }
  }
  // Every program that may see the file learns of the change; the next check reuses the rest.
  s.programs.forEach((p, u) => p?.update(s.abs(rel), !!usable && place.inProgram && place.unit === u));
  if (structural) {
    linkAll(s);
    s.entries = findEntries(s);
  } else link(s, s.files.get(rel)!);
  s.usage = undefined;

  let rechecked: string[] = [];
  if (s.mode === 'full') {
    rechecked = await checkAll(s);
  } else {
    computeKeys(s); // on-demand results whose key changed are recomputed when asked for
  }
  s.durationMs = Math.round(performance.now() - started);
  return { changed: true, reparsed: reparsed ? [rel] : [], rechecked: rechecked.sort() };
}
