// `rusty ask` with the real vendor SDKs, through the built CLI (dist/cli.js; `npm run build`
// first): the Anthropic and OpenAI SDKs in the child process talk to local servers that speak
// each vendor's documented streaming wire format (no vendor is reachable from here). Covers a
// tool call then a search/replace edit, cost from prices.ts, metrics, a budget refusal before
// anything is sent, a fallback from an overloaded provider, a keyless local OpenAI-compatible
// server, and no key in any file under the state folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { parseJson, prepareCli, REPO_ROOT, type Cli, type CliResult } from '../core/testing/cli';
import { ProtocolServer, type RecordedRequest, type Reply } from '../core/ai/testing/protocolServer';
import { anthropicError, anthropicStream, type AnthropicScriptedTurn } from '../core/ai/providers/anthropic/testServer';
import { openAiModels, openAiStream, type OpenAiScriptedTurn } from '../core/ai/providers/openai/testServer';
import { JSON_HEADERS } from '../core/ai/testing/protocolServer';
import { costOf } from '../core/ai/prices';

let cli: Cli;
let ws: TempWorkspace | undefined;
const servers: ProtocolServer[] = [];
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(async () => {
  ws?.cleanup();
  ws = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const KEY = 'sk-ant-test-4f8a1c9e7b2d6e3f0a5c8b1d4e7f2a9c';
const MATH = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const EDIT = 'TITLE: Swap operands\nThe task asks for b + a.\n\nFILE: src/math.ts\n<<<<<<< SEARCH\n  return a + b;\n=======\n  return b + a;\n>>>>>>> REPLACE';
const MODEL = 'claude-sonnet-4-5';

function workspace(settings: Record<string, unknown>): TempWorkspace {
  ws = tempWorkspace({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src/**/*.ts'] }),
    'src/math.ts': MATH,
    // No probing for Ollama / LM Studio on the test machine.
    '.vscode/settings.json': JSON.stringify({ 'rusty.ai.local.baseUrls': [], ...settings }),
  });
  return ws;
}

const anthropicModels: Reply = {
  status: 200, headers: JSON_HEADERS,
  chunks: [JSON.stringify({ data: [{ type: 'model', id: MODEL, display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', max_input_tokens: 200000, max_tokens: 64000 }], has_more: false, first_id: MODEL, last_id: MODEL })],
};

/** An Anthropic server: the model list, then `turns` for POST /v1/messages (a function: every request). */
async function anthropicServer(turns: (AnthropicScriptedTurn | Reply)[] | (() => Reply)): Promise<ProtocolServer> {
  let i = 0;
  const s = await ProtocolServer.start((req) => {
    if (req.method === 'GET' && req.url.startsWith('/v1/models')) return anthropicModels;
    if (typeof turns === 'function') return turns();
    const t = turns[i++];
    if (!t) return anthropicError(500, 'api_error', 'no more scripted turns');
    return 'status' in t || 'chunks' in t ? t as Reply : anthropicStream(t as AnthropicScriptedTurn);
  });
  servers.push(s);
  return s;
}

async function openAiServer(ids: string[], turns: OpenAiScriptedTurn[]): Promise<ProtocolServer> {
  let i = 0;
  const s = await ProtocolServer.start((req) => {
    if (req.method === 'GET' && req.url.endsWith('/models')) return openAiModels(ids);
    const t = turns[i++];
    return t ? openAiStream(t) : { status: 500, headers: JSON_HEADERS, chunks: ['{"error":{"message":"no more turns","type":"server_error"}}'] };
  });
  servers.push(s);
  return s;
}

const posts = (s: ProtocolServer, suffix: string): RecordedRequest[] => s.requests.filter((r) => r.method === 'POST' && r.url.endsWith(suffix));

// No key from the developer's environment may change what is configured.
const NO_KEYS = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', GEMINI_API_KEY: '' };

function rusty(w: TempWorkspace, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return cli.run([...args, '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot, ...NO_KEYS, ...env } });
}

function stateFiles(w: TempWorkspace): string[] {
  if (!fs.existsSync(w.stateRoot)) return [];
  return (fs.readdirSync(w.stateRoot, { recursive: true }) as string[]).map((f) => path.join(w.stateRoot, f)).filter((f) => fs.statSync(f).isFile());
}

interface AskJson { proposals: Record<string, unknown>[]; failed: { error?: string }[] }

describe('rusty ask with the real SDKs against local protocol servers', () => {
  it('Anthropic: a read_file tool call, then a search/replace edit → one proposal from anthropic/<model>, cost and metrics recorded, no key stored', async () => {
    const server = await anthropicServer([
      { text: ['Let me read ', 'the file.'], toolCalls: [{ id: 'toolu_01', name: 'read_file', json: ['{"path":', '"src/math.ts"}'] }], usage: { input: 1200, output: 40 } },
      { text: [EDIT.slice(0, 40), EDIT.slice(40)], usage: { input: 1500, output: 90 } },
    ]);
    const w = workspace({ 'rusty.ai.anthropic.baseUrl': server.url });
    const r = await rusty(w, ['ask', 'swap the operands of add', '--provider', 'anthropic', '--json'], { ANTHROPIC_API_KEY: KEY });
    expect(r.code, r.stderr).toBe(0);
    const out = parseJson<AskJson>(r);
    expect(out.failed).toEqual([]);
    expect(out.proposals).toHaveLength(1);
    const p = out.proposals[0]!;
    const cost = costOf('anthropic', MODEL, { inputTokens: 2700, outputTokens: 130 })!;
    expect(cost).toBeGreaterThan(0);
    expect(p).toMatchObject({
      provider: 'anthropic', model: MODEL, source: `ai:anthropic/${MODEL}`, title: 'Swap operands',
      files: [{ path: 'src/math.ts', kind: 'modify', added: 1, removed: 1 }],
      typeCheck: { status: 'checked', introduced: 0 }, rounds: 2, usage: { inputTokens: 2700, outputTokens: 130 },
    });
    expect(p['costUsd'] as number).toBeCloseTo(cost, 10);
    // The route rationale is printed as progress.
    expect(r.stderr).toMatch(/^rusty: anthropic\/claude-sonnet-4-5 — .*you asked for anthropic/m);

    // What the SDK sent: the key as a header, the tool result in the second request.
    const sent = posts(server, '/v1/messages');
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent[0]!.headers)).toContain(KEY);
    const second = sent[1]!.body as { messages: { role: string; content: unknown }[] };
    const toolResult = JSON.stringify(second.messages[second.messages.length - 1]);
    expect(toolResult).toContain('"type":"tool_result"');
    expect(toolResult).toContain('return a + b;');

    const diff = await rusty(w, ['show', String(p['id']), '--diff']);
    expect(diff.stdout).toContain('-  return a + b;');
    expect(diff.stdout).toContain('+  return b + a;');
    const shown = parseJson<{ ai: { costUsd: number; provider: string } }>(await rusty(w, ['show', String(p['id']), '--json']));
    expect(shown.ai.costUsd).toBeCloseTo(cost, 10);
    expect(w.read('src/math.ts')).toBe(MATH);

    const stats = parseJson<{ models: Record<string, unknown>[]; today: { requests: number } }>(await rusty(w, ['ai', 'stats', '--json']));
    expect(stats.models).toMatchObject([{ provider: 'anthropic', model: MODEL, requests: 2, successes: 2, tokensIn: 2700, tokensOut: 130 }]);
    expect((stats.models[0]!['costUsd'] as number)).toBeCloseTo(cost, 10);
    expect(stats.today.requests).toBe(2);

    const files = stateFiles(w);
    expect(files.some((f) => f.includes(`${path.sep}transcripts${path.sep}`))).toBe(true);
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toContain('sk-ant-test');
    expect(r.stdout + r.stderr).not.toContain('sk-ant-test');
  });

  it('a per-task budget too small for the request: refused before sending (the server gets no message), exit 1, nothing queued', async () => {
    const server = await anthropicServer([{ text: [EDIT] }]);
    const w = workspace({ 'rusty.ai.anthropic.baseUrl': server.url, 'rusty.ai.budget.perTaskTokens': 50 });
    const r = await rusty(w, ['ask', 'swap the operands of add', '--provider', 'anthropic', '--json'], { ANTHROPIC_API_KEY: KEY });
    expect(r.code).toBe(1);
    const out = parseJson<AskJson>(r);
    expect(out.proposals).toEqual([]);
    expect(out.failed[0]!.error).toMatch(/budget/i);
    expect(r.stderr).toMatch(/rusty: .*budget/i);
    expect(posts(server, '/v1/messages')).toHaveLength(0);
    expect(parseJson<{ proposals: unknown[] }>(await rusty(w, ['list', '--json'])).proposals).toEqual([]);
  });

  it('Anthropic overloaded (529) on every attempt: retried, then falls back to the configured OpenAI server; the proposal names openai', async () => {
    const anthropic = await anthropicServer(() => anthropicError(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '1' }));
    const openai = await openAiServer(['gpt-4.1'], [{ model: 'gpt-4.1', text: [EDIT], usage: { prompt: 900, completion: 60 } }]);
    const w = workspace({ 'rusty.ai.anthropic.baseUrl': anthropic.url, 'rusty.ai.openai.baseUrl': openai.url, 'rusty.ai.provider': 'anthropic' });
    const r = await rusty(w, ['ask', 'swap the operands of add', '--json'], { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: 'sk-proj-test-0123456789abcdefghijklmnop' });
    expect(r.code, r.stderr).toBe(0);
    const out = parseJson<AskJson>(r);
    expect(out.proposals).toHaveLength(1);
    expect(out.proposals[0]).toMatchObject({ provider: 'openai', model: 'gpt-4.1', source: 'ai:openai/gpt-4.1', files: [{ path: 'src/math.ts', added: 1, removed: 1 }] });
    expect(posts(anthropic, '/v1/messages').length).toBeGreaterThanOrEqual(3);
    expect(posts(openai, '/chat/completions')).toHaveLength(1);
    expect(r.stderr).toMatch(/rusty: anthropic\/claude-sonnet-4-5: overloaded .*retrying/);
    expect(r.stderr).toMatch(/rusty: anthropic\/claude-sonnet-4-5 failed before answering \(overloaded: .*\); falling back to openai\/gpt-4\.1\./);
    const stats = parseJson<{ models: { provider: string; requests: number; successes: number }[] }>(await rusty(w, ['ai', 'stats', '--json']));
    expect(stats.models.find((m) => m.provider === 'anthropic')).toMatchObject({ successes: 0 });
    expect(stats.models.find((m) => m.provider === 'openai')).toMatchObject({ requests: 1, successes: 1 });
    for (const f of stateFiles(w)) {
      const text = fs.readFileSync(f, 'utf8');
      expect(text, f).not.toContain('sk-ant-test');
      expect(text, f).not.toContain('sk-proj-test');
    }
  });

  it('OPENAI_BASE_URL → a local OpenAI-compatible server (Ollama-style, no key): the model from its list answers, cost 0', async () => {
    const openai = await openAiServer(['qwen2.5-coder:7b'], [{ model: 'qwen2.5-coder:7b', text: [EDIT], usage: { prompt: 800, completion: 50 } }]);
    const w = workspace({});
    const r = await rusty(w, ['ask', 'swap the operands of add', '--json'], { OPENAI_BASE_URL: `${openai.url}/v1` });
    expect(r.code, r.stderr).toBe(0);
    const p = parseJson<AskJson>(r).proposals[0]!;
    expect(p).toMatchObject({ source: 'ai:openai/qwen2.5-coder:7b', costUsd: 0, usage: { inputTokens: 800, outputTokens: 50 } });
    const sent = posts(openai, '/v1/chat/completions');
    expect(sent).toHaveLength(1);
    // The SDK needs some key; a local server gets a placeholder, never a real one.
    expect(sent[0]!.headers['authorization']).toBe('Bearer no-key');
  });

  it('MCP sampling from the CLI: server-everything\'s sampling tool answered by the Anthropic SDK when the policy allows it; refused without a terminal otherwise', async () => {
    const server = await anthropicServer([{ text: ['Sampled ', 'answer.'], usage: { input: 30, output: 4 } }]);
    const w = workspace({ 'rusty.ai.anthropic.baseUrl': server.url });
    const everything = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    w.write('.vscode/mcp.json', JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [everything, 'stdio'] } } }));
    const home = path.join(path.dirname(w.root), 'home');
    fs.mkdirSync(home);
    const rules = [{ server: 'everything', tool: 'trigger-sampling-request', decision: 'allow' }];
    const call = () => rusty(w, ['mcp', 'call', 'everything', 'trigger-sampling-request', '{"prompt":"hi","maxTokens":20}', '--json'], { ANTHROPIC_API_KEY: KEY, HOME: home, USERPROFILE: home });

    w.write('.rusty/policy.json', JSON.stringify({ rules }));
    const refused = await call();
    expect(refused.stdout + refused.stderr).toContain('Sampling request refused: there is no one to approve it here');
    expect(posts(server, '/v1/messages')).toHaveLength(0);

    w.write('.rusty/policy.json', JSON.stringify({ rules, sampling: { allow: ['everything'] } }));
    const r = await call();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Sampled answer.');
    expect(r.stdout).toContain(`anthropic/${MODEL}`);
    expect(posts(server, '/v1/messages')).toHaveLength(1);
    const audit = parseJson<{ entries: { action: string; details: Record<string, unknown> }[] }>(await rusty(w, ['audit', '--json'], { HOME: home }));
    expect(audit.entries.filter((e) => e.action === 'mcp.sampling').map((e) => [e.details['decision'], e.details['by'], e.details['model'] ?? null])).toEqual([
      ['deny', 'no-prompt', null], ['allow', 'policy', `anthropic/${MODEL}`],
    ]);
    for (const f of stateFiles(w)) expect(fs.readFileSync(f, 'utf8'), f).not.toContain('sk-ant-test');
  });

  it('--provider vscode-lm is a usage error in the CLI', async () => {
    const w = workspace({});
    const r = await rusty(w, ['ask', 'x', '--provider', 'vscode-lm']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('rusty: --provider vscode-lm is only available inside VS Code ("Rusty: Ask…"); the CLI can use anthropic, openai, gemini or scripted.');
  });
});
