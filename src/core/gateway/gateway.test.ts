// The agent gateway over Streamable HTTP, in process: a real MCP SDK client against the real
// server on a loopback port, the real core on a temp workspace. Every tool with valid and invalid
// input; refusals (token, scope, Host, Origin, size, rate, replay) apply nothing; 20 clients at
// once are queued in priority order; a plan of 3 dependent steps advances as each is approved.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { Gateway } from './gateway';
import { startHttpGateway, type HttpGateway } from './transports';
import type { ClientScope } from './clients';
import { GatewayPaths } from './paths';

interface Harness { ws: TempWorkspace; gw: Gateway; server: HttpGateway; token(name: string, scope?: ClientScope): string; connect(token: string): Promise<Client> }

let open: { close(): Promise<void> }[] = [];
let workspaces: TempWorkspace[] = [];
afterEach(async () => {
  for (const o of open.reverse()) await o.close().catch(() => {});
  open = [];
  for (const w of workspaces) w.cleanup();
  workspaces = [];
});

async function harness(files: Record<string, string>, opts: { paused?: boolean; policy?: unknown } = {}): Promise<Harness> {
  const ws = tempWorkspace(files);
  workspaces.push(ws);
  const core = ws.core({ actor: 'gateway' });
  if (opts.policy) {
    const p = new GatewayPaths(core.stateDir).policy;
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, JSON.stringify(opts.policy));
  }
  const gw = new Gateway({ core, version: 'test', paused: opts.paused });
  gw.start();
  const server = await startHttpGateway(gw, { port: 0 });
  open.push({ close: () => gw.close() }, server);
  const tokens = new Map<string, string>();
  return {
    ws, gw, server,
    token(name, scope = 'propose') {
      if (!tokens.has(name)) tokens.set(name, gw.clients.add(name, scope).token);
      return tokens.get(name)!;
    },
    async connect(token) {
      const c = new Client({ name: 'test-agent', version: '1' });
      await c.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      open.push(c);
      return c;
    },
  };
}

