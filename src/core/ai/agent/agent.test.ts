// The agent on a small real TypeScript workspace (temp folder, real RustyCore, real ts-morph):
// cancellation, refused paths, the command allowlist, threads, and competing candidates.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { scriptedSession, type ScriptedTurn } from '../providers/scripted';
import { ask } from './ask';
import { SCORE_FORMULA, scoreOf } from './score';
import { TRANSCRIPT_DIR } from './ask';
import { runAgent } from './loop';
import { pipelineValidator } from './validate';
import { createEngineContext } from '../../engine/context';
import { computeImpact } from '../../impact/computeImpact';

const MATH = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function twice(n: number): number {\n  return add(n, n);\n}\n';
const MAIN = "import { twice } from './math';\n\nexport const four: number = twice(2);\n";

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

function workspace(extra: Record<string, string> = {}): TempWorkspace {
  ws = tempWorkspace({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] }, include: ['src/**/*.ts'] }),
    'package.json': JSON.stringify({ name: 'tiny', version: '1.0.0', main: 'src/main.ts' }),
    'src/math.ts': MATH,
    'src/main.ts': MAIN,
    ...extra,
  });
  return ws;
}

const edit = (file: string, search: string, replace: string, title = 'Change') => `TITLE: ${title}\nWhy: because.\n\nFILE: ${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`;
const transcripts = (w: TempWorkspace, core: { stateDir: string }) => {
  const dir = path.join(core.stateDir, TRANSCRIPT_DIR);
  void w;
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('cancellation', () => {
  it('Ctrl-C while the answer streams queues nothing and writes no transcript', async () => {
    const w = workspace();
    const core = w.core();
    const before = w.snapshot();
    const controller = new AbortController();
    const long = edit('src/math.ts', '  return a + b;', '  return b + a;').repeat(3);
    const session = scriptedSession([{ text: long, chunks: 20, delayMs: 30 }]);
    let deltas = 0;
    const run = ask(core, {
      task: 'swap', sessions: [session], signal: controller.signal,
      onEvent: (_i, e) => { if (e.type === 'text' && ++deltas === 3) controller.abort(); },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(deltas).toBe(3);
    expect(core.list()).toEqual([]);
    expect(transcripts(w, core)).toEqual([]);
    expect(w.snapshot()).toEqual(before);
  });

  it('a cancel during validation of an accepted attempt queues nothing', async () => {
    const w = workspace();
    const core = w.core();
    const controller = new AbortController();
    const session = scriptedSession([{ text: edit('src/math.ts', '  return a + b;', '  return b + a;') }]);
    const run = ask(core, {
      task: 'swap', sessions: [session], signal: controller.signal,
      onEvent: (_i, e) => { if (e.type === 'validating') setTimeout(() => controller.abort(), 5); },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(core.list()).toEqual([]);
  });
});

describe('sandbox', () => {
  it('refuses reads and edits outside the workspace (.., absolute, symlink) and feeds each refusal back', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-outside-')));
    try {
      fs.writeFileSync(path.join(outside, 'secret.ts'), 'export const s = 1;\n');
      const w = workspace();
      fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(w.root, 'src', 'link.ts'));
      const core = w.core();
      const session = scriptedSession([
        { toolCalls: [
          { name: 'read_file', arguments: { path: '../outside/secret.ts' } },
          { name: 'read_file', arguments: { path: path.join(outside, 'secret.ts') } },
          { name: 'read_file', arguments: { path: 'src/link.ts' } },
          { name: 'list_files', arguments: { pattern: '../**/*.ts' } },
          { name: 'read_file', arguments: { path: '.env' } },
        ] },
        { text: `${edit('../escape.ts', '', 'export const x = 1;')}\n${edit('src/link.ts', 'export const s = 1;', 'export const s = 2;')}` },
        { text: edit('src/math.ts', '  return a + b;', '  return b + a;', 'Swap operands') },
      ]);
      const r = await ask(core, { task: 'escape', sessions: [session] });
      const results = session.provider.requests[1]!.messages.filter((m) => m.role === 'tool');
      expect(results.map((m) => m.isError)).toEqual([true, true, true, true, true]);
      expect(results[0]!.content).toContain("Refused: path \"../outside/secret.ts\" contains '..'");
      expect(results[1]!.content).toContain('is outside the workspace');
      expect(results[2]!.content).toContain('Refused: src/link.ts is a symbolic link');
      expect(results[3]!.content).toContain('reaches outside the workspace');
      expect(results[4]!.content).toContain('usually holds secrets');
      const feedback = session.provider.requests[2]!.messages.at(-1)!.content;
      expect(feedback).toContain("Refused: path \"../escape.ts\" contains '..'");
      // The symlinked file: refused by the pipeline's containment check (it points outside).
      expect(feedback).toMatch(/Refused: src\/link\.ts: .*(outside|symbolic link)/);
      const p = r.candidates[0]!.proposal!;
      expect(p.files.map((f) => f.path)).toEqual(['src/math.ts']);
      expect(core.get(p.id).ai!.repairs.map((x) => x.kind)).toEqual(['path-refused', 'path-refused']);
      expect(fs.readFileSync(path.join(outside, 'secret.ts'), 'utf8')).toBe('export const s = 1;\n');
      expect(fs.existsSync(path.join(w.root, '..', 'escape.ts'))).toBe(false);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('run_command runs only an allowlisted command line, without a shell, with captured output', async () => {
    const w = workspace({ '.rusty/policy.json': JSON.stringify({ ai: { commands: ['node --version', 42] } }) });
    const core = w.core();
    const notes: string[] = [];
    const session = scriptedSession([
      { toolCalls: [
        { name: 'run_command', arguments: { command: 'node  --version' } },
        { name: 'run_command', arguments: { command: 'node --version; rm -rf /' } },
        { name: 'run_command', arguments: { command: 'node -e 1' } },
      ] },
      { text: 'Node is installed; nothing to change.' },
    ]);
    const r = await ask(core, { task: 'which node?', sessions: [session], onPolicyError: (m) => notes.push(m) });
    expect(r.answer).toBe('Node is installed; nothing to change.');
    const results = session.provider.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(results[0]!.content).toMatch(/^\$ node --version {2}\(exit 0, \d+ ms\)\nstdout:\nv\d+\./);
    expect(results[1]!.content).toContain('contains shell syntax');
    expect(results[2]!.content).toContain('is not on the allowlist of .rusty/policy.json (allowed: "node --version")');
    expect(notes).toEqual([expect.stringMatching(/policy\.json:1:\d+: ai\.commands\[1\] must be a non-empty command line/)]);
    expect(core.list()).toEqual([]);
  });
});

describe('turns', () => {
  it('edits sent together with tool calls are not applied, and the model is told so', async () => {
    const w = workspace();
    const core = w.core();
    const session = scriptedSession([
      { text: edit('src/math.ts', '  return a + b;', '  return b + a;'), toolCalls: [{ name: 'diagnostics', arguments: { files: ['src/math.ts'] } }] },
      { text: edit('src/math.ts', '  return a + b;', '  return b + a;', 'Swap operands') },
    ]);
    const r = await ask(core, { task: 'swap', sessions: [session] });
    const tool = session.provider.requests[1]!.messages.at(-1)!;
    expect(tool).toMatchObject({ role: 'tool', name: 'diagnostics' });
    expect(tool.content).toBe('No errors in 1 file.\n\n(Note: the edit blocks of your answer were not applied because it also called tools; send them again in an answer without tool calls.)');
    expect(r.candidates[0]!.proposal!.title).toBe('Swap operands');
    expect(core.get(r.candidates[0]!.proposal!.id).ai!.repairs).toEqual([]);
  });
});

describe('quick type-check', () => {
  it('refuses an attempt that breaks a direct importer without the full analysis, and leaves the project as it was', async () => {
    const w = workspace();
    const core = w.core();
    const session = scriptedSession([
      { text: edit('src/math.ts', 'export function twice(n: number): number {\n  return add(n, n);', 'export function twice(n: string): number {\n  return add(Number(n), Number(n));') },
      { toolCalls: [{ name: 'diagnostics', arguments: { files: ['src/main.ts', 'src/math.ts'] } }] },
      { text: edit('src/math.ts', '  return add(n, n);', '  return 2 * n;', 'Twice without add') },
    ]);
    const events: string[] = [];
    let fullAnalyses = 0;
    const validate = pipelineValidator({
      wfs: core.wfs, maxFileBytes: 1 << 20,
      impact: (cs, signal) => { fullAnalyses++; return computeImpact(cs, { root: core.wfs.root, ...(signal ? { signal } : {}) }); },
    });
    const run = await runAgent({ ctx: createEngineContext(core.wfs), session, task: 'x', validate, onEvent: (e) => { if (e.type === 'validating' || e.type === 'refused' || e.type === 'accepted') events.push(e.type); } });
    expect(fullAnalyses).toBe(1);
    const feedback = session.provider.requests[1]!.messages.at(-1)!.content;
    expect(feedback).toContain("The change introduces 1 new type error:\nsrc/main.ts:3 TS2345 Argument of type 'number' is not assignable to parameter of type 'string'.");
    // The refused change was taken off the project again: the tool sees the workspace as it is.
    expect(session.provider.requests[2]!.messages.at(-1)!.content).toBe('No errors in 2 files.');
    expect(events).toEqual(['validating', 'refused', 'validating', 'accepted']);
    expect(run.outcome).toBe('change');
    expect(run.impact?.typeCheck).toMatchObject({ status: 'checked', introduced: [], removed: [] });
  });
});

describe('cost', () => {
  it('takes the cost from a session that reports what it spent (the router\'s RoutedSession)', async () => {
    const w = workspace();
    const core = w.core();
    const inner = scriptedSession([{ text: edit('src/math.ts', '  return a + b;', '  return b + a;') }]);
    const spent = { tokens: 0, usd: 0.5 };
    const session = { choice: inner.choice, get spent() { return { ...spent }; }, chat: async (...args: Parameters<typeof inner.chat>) => { spent.usd += 0.0123; return inner.chat(...args); } };
    const r = await ask(core, { task: 'swap', sessions: [session] });
    expect(core.get(r.candidates[0]!.proposal!.id).ai!.costUsd).toBeCloseTo(0.0123, 10);
  });
});

describe('transcripts', () => {
  it('redacts a key the model saw in the repair messages, title and rationale it stores, keeps usage', async () => {
    const key = 'sk-ant-api03-Qm7Rt2Yb9Kx4Lw1Nc8Vd3Hs6Jf0Pg5Ta2Ue7Io4Zx9';
    const w = workspace({ 'notes.md': `deploy with ANTHROPIC_API_KEY=${key}\n` });
    const core = w.core();
    const session = scriptedSession([
      { text: `TITLE: Rotate ${key}\nMentions ${key}.\n\nFILE: notes.md\n<<<<<<< SEARCH\ndeploy using ANTHROPIC_API_KEY\n=======\nx\n>>>>>>> REPLACE` },
      { text: `TITLE: Rotate ${key}\nMentions ${key}.\n\n${edit('src/math.ts', '  return a + b;', '  return b + a;').replace(/^TITLE.*\n/, '')}` },
    ]);
    const r = await ask(core, { task: `about ${key}`, sessions: [session] });
    const p = core.get(r.candidates[0]!.proposal!.id);
    expect(p.ai!.repairs[0]!.message).toContain('ANTHROPIC_API_KEY=[REDACTED]');
    expect(p.title).toBe('Rotate [REDACTED]');
    expect(p.rationale).toBe('Mentions [REDACTED].\n\nWhy: because.');
    expect(p.ai!.task).toBe('about [REDACTED]');
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const f of walk(core.stateDir)) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(key);
    const doc = JSON.parse(fs.readFileSync(path.join(core.stateDir, ...p.ai!.transcript!.path.split('/')), 'utf8')) as { usage: { inputTokens: unknown } };
    expect(typeof doc.usage.inputTokens).toBe('number');
  });

  it('gc removes the transcript of a proposal it removed and keeps the ones still referenced', async () => {
    const w = workspace();
    const core = w.core();
    const one = await ask(core, { task: 'a', sessions: [scriptedSession([{ text: edit('src/math.ts', '  return a + b;', '  return b + a;') }])] });
    const two = await ask(core, { task: 'b', sessions: [scriptedSession([{ text: edit('src/math.ts', '  return add(n, n);', '  return 2 * n;') }])] });
    const [p1, p2] = [one.candidates[0]!.proposal!, two.candidates[0]!.proposal!];
    await core.reject(p1.id, 'no');
    const file = (p: typeof p1) => path.join(core.stateDir, ...core.get(p.id).ai!.transcript!.path.split('/'));
    const [f1, f2] = [file(p1), file(p2)];
    const later = w.core({ now: () => new Date(Date.now() + 3 * 86_400_000) });
    const report = await later.gc({ retentionDays: 1 });
    expect(report).toMatchObject({ removedProposals: 1 });
    expect(later.auditEntries().filter((e) => e.action === 'gc').at(-1)!.details).toMatchObject({ removedProposals: 1, removedTranscripts: 1 });
    expect(fs.existsSync(f1)).toBe(false);
    expect(fs.existsSync(f2)).toBe(true);
  });
});

describe('robustness', () => {
  it('names the model that answered (after a router fallback) and feeds a failing tool back instead of ending the run', async () => {
    const w = workspace();
    const core = w.core();
    const inner = scriptedSession([
      { toolCalls: [{ name: 'broken', arguments: {} }] },
      { text: edit('src/math.ts', '  return a + b;', '  return b + a;') },
    ], { model: 'fallback-model' });
    const session = { choice: { provider: 'anthropic' as const, model: 'first-choice', rationale: 'test route' }, chat: inner.chat };
    const broken = { spec: { name: 'broken', description: 'fails', inputSchema: { type: 'object' } }, run: async (): Promise<string> => { throw new TypeError('x is not a function'); } };
    const run = await runAgent({ ctx: createEngineContext(core.wfs), session, task: 't', tools: [broken], validate: async () => ({ refused: [] }) });
    expect(inner.provider.requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', isError: true, content: 'The tool failed: x is not a function' });
    expect(run).toMatchObject({ outcome: 'change', provider: 'scripted', model: 'fallback-model', route: 'test route' });
    expect(run.changeSet!.source).toBe('ai:scripted/fallback-model');
  });
});

describe('threads', () => {
  it('gives the next request the rejection reasons and rollback conflicts of the thread\'s earlier proposals', async () => {
    const w = workspace();
    const core = w.core();
    const first = await ask(core, { task: 'swap', thread: 't1', sessions: [scriptedSession([{ text: edit('src/math.ts', '  return a + b;', '  return b + a;', 'Swap operands') }])] });
    const id = first.candidates[0]!.proposal!.id;
    await core.reject(id, 'keep a + b, rename the function instead');
    const second = scriptedSession([{ text: 'Understood.' }]);
    await ask(core, { task: 'try again', thread: 't1', sessions: [second] });
    const msg = second.provider.requests[0]!.messages[0]!.content;
    expect(msg).toContain('Earlier proposals in this conversation');
    expect(msg).toContain(`- ${id} "Swap operands": rejected — keep a + b, rename the function instead`);
    // A later proposal of the thread that was applied, then edited by hand so its rollback conflicts.
    const third = await ask(core, { task: 'swap again', thread: 't1', sessions: [scriptedSession([{ text: edit('src/math.ts', '  return add(n, n);', '  return n + n;', 'Inline add') }])] });
    const tid = third.candidates[0]!.proposal!.id;
    await core.approve(tid);
    w.write('src/math.ts', w.read('src/math.ts').replace('  return n + n;', '  return n * 2;'));
    await expect(core.rollback(tid)).rejects.toMatchObject({ code: 'conflict' });
    const fourth = scriptedSession([{ text: 'ok' }]);
    await ask(core, { task: 'and now?', thread: 't1', sessions: [fourth] });
    const msg4 = fourth.provider.requests[0]!.messages[0]!.content;
    expect(msg4).toContain(`- ${id} "Swap operands": rejected — keep a + b, rename the function instead`);
    expect(msg4).toMatch(new RegExp(`- ${tid} "Inline add": applied — roll back refused by conflicts: src/math\\.ts `));
    // Another thread does not see it.
    const other = scriptedSession([{ text: 'ok' }]);
    await ask(core, { task: 'x', thread: 't2', sessions: [other] });
    expect(other.provider.requests[0]!.messages[0]!.content).not.toContain(id);
  });
});

describe('follow-up questions on a thread', () => {
  it('the next question carries the earlier questions with their answers and proposals, redacted; other threads and bad ids do not', async () => {
    const w = workspace();
    const core = w.core();
    await ask(core, { task: 'What does twice() do? key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123', thread: 'vs-1', sessions: [scriptedSession([{ text: 'twice(n) returns add(n, n), that is 2n.' }])] });
    const made = await ask(core, { task: 'Make it multiply instead', thread: 'vs-1', sessions: [scriptedSession([{ text: edit('src/math.ts', '  return add(n, n);', '  return n * 2;', 'Multiply in twice') }])] });
    const id = made.candidates[0]!.proposal!.id;
    const third = scriptedSession([{ text: 'Because multiplication is clearer.' }]);
    const r = await ask(core, { task: 'Why is that better?', thread: 'vs-1', sessions: [third] });
    expect(r.answer).toBe('Because multiplication is clearer.');
    const msg = third.provider.requests[0]!.messages[0]!.content;
    expect(msg).toContain('This continues a conversation.');
    expect(msg).toContain('- Question: What does twice() do?');
    expect(msg).toContain('  Your answer: twice(n) returns add(n, n), that is 2n.');
    expect(msg).toContain(`- Question: Make it multiply instead\n  Proposed: ${id}`);
    expect(msg.indexOf('This continues')).toBeLessThan(msg.indexOf('Task: Why is that better?'));
    // Kept redacted in the state folder, three questions.
    const file = path.join(core.stateDir, 'ai', 'threads', 'vs-1.json');
    const saved = fs.readFileSync(file, 'utf8');
    expect(saved).not.toContain('sk-ant-api03');
    expect(JSON.parse(saved).turns).toHaveLength(3);
    // Another thread starts fresh; an id that is not a file name is refused before anything is sent.
    const other = scriptedSession([{ text: 'ok' }]);
    await ask(core, { task: 'hello', thread: 'vs-2', sessions: [other] });
    expect(other.provider.requests[0]!.messages[0]!.content).not.toContain('continues a conversation');
    const bad = scriptedSession([{ text: 'never' }]);
    await expect(ask(core, { task: 'x', thread: '../escape', sessions: [bad] })).rejects.toMatchObject({ code: 'usage' });
    expect(bad.provider.requests).toHaveLength(0);
  });
});

describe('competing candidates', () => {
  it('ranks by the formula over measured facts, links the group, and approving one supersedes the other', async () => {
    const w = workspace({ 'src/math.test.ts': "import { add } from './math';\nif (add(1, 2) !== 3) throw new Error('add');\n" });
    const core = w.core();
    // Candidate 1: needs one repair (a SEARCH that does not match) and changes more lines.
    const c1: ScriptedTurn[] = [
      { text: edit('src/math.ts', '  return a+b;', '  return b + a;') },
      { text: edit('src/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}', '/** Sum of a and b. */\nexport function add(a: number, b: number): number {\n  const sum = a + b;\n  return sum;\n}', 'Add with a named sum') },
    ];
    // Candidate 2: right the first time, one line.
    const c2: ScriptedTurn[] = [{ text: edit('src/math.ts', '  return add(n, n);', '  return 2 * n;', 'Twice without add') }];
    const r = await ask(core, { task: 'simplify math', sessions: [scriptedSession(c1, { model: 'a' }), scriptedSession(c2, { model: 'b' })] });
    expect(r.group?.formula).toBe(SCORE_FORMULA);
    const [one, two] = r.candidates;
    expect(one!.facts).toMatchObject({ introduced: 0, repairRounds: 1, diffLines: 4 });
    expect(two!.facts).toMatchObject({ introduced: 0, repairRounds: 0, diffLines: 2 });
    expect(one!.facts!.testsReached).toBe(1);
    expect(one!.score).toBe(scoreOf(one!.facts!));
    expect(two!.score).toBe(scoreOf(two!.facts!));
    expect(two!.score!).toBeGreaterThan(one!.score!);
    expect([one!.rank, two!.rank]).toEqual([2, 1]);
    const p1 = core.get(one!.proposal!.id);
    const p2 = core.get(two!.proposal!.id);
    expect(p1.ai!.group).toMatchObject({ id: r.group!.id, rank: 2, score: one!.score, siblings: [p2.id], formula: SCORE_FORMULA });
    expect(p2.ai!.group).toMatchObject({ id: r.group!.id, rank: 1, siblings: [p1.id] });
    expect(p1.source).toBe('ai:scripted/a');

    const approved = await core.approve(p1.id);
    expect(approved.superseded).toEqual([p2.id]);
    const loser = core.get(p2.id);
    expect(loser.status).toBe('rejected');
    expect(loser.statusReason).toBe(`superseded by ${p1.id}`);
    const audit = core.auditEntries({ proposalId: p2.id }).map((e) => [e.action, e.details['reason'], e.details['supersededBy']]);
    expect(audit).toContainEqual(['rejected', `superseded by ${p1.id}`, p1.id]);
    expect(audit.map((a) => a[0])).toContain('ai.group');
    expect(core.verifyAudit().ok).toBe(true);
    expect(w.read('src/math.ts')).toContain('const sum = a + b;');
  });
});
