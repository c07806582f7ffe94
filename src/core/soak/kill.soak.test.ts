// Soak R1: `kill -9` during apply, rollback and redo of a 200-file proposal, then recover: the
// workspace must be entirely BEFORE or entirely AFTER the operation (every file, byte and mode),
// with a matching proposal status, no temp files, an empty journal and a verifying audit log.
// Two kinds of kill, alternating by seed:
//   - targeted (even seeds): a child process runs the operation through the real core and
//     SIGKILLs itself right after the k-th of n files is in place (k from the seed: exact, so the
//     seed reproduces the crash point);
//   - random (odd seeds): the real CLI (`rusty approve|rollback|redo`) is SIGKILLed by the parent
//     after a delay drawn from the seed within the measured working window (timing varies, so a
//     rerun lands near, not exactly on, the same point).
// Recovery runs through `rusty recover` for every third seed and in-process otherwise.
// Complements src/core/checkpoints/crash.test.ts (56 files, approve and rollback only).
// Needs `npm run build` (the CLI is spawned from dist/).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RustyCore } from '../rustyCore';
import { TEMP_MARK } from '../util/fsx';
import { sha256 } from '../util/hash';
import { childEnv, prepareCli, REPO_ROOT, sameTree, treeDiff, treeSnapshot, type Cli } from '../testing/cli';
import { rng } from '../testing/random';
import { SoakRecorder, soakSeeds, soakTrials, SOAK_TIMEOUT_MS } from './harness';

const FILE = 'src/core/soak/kill.soak.test.ts';
const TRIALS = soakTrials(21, 1000);
const PARALLEL = Math.max(1, Math.min(2, os.availableParallelism()));
const OPS = ['approve', 'rollback', 'redo'] as const;
type Op = (typeof OPS)[number];
const rec = new SoakRecorder('R1', 'kill -9 during apply / rollback / redo of a 200-file proposal, then recover', FILE);

// ---------------------------------------------------------------------------------------------
// 200 files (some CRLF, one BOM, one without final newline, one executable) and a proposal that
// touches every one: 160 modified, 15 deleted, 10 renamed (half edited), 15 created.

interface Template { files: Map<string, Buffer>; changeSet: Record<string, unknown>; edits: number }

function buildTemplate(): Template {
  const rand = rng(200);
  const files = new Map<string, Buffer>();
  const folders = ['src', 'src/a', 'src/a/b', 'src/c', 'lib', 'test', 'docs/x/y', 'pkg/z'];
  const texts: { rel: string; lines: string[] }[] = [];
  for (let i = 0; i < 185; i++) {
    const rel = `${folders[i % folders.length]}/file${i}.${i % 7 ? 'ts' : 'md'}`;
    const lines = Array.from({ length: 3 + Math.floor(rand() * 60) }, (_, k) => `export const v${i}_${k} = ${Math.floor(rand() * 1e6)};`);
    const eol = i % 5 === 1 ? '\r\n' : '\n';
    let text = lines.join(eol) + (i === 9 ? '' : eol);
    if (i === 4) text = `\uFEFF${text}`;
    files.set(rel, Buffer.from(text));
    texts.push({ rel, lines });
  }
  const hash = (rel: string) => sha256(files.get(rel)!);
  const edits: Record<string, unknown>[] = [];
  texts.forEach(({ rel, lines }, i) => {
    if (i < 160) edits.push({ kind: 'modify', path: rel, baseHash: hash(rel), content: lines.map((l, k) => (k % 3 === i % 3 ? `${l} // soak` : l)).join('\n') + '\n' });
    else if (i < 175) edits.push({ kind: 'delete', path: rel, baseHash: hash(rel) });
    else edits.push({ kind: 'rename', path: rel, to: `moved/${i % 2 ? 'deep/er/' : ''}r${i}.ts`, baseHash: hash(rel), ...(i % 2 ? { content: `${lines[0]}\n` } : {}) });
  });
  for (let j = 0; j < 15; j++) edits.push({ kind: 'create', path: `gen/${j % 3}/${j % 2 ? 'n/' : ''}new${j}.ts`, content: `// created ${j}\n${'export const c = 1;\n'.repeat(1 + j * 7)}` });
  return { files, changeSet: { title: 'R1 200-file proposal', source: 'test:soak', edits }, edits: edits.length };
}

