// `rusty gen-tests --ai` through the built CLI (dist/cli.js): the Anthropic SDK in the child talks to
// a local server speaking Anthropic's streaming wire format, whose scripted model answers with
// search/replace edits on the generated skeleton. The filled file runs with node:test on an overlay
// copy; a correct expectation passes, a wrong one is reported failed and still shown. Build first.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseJson, prepareCli } from '../core/testing/cli';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { ProtocolServer, JSON_HEADERS, type Reply } from '../core/ai/testing/protocolServer';
import { anthropicStream } from '../core/ai/providers/anthropic/testServer';

const cli = prepareCli();
afterAll(() => cli.dispose());
let ws: TempWorkspace | undefined;
let server: ProtocolServer | undefined;
afterEach(async () => { ws?.cleanup(); ws = undefined; await server?.close(); server = undefined; });

// A raw ESC or right-to-left override in printed text.
const RAW = new RegExp(`[${String.fromCharCode(0x1b)}\u202e]`);
const MODEL = 'claude-sonnet-4-5';
const KEY = 'sk-ant-test-4f8a1c9e7b2d6e3f0a5c8b1d4e7f2a9c';
const models: Reply = {
  status: 200, headers: JSON_HEADERS,
  chunks: [JSON.stringify({ data: [{ type: 'model', id: MODEL, display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', max_input_tokens: 200000, max_tokens: 64000 }], has_more: false, first_id: MODEL, last_id: MODEL })],
};

/** The model's answer: `area(1)` filled with `expected`, the thrown error filled, the other cases left todo. */
const answer = (expected: number) => [
  'TITLE: Fill area expectations',
  'area squares its width and throws on a negative one. \u001b[2J\u202eevil',
  '',
  'FILE: test/sq.test.js',
  '<<<<<<< SEARCH',
  "test('area(1)', { todo: true });",
  '=======',
  "test('area(1)', () => {",
  `  assert.equal(area(1), ${expected});`,
  '});',
  '>>>>>>> REPLACE',
  '<<<<<<< SEARCH',
  "test('throws RangeError when w < 0', { todo: true });",
  '=======',
  "test('throws RangeError when w < 0', () => {",
  '  assert.throws(() => area(-2), RangeError);',
  '});',
  '>>>>>>> REPLACE',
].join('\n');

async function run(expected: number) {
  server = await ProtocolServer.start((req) => {
    if (req.method === 'GET' && req.url.startsWith('/v1/models')) return models;
    const text = answer(expected);
    return anthropicStream({ text: [text.slice(0, 60), text.slice(60)], usage: { input: 900, output: 80 } });
  });
  ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'geo', type: 'module', scripts: { test: 'node --test test/' } }),
    'src/sq.js': '/** @param {number} w */\nexport function area(w) {\n  if (w < 0) throw new RangeError("negative width");\n  return w * w;\n}\n',
    'test/smoke.test.js': "import { test } from 'node:test';\ntest('smoke', () => {});\n",
    '.vscode/settings.json': JSON.stringify({ 'rusty.ai.local.baseUrls': [], 'rusty.ai.anthropic.baseUrl': server.url }),
  });
  const before = ws.snapshot();
  const env = { ...ws.env, ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: '', GEMINI_API_KEY: '', OPENAI_BASE_URL: '' };
  const r = await cli.run(['--json', 'gen-tests', 'src/sq.js', '--ai', '--provider', 'anthropic'], { cwd: ws.root, env });
  expect(r.code, r.stderr).toBe(0);
  expect(ws.snapshot()).toEqual(before);
  const sent = JSON.stringify(server.requests.filter((q) => q.method === 'POST')[0]!.body);
  expect(sent).toContain("test('area(NaN)', { todo: true });"); // the skeleton (test() style, as test/smoke.test.js)
  expect(sent).toContain('throw new RangeError(\\"negative width\\")'); // the source
  const j = parseJson<{ id: string; ai: { provider: string; model: string; outcome: string }; cases: { title: string; status: string }[]; testRun: { status: string; passed: number; failed: number; todo: number; filled: { title: string; status: string }[] } }>(r);
  expect(j.ai, JSON.stringify(j.ai)).toMatchObject({ provider: 'anthropic', model: MODEL, outcome: 'filled' });
  expect(j.testRun.filled).toEqual(j.cases);
  return { j, env, root: ws.root };
}

describe('rusty gen-tests --ai', () => {
  it('a correct expectation filled by the model passes; the cases left stay todo', async () => {
    const { j, env, root } = await run(1);
    expect(j.cases).toEqual([
      { title: 'area(0)', status: 'todo' }, { title: 'area(1)', status: 'passed' }, { title: 'area(-1)', status: 'todo' },
      { title: 'area(Number.MAX_SAFE_INTEGER)', status: 'todo' }, { title: 'area(NaN)', status: 'todo' }, { title: 'throws RangeError when w < 0', status: 'passed' },
    ]);
    // 1 export check + 2 filled cases pass; the 4 todos are not passes.
    expect(j.testRun).toMatchObject({ status: 'passed', passed: 3, failed: 0, todo: 4 });
    const show = await cli.run(['show', j.id, '--diff'], { cwd: root, env });
    expect(show.stdout).toContain(`ai:anthropic/${MODEL}`);
    expect(show.stdout).toContain('  result: passed — 3 passed, 0 failed, 4 todo');
    expect(show.stdout).toContain('  filled by the model: passed — area(1)');
    expect(show.stdout).toContain('  left todo: 4 cases');
    expect(show.stdout).toContain('+  assert.equal(area(1), 1);');
    expect(show.stdout).not.toMatch(RAW);
  }, 240_000);

  it('a wrong expectation is reported as failed and still shown in the proposal, never as a pass', async () => {
    const { j, env, root } = await run(2);
    expect(j.cases.find((c) => c.title === 'area(1)')).toEqual({ title: 'area(1)', status: 'failed' });
    expect(j.cases.find((c) => c.title === 'throws RangeError when w < 0')).toEqual({ title: 'throws RangeError when w < 0', status: 'passed' });
    expect(j.testRun).toMatchObject({ status: 'failed', passed: 2, failed: 1, todo: 4 });
    const show = await cli.run(['show', j.id, '--diff'], { cwd: root, env });
    expect(show.stdout).toContain('  result: FAILED — 2 passed, 1 failed, 4 todo');
    expect(show.stdout).toContain('  filled by the model: FAILED — area(1)');
    expect(show.stdout).toContain("filled 2 of 6 todo cases: \"area(1)\" (failed), \"throws RangeError when w < 0\" (passed)");
    expect(show.stdout).toContain('+  assert.equal(area(1), 2);');
    expect(show.stdout).toContain('\\x1b[2J<U+202E>evil'); // the model's note, escaped
    expect(show.stdout).not.toMatch(RAW);
    // The human output of the command itself escapes the model's text and the runner output too.
    const human = await cli.run(['gen-tests', 'src/sq.js', '--ai', '--provider', 'anthropic'], { cwd: root, env });
    expect(human.stdout).toContain('\nfilled by the model: FAILED — area(1)\n');
    expect(human.stdout).not.toMatch(RAW);
  }, 300_000);
});
