#!/usr/bin/env node
/* global window, document, getComputedStyle -- code run in the page */
// Keyboard-only pass over the review panel in light, dark and high-contrast themes, with
// screenshots (test-results/review-keyboard/<theme>/NN-step.png).
//
// What runs: the REAL webview bundle (dist/webview/review.js, review.css, highlight.js) in headless
// Chromium, in the HTML the extension writes (renderWebviewHtml: same CSP, nonce and
// data-highlighter), answered by the REAL host side of the protocol (WebviewProtocolHost with the
// review schemas) whose handlers stand in for the core: approve returns the result and posts the
// next snapshot (partially applied) as ReviewPanels does. The theme is what VS Code gives a webview:
// the body class (vscode-light / vscode-dark / vscode-high-contrast) and the --vscode-* variables
// from the theme's colours (Default Light Modern, Default Dark Modern, Default High Contrast, read
// from code-server's theme-defaults with their `include` chain; colours a theme leaves to VS Code's
// colour registry are filled in from the registry's defaults below). It is not the VS Code window
// itself: the workbench's own focus handling around the webview is not part of this pass.
//
//   npm run build (or npx vite build -c webview-ui/vite.config.ts), then
//   node scripts/vscode-host/review-keyboard.mjs
//
// Exit code 1 when a step's expectation fails (the screenshots up to there are kept).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CHROMIUM, CHROMIUM_ARGS } from './host.mjs';
import { THEMES, THEMES_DIR, WEBVIEW, loadHostModules, startWebviewServer, webviewPage } from './reviewHarness.mjs';

const OUT = join(ROOT, 'test-results', 'review-keyboard');
function sourceTexts() {
  const before = [
    "import { readFile } from 'node:fs/promises';",
    '',
    '/** Loads the settings file, or the defaults when there is none. */',
    'export async function loadSettings(path: string): Promise<Settings> {',
    '  const text = await readFile(path, "utf8").catch(() => undefined);',
    '  if (!text) return DEFAULTS;',
    '  return { ...DEFAULTS, ...JSON.parse(text) };',
    '}',
    '',
    'export interface Settings { retries: number; verbose: boolean }',
    'const DEFAULTS: Settings = { retries: 3, verbose: false };',
    ...Array.from({ length: 12 }, (_, i) => `export const limit${i} = ${i * 10}; // unchanged`),
    'export function retry<T>(fn: () => T, times = DEFAULTS.retries): T {',
    '  for (let i = 0; ; i++) {',
    '    try { return fn(); } catch (err) { if (i >= times) throw err; }',
    '  }',
    '}',
  ];
  const after = before.map((l) =>
    l.includes('readFile(path, "utf8")') ? '  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? undefined : Promise.reject(err)));'
    : l.startsWith('const DEFAULTS') ? 'const DEFAULTS: Settings = { retries: 5, verbose: false };'
    : l.includes('if (i >= times) throw err;') ? '    try { return fn(); } catch (err) { if (i >= times) throw new Error(`failed after ${times} tries`, { cause: err }); }'
    : l);
  return { before: before.join('\n') + '\n', after: after.join('\n') + '\n', helperAfter: "export const VERSION = '2.1.0';\n", helperBefore: "export const VERSION = '2.0.0';\n" };
}

function snapshots(computeHunks) {
  const t = sourceTexts();
  const now = new Date().toISOString();
  const file = (path, before, after) => {
    const hunks = computeHunks(path, before, after).map((h) => ({ id: h.id, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] }));
    const added = hunks.reduce((n, h) => n + h.lines.filter((l) => l[0] === '+').length, 0);
    const removed = hunks.reduce((n, h) => n + h.lines.filter((l) => l[0] === '-').length, 0);
    return { path, kind: 'modify', binary: false, added, removed, hunks };
  };
  const files = [file('src/settings.ts', t.before, t.after), file('src/version.ts', t.helperBefore, t.helperAfter)];
  const proposal = {
    id: 'p-kbd-1', title: 'Harden `loadSettings` and `retry`', source: 'ai:model', priority: 'normal', status: 'pending',
    createdAt: now, updatedAt: now, createdBy: 'agent', rationale: 'Only a missing file means *no settings*; other read errors now surface.\n\n- `retry` keeps the cause\n- default retries 3 → 5',
    files, added: files.reduce((n, f) => n + f.added, 0), removed: files.reduce((n, f) => n + f.removed, 0),
    history: [{ status: 'pending', at: now, actor: 'agent' }],
    risk: { score: 22, level: 'low', reasons: ['2 files', 'no public API change'] },
  };
  const texts = { 'src/settings.ts': { before: t.before, after: t.after }, 'src/version.ts': { before: t.helperBefore, after: t.helperAfter } };
  return { first: { proposal, texts }, files };
}


