// `rusty ai …` through the built CLI (dist/cli.js; run `npm run build` first): the --json shapes
// of `ai stats` (metrics written by the real MetricsStore into the workspace's state folder) and
// `ai providers` (the real provider registry, pointed at a local OpenAI-protocol server), a corrupt metrics file recovered with a
// warning, settings read from .vscode/settings.json, and untrusted names escaped on a terminal.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli, type CliResult } from '../core/testing/cli';
import { workspaceStateDir } from '../core/state/location';
import { StatePaths } from '../core/state/statePaths';
import { MetricsStore } from '../core/ai/metrics/store';
import { SpendLedger, dayKey } from '../core/ai/budget/ledger';
import { terminalText } from './terminalText';
import { ProtocolServer } from '../core/ai/testing/protocolServer';
import { openAiModels } from '../core/ai/providers/openai/testServer';

let cli: Cli;
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());

interface Env { tmp: string; ws: string; stateRoot: string }
const envs: Env[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) fs.rmSync(e.tmp, { recursive: true, force: true });
});

function setup(settings?: Record<string, unknown>): Env {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-cli-ai-')));
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  if (settings) fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(settings));
  const e = { tmp, ws, stateRoot: path.join(tmp, 'state') };
  envs.push(e);
  return e;
}

const aiDir = (e: Env) => new StatePaths(workspaceStateDir(e.ws, { RUSTY_STATE_DIR: e.stateRoot })).ai;

// No key from the developer's environment may change what is "configured".
const NO_KEYS = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', GEMINI_API_KEY: '' };

function rusty(e: Env, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return cli.run([...args, '-w', e.ws], { env: { RUSTY_STATE_DIR: e.stateRoot, ...NO_KEYS, ...extraEnv } });
}

