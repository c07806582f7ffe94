// Scripts calling real MCP servers (server-everything, server-filesystem, server-memory from
// node_modules) through McpService (gate + audit); writes arrive as one proposal in RustyCore.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpService } from '../mcp/service';
import { AuditLog } from '../audit';
import { createEngineContext } from '../engine/context';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import type { RustyCore } from '../rustyCore';
import { runCode, type CodeRunOptions } from './sandbox/runner';
import { MemoryScratchStore } from './state';
import { runMetrics } from './metrics';
import { wrapperModules } from './codegen/generate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = (name: string) => path.join(ROOT, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');

let ws: TempWorkspace;
let core: RustyCore;
let service: McpService;
let stateDir: string;

beforeAll(async () => {
  ws = tempWorkspace({
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 2; // TODO: rename\n',
    'docs/readme.md': '# Docs\n',
    'data/one.txt': 'first file\n',
    'data/two.txt': 'second file with a match\n',
  });
  stateDir = path.join(ws.stateRoot, 'mcp-state');
  fs.mkdirSync(path.join(ws.root, '.rusty'), { recursive: true });
  fs.writeFileSync(path.join(ws.root, '.rusty', 'policy.json'), JSON.stringify({
    trustedServers: ['fs', 'everything'],
    rules: [{ server: 'memory', tool: '*', decision: 'allow' }, { server: 'everything', tool: '*', decision: 'allow' }],
  }));
  core = ws.core();
  service = await McpService.create({
    workspace: ws.root, stateDir, env: { ...process.env, MEMORY_FILE_PATH: path.join(ws.stateRoot, 'memory.json') }, actor: 'test', home: ws.stateRoot,
    settings: {
      importFrom: [],
      servers: {
        fs: { type: 'stdio', command: process.execPath, args: [pkg('server-filesystem'), path.join(ws.root, 'data')] },
        memory: { type: 'stdio', command: process.execPath, args: [pkg('server-memory')], env: { MEMORY_FILE_PATH: path.join(ws.stateRoot, 'memory.json') } },
        everything: { type: 'stdio', command: process.execPath, args: [pkg('server-everything'), 'stdio'] },
      },
    },
    client: { pingIntervalMs: 60_000 },
  });
  await service.start();
});

afterAll(async () => {
  await service?.dispose();
  ws?.cleanup();
});

function options(extra: Partial<CodeRunOptions> = {}): CodeRunOptions {
  return {
    ctx: createEngineContext(core.wfs),
    mcp: service,
    state: new MemoryScratchStore(),
    limits: { timeoutMs: 20_000 },
    submit: async (cs) => {
      const { proposal, existing } = await core.submit(cs, { actor: 'codemode:test' });
      return { id: proposal.id, existing };
    },
    ...extra,
  };
}

