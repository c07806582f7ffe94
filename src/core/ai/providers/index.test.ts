import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecrets } from '../../ports/secrets';
import { ProtocolServer } from '../testing/protocolServer';
import { AnthropicProvider, GeminiProvider, OpenAiProvider, SECRET_KEYS, configuredProviders, createProvider } from './index';
import { anthropicStream } from './anthropic/testServer';
import { openAiModels } from './openai/testServer';

const ANTHROPIC_KEY = 'sk-ant-api03-registry0123456789abcdefghijklmnop';
const OPENAI_KEY = 'sk-proj-registry0123456789abcdefghijklmnop';
const GEMINI_KEY = 'AIzaSyRegistry0123456789abcdefghijklmn';

let server: ProtocolServer;
beforeEach(async () => { server = await ProtocolServer.start(); });
afterEach(async () => { await server.close(); });

describe('provider registry', () => {
  it('createProvider builds each vendor without loading or contacting anything', () => {
    expect(createProvider('anthropic', { apiKey: 'k' })).toBeInstanceOf(AnthropicProvider);
    expect(createProvider('openai', {})).toBeInstanceOf(OpenAiProvider);
    expect(createProvider('gemini', { apiKey: 'k' })).toBeInstanceOf(GeminiProvider);
    expect(server.requests).toHaveLength(0);
  });

  it('reads keys from the environment first, then the Secrets port; vendors without a key are left out', async () => {
    const secrets = new MemorySecrets();
    await secrets.store(SECRET_KEYS.gemini, GEMINI_KEY);
    await secrets.store(SECRET_KEYS.anthropic, 'sk-ant-api03-from-secrets-0123456789abcdefghij');
    const { providers, warnings } = await configuredProviders({ env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY }, secrets });
    expect(warnings).toEqual([]);
    expect(providers.map((p) => [p.name, p.keySource, p.local])).toEqual([
      ['anthropic', 'env', false],
      ['gemini', 'secrets', false],
    ]);
  });

  it('OPENAI_BASE_URL pointing at a local server needs no key and is local', async () => {
    const { providers } = await configuredProviders({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' } });
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ name: 'ollama', id: 'openai', local: true, keySource: 'none' });
    const remote = await configuredProviders({ env: { OPENAI_BASE_URL: 'https://openrouter.ai/api/v1' } });
    expect(remote.providers).toEqual([]);
    const withKey = await configuredProviders({ env: { OPENAI_API_KEY: OPENAI_KEY } });
    expect(withKey.providers[0]).toMatchObject({ name: 'openai', local: false, keySource: 'env' });
  });

  it('refuses API keys put in settings, and ignores bad URLs, with one line each', async () => {
    const { providers, warnings } = await configuredProviders({
      env: { OPENAI_API_KEY: OPENAI_KEY },
      settings: {
        'rusty.ai.openai.apiKey': 'sk-proj-in-settings-0123456789abcdefghij', 'rusty.ai.openai.baseUrl': 'ftp://x',
        // Budget caps count tokens; they are not credentials.
        'rusty.ai.budget.perTaskTokens': 1000, 'rusty.ai.budget.perDayTokens': 0,
      },
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/"rusty\.ai\.openai\.apiKey" ignored: API keys are never read from settings/);
    expect(warnings[1]).toMatch(/rusty\.ai\.openai\.baseUrl ignored/);
    expect(warnings.join('\n')).not.toContain('sk-proj-in-settings');
    expect((providers[0]!.provider as OpenAiProvider).baseUrl).toBe('https://api.openai.com/v1');
  });

  it('finds a running local OpenAI-compatible server by probing GET /models', async () => {
    server.respondWith((req) => req.url === '/v1/models' ? openAiModels(['llama3.1:8b']) : { status: 404 });
    const { providers } = await configuredProviders({
      settings: { 'rusty.ai.local.baseUrls': [`${server.url}/v1`, 'http://127.0.0.1:9/v1'] },
      probeLocal: true,
      probeTimeoutMs: 500,
    });
    expect(providers.map((p) => p.name)).toEqual([`openai-compatible:${server.url}/v1`]);
    expect(providers[0]!.local).toBe(true);
    expect((await providers[0]!.provider.listModels()).map((m) => m.id)).toEqual(['llama3.1:8b']);
  });

  it('a provider never shows its key in JSON or util.inspect, even after a request', async () => {
    server.enqueue(anthropicStream({ text: ['hi'] }));
    const { providers } = await configuredProviders({
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      settings: { 'rusty.ai.anthropic.baseUrl': server.url },
      maxRetries: 0,
    });
    const p = providers[0]!;
    expect((await p.provider.chat({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'x' }] })).text).toBe('hi');
    expect(JSON.stringify(providers)).not.toContain(ANTHROPIC_KEY);
    expect(inspect(providers, { depth: 20, showHidden: true })).not.toContain(ANTHROPIC_KEY);
  });
});
