// `rusty run`, `rusty skills …`, `rusty mcp codegen` and `rusty mcp stats` through the built CLI
// (dist/cli.js; run `npm run build` first) with a real server-memory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli, type CliResult } from '../core/testing/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const MEMORY = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

let cli: Cli;
let tmp: string;
let ws: string;
let config: string;
beforeAll(() => {
  cli = prepareCli();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-cli-run-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'home'));
  fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: 'memory', tool: '*', decision: 'allow' }] }));
  fs.writeFileSync(path.join(ws, 'notes.txt'), 'alpha\nbeta\n');
  config = path.join(tmp, 'servers.json');
  fs.writeFileSync(config, JSON.stringify({ mcpServers: { memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: path.join(tmp, 'memory.json') } } } }));
});
afterAll(() => {
  cli?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function rusty(args: string[], input?: string): Promise<CliResult> {
  const home = path.join(tmp, 'home');
  return cli.run([...args, '-w', ws], { env: { RUSTY_STATE_DIR: path.join(tmp, 'state'), HOME: home, USERPROFILE: home }, ...(input !== undefined ? { input } : {}) });
}

function script(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('rusty run', () => {
  it('runs a script over server-memory; its write is one proposal and nothing is written', async () => {
    const file = script('upper.ts', [
      '// Upper-case notes.txt and remember it',
      "const text: string = await workspace.read('notes.txt');",
      "await workspace.write('notes.txt', text.toUpperCase());",
      "await callTool('memory', 'create_entities', { entities: [{ name: 'notes', entityType: 'file', observations: [text.trim()] }] });",
      "const graph = await callTool('memory', 'read_graph', {}) as { entities: { name: string }[] };",
      "console.log('entities:', graph.entities.map((e) => e.name).join(','));",
      "state.set('count', ((await state.get('count')) ?? 0) + 1);",
      '',
    ].join('\n'));
    const r = await rusty(['run', file, '--json', '--config', config, '--save-skill', 'upper-notes']);
    expect(r.code, r.stderr).toBe(0);
    const j = parseJson<{ ok: boolean; output: string; proposal: { id: string; files: string[] }; metrics: { codeModeTokens: number; directTokens: number } }>(r);
    expect(j.ok).toBe(true);
    expect(j.output).toBe('entities: notes\n');
    expect(j.proposal.files).toEqual(['notes.txt']);
    expect(j.metrics.directTokens).toBeGreaterThan(j.metrics.codeModeTokens);
    expect(fs.readFileSync(path.join(ws, 'notes.txt'), 'utf8')).toBe('alpha\nbeta\n');
    const show = await rusty(['show', j.proposal.id, '--diff']);
    expect(show.stdout).toContain('-alpha');
    expect(show.stdout).toContain('+ALPHA');
    expect(r.stderr).toContain('saved the script as skill upper-notes (version 1)');
    expect(fs.readFileSync(path.join(ws, '.rusty', 'skills', 'upper-notes', 'SKILL.md'), 'utf8')).toMatch(/^---\nname: upper-notes\ndescription: "Upper-case notes.txt and remember it"\ninputs: \{\}\nversion: "1"\n---\n/);

    const stats = await rusty(['mcp', 'stats', '--json']);
    expect(stats.code, stats.stderr).toBe(0);
    const s = parseJson<{ runs: number; saved: number; toolCalls: number }>(stats);
    expect(s).toMatchObject({ runs: 1, toolCalls: 2 });
    expect(s.saved).toBeGreaterThan(0);
  });

  it('a script past its --timeout fails with a clear error and proposes nothing', async () => {
    const before = (await rusty(['list', '--json'])).stdout;
    const r = await rusty(['run', script('loop.ts', "await workspace.write('x.txt', 'x');\nfor (;;) {}\n"), '--timeout', '0.5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rusty: the script failed (timeout): the script ran past its deadline and was interrupted; nothing was proposed.');
    expect((await rusty(['list', '--json'])).stdout).toBe(before);
  });

  it('a syntax error is one line naming the place; bad flags are usage errors', async () => {
    const r = await rusty(['run', script('bad.ts', 'const = 1;\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the script failed \(syntax\): bad\.ts:1:7: /);
    const u = await rusty(['run', script('ok.ts', ''), '--timeout', '-1']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--timeout must be a number > 0, got -1');
    const missing = await rusty(['run', path.join(tmp, 'nope.ts')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the script');
  });

  it('skills list, search and run (with inputs and usage statistics)', async () => {
    fs.mkdirSync(path.join(ws, '.rusty', 'skills', 'double'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.rusty', 'skills', 'double', 'SKILL.md'), '---\nname: double\ndescription: Double a number and print it\ninputs: {"n": "number"}\nversion: 2\n---\n');
    fs.writeFileSync(path.join(ws, '.rusty', 'skills', 'double', 'index.ts'), 'export default async function (inputs: { n: number }) { return { doubled: inputs.n * 2 }; }\n');
    const list = parseJson<{ skills: { name: string; version: string; inputs: unknown }[] }>(await rusty(['skills', 'list', '--json']));
    expect(list.skills.map((s) => `${s.name}@${s.version}`)).toEqual(['double@2', 'upper-notes@1']);
    const hits = parseJson<{ hits: { name: string }[] }>(await rusty(['skills', 'search', 'number', '--json']));
    expect(hits.hits.map((h) => h.name)).toEqual(['double']);
    const run = await rusty(['skills', 'run', 'double', '--input', '{"n": 21}']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ doubled: 42 });
    const after = parseJson<{ skills: { name: string; stats: { uses: number; successRate: number } }[] }>(await rusty(['skills', 'list', '--json']));
    expect(after.skills.find((s) => s.name === 'double')!.stats).toMatchObject({ uses: 1, successRate: 1 });
    // A script can call a skill too.
    const nested = await rusty(['run', script('nested.ts', "console.log(JSON.stringify(await skills.run('double', { n: 5 })));\n")]);
    expect(nested.stdout).toBe('{"doubled":10}\n');
    const unknown = await rusty(['skills', 'run', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No skill named "nope". Skills: double, upper-notes.');
  });
});

describe('rusty mcp codegen', () => {
  it('writes TypeScript and Python wrappers for server-memory', async () => {
    const out = path.join(tmp, 'gen');
    const r = await rusty(['mcp', 'codegen', '--out', out, '--config', config, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<{ servers: string[]; tools: number }>(r)).toMatchObject({ servers: ['memory'], tools: 9 });
    expect(fs.readFileSync(path.join(out, 'servers', 'memory', 'index.ts'), 'utf8')).toContain("export * from './create_entities';");
    const py = await rusty(['mcp', 'codegen', '--out', out, '--lang', 'py', '--config', config]);
    expect(py.code, py.stderr).toBe(0);
    expect(py.stdout).toMatch(/^Python wrappers for 9 tools of 1 server \(memory\) in .*: 4 of 4 files written\.\n$/);
    const again = await rusty(['mcp', 'codegen', '--out', out, '--lang', 'py', '--config', config]);
    expect(again.stdout).toContain('0 of 4 files written (all up to date)');
  });
});
