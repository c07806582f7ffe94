// Wrappers for the three real servers: golden files, the TypeScript compiles (bundled tsc, strict),
// the Python imports (python3), and a script in the sandbox can use them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpService } from '../../mcp/service';
import type { McpToolInfo } from '../../mcp/types';
import { generate, watchCodegen, writeGenerated } from './generate';
import { tsType } from './schema';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const GOLDEN = path.join(__dirname, 'golden');
const pkg = (name: string) => path.join(ROOT, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');

let tmp: string;
let service: McpService;
let tools: McpToolInfo[];

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-codegen-')));
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(ws);
  service = await McpService.create({
    workspace: ws, stateDir: path.join(tmp, 'state'), env: process.env, actor: 'test', home: tmp,
    settings: {
      importFrom: [],
      servers: {
        everything: { type: 'stdio', command: process.execPath, args: [pkg('server-everything'), 'stdio'] },
        filesystem: { type: 'stdio', command: process.execPath, args: [pkg('server-filesystem'), ws] },
        memory: { type: 'stdio', command: process.execPath, args: [pkg('server-memory')], env: { MEMORY_FILE_PATH: path.join(tmp, 'memory.json') } },
      },
    },
    client: { pingIntervalMs: 60_000 },
  });
  await service.start();
  tools = service.tools();
});

afterAll(async () => {
  await service?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every generated file equals its golden copy (RUSTY_UPDATE_GOLDEN=1 rewrites them). */
function expectGolden(lang: string, files: Map<string, string>): void {
  const dir = path.join(GOLDEN, lang);
  if (process.env.RUSTY_UPDATE_GOLDEN) {
    fs.rmSync(dir, { recursive: true, force: true });
    writeGenerated(dir, files);
  }
  const golden = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else golden.set(path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(dir);
  expect([...files.keys()].sort()).toEqual([...golden.keys()].sort());
  for (const [rel, text] of files) expect(text, rel).toBe(golden.get(rel));
}

describe('rusty mcp codegen over server-everything, server-filesystem, server-memory', () => {
  it('the three servers are connected', () => {
    expect(new Set(tools.map((t) => t.server))).toEqual(new Set(['everything', 'filesystem', 'memory']));
  });

  it('TypeScript: deterministic, golden, and it compiles with the bundled tsc (strict)', () => {
    const files = generate(tools, 'ts');
    expect(generate([...tools].reverse(), 'ts')).toEqual(files);
    expectGolden('ts', files);
    const out = path.join(tmp, 'ts');
    writeGenerated(out, files);
    fs.writeFileSync(path.join(out, 'use.ts'), [
      "import { memory, filesystem, setCallTool } from './servers';",
      "setCallTool(async (server, tool, args) => ({ server, tool, args }));",
      "export const a: Promise<unknown> = memory.createEntities({ entities: [{ name: 'n', entityType: 't', observations: ['o'] }] });",
      "export const b = filesystem.readTextFile({ path: 'x', head: 1 });",
      '// @ts-expect-error: path is required',
      'export const c = filesystem.readTextFile({});',
      '',
    ].join('\n'));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--skipLibCheck', '--noUnusedLocals', path.join(out, 'use.ts'), path.join(out, 'servers', 'index.ts')], { encoding: 'utf8' });
      } catch (err) {
        return `FAILED\n${(err as { stdout?: string }).stdout ?? ''}`;
      }
    })();
    expect(r).toBe('');
  });

  it('Python: deterministic, golden, and the package imports with python3', () => {
    const files = generate(tools, 'py');
    expectGolden('py', files);
    const out = path.join(tmp, 'py');
    writeGenerated(out, files);
    const script = [
      'import sys', `sys.path.insert(0, ${JSON.stringify(out)})`,
      'import rusty_mcp, rusty_mcp.everything as e, rusty_mcp.filesystem as f, rusty_mcp.memory as m',
      'calls = []', 'rusty_mcp.set_call_tool(lambda s, t, a: calls.append((s, t, a)) or "ok")',
      'print(m.create_entities({"entities": []}), f.read_text_file({"path": "x"}), calls[0][1], calls[1][2]["path"])',
      'print(sorted(m.CreateEntitiesInput.__required_keys__), sorted(f.ReadTextFileInput.__optional_keys__))',
    ].join('\n');
    const printed = execFileSync('python3', ['-c', script], { encoding: 'utf8' });
    expect(printed).toBe("ok ok create_entities x\n['entities'] ['head', 'tail']\n");
  });

  it('writing again changes nothing; a vanished tool loses its file', () => {
    const out = path.join(tmp, 'again');
    expect(writeGenerated(out, generate(tools, 'ts')).length).toBeGreaterThan(10);
    expect(writeGenerated(out, generate(tools, 'ts'))).toEqual([]);
    const fewer = tools.filter((t) => !(t.server === 'memory' && t.name === 'read_graph'));
    expect(writeGenerated(out, generate(fewer, 'ts')).sort()).toEqual(['servers/memory/README.md', 'servers/memory/index.ts']);
    expect(fs.existsSync(path.join(out, 'servers', 'memory', 'read_graph.ts'))).toBe(false);
  });
});

