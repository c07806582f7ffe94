// Run a generated test file with the project's own runner on an overlay copy: the workspace is
// copied to a temp folder (node_modules linked, not copied), the test written there, the runner
// started with a timeout. Nothing is written to the workspace. Todos are counted as todos.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChangeSet } from '../proposals/changeSet';
import type { Framework } from './conventions';

export interface TestRunRecord {
  framework: Framework;
  status: 'passed' | 'failed' | 'not-run';
  passed: number;
  failed: number;
  todo: number;
  skipped: number;
  /** The command as run in the overlay (relative paths). */
  command?: string;
  /** Why it could not run. */
  reason?: string;
  /** Runner output (tail), for a failure or a run that could not be read. */
  output?: string;
  ms: number;
  at: string;
  /** The test run by name (`--test-name-pattern`, `-t`, `--grep`); absent when the whole file ran. */
  test?: string;
  /** A debug proposal's test, run on the overlay without the fix and with it (the top-level counts are the run with the fix). */
  before?: TestRunRecord;
  after?: TestRunRecord;
  /** `gen-tests --ai`: each todo case after the model, filled (passed/failed in this run) or left todo. */
  filled?: { title: string; status: 'passed' | 'failed' | 'todo' | 'not-run' }[];
  /** Files whose unsaved editor text was laid over the copy (VS Code); absent when the run used the saved files. */
  unsaved?: string[];
}

/** What the overlay copy gets on top of the workspace: files to write, and a change set applied to it. */
export interface OverlayChanges {
  files?: Record<string, string | Uint8Array>;
  changeSet?: ChangeSet;
  /** Run only the tests with this exact name. */
  name?: string;
}

const SKIP = new Set(['node_modules', '.git']);
const MAX_OUTPUT = 8000;

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) copyTree(a, b);
    else if (e.isFile()) fs.copyFileSync(a, b);
  }
}

function bin(root: string, rel: string): string | undefined {
  const abs = path.join(root, 'node_modules', ...rel.split('/'));
  return fs.existsSync(abs) ? abs : undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Plan { args: string[]; parse: (stdout: string, outFile: string) => Omit<TestRunRecord, 'framework' | 'status' | 'ms' | 'at' | 'command'> | undefined }

function jsonCounts(file: string): { passed: number; failed: number; todo: number; skipped: number } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as { numPassedTests?: number; numFailedTests?: number; numTodoTests?: number; numPendingTests?: number };
  return { passed: r.numPassedTests ?? 0, failed: r.numFailedTests ?? 0, todo: r.numTodoTests ?? 0, skipped: r.numPendingTests ?? 0 };
}

/**
 * ava's TAP: its `# fail` total also counts todos, so the counts are read from the result lines —
 * `ok … # SKIP` skipped, `not ok … # TODO` todo, other `not ok` (tests, hooks, a file that crashed) failed.
 */
