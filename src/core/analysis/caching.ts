// Caching: the keys the session's results are stored under (cache.ts holds them). A file's facts
// by its content hash; its diagnostics by everything its type check can see (its closure through
// imports, the unit's options and global files, TypeScript and facts versions, the lockfiles); a
// program's own diagnostics by all of its files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { sha256 } from '../util/hash';
import { FACTS_VERSION } from './facts';
import type { FileState, SessionState } from './state';

/** Lockfiles: installing packages changes what the type check sees (node_modules is read from disk). */
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'node_modules/.package-lock.json', 'node_modules/.modules.yaml'];

export function factsKey(rel: string, hash: string): string {
  // The extension decides how the text parses (.ts vs .tsx vs .js).
  return `${hash}${path.extname(rel).toLowerCase()}`;
}

/** The lockfiles' sizes and times, on disk (packages are installed there, not in the editor). */
export function lockStamp(root: string): string {
  return LOCKFILES.map((name) => {
    try {
      const st = fs.statSync(path.join(root, name));
      return `${name}:${st.size}:${st.mtimeMs}`;
    } catch {
      return '';
    }
  }).join('|');
}

export function computeKeys(s: SessionState): void {
  const tsVersion = s.ts.version;
  s.unitBase = s.units.map((u, i) => {
    const h = createHash('sha256').update(`${tsVersion}\0${FACTS_VERSION}\0${s.lockStamp}\0${JSON.stringify(u.options)}\n`);
    // Scripts and `declare global`/`declare module` files reach every file without an import.
    for (const f of [...s.files.values()].filter((x) => x.inProgram && x.unit === i && x.facts.global).sort((a, b) => (a.rel < b.rel ? -1 : 1))) h.update(`${f.rel}\0${f.hash}\n`);
    return h.digest('hex');
  });
  s.closure = s.graph.closureHashes((rel) => s.files.get(rel)?.hash ?? '');
}

export function fileKey(s: SessionState, f: FileState): string {
  return sha256(`${s.unitBase[f.unit]}\0${f.rel}\0${s.closure.get(f.rel) ?? f.hash}`);
}

export function programKey(s: SessionState, u: number): string {
  const h = createHash('sha256').update(s.unitBase[u]!);
  for (const f of s.files.values()) if (f.inProgram && f.unit === u) h.update(`${f.rel}\0${f.hash}\n`);
  return h.digest('hex');
}

/** Save the disk cache: only what the current workspace uses. */
export function persist(s: SessionState): void {
  if (!s.cache.persistent) return; // memory only: the keys are computed when something needs them
  if (!s.closure.size) computeKeys(s);
  const facts = [...s.files.values()].map((f) => factsKey(f.rel, f.hash));
  const diagnostics = [...s.files.values()].filter((f) => f.inProgram).map((f) => fileKey(s, f));
  const programs = s.units.map((_, u) => programKey(s, u));
  s.cache.save({ facts, diagnostics, programs });
}