type ToolResult = { isError?: boolean; content: { type: string; text: string }[] };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool results are JSON the assertions walk
async function call(c: Client, name: string, args: Record<string, unknown>): Promise<{ error?: string; value?: any }> {
  try {
    const r = await c.callTool({ name, arguments: args }) as ToolResult;
    const text = r.content[0]?.text ?? '';
    return r.isError ? { error: text } : { value: JSON.parse(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function raw(server: HttpGateway, opts: { path?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: opts.path ?? '/mcp', method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const A_TS = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

describe('gateway tools over Streamable HTTP', () => {
  it('ping, list_capabilities, get_system_status, list_proposals: valid and invalid input', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot', 'read-only'));
    expect((await call(c, 'ping', {})).value).toMatchObject({ pong: true, client: 'bot', scope: 'read-only' });
    expect((await call(c, 'ping', { x: 1 })).error).toMatch(/Unrecognized key/);
    const caps = (await call(c, 'list_capabilities', {})).value;
    expect(Object.keys(caps.refactorings)).toEqual(expect.arrayContaining(['rename', 'organize-imports', 'fix-all', 'move']));
    expect((await call(c, 'list_capabilities', { all: true })).error).toBeDefined();
    const status = (await call(c, 'get_system_status', {})).value;
    expect(status).toMatchObject({ queue: { length: 0 }, deadLetters: [], proposals: { total: 0 } });
    expect(status.engines.typescript).toMatch(/^\d+\.\d+/);
    expect((await call(c, 'get_system_status', { verbose: 1 })).error).toBeDefined();
    expect((await call(c, 'list_proposals', {})).value).toEqual({ total: 0, proposals: [] });
    expect((await call(c, 'list_proposals', { status: ['bogus'] })).error).toBeDefined();
  });

  it('submit_change_set (change-set format and search/replace) queues proposals with source agent:<client>; bad ones go to the dead-letter list', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot'));
    const hash = h.ws.hash('src/a.ts');
    const r1 = (await call(c, 'submit_change_set', { changeSet: { title: 'Rename add', source: 'spoofed', edits: [{ kind: 'modify', path: 'src/a.ts', baseHash: hash, content: A_TS.replace('add', 'sum') }] }, priority: 'high' })).value;
    expect(r1).toMatchObject({ state: 'proposed', proposal: { source: 'agent:bot', priority: 'high', status: 'pending' } });
    const r2 = (await call(c, 'submit_change_set', { title: 'Subtract', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }, { path: 'src/b.ts', create: 'export const b = 1;\n' }] })).value;
    expect(r2.proposal.files.map((f: { path: string }) => f.path).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    // Invalid against the workspace → dead letter with its reason; invalid shape → refused at once.
    const bad = (await call(c, 'submit_change_set', { changeSet: { title: 'Stale', edits: [{ kind: 'modify', path: 'src/a.ts', baseHash: '0'.repeat(64), content: 'x' }] } })).value;
    expect(bad).toMatchObject({ state: 'dead-letter' });
    expect(bad.reason).toMatch(/src\/a\.ts/);
    expect((await call(c, 'submit_change_set', { title: 'Outside', edits: [{ path: '../x.ts', create: 'x' }] })).error).toMatch(/\.\./);
    expect((await call(c, 'submit_change_set', { title: 'No edits' })).error).toMatch(/either changeSet or edits/);
    expect((await call(c, 'submit_change_set', { edits: [{ path: 'src/a.ts', search: 'a', replace: 'b' }] })).error).toMatch(/title is required/);
    const status = (await call(c, 'get_system_status', {})).value;
    expect(status.deadLetters).toHaveLength(1);
    expect(status.proposals.byStatus).toEqual({ pending: 2 });
    expect(h.ws.read('src/a.ts')).toBe(A_TS); // nothing applied
    expect(h.ws.exists('src/b.ts')).toBe(false);
    const mine = (await call(c, 'list_proposals', { mine: true })).value;
    expect(mine.total).toBe(2);
    // Every call is audited with the client's name.
    const calls = h.gw.core.auditEntries().filter((e) => e.action === 'gateway.call');
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.every((e) => e.actor === 'agent:bot' && (e.details as { client: string }).client === 'bot')).toBe(true);
  });

  it('get_proposal returns diff and status, waits for the decision and returns the rejection reason', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot'));
    const r = (await call(c, 'submit_change_set', { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] })).value;
    const got = (await call(c, 'get_proposal', { id: r.proposalId })).value;
    expect(got).toMatchObject({ id: r.proposalId, status: 'pending', source: 'agent:bot' });
    expect(got.diff).toContain('-  return a + b;');
    expect((await call(c, 'get_proposal', { id: r.ticket })).value.id).toBe(r.proposalId);
    // A person rejects it (another core, as the CLI or VS Code would) while the agent waits.
    setTimeout(() => void h.ws.core({ actor: 'cli' }).reject(r.proposalId, 'use a named helper instead'), 300);
    const waited = (await call(c, 'get_proposal', { id: r.proposalId, wait: 20, diff: false })).value;
    expect(waited).toMatchObject({ status: 'rejected', statusReason: 'use a named helper instead', decided: true });
    expect(waited.diff).toBeUndefined();
    expect(waited.events.map((e: { action: string }) => e.action)).toContain('rejected');
    expect((await call(c, 'get_proposal', { id: 'p-nope' })).error).toMatch(/not-found|No proposal/i);
    expect((await call(c, 'get_proposal', { id: '' })).error).toBeDefined();
    expect((await call(c, 'get_proposal', { id: r.proposalId, wait: -1 })).error).toBeDefined();
  });

  it('analyze, propose_refactoring and auto_fix run the real engines and queue proposals', async () => {
    const h = await harness({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noUnusedLocals: true, target: 'es2022', module: 'nodenext' } }),
      'src/a.ts': A_TS,
      'src/b.ts': "import { add } from './a.js';\nexport function twice(x: number): number {\n  const unused = 3;\n  return add(x, x);\n}\n",
      // TS2307: TypeScript registers a fix for it, but the fix installs a package and edits no code.
      'src/c.ts': "import { missing } from 'no-such-package';\nexport const y = missing;\n",
    });
    const c = await h.connect(h.token('bot'));
    const an = (await call(c, 'analyze', { path: 'src/b.ts' })).value;
    expect(an.summary.files).toBeGreaterThanOrEqual(2);
    expect(an.diagnostics.items.map((d: { code: number }) => d.code)).toContain(6133);
    expect((await call(c, 'analyze', { path: '/etc' })).error).toMatch(/absolute/);
    const ren = (await call(c, 'propose_refactoring', { refactoring: 'rename', params: { file: 'src/a.ts', line: 1, column: 17, newName: 'sum' } })).value;
    expect(ren).toMatchObject({ state: 'proposed', proposal: { source: 'agent:bot' } });
    expect(ren.proposal.files.map((f: { path: string }) => f.path).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect((await call(c, 'propose_refactoring', { refactoring: 'rename', params: { file: 'src/a.ts', line: 0, column: 1, newName: 'x' } })).error).toMatch(/line/);
    expect((await call(c, 'propose_refactoring', { refactoring: 'explode', params: {} })).error).toBeDefined();
    const refused = (await call(c, 'propose_refactoring', { refactoring: 'rename', params: { file: 'src/a.ts', line: 1, column: 17, newName: 'not valid' } })).value;
    expect(refused).toMatchObject({ state: 'dead-letter', code: 'refused' });
    const fix = (await call(c, 'auto_fix', { file: 'src/b.ts' })).value;
    expect(fix.fixable).toEqual([6133]);
    expect(fix.proposals[0]).toMatchObject({ state: 'proposed', code: 6133 });
    expect((await call(c, 'auto_fix', { file: 'src/c.ts' })).value).toMatchObject({ fixable: [], proposals: [] });
    expect((await call(c, 'auto_fix', { file: 'src/missing.ts' })).error).toMatch(/does not exist/);
    expect((await call(c, 'auto_fix', {})).error).toBeDefined();
    expect(h.ws.read('src/a.ts')).toBe(A_TS);
  }, 240_000); // the real analysis and ts-morph: slow on a loaded machine

  it('resources: the proposals and the audit tail', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot'));
    const r = (await call(c, 'submit_change_set', { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] })).value;
    const list = JSON.parse(((await c.readResource({ uri: 'rusty://proposals' })).contents[0] as { text: string }).text);
    expect(list.map((p: { id: string }) => p.id)).toEqual([r.proposalId]);
    const one = JSON.parse(((await c.readResource({ uri: `rusty://proposals/${r.proposalId}` })).contents[0] as { text: string }).text);
    expect(one.diff).toContain('+  return a - b;');
    const tail = JSON.parse(((await c.readResource({ uri: 'rusty://audit/tail' })).contents[0] as { text: string }).text);
    expect(tail.some((e: { action: string }) => e.action === 'created')).toBe(true);
    await expect(c.readResource({ uri: 'rusty://proposals/p-none' })).rejects.toThrow();
  });
});