function avaTap(stdout: string): { passed: number; failed: number; todo: number; skipped: number } | undefined {
  if (!/^TAP version \d+$/m.test(stdout) || !/^1\.\.\d+$/m.test(stdout)) return undefined;
  const counts = { passed: 0, failed: 0, todo: 0, skipped: 0 };
  for (const m of stdout.matchAll(/^(not )?ok \d+(?: - .*?)?(?: # (SKIP|TODO)\b.*)?$/gm)) {
    if (m[2] === 'SKIP') counts.skipped++;
    else if (m[2] === 'TODO') counts.todo++;
    else if (m[1]) counts.failed++;
    else counts.passed++;
  }
  return counts;
}

function plan(framework: Framework, root: string, test: string, outFile: string, name?: string): Plan | { reason: string } {
  const only = name !== undefined ? `${escapeRegExp(name)}$` : undefined;
  if (framework === 'node:test') {
    return {
      args: ['--test', '--test-reporter=tap', ...(only ? [`--test-name-pattern=${only}`] : []), test],
      parse: (stdout) => {
        const n = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(stdout)?.[1] ?? NaN);
        if (!Number.isFinite(n('tests'))) return undefined;
        // Some Node versions count a todo test that did not fail under "pass" too: taken out then.
        const todo = n('todo');
        const failed = n('fail');
        const doubled = n('pass') + failed + todo + n('skipped') + (n('cancelled') || 0) > n('tests');
        const okTodos = doubled ? (stdout.match(/^\s*ok \d+ .*# TODO/gm) ?? []).length : 0;
        return { passed: n('pass') - okTodos, failed, todo, skipped: n('skipped') };
      },
    };
  }
  if (framework === 'vitest') {
    const vitest = bin(root, 'vitest/vitest.mjs');
    if (!vitest) return { reason: 'vitest is not installed in node_modules (run npm install in the project)' };
    // --no-cache: vitest's results cache goes to node_modules/.vite, which is the workspace's (linked).
    return { args: [vitest, 'run', test, ...(only ? ['-t', only] : []), '--no-cache', '--reporter=json', `--outputFile=${outFile}`], parse: (_s, f) => jsonCounts(f) };
  }
  if (framework === 'jest') {
    const jest = bin(root, 'jest/bin/jest.js');
    if (!jest) return { reason: 'jest is not installed in node_modules (run npm install in the project)' };
    return { args: [jest, '--json', `--outputFile=${outFile}`, ...(only ? ['-t', only] : []), '--runTestsByPath', test], parse: (_s, f) => jsonCounts(f) };
  }
  if (framework === 'mocha') {
    const mocha = bin(root, 'mocha/bin/mocha.js');
    if (!mocha) return { reason: 'mocha is not installed in node_modules (run npm install in the project)' };
    return {
      args: [mocha, '--reporter', 'json', ...(only ? ['--grep', only] : []), test],
      parse: (stdout) => {
        const start = stdout.indexOf('{');
        if (start < 0) return undefined;
        const s = (JSON.parse(stdout.slice(start)) as { stats?: { passes?: number; failures?: number; pending?: number } }).stats;
        // Mocha has no todo: a test without a body is "pending", which is how Rusty writes a todo.
        return s ? { passed: s.passes ?? 0, failed: s.failures ?? 0, todo: s.pending ?? 0, skipped: 0 } : undefined;
      },
    };
  }
  if (framework === 'ava') {
    const ava = bin(root, 'ava/entrypoints/cli.mjs');
    if (!ava) return { reason: 'ava is not installed in node_modules (run npm install in the project)' };
    // --match is a glob on the whole title (anchored, case-insensitive, `*` a wildcard, a leading `!` negates).
    const match = name !== undefined ? ['--match', name.replace(/^!/, '*')] : [];
    return { args: [ava, '--tap', ...match, test], parse: (stdout) => avaTap(stdout) };
  }
  return { reason: `running ${framework} tests is not supported yet` };
}

function tail(text: string): string {
  return text.length > MAX_OUTPUT ? `…${text.slice(-MAX_OUTPUT)}` : text;
}

export interface GeneratedRunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Unsaved editor text laid over the copy (from `unsavedOverlay`); the test file itself is always `content`. */
  unsaved?: Record<string, Uint8Array>;
}

/** Run `content` as `testPath` in an overlay copy of `root` with the project's runner. */
export async function runGeneratedTest(root: string, framework: Framework, testPath: string, content: string, opts: GeneratedRunOptions = {}): Promise<TestRunRecord> {
  const { unsaved, ...run } = opts;
  const over = Object.keys(unsaved ?? {}).filter((rel) => rel !== testPath).sort();
  const record = await runTestInOverlay(root, framework, testPath, { files: { ...unsaved, [testPath]: content } }, run);
  return over.length ? { ...record, unsaved: over } : record;
}

/**
 * The files of `rels` whose current text through the port (unsaved editor text in VS Code) differs
 * from the disk, as bytes to lay over the overlay copy; files the port cannot read are left out.
 */
export async function unsavedOverlay(wfs: { root: string; read(rel: string): Promise<Uint8Array | undefined> }, rels: readonly string[]): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const rel of rels) {
    const now = await wfs.read(rel);
    if (!now) continue;
    let disk: Buffer | undefined;
    try { disk = fs.readFileSync(path.join(wfs.root, ...rel.split('/'))); } catch { disk = undefined; }
    if (!disk || !disk.equals(Buffer.from(now.buffer, now.byteOffset, now.byteLength))) out[rel] = now;
  }
  return out;
}

