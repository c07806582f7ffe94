// Results keyed by content, so unchanged work is never redone: a file's facts by its content hash;
// a file's diagnostics by the hash of everything its type-check can see (its own content, what it
// reaches through imports, global declarations, compiler options, TypeScript version, lockfiles);
// a program's own diagnostics by all of its files. Kept in memory and, when a folder is given (the
// core's state folder), in one JSON file replaced atomically, holding only what the last run used.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ANALYSIS_CACHE_FILE } from './cacheFile';
import type { FileFacts } from './facts';
import { FACTS_VERSION } from './facts';
import type { FileDiagnostic } from './diagnostics';
import type { DiagnosticEntry } from './types';

const FILE = ANALYSIS_CACHE_FILE;

interface CacheFile {
  version: number;
  facts: Record<string, FileFacts>;
  diagnostics: Record<string, FileDiagnostic[]>;
  programs: Record<string, DiagnosticEntry[]>;
}

export class AnalysisCache {
  readonly facts = new Map<string, FileFacts>();
  readonly diagnostics = new Map<string, FileDiagnostic[]>();
  readonly programs = new Map<string, DiagnosticEntry[]>();
  hits = 0;
  misses = 0;

  constructor(private readonly dir?: string) {}

  /** Saved to disk (a folder was given); otherwise `save` does nothing. */
  get persistent(): boolean {
    return this.dir !== undefined;
  }

  /** Loads the disk copy if there is one; a missing, old or damaged file just means an empty cache. */
  static open(dir?: string): AnalysisCache {
    const cache = new AnalysisCache(dir);
    if (!dir) return cache;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8')) as CacheFile;
      if (data.version !== FACTS_VERSION) return cache;
      for (const [k, v] of Object.entries(data.facts ?? {})) cache.facts.set(k, v);
      for (const [k, v] of Object.entries(data.diagnostics ?? {})) cache.diagnostics.set(k, v);
      for (const [k, v] of Object.entries(data.programs ?? {})) cache.programs.set(k, v);
    } catch {
      // no cache yet
    }
    return cache;
  }

  get<T>(map: Map<string, T>, key: string): T | undefined {
    const v = map.get(key);
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  /** Write what `keep` names (the current workspace's keys), atomically. Failure is not an error. */
  save(keep: { facts: Iterable<string>; diagnostics: Iterable<string>; programs: Iterable<string> }): void {
    if (!this.dir) return;
    const pick = <T>(map: Map<string, T>, keys: Iterable<string>) => {
      const out: Record<string, T> = {};
      for (const k of keys) {
        const v = map.get(k);
        if (v !== undefined) out[k] = v;
      }
      return out;
    };
    const data: CacheFile = { version: FACTS_VERSION, facts: pick(this.facts, keep.facts), diagnostics: pick(this.diagnostics, keep.diagnostics), programs: pick(this.programs, keep.programs) };
    const target = path.join(this.dir, FILE);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, target);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
}
