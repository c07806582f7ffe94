// McpService against real servers from node_modules: config → manager → gate → audit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry } from '../audit';
import { McpService, type McpServiceOptions } from './service';
import { McpError, type AskAnswer, type AskRequest, type McpChangeEvent } from './types';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EVERYTHING = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const MEMORY = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  workspace: string;
  stateDir: string;
  tmp: string;
}

function setup(policy?: unknown): Setup {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mcp-service-')));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const workspace = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(workspace, '.rusty'), { recursive: true });
  if (policy !== undefined) fs.writeFileSync(path.join(workspace, '.rusty', 'policy.json'), JSON.stringify(policy));
  return { workspace, stateDir: path.join(tmp, 'state'), tmp };
}

const everything = { type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] };

async function open(s: Setup, servers: Record<string, unknown>, extra: Partial<McpServiceOptions> = {}): Promise<McpService> {
  const service = await McpService.create({
    workspace: s.workspace, stateDir: s.stateDir, env: process.env, actor: 'test', home: s.tmp,
    settings: { servers, importFrom: [] }, client: { pingIntervalMs: 60_000 }, ...extra,
  });
  cleanups.push(() => service.dispose().catch(() => undefined));
  return service;
}

function auditOf(s: Setup, action?: string): AuditEntry[] {
  const log = new AuditLog(path.join(s.stateDir, 'audit.jsonl'));
  return log.read(action ? { action } : {});
}

async function rejection(p: Promise<unknown>): Promise<McpError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(McpError);
    return err as McpError;
  }
  throw new Error('expected the call to be rejected');
}

