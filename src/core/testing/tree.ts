// Whole-tree snapshots for tests: equal snapshots mean byte-identical trees (modes included).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../util/hash';

/**
 * Everything under `root`: `rel` → `sha256:mode` for files, `rel/` → `dir` for folders,
 * `rel` → `link:target` for symbolic links. Two equal snapshots mean byte-identical trees.
 */
export function treeSnapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (e.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(full)}`);
      else if (e.isDirectory()) {
        out.set(`${rel}/`, 'dir');
        walk(full);
      } else out.set(rel, `${sha256(fs.readFileSync(full))}:${(fs.statSync(full).mode & 0o777).toString(8)}`);
    }
  };
  walk(root);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Paths that differ between two snapshots (missing, extra or changed), for failure messages. */
export function treeDiff(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of expected) {
    if (!actual.has(k)) out.push(`missing ${k}`);
    else if (actual.get(k) !== v) out.push(`changed ${k}`);
  }
  for (const k of actual.keys()) if (!expected.has(k)) out.push(`extra ${k}`);
  return out;
}

export function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}
