// Several `rusty` processes on one workspace at once: the state lock serializes them, nothing is
// applied twice, no state file is ever torn, and a lock left by a killed process does not block.
// Real processes (dist/cli.js; run `npm run build` first) on real folders in the OS temp dir.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from './testing/tempWorkspace';
import { parseJson, prepareCli, type Cli, type CliResult } from './testing/cli';
import { TEMP_MARK } from './util/fsx';

let cli: Cli;
let ws: TempWorkspace | undefined;

beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';
const cs = (title: string, edits: unknown[]) => ({ title, source: 'test:concurrency', edits });

function run(w: TempWorkspace, args: string[], input?: string): Promise<CliResult> {
  return cli.run([...args, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot }, input });
}

/** Every JSON file in the state folder parses, every audit line parses, no temp file is left. */
function expectStateIntact(w: TempWorkspace): void {
  const dir = w.core().stateDir;
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f));
  const torn: string[] = [];
  for (const f of files) {
    if (f.includes(TEMP_MARK)) torn.push(`temp file ${f}`);
    else if (f.endsWith('.json')) {
      try {
        JSON.parse(fs.readFileSync(f, 'utf8'));
      } catch (err) {
        torn.push(`${f}: ${(err as Error).message}`);
      }
    }
  }
  const audit = path.join(dir, 'audit.jsonl');
  fs.readFileSync(audit, 'utf8').split('\n').filter(Boolean).forEach((line, i) => {
    try {
      JSON.parse(line);
    } catch {
      torn.push(`audit.jsonl line ${i + 1} is not JSON`);
    }
  });
  expect(torn).toEqual([]);
  expect(fs.existsSync(path.join(dir, 'state.lock'))).toBe(false);
  expect(fs.readdirSync(path.join(dir, 'journal'))).toEqual([]);
  expect(w.core().verifyAudit()).toMatchObject({ ok: true });
}

function actions(w: TempWorkspace, proposalId: string): string[] {
  return w.core().auditEntries({ proposalId }).map((e) => e.action);
}

