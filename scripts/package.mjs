#!/usr/bin/env node
// Packages the extension as rusty-<version>.vsix with @vscode/vsce, then checks what is inside:
// only the files .vscodeignore lets through (dist/extension.js, dist/container.js, dist/engines.js, dist/mcp.js, dist/ai.js, dist/gateway.js, dist/codemodeWorker.mjs + quickjs.wasm, dist/webview/**, media/**, the
// package metadata), and no native module (*.node) — an extension host is Electron, a native addon
// would need a build per platform and ABI. Prints the size and the file list.
//
// Run `npm run package` (builds first). The host test runner calls packageVsix() after its build.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Files allowed inside the VSIX (paths in the zip). vsce adds the manifest and content types. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/container\.js$/,
  /^extension\/dist\/engines\.js$/,
  /^extension\/dist\/mcp\.js$/,
  /^extension\/dist\/ai\.js$/,
  /^extension\/dist\/gateway\.js$/,
  /^extension\/dist\/codemodeWorker\.mjs$/,
  /^extension\/dist\/quickjs\.wasm$/,
  /^extension\/dist\/github\.js$/,
  /^extension\/dist\/webview\/.+\.(js|css|html|ttf|woff2?|svg|png)$/,
  /^extension\/media\/.+/,
];

/** Lists a zip file's entries from its central directory (no dependency needed). */
export function listZip(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({ name, size, compressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function human(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * Runs `vsce package --no-dependencies` in the repository root and checks the result.
 * Expects the bundles in dist/ to be built already. Returns { vsix, size, entries }.
 * `outDir`: where the .vsix goes (default: the repository root).
 */
export function packageVsix({ log = (m) => process.stdout.write(m + '\n'), outDir = ROOT } = {}) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  // The test runners package into their own temp folder, so runs at the same time never replace
  // each other's VSIX; `npm run package` writes it to the repository root.
  const vsix = join(outDir, `${pkg.name}-${pkg.version}.vsix`);
  rmSync(vsix, { force: true });
  const vsceBin = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const args = [vsceBin, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || !existsSync(vsix)) {
    const hint = /currentLevel is undefined|ENOENT/.test(output) ? '\n(a file in dist/ vanished while vsce read it: was a build running at the same time?)' : '';
    throw new Error(`vsce package failed (exit ${r.status ?? r.signal}):\n${output}${hint}`);
  }
  for (const line of output.split('\n')) if (/WARNING|warn/i.test(line)) log(`vsce: ${line}`);

  const entries = listZip(vsix);
  const native = entries.filter((e) => e.name.endsWith('.node'));
  if (native.length) {
    throw new Error(`the VSIX contains native modules (not allowed): ${native.map((e) => e.name).join(', ')}`);
  }
  const unexpected = entries.filter((e) => !e.name.endsWith('/') && !ALLOWED.some((re) => re.test(e.name)));
  if (unexpected.length) {
    throw new Error(
      `the VSIX contains files outside the allowed list (fix .vscodeignore or scripts/package.mjs ALLOWED):\n  ` +
        unexpected.map((e) => e.name).join('\n  '),
    );
  }
  if (!entries.some((e) => e.name === 'extension/dist/extension.js')) {
    throw new Error('the VSIX has no extension/dist/extension.js');
  }
  const size = statSync(vsix).size;
  log(`packaged ${relative(process.cwd(), vsix)}: ${human(size)}, ${entries.length} files, no native modules (${Date.now() - t0} ms)`);
  for (const e of entries) log(`  ${e.name.padEnd(56)} ${human(e.size).padStart(10)}`);
  return { vsix, size, entries };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    packageVsix();
  } catch (err) {
    process.stderr.write(`package: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
