// Test support: run the built `rusty` CLI (dist/cli.js) as a real child process, and compare
// workspace folders exactly (files, bytes, modes and folders).
//
// `prepareCli()` copies dist/ (without source maps) into a temp folder once, so a rebuild that
// another process starts while the tests run (scripts/build.mjs deletes dist/ first) cannot make
// a spawn fail half way through a run. Build first: `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DIST_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  /** Added to a copy of this process's environment from which every RUSTY_* variable is removed. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin (stdin is closed either way). */
  input?: string | Uint8Array;
  /** SIGKILL the child after this many ms (default 60 s, so a hung child fails the test). */
  timeoutMs?: number;
}

/** The environment a CLI child gets: ours minus RUSTY_* (a developer's settings must not leak in). */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RUSTY_')) env[k] = v;
  return { ...env, ...extra };
}

/** Parse the child's stdout as one JSON document (what `--json` prints), with a helpful failure. */
export function parseJson<T = Record<string, unknown>>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`CLI stdout is not JSON (exit ${r.code}, signal ${r.signal}).\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

export interface Cli {
  /** Absolute path of the launcher that is spawned (a private copy of dist/cli.js). */
  readonly entry: string;
  /** Start `node <cli> ...args`; stdout/stderr are piped, stdin is closed unless `input` is given. */
  spawn(args: string[], opts?: RunOptions): ChildProcess;
  /** Run to completion and collect the output. */
  run(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** Wait for a spawned child and collect its output. */
  collect(child: ChildProcess, startedAt: number): Promise<CliResult>;
  dispose(): void;
}

export function prepareCli(): Cli {
  if (!fs.existsSync(DIST_CLI) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.mjs'))) {
    throw new Error(`${DIST_CLI} is missing: run \`npm run build\` before these tests.`);
  }
  const copy = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-cli-')));
  fs.cpSync(path.join(REPO_ROOT, 'dist'), copy, { recursive: true, filter: (src) => !src.endsWith('.map') });
  const entry = path.join(copy, 'cli.js');
  // The launcher is CommonJS-in-.js importing ./cli/main.mjs; node treats a .js file with no
  // package.json around as CommonJS, exactly as it does in dist/.
  const doSpawn = (args: string[], opts: RunOptions = {}): ChildProcess => spawn(process.execPath, [entry, ...args], {
    cwd: opts.cwd ?? os.tmpdir(),
    env: childEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const collect = (child: ChildProcess, startedAt: number, timeoutMs = 60_000): Promise<CliResult> => new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - startedAt });
    });
  });
  return {
    entry,
    spawn: doSpawn,
    collect: (child, startedAt) => collect(child, startedAt),
    run(args, opts = {}) {
      const startedAt = Date.now();
      const child = doSpawn(args, opts);
      child.stdin?.on('error', () => undefined); // the child may exit before reading stdin
      child.stdin?.end(opts.input ?? '');
      return collect(child, startedAt, opts.timeoutMs);
    },
    dispose: () => fs.rmSync(copy, { recursive: true, force: true }),
  };
}

export { treeSnapshot, treeDiff, sameTree } from './tree';
