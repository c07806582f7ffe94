// Discovery: which files the analysis holds (the tsconfig units' files, plus the tests and tool
// configs that use them, and the package.json files), their texts read through the workspace
// reader, and their facts (from the cache, else parsed and walked).
import type { ts as TsNamespace } from 'ts-morph';
import { guardCancel, type WorkspaceReader } from '../engine/context';
import { readConfigFiles } from '../engine/configFiles';
import { sha256 } from '../util/hash';
import { normalize } from '../util/text';
import { DEFAULT_SOURCE_PATTERNS } from '../workspace/listFiles';
import { factsKey } from './caching';
import { discoverUnits, isAnalysable, type ConfigUnit } from './configs';
import { TEST_FILE, TOOL_CONFIG_FILE } from './entries';
import { extractFacts, type FileFacts } from './facts';
import type { FileRole } from './usage';
import { throwIfCancelled, type AnalysisOptions, type FileState, type SessionState, type Ts } from './state';

/** What listWorkspaceFiles leaves out by default: declaration files are not sources. */
const DECLARATION_FILES = ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.d.*.ts'];

export interface Discovered {
  units: ConfigUnit[];
  /** Which unit owns each program file. */
  owner: Map<string, number>;
  /** Program files, then the tests and tool configs outside any program. */
  all: string[];
  bytes: Map<string, Uint8Array | undefined>;
  /** Bytes of all the files, for the 'auto' mode. */
  totalBytes: number;
  packageJsonRels: string[];
}

export async function discover(ts: Ts, reader: WorkspaceReader, opts: AnalysisOptions): Promise<Discovered> {
  const { signal } = opts;
  throwIfCancelled(signal);
  const units = await guard(signal, async () => discoverUnits(ts, reader.root, opts.tsconfig, signal, [], await readConfigFiles(reader)));
  const owner = new Map<string, number>();
  units.forEach((u, i) => u.files.forEach((f) => owner.set(f, i)));
  // Tests and tool configs a tsconfig leaves out still count as users of what they import.
  // One walk of the workspace for both: sources (declaration files left out, as by default) and package.json files.
  const listed = await guard(signal, () => reader.list({ patterns: [...DEFAULT_SOURCE_PATTERNS, '**/package.json'], ignore: DECLARATION_FILES }));
  const isPackageJson = (f: string) => f === 'package.json' || f.endsWith('/package.json');
  const packageJsonRels = listed.filter(isPackageJson);
  const users = listed.filter((f) => !isPackageJson(f) && !owner.has(f) && isAnalysable(f) && (TEST_FILE.test(f) || TOOL_CONFIG_FILE.test(f)));
  const all = [...owner.keys(), ...users];
  const bytes = await readAll(all, (rel) => reader.read(rel), signal);
  let totalBytes = 0;
  for (const b of bytes.values()) totalBytes += b?.byteLength ?? 0;
  return { units, owner, all, bytes, totalBytes, packageJsonRels };
}

/** The package.json files as JSON (those that are not JSON are no packages). */
export async function readPackageJsons(s: SessionState, rels: string[]): Promise<void> {
  const bytes = await readAll(rels, (rel) => s.reader.read(rel), s.signal);
  for (const rel of rels) {
    const b = bytes.get(rel);
    try {
      if (b) s.packageJsons.push({ rel, json: JSON.parse(Buffer.from(b).toString('utf8')) });
    } catch {
      // not JSON: not a package
    }
  }
}

