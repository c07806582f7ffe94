// Checking: type-check diagnostics per file, keyed by what each file's check can see (caching.ts),
// so only files whose key changed are checked again; the program-level diagnostics; and the code
// fixes TypeScript offers for the diagnostics' codes.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { RustyError } from '../util/errors';
import { yieldNow } from '../engine/context';
import { computeKeys, fileKey, programKey } from './caching';
import { PROBE_FILES, probeCodeFixes } from './codeFixes';
import { isAnalysable } from './configs';
import { checkFile, programLevelDiagnostics } from './diagnostics';
import { normalizeRel, throwIfCancelled, type SessionState } from './state';
import type { CodeFixes, DiagnosticEntry } from './types';

/**
 * Diagnostics for every program file whose key changed: all of them on a cold start, none when
 * the cache has them, the changed file and its dependents after an update. Returns the files checked.
 */
export async function checkAll(s: SessionState): Promise<string[]> {
  computeKeys(s);
  const plans = s.units.map((_, u) => {
    const need = new Map<string, string>();
    for (const f of s.files.values()) {
      if (!f.inProgram || f.unit !== u) continue;
      const key = fileKey(s, f);
      if (s.fileDiags.get(f.rel)?.key === key) continue;
      const cached = s.cache.get(s.cache.diagnostics, key);
      if (cached) s.fileDiags.set(f.rel, { key, list: cached });
      else need.set(f.rel, key);
    }
    const pkey = programKey(s, u);
    const programLevel = s.programDiags.get(u)?.key === pkey ? s.programDiags.get(u)!.list : s.cache.get(s.cache.programs, pkey);
    return { need, pkey, programLevel };
  });
  s.startPhase('checking', plans.reduce((n, p) => n + p.need.size, 0));
  const checked: string[] = [];
  for (let u = 0; u < s.units.length; u++) {
    const { need, pkey } = plans[u]!;
    let { programLevel } = plans[u]!;
    if (!need.size && programLevel) {
      s.programDiags.set(u, { key: pkey, list: programLevel });
      continue;
    }
    const program = s.program(u).program();
    // Program order, like getPreEmitDiagnostics (a few diagnostics depend on the order of checking).
    for (const sf of program.getSourceFiles()) {
      const rel = s.rel(sf.fileName);
      const key = need.get(rel);
      if (key === undefined) continue;
      const list = checkFile(s.ts, program, sf);
      need.delete(rel);
      s.cache.diagnostics.set(key, list);
      s.fileDiags.set(rel, { key, list });
      s.stats.checked++;
      checked.push(rel);
      s.progress(rel);
      await s.tick();
    }
    for (const [rel, key] of need) s.fileDiags.set(rel, { key, list: [] }); // not loadable by the program (skipped)
    if (!programLevel) {
      programLevel = checkProgramLevel(s, program);
      s.cache.programs.set(pkey, programLevel);
    }
    s.programDiags.set(u, { key: pkey, list: programLevel });
  }
  return checked;
}

/** Config, options and global diagnostics, and those of program files no unit owns (packages' .d.ts, …). */
function checkProgramLevel(s: SessionState, program: TsNamespace.Program): DiagnosticEntry[] {
  const name = (sf: TsNamespace.SourceFile) => {
    const rel = s.rel(sf.fileName);
    return rel.startsWith('..') || path.isAbsolute(rel) ? sf.fileName : rel;
  };
  const out = programLevelDiagnostics(s.ts, program, name);
  for (const sf of program.getSourceFiles()) {
    const rel = s.rel(sf.fileName);
    const f = s.files.get(rel);
    if (f?.inProgram) continue;
    if (!rel.startsWith('..') && !rel.split('/').includes('node_modules') && !isAnalysable(rel)) continue; // build output
    for (const d of checkFile(s.ts, program, sf)) out.push({ file: name(sf), ...d });
  }
  return out;
}

/** Semantic diagnostics of one file, on demand; loads the file's program on first use. */
export async function semanticDiagnostics(s: SessionState, relIn: string): Promise<DiagnosticEntry[]> {
  const f = s.files.get(normalizeRel(relIn));
  if (!f || !f.inProgram) throw new RustyError('not-found', `${relIn} is not part of the analysed TypeScript program (check tsconfig include/exclude).`);
  if (!s.closure.size) computeKeys(s);
  const key = fileKey(s, f);
  let entry = s.fileDiags.get(f.rel);
  if (entry?.key !== key) {
    const cached = s.cache.get(s.cache.diagnostics, key);
    if (cached) entry = { key, list: cached };
    else {
      s.throwIfCancelled();
      await s.loadLibs();
      const program = s.program(f.unit).program();
      const sf = program.getSourceFile(s.abs(f.rel));
      entry = { key, list: sf ? checkFile(s.ts, program, sf) : [] };
      s.cache.diagnostics.set(key, entry.list);
      s.stats.checked++;
    }
    s.fileDiags.set(f.rel, entry);
  }
  return entry.list.map((d) => ({ file: f.rel, ...d }));
}

/**
 * Decides the codes in `diagnostics` not decided yet, asking the language service at the first
 * few diagnostics of each code (codeFixes.ts).
 */
export async function probeFixes(s: SessionState, diagnostics: readonly DiagnosticEntry[], signal: AbortSignal | undefined): Promise<void> {
  await s.loadLibs();
  const byCode = new Map<number, string[]>();
  for (const d of diagnostics) {
    if (s.fixes.has(d.code)) continue;
    const files = byCode.get(d.code) ?? [];
    byCode.set(d.code, files);
    const f = d.file === null ? undefined : s.files.get(d.file);
    if (f?.inProgram && files.length < PROBE_FILES && !files.includes(f.rel)) files.push(f.rel);
  }
  for (const [code, rels] of byCode) {
    throwIfCancelled(signal);
    // The files of one program at a time: the first file's program decides.
    const unit = rels.length ? s.files.get(rels[0]!)!.unit : undefined;
    const verdict = unit === undefined ? 'none' : probeCodeFixes(s.ts, s.program(unit).languageService(), code, rels.filter((r) => s.files.get(r)!.unit === unit).map((r) => s.abs(r)));
    s.fixes.set(code, verdict);
    await yieldNow();
  }
}

export function codeFixesRecord(s: SessionState): Record<string, CodeFixes> {
  const out: Record<string, CodeFixes> = {};
  for (const [code, v] of [...s.fixes].sort((a, b) => a[0] - b[0])) out[`TS${code}`] = v;
  return out;
}
