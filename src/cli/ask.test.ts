// `rusty ask` through the built CLI (dist/cli.js; `npm run build` first), offline with the
// scripted provider: --json output, the queued proposal, candidates, untrusted text escaped,
// Ctrl-C queuing nothing, and the refusal when no provider is available.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { parseJson, prepareCli, REPO_ROOT, type Cli } from '../core/testing/cli';
import { SCORE_FORMULA } from '../core/ai/agent/score';

let cli: Cli;
let ws: TempWorkspace | undefined;
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const MATH = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

function workspace(): TempWorkspace {
  ws = tempWorkspace({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src/**/*.ts'] }),
    'src/math.ts': MATH,
  });
  return ws;
}

const block = (search: string, replace: string, title: string) => `TITLE: ${title}\nBecause.\n\nFILE: src/math.ts\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;

function script(w: TempWorkspace, value: unknown): string {
  const file = path.join(path.dirname(w.root), 'turns.json');
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

const run = (w: TempWorkspace, args: string[], json = true) => cli.run(['ask', ...args, ...(json ? ['--json'] : []), '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });

describe('rusty ask', () => {
  it('--code: a run_code script\'s writes become the proposal; nothing is written', async () => {
    const w = workspace();
    const file = script(w, [
      { toolCalls: [{ name: 'run_code', arguments: { code: "const t = (await workspace.read('src/math.ts'))!; await workspace.write('src/math.ts', t.replace('a + b', 'b + a')); console.log('done');" } }] },
      { text: 'TITLE: Swap by script\nDone.' },
    ]);
    const r = await run(w, ['swap', '--code', '--provider', 'scripted', '--script', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = parseJson<{ proposals: Record<string, unknown>[] }>(r);
    expect(out.proposals).toHaveLength(1);
    expect(out.proposals[0]).toMatchObject({ title: 'Swap by script', source: 'ai:scripted/scripted', files: [{ path: 'src/math.ts', kind: 'modify', added: 1, removed: 1 }] });
    expect(w.read('src/math.ts')).toBe(MATH);
  }, 120_000);

  it('--provider scripted --script turns.json --json queues one proposal with its ai record', async () => {
    const w = workspace();
    const file = script(w, [
      { text: 'Reading.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.ts' } }] },
      { text: block('  return a+b;', '  return b + a;', 'Swap') },
      { text: block('  return a + b;', '  return b + a;', 'Swap operands') },
    ]);
    const r = await run(w, ['swap the operands of add', '--provider', 'scripted', '--script', file, '--thread', 'th-1']);
    expect(r.code, r.stderr).toBe(0);
    const out = parseJson<{ proposals: Record<string, unknown>[]; failed: unknown[] }>(r);
    expect(out.failed).toEqual([]);
    expect(out.proposals).toHaveLength(1);
    const p = out.proposals[0]!;
    expect(p).toMatchObject({
      candidate: 1, provider: 'scripted', model: 'scripted', title: 'Swap operands', source: 'ai:scripted/scripted',
      files: [{ path: 'src/math.ts', kind: 'modify', added: 1, removed: 1 }],
      typeCheck: { status: 'checked', introduced: 0, removed: 0 }, rounds: 3, repairs: [{ round: 2, kind: 'no-match' }],
    });
    expect(r.stderr).toContain('rusty: turn 2: asking the model…');
    expect(r.stderr).toContain('refused: no-match');
    const shown = parseJson<{ ai?: unknown; source: string }>(await cli.run(['show', String(p['id']), '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } }));
    expect(shown.source).toBe('ai:scripted/scripted');
    const text = await cli.run(['show', String(p['id']), '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
    expect(text.stdout).toMatch(/^AI: scripted\/scripted, thread th-1 — 3 model turns, tokens \d+ in \/ \d+ out$/m);
    expect(text.stdout).toContain('  turn 2 refused (no-match): src/math.ts: The SEARCH block matches nothing in the file.');
    expect(text.stdout).toMatch(/ {2}transcript \(redacted\): .+\/ai\/transcripts\/[0-9a-f-]+\.json$/m);
    expect(w.read('src/math.ts')).toBe(MATH);
  });

  it('--candidates 2 ranks both and prints the formula; text output escapes what the model wrote', async () => {
    const w = workspace();
    const file = script(w, { candidates: [
      [{ text: block('  return a + b;', '  const s = a + b;\n  return s;', 'Named \u001b[31msum\u001b[0m') }],
      [{ text: block('  return a + b;', '  return b + a;', 'Swap') }],
    ] });
    const r = await run(w, ['simplify', '--provider', 'scripted', '--script', file, '--candidates', '2'], false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Ranked by ${SCORE_FORMULA}`);
    expect(r.stdout).toMatch(/^#1 score [\d.]+ {2}Queued p\S+ {2}Swap {2}\+1 −1/m);
    expect(r.stdout).toContain('Named \\x1b[31msum\\x1b[0m');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('type check: 0 new errors, 0 fixed (1 file); 1 model turn;');
    // `rusty list` and `rusty show` escape the model's title too.
    const list = await cli.run(['list', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
    expect(list.stdout).toContain('Named \\x1b[31msum\\x1b[0m');
    expect(list.stdout).not.toContain('\u001b');
    const id = /Queued (p\S+) {2}Named/.exec(r.stdout)![1]!;
    const show = await cli.run(['show', id, '--diff', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
    expect(show.stdout).toContain('Named \\x1b[31msum\\x1b[0m');
    expect(show.stdout).not.toContain('\u001b');
  });

  it('Ctrl-C while the model answers queues nothing', async () => {
    const w = workspace();
    const file = script(w, [{ text: block('  return a + b;', '  return b + a;', 'Swap').repeat(4), chunks: 50, delayMs: 200 }]);
    const started = Date.now();
    const child = cli.spawn(['ask', 'swap', '--provider', 'scripted', '--script', file, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
    child.stdin?.end();
    child.stderr?.on('data', (d: Buffer) => { if (d.toString().includes('turn 1: asking the model')) setTimeout(() => child.kill('SIGINT'), 300); });
    const r = await cli.collect(child, started);
    expect(r.code, r.stderr).toBe(1);
    expect(parseJson<{ error: { code: string } }>(r).error.code).toBe('cancelled');
    expect(r.ms).toBeLessThan(8000);
    const list = parseJson<{ proposals: unknown[] }>(await cli.run(['list', '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } }));
    expect(list.proposals).toEqual([]);
  });

  it('--mcp offers the workspace\'s MCP tools through the permission gate (server-everything)', async () => {
    const w = workspace();
    const everything = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    w.write('.vscode/mcp.json', JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [everything, 'stdio'] } } }));
    w.write('.rusty/policy.json', JSON.stringify({ rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }] }));
    const file = script(w, [{ toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'hi there' } }] }, { text: 'Echoed.' }]);
    // HOME points at an empty folder so the developer's own Claude/Cline configs stay out.
    const home = path.join(path.dirname(w.root), 'home');
    fs.mkdirSync(home);
    const r = await cli.run(['ask', 'echo', '--mcp', '--provider', 'scripted', '--script', file, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot, HOME: home, USERPROFILE: home } });
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<{ answer: string }>(r).answer).toBe('Echoed.');
    expect(r.stderr).toContain('rusty:   tool mcp__everything__echo\n');
    const audit = parseJson<{ entries: { action: string; details: { tool?: string } }[] }>(await cli.run(['audit', '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } }));
    expect(audit.entries.filter((e) => e.action === 'mcp.call').map((e) => e.details.tool)).toEqual(['echo']);
  });

  it('refuses clearly without a usable provider or script', async () => {
    const w = workspace();
    const r = await cli.run(['ask', 'x', '--provider', 'anthropic', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', GEMINI_API_KEY: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('rusty: No configured model matches anthropic; configured: none. Choose a configured provider/model (see `rusty ai providers`), or configure that provider.');
    const s = await run(w, ['x', '--provider', 'scripted']);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('--provider scripted needs --script FILE');
    const bad = await run(w, ['x', '--provider', 'scripted', '--script', script(w, [{ text: 3 }])]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--script: turns[0].text must be a string.');
  });
});
