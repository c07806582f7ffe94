// esbuild settings shared by every Node bundle (CLI, extension host, benchmarks, host tests).

/** Node bundle basics. `mainFields`: prefer ESM entry points — jsonc-parser's UMD build hides its requires. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
};

/** An ESM bundle that embeds CommonJS deps (ts-morph) needs `require`, `__filename` and `__dirname`. */
export const esmNodeBundle = {
  ...nodeBundle,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  banner: {
    js: [
      "import { createRequire as __rustyCreateRequire } from 'node:module';",
      "import { fileURLToPath as __rustyFileURLToPath } from 'node:url';",
      "import { dirname as __rustyDirname } from 'node:path';",
      'const require = __rustyCreateRequire(import.meta.url);',
      'const __filename = __rustyFileURLToPath(import.meta.url);',
      'const __dirname = __rustyDirname(__filename);',
    ].join(' '),
  },
};

/**
 * ts-morph and its TypeScript in dist/ai.js = the copies inside dist/engines.js (its `tsMorph()`,
 * `tsMorphCommon()` and `typescript()` exports), not a second 14 MB.
 */
const FROM_ENGINES = { 'ts-morph': 'tsMorph', '@ts-morph/common': 'tsMorphCommon', '@ts-morph/common/dist/typescript.js': 'typescript' };
export const tsMorphFromEngines = {
  name: 'ts-morph-from-engines',
  setup(b) {
    b.onResolve({ filter: /^(?:ts-morph|@ts-morph\/common(?:\/dist\/typescript\.js)?)$/ }, (args) => ({ path: args.path, namespace: 'rusty-engines' }));
    b.onLoad({ filter: /.*/, namespace: 'rusty-engines' }, (args) => ({
      contents: `module.exports = require(require('node:path').join(__dirname, 'engines.js')).${FROM_ENGINES[args.path]}();`,
      loader: 'js',
    }));
  },
};

/**
 * Zod's `z.locales` namespace holds every language's error messages (~270 KB minified); Rusty uses
 * English only (zod's default). In the extension bundles the namespace keeps `en` alone, so
 * activation does not parse the others.
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    // zod/v4/classic/external.js, zod/v4/core/index.js and zod/v4/mini/external.js re-export it.
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]v4[\\/](?:classic|core|mini)[\\/][^\\/]+\.js$/.test(args.importer)
      ? { path: `${args.resolveDir}/../locales/en.js`, namespace: 'rusty-zod-en' }
      : undefined));
    b.onLoad({ filter: /.*/, namespace: 'rusty-zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: args.path.replace(/[\\/][^\\/]+$/, ''),
    }));
  },
};
