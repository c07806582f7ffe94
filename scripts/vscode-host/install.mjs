#!/usr/bin/env node
// Installs the offline VS Code host: code-server (a complete VS Code — server, web workbench and a
// real Node extension host — published on the npm registry) into .vscode-test/code-server/, the way
// @vscode/test-electron caches its VS Code download in .vscode-test/. See ../shared/recipes/vscode-host.md.
//
// - Idempotent: a marker file records a finished install; a second run returns in milliseconds.
// - Never touches the project's package.json or lockfile: npm runs in its own prefix with --no-save.
// - @vscode/ripgrep's postinstall wants to download rg from GitHub (unreachable here); it first looks
//   for a cached tarball in $TMPDIR/vscode-ripgrep-cache-<version>/, so we put Debian's /usr/bin/rg
//   there for every @vscode/ripgrep version it might ask for.
//
// Usage: node scripts/vscode-host/install.mjs [--force]
// Exports: installCodeServer(), codeServerEntry() for the test runners.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, linkSync, copyFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INSTALL_DIR = join(ROOT, '.vscode-test', 'code-server');
const MARKER = join(INSTALL_DIR, `.installed-${CODE_SERVER_VERSION}`);
const PKG_DIR = join(INSTALL_DIR, 'node_modules', 'code-server');

/** Path of the script that starts code-server (run it with the current node). */
export function codeServerEntry() {
  return join(PKG_DIR, 'out', 'node', 'entry.js');
}

function log(msg) {
  process.stdout.write(`[vscode-host] ${msg}\n`);
}

// What a finished install has: the entry script, VS Code's server, ripgrep, the native modules its
// postinstall builds (node-pty for terminals, spdlog for logs) and the built-in extensions' deps.
const REQUIRED = [
  ['out', 'node', 'entry.js'],
  ['lib', 'vscode', 'out', 'server-main.js'],
  ['lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'],
  ['lib', 'vscode', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'],
  ['lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'],
  ['lib', 'vscode', 'extensions', 'node_modules', 'typescript', 'package.json'],
].map((parts) => join(PKG_DIR, ...parts));

function missingParts() {
  return REQUIRED.filter((p) => !existsSync(p));
}

function isInstalled() {
  return existsSync(MARKER) && missingParts().length === 0;
}

// The @vscode/ripgrep versions code-server 4.100.x might resolve (its shrinkwrap pins 1.15.11; the
// ranges cover other releases), and the asset names their postinstall asks for.
function ripgrepCacheVersions() {
  const v = [];
  for (let p = 0; p <= 20; p++) v.push(`1.15.${p}`);
  for (let p = 0; p <= 5; p++) v.push(`1.17.${p}`);
  for (let p = 0; p <= 5; p++) v.push(`1.18.${p}`);
  return v;
}

function ripgrepTarget() {
  switch (process.arch) {
    case 'x64': return 'x86_64-unknown-linux-musl';
    case 'arm64': return 'aarch64-unknown-linux-musl';
    case 'ia32': return 'i686-unknown-linux-musl';
    default: throw new Error(`unsupported architecture for the ripgrep cache: ${process.arch}`);
  }
}

function prepareRipgrepCache(tmpDir) {
  const rg = '/usr/bin/rg';
  if (!existsSync(rg)) {
    throw new Error(`${rg} is missing: install Debian's ripgrep first (apt-get install ripgrep); .ci/run does this`);
  }
  const stage = join(tmpDir, 'rg-stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  const tarball = join(tmpDir, 'ripgrep-from-debian.tar.gz');
  const tar = spawnSync('tar', ['-czf', tarball, '-C', stage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('tar failed while building the ripgrep cache tarball');
  const assets = ['v13.0.0-10', 'v13.0.0-13', 'v14.1.1-1'].map((tag) => `ripgrep-${tag}-${ripgrepTarget()}.tar.gz`);
  let n = 0;
  for (const version of ripgrepCacheVersions()) {
    const dir = join(tmpDir, `vscode-ripgrep-cache-${version}`);
    mkdirSync(dir, { recursive: true });
    for (const asset of assets) {
      const dest = join(dir, asset);
      rmSync(dest, { force: true });
      try { linkSync(tarball, dest); } catch { copyFileSync(tarball, dest); }
      n++;
    }
  }
  log(`ripgrep cache: Debian's ${rg} as ${n} cached tarballs under ${tmpDir}`);
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Two test runs starting at once on a machine without code-server must not install into the same
 * folder together: the first takes a lock (a folder holding its pid); the others wait for it.
 * A lock whose owner has died is taken over.
 */
function withInstallLock(fn) {
  const lock = join(ROOT, '.vscode-test', 'code-server.install-lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let said = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`gave up waiting for another code-server install (lock ${lock})`);
      if (!said) log(`another process (${owner}) is installing code-server; waiting for it ...`);
      said = true;
      sleepSync(1000);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs code-server unless already installed. Returns the entry script path. */
export function installCodeServer({ force = false } = {}) {
  const t0 = Date.now();
  if (!force && isInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${INSTALL_DIR} (checked in ${Date.now() - t0} ms)`);
    return codeServerEntry();
  }
  return withInstallLock(() => {
    if (!force && isInstalled()) {
      log(`code-server ${CODE_SERVER_VERSION} was installed by another process meanwhile`);
      return codeServerEntry();
    }
    return install(t0);
  });
}

function install(t0) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} requires node 20; this is node ${process.versions.node}`);
  }
  log(`installing code-server@${CODE_SERVER_VERSION} into ${INSTALL_DIR} (takes a few minutes) ...`);
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  // Its own package.json, so npm never walks up to the project's and never touches its lockfile.
  writeFileSync(join(INSTALL_DIR, 'package.json'), JSON.stringify({ name: 'rusty-vscode-host', private: true }, null, 2) + '\n');
  const tmpDir = join(INSTALL_DIR, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  prepareRipgrepCache(tmpDir);

  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root otherwise
    npm_config_yes: 'true', // node-pty's postinstall calls `npx node-gyp`
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  // Do not let a surrounding `npm run` leak its package context into the nested install.
  for (const k of Object.keys(env)) {
    if (k.startsWith('npm_package_') || k === 'npm_lifecycle_event' || k === 'npm_lifecycle_script' || k === 'INIT_CWD') delete env[k];
  }
  const args = ['install', '--no-save', '--no-package-lock', '--prefix', INSTALL_DIR, `code-server@${CODE_SERVER_VERSION}`];
  log(`npm ${args.join(' ')}`);
  const r = spawnSync('npm', args, { cwd: INSTALL_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    throw new Error(`npm install of code-server failed (exit ${r.status ?? r.signal}); see the output above`);
  }
  const missing = missingParts();
  if (missing.length) {
    throw new Error(`npm finished but the install is incomplete (did a postinstall script not run?); missing:\n  ${missing.join('\n  ')}`);
  }
  rmSync(tmpDir, { recursive: true, force: true });
  writeFileSync(MARKER, `${new Date().toISOString()}\n`);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  log(`installed code-server ${CODE_SERVER_VERSION} into ${INSTALL_DIR} in ${secs} s`);
  return codeServerEntry();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    installCodeServer({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`[vscode-host] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
