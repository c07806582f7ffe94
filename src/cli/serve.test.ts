// `rusty serve` and `rusty gateway` as child processes (dist/cli.js; run `npm run build` first):
// a real MCP SDK client over stdio and over HTTP, a plan approved step by step with the real
// `rusty approve`, and a gateway killed (SIGKILL) with submissions queued, restarted, and the
// queue processed with nothing lost or duplicated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { childEnv, parseJson, prepareCli, type Cli } from '../core/testing/cli';
import { workspaceStateDir } from '../core/state/location';
import type { ChildProcess } from 'node:child_process';

let cli: Cli;
let ws: TempWorkspace | undefined;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  ws?.cleanup();
  ws = undefined;
});

const A_TS = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

function rusty(w: TempWorkspace, args: string[], env: NodeJS.ProcessEnv = {}) {
  return cli.run([...args, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot, ...env } });
}

async function addClient(w: TempWorkspace, name: string, scope: string): Promise<string> {
  const r = await rusty(w, ['gateway', 'add', name, '--scope', scope]);
  expect(r.code, r.stderr).toBe(0);
  return parseJson<{ token: string }>(r).token;
}

async function stdioClient(w: TempWorkspace, token: string): Promise<Client> {
  const c = new Client({ name: 'stdio-agent', version: '1' });
  const transport = new StdioClientTransport({
    command: process.execPath, args: [cli.entry, 'serve', '--stdio', '-w', w.root],
    env: childEnv({ RUSTY_STATE_DIR: w.stateRoot, RUSTY_GATEWAY_TOKEN: token }) as Record<string, string>, stderr: 'pipe',
  });
  await c.connect(transport);
  cleanup.push(() => c.close());
  return c;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool results are JSON the assertions walk
async function call(c: Client, name: string, args: Record<string, unknown>): Promise<{ error?: string; value?: any }> {
  const r = await c.callTool({ name, arguments: args }) as { isError?: boolean; content: { text: string }[] };
  return r.isError ? { error: r.content[0]!.text } : { value: JSON.parse(r.content[0]!.text) };
}

/** Start `rusty serve --http --port 0 --json` and read its URL. */
async function startHttp(w: TempWorkspace): Promise<{ child: ChildProcess; url: string }> {
  const child = cli.spawn(['serve', '--http', '--port', '0', '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
  child.stdin?.end();
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /"url":\s*"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('exit', (code) => reject(new Error(`rusty serve exited ${code}: ${err}`)));
  });
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, url };
}