/** Holds the readable files and gives each its facts: from the cache, else parsed and walked. */
export async function loadFacts(s: SessionState, all: string[], owner: Map<string, number>, bytes: Map<string, Uint8Array | undefined>, maxBytes: number): Promise<void> {
  const pending: string[] = [];
  for (const rel of all) {
    const b = bytes.get(rel);
    if (!b) {
      s.skipped.push({ file: rel, reason: 'unreadable' });
      continue;
    }
    if (b.byteLength > maxBytes) {
      s.skipped.push({ file: rel, reason: `too large (${b.byteLength} bytes; the limit is ${maxBytes})` });
      continue;
    }
    const text = decodeSource(b);
    if (text === undefined) {
      s.skipped.push({ file: rel, reason: 'binary or not valid UTF-8' });
      continue;
    }
    const unit = owner.get(rel);
    const hash = sha256(b);
    const facts = s.cache.get(s.cache.facts, factsKey(rel, hash));
    const state: FileState = { rel, unit: unit ?? 0, inProgram: unit !== undefined, role: roleOf(rel), text, hash, facts: facts!, importTargets: [], reExportTargets: [] };
    s.files.set(rel, state);
    if (!facts) pending.push(rel);
  }
  s.startPhase('reading', pending.filter((rel) => s.files.get(rel)!.inProgram).length);
  // Full mode parses through the units' programs (one parse serves facts and type checking).
  s.parsing = true;
  if (s.mode === 'full') {
    const units = new Set(pending.map((rel) => s.files.get(rel)!).filter((f) => f.inProgram).map((f) => f.unit));
    for (const u of [...units].sort()) {
      const program = s.program(u).program();
      for (const rel of pending) {
        const f = s.files.get(rel)!;
        if (f.facts || !f.inProgram || f.unit !== u) continue;
        const sf = program.getSourceFile(s.abs(rel));
        if (!sf) continue;
        setFacts(s, f, extractFacts(s.ts, sf));
        await s.tick();
      }
    }
  }
  for (const rel of pending) {
    const f = s.files.get(rel)!;
    if (f.facts) continue;
    setFacts(s, f, extractFacts(s.ts, parse(s, rel, f.text)));
    s.progress(rel);
    await s.tick();
  }
  s.parsing = false;
}

export function setFacts(s: SessionState, f: FileState, facts: FileFacts): void {
  f.facts = facts;
  s.cache.facts.set(factsKey(f.rel, f.hash), facts);
  s.stats.parsed++;
}

export function parse(s: SessionState, rel: string, text: string): TsNamespace.SourceFile {
  // No parent pointers: the walks carry their own context, and parsing is ~20% faster without.
  // No JSDoc: the facts never read it (tags are read from the comment text, and JSDoc errors are
  // not parse errors), so these trees give the same facts as the checker's, for less work.
  return s.ts.createSourceFile(s.abs(rel), text, { languageVersion: s.ts.ScriptTarget.Latest, jsDocParsingMode: s.ts.JSDocParsingMode.ParseNone }, false);
}

/** Which program a new file belongs to: the configs are read again (cheap; no program reload). */
export async function placeNewFile(s: SessionState, rel: string): Promise<{ unit: number; inProgram: boolean } | undefined> {
  if (!isAnalysable(rel) || !/\.[cm]?[jt]sx?$/i.test(rel)) return undefined;
  const fresh = await discoverUnits(s.ts, s.root, s.opts.tsconfig, undefined, [s.abs(rel)], await readConfigFiles(s.reader));
  for (const u of fresh) {
    if (!u.files.includes(rel)) continue;
    const i = s.units.findIndex((x) => x.config === u.config);
    if (i >= 0) {
      s.units[i] = { ...s.units[i]!, files: [...s.units[i]!.files, rel].sort() };
      return { unit: i, inProgram: true };
    }
  }
  if (TEST_FILE.test(rel) || TOOL_CONFIG_FILE.test(rel)) return { unit: 0, inProgram: false };
  return undefined;
}

export function roleOf(rel: string): FileRole {
  return TEST_FILE.test(rel) ? 'test' : TOOL_CONFIG_FILE.test(rel) ? 'config' : 'source';
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a source file (LF line ends, no BOM), or undefined when it is binary (a NUL in the
 * first 8 KB) or not UTF-8. One decode (util/text's isBinary + readText would decode twice and
 * count every line ending, which is most of the reading time on a large workspace).
 */
export function decodeSource(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return normalize(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

async function readAll(rels: string[], read: (rel: string) => Promise<Uint8Array | undefined>, signal: AbortSignal | undefined): Promise<Map<string, Uint8Array | undefined>> {
  const out = new Map<string, Uint8Array | undefined>();
  let next = 0;
  const worker = async () => {
    while (next < rels.length) {
      throwIfCancelled(signal);
      const rel = rels[next++]!;
      out.set(rel, await read(rel).catch(() => undefined));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

/** AbortErrors from the helpers become the core's 'cancelled' error. */
function guard<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return guardCancel(signal, fn, 'the analysis');
}
