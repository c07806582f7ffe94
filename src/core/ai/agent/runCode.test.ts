// run_code in the agent loop: the scripted provider drives a real sandbox run over a temp
// workspace; the script's writes become (or join) the proposal, validated by the real pipeline.
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { scriptedSession } from '../providers/scripted';
import { createEngineContext } from '../../engine/context';
import { SANDBOX_API_DTS } from '../../codemode/api';
import { ask } from './ask';
import { runAgent } from './loop';
import { pipelineValidator } from './validate';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const FILES = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] }, include: ['src/**/*.ts'] }),
  'src/a.ts': 'export const LIMIT_A = 1;\n',
  'src/b.ts': 'export const LIMIT_B = 2;\n',
  'src/c.ts': "import { LIMIT_A } from './a';\nexport const c = LIMIT_A;\n",
  '.env': 'TOKEN=secret-value\n',
};

const SCRIPT = `for (const f of await workspace.list({ prefix: 'src' })) {
  const t = (await workspace.read(f))!;
  if (t.includes('LIMIT_')) await workspace.write(f, t.replace(/LIMIT_(\\w)/g, 'MAX_$1'));
}
console.log('env:', await workspace.read('.env'));`;

describe('run_code in the agent loop', () => {
  it('the script\'s writes become the proposal of an answer without edit blocks; nothing is written', async () => {
    ws = tempWorkspace(FILES);
    const core = ws.core();
    const before = ws.snapshot();
    const session = scriptedSession([
      { toolCalls: [{ id: 't1', name: 'run_code', arguments: { code: SCRIPT } }] },
      { text: 'TITLE: Rename LIMIT_ to MAX_\nDone with a script.' },
    ]);
    const result = await ask(core, { task: 'rename LIMIT_* to MAX_*', sessions: [session], codeMode: { limits: { timeoutMs: 20_000 } } });
    const req = session.provider.requests[0]!;
    expect(req.tools!.find((t) => t.name === 'run_code')!.description).toContain(SANDBOX_API_DTS);
    const tool = session.provider.requests[1]!.messages.at(-1)!;
    expect(tool).toMatchObject({ role: 'tool', name: 'run_code' });
    expect(tool.content).toContain('env: null');
    expect(tool.content).not.toContain('secret-value');
    expect(tool.content).toMatch(/Its writes \(3\) are now part of your proposal/);
    expect(core.list()).toHaveLength(1);
    const p = core.get(result.candidates[0]!.proposal!.id);
    expect(p.title).toBe('Rename LIMIT_ to MAX_');
    expect(p.source).toMatch(/^ai:scripted\//);
    expect(p.files.map((f) => [f.path, f.kind, f.added, f.removed]).sort()).toEqual([['src/a.ts', 'modify', 1, 1], ['src/b.ts', 'modify', 1, 1], ['src/c.ts', 'modify', 2, 2]]);
    expect(ws.snapshot()).toEqual(before);
  }, 60_000);

  it('merges with edit blocks for other files, refuses one file changed both ways, and a failing script adds nothing', async () => {
    ws = tempWorkspace(FILES);
    const core = ws.core();
    const validate = pipelineValidator({ wfs: core.wfs, maxFileBytes: 1 << 20 });
    const edit = (file: string, search: string, replace: string) => `TITLE: Both\nFILE: ${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`;
    const session = scriptedSession([
      { toolCalls: [{ id: 't0', name: 'run_code', arguments: { code: "await workspace.write('src/b.ts', 'x'); throw new Error('half way');" } }] },
      { toolCalls: [{ id: 't1', name: 'run_code', arguments: { code: "const t = (await workspace.read('src/b.ts'))!; await workspace.write('src/b.ts', t.replace('2', '3'));" } }] },
      { text: edit('src/b.ts', 'export const LIMIT_B = 2;', 'export const LIMIT_B = 4;') },
      { text: edit('src/a.ts', 'export const LIMIT_A = 1;', 'export const LIMIT_A = 5;') },
    ]);
    const run = await runAgent({ ctx: createEngineContext(core.wfs), session, task: 't', validate, codeMode: { limits: { timeoutMs: 20_000 } } });
    expect(session.provider.requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', isError: true });
    expect(session.provider.requests[1]!.messages.at(-1)!.content).toMatch(/The script failed \(.*\): .*half way[\s\S]*Its writes were discarded/);
    expect(session.provider.requests[3]!.messages.at(-1)!.content).toContain('src/b.ts: your run_code script already changes this file');
    expect(run.outcome).toBe('change');
    expect(run.changeSet!.edits.map((e) => [e.path, (e as { content?: string }).content])).toEqual([
      ['src/b.ts', 'export const LIMIT_B = 3;\n'],
      ['src/a.ts', 'export const LIMIT_A = 5;\n'],
    ]);
  }, 60_000);

  it('is not offered without codeMode', async () => {
    ws = tempWorkspace(FILES);
    const core = ws.core();
    const session = scriptedSession([{ toolCalls: [{ id: 't1', name: 'run_code', arguments: { code: 'console.log(1)' } }] }, { text: 'Nothing to do.' }]);
    const run = await runAgent({ ctx: createEngineContext(core.wfs), session, task: 't', validate: async () => ({ refused: [] }) });
    expect(session.provider.requests[0]!.tools!.some((t) => t.name === 'run_code')).toBe(false);
    expect(session.provider.requests[1]!.messages.at(-1)!.content).toMatch(/^There is no tool "run_code"/);
    expect(run.outcome).toBe('answer');
  }, 60_000);
});
