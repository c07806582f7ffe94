#!/usr/bin/env node
/* global window, document, performance, requestAnimationFrame -- code run in the page */
// Benchmark (not a test): the review webview's own share of issue 16's panel figures, measured in
// one Chromium (scripts/vscode-host/reviewHarness.mjs: the real dist/webview bundle in the HTML the
// extension writes, the real WebviewProtocolHost, VS Code's Dark Modern variables) — without the
// workbench, whose part (command → panel → service worker → HTML) scripts/bench/extension-host.mjs
// measures in code-server.
//
// 1. First paint of a 2,000-line proposal (src/big.ts, 1,000 lines changed in 50 blocks: the same
//    fixture as extension-host.mjs) against an empty webview (the same CSP, one static row, no
//    script) in the same browser: navigation start → the first frame with a laid-out diff row
//    (.diff-line) / the static row. Target ≤ 1.3×. Measured with the highlighter (data-highlighter:
//    highlight.js loaded after first paint) and without it, alternating.
// 2. Switching the open panel to another 2,000-line proposal: a new snapshot posted by the host →
//    the first frame showing the other proposal's title and diff rows. Target ≤ 100 ms. The interval
//    includes Playwright's round trip that delivers the message (an over-estimate of VS Code's
//    postMessage); the in-page part (the message event → that frame) is reported separately.
//
//   npm run build (or npx vite build -c webview-ui/vite.config.ts), then
//   node scripts/bench/review-panel.mjs            BENCH_REVIEW_SAMPLES (7), BENCH_REVIEW_INITIAL (1: the first
//                                                  snapshot in the page, as the extension writes it; 0: sent after `ready`)
// Results: dist/bench/review-panel.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, CHROMIUM, CHROMIUM_ARGS } from '../vscode-host/host.mjs';
import { THEMES, loadHostModules, startWebviewServer, webviewPage } from '../vscode-host/reviewHarness.mjs';

const SAMPLES = Number.parseInt(process.env.BENCH_REVIEW_SAMPLES ?? '7', 10);
if (!Number.isFinite(SAMPLES) || SAMPLES < 1) throw new Error('BENCH_REVIEW_SAMPLES must be an integer ≥ 1');
const JSON_OUT = join(ROOT, 'dist', 'bench', 'review-panel.json');
// BENCH_REVIEW_INITIAL=0: the page without its first snapshot (the webview asks with `ready` and waits for the reply), as before.
const INITIAL_IN_PAGE = process.env.BENCH_REVIEW_INITIAL !== '0';
const DARK = THEMES.find((t) => t.name === 'dark');

function bigTexts(tag) {
  const before = ['function compute(n: number, label: string): string { return `${label}:${n}`; }', 'function computeNext(n: number, label: string, options: { cached: boolean }): string { return `${label}:${n}:${options.cached}`; }'];
  const after = [...before];
  for (let i = 1; i <= 2000; i++) {
    const line = `export const ${tag}${i} = compute(${i}, 'item-${i}');`;
    before.push(line);
    after.push(Math.floor((i - 1) / 20) % 2 === 0 ? `export const ${tag}${i} = computeNext(${i}, 'item-${i}', { cached: true });` : line);
  }
  return { before: before.join('\n') + '\n', after: after.join('\n') + '\n' };
}

function proposalSnapshot(computeHunks, id, path, tag) {
  const { before, after } = bigTexts(tag);
  const hunks = computeHunks(path, before, after).map((h) => ({ id: h.id, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] }));
  const count = (c) => hunks.reduce((n, h) => n + h.lines.filter((l) => l[0] === c).length, 0);
  const now = new Date().toISOString();
  const file = { path, kind: 'modify', binary: false, added: count('+'), removed: count('-'), hunks };
  return {
    proposal: { id, title: `Bench ${tag}: 2,000 changed lines`, source: 'bench', priority: 'normal', status: 'pending', createdAt: now, updatedAt: now, createdBy: 'bench', files: [file], added: file.added, removed: file.removed, history: [{ status: 'pending', at: now, actor: 'bench' }] },
    texts: { [path]: { before, after } },
  };
}

