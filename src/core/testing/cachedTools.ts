// Test support: tools installed at test time into .cache/ (never into package.json), like
// scripts/mcp-conformance/run.mjs does for its runner — npm packages with `npm install --prefix`,
// Debian packages with `apt-get download` + `dpkg-deb -x` (no system install). Skipped when present.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './cli';

export const CACHE = path.join(REPO_ROOT, '.cache');

/** `npm install --prefix .cache/<name> <packages>` once; returns the folder's node_modules. */
export function npmCache(name: string, packages: string[]): string {
  const dir = path.join(CACHE, name);
  const stamp = path.join(dir, 'installed.json');
  const want = JSON.stringify(packages);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return path.join(dir, 'node_modules');
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), `{"name":"rusty-${name}","private":true}\n`);
  execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', ...packages], { stdio: 'pipe', timeout: 600_000 });
  fs.writeFileSync(stamp, want);
  return path.join(dir, 'node_modules');
}

/**
 * Debian packages unpacked into .cache/<name>/root (apt-get download, dpkg-deb -x); returns the
 * root, or why they are not available (no apt here, package unknown, no network).
 */
export function debCache(name: string, packages: string[]): { root: string } | { reason: string } {
  const dir = path.join(CACHE, name);
  const root = path.join(dir, 'root');
  const stamp = path.join(dir, 'installed.json');
  const want = JSON.stringify(packages);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return { root };
  const debs = path.join(dir, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  try {
    execFileSync('apt-get', ['download', ...packages], { cwd: debs, stdio: 'pipe', timeout: 300_000 });
    for (const f of fs.readdirSync(debs).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg-deb', ['-x', path.join(debs, f), root], { stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    return { reason: `apt-get download ${packages.join(' ')} failed: ${(e.stderr?.toString() || e.message).trim().split('\n').pop()}` };
  }
  fs.writeFileSync(stamp, want);
  return { root };
}
