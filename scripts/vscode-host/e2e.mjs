#!/usr/bin/env node
/* global window, document, getComputedStyle -- code run in the page */
// End-to-end UI test (`npm run test:e2e`): drives the real workbench in headless Chromium, the way a
// person would, against code-server with the packaged VSIX installed (a normal window — no test
// payload, no extension development path):
//
//   1. open the fixture workspace (a temp copy of test/fixtures/sample-workspace);
//   2. command palette (F1) → "Rusty: Propose: Organize Imports (Workspace)" (title read from
//      package.json at run time);
//   3. the "Rusty queued …" notification → "Review" (or the review panel, if it opens by itself);
//   4. in the review panel webview (iframe.webview → #active-frame): untick src/b.ts, click
//      "Approve selected"; check on disk that src/a.ts and src/c.ts changed and nothing else did;
//   5. click "Rollback"; check on disk that every file is back to its original bytes;
//   6. screenshot → test-results/e2e-review.png;
//   7. keyboard pass (skip with --no-keyboard), in the same window, per theme (Default Light Modern,
//      Default Dark Modern, Default High Contrast, picked with "Preferences: Color Theme"): close the
//      editors, propose again, open the review panel, then keys only — focus the editor group, j (file),
//      j (first hunk), Space (untick), k, Shift+Tab to "Approve selected", Enter, confirm; check the
//      disk (the unticked file left alone, the rest written) and put the original bytes back.
//      Screenshots per step → test-results/review-keyboard-host/<theme>/NN-step.png.
//
// The webview is reached by accessible roles and names: checkbox named by the file path
// (/src\/b\.ts/), buttons "Approve selected" and "Rollback". On failure: test-results/e2e/ holds a
// screenshot, code-server's and VS Code's logs and the browser console, and the step that failed.
//
// Options: --no-build, --keep (keep the sandbox), --headed-screenshots (a screenshot per step).
import { readFileSync, readdirSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageVsix } from '../package.mjs';
import {
  ROOT, RESULTS_DIR, log, elapsed, npmRun, createSandbox, ensureCodeServer, installVsix, startCodeServer, launchBrowser, keepDiagnostics,
} from './host.mjs';

const argv = process.argv.slice(2);
const STEP_SHOTS = argv.includes('--headed-screenshots');
const COMMAND_ID = 'rusty.proposeOrganizeImportsWorkspace';
const UNTICK = 'src/b.ts';
const EXPECT_CHANGED = ['src/a.ts', 'src/c.ts'];
const KEYBOARD = !argv.includes('--no-keyboard');
const THEMES = [
  { dir: 'light', name: 'Default Light Modern', workbenchClass: 'vs' },
  { dir: 'dark', name: 'Default Dark Modern', workbenchClass: 'vs-dark' },
  { dir: 'hc', name: 'Default High Contrast', workbenchClass: 'hc-black' },
];
const KEYBOARD_DIR = join(RESULTS_DIR, 'review-keyboard-host');
const TIMEOUT = Number(process.env.RUSTY_E2E_STEP_TIMEOUT_MS ?? 60_000);

const cleanups = [];
async function cleanupAll() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (err) { log(`cleanup: ${err instanceof Error ? err.message : err}`); }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => void cleanupAll().finally(() => process.exit(130)));
}

/** The palette label of the command, `<category>: <title>`, from package.json contributes. */
function commandLabel() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const cmd = (pkg.contributes?.commands ?? []).find((c) => c.command === COMMAND_ID);
  if (!cmd) throw new Error(`package.json does not contribute ${COMMAND_ID} yet (contributes.commands)`);
  const title = typeof cmd.title === 'string' ? cmd.title : cmd.title?.value;
  const category = typeof cmd.category === 'string' ? cmd.category : cmd.category?.value;
  return category ? `${category}: ${title}` : title;
}

