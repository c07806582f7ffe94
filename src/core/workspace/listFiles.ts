// Lists the workspace's source files: workspace-relative, '/'-separated, sorted.
// Honours .gitignore files (the root one and nested ones), never follows symbolic links (so nothing
// outside the root is listed, and no file is reached through a link) and always skips build output
// and tool folders.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';
import picomatch from 'picomatch';

/** Folders skipped at any depth, whatever the .gitignore says. */
export const ALWAYS_SKIPPED_DIRS = ['node_modules', '.git', 'dist', 'out', 'build', 'coverage', '.vscode-test'] as const;

/** TypeScript and JavaScript sources. */
export const DEFAULT_SOURCE_PATTERNS = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/** Declaration files, left out when the default patterns are used. */
const DECLARATION_FILES = ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.d.*.ts'];

const GITIGNORE = '.gitignore';

export interface ListWorkspaceFilesOptions {
  /** Glob patterns relative to the root (tinyglobby syntax). Default: TS/JS sources without `*.d.ts`. */
  patterns?: string[];
  /** Extra glob patterns to leave out. */
  ignore?: string[];
  signal?: AbortSignal;
}

export async function listWorkspaceFiles(root: string, opts: ListWorkspaceFilesOptions = {}): Promise<string[]> {
  const { signal } = opts;
  throwIfAborted(signal);
  const usingDefaults = opts.patterns === undefined;
  const patterns = opts.patterns ?? DEFAULT_SOURCE_PATTERNS;
  if (patterns.length === 0) return [];

  const rootGitignore = await readGitignore(root, '');
  throwIfAborted(signal);

  const skipped = [
    ...ALWAYS_SKIPPED_DIRS.map((d) => `**/${d}/**`),
    ...(rootGitignore ? prunableDirs(rootGitignore.text) : []),
  ];
  // One walk finds both the sources and the nested .gitignore files (a pattern that names a dot
  // file explicitly matches it even without `dot`).
  let found: string[];
  try {
    found = await glob([...patterns, `**/${GITIGNORE}`], {
      cwd: root,
      ignore: [...skipped, ...(usingDefaults ? DECLARATION_FILES : []), ...(opts.ignore ?? [])],
      followSymbolicLinks: false,
      onlyFiles: true,
      expandDirectories: false,
      absolute: false,
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    throwIfAborted(signal);
    throw err;
  }
  throwIfAborted(signal);

  const files: string[] = [];
  const nestedIgnoreDirs: string[] = [];
  for (const raw of found) {
    const rel = raw.split(path.sep).join('/').replace(/^\.\//, '');
    const slash = rel.lastIndexOf('/');
    if (rel.slice(slash + 1) === GITIGNORE) {
      if (slash > 0) nestedIgnoreDirs.push(rel.slice(0, slash));
    } else {
      files.push(rel);
    }
  }

  const levels = new Map<string, Ignore>();
  if (rootGitignore) levels.set('', rootGitignore.ig);
  const nested = await Promise.all(nestedIgnoreDirs.map((dir) => readGitignore(root, dir)));
  throwIfAborted(signal);
  nested.forEach((g, i) => {
    const dir = nestedIgnoreDirs[i];
    if (g && dir !== undefined) levels.set(dir, g.ig);
  });

  const matcher = new GitignoreMatcher(levels);
  const result = files.filter((f) => !matcher.isIgnored(f));
  result.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return result;
}

/**
 * The same listing over a known set of paths (a workspace that is not on disk: the in-memory
 * WorkspaceFs), with .gitignore files read through `read`.
 */
export async function listFilesFrom(paths: Iterable<string>, read: (rel: string) => Promise<Uint8Array | undefined>, opts: ListWorkspaceFilesOptions = {}): Promise<string[]> {
  throwIfAborted(opts.signal);
  const usingDefaults = opts.patterns === undefined;
  const patterns = opts.patterns ?? DEFAULT_SOURCE_PATTERNS;
  if (patterns.length === 0) return [];
  const wanted = picomatch(patterns);
  const left = picomatch([...ALWAYS_SKIPPED_DIRS.map((d) => `**/${d}/**`), ...(usingDefaults ? DECLARATION_FILES : []), ...(opts.ignore ?? [])], { dot: true });
  const files: string[] = [];
  const levels = new Map<string, Ignore>();
  for (const rel of paths) {
    if (left(rel)) continue;
    const slash = rel.lastIndexOf('/');
    if (rel.slice(slash + 1) === GITIGNORE) {
      const bytes = await read(rel);
      if (bytes) levels.set(slash > 0 ? rel.slice(0, slash) : '', ignore().add(Buffer.from(bytes).toString('utf8')));
    } else if (wanted(rel)) {
      files.push(rel);
    }
  }
  throwIfAborted(opts.signal);
  const matcher = new GitignoreMatcher(levels);
  return files.filter((f) => !matcher.isIgnored(f)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function readGitignore(root: string, dir: string): Promise<{ text: string; ig: Ignore } | undefined> {
  try {
    const text = await readFile(path.join(root, dir, GITIGNORE), 'utf8');
    return { text, ig: ignore().add(text) };
  } catch {
    return undefined;
  }
}

/**
 * Glob exclusions for plain directory names in the root .gitignore (`target/`, `/tmp`, `vendor`), so
 * the walk doesn't descend into them. Only when the file has no negation: the matcher still applies
 * every rule afterwards, this only saves time.
 */
function prunableDirs(gitignoreText: string): string[] {
  const lines = gitignoreText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.some((l) => l.startsWith('!'))) return [];
  const out: string[] = [];
  for (const line of lines) {
    if (!/^\/?[\w.@-]+(?:\/[\w.@-]+)*\/?$/.test(line)) continue;
    const body = line.replace(/^\//, '').replace(/\/$/, '');
    if (body === '' || body.split('/').some((s) => s === '.' || s === '..')) continue;
    const anchored = line.startsWith('/') || body.includes('/');
    out.push(anchored ? `${body}/**` : `**/${body}/**`);
  }
  return out;
}

/** Applies .gitignore files the way git does: deeper files win, an ignored folder hides all it holds. */
class GitignoreMatcher {
  private readonly dirCache = new Map<string, boolean>();
  private readonly levelDirs: string[];

  constructor(private readonly levels: Map<string, Ignore>) {
    // Shallow first, so deeper rules override.
    this.levelDirs = [...levels.keys()].sort((a, b) => depth(a) - depth(b));
  }

  isIgnored(rel: string): boolean {
    if (this.levels.size === 0) return false;
    const parts = rel.split('/');
    let prefix = '';
    for (let i = 0; i < parts.length - 1; i++) {
      prefix = prefix === '' ? (parts[i] ?? '') : `${prefix}/${parts[i] ?? ''}`;
      if (this.isDirIgnored(prefix)) return true;
    }
    return this.ruledOut(rel, false);
  }

  private isDirIgnored(dir: string): boolean {
    let hit = this.dirCache.get(dir);
    if (hit === undefined) {
      hit = this.ruledOut(dir, true);
      this.dirCache.set(dir, hit);
    }
    return hit;
  }

  /** Last matching rule over all applicable .gitignore files decides. */
  private ruledOut(rel: string, isDir: boolean): boolean {
    let ignored = false;
    for (const dir of this.levelDirs) {
      if (dir !== '' && !rel.startsWith(`${dir}/`)) continue;
      const ig = this.levels.get(dir);
      if (!ig) continue;
      const sub = dir === '' ? rel : rel.slice(dir.length + 1);
      const r = ig.test(isDir ? `${sub}/` : sub);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const err = new Error('Listing workspace files was cancelled.');
    err.name = 'AbortError';
    throw err;
  }
}