function applyToOverlay(overlay: string, changes: OverlayChanges): void {
  const at = (rel: string) => path.join(overlay, ...rel.split('/'));
  const write = (rel: string, content: string | Uint8Array) => { fs.mkdirSync(path.dirname(at(rel)), { recursive: true }); fs.writeFileSync(at(rel), content); };
  for (const [rel, content] of Object.entries(changes.files ?? {})) write(rel, content);
  for (const e of changes.changeSet?.edits ?? []) {
    if (e.kind === 'delete') fs.rmSync(at(e.path), { force: true });
    else if (e.kind === 'rename') {
      const content = e.content ?? fs.readFileSync(at(e.path), 'utf8');
      fs.rmSync(at(e.path), { force: true });
      write(e.to, content);
    } else write(e.path, e.content);
  }
}

/** Run `testPath` with the project's runner in an overlay copy of `root` with `changes` on top. Nothing is written to `root`. */
export async function runTestInOverlay(root: string, framework: Framework, testPath: string, changes: OverlayChanges, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TestRunRecord> {
  const started = Date.now();
  const at = new Date().toISOString();
  const base = { framework, passed: 0, failed: 0, todo: 0, skipped: 0, at, ...(changes.name !== undefined ? { test: changes.name } : {}) };
  const p = plan(framework, root, testPath, '', changes.name);
  if ('reason' in p) return { ...base, status: 'not-run', reason: p.reason, ms: Date.now() - started };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-testgen-'));
  try {
    const overlay = path.join(tmp, path.basename(root));
    copyTree(root, overlay);
    if (fs.existsSync(path.join(root, 'node_modules'))) fs.symlinkSync(path.join(root, 'node_modules'), path.join(overlay, 'node_modules'), 'junction');
    applyToOverlay(overlay, changes);
    const outFile = path.join(tmp, 'result.json');
    const run = plan(framework, root, testPath, outFile, changes.name) as Plan;
    const command = ['node', ...run.args.map((a) => a.startsWith(root) ? path.relative(root, a) : a.startsWith(tmp) ? path.basename(a) : a)].join(' ');
    const { code, stdout, stderr, timedOut } = await new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>((resolve, reject) => {
      const child = spawn(process.execPath, run.args, { cwd: overlay, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'], ...(opts.signal ? { signal: opts.signal } : {}) });
      let out = '';
      let err = '';
      let timedOut = false;
      child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
      child.stderr.on('data', (d: Buffer) => { err += d.toString('utf8'); });
      const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs ?? 120_000);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (c) => { clearTimeout(timer); resolve({ code: c, stdout: out, stderr: err, timedOut }); });
    });
    const ms = Date.now() - started;
    const output = tail(`${stdout}${stderr ? `\n${stderr}` : ''}`.trim());
    if (timedOut) return { ...base, status: 'not-run', command, reason: `the runner did not finish within ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s`, output, ms };
    let counts: ReturnType<Plan['parse']>;
    try { counts = run.parse(stdout, outFile); } catch { counts = undefined; }
    // mocha reports a test file that throws while loading as "Exception during run", without results.
    if (!counts && framework === 'mocha' && code !== 0 && /Exception during run:/.test(stderr)) return { ...base, status: 'failed', command, reason: 'the test file failed to load', output, ms };
    if (!counts) return { ...base, status: 'not-run', command, reason: `the runner's result could not be read (exit code ${code})`, output, ms };
    const failed = counts.failed > 0 || code !== 0;
    return { ...base, ...counts, status: failed ? 'failed' : 'passed', command, ...(failed ? { output } : {}), ms };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
