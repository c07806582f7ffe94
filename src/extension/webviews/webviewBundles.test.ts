// Shiki stays out of review.js (first paint must not wait for it) and highlight.js carries only
// Shiki's core, the JavaScript regex engine (no WASM: the CSP has no 'wasm-unsafe-eval') and four
// grammars. Built with esbuild the way Vite bundles the entries (browser, minified), so sizes are
// close to dist/webview's.
import * as path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..', '..');

async function bundle(entry: string): Promise<{ inputs: string[]; bytes: number }> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    jsx: 'automatic',
    loader: { '.css': 'empty', '.ttf': 'empty' },
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile.inputs), bytes: result.outputFiles[0]!.contents.byteLength };
}

describe('webview bundles', () => {
  it('review.js has no Shiki; highlight.js has Shiki core, the JavaScript engine and only TS/TSX/JSON/CSS grammars', async () => {
    const review = await bundle('webview-ui/src/review/main.tsx');
    expect(review.inputs.filter((i) => /node_modules\/(?:shiki|@shikijs|oniguruma-to-es|regex)\//.test(i))).toEqual([]);
    expect(review.inputs).toContain('webview-ui/src/review/diff/highlighting.ts');

    const highlight = await bundle('webview-ui/src/highlight/main.ts');
    expect(highlight.inputs.some((i) => i.includes('node_modules/@shikijs/engine-javascript/'))).toBe(true);
    expect(highlight.inputs.filter((i) => /engine-oniguruma|onig\.wasm|\/vscode-oniguruma\//.test(i))).toEqual([]);
    const grammars = highlight.inputs.filter((i) => i.includes('node_modules/@shikijs/langs/dist/')).map((i) => path.basename(i)).sort();
    expect(grammars).toEqual(['css.mjs', 'json.mjs', 'tsx.mjs', 'typescript.mjs']);
    expect(highlight.inputs.some((i) => /node_modules\/(?:react|react-dom)\//.test(i))).toBe(false);

    // Sizes as measured on 2026-12-03 (Vite: review.js 411 kB, highlight.js 580 kB), with some room.
    expect(review.bytes).toBeLessThan(450_000);
    expect(highlight.bytes).toBeLessThan(620_000);
  }, 120_000);
});