describe('rusty ai stats', () => {
  it('--json: per-model metrics from the state folder, today\'s spend and the budgets from the settings', async () => {
    const e = setup({ 'rusty.ai.budget.perDayUsd': 5, 'rusty.ai.budget.perTaskTokens': 50000 });
    const store = new MetricsStore(aiDir(e));
    for (const ms of [1200, 800, 3000, 1000]) {
      await store.record({ provider: 'anthropic', model: 'claude-sonnet-4-5', task: 'fix', ok: true, latencyMs: ms, tokensIn: 1000, tokensOut: 200, costUsd: 0.006 });
    }
    await store.record({ provider: 'anthropic', model: 'claude-sonnet-4-5', task: 'fix', ok: false, errorKind: 'rate-limit', latencyMs: 90, tokensIn: 0, tokensOut: 0, costUsd: 0 });
    await new SpendLedger(aiDir(e)).add(4800, 0.024);

    const r = await rusty(e, ['ai', 'stats', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = parseJson<{ models: Record<string, unknown>[]; today: Record<string, unknown>; budget: Record<string, unknown> }>(r);
    expect(json).toEqual({
      models: [{
        provider: 'anthropic', model: 'claude-sonnet-4-5', requests: 5, successes: 4, failures: { 'rate-limit': 1 },
        recentSuccessRate: 0.8, p50Ms: 1000, p95Ms: 3000, latencySamples: 4, tokensIn: 4000, tokensOut: 800,
        costUsd: expect.closeTo(0.024, 10), updatedAt: expect.any(String),
      }],
      today: { day: dayKey(new Date()), tokens: 4800, usd: 0.024, requests: 1 },
      budget: { perDayUsd: 5, perTaskTokens: 50000 },
    });

    const text = await rusty(e, ['ai', 'stats']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/anthropic\/claude-sonnet-4-5\s+5\s+4\s+1 rate-limit\s+1\.0 s\s+3\.0 s\s+4,000\s+800\s+\$0\.02/);
    expect(text.stdout).toContain('Budgets: 50,000 tokens per task, $5.00 per day');
  });

  it('an empty state folder: no models, zero spend; nothing is created', async () => {
    const e = setup();
    const r = await rusty(e, ['ai', 'stats', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson(r)).toEqual({ models: [], today: { day: dayKey(new Date()), tokens: 0, usd: 0, requests: 0 }, budget: {} });
    expect(fs.existsSync(e.stateRoot)).toBe(false);
  });

  it('a corrupt metrics file: a warning on stderr, exit 0, the file moved aside', async () => {
    const e = setup();
    fs.mkdirSync(aiDir(e), { recursive: true });
    fs.writeFileSync(path.join(aiDir(e), 'metrics.json'), '{"version":1,"models":');
    const r = await rusty(e, ['ai', 'stats', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<{ models: unknown[] }>(r).models).toEqual([]);
    expect(r.stderr).toMatch(/^rusty: warning: .*metrics\.json was unreadable .* moved to .*metrics\.json\.corrupt-/m);
    expect(fs.readdirSync(aiDir(e)).some((f) => f.startsWith('metrics.json.corrupt-'))).toBe(true);
  });

  it('a bad budget setting is ignored with a warning naming the key', async () => {
    const e = setup({ 'rusty.ai.budget.perDayTokens': 'lots' });
    const r = await rusty(e, ['ai', 'stats', '--json']);
    expect(r.code).toBe(0);
    expect(parseJson<{ budget: unknown }>(r).budget).toEqual({});
    expect(r.stderr).toContain('rusty: warning: rusty.ai.budget.perDayTokens must be a number > 0 (0 = no cap), got "lots"; no cap is applied.');
  });
});

describe('rusty ai providers', () => {
  // The real provider registry: OPENAI_BASE_URL → a local server in the OpenAI protocol (its /models list).
  const servers: ProtocolServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function openAi(ids: string[]): Promise<string> {
    const s = await ProtocolServer.start((req) => (req.url.endsWith('/models') ? openAiModels(ids) : { status: 404 }));
    servers.push(s);
    return `${s.url}/v1`;
  }
  const NO_PROBE = { 'rusty.ai.local.baseUrls': [] };

  it('--json: configured providers from the registry, and the sample task routed with its rationale', async () => {
    // Anthropic's model list is unreachable (a closed port): the configured models are offered.
    const e = setup({ ...NO_PROBE, 'rusty.ai.anthropic.models': ['claude-sonnet-4-5'], 'rusty.ai.anthropic.baseUrl': 'http://127.0.0.1:9' });
    const url = await openAi(['qwen2.5-coder:7b']);
    const r = await rusty(e, ['ai', 'providers', '--json'], { OPENAI_BASE_URL: url, ANTHROPIC_API_KEY: 'sk-ant-test-not-a-real-key' });
    expect(r.code, r.stderr).toBe(0);
    const json = parseJson<{ providers: { id: string; configured: boolean; detail: string; models: { model: string; price?: unknown }[] }[]; sample: Record<string, unknown> }>(r);
    expect(json.providers.map((p) => [p.id, p.configured, p.detail])).toEqual([
      ['anthropic', true, '1 model'],
      ['openai', true, '1 model (local)'],
      ['gemini', false, 'set GEMINI_API_KEY'],
      ['vscode-lm', false, 'only inside VS Code'],
    ]);
    expect(json.providers[1]!.models).toMatchObject([{ model: 'qwen2.5-coder:7b', price: { input: 0, output: 0 } }]);
    expect(json.sample).toMatchObject({
      task: 'Fix the failing test in src/parser.ts',
      profile: { kind: 'fix', needsTools: true, urgency: 'interactive' },
      choice: { provider: 'openai', model: 'qwen2.5-coder:7b' },
      fallbacks: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }],
    });
    expect(r.stdout + r.stderr).not.toContain('sk-ant-test');
    // Nothing the command wrote (or a later stats run wrote) holds the key.
    await rusty(e, ['ai', 'stats'], { ANTHROPIC_API_KEY: 'sk-ant-test-not-a-real-key' });
    const files = fs.existsSync(e.stateRoot) ? (fs.readdirSync(e.stateRoot, { recursive: true }) as string[]).map((f) => path.join(e.stateRoot, f)).filter((f) => fs.statSync(f).isFile()) : [];
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toContain('sk-ant-test');
  });

  it('an override that matches nothing: the sample says why (exit 0); a bad --provider is a usage error', async () => {
    const e = setup(NO_PROBE);
    const url = await openAi(['gpt-4.1']);
    const r = await rusty(e, ['ai', 'providers', '--json', '--provider', 'gemini'], { OPENAI_BASE_URL: url });
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<{ sample: { error: unknown } }>(r).sample.error).toMatchObject({ code: 'ai-unavailable', message: 'No configured model matches gemini; configured: openai/gpt-4.1.' });
    const bad = await rusty(e, ['ai', 'providers', '--json', '--provider', 'nope'], { OPENAI_BASE_URL: url });
    expect(bad.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(bad).error.code).toBe('usage');
  });

  it('nothing configured: every vendor says how to configure it, and the sample says no provider is configured', async () => {
    const e = setup(NO_PROBE);
    const r = await rusty(e, ['ai', 'providers', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = parseJson<{ providers: { id: string; configured: boolean; detail: string }[]; sample: { error: { message: string } } }>(r);
    expect(json.providers.map((p) => [p.id, p.configured, p.detail])).toEqual([
      ['anthropic', false, 'set ANTHROPIC_API_KEY'],
      ['openai', false, 'set OPENAI_API_KEY or OPENAI_BASE_URL'],
      ['gemini', false, 'set GEMINI_API_KEY'],
      ['vscode-lm', false, 'only inside VS Code'],
    ]);
    expect(json.sample.error.message).toBe('No model provider is configured.');
  });

  it('model names from a server\'s list are escaped on the terminal', async () => {
    const e = setup(NO_PROBE);
    const url = await openAi(['evil\u001b[2J\u001b]0;pwned\u0007']);
    const r = await rusty(e, ['ai', 'providers', '--task', 'Explain this'], { OPENAI_BASE_URL: url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.includes('\u0007') || r.stdout.includes('\u001b')).toBe(false);
    expect(r.stdout).toContain('openai/evil\\x1b[2J\\x1b]0;pwned\\x07');
  });
});

describe('terminalText', () => {
  it('escapes control characters and bidi overrides; keeps newlines only when multiline', () => {
    expect(terminalText('a\u001b[31mb\rc\u202ed\ne\tf')).toBe('a\\x1b[31mb\\rc<U+202E>d\\ne\tf');
    expect(terminalText('line 1\nline 2\u009b', { multiline: true })).toBe('line 1\nline 2\\x9b');
    expect(terminalText('plain ünïcødé ✓')).toBe('plain ünïcødé ✓');
  });
});