describe('two processes approving at the same time', () => {
  it('different proposals (disjoint files, and one file edited in two places): both apply, serialized', async () => {
    for (let round = 0; round < 3; round++) {
      ws?.cleanup();
      const w = (ws = tempWorkspace({ 'a.ts': lines(10, 'a'), 'b.ts': lines(10, 'b'), 'shared.ts': lines(60, 's') }));
      const core = w.core();
      const one = await core.submit(cs('one', [
        modify(w, 'a.ts', lines(10, 'A')),
        modify(w, 'shared.ts', lines(60, 's').replace('s 3\n', 'ONE 3\n')),
        { kind: 'create', path: 'gen/one.ts', content: 'one\n' },
      ]));
      const two = await core.submit(cs('two', [
        modify(w, 'b.ts', lines(10, 'B')),
        modify(w, 'shared.ts', lines(60, 's').replace('s 50\n', 'TWO 50\n')),
        { kind: 'create', path: 'gen/two.ts', content: 'two\n' },
      ]));
      const [r1, r2] = await Promise.all([run(w, ['approve', one.proposal.id]), run(w, ['approve', two.proposal.id])]);
      expect([r1.code, r2.code], r1.stdout + r2.stdout).toEqual([0, 0]);
      expect(parseJson(r1)).toMatchObject({ id: one.proposal.id, status: 'applied' });
      expect(parseJson(r2)).toMatchObject({ id: two.proposal.id, status: 'applied' });
      expect(w.read('a.ts')).toBe(lines(10, 'A'));
      expect(w.read('b.ts')).toBe(lines(10, 'B'));
      expect(w.read('shared.ts')).toBe(lines(60, 's').replace('s 3\n', 'ONE 3\n').replace('s 50\n', 'TWO 50\n'));
      expect([w.read('gen/one.ts'), w.read('gen/two.ts')]).toEqual(['one\n', 'two\n']);
      // Whichever ran second found shared.ts changed under it and merged; exactly one did.
      const merged = [parseJson<{ merged: string[] }>(r1).merged, parseJson<{ merged: string[] }>(r2).merged];
      expect(merged.flat()).toEqual(['shared.ts']);
      expect(actions(w, one.proposal.id)).toContain('applied');
      expect(actions(w, two.proposal.id)).toContain('applied');
      expectStateIntact(w);
    }
  }, 60_000);

  it('the same proposal: exactly one process applies it, the other is refused and nothing is written twice', async () => {
    for (let round = 0; round < 4; round++) {
      ws?.cleanup();
      const w = (ws = tempWorkspace({ 'a.ts': lines(20), 'b.ts': lines(5, 'b') }));
      const { proposal } = await w.core().submit(cs('once', [
        modify(w, 'a.ts', lines(20).replace('line 7', 'LINE 7')),
        modify(w, 'b.ts', lines(5, 'B')),
        { kind: 'create', path: 'new/c.ts', content: 'c\n' },
      ]));
      const results = await Promise.all([run(w, ['approve', proposal.id]), run(w, ['approve', proposal.id])]);
      const codes = results.map((r) => r.code).sort();
      expect(codes, results.map((r) => r.stdout + r.stderr).join('\n')).toEqual([0, 1]);
      const refused = results.find((r) => r.code === 1)!;
      const err = parseJson<{ error: { code: string; message: string } }>(refused).error;
      expect(err.code).toBe('bad-state');
      expect(err.message).toMatch(new RegExp(`Proposal ${proposal.id} is already applied; nothing was written`));
      expect(refused.stderr.trim().split('\n')).toEqual([`rusty: ${err.message}`]);

      expect(w.read('a.ts')).toBe(lines(20).replace('line 7', 'LINE 7'));
      expect(w.read('new/c.ts')).toBe('c\n');
      const core = w.core();
      expect(core.get(proposal.id).status).toBe('applied');
      // Written once: one apply transaction (one checkpoint), one `applied` audit entry.
      expect(core.checkpoints.list().map((c) => c.kind)).toEqual(['apply']);
      expect(actions(w, proposal.id).filter((a) => a === 'applied')).toHaveLength(1);
      expect(core.get(proposal.id).history.map((h) => h.status)).toEqual(['pending', 'approved', 'applying', 'applied']);
      expectStateIntact(w);
    }
  }, 60_000);
});

