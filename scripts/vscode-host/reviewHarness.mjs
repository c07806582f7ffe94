/* global window, document, MutationObserver, Buffer -- Buffer: Node; the rest: code run in the page */
// Shared by scripts/vscode-host/review-keyboard.mjs and scripts/bench/review-panel.mjs: the review
// webview as VS Code runs it, without the workbench — the real bundle (dist/webview) served from
// loopback in the HTML the extension writes, VS Code's theme (body class and --vscode-* variables),
// acquireVsCodeApi, and the real host side of the protocol (WebviewProtocolHost) wired through
// Playwright.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './host.mjs';

export const WEBVIEW = join(ROOT, 'dist', 'webview');
export const THEMES_DIR = join(ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'theme-defaults', 'themes');
export const THEMES = [
  { name: 'light', label: 'Default Light Modern', file: 'light_modern.json', bodyClass: 'vscode-light' },
  { name: 'dark', label: 'Default Dark Modern', file: 'dark_modern.json', bodyClass: 'vscode-dark' },
  { name: 'hc', label: 'Default High Contrast', file: 'hc_black.json', bodyClass: 'vscode-high-contrast' },
];
// VS Code fills colours a theme leaves out from its colour registry; the ones the webview CSS uses
// are copied here (registry defaults of VS Code 1.100, per theme kind).
const LIGHT_REGISTRY = {
  'checkbox.foreground': '#3b3b3b', 'checkbox.selectBackground': '#f8f8f8', 'checkbox.selectBorder': '#424242',
  'diffEditor.insertedTextBackground': '#9ccc2c40', 'diffEditor.removedTextBackground': '#ff000033', 'diffEditor.insertedLineBackground': '#9bb95533', 'diffEditor.removedLineBackground': '#ff000033',
  'diffEditor.diagonalFill': '#22222233', 'diffEditor.unchangedRegionBackground': '#f8f8f8',
  'editorError.foreground': '#e51400', 'editorWarning.foreground': '#bf8803',
  'gitDecoration.addedResourceForeground': '#587c0c', 'gitDecoration.deletedResourceForeground': '#ad0707', 'gitDecoration.renamedResourceForeground': '#007100',
  'inputValidation.infoBackground': '#d6ecf2', 'inputValidation.infoBorder': '#007acc', 'inputValidation.warningBackground': '#f6f5d2', 'inputValidation.warningBorder': '#b89500',
  'inputValidation.errorBackground': '#f2dede', 'inputValidation.errorBorder': '#be1100',
  'keybindingLabel.background': '#dddddd66', 'keybindingLabel.border': '#cccccc66', 'testing.iconPassed': '#388a34', 'toolbar.hoverBackground': '#b8b8b850', 'list.hoverBackground': '#e8e8e8',
};
const DARK_REGISTRY = {
  'checkbox.foreground': '#cccccc', 'checkbox.selectBackground': '#202020', 'checkbox.selectBorder': '#c5c5c5',
  'diffEditor.insertedTextBackground': '#9ccc2c33', 'diffEditor.removedTextBackground': '#ff000033', 'diffEditor.insertedLineBackground': '#9bb95533', 'diffEditor.removedLineBackground': '#ff000033',
  'diffEditor.diagonalFill': '#cccccc33', 'diffEditor.unchangedRegionBackground': '#181818',
  'editorError.foreground': '#f14c4c', 'editorWarning.foreground': '#cca700',
  'gitDecoration.addedResourceForeground': '#81b88b', 'gitDecoration.deletedResourceForeground': '#c74e39', 'gitDecoration.renamedResourceForeground': '#73c991',
  'inputValidation.infoBackground': '#063b49', 'inputValidation.infoBorder': '#007acc', 'inputValidation.warningBackground': '#352a05', 'inputValidation.warningBorder': '#b89500',
  'inputValidation.errorBackground': '#5a1d1d', 'inputValidation.errorBorder': '#be1100',
  'keybindingLabel.background': '#8080802b', 'keybindingLabel.border': '#33333399', 'testing.iconPassed': '#73c991', 'toolbar.hoverBackground': '#5a5d5e50', 'list.hoverBackground': '#2a2d2e',
};
const HC_REGISTRY = {
  foreground: '#ffffff', focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
  'editor.background': '#000000', 'editor.foreground': '#ffffff', descriptionForeground: '#ffffffb3',
  'button.background': '#000000', 'button.foreground': '#ffffff', 'button.border': '#6fc3df',
  'button.secondaryBackground': '#000000', 'button.secondaryForeground': '#ffffff',
  'checkbox.background': '#000000', 'checkbox.foreground': '#ffffff', 'checkbox.border': '#6fc3df',
  'input.background': '#000000', 'input.foreground': '#ffffff', 'input.border': '#6fc3df',
  'textLink.foreground': '#21a6ff', 'editorLineNumber.foreground': '#ffffff',
  'diffEditor.insertedTextBorder': '#33ff2eff', 'diffEditor.removedTextBorder': '#ff008fff',
  'badge.background': '#000000', 'badge.foreground': '#ffffff',
  'inputValidation.infoBackground': '#000000', 'inputValidation.infoBorder': '#6fc3df', 'inputValidation.warningBackground': '#000000', 'inputValidation.warningBorder': '#6fc3df',
  'inputValidation.errorBackground': '#000000', 'inputValidation.errorBorder': '#6fc3df',
  'gitDecoration.addedResourceForeground': '#a1e3ad', 'gitDecoration.deletedResourceForeground': '#c74e39', 'gitDecoration.renamedResourceForeground': '#73c991',
  'editorError.foreground': '#f48771', 'editorWarning.foreground': '#fff099', 'testing.iconPassed': '#73c991',
  'keybindingLabel.background': '#00000000', 'keybindingLabel.border': '#6fc3df',
};
const REGISTRY = { light: LIGHT_REGISTRY, dark: DARK_REGISTRY, hc: HC_REGISTRY };
const FONTS = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '14px',
};