/** In the page from its first script on: the first frame with a laid-out row, on the page's clock. */
function watchRows() {
  window.__bench = { firstRow: undefined, highlighted: undefined };
  // Registered before the app's listener: when the switch's snapshot message reaches the page.
  window.addEventListener('message', () => {
    const b = window.__bench;
    if (b.switchT0 !== undefined && b.switchMessage === undefined) b.switchMessage = performance.now();
  });
  const tick = () => {
    const b = window.__bench;
    if (b.firstRow === undefined) {
      for (const el of document.querySelectorAll('.diff-line, .hello-row')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) {
          b.firstRow = performance.now();
          break;
        }
      }
    }
    if (b.highlighted === undefined && document.querySelector('.diff[data-highlighted="all"]')) b.highlighted = performance.now();
    if (b.switchT0 !== undefined && b.switched === undefined) {
      const h1 = document.querySelector('.review-header h1');
      if (h1?.textContent?.includes(b.switchTitle) && [...document.querySelectorAll('.diff-line')].some((el) => el.getBoundingClientRect().height > 0)) b.switched = performance.now();
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : Number.NaN;
};

async function main() {
  const load0 = loadavg()[0];
  const { WebviewProtocolHost, reviewSchemas, renderWebviewHtml, makeNonce, computeHunks } = await loadHostModules();
  const A = proposalSnapshot(computeHunks, 'bench-a', 'src/big.ts', 'value');
  const B = proposalSnapshot(computeHunks, 'bench-b', 'src/other.ts', 'other');
  let html = '';
  const server = await startWebviewServer(() => html);
  const { origin } = server;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const samples = { empty: [], review: [], reviewNoHighlighter: [], highlightedAt: [], highlighterRequestedAt: [], switch: [], switchInPage: [] };
  const noop = async () => undefined;
  try {
    const once = async (kind) => {
      const nonce = makeNonce();
      html =
        kind === 'empty'
          ? renderWebviewHtml({ name: 'review', title: 'hello', cspSource: origin, nonce }).replace(/<div id="root"[^]*?<\/div>/, '<div id="root"><div class="hello-row">hello webview</div></div>')
          // As the extension writes it (reviewPanels.ts load()): the first snapshot in the page, seeded in the host.
          : renderWebviewHtml({ name: 'review', title: 'Rusty: review', cspSource: origin, nonce, scriptUri: `${origin}/dist/webview/review.js`, styleUri: `${origin}/dist/webview/review.css`, ...(kind === 'review' ? { highlighterUri: `${origin}/dist/webview/highlight.js` } : {}), ...(INITIAL_IN_PAGE ? { initialSnapshot: A } : {}) });
      const errors = [];
      const { page, webview } = await webviewPage(browser, DARK, (t) => errors.push(t));
      await page.addInitScript(watchRows);
      const host = new WebviewProtocolHost(webview, 'review', reviewSchemas, { approve: noop, reject: noop, rollback: noop, redo: noop, openDiff: noop, openFile: noop, openProposal: noop, cancelAsk: noop, openTranscript: noop, openPullRequest: noop }, { warn: () => {}, error: (m) => errors.push(m) }, () => host.notify('snapshot', A));
      if (INITIAL_IN_PAGE && kind !== 'empty') host.seed('snapshot', A);
      else host.notify('snapshot', A);
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => window.__bench?.firstRow !== undefined, undefined, { timeout: 60_000 });
      const r = await page.evaluate(() => ({ ...window.__bench }));
      samples[kind === 'empty' ? 'empty' : kind === 'review' ? 'review' : 'reviewNoHighlighter'].push(r.firstRow);
      if (kind === 'review') {
        await page.waitForFunction(() => window.__bench.highlighted !== undefined, undefined, { timeout: 120_000 }).catch(() => undefined);
        samples.highlightedAt.push(await page.evaluate(() => window.__bench.highlighted));
        // When highlight.js was requested, on the page's clock (after the first row, by construction).
        samples.highlighterRequestedAt.push(await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('/highlight.js'))?.startTime ?? Number.NaN));
        // Switch the open panel to proposal B (and back, alternately measured as the next sample's A).
        await page.evaluate((title) => {
          window.__bench.switchTitle = title;
          window.__bench.switched = undefined;
          window.__bench.switchMessage = undefined;
          window.__bench.switchT0 = performance.now();
        }, B.proposal.title);
        host.notify('snapshot', B);
        await page.waitForFunction(() => window.__bench.switched !== undefined, undefined, { timeout: 60_000 });
        const sw = await page.evaluate(() => ({ total: window.__bench.switched - window.__bench.switchT0, inPage: window.__bench.switched - window.__bench.switchMessage }));
        samples.switch.push(sw.total);
        samples.switchInPage.push(sw.inPage);
      }
      if (errors.length) console.error(`${kind}: ${errors.join(' | ')}`);
      host.dispose();
      await page.close();
    };
    await once('empty');
    await once('review'); // warm-up (disk cache, compile cache), not counted
    for (const k of Object.keys(samples)) samples[k].length = 0;
    for (let i = 0; i < SAMPLES; i++) {
      for (const kind of i % 2 ? ['review', 'reviewNoHighlighter', 'empty'] : ['empty', 'reviewNoHighlighter', 'review']) await once(kind);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const result = {
    samples: SAMPLES, initialSnapshotInPage: INITIAL_IN_PAGE, chromium: CHROMIUM, loadAverage: { start: load0, end: loadavg()[0], cpus: cpus().length },
    medianMs: m, raw: samples,
    ratios: { firstPaintVsEmpty: m.review / m.empty, firstPaintNoHighlighterVsEmpty: m.reviewNoHighlighter / m.empty, highlighterEffect: m.review / m.reviewNoHighlighter },
    targets: { firstPaintVsEmpty: 1.3, switchMs: 100 },
  };
  mkdirSync(join(ROOT, 'dist', 'bench'), { recursive: true });
  writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
  const f = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
  console.log(`review panel in Chromium (${SAMPLES} samples each, medians; first snapshot ${INITIAL_IN_PAGE ? 'in the page' : 'sent after ready'}; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
  console.log(`  empty webview: first row ${f(m.empty)} ms`);
  console.log(`  review, 2,000-line proposal, with highlighter: first diff row ${f(m.review)} ms (${f(result.ratios.firstPaintVsEmpty)}× empty; target ≤ 1.3×); all rows highlighted at ${f(m.highlightedAt)} ms`);
  const after = samples.review.filter((t, i) => samples.highlighterRequestedAt[i] > t).length;
  console.log(`  highlight.js requested after the first diff row was on screen in ${after} of ${samples.review.length} samples (median request at ${f(m.highlighterRequestedAt)} ms)`);
  console.log(`  review, without highlighter: first diff row ${f(m.reviewNoHighlighter)} ms (${f(result.ratios.firstPaintNoHighlighterVsEmpty)}× empty)`);
  console.log(`  with / without highlighter: ${result.ratios.highlighterEffect.toFixed(2)}×`);
  console.log(`  switch the open panel to another 2,000-line proposal: ${f(m.switch)} ms (target ≤ 100 ms), of which in the page ${f(m.switchInPage)} ms`);
  console.log('    (the message reaching the page → the first frame showing the other proposal; the rest is the host\'s JSON and Playwright delivering it)');
  console.log(`  results: ${JSON_OUT}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
