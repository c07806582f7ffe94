// vscode.lm in a real extension host: Rusty's VS Code language-model provider (the adapter the core
// sees as a ModelProvider) against a chat model registered through VS Code's own provider API by
// the fixture extension test/fixtures/lm-fixture. Streaming, tool calls and tool results, usage,
// error classes and cancellation all go through VS Code's real language-model plumbing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RustyCore } from '../../src/core/rustyCore';
import { closeAllEditors, eventually } from './editors';
import { fixtureFolder, rustyExtension } from './helpers';
import { MetricsStore } from '../../src/core/ai/metrics/store';
import type { McpCallResult } from '../../src/core/mcp/types';
import { workspaceStateDir } from '../../src/core/state/location';
import { AiError, type StreamEvent } from '../../src/core/ai/types';
import { VscodeLmProvider } from '../../src/extension/ai/vscodeLmProvider';

const MODEL = 'rusty-test/scripted';

interface SeenRequest {
  messages: { role: string; parts: Record<string, unknown>[] }[];
  tools: string[];
}

async function lastRequest(): Promise<SeenRequest> {
  const r = await vscode.commands.executeCommand<SeenRequest | undefined>('rustyTest.lastLmRequest');
  assert.ok(r, 'the fixture model saw no request');
  return r;
}