/** path → bytes of every file in the workspace, except .vscode/. */
function snapshot(dir) {
  const out = new Map();
  for (const f of readdirSync(dir, { recursive: true })) {
    const rel = String(f).split('\\').join('/');
    if (rel.startsWith('.vscode')) continue;
    const abs = join(dir, rel);
    if (statSync(abs).isFile()) out.set(rel, readFileSync(abs));
  }
  return out;
}

function diffSnapshots(before, after) {
  const changed = [];
  for (const [p, bytes] of after) if (!before.has(p) || !before.get(p).equals(bytes)) changed.push(p);
  for (const p of before.keys()) if (!after.has(p)) changed.push(p);
  return changed.sort();
}

async function waitUntil(what, fn, timeout = TIMEOUT) {
  const t0 = Date.now();
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      if (err && err.fatal) throw err;
      last = err;
    }
    if (Date.now() - t0 > timeout) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`);
    }
    await sleep(250);
  }
}

/** The review panel's inner webview frame: the iframe.webview whose #active-frame has "Approve selected". */
async function findReviewFrame(page) {
  const outer = page.locator('iframe.webview');
  const n = await outer.count();
  for (let i = 0; i < n; i++) {
    const inner = outer.nth(i).contentFrame().locator('#active-frame').contentFrame();
    const approve = inner.getByRole('button', { name: /Approve selected/ });
    if (await approve.count()) return inner;
  }
  return null;
}

async function main() {
  const started = Date.now();
  let step = 'build';
  const sandbox = createSandbox({ name: 'rusty-e2e' });
  let page = null;
  let ok = false;
  const stepLog = [];
  const begin = (s) => {
    step = s;
    stepLog.push(s);
    log(`e2e: ${s}`);
  };
  const shot = async (name) => {
    if (STEP_SHOTS && page) await page.screenshot({ path: join(RESULTS_DIR, 'e2e', `${name}.png`) }).catch(() => {});
  };
  // Diagnostics and the screenshot of an earlier run would only mislead.
  rmSync(join(RESULTS_DIR, 'e2e'), { recursive: true, force: true });
  rmSync(join(RESULTS_DIR, 'e2e-review.png'), { force: true });
  if (KEYBOARD) rmSync(KEYBOARD_DIR, { recursive: true, force: true });
  try {
    if (!argv.includes('--no-build')) npmRun('build');
    begin('package the VSIX');
    const { vsix } = packageVsix({ log: () => {}, outDir: sandbox.dir });
    const label = commandLabel();
    if (STEP_SHOTS) mkdirSync(join(RESULTS_DIR, 'e2e'), { recursive: true });

    begin('install code-server and the VSIX');
    const entry = ensureCodeServer();
    installVsix(entry, sandbox, vsix);
    const original = snapshot(sandbox.workspace);

    begin('start code-server and Chromium');
    const server = await startCodeServer(entry, sandbox);
    cleanups.push(() => server.stop());
    const browser = await launchBrowser(sandbox);
    cleanups.push(() => browser.stop());
    page = browser.page;

    begin('open the workbench on the fixture workspace');
    await page.goto(server.url(), { waitUntil: 'domcontentloaded', timeout: TIMEOUT });
    await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT });
    await page.getByRole('treeitem', { name: /^src/ }).first().waitFor({ timeout: TIMEOUT });
    await shot('01-workbench');

    begin(`run "${label}" from the command palette`);
    // The palette lists the commands known when it opens; the extension's contributions arrive with
    // the remote extension host, so reopen it until the command is there.
    const input = page.locator('.quick-input-widget input');
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label.split(': ').pop() }).first();
    await waitUntil(`"${label}" in the command palette`, async () => {
      if (await input.isVisible()) await page.keyboard.press('Escape');
      await page.locator('.monaco-workbench').click({ position: { x: 600, y: 400 } });
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${label}`);
      try {
        await row.waitFor({ timeout: 3000 });
        return true;
      } catch {
        return false;
      }
    });
    await shot('02-palette');
    await input.press('Enter');

    begin('open the review panel (notification "Review", or the panel opening by itself)');
    const reviewButton = page.locator('.notification-toast').filter({ hasText: /Rusty/ }).getByRole('button', { name: 'Review', exact: true });
    const frame = await waitUntil('the "Rusty queued …" notification or the review panel', async () => {
      await failOnErrorToast(page);
      const f = await findReviewFrame(page);
      if (f) return f;
      if (await reviewButton.count()) {
        await reviewButton.first().click();
      }
      return null;
    }, TIMEOUT * 3); // the first run loads the TypeScript engine
    await shot('03-review');

    begin(`untick ${UNTICK} and approve the rest`);
    const box = frame.getByRole('checkbox', { name: new RegExp(UNTICK.replace(/[./]/g, (c) => `\\${c}`)) }).first();
    await box.waitFor({ timeout: TIMEOUT });
    if (await box.isChecked()) await box.click();
    await waitUntil(`${UNTICK} to be unticked`, async () => !(await box.isChecked()));
    await frame.getByRole('button', { name: /Approve selected/ }).click();
    await answerModal(page, /Approve|Apply|Yes|OK/i);

    begin('check the disk: only the ticked files changed');
    const changed = await waitUntil('the approved files to be written', async () => {
      await failOnErrorToast(page);
      const now = diffSnapshots(original, snapshot(sandbox.workspace));
      return now.length > 0 ? now : null;
    });
    await sleep(500); // let the whole transaction land before judging
    const afterApprove = diffSnapshots(original, snapshot(sandbox.workspace));
    if (JSON.stringify(afterApprove) !== JSON.stringify(EXPECT_CHANGED)) {
      throw new Error(`after approval these files differ from the original: ${JSON.stringify(afterApprove)} (first seen: ${JSON.stringify(changed)}); expected exactly ${JSON.stringify(EXPECT_CHANGED)}`);
    }
    const a = readFileSync(join(sandbox.workspace, 'src/a.ts'), 'utf8');
    if (/\bsubtract\b/.test(a)) throw new Error('src/a.ts still imports subtract after organize imports was approved');
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'e2e-review.png') });

    begin('roll back');
    const rollback = frame.getByRole('button', { name: /^Rollback/ });
    await rollback.waitFor({ timeout: TIMEOUT });
    await rollback.click();
    await answerModal(page, /Roll ?back|Yes|OK/i);

    begin('check the disk: every file has its original bytes again');
    await waitUntil('the rollback to restore the original bytes', async () => {
      await failOnErrorToast(page);
      return diffSnapshots(original, snapshot(sandbox.workspace)).length === 0;
    });
    await shot('04-rolled-back');

    if (KEYBOARD) {
      for (const theme of THEMES) {
        await keyboardPass(page, theme, label, sandbox.workspace, original, begin);
      }
    }
    ok = true;
  } catch (err) {
    log(`e2e FAILED at step "${step}": ${err instanceof Error ? err.message : err}`);
    const dest = await keepDiagnostics('e2e', sandbox, page);
    log(`steps: ${stepLog.join(' → ')}`);
    log(`diagnostics: ${relative(ROOT, dest)}/`);
  } finally {
    await cleanupAll();
    if (ok && !argv.includes('--keep')) rmSync(sandbox.dir, { recursive: true, force: true });
  }
  log(`e2e took ${elapsed(started)}`);
  process.stdout.write(`e2e: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed\n`);
  return ok ? 0 : 1;
}

