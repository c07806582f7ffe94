#!/usr/bin/env node
/* global performance, window, document, requestAnimationFrame, setTimeout -- performance: the bench clock; the rest: code run in the workbench page */
// Benchmark (not a test): the extension in the REAL host — code-server with the packaged VSIX
// installed, driven by headless Chromium (scripts/vscode-host). Two measurements, each against a
// baseline measured in the same run:
//
// 1. Activation (target ≤ 50 ms). One fresh window — hence one fresh extension host — per sample.
//    The workbench is opened with scripts/bench/extension-host-probe.cjs as extensionTestsPath; in
//    the new host the probe waits until the host is quiet, then times
//        await vscode.extensions.getExtension(id).activate()
//    with performance.now(): VS Code resolves the extension, require()s its `main` (read + compile +
//    evaluate) and calls activate(). Baseline: a minimal "hello" extension (activate() registers one
//    command), generated on the fly, packaged with vsce and installed into the same extensions
//    folder, activated the same way. The window is closed and its extension host stopped after
//    each sample; Rusty and hello alternate.
//
// 2. First paint of the review panel for a 2,000-line proposal (target ≤ 150 ms). The sandbox
//    workspace gets src/big.ts (2,000 lines); `rusty submit` (dist/cli.js, same RUSTY_STATE_DIR as
//    the host) queues a proposal changing 1,000 of them in 50 blocks (−1,000 +1,000 = 2,000 changed
//    lines, 50 hunks). A user keybinding runs `rusty.reviewProposal <id>`. The interval runs from the
//    keydown event's timestamp in the workbench page to the end of the first animation frame in
//    which a diff row (.diff-line) of the review webview (iframe.webview → #active-frame) is in the
//    DOM with a non-empty layout box. Baseline: VS Code's own diff editor (vscode.diff) on the same
//    before/after texts (two plain-text temp files, so no language extension starts), bound to
//    another key, to the first frame with a rendered `.monaco-diff-editor .view-line`; the frame
//    with the first diff decoration (.line-insert/.line-delete/.char-*) is reported too. Both are
//    watched from the workbench page with one requestAnimationFrame loop (the webview frames are
//    same-origin in code-server), so both sides are timed the same way. All editors are closed
//    between samples; one cold sample per side (first open in the window: includes Rusty's
//    activation) is reported but not in the statistics.
//
//   npm run bench                                  (after the checkpoint benchmark)
//   node scripts/bench/extension-host.mjs [--no-build] [--keep]
//
// Knobs (environment): BENCH_ACTIVATION_SAMPLES (5), BENCH_PANEL_SAMPLES (7).
// Results: dist/bench/extension-host.json. Every process started here is stopped by pid (tree).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageVsix } from '../package.mjs';
import {
  ROOT, log, elapsed, npmRun, createSandbox, ensureCodeServer, installVsix, startCodeServer, launchBrowser, keepDiagnostics, killTree, processTree,
} from '../vscode-host/host.mjs';

const argv = process.argv.slice(2);
const RUSTY_ID = 'rusty-dev.rusty';
const HELLO_ID = 'rusty-bench.hello';
const ACTIVATION_TARGET_MS = 50;
const PANEL_TARGET_MS = 150;
const ACTIVATION_SAMPLES = intFromEnv('BENCH_ACTIVATION_SAMPLES', 5, 1);
const PANEL_SAMPLES = intFromEnv('BENCH_PANEL_SAMPLES', 7, 1);
const SAMPLE_TIMEOUT_MS = 60_000;
const JSON_OUT = join(ROOT, 'dist', 'bench', 'extension-host.json');
const BIG_FILE = 'src/big.ts';
const BIG_LINES = 2000;
const BLOCK = 20; // changed / unchanged blocks of 20 lines
const KEYS = {
  review: { press: 'Control+Alt+Shift+F7', key: 'ctrl+alt+shift+f7', domKey: 'F7' },
  nativeDiff: { press: 'Control+Alt+Shift+F8', key: 'ctrl+alt+shift+f8', domKey: 'F8' },
  closeAll: { press: 'Control+Alt+Shift+F6', key: 'ctrl+alt+shift+f6', domKey: 'F6' },
};

function intFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

const cleanups = [];
async function cleanupAll() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (err) { log(`cleanup: ${err instanceof Error ? err.message : err}`); }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => void cleanupAll().finally(() => process.exit(130)));
}

// ─── statistics ─────────────────────────────────────────────────────────────────────────────────

function quantile(xs, q) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
function stat(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return { n: v.length, median: quantile(v, 0.5), p90: quantile(v, 0.9), min: Math.min(...v), max: Math.max(...v) };
}
const round = (n, d = 2) => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : n);
const fmt = (n, d = 1) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : '—');

// ─── fixtures ───────────────────────────────────────────────────────────────────────────────────

/** src/big.ts before and after: 2,000 lines; lines in even 20-line blocks change (1,000 lines, 50 blocks). */
function bigFileTexts() {
  const before = [];
  const after = [];
  for (let i = 1; i <= BIG_LINES; i++) {
    const line = `export const value${i} = compute(${i}, 'item-${i}');`;
    before.push(line);
    after.push(Math.floor((i - 1) / BLOCK) % 2 === 0 ? `export const value${i} = computeNext(${i}, 'item-${i}', { cached: true });` : line);
  }
  return { before: before.join('\n') + '\n', after: after.join('\n') + '\n' };
}

function rustyCli(sandbox, args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '-w', sandbox.workspace, '--json', ...args], {
    cwd: ROOT,
    env: { ...process.env, RUSTY_STATE_DIR: sandbox.state, RUSTY_ACTOR: 'bench' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`rusty ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout);
}

/** Queues the 2,000-changed-line proposal through the CLI, into the state folder the host uses. */
function createProposal(sandbox) {
  const { before, after } = bigFileTexts();
  writeFileSync(join(sandbox.workspace, BIG_FILE), before);
  const changeSet = {
    title: `Bench: 2,000 changed lines in ${BIG_FILE}`,
    rationale: 'extension-host benchmark fixture',
    source: 'bench',
    edits: [{ path: BIG_FILE, kind: 'modify', baseHash: createHash('sha256').update(before).digest('hex'), content: after }],
  };
  const file = join(sandbox.dir, 'change-set.json');
  writeFileSync(file, JSON.stringify(changeSet));
  const { id } = rustyCli(sandbox, ['submit', file]);
  const shown = rustyCli(sandbox, ['show', id]);
  const f = shown.files?.[0] ?? {};
  // The same texts for VS Code's diff editor, as plain text so no language extension starts.
  const dir = join(sandbox.dir, 'native-diff');
  mkdirSync(dir, { recursive: true });
  const left = join(dir, 'big.before.txt');
  const right = join(dir, 'big.after.txt');
  writeFileSync(left, before);
  writeFileSync(right, after);
  return { id, added: f.added, removed: f.removed, hunks: f.hunks?.length, left, right };
}

/** The baseline extension: activate() registers one command. Packaged with vsce like Rusty. */
function packageHello(sandbox) {
  const dir = join(sandbox.dir, 'hello-extension');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'hello', displayName: 'Hello (benchmark baseline)', description: 'Minimal extension: activate() registers one command.',
    publisher: 'rusty-bench', version: '0.0.1', license: 'MIT', engines: { vscode: '^1.100.0' }, main: './extension.js',
    activationEvents: [], contributes: { commands: [{ command: 'rustyBenchHello.hello', title: 'Hello', category: 'Bench' }] },
  }, null, 2));
  writeFileSync(join(dir, 'extension.js'), [
    "'use strict';",
    "const vscode = require('vscode');",
    'exports.activate = (context) => {',
    "  context.subscriptions.push(vscode.commands.registerCommand('rustyBenchHello.hello', () => vscode.window.showInformationMessage('Hello')));",
    '};',
    'exports.deactivate = () => {};',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'README.md'), '# Hello\n\nThe activation baseline of scripts/bench/extension-host.mjs.\n');
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  const vsix = join(sandbox.dir, 'hello-0.0.1.vsix');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`vsce package (hello) failed: ${r.stdout}${r.stderr}`);
  return vsix;
}

function writeKeybindings(sandbox, proposalId) {
  writeFileSync(join(sandbox.userData, 'User', 'keybindings.json'), JSON.stringify([
    { key: KEYS.review.key, command: 'rusty.reviewProposal', args: proposalId },
    { key: KEYS.nativeDiff.key, command: 'rustyBench.openNativeDiff' },
    { key: KEYS.closeAll.key, command: 'workbench.action.closeAllEditors' },
  ], null, 2));
}

// ─── the host ───────────────────────────────────────────────────────────────────────────────────

async function waitForFile(file, { timeout, what, server }) {
  const t0 = Date.now();
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // not there yet
    }
    if (server.exited) throw new Error(`code-server exited while waiting for ${what}`);
    if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    await sleep(50);
  }
}

/** Opens a fresh window whose extension host runs the probe with `request`; returns the probe's answer. */
async function openProbeWindow(ctx, request, what) {
  const { sandbox, server, page } = ctx;
  const out = join(sandbox.dir, `probe-${++ctx.seq}.json`);
  writeFileSync(join(sandbox.dir, 'probe-request.json'), JSON.stringify({ ...request, out }));
  const url = server.url([
    ['extensionDevelopmentPath', server.remote(sandbox.noDevExtension)],
    ['extensionTestsPath', server.remote(join(sandbox.dir, 'probe'))],
  ]);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: SAMPLE_TIMEOUT_MS });
  const answer = await waitForFile(out, { timeout: SAMPLE_TIMEOUT_MS, what, server });
  if (!answer.ok) throw new Error(`probe (${what}) failed in the extension host:\n${answer.error}`);
  return answer;
}

/** Leaves the window and stops its extension host (by the pid the probe reported), so the next sample starts fresh. */
async function closeWindow(ctx, extHostPid) {
  await ctx.page.goto('about:blank');
  if (extHostPid) {
    await killTree(extHostPid, { graceMs: 3000 });
    const t0 = Date.now();
    while (isAlive(extHostPid) && Date.now() - t0 < 5000) await sleep(50);
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ─── 1. activation ──────────────────────────────────────────────────────────────────────────────

async function benchActivation(ctx) {
  const samples = { [RUSTY_ID]: [], [HELLO_ID]: [] };
  const warmups = {};
  const order = [];
  // One warm-up per side (first window after the server started: cold file caches), then ABBA.
  order.push([RUSTY_ID, true], [HELLO_ID, true]);
  for (let i = 0; i < ACTIVATION_SAMPLES; i++) {
    const pair = i % 2 === 0 ? [RUSTY_ID, HELLO_ID] : [HELLO_ID, RUSTY_ID];
    for (const id of pair) order.push([id, false]);
  }
  let n = 0;
  for (const [id, warmup] of order) {
    const t0 = Date.now();
    const other = id === RUSTY_ID ? HELLO_ID : RUSTY_ID;
    const r = await openProbeWindow(ctx, { mode: 'activation', extensionId: id, others: [other], settleMs: 1500 }, `activation of ${id}`);
    await closeWindow(ctx, r.pid);
    if (r.activeBefore.length) throw new Error(`${r.activeBefore.join(', ')} already active before the timed activation (sample ${n}); the measurement would be wrong`);
    if (!r.isActive) throw new Error(`${id} is not active after activate()`);
    const label = warmup ? 'warm-up ' : `sample ${String(++n).padStart(2)}`;
    log(`activation ${label} ${id.padEnd(18)} ${fmt(r.ms, 2).padStart(7)} ms (load ${r.loadMs ?? '?'} ms) — fresh window + host in ${elapsed(t0)}`);
    if (warmup) warmups[id] = r;
    else samples[id].push(r);
  }
  return { samples, warmups };
}

// ─── 2. review panel first paint ────────────────────────────────────────────────────────────────

/**
 * Installed once in the workbench page. arm(kind) resolves with the milestones of one sample, in
 * ms after the keydown event's timestamp (the moment the key was pressed), all measured on the
 * page's performance.now() clock inside one requestAnimationFrame loop (same-origin frames share the
 * page's event loop and rendering, so a milestone's frame is the frame that paints it); `final` is
 * taken in a task queued from that frame, i.e. after the frame's rendering work.
 */
function pageInstrumentation() {
  const now = () => performance.now();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? r : null;
  };
  const webviews = (known) => {
    const out = [];
    for (const f of document.querySelectorAll('iframe.webview')) {
      if (known.has(f)) continue;
      let outer = null;
      let inner = null;
      let innerWin = null;
      try {
        outer = f.contentDocument;
        const active = outer && outer.getElementById('active-frame');
        inner = active && active.contentDocument;
        innerWin = active && active.contentWindow;
      } catch {
        // not reachable (cross-origin): reported as such
      }
      out.push({ outer, inner, innerWin });
    }
    return out;
  };
  window.__rustyBench = {
    arm(kind, domKey, timeoutMs) {
      return new Promise((resolve) => {
        const known = new Set(document.querySelectorAll('iframe.webview'));
        const knownDiff = new Set(document.querySelectorAll('.monaco-diff-editor'));
        const m = {};
        let t0 = null;
        let finished = false;
        const onKey = (e) => {
          if (t0 === null && e.key === domKey && e.ctrlKey && e.altKey && e.shiftKey) {
            t0 = e.timeStamp;
            m.keydownListener = now();
          }
        };
        window.addEventListener('keydown', onKey, true);
        const started = now();
        const done = (final) => {
          finished = true;
          window.removeEventListener('keydown', onKey, true);
          setTimeout(() => {
            m.final = now();
            const rel = {};
            for (const [k, v] of Object.entries(m)) rel[k] = typeof v === 'number' ? v - t0 : v;
            resolve({ ok: final, t0, ms: rel });
          }, 0);
        };
        const tick = () => {
          if (finished) return;
          const t = now();
          if (t0 !== null) {
            if (kind === 'rusty') {
              for (const w of webviews(known)) {
                if (m.panel === undefined) m.panel = t;
                if (!w.outer) m.unreachable = true;
                if (!w.inner) continue;
                if (m.html === undefined && w.inner.getElementById('root')) m.html = t;
                const root = w.inner.getElementById('root');
                if (m.app === undefined && root && root.childElementCount > 0) m.app = t;
                if (m.rows === undefined) {
                  for (const el of w.inner.querySelectorAll('.diff-row .diff-line')) {
                    const r = box(el);
                    if (!r) continue;
                    m.rows = t;
                    m.rowsInViewport = r.top < w.innerWin.innerHeight && r.bottom > 0;
                    m.rowsTop = Math.round(r.top);
                    m.rowCount = w.inner.querySelectorAll('.diff-row').length;
                    break;
                  }
                }
              }
              if (m.rows !== undefined) return done(true);
            } else {
              for (const ed of document.querySelectorAll('.monaco-diff-editor')) {
                if (knownDiff.has(ed)) continue;
                if (m.editor === undefined) m.editor = t;
                if (m.line === undefined) {
                  for (const el of ed.querySelectorAll('.view-line')) {
                    if (el.textContent && el.textContent.trim() && box(el)) {
                      m.line = t;
                      break;
                    }
                  }
                }
                if (m.diff === undefined) {
                  for (const el of ed.querySelectorAll('.line-insert, .line-delete, .char-insert, .char-delete')) {
                    if (box(el)) {
                      m.diff = t;
                      break;
                    }
                  }
                }
              }
              if (m.line !== undefined && m.diff !== undefined) return done(true);
            }
          }
          if (t - started > timeoutMs) return done(false);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    },
    counts() {
      return { webviews: document.querySelectorAll('iframe.webview').length, diffEditors: document.querySelectorAll('.monaco-diff-editor').length };
    },
  };
}

async function closeAllEditors(page) {
  await page.keyboard.press(KEYS.closeAll.press);
  const t0 = Date.now();
  for (;;) {
    const c = await page.evaluate(() => window.__rustyBench.counts());
    if (c.webviews === 0 && c.diffEditors === 0) break;
    if (Date.now() - t0 > 10_000) throw new Error(`editors did not close: ${JSON.stringify(c)}`);
    await sleep(50);
  }
  await sleep(700); // let the teardown finish before the next sample
}

async function panelSample(page, kind) {
  const key = kind === 'rusty' ? KEYS.review : KEYS.nativeDiff;
  // Keyboard focus on the workbench (the empty editor area), not inside a webview.
  await page.locator('.monaco-workbench .part.editor').click({ position: { x: 300, y: 300 } });
  await sleep(200);
  const result = page.evaluate(([k, dk, to]) => window.__rustyBench.arm(k, dk, to), [kind, key.domKey, SAMPLE_TIMEOUT_MS]);
  await sleep(50); // the arm() call is running in the page before the key goes down
  await page.keyboard.press(key.press);
  const r = await result;
  if (!r.ok || r.t0 === null) throw new Error(`${kind}: no first paint within ${SAMPLE_TIMEOUT_MS / 1000} s (${JSON.stringify(r)})`);
  if (r.ms.unreachable) throw new Error('the review webview frames are not reachable from the workbench page (cross-origin?)');
  return r.ms;
}

async function benchPanel(ctx, proposal) {
  const { page } = ctx;
  const ready = await openProbeWindow(ctx, {
    mode: 'panel',
    nativeDiff: { left: proposal.left, right: proposal.right, title: `${BIG_FILE} (before ↔ proposed, plain text)` },
  }, 'the panel probe');
  ctx.panelHostPid = ready.pid;
  await page.locator('.monaco-workbench').waitFor({ timeout: SAMPLE_TIMEOUT_MS });
  await page.getByRole('treeitem', { name: /^src/ }).first().waitFor({ timeout: SAMPLE_TIMEOUT_MS });
  await sleep(2000); // startup work of the window (restoring views, built-in extensions) out of the way
  await page.evaluate(pageInstrumentation);

  const samples = { rusty: [], native: [] };
  const cold = {};
  const order = [['rusty', true], ['native', true]];
  for (let i = 0; i < PANEL_SAMPLES; i++) for (const k of i % 2 === 0 ? ['rusty', 'native'] : ['native', 'rusty']) order.push([k, false]);
  let n = 0;
  for (const [kind, isCold] of order) {
    const ms = await panelSample(page, kind);
    if (ctx.screenshots && !isCold && n < 2) await page.screenshot({ path: join(ctx.sandbox.dir, `panel-${kind}.png`) });
    await closeAllEditors(page);
    const label = isCold ? 'cold    ' : `sample ${String(++n).padStart(2)}`;
    if (kind === 'rusty') {
      log(`panel ${label} Rusty review panel: rows ${fmt(ms.rows)} ms (panel ${fmt(ms.panel)}, html ${fmt(ms.html)}, app ${fmt(ms.app)}, after frame ${fmt(ms.final)}; ${ms.rowCount} rows in DOM, first row ${ms.rowsInViewport ? 'on screen' : `below the fold at y=${ms.rowsTop}`})`);
    } else {
      log(`panel ${label} VS Code diff editor: first line ${fmt(ms.line)} ms (editor ${fmt(ms.editor)}, diff decorations ${fmt(ms.diff)}, after frame ${fmt(ms.final)})`);
    }
    if (isCold) cold[kind] = ms;
    else samples[kind].push(ms);
  }
  return { samples, cold };
}

// ─── report ─────────────────────────────────────────────────────────────────────────────────────

function report({ act, panel, proposal, started, env }) {
  const R = act.samples[RUSTY_ID];
  const H = act.samples[HELLO_ID];
  const a = { rusty: stat(R.map((s) => s.ms)), hello: stat(H.map((s) => s.ms)), rustyLoad: stat(R.map((s) => s.loadMs)), helloLoad: stat(H.map((s) => s.loadMs)) };
  a.rustyRest = stat(R.map((s) => (s.loadMs === null ? NaN : s.ms - s.loadMs)));
  a.helloRest = stat(H.map((s) => (s.loadMs === null ? NaN : s.ms - s.loadMs)));
  const PR = panel.samples.rusty;
  const PN = panel.samples.native;
  const p = {
    rows: stat(PR.map((s) => s.rows)), rowsFinal: stat(PR.map((s) => s.final)), panel: stat(PR.map((s) => s.panel)), html: stat(PR.map((s) => s.html)), app: stat(PR.map((s) => s.app)),
    line: stat(PN.map((s) => s.line)), lineFinal: stat(PN.map((s) => s.final)), editor: stat(PN.map((s) => s.editor)), diff: stat(PN.map((s) => s.diff)),
    keyToListener: stat([...PR, ...PN].map((s) => s.keydownListener)),
  };
  const ratioAct = a.rusty.median / a.hello.median;
  const ratioPanel = p.rows.median / p.line.median;
  const ratioPanelDiff = p.rows.median / p.diff.median;
  const met = (v, target) => (v <= target ? 'met' : 'MISSED');

  const row = (label, s) => `  ${label.padEnd(64)}${fmt(s.median, 1).padStart(9)}${fmt(s.p90, 1).padStart(9)}${fmt(s.min, 1).padStart(9)}${fmt(s.max, 1).padStart(9)}`;
  const head = `  ${'ms'.padEnd(64)}${'median'.padStart(9)}${'p90'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}`;
  const L = [];
  L.push('');
  L.push(`Rusty in the real extension host — code-server ${env.codeServer} (VS Code ${env.vscode}), headless Chromium, node ${process.versions.node}, ${cpus().length} CPUs`);
  L.push('');
  L.push(`1. Activation: ${ACTIVATION_SAMPLES} samples per extension, each in a fresh window + extension host (after 1 warm-up each; alternating)`);
  L.push('   interval: `await vscode.extensions.getExtension(id).activate()` in the probe (performance.now): resolve + require(main) + activate()');
  L.push(head);
  L.push(row(`Rusty (${RUSTY_ID}, ${env.rustyMainKiB} KiB ${R[0]?.main ?? ''})`, a.rusty));
  L.push(row('    load: require() of the bundle (VS Code marks, 1 ms resolution)', a.rustyLoad));
  L.push(row('    rest: activate() + VS Code bookkeeping', a.rustyRest));
  L.push(row(`hello baseline (${HELLO_ID}: activate() registers 1 command)`, a.hello));
  L.push(row('    load: require() of extension.js', a.helloLoad));
  L.push('');
  L.push(`   Rusty / hello (medians): ${fmt(ratioAct, 2)}×   Rusty − hello: ${fmt(a.rusty.median - a.hello.median, 1)} ms`);
  L.push(`   Target ≤ ${ACTIVATION_TARGET_MS} ms (Rusty median ${fmt(a.rusty.median, 1)} ms, p90 ${fmt(a.rusty.p90, 1)} ms): ${met(a.rusty.median, ACTIVATION_TARGET_MS).toUpperCase()}`
    + `${a.rusty.p90 > ACTIVATION_TARGET_MS && a.rusty.median <= ACTIVATION_TARGET_MS ? ' (p90 above target)' : ''}`);
  L.push(`   warm-up (first window after server start): Rusty ${fmt(act.warmups[RUSTY_ID]?.ms, 1)} ms, hello ${fmt(act.warmups[HELLO_ID]?.ms, 1)} ms`);
  L.push('');
  L.push(`2. Review panel first paint: proposal ${proposal.id} = ${BIG_FILE}, ${BIG_LINES} lines, −${proposal.removed} +${proposal.added} = ${proposal.removed + proposal.added} changed lines in ${proposal.hunks} hunks`);
  L.push(`   ${PANEL_SAMPLES} samples per side, interleaved (ABBA), all editors closed in between; interval starts at the keydown event's timestamp`);
  L.push('   (keybinding → command in the extension host → panel/editor in the workbench) and ends at the rAF frame that first lays out the element.');
  L.push(head);
  L.push(row('Rusty: `rusty.reviewProposal <id>` → first diff row (.diff-line) laid out', p.rows));
  L.push(row('    webview element (iframe.webview) created', p.panel));
  L.push(row('    webview document with #root in #active-frame', p.html));
  L.push(row('    React mounted (#root has content: loading state)', p.app));
  L.push(row('    … end of that frame\'s rendering (task after the frame)', p.rowsFinal));
  L.push(row('VS Code diff editor: `vscode.diff` → first .view-line rendered', p.line));
  L.push(row('    .monaco-diff-editor created', p.editor));
  L.push(row('    first diff decoration (.line-insert/.char-insert …) rendered', p.diff));
  L.push(row('    … end of the first-line frame\'s rendering', p.lineFinal));
  L.push(row('(both) keydown timestamp → page keydown listener', p.keyToListener));
  L.push('');
  L.push(`   Rusty / VS Code diff first line (medians): ${fmt(ratioPanel, 2)}×   (vs. first diff decoration: ${fmt(ratioPanelDiff, 2)}×)`);
  L.push(`   Target ≤ ${PANEL_TARGET_MS} ms (Rusty median ${fmt(p.rows.median, 1)} ms, p90 ${fmt(p.rows.p90, 1)} ms): ${met(p.rows.median, PANEL_TARGET_MS).toUpperCase()}`
    + `${p.rows.p90 > PANEL_TARGET_MS && p.rows.median <= PANEL_TARGET_MS ? ' (p90 above target)' : ''}`);
  L.push(`   cold (first open in the window, not in the statistics): Rusty ${fmt(panel.cold.rusty?.rows, 1)} ms (includes activation on the command + loading Rusty's state), VS Code diff ${fmt(panel.cold.native?.line, 1)} ms`);
  const below = PR.filter((s) => !s.rowsInViewport).length;
  if (below) L.push(`   note: in ${below} of ${PR.length} samples the first diff row was laid out below the visible part of the panel (y=${PR[0]?.rowsTop}).`);
  L.push('');
  L.push(`  Results: ${relative(process.cwd(), JSON_OUT)} (extension-host bench time ${elapsed(started)})`);
  process.stdout.write(L.join('\n') + '\n');

  const json = {
    generatedAt: new Date().toISOString(),
    environment: { node: process.versions.node, cpus: cpus().length, codeServer: env.codeServer, vscode: env.vscode, chromium: env.chromium },
    activation: {
      interval: 'performance.now() around `await vscode.extensions.getExtension(id).activate()` in a fresh extension host (probe via extensionTestsPath), after the host is quiet; includes resolving the extension, require() of its main (read+compile+evaluate) and activate()',
      samplesPerSide: ACTIVATION_SAMPLES,
      summaryMs: { rusty: a.rusty, rustyLoad: a.rustyLoad, rustyRest: a.rustyRest, hello: a.hello, helloLoad: a.helloLoad, helloRest: a.helloRest },
      ratio: ratioAct,
      target: { ms: ACTIVATION_TARGET_MS, verdict: met(a.rusty.median, ACTIVATION_TARGET_MS), p90Within: a.rusty.p90 <= ACTIVATION_TARGET_MS },
      rustyMainBytes: R[0]?.mainBytes,
      warmups: act.warmups,
      samples: act.samples,
    },
    reviewPanel: {
      interval: 'keydown event timestamp in the workbench page → first requestAnimationFrame in which a .diff-line of the review webview (#active-frame) has a non-empty layout box; baseline: same keydown → first rendered .monaco-diff-editor .view-line of vscode.diff on the same texts',
      proposal: { id: proposal.id, file: BIG_FILE, lines: BIG_LINES, added: proposal.added, removed: proposal.removed, hunks: proposal.hunks },
      samplesPerSide: PANEL_SAMPLES,
      summaryMs: p,
      ratio: ratioPanel,
      ratioVsDiffDecorations: ratioPanelDiff,
      target: { ms: PANEL_TARGET_MS, verdict: met(p.rows.median, PANEL_TARGET_MS), p90Within: p.rows.p90 <= PANEL_TARGET_MS },
      cold: panel.cold,
      samples: panel.samples,
    },
  };
  mkdirSync(join(ROOT, 'dist', 'bench'), { recursive: true });
  writeFileSync(JSON_OUT, JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 3) : v), 2) + '\n');
}

