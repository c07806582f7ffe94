// execute_code from the extension's own bundle (dist/gateway.js, run `npm run build` first): the
// sandbox worker and the QuickJS binary are found next to it (dist/codemodeWorker.mjs, dist/quickjs.wasm),
// as in the VSIX, where neither src/ nor dist/cli/ exists. A real MCP SDK client over Streamable HTTP,
// a real core on a temp workspace, server-memory from node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tempWorkspace, type TempWorkspace } from '../../core/testing/tempWorkspace';
import { McpService } from '../../core/mcp/service';
import type * as GatewayEngineModule from './gatewayEngine';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');
const memoryServer = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

let open: { close(): Promise<void> }[] = [];
let ws: TempWorkspace | undefined;
afterEach(async () => {
  for (const o of open.reverse()) await o.close().catch(() => {});
  open = [];
  ws?.cleanup();
  ws = undefined;
});

describe('execute_code from the built extension bundle', () => {
  it('dist/ has a one-file worker (no chunk imports) and the QuickJS binary', () => {
    const worker = fs.readFileSync(path.join(DIST, 'codemodeWorker.mjs'), 'utf8');
    expect(worker.match(/from\s*["']\.{1,2}\//g) ?? []).toEqual([]);
    expect(worker.match(/import\(["']\.{1,2}\//g) ?? []).toEqual([]);
    const wasm = fs.readFileSync(path.join(DIST, 'quickjs.wasm'));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d])); // "\0asm"
  });

  it('a script reads a file and calls an MCP tool (result returned); its write becomes a pending proposal, not a write', async () => {
    const engine = createRequire(path.join(DIST, 'package.json'))(path.join(DIST, 'gateway.js')) as typeof GatewayEngineModule;
    ws = tempWorkspace({
      'src/a.ts': 'export const a = 1;\n',
      // The gateway cannot ask a person: the tool the script calls is allowed by the workspace's rule.
      '.rusty/policy.json': JSON.stringify({ rules: [{ server: 'memory', tool: 'read_graph', decision: 'allow' }] }),
    });
    const w = ws;
    const core = w.core({ actor: 'gateway' });
    const code = engine.codeModeGatewayTools({
      limits: { timeoutMs: 30_000 },
      openMcp: async () => McpService.create({
        workspace: w.root, stateDir: core.stateDir, env: process.env, actor: 'gateway', home: w.stateRoot,
        settings: { importFrom: [], servers: { memory: { type: 'stdio', command: process.execPath, args: [memoryServer], env: { MEMORY_FILE_PATH: path.join(w.stateRoot, 'memory.json') } } } },
        client: { pingIntervalMs: 60_000 },
      }),
    });
    const gw = new engine.Gateway({ core, version: 'test', extraTools: [code.provider] });
    gw.start();
    const server = await engine.startHttpGateway(gw, { port: 0 });
    open.push({ close: () => code.dispose() }, { close: () => gw.close() }, server);
    const c = new Client({ name: 'bundle-test', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${gw.clients.add('coder', 'propose').token}` } } }));
    open.push(c);
    const run = async (args: Record<string, unknown>) => {
      const r = await c.callTool({ name: 'execute_code', arguments: args }) as { isError?: boolean; content: { text: string }[] };
      expect(r.isError, r.content[0]?.text).toBeFalsy();
      return JSON.parse(r.content[0]!.text) as { ok: boolean; output: string; error?: string; state?: string; files?: string[]; proposalId?: string; proposal?: string | { source: string; status: string } };
    };

    const read = await run({ code: `const t = await workspace.read('src/a.ts'); const g = await callTool('memory', 'read_graph', {}); console.log(t!.trim(), JSON.stringify(g).includes('entities'));` });
    expect(read, JSON.stringify(read)).toMatchObject({ ok: true, output: 'export const a = 1; true\n', proposal: 'the script wrote nothing; nothing was proposed' });
    expect(core.list()).toHaveLength(0);

    const write = await run({ title: 'Bump a', code: `await workspace.write('src/a.ts', 'export const a = 2;\\n'); console.log('done');` });
    expect(write).toMatchObject({ ok: true, output: 'done\n', state: 'proposed', files: ['src/a.ts'], proposal: { source: 'agent:coder', status: 'pending' } });
    expect(w.read('src/a.ts')).toBe('export const a = 1;\n');
    expect(core.get(write.proposalId!).files.map((f) => f.path)).toEqual(['src/a.ts']);
  }, 180_000);
});