// ---------------------------------------------------------------------------------------------
// One slot per parallel worker: a workspace + state folder, with a pristine copy per operation
// (after submit, after approve, after rollback), restored before each trial. Same paths, so the
// per-workspace state folder (a hash of the path) is reused.

interface Slot { dir: string; ws: string; stateRoot: string; env: NodeJS.ProcessEnv; id: string; stateDir: string }

/**
 * Make `to` equal to `from` touching only what differs (size, mtime or mode), like rsync: much
 * cheaper than a full copy when an operation changed a fraction of the files. Every write by
 * Rusty is a new file (temp + rename), so its mtime differs from the pristine copy's.
 */
function syncTree(from: string, to: string): void {
  const entries = (dir: string) => new Map(fs.readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e]));
  const walk = (src: string, dst: string) => {
    if (!fs.lstatSync(dst, { throwIfNoEntry: false })?.isDirectory()) {
      fs.rmSync(dst, { recursive: true, force: true });
      fs.mkdirSync(dst);
    }
    const want = entries(src);
    for (const [name, e] of entries(dst)) {
      const w = want.get(name);
      if (!w || w.isDirectory() !== e.isDirectory() || w.isSymbolicLink() !== e.isSymbolicLink()) fs.rmSync(path.join(dst, name), { recursive: true, force: true });
    }
    for (const [name, e] of want) {
      const a = path.join(src, name);
      const b = path.join(dst, name);
      if (e.isDirectory()) walk(a, b);
      else if (e.isSymbolicLink()) {
        if (!fs.lstatSync(b, { throwIfNoEntry: false })) fs.symlinkSync(fs.readlinkSync(a), b);
      } else {
        const sa = fs.statSync(a);
        const sb = fs.lstatSync(b, { throwIfNoEntry: false });
        if (!sb || sb.size !== sa.size || sb.mtimeMs !== sa.mtimeMs || sb.mode !== sa.mode) {
          fs.rmSync(b, { force: true });
          fs.copyFileSync(a, b);
          fs.chmodSync(b, sa.mode & 0o7777);
          fs.utimesSync(b, sa.atime, sa.mtime);
        }
      }
    }
  };
  walk(from, to);
}

const pristine = (s: Slot, op: Op, what: 'ws' | 'state') => path.join(s.dir, `${op}-${what}`);

function restore(s: Slot, op: Op): void {
  syncTree(pristine(s, op, 'ws'), s.ws);
  syncTree(pristine(s, op, 'state'), s.stateRoot);
}

/** Submit, approve, roll back, keeping the state before each as the pristine copy of that operation. */
async function makeSlot(base: string, t: Template, n: number): Promise<Slot> {
  const dir = path.join(base, `slot${n}`);
  const ws = path.join(dir, 'ws');
  const stateRoot = path.join(dir, 'state');
  for (const [rel, bytes] of t.files) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), bytes);
  }
  fs.chmodSync(path.join(ws, [...t.files.keys()][3]!), 0o755);
  const env = { RUSTY_STATE_DIR: stateRoot };
  const core = new RustyCore({ workspace: ws, actor: 'test', env });
  const { proposal } = await core.submit(t.changeSet);
  const s: Slot = { dir, ws, stateRoot, env, id: proposal.id, stateDir: core.stateDir };
  const keep = (op: Op) => {
    syncTree(ws, pristine(s, op, 'ws'));
    syncTree(stateRoot, pristine(s, op, 'state'));
  };
  keep('approve');
  await core.approve(proposal.id);
  keep('rollback');
  await core.rollback(proposal.id);
  keep('redo');
  return s;
}

interface Calibration { opMs: number; workStartMs: number; workEndMs: number; after: Map<string, string> }

