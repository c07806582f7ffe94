// `rusty debug --ai` through the built CLI (dist/cli.js): a real crash with no TypeScript fix; the
// Anthropic SDK in the child talks to a local server speaking Anthropic's streaming wire format,
// whose scripted model answers with a search/replace edit. The change is validated like `rusty ask`,
// the failing test runs on copies without and with it, and both runs are attached. Build first.
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseJson, prepareCli } from '../core/testing/cli';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { ProtocolServer, JSON_HEADERS, type Reply } from '../core/ai/testing/protocolServer';
import { anthropicError, anthropicStream } from '../core/ai/providers/anthropic/testServer';

const cli = prepareCli();
afterAll(() => cli.dispose());
let ws: TempWorkspace | undefined;
let server: ProtocolServer | undefined;
afterEach(async () => { ws?.cleanup(); ws = undefined; await server?.close(); server = undefined; });

const MODEL = 'claude-sonnet-4-5';
const KEY = 'sk-ant-test-4f8a1c9e7b2d6e3f0a5c8b1d4e7f2a9c';
const models: Reply = {
  status: 200, headers: JSON_HEADERS,
  chunks: [JSON.stringify({ data: [{ type: 'model', id: MODEL, display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', max_input_tokens: 200000, max_tokens: 64000 }], has_more: false, first_id: MODEL, last_id: MODEL })],
};
const EDIT = 'TITLE: Treat a missing cart as empty\nitems is undefined when the cart is missing.\n\nFILE: src/cart.js\n<<<<<<< SEARCH\n  return items.reduce((sum, i) => sum + i.price, 0);\n=======\n  return (items ?? []).reduce((sum, i) => sum + i.price, 0);\n>>>>>>> REPLACE';

describe('rusty debug --ai', () => {
  it('asks the model when TypeScript has no fix; the change is validated, the failing test runs without and with it', async () => {
    let turns = 0;
    server = await ProtocolServer.start((req) => {
      if (req.method === 'GET' && req.url.startsWith('/v1/models')) return models;
      return turns++ === 0 ? anthropicStream({ text: [EDIT.slice(0, 50), EDIT.slice(50)], usage: { input: 900, output: 60 } }) : anthropicError(500, 'api_error', 'no more turns');
    });
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node --test test/' } }),
      'src/cart.js': 'export function total(items) {\n  return items.reduce((sum, i) => sum + i.price, 0);\n}\n',
      'test/cart.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { total } from '../src/cart.js';\ntest('a missing cart totals 0', () => {\n  assert.equal(total(undefined), 0);\n});\n",
      '.vscode/settings.json': JSON.stringify({ 'rusty.ai.local.baseUrls': [], 'rusty.ai.anthropic.baseUrl': server.url }),
    });
    const crash = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'test/'], { cwd: ws.root, encoding: 'utf8' });
    expect(crash.status).not.toBe(0);
    const before = ws.snapshot();
    const env = { ...ws.env, ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: '', GEMINI_API_KEY: '', OPENAI_BASE_URL: '' };
    const r = await cli.run(['--json', 'debug', '-', '--ai', '--provider', 'anthropic'], { cwd: ws.root, env, input: crash.stdout });
    expect(r.code, r.stderr).toBe(0);
    const j = parseJson<{ fix: null; noFix: string; ai: { provider: string; model: string; proposal: string; testRun: { before: { status: string; failed: number }; after: { status: string; passed: number } } } }>(r);
    expect(j.fix).toBeNull();
    expect(j.noFix).toContain('TypeScript reports nothing at src/cart.js:2');
    expect(j.ai).toMatchObject({ provider: 'anthropic', model: MODEL });
    expect(j.ai.testRun.before).toMatchObject({ status: 'failed', failed: 1 });
    expect(j.ai.testRun.after).toMatchObject({ status: 'passed', passed: 1 });
    expect(ws.snapshot()).toEqual(before);
    const sent = server.requests.filter((q) => q.method === 'POST');
    expect(JSON.stringify(sent[0]!.body)).toContain("Cannot read properties of undefined (reading 'reduce')");
    const show = await cli.run(['show', j.ai.proposal], { cwd: ws.root, env });
    expect(show.stdout).toContain(`debug:ai:anthropic/${MODEL}`);
    expect(show.stdout).toContain('  without the fix: FAILED — 0 passed, 1 failed, 0 todo');
    expect(show.stdout).toContain('  with the fix: passed — 1 passed, 0 failed, 0 todo');
  }, 240_000);
});
