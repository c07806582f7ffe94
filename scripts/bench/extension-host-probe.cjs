/* global require, exports, __dirname, process, performance, setTimeout, setInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module loaded by the extension host */
// The benchmark's probe inside the real extension host (not a test): scripts/bench/extension-host.mjs
// copies this file into its sandbox as probe.js and opens the workbench with it as
// `extensionTestsPath` (the same mechanism as the Mocha suite runner), once per sample. It reads
// what to do from probe-request.json next to it and writes its answer to the file the request names:
//
// - { mode: 'activation', extensionId, others, settleMs, out }: waits until the fresh host is quiet
//   (settleMs, then until a 10 ms timer fires on time), checks that neither the target nor the other
//   benchmarked extensions are active yet, then times
//       t0 = performance.now(); await vscode.extensions.getExtension(extensionId).activate(); t1
//   That is VS Code's own activation path for an API activation request: it resolves the extension's
//   `main`, require()s it (read + compile + evaluate the bundle, `vscode` injected) and calls its
//   activate(), resolving when activate()'s result resolves. VS Code marks the module load with
//   `code/extHost/willLoadExtensionCode/<id>` and `didLoadExtensionCode/<id>` (Date.now, 1 ms);
//   the probe reports that span as the load part.
// - { mode: 'panel', nativeDiff: { left, right, title }, activate: [ids], busyLog, out }: activates `activate`,
//   logs the extension host's event-loop stalls to `busyLog`,
//   registers the commands `rustyBench.openNativeDiff` (vscode.diff on two files) and
//   `rustyBench.openHelloWebview` (a static one-line webview panel; the runner binds both to keys), writes
//   { ready: true, pid } and stays alive until the runner stops this extension host.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const REQUEST = path.join(__dirname, 'probe-request.json');

function writeJson(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
  fs.renameSync(tmp, file);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits settleMs, then until a 10 ms timer is late by less than 3 ms five times in a row (at most 5 s more). */
async function settle(settleMs) {
  await sleep(settleMs);
  const deadline = performance.now() + 5000;
  let quiet = 0;
  while (quiet < 5 && performance.now() < deadline) {
    const t = performance.now();
    await sleep(10);
    quiet = performance.now() - t < 13 ? quiet + 1 : 0;
  }
}

function marksFor(id) {
  const perf = globalThis.MonacoPerformanceMarks;
  if (!perf || typeof perf.getMarks !== 'function') return {};
  const out = {};
  for (const m of perf.getMarks()) {
    if (m.name === `code/extHost/willLoadExtensionCode/${id}`) out.willLoad = m.startTime;
    if (m.name === `code/extHost/didLoadExtensionCode/${id}`) out.didLoad = m.startTime;
  }
  return out;
}

async function activation(req) {
  await settle(req.settleMs ?? 1500);
  const ext = vscode.extensions.getExtension(req.extensionId);
  if (!ext) throw new Error(`extension ${req.extensionId} is not installed in this host`);
  const activeBefore = [req.extensionId, ...(req.others ?? [])].filter((id) => vscode.extensions.getExtension(id)?.isActive);
  const wallStart = Date.now();
  const t0 = performance.now();
  await ext.activate();
  const ms = performance.now() - t0;
  // Rusty's container loads in a timer right after activate() (src/extension/extension.ts): its
  // exports.ready settles then. Timed from t0 too, so the deferred work is reported, not hidden.
  const ready = ext.exports && typeof ext.exports.ready?.then === 'function' ? await ext.exports.ready : undefined;
  const readyMs = ready === undefined ? null : performance.now() - t0;
  const marks = marksFor(req.extensionId);
  const loadMs = marks.willLoad !== undefined && marks.didLoad !== undefined ? marks.didLoad - marks.willLoad : null;
  writeJson(req.out, {
    ok: true,
    pid: process.pid,
    extensionId: req.extensionId,
    ms,
    readyMs,
    ready,
    loadMs,
    // The load started this long after the activation request (resolving, localization, bookkeeping).
    beforeLoadMs: marks.willLoad !== undefined ? marks.willLoad - wallStart : null,
    activeBefore,
    isActive: ext.isActive,
    main: ext.packageJSON.main,
    mainBytes: (() => {
      try {
        return fs.statSync(path.join(ext.extensionPath, ext.packageJSON.main)).size;
      } catch {
        return null;
      }
    })(),
  });
}

async function panel(req) {
  const { left, right, title } = req.nativeDiff;
  // Activate the extensions under test up front, so the first open in this window does not include activation.
  for (const id of req.activate ?? []) await vscode.extensions.getExtension(id)?.activate();
  vscode.commands.registerCommand('rustyBench.openNativeDiff', () =>
    vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(left), vscode.Uri.file(right), title, { preview: false }));
  // Extension-host main-thread stalls (a 10 ms timer firing ≥ 15 ms late), appended to a file the
  // runner reads after each sample to show how much of an interval the extension host was busy.
  // Epoch ms (performance.timeOrigin + now), the clock the workbench page reports too.
  if (req.busyLog) {
    let last = performance.now();
    setInterval(() => {
      const t = performance.now();
      if (t - last >= 25) fs.appendFileSync(req.busyLog, `${JSON.stringify([performance.timeOrigin + last + 10, t - last - 10])}\n`);
      last = t;
    }, 10);
  }
  // Reference: the smallest possible webview panel (static HTML, no script, no resources), to tell
  // VS Code's own webview cost apart from the review panel's.
  vscode.commands.registerCommand('rustyBench.openHelloWebview', () => {
    const panel = vscode.window.createWebviewPanel('rustyBench.hello', 'Hello webview', vscode.ViewColumn.Active, { enableScripts: true });
    panel.webview.html = '<!DOCTYPE html><html><head><meta charset="UTF-8"></head><body><div id="root"><div class="hello-row">Hello</div></div></body></html>';
  });
  writeJson(req.out, { ok: true, ready: true, pid: process.pid });
  // Keep this extension host's test run open; the runner stops the host when it is done.
  await new Promise(() => {});
}

exports.run = async function run() {
  let req;
  try {
    req = JSON.parse(fs.readFileSync(REQUEST, 'utf8'));
    if (req.mode === 'activation') await activation(req);
    else if (req.mode === 'panel') await panel(req);
    else throw new Error(`unknown probe mode ${JSON.stringify(req.mode)}`);
  } catch (err) {
    if (req && req.out) writeJson(req.out, { ok: false, pid: process.pid, error: err instanceof Error ? err.stack || err.message : String(err) });
    else throw err;
  }
  // Activation samples: stay alive until the runner stops this host (a finished test run may close the window).
  await new Promise(() => {});
};
