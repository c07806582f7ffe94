/* global fetch */
// The offline VS Code host shared by the extension-host test runner (run-tests.mjs) and the UI
// end-to-end test (e2e.mjs): a fresh temp sandbox, the packaged VSIX installed into its own
// --extensions-dir, code-server on a free loopback port, and headless Chromium driven by
// playwright-core. Every process started here is stopped by pid together with its descendants.
// See ../shared/recipes/vscode-host.md.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { installCodeServer } from './install.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURE = join(ROOT, 'test', 'fixtures', 'sample-workspace');
/** The extension under development in the test host: a scripted chat model (see its extension.js). */
export const LM_FIXTURE = join(ROOT, 'test', 'fixtures', 'lm-fixture');
export const LM_FIXTURE_ID = 'rusty-test.lm-fixture';
export const RESULTS_DIR = join(ROOT, 'test-results');
export const CHROMIUM = process.env.RUSTY_CHROMIUM ?? '/usr/bin/chromium';
/** Flags from the recipe: no sandbox as root, and no background traffic on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function log(msg) {
  process.stdout.write(`[vscode-host] ${msg}\n`);
}

export function elapsed(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Processes

/** pid → { ppid, pgid } for every process, read from /proc. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ... — comm may hold spaces and parentheses: parse after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/**
 * Every live process that belongs to pid's tree: its descendants, and the members of the process
 * group it leads (the runners start code-server detached, as a group leader, so a child that was
 * reparented after its parent died is still found by its group).
 */
export function processTree(pid) {
  const table = processTable();
  const out = new Set();
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const [child, { ppid }] of table) {
      if (ppid === p && !out.has(child)) {
        out.add(child);
        queue.push(child);
      }
    }
  }
  for (const [p, { pgid }] of table) if (pgid === pid && p !== pid) out.add(p);
  return [...out];
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pids, sig) {
  for (const p of pids) {
    try { process.kill(p, sig); } catch { /* already gone */ }
  }
}

/**
 * Stops pid and everything it started: SIGTERM, then SIGKILL for whatever is left after graceMs.
 * The tree is read before anything is signalled and again at the end, so helpers started or
 * reparented in between are not left behind.
 */
