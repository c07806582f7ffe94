// Bundles the extension-host Mocha suite (test/suite/index.ts + every test/suite/**/*.test.ts) with
// esbuild into out/test/suite/index.js: CommonJS, `vscode` external (the host provides it), Mocha
// bundled in, so the bundle runs from any folder in any extension host.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUITE_DIR = join(ROOT, 'test', 'suite');
export const SUITE_OUT_DIR = join(ROOT, 'out', 'test', 'suite');
/** extensionTestsPath: the bundled module without its extension, as VS Code expects. */
export const SUITE_ENTRY = join(SUITE_OUT_DIR, 'index');

export function listTestFiles() {
  return readdirSync(SUITE_DIR, { recursive: true })
    .map((f) => String(f).split('\\').join('/'))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
}

/** The virtual module `rusty:test-files`: requires each test file when called (after Mocha's globals exist). */
function testFilesPlugin(files) {
  return {
    name: 'rusty-test-files',
    setup(b) {
      b.onResolve({ filter: /^rusty:test-files$/ }, () => ({ path: 'test-files', namespace: 'rusty-test-files' }));
      b.onLoad({ filter: /.*/, namespace: 'rusty-test-files' }, () => ({
        contents:
          'export function loadTestFiles() {\n' +
          files.map((f) => `  require(${JSON.stringify('./' + f)});\n`).join('') +
          `  return ${JSON.stringify(files)};\n}\n`,
        resolveDir: SUITE_DIR,
        loader: 'js',
      }));
    },
  };
}

export async function bundleSuite() {
  const files = listTestFiles();
  if (files.length === 0) throw new Error(`no *.test.ts files under ${SUITE_DIR}`);
  rmSync(SUITE_OUT_DIR, { recursive: true, force: true });
  await build({
    entryPoints: { index: join(SUITE_DIR, 'index.ts') },
    outdir: SUITE_OUT_DIR,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // Mocha's parallel mode (unused here) resolves worker files at run time; serial runs never load it.
    logOverride: { 'require-resolve-not-external': 'silent' },
    // fdir (via tinyglobby, which the core's file lister uses) is ESM and calls createRequire(import.meta.url), as in scripts/build.mjs.
    define: { 'import.meta.url': '__rustyImportMetaUrl' },
    banner: { js: "const __rustyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [testFilesPlugin(files)],
  });
  return { entry: SUITE_ENTRY, files };
}
