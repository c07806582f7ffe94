// Organize imports: the first embedded proposal source. For each TS/JS file, TypeScript's
// "delete all unused imports" fix, then its organize imports (sort + merge), computed in memory.
// Returns one change set for every file that changes; never writes (DESIGN.md convention 1).

import type { ChangeSet, ModifyEdit } from '../../proposals/changeSet';
import { relPathProblem } from '../../proposals/paths';
import { loadTsMorph } from '../../util/loadTsMorph';
import { readerOf, throwIfCancelled, ticker, type WorkspaceReader, type WorkspaceSource } from '../../engine/context';
import { readConfigFiles } from '../../engine/configFiles';
import { isBinary, readText } from '../../util/text';
import { CompilerOptionsResolver } from './compilerOptions';
import { FileOrganizer } from './engine';
import { fileOutcome, MAY_HAVE_IMPORTS, organizeChangeSet, SOURCE_EXTENSION, type FileOutcome } from './outcome';
import type { FileSummary } from './summary';

export { DELETE_UNUSED_IMPORTS_FIX_ID } from './engine';
export { ORGANIZE_IMPORTS_SOURCE } from './outcome';
export { organizeImportsInProject, type OrganizeInProjectOptions } from './inProject';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** The workspace: `fs` (EngineContext.fs; unsaved editor text wins) or `root` on disk. */
export interface OrganizeImportsOptions extends WorkspaceSource {
  /** Workspace-relative paths; default: all TS/JS files the reader lists. */
  files?: string[];
  onProgress?: (done: number, total: number, file: string) => void;
  /** Cancellation: the call rejects with a 'cancelled' RustyError (engine/context.ts). */
  signal?: AbortSignal;
  /** Larger files are skipped. Default 5 MB. */
  maxBytes?: number;
}

export interface OrganizeImportsResult {
  changeSet: ChangeSet | null;
  skipped: { path: string; reason: string }[];
}

/** Give the event loop (and cancellation) a turn this often while working. */
const YIELD_EVERY_MS = 25;

type ReadResult = Uint8Array | undefined | { tooLarge: number };

export async function proposeOrganizeImports(opts: OrganizeImportsOptions): Promise<OrganizeImportsResult> {
  const { signal } = opts;
  throwIfAborted(signal);
  const fs = readerOf(opts, signal);
  const root = fs.root;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const files = opts.files
    ? [...new Set(opts.files.map((f) => f.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')))]
    : await fs.list();
  throwIfAborted(signal);
  const read = sizedReader(fs, maxBytes);
  const configFiles = await readConfigFiles(fs);

  // Loaded on first use only (a dynamic import): ts-morph and its TypeScript stay off the activation path.
  const tsMorph = await loadTsMorph();
  throwIfAborted(signal);
  const configs = new CompilerOptionsResolver(tsMorph.ts, root, configFiles);
  const organizers = new Map<string, FileOrganizer>();

  const edits: ModifyEdit[] = [];
  const summaries: FileSummary[] = [];
  const skipped: OrganizeImportsResult['skipped'] = [];
  const tick = ticker(signal, 'Organize imports', YIELD_EVERY_MS);

  const organizerFor = (rel: string): { organizer: FileOrganizer; forget: () => void } => {
    const config = configs.resolve(rel);
    let organizer = organizers.get(config.key);
    if (!organizer) {
      organizer = new FileOrganizer(tsMorph, config.options);
      organizers.set(config.key, organizer);
    }
    return { organizer, forget: () => organizers.delete(config.key) };
  };

  for (let i = 0; i < files.length; i++) {
    const rel = files[i] ?? '';
    throwIfAborted(signal);
    const outcome = await organizeOne(rel, read, maxBytes, organizerFor);
    throwIfAborted(signal);
    if (outcome?.kind === 'skip') skipped.push({ path: rel, reason: outcome.reason });
    else if (outcome) {
      edits.push(outcome.edit);
      summaries.push(outcome.summary);
    }
    opts.onProgress?.(i + 1, files.length, rel);
    await tick();
  }
  throwIfAborted(signal);

  return { changeSet: organizeChangeSet(edits, summaries), skipped };
}


async function organizeOne(
  rel: string,
  read: (rel: string) => Promise<ReadResult>,
  maxBytes: number,
  organizerFor: (rel: string) => { organizer: FileOrganizer; forget: () => void },
): Promise<FileOutcome> {
  const problem = relPathProblem(rel);
  if (problem) return { kind: 'skip', reason: `path ${problem}` };
  if (!SOURCE_EXTENSION.test(rel)) return { kind: 'skip', reason: 'not a TypeScript or JavaScript file' };

  let bytes: ReadResult;
  try {
    bytes = await read(rel);
  } catch (err) {
    return { kind: 'skip', reason: `could not be read: ${errorMessage(err)}` };
  }
  if (bytes === undefined) return { kind: 'skip', reason: 'file not found' };
  if (!(bytes instanceof Uint8Array) || bytes.length > maxBytes) {
    const size = bytes instanceof Uint8Array ? bytes.length : bytes.tooLarge;
    return { kind: 'skip', reason: `too large (${formatSize(size)}; the limit is ${formatSize(maxBytes)})` };
  }
  if (isBinary(bytes)) return { kind: 'skip', reason: 'binary or not valid UTF-8' };

  const { text, format } = readText(bytes);
  if (!MAY_HAVE_IMPORTS.test(text)) return null;
  const { organizer, forget } = organizerFor(rel);
  let outcome;
  try {
    outcome = organizer.organize(rel, text);
  } catch (err) {
    // A TypeScript internal failure: report it, and start from a fresh project next time.
    forget();
    return { kind: 'skip', reason: `TypeScript could not organize it: ${firstLine(errorMessage(err))}` };
  }
  return fileOutcome(rel, bytes, format, outcome);
}



/** Reads through the reader; a file its stat shows over the limit is not read (the size is checked again on the bytes). */
function sizedReader(fs: WorkspaceReader, maxBytes: number): (rel: string) => Promise<ReadResult> {
  return async (rel) => {
    const info = await fs.stat(rel);
    if (info && !info.isFile) return undefined;
    if (info && info.size > maxBytes) return { tooLarge: info.size };
    return fs.read(rel);
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Organize imports');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
