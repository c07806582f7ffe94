// MCP sampling with the real server-everything (its `trigger-sampling-request` tool sends
// `sampling/createMessage` back to the client) and the AI runtime behind it (a scripted provider):
// the capability is declared only with a model, the policy or the approval hook decides, and
// every request is audited as `mcp.sampling` without the prompt's secrets.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit';
import { McpService, type McpServiceOptions } from '../service';
import { AiRuntime } from '../../ai/runtime';
import { ScriptedProvider } from '../../ai/providers/scripted';
import { aiSamplingModel } from '../../ai/sampling';
import type { McpSamplingHooks, SamplingSummary } from '.';
import { serverPackage } from '../client/testSupport';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup { workspace: string; stateDir: string; tmp: string }

function setup(policy: Record<string, unknown>): Setup {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mcp-sampling-')));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const workspace = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(workspace, '.rusty'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: 'everything', tool: '*', decision: 'allow' }], ...policy }));
  return { workspace, stateDir: path.join(tmp, 'state'), tmp };
}

const everything = { type: 'stdio', command: process.execPath, args: [serverPackage('server-everything'), 'stdio'] };

/** The runtime the CLI builds, with a scripted model instead of a vendor (same router, budgets, metrics). */
function model(s: Setup, text: string): { hooks: McpSamplingHooks; provider: ScriptedProvider } {
  const provider = new ScriptedProvider(Array.from({ length: 10 }, () => ({ text })));
  const runtime = new AiRuntime({ aiDir: path.join(s.stateDir, 'ai'), env: {}, settings: { 'rusty.ai.local.baseUrls': [] }, extra: [{ id: 'scripted', provider }] });
  return { hooks: { complete: aiSamplingModel(runtime) }, provider };
}

async function open(s: Setup, extra: Partial<McpServiceOptions> = {}): Promise<McpService> {
  const service = await McpService.create({
    workspace: s.workspace, stateDir: s.stateDir, env: process.env, actor: 'test', home: s.tmp,
    settings: { servers: { everything }, importFrom: [] }, client: { pingIntervalMs: 60_000 }, ...extra,
  });
  cleanups.push(() => service.dispose().catch(() => undefined));
  await service.start();
  return service;
}

const sampling = (s: Setup) => new AuditLog(path.join(s.stateDir, 'audit.jsonl')).read({ action: 'mcp.sampling' });
const text = (r: { content?: unknown }) => JSON.stringify(r.content);
const PROMPT = 'Say hi. token sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789';

describe('MCP sampling through the AI runtime (server-everything)', () => {
  it('allowed by .rusty/policy.json: the tool result holds the model\'s text; audited with model and tokens, the key redacted', async () => {
    const s = setup({ sampling: { allow: ['everything'] } });
    const { hooks, provider } = model(s, 'Hello from the model.');
    const service = await open(s, { sampling: hooks });
    expect(service.tools().map((t) => t.name)).toContain('trigger-sampling-request');
    const r = await service.callTool('everything', 'trigger-sampling-request', { prompt: PROMPT, maxTokens: 50 });
    expect(text(r)).toContain('Hello from the model.');
    expect(text(r)).toContain('scripted/scripted');
    expect(provider.requests[0]!.system).toBe('You are a helpful test server.');
    expect(provider.requests[0]!.maxTokens).toBe(50);
    await service.flushAudit();
    const [e] = sampling(s);
    expect(e!.details).toMatchObject({ server: 'everything', decision: 'allow', by: 'policy', model: 'scripted/scripted', ok: true, maxOutput: 50 });
    expect((e!.details as { usage: { input: number } }).usage.input).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(s.stateDir, 'audit.jsonl'), 'utf8')).not.toContain('sk-ant-api03');
  }, 30_000);

  it('no policy entry and no one to ask: the server gets an error naming the policy; audited as deny; the model is not called', async () => {
    const s = setup({});
    const { hooks, provider } = model(s, 'never');
    const service = await open(s, { sampling: hooks });
    const r = await service.callTool('everything', 'trigger-sampling-request', { prompt: 'hi', maxTokens: 10 }).then((x) => text(x), (err: Error) => err.message);
    expect(r).toContain('Sampling request refused: there is no one to approve it here');
    expect(r).toMatch(/policy\.json with \\"sampling\\": \{\\"allow\\": \[\\"everything\\"\]\}/);
    expect(provider.requests).toHaveLength(0);
    await service.flushAudit();
    expect(sampling(s).map((e) => e.details)).toMatchObject([{ server: 'everything', decision: 'deny', by: 'no-prompt' }]);
  }, 30_000);

  it('the approval hook sees a summary; deny → error for the server; always → not asked again', async () => {
    const s = setup({});
    const seen: SamplingSummary[] = [];
    const answers = ['deny', 'always'] as const;
    const { hooks } = model(s, 'Approved answer.');
    const service = await open(s, { sampling: { ...hooks, approve: async (sum) => { seen.push(sum); return answers[seen.length - 1] ?? 'deny'; } } });
    const denied = await service.callTool('everything', 'trigger-sampling-request', { prompt: 'first', maxTokens: 10 }).then((x) => text(x), (err: Error) => err.message);
    expect(denied).toContain('Sampling request refused: the user declined it.');
    expect(text(await service.callTool('everything', 'trigger-sampling-request', { prompt: 'second', maxTokens: 10 }))).toContain('Approved answer.');
    expect(text(await service.callTool('everything', 'trigger-sampling-request', { prompt: 'third', maxTokens: 10 }))).toContain('Approved answer.');
    expect(seen.map((x) => [x.server, x.preview, x.maxTokens])).toEqual([
      ['everything', 'Resource trigger-sampling-request context: first', 10],
      ['everything', 'Resource trigger-sampling-request context: second', 10],
    ]);
    await service.flushAudit();
    expect(sampling(s).map((e) => [(e.details as { decision: string }).decision, (e.details as { by: string }).by])).toEqual([['deny', 'user'], ['allow', 'user'], ['allow', 'session']]);
  }, 30_000);

  it('without a model provider the capability is not declared: server-everything offers no sampling tool', async () => {
    const s = setup({ sampling: { allow: ['everything'] } });
    const service = await open(s);
    expect(service.tools().map((t) => t.name)).not.toContain('trigger-sampling-request');
  }, 30_000);
});