describe('gateway security', () => {
  it('no token, a wrong token, a revoked token: refused; nothing queued', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    expect((await raw(h.server, { body: INIT })).status).toBe(401);
    expect((await raw(h.server, { body: INIT, headers: { authorization: 'Bearer rgw_wrong' } })).status).toBe(401);
    const token = h.token('gone');
    h.gw.clients.revoke('gone');
    await expect(h.connect(token)).rejects.toThrow();
    expect((await raw(h.server, { path: '/metrics', method: 'GET' })).status).toBe(401);
    expect(h.gw.queue.read().entries).toHaveLength(0);
    expect(h.gw.core.auditEntries().filter((e) => e.action === 'gateway.refused').length).toBeGreaterThanOrEqual(3);
  });

  it('a read-only client cannot submit, refactor, fix or create a plan', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('viewer', 'read-only'));
    for (const [tool, args] of [
      ['submit_change_set', { title: 'x', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] }],
      ['propose_refactoring', { refactoring: 'organize-imports', params: {} }],
      ['auto_fix', { file: 'src/a.ts' }],
      ['plan_task', { title: 'p', steps: [{ id: 's1', title: 'one', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] }] }],
    ] as const) {
      expect((await call(c, tool, args)).error, tool).toMatch(/read-only scope/);
    }
    expect(h.gw.queue.read().entries).toHaveLength(0);
    expect(h.gw.core.list()).toHaveLength(0);
    expect(h.gw.plans.list()).toHaveLength(0);
  });

  it('bad Host (DNS rebinding), bad Origin and an oversized body are refused before the MCP layer', async () => {
    const h = await harness({ 'src/a.ts': A_TS }, { policy: { maxRequestBytes: 4096 } });
    const auth = { authorization: `Bearer ${h.token('bot')}` };
    expect((await raw(h.server, { body: INIT, headers: { ...auth, host: 'evil.example:80' } })).status).toBe(403);
    expect((await raw(h.server, { body: INIT, headers: { ...auth, origin: 'https://evil.example' } })).status).toBe(403);
    expect((await raw(h.server, { body: JSON.stringify({ pad: 'x'.repeat(10_000) }), headers: auth })).status).toBe(413);
    // Streaming past the limit without a content-length is refused too.
    expect((await raw(h.server, { body: JSON.stringify({ pad: 'x'.repeat(10_000) }), headers: { ...auth, 'transfer-encoding': 'chunked' } })).status).toBe(413);
    expect((await raw(h.server, { body: INIT, headers: { ...auth, host: `localhost:${h.server.port}` } })).status).toBe(200);
    expect(h.gw.queue.read().entries).toHaveLength(0);
    // A large submission through a real client is refused as well, and nothing is queued.
    const c = await h.connect(h.token('bot'));
    expect((await call(c, 'submit_change_set', { title: 'Big', edits: [{ path: 'src/big.ts', create: 'x'.repeat(10_000) }] })).error).toMatch(/413|too large/i);
    expect(h.gw.queue.read().entries).toHaveLength(0);
    expect(h.gw.core.list()).toHaveLength(0);
  });

  it('per-client rate limit', async () => {
    const h = await harness({ 'src/a.ts': A_TS }, { policy: { ratePerMinute: 5 } });
    const auth = { authorization: `Bearer ${h.token('bot')}` };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await raw(h.server, { body: INIT, headers: auth })).status);
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another client is not limited by the first one's calls.
    expect((await raw(h.server, { body: INIT, headers: { authorization: `Bearer ${h.token('other')}` } })).status).toBe(200);
  });

  it('a replayed idempotency key returns the first result and queues nothing new; a key reused for another request is refused', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot'));
    const args = { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }], idempotencyKey: 'k-1' };
    const first = (await call(c, 'submit_change_set', args)).value;
    const again = (await call(c, 'submit_change_set', args)).value;
    expect(again).toMatchObject({ ticket: first.ticket, proposalId: first.proposalId, replayed: true });
    expect((await call(c, 'submit_change_set', { ...args, title: 'Other' })).error).toMatch(/already used for a different submission/);
    expect(h.gw.core.list()).toHaveLength(1);
    expect(h.gw.queue.read().done).toHaveLength(1);
    // Keys are per client: another client's same key is its own submission.
    const c2 = await h.connect(h.token('bot2'));
    const other = (await call(c2, 'submit_change_set', args)).value;
    expect(other.ticket).not.toBe(first.ticket);
  });

  it('a session belongs to the client that opened it', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const init = await raw(h.server, { body: INIT, headers: { authorization: `Bearer ${h.token('a')}` } });
    expect(init.status).toBe(200);
    const sid = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: h.server.port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${h.token('a')}` } }, (res) => {
        res.resume();
        resolve(String(res.headers['mcp-session-id']));
      });
      req.on('error', reject);
      req.end(INIT);
    });
    const hijack = await raw(h.server, { body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), headers: { authorization: `Bearer ${h.token('b')}`, 'mcp-session-id': sid } });
    expect(hijack.status).toBe(403);
  });
});

describe('gateway queue, policy, plans and metrics', () => {
  it('20 clients submitting at once are queued in priority order, then arrival; nothing is lost', async () => {
    const h = await harness({ 'src/a.ts': A_TS }, { paused: true });
    const prios = ['low', 'urgent', 'normal', 'high'] as const;
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => h.connect(h.token(`agent-${i}`))));
    const results = await Promise.all(clients.map((c, i) => call(c, 'submit_change_set', {
      title: `Change ${i}`, edits: [{ path: `src/new${i}.ts`, create: `export const v${i} = ${i};\n` }], priority: prios[i % 4], wait: 0,
    })));
    expect(results.every((r) => r.value?.state === 'queued')).toBe(true);
    const queued = h.gw.queue.pending();
    expect(queued).toHaveLength(20);
    const order = queued.map((e) => e.priority);
    expect(order).toEqual([...order].sort((a, b) => ['urgent', 'high', 'normal', 'low'].indexOf(a) - ['urgent', 'high', 'normal', 'low'].indexOf(b)));
    for (const p of prios) {
      const seqs = queued.filter((e) => e.priority === p).map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    h.gw.queue.resume();
    for (let i = 0; i < 300 && h.gw.queue.read().entries.length; i++) await new Promise((r) => setTimeout(r, 100));
    const created = h.gw.core.auditEntries().filter((e) => e.action === 'created');
    expect(created).toHaveLength(20);
    const byId = new Map(h.gw.core.list().map((p) => [p.id, p]));
    expect(created.map((e) => byId.get(e.proposalId!)!.priority)).toEqual(order);
    expect(new Set(created.map((e) => e.actor)).size).toBe(20);
  });

  it('the policy auto-approves organize-imports (audited); an agent change set is never auto-approved', async () => {
    const h = await harness({
      'src/a.ts': A_TS,
      'src/b.ts': "import { add } from './a';\nimport { readFileSync } from 'node:fs';\nexport const x = add(1, 2);\n",
    }, { policy: { autoApprove: ['organize-imports'] } });
    const c = await h.connect(h.token('bot'));
    const r = (await call(c, 'propose_refactoring', { refactoring: 'organize-imports', params: { files: ['src/b.ts'] } })).value;
    expect(r).toMatchObject({ state: 'proposed', autoApproved: true });
    expect(h.ws.read('src/b.ts')).not.toContain('readFileSync');
    const audited = h.gw.core.auditEntries({ proposalId: r.proposalId }).find((e) => e.action === 'gateway.auto-approved');
    expect(audited?.details).toMatchObject({ class: 'organize-imports', client: 'bot' });
    const s = (await call(c, 'submit_change_set', { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] })).value;
    expect(s.proposal.status).toBe('pending');
    expect(h.ws.read('src/a.ts')).toBe(A_TS);
  });

  it('a workspace .rusty/gateway.json may auto-approve organize-imports only', async () => {
    const h = await harness({ '.rusty/gateway.json': JSON.stringify({ autoApprove: ['organize-imports', 'rename'] }), 'src/a.ts': A_TS });
    expect(h.gw.policy.autoApprove).toEqual(['organize-imports']);
    expect(h.gw.policy.warnings.join(' ')).toMatch(/rename/);
  });

  it('a plan of 3 dependent steps runs in order as each is approved', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot'));
    const created = (await call(c, 'plan_task', {
      title: 'Three steps', steps: [
        { id: 'create', title: 'Create util', edits: [{ path: 'src/util.ts', create: 'export const one = 1;\n' }] },
        { id: 'extend', title: 'Extend util', dependsOn: ['create'], edits: [{ path: 'src/util.ts', search: 'export const one = 1;\n', replace: 'export const one = 1;\nexport const two = 2;\n' }] },
        { id: 'use', title: 'Use util', dependsOn: ['extend'], edits: [{ path: 'src/a.ts', search: 'return a + b;', replace: 'return a + b + 0;' }] },
      ],
    })).value;
    expect(['queued', 'awaiting-approval']).toContain(created.steps[0].state);
    expect(created.steps.slice(1).map((s: { state: string }) => s.state)).toEqual(['blocked', 'blocked']);
    const person = h.ws.core({ actor: 'cli' });
    const progress = async (want: (steps: { id: string; state: string; proposalId?: string }[]) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const p = (await call(c, 'plan_task', { planId: created.id })).value;
        if (want(p.steps)) return p;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('plan did not advance');
    };
    for (const i of [0, 1, 2]) {
      const p = await progress((s) => s[i]!.state === 'awaiting-approval');
      expect(p.steps.slice(i + 1).every((s: { state: string }) => s.state === 'blocked')).toBe(true);
      await person.approve(p.steps[i].proposalId);
    }
    const done = await progress((s) => s.every((x) => x.state === 'applied'));
    expect(done).toMatchObject({ done: 3, total: 3, complete: true });
    expect(h.ws.read('src/util.ts')).toBe('export const one = 1;\nexport const two = 2;\n');
    expect(h.ws.read('src/a.ts')).toContain('a + b + 0');
    // Invalid plans are refused with the reason.
    expect((await call(c, 'plan_task', { title: 'Cycle', steps: [{ id: 'a', title: 'a', dependsOn: ['b'] }, { id: 'b', title: 'b', dependsOn: ['a'] }] })).error).toMatch(/cycle/);
    expect((await call(c, 'plan_task', { title: 'Dangling', steps: [{ id: 'a', title: 'a', dependsOn: ['zz'] }] })).error).toMatch(/not a step/);
    expect((await call(c, 'plan_task', { planId: 'plan-none' })).error).toMatch(/No plan/);
  });

  it('a plan step without edits is offered to the agent, which submits it when ready', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await h.connect(h.token('bot'));
    const plan = (await call(c, 'plan_task', { title: 'Agent steps', steps: [{ id: 'one', title: 'One' }, { id: 'two', title: 'Two', dependsOn: ['one'] }] })).value;
    expect(plan.steps.map((s: { state: string }) => s.state)).toEqual(['ready', 'blocked']);
    const early = await call(c, 'submit_change_set', { title: 'Two', edits: [{ path: 'src/two.ts', create: '2' }], plan: { id: plan.id, step: 'two' } });
    expect(early.error).toMatch(/blocked/);
    const one = (await call(c, 'submit_change_set', { title: 'One', edits: [{ path: 'src/one.ts', create: '1' }], plan: { id: plan.id, step: 'one' } })).value;
    expect(one.state).toBe('proposed');
    const p = (await call(c, 'plan_task', { planId: plan.id })).value;
    expect(p.steps[0]).toMatchObject({ state: 'awaiting-approval', proposalId: one.proposalId });
  });

  it('/metrics: Prometheus text with proposals by status and source, decisions and calls by tool, client and outcome', async () => {
    const h = await harness({ 'src/a.ts': A_TS });
    const token = h.token('bot');
    const c = await h.connect(token);
    const r = (await call(c, 'submit_change_set', { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] })).value;
    await h.ws.core({ actor: 'cli' }).reject(r.proposalId, 'no');
    await call(c, 'ping', { bad: 1 });
    const m = await raw(h.server, { path: '/metrics', method: 'GET', headers: { authorization: `Bearer ${token}` } });
    expect(m.status).toBe(200);
    expect(m.body).toContain('rusty_proposals{status="rejected",source="agent:bot"} 1');
    expect(m.body).toContain('rusty_proposal_decision_seconds_count{decision="rejected"} 1');
    expect(m.body).toMatch(/rusty_gateway_calls_total\{tool="submit_change_set",client="bot",outcome="ok"\} 1/);
    expect(m.body).toContain('rusty_gateway_calls_total{tool="ping",client="bot",outcome="invalid"} 1');
    expect(m.body).toMatch(/# TYPE rusty_ai_tokens_total counter/);
    for (const line of m.body.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [0-9.e+-]+)$/);
  });
});

describe('in-process client (VS Code language-model tools)', () => {
  it('calls the same tools over the SDK in-memory transport, audited as its client', async () => {
    const { connectInProcess } = await import('./inProcess');
    const h = await harness({ 'src/a.ts': A_TS });
    const c = await connectInProcess(h.gw, { name: 'vscode-lm', scope: 'propose' });
    open.push(c);
    const r = await c.call('submit_change_set', { title: 'Sub', edits: [{ path: 'src/a.ts', search: 'a + b', replace: 'a - b' }] });
    expect(r).toMatchObject({ ok: true, value: { state: 'proposed', proposal: { source: 'agent:vscode-lm' } } });
    expect(await c.call('get_proposal', { id: 42 })).toMatchObject({ ok: false });
    expect(h.ws.read('src/a.ts')).toBe(A_TS);
    expect(h.gw.core.auditEntries().filter((e) => e.action === 'gateway.call').map((e) => e.actor)).toEqual(['agent:vscode-lm', 'agent:vscode-lm']);
  });
});