/** An "ask" prompt that answers from a script and remembers what it was asked. */
function scriptedAsk(...answers: (AskAnswer | undefined)[]) {
  const asked: AskRequest[] = [];
  return {
    asked,
    prompt: { ask: async (req: AskRequest) => { asked.push(req); return answers.shift(); } },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('McpService calls through the gate (server-everything over stdio)', () => {
  it('allows echo by a policy rule, starts the server lazily, and audits decision and call with secrets redacted', async () => {
    const s = setup({ rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }] });
    const service = await open(s, { everything });
    const events: McpChangeEvent[] = [];
    service.onDidChange((e) => events.push(e));
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const result = await service.callTool('everything', 'echo', { message: `hi ${token}`, apiKey: 'sk-proj-abcdefghijklmnop1234567890' });
    expect(result.isError).toBe(false);
    expect(JSON.stringify(result.content)).toContain(`Echo: hi ${token}`);
    expect(service.servers().find((x) => x.name === 'everything')?.status).toBe('connected');
    expect(events.some((e) => e.server === 'everything')).toBe(true);

    await service.flushAudit();
    const [decision] = auditOf(s, 'mcp.decision');
    const [call] = auditOf(s, 'mcp.call');
    expect(decision?.details).toMatchObject({ server: 'everything', tool: 'echo', decision: 'allow', source: 'policy', rule: { server: 'everything', tool: 'echo', decision: 'allow', origin: 'workspace' } });
    expect(call?.details).toMatchObject({ server: 'everything', tool: 'echo', outcome: 'ok', decision: 'allow', attempts: 1, resultBytes: result.bytes });
    expect(call?.details.args).toEqual({ message: 'hi [REDACTED]', apiKey: '[REDACTED]' });
    expect(call?.details.argBytes).toBe(Buffer.byteLength(JSON.stringify({ message: `hi ${token}`, apiKey: 'sk-proj-abcdefghijklmnop1234567890' })));
    expect(typeof call?.details.durationMs).toBe('number');
    const text = fs.readFileSync(path.join(s.stateDir, 'audit.jsonl'), 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain('sk-proj-abcdefghijklmnop');
    expect(new AuditLog(path.join(s.stateDir, 'audit.jsonl')).verify().ok).toBe(true);
  });

  it('returns invalid arguments to the caller with the schema messages, unknown tools with close names, unknown servers with the configured ones', async () => {
    const s = setup({ rules: [{ server: 'everything', tool: '*', decision: 'allow' }] });
    const service = await open(s, { everything });
    const invalid = await rejection(service.callTool('everything', 'echo', { message: 5 }));
    expect(invalid.kind).toBe('invalid-params');
    expect(invalid.message).toMatch(/Invalid arguments for echo on everything: .*message.*string/);
    const missing = await rejection(service.callTool('everything', 'echo', {}));
    expect(missing.message).toMatch(/message/);
    const typo = await rejection(service.callTool('everything', 'ecoh', { message: 'x' }));
    expect(typo.kind).toBe('unknown-tool');
    expect(typo.message).toContain('"echo"');
    const server = await rejection(service.callTool('nope', 'echo', { message: 'x' }));
    expect(server.kind).toBe('unknown-server');
    expect(server.message).toContain('Configured servers: everything');
    await service.flushAudit();
    // Nothing reached the gate or the server.
    expect(auditOf(s, 'mcp.call')).toEqual([]);
  });

  it('refuses "ask" without a prompt, saying exactly which rule to add, and audits the refusal', async () => {
    const s = setup({});
    const service = await open(s, { everything });
    const err = await rejection(service.callTool('everything', 'echo', { message: 'hi' }));
    expect(err.kind).toBe('ask-refused');
    expect(err.message).toContain('{"server":"everything","tool":"echo","decision":"allow"}');
    expect(err.message).toContain(path.join(s.workspace, '.rusty', 'policy.json'));
    await service.flushAudit();
    expect(auditOf(s, 'mcp.decision').map((e) => e.details)).toMatchObject([{ decision: 'ask', source: 'no-prompt', tool: 'echo' }]);
    expect(auditOf(s, 'mcp.call')).toEqual([]);
  });

  it('a timed grant allows until it expires, then asks again; a revoked grant asks again', async () => {
    const s = setup({});
    let now = Date.parse('2030-01-01T00:00:00Z');
    const ask = scriptedAsk({ kind: 'minutes', minutes: 5 }, { kind: 'session' }, { kind: 'deny' });
    const service = await open(s, { everything }, { ask: ask.prompt, now: () => new Date(now) });

    await service.callTool('everything', 'echo', { message: 'one' });
    expect(ask.asked).toHaveLength(1);
    expect(ask.asked[0]).toMatchObject({ server: 'everything', tool: 'echo', args: { message: 'one' } });
    const [timed] = service.grants();
    expect(timed).toMatchObject({ server: 'everything', tool: 'echo', scope: 'timed', expiresAt: '2030-01-01T00:05:00.000Z' });

    now += 4 * 60_000;
    await service.callTool('everything', 'echo', { message: 'two' });
    expect(ask.asked).toHaveLength(1);

    now += 2 * 60_000; // past the 5 minutes
    await service.callTool('everything', 'echo', { message: 'three' });
    expect(ask.asked).toHaveLength(2); // asked again, answered "session"
    const session = service.grants().find((g) => g.scope === 'session')!;
    expect(session).toBeDefined();
    await service.callTool('everything', 'echo', { message: 'four' });
    expect(ask.asked).toHaveLength(2);

    expect(await service.revokeGrant(session.id)).toBe(true);
    expect(await service.revokeGrant(session.id)).toBe(false);
    const denied = await rejection(service.callTool('everything', 'echo', { message: 'five' }));
    expect(ask.asked).toHaveLength(3); // asked again after the revoke, answered "deny"
    expect(denied.kind).toBe('denied');

    await service.flushAudit();
    expect(auditOf(s, 'mcp.grant').map((e) => (e.details.grant as { scope: string }).scope)).toEqual(['timed', 'session']);
    expect(auditOf(s, 'mcp.revoke').map((e) => e.details)).toMatchObject([{ grantId: session.id, found: true, tool: 'echo' }, { grantId: session.id, found: false }]);
    expect(auditOf(s, 'mcp.call').map((e) => e.details.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(auditOf(s, 'mcp.decision').map((e) => `${e.details.source}:${e.details.decision}`))
      .toEqual(['user:allow', 'policy:allow', 'user:allow', 'policy:allow', 'user:deny']);
  });

  it('treats a dismissed or failing prompt as deny', async () => {
    const s = setup({});
    const service = await open(s, { everything }, { ask: { ask: async () => { throw new Error('window closed'); } } });
    const failed = await rejection(service.callTool('everything', 'echo', { message: 'x' }));
    expect(failed.kind).toBe('denied');
    expect(failed.message).toContain('window closed');
    const s2 = setup({});
    const dismissed = await open(s2, { everything }, { ask: scriptedAsk(undefined).prompt });
    expect((await rejection(dismissed.callTool('everything', 'echo', { message: 'x' }))).kind).toBe('denied');
    expect(dismissed.grants()).toEqual([]);
  });

  it('reports config errors without failing, starts the valid servers, and leaves no process after dispose', async () => {
    const s = setup({ rules: [{ server: '*', tool: 'echo', decision: 'allow' }] });
    const service = await open(s, { everything, broken: { type: 'stdio', args: ['x'] } });
    expect(service.configErrors().some((e) => e.server === 'broken')).toBe(true);
    const err = await rejection(service.callTool('broken', 'echo', { message: 'x' }));
    expect(err.kind).toBe('config');
    expect(err.message).toMatch(/broken/);
    await service.start();
    const state = service.servers().find((x) => x.name === 'everything')!;
    expect(state.status).toBe('connected');
    expect(service.tools('everything').some((t) => t.name === 'echo')).toBe(true);
    expect(service.searchTools('echo back a message', { limit: 3 })[0]).toMatchObject({ server: 'everything', name: 'echo' });
    const pid = state.pid!;
    expect(isAlive(pid)).toBe(true);
    await service.dispose();
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });
});

describe('McpService deny rules (server-memory)', () => {
  it('denies before the tool runs: nothing is written, the decision is audited, the message names the rule and how to change it', async () => {
    const s = setup({ rules: [{ server: 'memory', tool: 'create_*', decision: 'deny' }, { server: 'memory', tool: 'read_graph', decision: 'allow' }] });
    const memoryFile = path.join(s.tmp, 'memory.jsonl');
    const service = await open(s, { memory: { type: 'stdio', command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: memoryFile } } });
    const err = await rejection(service.callTool('memory', 'create_entities', { entities: [{ name: 'a', entityType: 'b', observations: [] }] }));
    expect(err.kind).toBe('denied');
    expect(err.message).toContain('create_*');
    expect(err.message).toContain(path.join(s.workspace, '.rusty', 'policy.json'));
    expect(err.message).toContain('{"server":"memory","tool":"create_entities","decision":"allow"}');
    const graph = await service.callTool('memory', 'read_graph', {});
    expect(graph.isError).toBe(false);
    expect(fs.existsSync(memoryFile)).toBe(false);
    await service.flushAudit();
    expect(auditOf(s, 'mcp.decision').map((e) => [e.details.tool, e.details.decision])).toEqual([['create_entities', 'deny'], ['read_graph', 'allow']]);
    expect(auditOf(s, 'mcp.call').map((e) => e.details.tool)).toEqual(['read_graph']);
  });
});