/**
 * An uninterrupted CLI run: the AFTER tree, its total time, and when its work happened (from the
 * first thing it recorded — audit entry or checkpoint — to the last audit entry, after the spawn).
 */
async function calibrate(s: Slot, op: Op): Promise<Calibration> {
  restore(s, op);
  const auditBefore = new RustyCore({ workspace: s.ws, actor: 'test', env: s.env }).auditEntries().length;
  const checkpointsBefore = new Set(new RustyCore({ workspace: s.ws, actor: 'test', env: s.env }).checkpoints.list().map((c) => c.id));
  const spawnedAt = Date.now();
  const r = await cli.run([op, s.id, '--json', '-w', s.ws], { env: s.env, timeoutMs: 120_000 });
  const opMs = Date.now() - spawnedAt;
  if (r.code !== 0) throw new Error(`uninterrupted ${op} failed: ${r.stdout}${r.stderr}`);
  const core = new RustyCore({ workspace: s.ws, actor: 'test', env: s.env });
  const times = [
    ...core.auditEntries().slice(auditBefore).map((e) => Date.parse(e.time)),
    ...core.checkpoints.list().filter((c) => !checkpointsBefore.has(c.id)).map((c) => Date.parse(c.createdAt)),
  ];
  return { opMs, workStartMs: Math.min(...times) - spawnedAt, workEndMs: Math.max(...times) - spawnedAt, after: treeSnapshot(s.ws) };
}

const EXPECTED: Record<Op, { before: string; after: string }> = {
  approve: { before: 'pending', after: 'applied' },
  rollback: { before: 'applied', after: 'rolled-back' },
  redo: { before: 'rolled-back', after: 'redone' },
};

let cli: Cli;
let base: string;
let childEntry: string;
let template: Template;

beforeAll(async () => {
  cli = prepareCli();
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-soak-kill-')));
  childEntry = path.join(base, 'killChild.mjs');
  const { esmNodeBundle } = await import(path.join(REPO_ROOT, 'scripts', 'esbuild-options.mjs')) as { esmNodeBundle: Record<string, unknown> };
  await build({ ...esmNodeBundle, sourcemap: false, absWorkingDir: REPO_ROOT, entryPoints: ['src/core/soak/killChild.ts'], outfile: childEntry, outExtension: undefined });
  template = buildTemplate();
}, 120_000);

afterAll(() => {
  rec.finish();
  cli?.dispose();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

interface Run { code: number | null; signal: NodeJS.Signals | null; out: string }

function runChild(args: string[], env: NodeJS.ProcessEnv, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const hung = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hung);
      resolve({ code, signal, out });
    });
  });
}