async function main() {
  for (const f of ['review.js', 'review.css', 'highlight.js']) {
    if (!existsSync(join(WEBVIEW, f))) throw new Error(`dist/webview/${f} is missing: run npm run build first`);
  }
  if (!existsSync(THEMES_DIR)) throw new Error(`VS Code's themes are read from code-server (${THEMES_DIR}); install it with node scripts/vscode-host/install.mjs`);
  const { WebviewProtocolHost, reviewSchemas, renderWebviewHtml, makeNonce, computeHunks } = await loadHostModules();
  const { first, files } = snapshots(computeHunks);

  let html = '';
  const server = await startWebviewServer(() => html);
  const { origin } = server;

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  rmSync(OUT, { recursive: true, force: true });
  const failures = [];
  try {
    for (const theme of THEMES) {
      const dir = join(OUT, theme.name);
      mkdirSync(dir, { recursive: true });
      const nonce = makeNonce();
      html = renderWebviewHtml({ name: 'review', title: 'Rusty: review', cspSource: origin, nonce, scriptUri: `${origin}/dist/webview/review.js`, styleUri: `${origin}/dist/webview/review.css`, highlighterUri: `${origin}/dist/webview/highlight.js` });
      const cspErrors = [];
      const { page, webview } = await webviewPage(browser, theme, (text) => cspErrors.push(text));
      const approved = [];
      let host;
      const snapshotAfter = (params) => {
        const chosen = new Set([...params.hunks, ...files.filter((f) => params.files.includes(f.path)).flatMap((f) => f.hunks.map((h) => h.id))]);
        const all = files.flatMap((f) => f.hunks.map((h) => h.id));
        const pending = all.filter((id) => !chosen.has(id));
        const now = new Date().toISOString();
        return {
          ...first,
          proposal: {
            ...first.proposal,
            status: pending.length ? 'partially-applied' : 'applied',
            applied: { at: now, actor: 'extension', checkpointId: 'cp1', files: files.filter((f) => f.hunks.some((h) => chosen.has(h.id))).map((f) => f.path), hunks: [...chosen], merged: [] },
            pendingHunks: pending,
            parts: [{ n: 1, at: now, files: files.filter((f) => f.hunks.some((h) => chosen.has(h.id))).map((f) => f.path), hunks: [...chosen], rolledBack: false }],
          },
        };
      };
      host = new WebviewProtocolHost(webview, 'review', reviewSchemas, {
        approve: async (params) => {
          approved.push(params);
          host.notify('snapshot', snapshotAfter(params));
          return { status: 'partially-applied', applied: params.files, merged: [] };
        },
        reject: async () => ({ status: 'rejected' }),
        rollback: async () => ({ status: 'rolled-back' }),
        redo: async () => ({ status: 'redone' }),
        openDiff: async () => undefined,
        openFile: async () => undefined,
        openProposal: async () => undefined,
        cancelAsk: async () => undefined,
        openTranscript: async () => undefined,
        openPullRequest: async () => ({ number: 1, url: 'https://github.com/o/r/pull/1' }),
      }, { warn: (m) => cspErrors.push(`host: ${m}`), error: (m) => cspErrors.push(`host: ${m}`) }, () => host.notify('snapshot', first));
      host.notify('snapshot', first);

      let step = 0;
      const shot = async (name) => page.screenshot({ path: join(dir, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: false });
      const expect = (ok, what) => {
        if (!ok) failures.push(`${theme.label}: ${what}`);
      };
      const focused = () => page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return { tag: 'body' };
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          tag: el.tagName.toLowerCase(), label: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '', checked: el.checked, indeterminate: el.indeterminate,
          inFile: !!el.closest('.diff-file'), inHunk: !!el.closest('.diff-hunk'), visible: box.bottom > 0 && box.top < window.innerHeight,
          outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
        };
      });

      await page.goto(`${origin}/`);
      await page.waitForSelector('.diff-line');
      await page.waitForSelector('.diff[data-highlighted="all"]', { timeout: 60_000 });
      await shot('opened-highlighted');

      await page.keyboard.press('j');
      let f = await focused();
      expect(f.inFile && f.tag === 'input', `j from the page focuses the first file's checkbox (got ${JSON.stringify(f)})`);
      expect(f.outline.startsWith('solid') && !f.outline.includes(' 0px '), `the focused checkbox has a visible focus ring (${f.outline})`);
      await shot('j-first-file');

      await page.keyboard.press('j');
      f = await focused();
      expect(f.inHunk && f.checked === true, `second j focuses the first hunk's checkbox, ticked (got ${JSON.stringify(f)})`);
      await page.keyboard.press('Space');
      f = await focused();
      expect(f.checked === false, 'Space unticks the focused hunk');
      await shot('space-unticked-hunk');

      await page.keyboard.press('k');
      f = await focused();
      expect(f.inFile && f.indeterminate === true, `k goes back to the file, now partly selected (got ${JSON.stringify(f)})`);
      await shot('k-file-mixed');

      // To the decision bar: Shift+Tab until "Approve selected".
      for (let i = 0; i < 30; i++) {
        f = await focused();
        if (/Approve selected/.test(f.label)) break;
        await page.keyboard.press('Shift+Tab');
      }
      expect(/Approve selected/.test(f.label), `Shift+Tab reaches "Approve selected" (got ${JSON.stringify(f)})`);
      await shot('approve-focused');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#partial-heading', { timeout: 10_000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      f = await focused();
      expect(approved.length === 1 && approved[0].hunks.length > 0, `Enter approved the selection (${JSON.stringify(approved)})`);
      expect(f.tag !== 'body' && f.visible, `after approving, focus is on something visible (got ${JSON.stringify(f)})`);
      expect(f.inFile || f.inHunk, `after a partial approval, focus is on what is left to approve (got ${JSON.stringify(f)})`);
      await shot('after-partial-approve');
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot('partial-banner');

      const csp = cspErrors.filter((e) => /Content Security Policy|Refused/.test(e));
      expect(csp.length === 0, `no CSP violations (${csp.join(' | ')})`);
      await page.close();
      host.dispose();
      console.log(`${theme.label}: ${step} screenshots in ${dir}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) {
    console.error(`review keyboard pass: ${failures.length} failed\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('review keyboard pass: every step as expected in the three themes');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
