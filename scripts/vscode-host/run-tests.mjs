#!/usr/bin/env node
// Extension-host tests (`npm run test:host`): builds, packages the VSIX, bundles the Mocha suite in
// test/suite, then runs it inside a real VS Code extension host with the PACKAGED extension:
//
// - default (offline): code-server from .vscode-test/code-server (installed on demand by
//   install.mjs), the VSIX installed with `code-server --install-extension` into a fresh
//   --extensions-dir, the workbench opened in headless Chromium with an extension-test payload;
// - RUSTY_TEST_ELECTRON=1: desktop VS Code through @vscode/test-electron (needs a download).
//
// Both hosts need --extensionDevelopmentPath to run extension tests at all (VS Code runs
// extensionTestsPath only in an Extension Development Host); it points at test/fixtures/lm-fixture
// (a scripted chat model for the vscode.lm tests), and Rusty itself is the installed VSIX.
//
// The suite writes its results to a JSON file (RUSTY_TEST_RESULTS in the host's environment, or
// `rustyTest.resultsFile` in the workspace settings); this runner waits for it, prints the report,
// stops Chromium and code-server (with all their children) and exits non-zero on any failure or on
// timeout (RUSTY_HOST_TIMEOUT_MS, default 10 min), keeping logs and a screenshot in test-results/.
//
// Then (offline host only) it runs the UI end-to-end test, scripts/vscode-host/e2e.mjs, on the same
// build. The last line sums both: `host-tests: N passed, N failed`.
//
// Options: --no-build (use dist/ as it is), --keep (keep the temp sandbox), --no-e2e.
// Env: RUSTY_TEST_GREP=<pattern> runs only matching tests.
// Tests whose full title contains "(multi-root)" run in a second, short run that opens a
// .code-workspace with two folders (the sandbox's workspace and workspace-b); the first run skips
// them. The second run happens when RUSTY_TEST_GREP is unset or matches "(multi-root)".
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleSuite, SUITE_ENTRY } from './bundle-suite.mjs';
import { packageVsix } from '../package.mjs';
import {
  ROOT, RESULTS_DIR, log, elapsed, npmRun, createSandbox, ensureCodeServer, installVsix, startCodeServer, launchBrowser, keepDiagnostics, killTree,
} from './host.mjs';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.RUSTY_HOST_TIMEOUT_MS ?? 10 * 60_000);
const RESULTS_SETTING = 'rustyTest.resultsFile'; // same key as test/suite/results.ts