async function httpClient(url: string, token: string): Promise<Client> {
  const c = new Client({ name: 'http-agent', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  cleanup.push(() => c.close().catch(() => {}));
  return c;
}

describe('rusty gateway clients|add|revoke', () => {
  it('adds a client with a token shown once, keeps only its hash in a 0600 file, lists and revokes', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const token = await addClient(ws, 'claude', 'propose');
    expect(token).toMatch(/^rgw_[A-Za-z0-9_-]{43}$/);
    const file = path.join(workspaceStateDir(ws.root, { RUSTY_STATE_DIR: ws.stateRoot }), 'gateway', 'clients.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(token);
    const list = await rusty(ws, ['gateway', 'clients']);
    expect(list.stdout).not.toContain(token);
    expect(parseJson<{ clients: { name: string; scope: string }[] }>(list).clients).toMatchObject([{ name: 'claude', scope: 'propose' }]);
    expect((await rusty(ws, ['gateway', 'add', 'claude'])).code).toBe(2); // duplicate name
    expect((await rusty(ws, ['gateway', 'add', 'Bad Name'])).code).toBe(2);
    expect((await rusty(ws, ['gateway', 'add', 'x', '--scope', 'admin'])).code).toBe(2);
    expect((await rusty(ws, ['gateway', 'revoke', 'claude'])).code).toBe(0);
    expect((await rusty(ws, ['gateway', 'revoke', 'claude'])).code).toBe(1);
  }, 120_000);
});

describe('rusty serve --stdio', () => {
  it('refuses to start without a valid token', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const none = await cli.run(['serve', '--stdio', '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/RUSTY_GATEWAY_TOKEN/);
    expect(none.stdout).toBe(''); // stdout is the protocol
    const wrong = await cli.run(['serve', '--stdio', '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot, RUSTY_GATEWAY_TOKEN: 'rgw_nope' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown or revoked/);
    expect((await cli.run(['serve', '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot } })).code).toBe(2);
  });

  it('every tool refuses invalid input over stdio, and the read tools answer', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const c = await stdioClient(ws, await addClient(ws, 'stdio-bot', 'propose'));
    const tools = (await c.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(['analyze', 'auto_fix', 'execute_code', 'get_proposal', 'get_system_status', 'get_tool_docs', 'list_capabilities', 'list_proposals', 'ping', 'plan_task', 'propose_refactoring', 'search_tools', 'submit_change_set']);
    const invalid: Record<string, Record<string, unknown>> = {
      ping: { x: 1 }, list_capabilities: { x: 1 }, get_system_status: { x: 1 }, analyze: { path: '../etc' },
      propose_refactoring: { refactoring: 'nope' }, submit_change_set: { edits: 'no' }, get_proposal: {},
      list_proposals: { limit: 0 }, auto_fix: { file: 7 }, plan_task: { steps: [] },
      execute_code: { code: '' }, get_tool_docs: { server: 1 }, search_tools: { query: '' },
    };
    for (const tool of tools) expect((await call(c, tool, invalid[tool]!)).error, tool).toBeDefined();
    expect((await call(c, 'get_system_status', {})).value).toMatchObject({ queue: { length: 0 }, proposals: { total: 0 } });
    const sub = (await call(c, 'submit_change_set', { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] })).value;
    expect(sub.proposal).toMatchObject({ source: 'agent:stdio-bot', status: 'pending' });
    expect((await call(c, 'list_proposals', { mine: true })).value.total).toBe(1);
    expect((await call(c, 'get_proposal', { id: sub.proposalId })).value.diff).toContain('+  return a - b;');
    expect(ws.read('src/a.ts')).toBe(A_TS);
    const audited = parseJson<{ entries: { action: string; details: { tool?: string; outcome?: string } }[] }>(await rusty(ws, ['audit'])).entries
      .filter((e) => e.action === 'gateway.call');
    expect(audited.filter((e) => e.details.outcome === 'invalid').map((e) => e.details.tool).sort()).toEqual(tools);
  }, 120_000);

  it('the request size and rate limits apply over stdio too: clear JSON-RPC errors, audited, nothing queued', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const token = await addClient(ws, 'limited', 'propose');
    const policy = path.join(workspaceStateDir(ws.root, { RUSTY_STATE_DIR: ws.stateRoot }), 'gateway', 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ maxRequestBytes: 4096, ratePerMinute: 8 }));
    const c = await stdioClient(ws, token); // initialize: request 1 of 8
    // Over the size limit: refused before the server parses it, with the request's id (the call fails at once).
    await expect(c.callTool({ name: 'submit_change_set', arguments: { title: 'Big', edits: [{ path: 'src/big.ts', create: 'x'.repeat(10_000) }] } }))
      .rejects.toThrow(/Request too large: at most 4096 bytes/);
    // The session goes on; the oversized line did not count against the rate.
    for (let i = 0; i < 7; i++) expect((await call(c, 'ping', {})).value, `ping ${i}`).toMatchObject({ client: 'limited' });
    await expect(c.callTool({ name: 'ping', arguments: {} })).rejects.toThrow(/Too many requests: at most 8 per minute per client/);
    await expect(c.callTool({ name: 'submit_change_set', arguments: { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] } }))
      .rejects.toThrow(/Too many requests/);
    expect(parseJson<{ proposals: unknown[] }>(await rusty(ws, ['list'])).proposals).toEqual([]);
    expect(ws.read('src/a.ts')).toBe(A_TS);
    const refused = parseJson<{ entries: { action: string; details: { client?: string; outcome?: string; reason?: string } }[] }>(await rusty(ws, ['audit'])).entries
      .filter((e) => e.action === 'gateway.refused').map((e) => `${e.details.client} ${e.details.outcome} ${e.details.reason}`);
    expect(refused).toEqual(expect.arrayContaining([expect.stringMatching(/^limited refused request of \d+ bytes over the limit$/), 'limited rate-limited over 8 requests per minute']));
  }, 120_000);

  it('execute_code over stdio: the script\'s writes become one pending proposal of the client; nothing is written', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const c = await stdioClient(ws, await addClient(ws, 'coder', 'propose'));
    const r = (await call(c, 'execute_code', { title: 'Subtract', code: "const t = (await workspace.read('src/a.ts'))!; await workspace.write('src/a.ts', t.replace('a + b', 'a - b')); console.log('ok');" })).value;
    expect(r).toMatchObject({ ok: true, output: 'ok\n', state: 'proposed', files: ['src/a.ts'], proposal: { source: 'agent:coder', status: 'pending', title: 'Subtract' } });
    expect(ws.read('src/a.ts')).toBe(A_TS);
    expect((await call(c, 'get_proposal', { id: r.proposalId })).value.diff).toContain('+  return a - b;');
  }, 120_000);

  it('a plan of 3 dependent steps runs in order as each is approved with `rusty approve`', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const c = await stdioClient(ws, await addClient(ws, 'planner', 'propose'));
    expect((await call(c, 'ping', {})).value).toMatchObject({ client: 'planner', scope: 'propose' });
    const plan = (await call(c, 'plan_task', {
      title: 'Three steps', steps: [
        { id: 'create', title: 'Create util', edits: [{ path: 'src/util.ts', create: 'export const one = 1;\n' }] },
        { id: 'extend', title: 'Extend util', dependsOn: ['create'], edits: [{ path: 'src/util.ts', search: 'export const one = 1;\n', replace: 'export const one = 1;\nexport const two = 2;\n' }] },
        { id: 'use', title: 'Use util', dependsOn: ['extend'], edits: [{ path: 'src/a.ts', search: 'return a + b;', replace: 'return a + b + 0;' }] },
      ],
    })).value;
    const order: string[] = [];
    for (const [i, id] of ['create', 'extend', 'use'].entries()) {
      let p;
      for (let t = 0; t < 600; t++) {
        p = (await call(c, 'plan_task', { planId: plan.id })).value;
        if (p.steps[i].state === 'awaiting-approval') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(p.steps[i].state, JSON.stringify(p.steps)).toBe('awaiting-approval');
      expect(p.steps.slice(i + 1).every((s: { state: string }) => s.state === 'blocked')).toBe(true);
      const listed = parseJson<{ proposals: { id: string; source: string; status: string }[] }>(await rusty(ws!, ['list', '--status', 'pending']));
      expect(listed.proposals).toMatchObject([{ id: p.steps[i].proposalId, source: 'agent:planner' }]);
      const approved = await rusty(ws!, ['approve', p.steps[i].proposalId]);
      expect(approved.code, approved.stderr).toBe(0);
      order.push(id);
    }
    let done;
    for (let t = 0; t < 100; t++) {
      done = (await call(c, 'plan_task', { planId: plan.id })).value;
      if (done.complete) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(done).toMatchObject({ done: 3, complete: true });
    expect(order).toEqual(['create', 'extend', 'use']);
    expect(ws.read('src/util.ts')).toBe('export const one = 1;\nexport const two = 2;\n');
    expect(ws.read('src/a.ts')).toContain('a + b + 0');
  }, 240_000); // three CLI runs of `rusty approve` and `rusty list`, each a node start

});

describe('rusty serve --http', () => {
  it('a port in use is a one-line usage error', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS });
    const first = await startHttp(ws);
    const port = new URL(first.url).port;
    const second = await cli.run(['serve', '--http', '--port', port, '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot } });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`Port ${port} is in use`));
  });

  it('killed with submissions queued, restarted: the queue is intact and every submission becomes one proposal', async () => {
    ws = tempWorkspace({ 'src/a.ts': A_TS, 'tsconfig.json': '{"compilerOptions":{"strict":true}}' });
    const token = await addClient(ws, 'bulk', 'propose');
    const first = await startHttp(ws);
    const c = await httpClient(first.url, token);
    const N = 8;
    const tickets: string[] = [];
    for (let i = 0; i < N; i++) {
      const r = (await call(c, 'submit_change_set', { title: `File ${i}`, edits: [{ path: `src/f${i}.ts`, create: `export const f${i} = ${i};\n` }], priority: i % 2 ? 'low' : 'high', wait: 0, idempotencyKey: `k${i}` })).value;
      tickets.push(r.ticket);
    }
    const queueFile = path.join(workspaceStateDir(ws.root, { RUSTY_STATE_DIR: ws.stateRoot }), 'gateway', 'queue.json');
    const waiting = JSON.parse(fs.readFileSync(queueFile, 'utf8')).entries.length;
    expect(waiting).toBeGreaterThan(0); // impact analysis keeps the worker busy
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('close', r));
    const afterKill = JSON.parse(fs.readFileSync(queueFile, 'utf8'));
    expect(afterKill.entries.length + afterKill.done.length).toBe(N);

    const second = await startHttp(ws);
    const c2 = await httpClient(second.url, token);
    for (let t = 0; t < 1200 && JSON.parse(fs.readFileSync(queueFile, 'utf8')).entries.length; t++) await new Promise((r) => setTimeout(r, 100));
    const q = JSON.parse(fs.readFileSync(queueFile, 'utf8'));
    expect(q.entries).toEqual([]);
    expect(q.dead).toEqual([]);
    const proposals = parseJson<{ proposals: { title: string; source: string }[] }>(await rusty(ws, ['list'])).proposals;
    expect(proposals.map((p) => p.title).sort()).toEqual(Array.from({ length: N }, (_, i) => `File ${i}`).sort());
    expect(proposals.every((p) => p.source === 'agent:bulk')).toBe(true);
    // A replayed key after the restart still returns the first result.
    const replay = (await call(c2, 'submit_change_set', { title: 'File 0', edits: [{ path: 'src/f0.ts', create: 'export const f0 = 0;\n' }], priority: 'high', wait: 0, idempotencyKey: 'k0' })).value;
    expect(replay).toMatchObject({ ticket: tickets[0], replayed: true, state: 'proposed' });
    for (let i = 0; i < N; i++) expect(ws.exists(`src/f${i}.ts`)).toBe(false);
  }, 240_000);
});