export async function killTree(pid, { graceMs = 5000 } = {}) {
  if (!pid) return;
  const pids = [pid, ...processTree(pid)];
  signal(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  const left = new Set([...pids, ...processTree(pid)].filter(alive));
  for (const p of [...left]) for (const c of processTree(p)) left.add(c);
  signal(left, 'SIGKILL');
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Runs `npm run <script>` in the repository root, streaming its output; throws on failure. */
export function npmRun(script) {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run ${script} failed (exit ${r.status ?? r.signal})`);
}

// ---------------------------------------------------------------------------------------------
// The sandbox: workspace copy, user data, extensions, Rusty state — all in one temp folder.

/**
 * Creates a fresh temp sandbox. The workspace is a copy of test/fixtures/sample-workspace so tests
 * may modify it. `workspaceSettings` (an object, or a function of the sandbox) go into the
 * workspace's .vscode/settings.json.
 */
export function createSandbox({ name = 'rusty-host', workspaceSettings = {} } = {}) {
  // realpath: /tmp may be a symbolic link; VS Code and Rusty both resolve it, so compare like with like.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `${name}-`)));
  const sandbox = {
    dir,
    workspace: join(dir, 'workspace'),
    userData: join(dir, 'user-data'),
    extensions: join(dir, 'extensions'),
    state: join(dir, 'rusty-state'),
    xdg: join(dir, 'xdg'),
    // The extension under development (VS Code runs extension tests only in a development host):
    // test/fixtures/lm-fixture, a scripted chat model for the vscode.lm tests. Rusty itself is the
    // installed VSIX.
    devExtension: join(dir, 'dev-extension'),
    results: join(dir, 'results.json'),
    serverLog: join(dir, 'code-server.log'),
    browserLog: join(dir, 'browser-console.log'),
  };
  cpSync(FIXTURE, sandbox.workspace, { recursive: true });
  for (const d of [sandbox.userData, sandbox.extensions, sandbox.state, sandbox.xdg]) mkdirSync(d, { recursive: true });
  cpSync(LM_FIXTURE, sandbox.devExtension, { recursive: true });
  mkdirSync(join(sandbox.workspace, '.vscode'), { recursive: true });
  const settings = typeof workspaceSettings === 'function' ? workspaceSettings(sandbox) : workspaceSettings;
  writeFileSync(join(sandbox.workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  // User settings: no telemetry, no trust prompt, no welcome page, no update or extension checks.
  mkdirSync(join(sandbox.userData, 'User'), { recursive: true });
  writeFileSync(
    join(sandbox.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'git.openRepositoryInParentFolders': 'never',
        'chat.disableAIFeatures': true,
        // Tests assert that unsaved editor text stays unsaved: no auto save, whatever the host's default.
        'files.autoSave': 'off',
      },
      null,
      2,
    ) + '\n',
  );
  return sandbox;
}

/** Environment for code-server (the remote extension host inherits it). */
function serverEnv(sandbox, extra) {
  const env = { ...process.env };
  // Nothing from a surrounding `npm run` (npm_config_*, npm_package_*) leaks into the host.
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k === 'INIT_CWD' || k.startsWith('VSCODE_')) delete env[k];
  return {
    ...env,
    // code-server writes its config and data under the XDG folders: keep them in the sandbox.
    XDG_CONFIG_HOME: join(sandbox.xdg, 'config'),
    XDG_DATA_HOME: join(sandbox.xdg, 'data'),
    XDG_CACHE_HOME: join(sandbox.xdg, 'cache'),
    XDG_STATE_HOME: join(sandbox.xdg, 'state'),
    // Rusty's state for every workspace of this run, never ~/.local/state.
    RUSTY_STATE_DIR: sandbox.state,
    RUSTY_TEST_WORKSPACE: sandbox.workspace,
    RUSTY_TEST_EXTENSIONS_DIR: sandbox.extensions,
    ...extra,
  };
}

function codeServerArgs(sandbox) {
  return ['--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions, '--disable-telemetry', '--disable-update-check'];
}

/** Installs the VSIX into the sandbox's extensions folder with code-server's own installer. */
export function installVsix(entry, sandbox, vsix) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [entry, ...codeServerArgs(sandbox), '--install-extension', vsix], {
    env: serverEnv(sandbox, {}),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const installed = readdirSync(sandbox.extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  if (r.status !== 0 || installed.length === 0) {
    throw new Error(`code-server --install-extension failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
  log(`installed ${basename(vsix)} into the host's extensions folder as ${installed.join(', ')} (${elapsed(t0)})`);
  return join(sandbox.extensions, installed[0]);
}

/**
 * Starts code-server on a free port with the sandbox's folders and waits for /healthz.
 * Returns { port, pid, url(payload), stop() }.
 */
export async function startCodeServer(entry, sandbox, { env = {} } = {}) {
  const port = await freePort();
  const logStream = createWriteStream(sandbox.serverLog);
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    ...codeServerArgs(sandbox),
    '--disable-workspace-trust',
    '--enable-proposed-api', LM_FIXTURE_ID,
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config', join(sandbox.dir, 'code-server.yaml'),
    sandbox.workspace,
  ];
  writeFileSync(join(sandbox.dir, 'code-server.yaml'), 'auth: none\ncert: false\n');
  const child = spawn(process.execPath, args, { env: serverEnv(sandbox, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const server = {
    port,
    pid: child.pid,
    get exited() { return exited; },
    origin: `http://127.0.0.1:${port}`,
    /** The workbench URL for the sandbox's workspace, with an optional extension-test payload. */
    url(payload) {
      // A sandbox with a .code-workspace file (multi-root) opens that instead of its folder.
      let u = sandbox.workspaceFile
        ? `${this.origin}/?workspace=${encodeURIComponent(sandbox.workspaceFile)}`
        : `${this.origin}/?folder=${encodeURIComponent(sandbox.workspace)}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    /** A vscode-remote URI for a path on this (the server's) machine, as the test payload wants. */
    remote(path) {
      return `vscode-remote://127.0.0.1:${port}${path}`;
    },
    async stop() {
      await killTree(child.pid);
      await new Promise((r) => logStream.end(r));
    },
  };
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited during startup (${JSON.stringify(exited)}); log: ${sandbox.serverLog}`);
    try {
      const res = await fetch(`${server.origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 60_000) {
      await server.stop();
      throw new Error(`code-server did not answer on port ${port} within 60 s; log: ${sandbox.serverLog}`);
    }
    await sleep(200);
  }
  log(`code-server ${child.pid} listening on ${server.origin} (${elapsed(t0)})`);
  return server;
}

/** Launches headless Chromium (Debian's) through playwright-core; page console goes to the sandbox log. */
export async function launchBrowser(sandbox) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does this`);
  const { chromium } = await import('playwright-core');
  // launchServer + connect (rather than launch) so we know Chromium's pid and can stop its tree.
  const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  const pid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint(), { timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleLog = createWriteStream(sandbox.browserLog);
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
  page.on('crash', () => consoleLog.write('[crash] the page crashed\n'));
  return {
    browser,
    page,
    pid,
    async stop() {
      try {
        await Promise.race([browser.close().then(() => server.close()), sleep(10_000)]);
      } catch {
        // fall through to killing it
      }
      await killTree(pid);
      await new Promise((r) => consoleLog.end(r));
    },
  };
}

/** Copies the diagnostics of a failed run into test-results/<label>/. */
export async function keepDiagnostics(label, sandbox, page) {
  const dest = join(RESULTS_DIR, label);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  if (page) {
    try {
      await page.screenshot({ path: join(dest, 'screenshot.png'), timeout: 15_000 });
    } catch (err) {
      log(`screenshot failed: ${err instanceof Error ? err.message : err}`);
    }
  }
  for (const f of [sandbox.serverLog, sandbox.browserLog, sandbox.results]) {
    if (existsSync(f)) cpSync(f, join(dest, f.slice(sandbox.dir.length + 1)));
  }
  // VS Code's own logs (remote extension host, server, extension output channels).
  const logs = join(sandbox.userData, 'logs');
  if (existsSync(logs)) cpSync(logs, join(dest, 'vscode-logs'), { recursive: true });
  log(`diagnostics kept in ${dest.slice(ROOT.length + 1)}/ (sandbox: ${sandbox.dir})`);
  return dest;
}

/** Ensures code-server is installed (idempotent, fast when it already is). */
export function ensureCodeServer() {
  return installCodeServer();
}