async function provider(): Promise<VscodeLmProvider> {
  const p = new VscodeLmProvider();
  // The fixture registers its model on activation ("*"); wait until VS Code lists it.
  for (let i = 0; i < 50; i++) {
    if ((await p.listModels()).some((m) => m.id === MODEL)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`VS Code never listed ${MODEL}; models: ${(await p.listModels()).map((m) => m.id).join(', ') || 'none'}`);
}

suite('ai: VS Code language models (vscode.lm) as a Rusty provider', () => {
  test('lists the registered model with its context window', async () => {
    const models = await (await provider()).listModels();
    const m = models.find((x) => x.id === MODEL);
    assert.ok(m);
    assert.equal(m.contextWindow, 100000);
    assert.equal(m.supportsTools, true);
  });

  test('streams text deltas, and counts usage with the model\'s tokenizer', async () => {
    const p = await provider();
    const events: StreamEvent[] = [];
    const r = await p.chat({ model: MODEL, system: 'You are terse.', messages: [{ role: 'user', content: 'say hello to the reviewer please' }] }, (e) => events.push(e));
    const deltas = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text);
    assert.ok(deltas.length >= 2, `expected several text deltas, got ${JSON.stringify(deltas)}`);
    assert.equal(r.text, deltas.join(''));
    assert.match(r.text, /^Echo: [\s\S]*reviewer please$/);
    assert.equal(r.provider, 'vscode-lm');
    assert.equal(r.model, MODEL);
    assert.equal(r.stopReason, 'end');
    assert.ok(r.usage.inputTokens > 0 && r.usage.outputTokens > 0, JSON.stringify(r.usage));
    // The stable API has no system role: the system prompt leads the first user message.
    const seen = await lastRequest();
    assert.equal(seen.messages.length, 1);
    assert.match(String(seen.messages[0]?.parts[0]?.text), /^You are terse\.\n\nsay hello/);
  });

  test('passes tools, returns the model\'s tool call, and sends tool results back as tool-result parts', async () => {
    const p = await provider();
    const tools = [{ name: 'read_file', description: 'Read a workspace file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
    const first = await p.chat({ model: MODEL, tools, messages: [{ role: 'user', content: 'call-tool read_file {"path":"src/a.ts"}' }] });
    assert.equal(first.stopReason, 'tool-use');
    assert.deepEqual(first.toolCalls, [{ id: 'call-1', name: 'read_file', arguments: { path: 'src/a.ts' } }]);
    assert.deepEqual((await lastRequest()).tools, ['read_file']);

    await p.chat({
      model: MODEL, tools,
      messages: [
        { role: 'user', content: 'read a.ts' },
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call-1', name: 'read_file', content: 'export const a = 1;' },
        { role: 'user', content: 'now answer' },
      ],
    });
    const seen = await lastRequest();
    assert.deepEqual(seen.messages.map((m) => m.role), ['user', 'assistant', 'user', 'user']);
    assert.deepEqual(seen.messages[1]?.parts, [{ toolCall: 'read_file', callId: 'call-1', input: { path: 'src/a.ts' } }]);
    assert.deepEqual(seen.messages[2]?.parts, [{ toolResult: 'call-1', content: ['export const a = 1;'] }]);
  });

  test('a blocked request is a rate-limit AiError with something to do', async () => {
    const p = await provider();
    await assert.rejects(p.chat({ model: MODEL, messages: [{ role: 'user', content: 'fail-blocked' }] }), (err: unknown) => {
      assert.ok(err instanceof AiError, String(err));
      assert.equal(err.kind, 'rate-limit');
      assert.equal(err.resolution, 'retry');
      assert.match(err.message, /quota exceeded/);
      return true;
    });
  });

  test('an unknown model is "unavailable" and names the models there are', async () => {
    const p = await provider();
    await assert.rejects(p.chat({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof AiError);
      assert.equal(err.kind, 'unavailable');
      assert.match(err.message, /rusty-test\/scripted/);
      return true;
    });
  });

  test('cancelling mid-stream ends the request promptly as "cancelled"', async () => {
    const p = await provider();
    const ac = new AbortController();
    let deltas = 0;
    const started = Date.now();
    const pending = p.chat({ model: MODEL, messages: [{ role: 'user', content: 'slow' }], signal: ac.signal }, (e) => {
      if (e.type === 'text' && ++deltas === 2) ac.abort();
    });
    await assert.rejects(pending, (err: unknown) => err instanceof AiError && err.kind === 'cancelled');
    // 100 parts at 200 ms would take 20 s; cancelled after the second.
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});

// "Rusty: Ask…" end to end: Rusty (the installed extension) asks the fixture's scripted model
// through vscode.lm, the agent loop validates its edit, and a pending proposal is queued — nothing
// is written. The command takes an argument object that skips the prompts.
interface AskResult {
  created: string[];
  existing: string[];
  proposals: { id: string; source: string }[];
  route?: string;
  answer?: string;
  thread?: string;
  mcpTools?: string[];
  error?: { code: string; message: string };
}

function rustyCore(): RustyCore {
  return new RustyCore({ workspace: fixtureFolder().uri.fsPath, actor: 'host-test' });
}

suite('ai: "Rusty: Ask…" with the fixture model', () => {
  suiteSetup(async () => {
    await rustyExtension().activate();
    await provider(); // the fixture's model is listed
  });

  test('an edit from the model becomes a pending proposal with source ai:vscode-lm/…, the right diff, and nothing written', async () => {
    const file = path.join(fixtureFolder().uri.fsPath, 'src', 'math.ts');
    const before = fs.readFileSync(file, 'utf8');
    const r = await vscode.commands.executeCommand<AskResult>('rusty.ai.ask', {
      task: 'Make add return twice the sum. RUSTY-FIXTURE-EDIT src/math.ts|  return a + b;|  return (a + b) * 2;',
      scope: 'workspace', maxRounds: 1,
    });
    assert.ok(r, 'rusty.ai.ask returned nothing');
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.proposals.length, 1, JSON.stringify(r));
    assert.equal(r.proposals[0]!.source, `ai:vscode-lm/${MODEL}`);
    assert.match(r.route ?? '', /vscode-lm\/rusty-test\/scripted/);
    const core = rustyCore();
    const p = core.get(r.proposals[0]!.id);
    assert.equal(p.status, 'pending');
    assert.equal(p.title, 'Fixture edit of src/math.ts');
    assert.deepEqual(p.files.map((f) => [f.path, f.added, f.removed]), [['src/math.ts', 1, 1]]);
    assert.equal(Buffer.from(core.blobText(p.files[0]!.newHash!)).toString('utf8'), before.replace('  return a + b;', '  return (a + b) * 2;'));
    assert.equal(p.ai?.provider, 'vscode-lm');
    assert.equal(p.ai?.model, MODEL);
    assert.ok(p.ai?.transcript, 'the redacted transcript is kept');
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'asking writes nothing to the workspace');
    await vscode.commands.executeCommand('rusty.reject', { id: p.id, reason: 'host test cleanup' });
  });

  test('a cancelled ask queues nothing', async () => {
    const pending = (): string[] => rustyCore().list().filter((p) => p.status === 'pending').map((p) => p.id);
    const was = pending();
    const cts = new vscode.CancellationTokenSource();
    const started = Date.now();
    setTimeout(() => cts.cancel(), 1500);
    const r = await vscode.commands.executeCommand<AskResult>('rusty.ai.ask', { task: 'Explain this slowly please (slow)', scope: 'workspace', token: cts.token });
    assert.equal(r.error?.code, 'cancelled', JSON.stringify(r));
    assert.deepEqual(r.proposals, []);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(pending(), was, 'nothing was queued');
  });

  test('Set API Key / Clear API Key round trip through SecretStorage', async () => {
    const clear = (): Thenable<{ vendor: string; cleared: boolean }> => vscode.commands.executeCommand('rusty.ai.clearApiKey', { vendor: 'gemini' });
    await clear();
    assert.deepEqual(await clear(), { vendor: 'gemini', cleared: false });
    const bad = await vscode.commands.executeCommand<{ stored: boolean; error?: string }>('rusty.ai.setApiKey', { vendor: 'gemini', key: 'sk-ant-not-a-gemini-key' });
    assert.equal(bad.stored, false);
    assert.doesNotMatch(bad.error ?? '', /not-a-gemini-key/, 'the key is never echoed');
    assert.deepEqual(await clear(), { vendor: 'gemini', cleared: false });
    assert.deepEqual(await vscode.commands.executeCommand('rusty.ai.setApiKey', { vendor: 'gemini', key: 'AIzaSyHostTest-0123456789abcdef' }), { vendor: 'gemini', stored: true });
    assert.deepEqual(await clear(), { vendor: 'gemini', cleared: true });
    assert.deepEqual(await clear(), { vendor: 'gemini', cleared: false });
    const settings = JSON.stringify(vscode.workspace.getConfiguration('rusty'));
    assert.doesNotMatch(settings, /AIzaSyHostTest/, 'the key is not in the settings');
  });
});

// MCP with the AI runtime in VS Code: server-everything (from the repository's node_modules) asks
// for sampling and is answered by the fixture's model through the router; "Ask…" offers the
// server's tools to the model through the permission gate and keeps a thread for follow-ups; the
// AI Models view redraws when another process writes the metrics.
const REPO = path.resolve(__dirname, '..', '..', '..');
const EVERYTHING = path.join(REPO, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const ws = (...parts: string[]): string => path.join(fixtureFolder().uri.fsPath, ...parts);
const stateDir = (): string => workspaceStateDir(fixtureFolder().uri.fsPath, process.env);

interface AuditLine { action: string; details: Record<string, unknown> }
function audit(): AuditLine[] {
  const file = path.join(stateDir(), 'audit.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditLine) : [];
}

suite('ai: MCP sampling, MCP tools and threads in VS Code', () => {
  const created: string[] = [];
  suiteSetup(async function () {
    if (!fs.existsSync(EVERYTHING)) this.skip();
    for (const dir of ['.vscode', '.rusty']) {
      if (!fs.existsSync(ws(dir))) {
        fs.mkdirSync(ws(dir), { recursive: true });
        created.push(ws(dir));
      }
    }
    const command = process.versions.electron ? 'node' : process.execPath;
    fs.writeFileSync(ws('.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { type: 'stdio', command, args: [EVERYTHING] } } }, null, 2));
    fs.writeFileSync(ws('.rusty', 'policy.json'), JSON.stringify({
      rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }, { server: 'everything', tool: 'trigger-sampling-request', decision: 'allow' }],
      sampling: { allow: ['everything'] },
    }, null, 2));
    await rustyExtension().activate();
    await provider();
    // The MCP service re-reads the configs shortly after the files change (debounced watcher).
    await eventually(async () => {
      const r = await vscode.commands.executeCommand<{ servers: { label: string }[] } | undefined>('rusty.mcp.refresh');
      return !!r?.servers.some((n) => n.label === 'everything');
    }, 'the MCP view to list server-everything', 15_000);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('rusty.mcp.stop', 'everything');
    await closeAllEditors();
    fs.rmSync(ws('.vscode', 'mcp.json'), { force: true });
    fs.rmSync(ws('.rusty', 'policy.json'), { force: true });
    for (const dir of created.reverse()) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a server\'s sampling/createMessage is answered by VS Code\'s model through the router, and audited', async () => {
    const result = await vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', {
      server: 'everything', tool: 'trigger-sampling-request', args: { prompt: 'greetings from the sampling host test', maxTokens: 60 },
    });
    assert.ok(result, 'the call failed (see the Rusty output)');
    const text = JSON.stringify(result.content);
    assert.match(text, /Echo: /, text);
    assert.match(text, /sampling host test/, text);
    assert.match(text, /vscode-lm\/rusty-test\/scripted/, text);
    await eventually(() => audit().some((l) => l.action === 'mcp.sampling' && l.details['decision'] === 'allow' && l.details['by'] === 'policy'
      && l.details['model'] === 'vscode-lm/rusty-test/scripted' && l.details['ok'] === true), 'mcp.sampling in the audit log');
  });

  test('Ask… offers the MCP tools (called through the gate) and a follow-up on the same thread carries the conversation', async () => {
    const first = await vscode.commands.executeCommand<AskResult>('rusty.ai.ask', {
      task: 'Use the echo tool. call-tool mcp__everything__echo {"message":"from the model"}', scope: 'workspace', maxRounds: 1, open: false,
    });
    assert.equal(first.error, undefined, JSON.stringify(first));
    assert.ok(first.mcpTools?.includes('everything/echo'), JSON.stringify(first.mcpTools));
    assert.match(first.thread ?? '', /^vscode-[0-9a-f]{8}$/);
    const seen = await lastRequest();
    assert.ok(seen.tools.includes('mcp__everything__echo'), JSON.stringify(seen.tools));
    assert.ok(JSON.stringify(seen.messages).includes('Echo: from the model'), 'the tool result went back to the model');
    await eventually(() => audit().some((l) => l.action === 'mcp.call' && l.details['tool'] === 'echo' && l.details['outcome'] === 'ok'), 'the gated echo call in the audit log');

    const followUp = await vscode.commands.executeCommand<AskResult>('rusty.ai.ask', { task: 'And what did it say?', thread: first.thread, scope: 'workspace', mcp: false, open: false });
    assert.equal(followUp.error, undefined, JSON.stringify(followUp));
    assert.equal(followUp.thread, first.thread);
    assert.equal(followUp.mcpTools, undefined);
    const opening = JSON.stringify((await lastRequest()).messages[0]);
    assert.match(opening, /This continues a conversation/);
    assert.match(opening, /Question: Use the echo tool\./);
    assert.match(opening, /Task: And what did it say\?/);
  });

  test('the AI Models view redraws by itself when another process writes the metrics', async () => {
    await vscode.commands.executeCommand('rusty.ai.refreshStats');
    await new Promise((r) => setTimeout(r, 500));
    const count = async (): Promise<number> => (await vscode.commands.executeCommand<{ autoRefreshes: number }>('rusty.ai.refreshStats', { peek: true })).autoRefreshes;
    const before = await count();
    // What `rusty ask` in a terminal does after each request.
    await new MetricsStore(path.join(stateDir(), 'ai')).record({ provider: 'anthropic', model: 'claude-haiku-4-5', task: 'explain', ok: true, latencyMs: 800, tokensIn: 100, tokensOut: 20, costUsd: 0.0002 });
    await eventually(async () => (await count()) > before, 'the view to redraw after the metrics changed', 5000);
    const rows = await vscode.commands.executeCommand<{ label: string; children?: { label: string }[] }[]>('rusty.ai.refreshStats');
    assert.ok(JSON.stringify(rows).includes('claude-haiku-4-5'), JSON.stringify(rows));
  });
});