/** Stops whatever is running when the runner is interrupted. */
const cleanups = [];
/** The workbench page while one is open, for a screenshot if something throws. */
let currentPage = null;
async function cleanupAll() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try { await fn(); } catch (err) { log(`cleanup: ${err instanceof Error ? err.message : err}`); }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping the host`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

function typecheckSuite() {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'test/tsconfig.json', '--noEmit'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('type errors in test/ (tsc -p test/tsconfig.json)');
}

function readResults(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null; // not there yet
  }
}

/** The title marker of tests that need a multi-root window (test/suite/index.ts knows it too). */
const MULTI_ROOT = '(multi-root)';

/** A second sandbox whose window is a .code-workspace with two folders. */
function createMultiRootSandbox() {
  const sandbox = createSandbox({ name: 'rusty-host-multi', workspaceSettings: (sb) => ({ [RESULTS_SETTING]: sb.results }) });
  const second = join(sandbox.dir, 'workspace-b');
  mkdirSync(second, { recursive: true });
  sandbox.workspaceFile = join(sandbox.dir, 'multi.code-workspace');
  writeFileSync(sandbox.workspaceFile, JSON.stringify({ folders: [{ path: sandbox.workspace }, { path: second }] }, null, 2) + '\n');
  return sandbox;
}

async function runInCodeServer({ vsix, sandbox }) {
  const entry = ensureCodeServer();
  installVsix(entry, sandbox, vsix);
  const server = await startCodeServer(entry, sandbox, {
    env: {
      RUSTY_TEST_RESULTS: sandbox.results,
      ...(process.env.RUSTY_TEST_GREP ? { RUSTY_TEST_GREP: process.env.RUSTY_TEST_GREP } : {}),
    },
  });
  cleanups.push(() => server.stop());
  const browser = await launchBrowser(sandbox);
  cleanups.push(() => browser.stop());
  currentPage = browser.page;
  const url = server.url([
    ['extensionDevelopmentPath', server.remote(sandbox.devExtension)],
    ['extensionTestsPath', server.remote(SUITE_ENTRY)],
  ]);
  const t0 = Date.now();
  log(`opening the workbench in Chromium ${browser.pid}: ${url}`);
  await browser.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  let results = null;
  let problem = null;
  while (!results) {
    results = readResults(sandbox.results);
    if (results) break;
    if (server.exited) problem = `code-server exited while the tests ran (${JSON.stringify(server.exited)})`;
    else if (!browser.browser.isConnected()) problem = 'Chromium went away while the tests ran';
    else if (Date.now() - t0 > TIMEOUT_MS) problem = `no results after ${TIMEOUT_MS / 1000} s (RUSTY_HOST_TIMEOUT_MS)`;
    if (problem) break;
    await sleep(250);
  }
  log(`the suite finished in the extension host after ${elapsed(t0)}`);
  return { results, problem, page: browser.page };
}

/** One run of the suite in one sandbox (code-server, or desktop VS Code with RUSTY_TEST_ELECTRON=1). */
async function runOnce(vsix, sandbox) {
  try {
    if (process.env.RUSTY_TEST_ELECTRON === '1') {
      const { runInElectron } = await import('./electron.mjs');
      const code = await runInElectron({ vsix, suiteEntry: SUITE_ENTRY, sandbox });
      const results = readResults(sandbox.results);
      return { results, problem: results ? null : `VS Code exited (${code}) without writing results`, page: null };
    }
    return await runInCodeServer({ vsix, sandbox });
  } catch (err) {
    // The host could not be set up or started: keep what it logged, stop what runs, then fail.
    return { results: null, problem: err instanceof Error ? err.message : String(err), page: currentPage };
  }
}

async function main() {
  const started = Date.now();
  let t0 = Date.now();
  // Diagnostics of an earlier failed run would only mislead.
  for (const label of ['host-tests', 'host-tests-multi-root']) rmSync(join(RESULTS_DIR, label), { recursive: true, force: true });
  if (!argv.includes('--no-build')) {
    log('npm run build');
    npmRun('build');
    log(`built (${elapsed(t0)})`);
  }
  const sandbox = createSandbox({ workspaceSettings: (sb) => ({ [RESULTS_SETTING]: sb.results }) });
  log(`sandbox ${sandbox.dir} (workspace: a copy of test/fixtures/sample-workspace)`);
  const { vsix } = packageVsix({ log, outDir: sandbox.dir });
  t0 = Date.now();
  typecheckSuite();
  const { files } = await bundleSuite();
  log(`bundled ${files.length} test file(s) into out/test/suite/index.js (${elapsed(t0)})`);

  const runs = [{ label: 'host-tests', sandbox }];
  const grep = process.env.RUSTY_TEST_GREP;
  if (process.env.RUSTY_TEST_ELECTRON !== '1' && (!grep || new RegExp(grep).test(MULTI_ROOT))) {
    runs.push({ label: 'host-tests-multi-root', sandbox: null });
  }
  let passed = 0;
  let failedCount = 0;
  let skipped = 0;
  let failed = false;
  const done = [];
  for (const run of runs) {
    const sb = run.sandbox ?? createMultiRootSandbox();
    if (!run.sandbox) log(`second run in a multi-root window: ${sb.workspaceFile}`);
    const outcome = await runOnce(vsix, sb);
    const { results, problem, page } = outcome;
    const runFailed = Boolean(problem) || !results || results.failed > 0;
    if (results) process.stdout.write(`\n${results.report}\n\n`);
    if (problem) log(`FAILED: ${problem}`);
    if (runFailed) await keepDiagnostics(run.label, sb, page);
    await cleanupAll();
    // Removed once every run is done: the first sandbox holds the VSIX the next run installs.
    if (!runFailed && !argv.includes('--keep')) done.push(sb.dir);
    else log(`sandbox kept: ${sb.dir}`);
    failed ||= runFailed;
    passed += results?.passed ?? 0;
    failedCount += (results?.failed ?? 0) + (problem ? 1 : 0);
    skipped += results?.pending ?? 0;
  }
  for (const dir of done) rmSync(dir, { recursive: true, force: true });
  if (passed === 0 && failedCount === 0) {
    log('FAILED: no test ran');
    failed = true;
  }
  log(`extension-host suite: ${passed} passed, ${failedCount} failed${skipped ? `, ${skipped} skipped` : ''} (${elapsed(started)})`);

  // The UI end-to-end test on the same build, in its own code-server and Chromium.
  let e2eFailed = false;
  if (!argv.includes('--no-e2e') && process.env.RUSTY_TEST_ELECTRON !== '1') {
    const e2e = await runE2e();
    e2eFailed = e2e !== 0;
    if (e2eFailed) failedCount++;
    else passed++;
  }

  log(`host tests took ${elapsed(started)} in all`);
  // A plain closing line CI can read.
  process.stdout.write(`host-tests: ${passed} passed, ${failedCount} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return failed || e2eFailed ? 1 : 0;
}

/** Runs scripts/vscode-host/e2e.mjs on the build that is already in dist/; resolves to its exit code. */
function runE2e() {
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'vscode-host', 'e2e.mjs'), '--no-build'], { cwd: ROOT, stdio: 'inherit' });
    cleanups.push(() => killTree(child.pid));
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolveExit(1));
  });
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`[vscode-host] ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);