/** Runs a command palette entry (F1, type, Enter); reopens the palette until the entry is listed. */
async function runFromPalette(page, text) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text.split(': ').pop() }).first();
  await waitUntil(`"${text}" in the command palette`, async () => {
    if (await input.isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${text}`);
    try {
      await row.waitFor({ timeout: 3000 });
      return true;
    } catch {
      return false;
    }
  });
  await acceptRow(page, text);
}

/** Moves the quick pick's focus with the arrow keys to the row whose label is `text`, then Enter. */
async function acceptRow(page, text) {
  // The row's text runs its parts together ("Light ModernDefault Light Modern", "…recently used"); a
  // longer label ("Default High Contrast Light", "Close All Editors in Group") has a space after it.
  const matches = (row) => [text, text.split(': ').pop()].some((t) => row.includes(t) && !row.includes(`${t} `)) && !/Browse/.test(row);
  const seen = [];
  for (let i = 0; i < 20; i++) {
    const focused = page.locator('.quick-input-list .monaco-list-row.focused').first();
    const row = (await focused.count()) ? (await focused.innerText()).trim() : '';
    if (matches(row)) {
      await page.keyboard.press('Enter');
      return;
    }
    seen.push(row.replace(/\s+/g, ' '));
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the quick pick has no row "${text}" to accept (focused rows: ${JSON.stringify([...new Set(seen)])})`);
}

/** What has focus inside the review webview (its own document), and whether that document has focus. */
function webviewFocus(frame) {
  return frame.locator('body').evaluate(() => {
    const el = document.activeElement;
    const base = { hasFocus: document.hasFocus() };
    if (!el || el === document.body) return { ...base, tag: 'body' };
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const fileRow = el.closest('.diff-file');
    return {
      ...base, tag: el.tagName.toLowerCase(), label: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '', checked: el.checked, indeterminate: el.indeterminate,
      inFile: !!fileRow, inHunk: !!el.closest('.diff-hunk'), file: fileRow?.querySelector('.diff-file__path')?.textContent ?? null,
      visible: box.bottom > 0 && box.top < window.innerHeight, outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    };
  });
}

/**
 * The keyboard-only walk of one proposal's review panel in one theme (step 7 above). The only mouse
 * use is the workbench's own "Review" notification button when the panel does not open by itself.
 */
async function keyboardPass(page, theme, label, workspace, original, begin) {
  const dir = join(KEYBOARD_DIR, theme.dir);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const shot = (name) => page.screenshot({ path: join(dir, `${String(++n).padStart(2, '0')}-${name}.png`) });
  const expect = (cond, what) => {
    if (!cond) throw new Error(`${theme.name}: ${what}`);
  };

  begin(`keyboard, ${theme.name}: close the editors and switch the theme`);
  await runFromPalette(page, 'View: Close All Editors');
  await runFromPalette(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(theme.name);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: theme.name }).first().waitFor({ timeout: TIMEOUT });
  await acceptRow(page, theme.name);
  await waitUntil(`the workbench to be in ${theme.name}`, async () =>
    page.locator('.monaco-workbench').evaluate((el, cls) => el.classList.contains(cls), theme.workbenchClass));

  begin(`keyboard, ${theme.name}: propose and open the review panel`);
  await runFromPalette(page, label);
  const reviewButton = page.locator('.notification-toast').filter({ hasText: /Rusty/ }).getByRole('button', { name: 'Review', exact: true });
  const frame = await waitUntil('the review panel', async () => {
    await failOnErrorToast(page);
    const f = await findReviewFrame(page);
    if (f) return f;
    if (await reviewButton.count()) await reviewButton.first().click();
    return null;
  }, TIMEOUT * 2);
  await frame.locator('.diff-line').first().waitFor({ timeout: TIMEOUT });
  const files = await frame.locator('.diff-file__path').allTextContents();
  await shot('opened');

  begin(`keyboard, ${theme.name}: focus the panel and walk it with j/k/Space`);
  await runFromPalette(page, 'View: Focus Active Editor Group');
  await sleep(500);
  await page.keyboard.press('j');
  let f = await waitUntil('j to focus a file checkbox in the webview', async () => {
    const now = await webviewFocus(frame);
    return now.inFile && now.tag === 'input' ? now : null;
  }, 10_000).catch(async () => {
    throw new Error(`${theme.name}: j after "Focus Active Editor Group" did not focus the first file's checkbox (focus: ${JSON.stringify(await webviewFocus(frame))})`);
  });
  expect(f.hasFocus, `the webview document has focus (${JSON.stringify(f)})`);
  expect(f.outline.startsWith('solid') && !f.outline.includes(' 0px '), `the focused checkbox has a visible focus ring (${f.outline})`);
  const untickedFile = f.file;
  await shot('j-first-file');

  await page.keyboard.press('j');
  f = await webviewFocus(frame);
  expect(f.inHunk && f.checked === true, `second j focuses the first hunk's checkbox, ticked (got ${JSON.stringify(f)})`);
  await page.keyboard.press('Space');
  f = await waitUntil('Space to untick the hunk', async () => {
    const now = await webviewFocus(frame);
    return now.checked === false ? now : null;
  }, 10_000);
  await shot('space-unticked-hunk');

  await page.keyboard.press('k');
  f = await webviewFocus(frame);
  expect(f.inFile && f.checked !== true, `k goes back to the file, no longer fully ticked (got ${JSON.stringify(f)})`);
  const fileLeftOut = !f.indeterminate;
  await shot('k-file');

  for (let i = 0; i < 30; i++) {
    f = await webviewFocus(frame);
    if (/Approve selected/.test(f.label)) break;
    await page.keyboard.press('Shift+Tab');
  }
  expect(/Approve selected/.test(f.label), `Shift+Tab reaches "Approve selected" (got ${JSON.stringify(f)})`);
  await shot('approve-focused');

  begin(`keyboard, ${theme.name}: Enter, confirm, check the disk`);
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
    await shot('confirm');
    for (let i = 0; i < 6; i++) {
      const text = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
      if (/Approve|Apply|Yes|OK/i.test(text)) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
  }
  const expected = files.filter((p) => !(fileLeftOut && p === untickedFile));
  const changed = await waitUntil('the approved files to be written', async () => {
    await failOnErrorToast(page);
    const now = diffSnapshots(original, snapshot(workspace));
    return now.length >= expected.length ? now : null;
  });
  await sleep(500);
  const after = diffSnapshots(original, snapshot(workspace));
  const want = expected.map((p) => after.find((c) => c === p || c.endsWith(`/${p}`)) ?? p).sort();
  expect(JSON.stringify(after) === JSON.stringify(want), `after approving, these files differ: ${JSON.stringify(after)} (first seen ${JSON.stringify(changed)}); expected ${JSON.stringify(want)} (panel files ${JSON.stringify(files)}, unticked ${untickedFile}${fileLeftOut ? ' whole' : ' in part'})`);
  await frame.locator('#partial-heading').waitFor({ timeout: TIMEOUT }).catch(() => undefined);
  await shot('approved');

  // Back to the original bytes for the next theme (the next proposal is made against them).
  for (const [rel, bytes] of original) writeFileSync(join(workspace, rel), bytes);
  await sleep(1000);
  log(`keyboard, ${theme.name}: ${n} screenshots in ${relative(ROOT, dir)}/`);
}

/** Fails at once (instead of at a timeout) when the workbench shows an error notification. */
async function failOnErrorToast(page) {
  const toast = page.locator('.notification-toast').filter({ has: page.locator('.codicon-error') });
  if (await toast.count()) {
    const text = (await toast.first().innerText()).replace(/\s+/g, ' ').trim();
    const err = new Error(`the workbench shows an error notification: ${text}`);
    err.fatal = true;
    throw err;
  }
}

/** If the action asked for confirmation in a modal dialog, answer it with the matching button. */
async function answerModal(page, name) {
  const dialog = page.locator('.monaco-dialog-box');
  try {
    await dialog.waitFor({ timeout: 2000 });
  } catch {
    return; // no dialog
  }
  await dialog.getByRole('button', { name }).first().click();
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`[vscode-host] ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
