// The escape suite: each hostile script must end in a clear error soon after its deadline, leave
// no proposal and no live worker, and change nothing on the host. The "deadline + 100 ms" goal is
// measured by `npm run bench` (codemode: deadline overrun); here a loaded CI machine gets a
// 1 s allowance so the test checks that the run stops, not how fast the machine is.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../../engine/context';
import { NodeWorkspaceFs } from '../../ports/nodeWorkspaceFs';
import type { ChangeSet } from '../../proposals/changeSet';
import { runCode, type CodeRunOptions, type CodeRunResult } from './runner';

const TIMEOUT = 1000;
const OVERRUN_ALLOWANCE_MS = 1000;
let dir: string;
let proposals: ChangeSet[];

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-escape-')));
  fs.mkdirSync(path.join(dir, 'ws'));
  fs.writeFileSync(path.join(dir, 'ws', 'a.txt'), 'alpha\n');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the workspace\n');
  // Warm: TypeScript, the worker bundle and the WASM module load once per process.
  await run('console.log(1)');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function opts(extra: Partial<CodeRunOptions> = {}): CodeRunOptions {
  proposals = [];
  return {
    ctx: createEngineContext(new NodeWorkspaceFs(path.join(dir, 'ws'))),
    submit: async (cs) => { proposals.push(cs); return { id: `p${proposals.length}` }; },
    limits: { timeoutMs: TIMEOUT },
    ...extra,
  };
}

async function run(source: string, extra: Partial<CodeRunOptions> = {}): Promise<CodeRunResult & { elapsed: number }> {
  const t0 = performance.now();
  const r = await runCode(source, opts(extra));
  return { ...r, elapsed: performance.now() - t0 };
}

/** The common verdict: failed with this kind, in time, nothing proposed, the worker gone. */
function expectContained(r: CodeRunResult & { elapsed: number }, kind: string, message: RegExp, timeoutMs = TIMEOUT): void {
  expect(r.ok, r.output).toBe(false);
  expect(r.error?.kind).toBe(kind);
  expect(r.error?.message).toMatch(message);
  // The deadline counts from the script's start (startMs: the worker's start-up, before it).
  expect(r.elapsed - r.startMs).toBeLessThan(timeoutMs + OVERRUN_ALLOWANCE_MS);
  expect(r.startMs).toBeGreaterThan(0);
  expect(proposals).toEqual([]);
  expect(r.proposal).toBeUndefined();
  expect(typeof r.workerExitCode).toBe('number');
}