describe('regeneration for long-lived clients', () => {
  it('watchCodegen rewrites the wrappers when a server changes (restart, list_changed)', async () => {
    const out = path.join(tmp, 'watched');
    const batches: string[][] = [];
    const sub = watchCodegen(service, out, 'ts', (files) => batches.push(files));
    try {
      await service.restart('memory');
      for (let i = 0; i < 100 && !fs.existsSync(path.join(out, 'servers', 'memory', 'index.ts')); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fs.existsSync(path.join(out, 'servers', 'memory', 'create_entities.ts'))).toBe(true);
      expect(batches.length).toBeGreaterThan(0);
    } finally {
      sub.dispose();
    }
  });
});

describe('schema → TypeScript', () => {
  it('covers enums, unions, nullable type arrays, nested objects and odd keys', () => {
    expect(tsType({ type: ['string', 'null'] })).toBe('string | null');
    expect(tsType({ enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(tsType({ anyOf: [{ type: 'number' }, { type: 'array', items: { type: 'string' } }] })).toBe('number | Array<string>');
    expect(tsType({ type: 'object', properties: { 'a-b': { type: 'integer', description: 'x */ y' } }, required: ['a-b'] }))
      .toBe('{\n  /**\n   * x *\\/ y\n   */\n  "a-b": number;\n}');
    expect(tsType({ type: 'object' })).toBe('Record<string, unknown>');
  });

  it('odd tool names still give valid modules: reserved words, index, punctuation', () => {
    const tool = (name: string): McpToolInfo => ({ server: 'odd server', name, description: 'ends */ here', inputSchema: { type: 'object', properties: { 'x-y': { enum: ['a', "b'c"] } } } });
    const files = generate([tool('delete'), tool('index'), tool('new.thing'), tool('3d')], 'ts');
    expect([...files.keys()].sort()).toEqual(['servers/client.ts', 'servers/index.ts', 'servers/odd_server/3d.ts', 'servers/odd_server/README.md', 'servers/odd_server/delete.ts', 'servers/odd_server/index.ts', 'servers/odd_server/index_.ts', 'servers/odd_server/new.thing.ts']);
    const out = path.join(tmp, 'odd');
    writeGenerated(out, files);
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--skipLibCheck', '--types', 'node', path.join(out, 'servers', 'index.ts')], { encoding: 'utf8' });
      } catch (err) {
        return `FAILED\n${(err as { stdout?: string }).stdout ?? ''}`;
      }
    })();
    expect(r).toBe('');
    expect(files.get('servers/odd_server/delete.ts')).toContain('export function delete_(input: DeleteInput)');
    const py = path.join(tmp, 'oddpy');
    writeGenerated(py, generate([tool('delete'), tool('class'), tool('3d')], 'py'));
    expect(execFileSync('python3', ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(py)}); import rusty_mcp.odd_server as m; print(m.delete.__name__, m.class_.__name__, m._3d.__name__)`], { encoding: 'utf8' })).toBe('delete class_ _3d\n');
  });
});