describe('R1: kill -9 during apply, rollback and redo of a 200-file proposal', () => {
  it(`recovers to exactly BEFORE or AFTER (${TRIALS} trials)`, async () => {
    expect(template.edits).toBe(200);
    const seeds = soakSeeds(TRIALS);
    const opOf = (seed: number) => OPS[Math.floor(seed / 2) % OPS.length]!;
    const used = [...new Set(seeds.map(opOf))];
    const ends: Record<string, number> = {};

    const slots = await Promise.all(Array.from({ length: PARALLEL }, (_, n) => makeSlot(base, template, n)));
    for (const op of used) {
      const before = treeSnapshot(pristine(slots[0]!, op, 'ws'));
      const cal = await calibrate(slots[0]!, op);
      if (sameTree(before, cal.after)) throw new Error(`${op} changed nothing`);
      rec.note(`${op}: uninterrupted CLI run ${cal.opMs} ms, its work from ${cal.workStartMs} to ${cal.workEndMs} ms`);
      const mine = seeds.filter((sd) => opOf(sd) === op);
      let next = 0;
      await Promise.all(slots.map(async (s) => {
        for (let i = next++; i < mine.length; i = next++) {
          const seed = mine[i]!;
          rec.trial(seeds.length);
          try {
            const problems = await trial(s, op, seed, cal, before, ends);
            for (const p of problems) rec.fail(seed, p);
          } catch (err) {
            rec.fail(seed, `${op}: threw ${(err as Error).message}`);
          }
        }
      }));
    }
    rec.note(`end states: ${Object.entries(ends).sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(rec.summary()).toEqual([]);
  }, SOAK_TIMEOUT_MS);
});

async function trial(s: Slot, op: Op, seed: number, cal: Calibration, before: Map<string, string>, ends: Record<string, number>): Promise<string[]> {
  const after = cal.after;
  const rand = rng(seed);
  restore(s, op);
  const targeted = seed % 2 === 0;
  let how: string;
  let run: Run;
  if (targeted) {
    const k = 1 + Math.floor(rand() * template.edits);
    how = `${op} killed after file ${k} of ~${template.edits}`;
    run = await runChild([childEntry, op, s.ws, s.id, String(k)], s.env);
  } else {
    // A quarter over the whole run (covers "before it started" and "finished anyway"), the rest
    // over the working window widened by 20 ms each side.
    const [lo, hi] = rand() < 0.25 ? [0, cal.opMs * 1.05] : [Math.max(0, cal.workStartMs - 20), Math.min(cal.workEndMs + 20, cal.opMs * 1.05)];
    const delay = Math.round(lo + rand() * (hi - lo));
    how = `${op} (CLI) killed at ${delay} ms (work ${cal.workStartMs}–${cal.workEndMs} of ${cal.opMs} ms)`;
    run = await runChild([cli.entry, op, s.id, '--json', '-w', s.ws], s.env, delay);
  }
  const problems: string[] = [];
  const killed = run.signal === 'SIGKILL';
  if (!killed && run.code !== 0) problems.push(`the uninterrupted command failed (${run.code}): ${run.out.slice(0, 200)}`);

  let outcome = 'none';
  if (seed % 3 === 0) {
    const r = await cli.run(['recover', '--json', '-w', s.ws], { env: s.env });
    if (r.code !== 0) problems.push(`rusty recover failed (${r.code}): ${r.stdout.slice(0, 200)} ${r.stderr.slice(0, 200)}`);
    else outcome = (JSON.parse(r.stdout) as { recovered: { outcome: string }[] }).recovered.map((x) => x.outcome).join('+') || 'none';
  } else {
    try {
      outcome = (await new RustyCore({ workspace: s.ws, actor: 'test', env: s.env }).recover()).map((x) => x.outcome).join('+') || 'none';
    } catch (err) {
      problems.push(`recover threw ${(err as Error).message}`);
    }
  }
  const tree = treeSnapshot(s.ws);
  const end = sameTree(tree, before) ? 'before' : sameTree(tree, after) ? 'after' : 'mixed';
  const key = `${op} ${killed ? 'killed' : 'finished'}, recovery ${outcome} → ${end}`;
  ends[key] = (ends[key] ?? 0) + 1;
  if (end === 'mixed') {
    problems.push(`MIXED state after recover (${outcome}): ${treeDiff(before, tree).length} differences from BEFORE (${treeDiff(before, tree).slice(0, 3).join(', ')}), ${treeDiff(after, tree).length} from AFTER (${treeDiff(after, tree).slice(0, 3).join(', ')})`);
  }
  const temps = [...tree.keys()].filter((k) => k.includes(TEMP_MARK));
  if (temps.length) problems.push(`temp files left in the workspace: ${temps.slice(0, 3).join(', ')}`);
  const core = new RustyCore({ workspace: s.ws, actor: 'test', env: s.env });
  if (end !== 'mixed') {
    const status = core.get(s.id).status;
    if (status !== EXPECTED[op][end]) problems.push(`workspace ${end.toUpperCase()} but the proposal is ${status} (expected ${EXPECTED[op][end]})`);
  }
  const audit = core.verifyAudit();
  if (!audit.ok) problems.push(`audit does not verify: ${audit.message}`);
  const journal = path.join(s.stateDir, 'journal');
  if (fs.existsSync(journal) && fs.readdirSync(journal).some((f) => f.endsWith('.json'))) problems.push('journal records left after recover');
  return problems.map((p) => `${how}: ${p}`);
}