describe('sandbox escapes', () => {
  it('prototype pollution through the bindings stays inside the sandbox', async () => {
    const r = await run(`
      Object.prototype.polluted = 'yes';
      Array.prototype.push = () => { throw new Error('hijacked'); };
      JSON.parse = () => ({ hacked: true });
      const got = await workspace.read('a.txt');
      console.log(typeof got, got.trim());
      await workspace.read({ __proto__: { polluted: 'host' }, toString() { return 'a.txt'; } }).catch((e) => console.log('refused:', e.message));
      await state.get('__proto__').catch((e) => console.log('state:', e.message));
      throw new Error('stop after polluting');
    `, { state: { get: (k) => { if (k === '__proto__') throw new Error('bad key'); return undefined; }, set: () => undefined } });
    expectContained(r, 'script', /stop after polluting/);
    expect(r.output).toContain('string alpha');
    expect(r.output).toContain('refused: workspace.read(path) needs a path string');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([].push).toBe(Array.prototype.push);
    expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
  });

  it('the Function constructor only reaches the sandbox global', async () => {
    const r = await run(`
      const g = (function () {}).constructor('return this')();
      const names = ['process', 'require', 'module', 'globalThis.process', 'Buffer', 'fetch', 'setTimeout', 'setInterval', 'queueMicrotask', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', '__rustyHost', '__rustyLog', 'std', 'os'];
      console.log(names.filter((n) => { try { return eval('typeof ' + n) !== 'undefined'; } catch { return false; } }).join(',') || 'none');
      console.log(Object.getOwnPropertyNames(g).filter((n) => /^(process|require|Buffer|module)$|host/i.test(n)).join(',') || 'none');
      g.constructor.constructor('return process')();
    `);
    expectContained(r, 'script', /ReferenceError: .*process.* is not defined/);
    expect(r.output).toBe('none\nnone\n');
  });

  it('host objects are out of reach: bindings are frozen, results are copies', async () => {
    const r = await run(`
      try { workspace.read = () => 'mine'; } catch (e) { console.log('frozen'); }
      try { delete globalThis.callTool; } catch (e) { console.log('kept'); }
      console.log(typeof callTool, Object.isFrozen(workspace));
      const a = await workspace.list(); a.push('x');
      const b = await workspace.list();
      console.log(b.includes('x'), (callTool).constructor === Function);
      const f = workspace.read;
      console.log(String(Object.getPrototypeOf(f) === Function.prototype));
      await callTool.call(null, 'x', 'y', {});
    `);
    expectContained(r, 'script', /no MCP servers are available/);
    expect(r.output).toBe('frozen\nkept\nfunction true\nfalse true\ntrue\n');
  });

  it('an async job flood ends at the deadline', async () => {
    const r = await run(`
      const flood = () => Promise.resolve().then(flood);
      for (let i = 0; i < 1000; i++) flood();
      await new Promise(() => {});
    `);
    expectContained(r, 'timeout', /deadline/);
  });

  it('a synchronous infinite loop ends at the deadline', async () => {
    const r = await run('for (;;) {}');
    expectContained(r, 'timeout', /deadline/);
  });

  it('an asynchronous infinite loop ends at the deadline', async () => {
    const r = await run('while (true) { await null; }');
    expectContained(r, 'timeout', /deadline/);
  });

  it('a catch-all loop cannot swallow the interrupt', async () => {
    const r = await run('for (;;) { try { for (;;) {} } catch (e) { console.log("caught", String(e)); } }');
    expectContained(r, 'timeout', /deadline/);
    expect(r.output).toBe('');
  });

  it('a script waiting on the host past the deadline ends at the deadline', async () => {
    const r = await run('await callTool("slow", "tool", {});', {
      mcp: { callTool: () => new Promise(() => undefined), tools: () => [], searchTools: () => [] },
    });
    expectContained(r, 'timeout', /deadline/);
  });

  it('a memory bomb hits the heap limit', async () => {
    const r = await run(`const a = []; let s = 'x'.repeat(1 << 20); for (;;) { a.push(s + a.length); }`, { limits: { timeoutMs: 5000, memoryBytes: 16 * 1024 * 1024 } });
    expectContained(r, 'memory', /out of memory \(limit 16 MB\)/, 5000);
  });

  it('deep recursion hits the stack limit', async () => {
    const r = await run('const f = (n) => f(n + 1) + 1; f(0);');
    expectContained(r, 'stack', /stack/);
  });

  it('a huge log is capped with a notice', async () => {
    const r = await run(`const pad = 'y'.repeat(1000); for (let i = 0; i < 2000; i++) console.log('line ' + i + ' ' + pad); throw new Error('after logging');`, { limits: { timeoutMs: 5000, maxOutputBytes: 4096 } });
    expectContained(r, 'script', /after logging/, 5000);
    expect(Buffer.byteLength(r.output)).toBeLessThan(4096 + 200);
    expect(r.output).toMatch(/\[output truncated: \d+ more bytes were not kept \(limit 4096 bytes\)\]\n$/);
    expect(r.droppedBytes).toBeGreaterThan(1_000_000);
    expect(r.output.startsWith('line 0 yyy')).toBe(true);
  });

  it('writes outside the workspace roots are refused and nothing is proposed', async () => {
    const r = await run(`
      for (const p of ['../secret.txt', '/etc/passwd', 'a/../../secret.txt', '.git/config', 'C:/x', '']) {
        try { await workspace.write(p, 'pwned'); console.log('WROTE', p); } catch (e) { console.log('refused', JSON.stringify(p)); }
      }
      console.log(await workspace.read('../secret.txt').catch((e) => 'read refused'));
      await workspace.write('ok.txt', 'fine');
      await workspace.rename('a.txt', '../moved.txt');
    `);
    expectContained(r, 'script', /outside|escapes|inside the workspace|\.\./);
    expect(r.output).not.toContain('WROTE');
    expect(r.output).toContain('read refused');
    expect(fs.readFileSync(path.join(dir, 'secret.txt'), 'utf8')).toBe('outside the workspace\n');
    expect(fs.existsSync(path.join(dir, 'ws', 'ok.txt'))).toBe(false);
  });

  it('the tool-call limit is enforced', async () => {
    let calls = 0;
    const r = await run('for (let i = 0; i < 10; i++) await callTool("s", "t", {});', {
      limits: { timeoutMs: TIMEOUT, maxToolCalls: 3 },
      mcp: { callTool: async (server, tool) => { calls++; return { server, tool, content: [{ type: 'text', text: 'ok' }], isError: false, bytes: 2, durationMs: 0, attempts: 1 }; }, tools: () => [], searchTools: () => [] },
    });
    expectContained(r, 'script', /at most 3 tool calls/);
    expect(calls).toBe(3);
  });

  it('cancelling a run (signal) stops it at once and leaves nothing', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const r = await run("await workspace.write('c.txt', 'x'); for (;;) {}", { signal: abort.signal, limits: { timeoutMs: 10_000 } });
    expectContained(r, 'cancelled', /cancelled/, 10_000);
    expect(r.elapsed).toBeLessThan(2000);
  });

  it('imports of host modules fail', async () => {
    const r = await run(`import * as fs from 'node:fs'; console.log(fs);`);
    expectContained(r, "script", /cannot import "node:fs": a sandboxed script can import nothing/);
  });
});