// ─── main ───────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const started = Date.now();
  if (!argv.includes('--no-build')) {
    log('npm run build (the bench measures the packaged extension built from this tree)');
    npmRun('build');
  }
  const sandbox = createSandbox({ name: 'rusty-bench' });
  cleanups.push(async () => {
    if (argv.includes('--keep')) log(`sandbox kept: ${sandbox.dir}`);
    else rmSync(sandbox.dir, { recursive: true, force: true });
  });
  const ctx = { sandbox, seq: 0, screenshots: argv.includes('--screenshots') };
  let ok = false;
  try {
    const proposal = createProposal(sandbox);
    log(`proposal ${proposal.id}: ${BIG_FILE} −${proposal.removed} +${proposal.added} in ${proposal.hunks} hunks (queued with dist/cli.js into ${relative(sandbox.dir, sandbox.state)}/)`);
    writeKeybindings(sandbox, proposal.id);
    copyFileSync(join(ROOT, 'scripts', 'bench', 'extension-host-probe.cjs'), join(sandbox.dir, 'probe.js'));

    const { vsix } = packageVsix({ log: () => {}, outDir: sandbox.dir });
    const helloVsix = packageHello(sandbox);
    const entry = ensureCodeServer();
    installVsix(entry, sandbox, vsix);
    installVsix(entry, sandbox, helloVsix);

    const server = await startCodeServer(entry, sandbox);
    cleanups.push(() => server.stop());
    ctx.server = server;
    const browser = await launchBrowser(sandbox);
    cleanups.push(() => browser.stop());
    ctx.page = browser.page;
    ctx.browser = browser;

    const csPkg = JSON.parse(readFileSync(join(entry, '..', '..', '..', 'package.json'), 'utf8'));
    const vsPkg = JSON.parse(readFileSync(join(entry, '..', '..', '..', 'lib', 'vscode', 'package.json'), 'utf8'));
    const env = {
      codeServer: csPkg.version, vscode: vsPkg.version, chromium: browser.browser.version(),
      rustyMainKiB: Math.round(statSync(join(ROOT, 'dist', 'extension.js')).size / 1024),
    };

    let t0 = Date.now();
    log(`activation: ${ACTIVATION_SAMPLES} samples per extension (+1 warm-up each), each in a fresh window and extension host`);
    const act = await benchActivation(ctx);
    log(`activation done (${elapsed(t0)})`);

    t0 = Date.now();
    log(`review panel: 1 cold + ${PANEL_SAMPLES} samples per side in one window`);
    const panel = await benchPanel(ctx, proposal);
    await closeWindow(ctx, ctx.panelHostPid);
    log(`review panel done (${elapsed(t0)})`);

    await cleanupAll();
    const left = processTree(process.pid);
    if (left.length) log(`warning: processes still running under the bench: ${left.join(', ')}`);
    report({ act, panel, proposal, started, env });
    ok = true;
  } catch (err) {
    log(`extension-host bench FAILED: ${err instanceof Error ? err.stack ?? err.message : err}`);
    if (ctx.page) await keepDiagnostics('bench-extension-host', sandbox, ctx.page);
    await cleanupAll();
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`[bench] ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