describe('scripts over real MCP servers', () => {
  it('calls server-everything, server-filesystem and server-memory and prints only what it chooses', async () => {
    const r = await runCode(`
      const echo = await callTool('everything', 'echo', { message: 'hi there' });
      const sum = await callTool('everything', 'get-sum', { a: 2, b: 40 });
      const files = await callTool('fs', 'list_directory', { path: ${JSON.stringify(path.join(ws.root, 'data'))} });
      const two = await callTool('fs', 'read_text_file', { path: ${JSON.stringify(path.join(ws.root, 'data', 'two.txt'))} });
      await callTool('memory', 'create_entities', { entities: [{ name: 'two.txt', entityType: 'file', observations: ['has a match'] }] });
      const graph = await callTool('memory', 'read_graph', {});
      console.log(JSON.stringify({ echo, sum, files: String(files.content ?? files).split('\\n').length, match: String(two.content ?? two).includes('match'), entities: graph.entities.map((e) => e.name) }));
    `, options());
    expect(r.error).toBeUndefined();
    const printed = JSON.parse(r.output) as Record<string, unknown>;
    expect(printed.echo).toMatch(/hi there/);
    expect(String(printed.sum)).toMatch(/42/);
    expect(printed.files).toBe(2);
    expect(printed.match).toBe(true);
    expect(printed.entities).toEqual(['two.txt']);
    expect(r.toolCalls.map((c) => `${c.server}/${c.tool}`)).toEqual(['everything/echo', 'everything/get-sum', 'fs/list_directory', 'fs/read_text_file', 'memory/create_entities', 'memory/read_graph']);
    // Every call passed the gate and is in the audit log.
    await service.flushAudit();
    const calls = new AuditLog(path.join(stateDir, 'audit.jsonl')).read({ action: 'mcp.call' });
    expect(calls.length).toBeGreaterThanOrEqual(6);
    // Token metrics: code mode carries the script and its output, not schemas and results.
    const m = await runMetrics('t.ts', 'x', r, service.tools());
    expect(m.directTokens).toBeGreaterThan(m.codeModeTokens);
  });

  it("a script's writes arrive as one proposal with the right diff; nothing is written", async () => {
    const before = ws.snapshot();
    const r = await runCode(`
      const hits = await workspace.search('TODO', { glob: 'src/**/*.ts' });
      for (const h of hits) {
        const text = await workspace.read(h.path);
        await workspace.write(h.path, text.replace('// TODO: rename', '// renamed'));
      }
      await workspace.write('src/new.ts', 'export const n = 3;\\n');
      await workspace.rename('docs/readme.md', 'docs/intro.md');
      await workspace.delete('src/a.ts');
      console.log(hits.length, (await workspace.list({ prefix: 'src' })).join(','));
    `, options());
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('1 src/b.ts,src/new.ts\n');
    expect(ws.snapshot()).toEqual(before);
    expect(r.proposal).toBeDefined();
    const p = core.list().find((x) => x.id === r.proposal!.id)!;
    expect(p.source).toBe('codemode');
    expect(p.files.map((f) => `${f.kind}:${f.path}${f.to ? `>${f.to}` : ''}`).sort()).toEqual(['create:src/new.ts', 'delete:src/a.ts', 'modify:src/b.ts', 'rename:docs/readme.md>docs/intro.md']);
    const b = r.changeSet!.edits.find((e) => e.path === 'src/b.ts');
    expect(b).toMatchObject({ kind: 'modify', baseHash: ws.hash('src/b.ts'), content: 'export const b = 2; // renamed\n' });
    // Approving it writes exactly that.
    await core.approve(p.id);
    expect(ws.read('src/b.ts')).toBe('export const b = 2; // renamed\n');
    expect(ws.exists('src/a.ts')).toBe(false);
    expect(ws.read('docs/intro.md')).toBe('# Docs\n');
  });

  it('a script that throws half way leaves no proposal', async () => {
    const count = core.list().length;
    const r = await runCode(`
      await workspace.write('src/half.ts', 'export {};\\n');
      await callTool('memory', 'create_entities', { entities: [{ name: 'half', entityType: 'x', observations: [] }] });
      throw new Error('changed my mind');
    `, options());
    expect(r.ok).toBe(false);
    expect(r.error).toEqual({ kind: 'script', message: 'Error: changed my mind' });
    expect(r.proposal).toBeUndefined();
    expect(core.list().length).toBe(count);
    expect(ws.exists('src/half.ts')).toBe(false);
  });

  it('a denied tool is a catchable error in the script', async () => {
    const r = await runCode(`
      try { await callTool('fs', 'write_file', { path: ${JSON.stringify(path.join(ws.root, 'data', 'x.txt'))}, content: 'x' }); }
      catch (e) { console.log('refused:', e.message.includes('needs permission')); }
    `, options());
    expect(r.output).toBe('refused: true\n');
    expect(fs.existsSync(path.join(ws.root, 'data', 'x.txt'))).toBe(false);
  });

  it('read-only results are cached within a run (trusted server, readOnlyHint)', async () => {
    expect(service.isReadOnly('fs', 'read_text_file')).toBe(true);
    expect(service.isReadOnly('memory', 'read_graph')).toBe(false);
    const file = JSON.stringify(path.join(ws.root, 'data', 'one.txt'));
    const r = await runCode(`
      for (let i = 0; i < 5; i++) await callTool('fs', 'read_text_file', { path: ${file} });
      await callTool('fs', 'read_text_file', { head: 1, path: ${file} });
      await callTool('fs', 'read_text_file', { path: ${file}, head: 1 });
    `, options());
    expect(r.error).toBeUndefined();
    expect(r.cache).toEqual({ hits: 5, misses: 2 });
    expect(r.toolCalls.filter((c) => c.cached).length).toBe(5);
  });

  it('scripts can import the generated wrappers (servers/<server>)', async () => {
    const r = await runCode(`
      import { createEntities, openNodes } from 'servers/memory';
      import * as fs from 'servers/fs';
      await createEntities({ entities: [{ name: 'wrapped', entityType: 'test', observations: ['via wrapper'] }] });
      const found = await openNodes({ names: ['wrapped'] });
      const one = await fs.readTextFile({ path: ${JSON.stringify(path.join(ws.root, 'data', 'one.txt'))} });
      console.log(found.entities[0].observations[0], one.content.trim());
    `, options({ modules: wrapperModules(service.tools()) }));
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('via wrapper first file\n');
    expect(r.toolCalls.map((c) => c.tool)).toEqual(['create_entities', 'open_nodes', 'read_text_file']);
  });

  it('progressive discovery: search_tools, get_tool_docs, list_categories', async () => {
    const r = await runCode(`
      const hits = await search_tools('read file', 'name');
      const docs = await get_tool_docs('memory', 'create_entities');
      const cats = await list_categories();
      console.log(JSON.stringify({ top: hits.slice(0, 3).map((h) => h.server + '/' + h.name), keys: Object.keys(hits[0]).sort(), docs: [docs.name, typeof docs.inputSchema, docs.description.length > 10], cats: cats.map((c) => c.category) }));
    `, options());
    expect(r.error).toBeUndefined();
    const out = JSON.parse(r.output) as { top: string[]; keys: string[]; docs: unknown[]; cats: string[] };
    expect(out.top).toContain('fs/read_text_file');
    expect(out.keys).toEqual(['category', 'name', 'score', 'server']);
    expect(out.docs).toEqual(['create_entities', 'object', true]);
    expect(out.cats).toEqual(expect.arrayContaining(['read', 'write', 'delete']));
  });
});