function themeColors(file) {
  const read = (f) => JSON.parse(readFileSync(join(THEMES_DIR, f), 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
  const chain = [];
  for (let f = file; f; ) {
    const t = read(f);
    chain.unshift(t.colors ?? {});
    f = t.include?.replace(/^\.\//, '');
  }
  return Object.assign({}, ...chain);
}

export function themeVariables(theme) {
  const colors = { ...REGISTRY[theme.name], ...themeColors(theme.file) };
  const vars = { ...FONTS };
  for (const [k, v] of Object.entries(colors)) vars[`--vscode-${k.replace(/\./g, '-')}`] = v;
  return vars;
}

/** The real host-side pieces, bundled from the TypeScript sources. */
export async function loadHostModules() {
  const result = await build({
    stdin: {
      contents: [
        "export { WebviewProtocolHost } from './src/extension/webviews/protocolHost';",
        "export { reviewSchemas } from './src/extension/webviews/schemas';",
        "export { renderWebviewHtml, makeNonce } from './src/extension/webviews/html';",
        "export { computeHunks } from './src/core/proposals/diff';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', external: ['vscode'],
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const MIME = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };

/** Serves dist/webview and, at /, whatever `html()` returns. */
export async function startWebviewServer(html) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html());
      return;
    }
    const file = join(WEBVIEW, url.pathname.replace(/^\/dist\/webview\//, ''));
    if (!file.startsWith(WEBVIEW) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/**
 * A page set up as a VS Code webview: theme class and variables before the app's script runs,
 * acquireVsCodeApi, and a WebviewLike for WebviewProtocolHost that posts into the page.
 */
export async function webviewPage(browser, theme, onConsoleError) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
  page.on('console', (m) => {
    if (m.type() === 'error') onConsoleError(m.text());
  });
  await page.addInitScript(({ bodyClass, vars }) => {
    const apply = () => {
      document.body.classList.add(bodyClass);
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    };
    if (document.body) apply();
    else {
      new MutationObserver((_m, obs) => {
        if (document.body) {
          apply();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }
    let state;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__toHost(JSON.stringify(m)),
      getState: () => state,
      setState: (s) => {
        state = s;
      },
    });
  }, { bodyClass: theme.bodyClass, vars: themeVariables(theme) });
  const listeners = new Set();
  const webview = {
    postMessage: async (message) => {
      await page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), JSON.stringify(message));
      return true;
    },
    onDidReceiveMessage: (l) => {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  };
  await page.exposeFunction('__toHost', (json) => {
    for (const l of listeners) l(JSON.parse(json));
  });
  return { page, webview };
}