describe('many processes submitting at once', () => {
  it('8 different change sets: 8 proposals, every state file whole, the audit chain intact', async () => {
    const w = (ws = tempWorkspace(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}.ts`, lines(30, `f${i}`)]))));
    const sets = Array.from({ length: 8 }, (_, i) => cs(`change ${i}`, [
      modify(w, `f${i}.ts`, lines(30, `f${i}`).replace(`f${i} 9\n`, `changed by ${i}\n`)),
      { kind: 'create', path: `created/${i}.ts`, content: `export const n = ${i};\n` },
    ]));
    // Half from files, half from stdin.
    const results = await Promise.all(sets.map((set, i) => {
      if (i % 2) return run(w, ['submit', '-'], JSON.stringify(set));
      const file = path.join(path.dirname(w.root), `cs${i}.json`);
      fs.writeFileSync(file, JSON.stringify(set));
      return run(w, ['submit', file]);
    }));
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual(Array(8).fill(0));
    const ids = results.map((r) => parseJson<{ id: string; existing: boolean }>(r));
    expect(ids.every((r) => r.existing === false)).toBe(true);
    expect(new Set(ids.map((r) => r.id)).size).toBe(8);

    const listed = parseJson<{ proposals: { id: string; title: string; status: string }[] }>(await run(w, ['list']));
    expect(listed.proposals.map((p) => p.id).sort()).toEqual(ids.map((r) => r.id).sort());
    expect(listed.proposals.every((p) => p.status === 'pending')).toBe(true);
    expect(listed.proposals.map((p) => p.title).sort()).toEqual(sets.map((s) => s.title).sort());
    const created = w.core().auditEntries().filter((e) => e.action === 'created');
    expect(created).toHaveLength(8);
    expect(w.core().auditEntries().map((e) => e.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expectStateIntact(w);
    expect(fs.existsSync(path.join(w.root, 'created'))).toBe(false); // submitting writes nothing
  }, 60_000);

  it('8 copies of the same change set: queued once, the other 7 told it already exists', async () => {
    const w = (ws = tempWorkspace({ 'a.ts': lines(10) }));
    const set = JSON.stringify(cs('same', [modify(w, 'a.ts', lines(10, 'x'))]));
    const results = await Promise.all(Array.from({ length: 8 }, () => run(w, ['submit', '-'], set)));
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    const parsed = results.map((r) => parseJson<{ id: string; existing: boolean }>(r));
    expect(new Set(parsed.map((r) => r.id)).size).toBe(1);
    expect(parsed.filter((r) => !r.existing)).toHaveLength(1);
    expect(w.core().list()).toHaveLength(1);
    expectStateIntact(w);
  }, 60_000);
});

describe('a lock left behind', () => {
  /** A process that takes the state lock exactly as the core does, then waits to be killed. */
  async function lockHolder(lockFile: string): Promise<{ pid: number; kill(): Promise<void> }> {
    const script = `
      const fs = require('node:fs'), os = require('node:os');
      fs.writeFileSync(${JSON.stringify(lockFile)}, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString(), purpose: 'approve' }), { flag: 'wx' });
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited early with ${code}`)));
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      pid: child.pid!,
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  it('a lock whose owner was SIGKILLed is taken over at once', async () => {
    const w = (ws = tempWorkspace({ 'a.ts': 'x\n' }));
    const lock = w.core().paths.lock;
    const holder = await lockHolder(lock);
    await holder.kill();
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ pid: holder.pid });

    const set = JSON.stringify(cs('after a crash', [modify(w, 'a.ts', 'y\n')]));
    const r = await run(w, ['submit', '-'], set);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(5_000); // not the 30 s wait for a live owner
    const { id } = parseJson<{ id: string }>(r);
    const approved = await run(w, ['approve', id]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(w.read('a.ts')).toBe('y\n');
    expectStateIntact(w);
  }, 30_000);

  it('several processes racing for the same dead lock all get through, one at a time', async () => {
    const w = (ws = tempWorkspace(Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}.ts`, `${i}\n`]))));
    const holder = await lockHolder(w.core().paths.lock);
    await holder.kill();
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => run(w, ['submit', '-'], JSON.stringify(cs(`c${i}`, [modify(w, `f${i}.ts`, `${i}${i}\n`)])))));
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0, 0]);
    expect(w.core().list()).toHaveLength(4);
    expectStateIntact(w);
  }, 30_000);

  it('a live owner makes the next command wait, and it proceeds as soon as the owner dies', async () => {
    const w = (ws = tempWorkspace({ 'a.ts': 'x\n' }));
    const holder = await lockHolder(w.core().paths.lock);
    const pending = run(w, ['submit', '-'], JSON.stringify(cs('waits', [modify(w, 'a.ts', 'y\n')])));
    let settled = false;
    void pending.then(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(settled).toBe(false); // still waiting for the live owner
    const killedAt = Date.now();
    await holder.kill();
    const r = await pending;
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(w.core().list()).toHaveLength(1);
  }, 30_000);

  it('an empty lock file (owner killed while writing it) is treated as stale once it is old', async () => {
    const w = (ws = tempWorkspace({ 'a.ts': 'x\n' }));
    const lock = w.core().paths.lock;
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    const r = await run(w, ['recover']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson(r)).toEqual({ recovered: [] });
    expect(fs.existsSync(lock)).toBe(false);
  }, 30_000);
});
