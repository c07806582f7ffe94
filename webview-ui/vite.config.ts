// Builds the three webview apps into dist/webview/: approvals.js/.css, review.js/.css,
// audit.js/.css and codicon.ttf — stable names, no hashes, no shared chunks — plus highlight.js,
// the review panel's syntax highlighter, which review.js loads after its first paint.
//
// Each app is its own Vite environment with a single entry, because the host's CSP
// (script-src 'nonce-…') allows exactly the one <script> it writes: a bundle that imported a
// shared chunk would be blocked. IIFE output runs from a classic or a module script tag.
// CSS is extracted to a file per app (never injected as <style>, which style-src would block).
//
//   npx vite build -c webview-ui/vite.config.ts
// or from scripts/build.mjs (Vite's JS API; `build()` alone would build only the default environment):
//   import { createBuilder } from 'vite';
//   await (await createBuilder({ configFile: 'webview-ui/vite.config.ts' })).buildApp();
import { fileURLToPath } from 'node:url';
import { defineConfig, type EnvironmentOptions } from 'vite';
import react from '@vitejs/plugin-react';

const webviewDir = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/webview/', import.meta.url));

const WEBVIEW_ENTRIES = {
  approvals: 'src/approvals/main.tsx',
  review: 'src/review/main.tsx',
  audit: 'src/audit/main.tsx',
  // Shiki for the review panel's diff: loaded by review.js after its first paint (own file, no CSS).
  highlight: 'src/highlight/main.ts',
} as const;

function appEnvironment(name: string, entry: string): EnvironmentOptions {
  return {
    consumer: 'client',
    build: {
      rollupOptions: {
        input: { [name]: fileURLToPath(new URL(entry, import.meta.url)) },
        output: {
          format: 'iife',
          entryFileNames: `${name}.js`,
          // With cssCodeSplit off, all of an app's CSS is one asset (Vite calls it style.css).
          assetFileNames: (asset) => ((asset.names ?? []).some((n) => n.endsWith('.css')) ? `${name}.css` : '[name][extname]'),
        },
      },
    },
  };
}

export default defineConfig({
  root: webviewDir,
  base: './',
  publicDir: false,
  plugins: [react()],
  environments: Object.fromEntries(Object.entries(WEBVIEW_ENTRIES).map(([name, entry]) => [name, appEnvironment(name, entry)])),
  builder: {
    // One resolved config for the builds (otherwise the config file is loaded per app).
    sharedConfigBuild: true,
    // Build only these entries (not Vite's default "client" environment, which expects index.html).
    async buildApp(builder) {
      for (const name of Object.keys(WEBVIEW_ENTRIES)) await builder.build(builder.environments[name]!);
    },
  },
  build: {
    outDir,
    // dist/ also holds the extension and the CLI; never wipe it.
    emptyOutDir: false,
    // Everything sits flat in dist/webview (also what Vite assumes when it writes relative url()s in the CSS).
    assetsDir: '',
    target: 'es2022',
    cssCodeSplit: false,
    // The codicon font stays a file: data: URLs would need font-src data: in the CSP.
    assetsInlineLimit: 0,
    sourcemap: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  logLevel: 'warn',
});
