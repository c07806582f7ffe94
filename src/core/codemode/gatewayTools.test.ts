// execute_code, search_tools and get_tool_docs on the agent gateway: a real MCP SDK client over
// Streamable HTTP, the real core on a temp workspace, server-memory from node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { Gateway } from '../gateway/gateway';
import { startHttpGateway } from '../gateway/transports';
import { McpService } from '../mcp/service';
import { codeModeGatewayTools } from './gatewayTools';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = (name: string) => path.join(ROOT, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');

let open: { close(): Promise<void> }[] = [];
let workspaces: TempWorkspace[] = [];
afterEach(async () => {
  for (const o of open.reverse()) await o.close().catch(() => {});
  open = [];
  for (const w of workspaces) w.cleanup();
  workspaces = [];
});

async function harness(files: Record<string, string>, withMcp = false) {
  const ws = tempWorkspace(files);
  workspaces.push(ws);
  const core = ws.core({ actor: 'gateway' });
  let opened = 0;
  const tools = codeModeGatewayTools({
    limits: { timeoutMs: 20_000 },
    ...(withMcp ? {
      openMcp: async () => {
        opened++;
        return McpService.create({
          workspace: ws.root, stateDir: core.stateDir, env: process.env, actor: 'gateway', home: ws.stateRoot,
          settings: { importFrom: [], servers: { memory: { type: 'stdio', command: process.execPath, args: [pkg('server-memory')], env: { MEMORY_FILE_PATH: path.join(ws.stateRoot, 'memory.json') } } } },
          client: { pingIntervalMs: 60_000 },
        });
      },
    } : {}),
  });
  const gw = new Gateway({ core, version: 'test', extraTools: [tools.provider] });
  gw.start();
  const server = await startHttpGateway(gw, { port: 0 });
  open.push({ close: () => tools.dispose() }, { close: () => gw.close() }, server);
  const connect = async (name: string, scope: 'propose' | 'read-only' = 'propose') => {
    const token = gw.clients.add(name, scope).token;
    const c = new Client({ name: 'test-agent', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    open.push(c);
    return c;
  };
  return { ws, core, gw, connect, opened: () => opened };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool results are JSON the assertions walk
async function call(c: Client, name: string, args: Record<string, unknown>): Promise<{ error?: string; value?: any }> {
  const r = await c.callTool({ name, arguments: args }) as { isError?: boolean; content: { text: string }[] };
  const t = r.content[0]?.text ?? '';
  return r.isError ? { error: t } : { value: JSON.parse(t) };
}

describe('execute_code on the gateway', () => {
  it('queues the script\'s writes as one proposal from agent:<client>, prints its output and writes nothing', async () => {
    const h = await harness({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
    const c = await h.connect('claude');
    const r = await call(c, 'execute_code', {
      title: 'Bump constants',
      code: `const files = await workspace.list({ prefix: 'src' });
for (const f of files) { const t = await workspace.read(f); await workspace.write(f, t!.replace(/= (\\d)/, (_m, d) => '= ' + (Number(d) + 10))); }
await workspace.write('src/new.ts', 'export {};\\n');
console.log('changed', files.length);`,
    });
    expect(r.error).toBeUndefined();
    expect(r.value.ok).toBe(true);
    expect(r.value.output).toBe('changed 2\n');
    expect(r.value.state).toBe('proposed');
    expect(r.value.files.sort()).toEqual(['src/a.ts', 'src/b.ts', 'src/new.ts']);
    const p = h.core.get(r.value.proposalId);
    expect(p.status).toBe('pending');
    expect(p.source).toBe('agent:claude');
    expect(p.title).toBe('Bump constants');
    expect(h.core.list()).toHaveLength(1);
    // Nothing on disk changed.
    expect(fs.readFileSync(path.join(h.ws.root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(fs.existsSync(path.join(h.ws.root, 'src/new.ts'))).toBe(false);
    const audit = h.core.auditEntries().filter((e) => e.action === 'gateway.call' && (e.details as { tool?: string }).tool === 'execute_code');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('agent:claude');
    expect((audit[0]!.details as { proposalId?: string }).proposalId).toBe(p.id);
  }, 60_000);

  it('refuses a read-only client', async () => {
    const h = await harness({ 'a.txt': 'x\n' });
    const c = await h.connect('viewer', 'read-only');
    const r = await call(c, 'execute_code', { code: `await workspace.write('a.txt', 'y\\n');` });
    expect(r.error).toMatch(/^refused: .*read-only scope; execute_code needs the propose scope/);
    expect(h.core.list()).toHaveLength(0);
    expect(fs.readFileSync(path.join(h.ws.root, 'a.txt'), 'utf8')).toBe('x\n');
  }, 60_000);

  it('a throwing script: its error and output come back, nothing is proposed', async () => {
    const h = await harness({ 'a.txt': 'x\n' });
    const c = await h.connect('cline');
    const r = await call(c, 'execute_code', { code: `console.log('before'); await workspace.write('a.txt', 'y\\n'); throw new Error('boom at step 2');` });
    expect(r.value.ok).toBe(false);
    expect(r.value.output).toBe('before\n');
    expect(r.value.error).toMatch(/boom at step 2/);
    expect(r.value.proposal).toMatch(/nothing was proposed/);
    expect(r.value.proposalId).toBeUndefined();
    expect(h.core.list()).toHaveLength(0);
    expect(h.gw.queue.read().entries).toHaveLength(0);
  }, 60_000);

  it('a script that only reads proposes nothing', async () => {
    const h = await harness({ 'a.txt': 'hello\n' });
    const c = await h.connect('cline');
    const r = await call(c, 'execute_code', { code: `console.log((await workspace.read('a.txt'))!.trim());` });
    expect(r.value).toMatchObject({ ok: true, output: 'hello\n' });
    expect(h.core.list()).toHaveLength(0);
  }, 60_000);
});

describe('search_tools and get_tool_docs on the gateway', () => {
  it('start the workspace\'s MCP servers on first use and find server-memory\'s tools; scripts call them', async () => {
    const h = await harness({ 'a.txt': 'x\n' }, true);
    const viewer = await h.connect('viewer', 'read-only');
    expect(h.opened()).toBe(0);
    const s = await call(viewer, 'search_tools', { query: 'create entities knowledge graph' });
    expect(s.error).toBeUndefined();
    expect(s.value.hits.some((t: { server: string; name: string }) => t.server === 'memory' && t.name === 'create_entities')).toBe(true);
    const d = await call(viewer, 'get_tool_docs', { server: 'memory', tool: 'create_entities' });
    expect(d.value.name).toBe('create_entities');
    expect(d.value.inputSchema.properties.entities).toBeDefined();
    const missing = await call(viewer, 'get_tool_docs', { server: 'memory', tool: 'nope' });
    expect(missing.error).toMatch(/^not-found: No tool "nope" on server "memory"/);
    expect(h.opened()).toBe(1);
    const agent = await h.connect('claude');
    const r = await call(agent, 'execute_code', { code: `const hits = await search_tools('read graph'); console.log(hits.some((h) => h.name === 'read_graph'));` });
    expect(r.value).toMatchObject({ ok: true, output: 'true\n' });
    expect(h.opened()).toBe(1);
  }, 90_000);

  it('without MCP servers: a clear error', async () => {
    const h = await harness({ 'a.txt': 'x\n' });
    const c = await h.connect('viewer', 'read-only');
    const r = await call(c, 'search_tools', { query: 'x' });
    expect(r.error).toMatch(/^usage: No MCP servers are available to the gateway/);
  }, 60_000);
});
