// `${input:id}`: asked once, kept in the Secrets port, never leaked into errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecrets } from '../../ports/secrets';
import type { McpInputSpec } from '../types';
import { sandbox, type Sandbox } from './fixtures/sandbox';
import { loadMcpConfig, secretInputResolver, secretKeyForInput } from './index';

let sb: Sandbox;
beforeEach(() => { sb = sandbox(); });
afterEach(() => sb.cleanup());

const mcpJson = {
  inputs: [{ type: 'promptString', id: 'api-key', description: 'API key', password: true }],
  servers: {
    one: { type: 'http', url: 'https://one.example/mcp', headers: { Authorization: 'Bearer ${input:api-key}' } },
    two: { command: 'node', env: { KEY: '${input:api-key}' } },
    plain: { command: 'node' },
  },
};

function counter(answer: string | undefined) {
  const asked: McpInputSpec[] = [];
  return { asked, ask: async (spec: McpInputSpec) => { asked.push(spec); return answer; } };
}

describe('inputs', () => {
  it('asks once per load however many servers use the input', async () => {
    sb.write('ws/.vscode/mcp.json', JSON.stringify(mcpJson));
    const { asked, ask } = counter('s3cret');
    const loaded = await loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {}, resolveInput: ask });
    expect(asked).toEqual([{ type: 'promptString', id: 'api-key', description: 'API key', password: true }]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers[0]?.headers).toEqual({ Authorization: 'Bearer s3cret' });
    expect(loaded.servers[1]?.env).toEqual({ KEY: 's3cret' });
  });

  it('keeps the answer in the Secrets port, so the next load does not ask again', async () => {
    sb.write('ws/.vscode/mcp.json', JSON.stringify(mcpJson));
    const secrets = new MemorySecrets();
    const { asked, ask } = counter('s3cret');
    const resolveInput = secretInputResolver(secrets, ask);
    await loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {}, resolveInput });
    const second = await loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {}, resolveInput: secretInputResolver(secrets, ask) });
    expect(asked).toHaveLength(1);
    expect(await secrets.get('mcp.input.api-key')).toBe('s3cret');
    expect(secretKeyForInput('api-key')).toBe('mcp.input.api-key');
    expect(second.servers[1]?.env).toEqual({ KEY: 's3cret' });
  });

  it('shares one question between concurrent requests for the same input', async () => {
    const secrets = new MemorySecrets();
    let release!: (v: string) => void;
    let asks = 0;
    const resolve = secretInputResolver(secrets, () => { asks++; return new Promise<string>((r) => { release = r; }); });
    const spec: McpInputSpec = { id: 'tok', type: 'promptString' };
    const answers = Promise.all([resolve(spec), resolve(spec), resolve(spec)]);
    await new Promise((r) => setTimeout(r, 10));
    release('v');
    expect(await answers).toEqual(['v', 'v', 'v']);
    expect(asks).toBe(1);
    expect(await resolve(spec)).toBe('v');
    expect(asks).toBe(1);
  });

  it('does not store a dismissed prompt, and asks again next time', async () => {
    const secrets = new MemorySecrets();
    const { asked, ask } = counter(undefined);
    const resolve = secretInputResolver(secrets, ask);
    expect(await resolve({ id: 'x', type: 'promptString' })).toBeUndefined();
    expect(await resolve({ id: 'x', type: 'promptString' })).toBeUndefined();
    expect(asked).toHaveLength(2);
    expect(await secrets.get('mcp.input.x')).toBeUndefined();
  });

  it('turns an unanswered input into an error for the servers that need it; the others load', async () => {
    const file = sb.write('ws/.vscode/mcp.json', JSON.stringify(mcpJson));
    const loaded = await loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {}, resolveInput: async () => undefined });
    expect(loaded.servers.map((s) => s.name)).toEqual(['plain']);
    expect(loaded.errors).toEqual([
      {
        source: { kind: 'vscode-mcp-json', file }, server: 'one', path: 'servers.one.headers.Authorization',
        message: 'server "one" needs input "api-key" (API key) and no value was given; it stays off until the input is answered (reload MCP servers to be asked again)',
      },
      expect.objectContaining({ server: 'two', path: 'servers.two.env.KEY' }),
    ]);
  });

  it('reports inputs when there is no one to ask', async () => {
    sb.write('ws/.vscode/mcp.json', JSON.stringify(mcpJson));
    const loaded = await loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {} });
    expect(loaded.servers.map((s) => s.name)).toEqual(['plain']);
    expect(loaded.errors[0]?.message).toBe('server "one" needs input "api-key" (API key), but there is no way to ask for it here; start it from VS Code, which asks once and keeps the answer in SecretStorage');
  });

  it('reports a failing prompt without leaking anything it was given', async () => {
    sb.write('ws/.vscode/mcp.json', JSON.stringify(mcpJson));
    const loaded = await loadMcpConfig({
      workspace: sb.workspace, home: sb.home, env: {},
      resolveInput: async () => { throw new Error('keychain locked'); },
    });
    expect(loaded.errors[0]?.message).toBe('server "one" needs input "api-key" (API key), but asking for it failed: keychain locked');
  });

  it('asks for an input used outside mcp.json as a secret string', async () => {
    const { asked, ask } = counter('tkn');
    const loaded = await loadMcpConfig({
      workspace: sb.workspace, home: sb.home, env: {}, resolveInput: ask,
      settingsServers: { gh: { url: 'https://gh.example/mcp', headers: { Authorization: 'token ${input:gh-token}' } } },
    });
    expect(asked).toEqual([{ id: 'gh-token', type: 'promptString', password: true, description: 'Value for ${input:gh-token} (MCP server "gh")' }]);
    expect(loaded.servers[0]?.headers).toEqual({ Authorization: 'token tkn' });
  });

  it('shows a URL as written, never with the secret expanded into it', async () => {
    const loaded = await loadMcpConfig({
      workspace: sb.workspace, home: sb.home, env: {}, resolveInput: async () => 'hunter2 with spaces',
      settingsServers: { bad: { url: '${input:host}' } },
    });
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]?.message).toContain('"url" "${input:host}" is not a valid URL');
    expect(JSON.stringify(loaded.errors)).not.toContain('hunter2');
  });

  it('does not ask for inputs of a disabled server', async () => {
    const { asked, ask } = counter('x');
    await loadMcpConfig({
      workspace: sb.workspace, home: sb.home, env: {}, resolveInput: ask,
      settingsServers: { off: { command: 'node', env: { K: '${input:k}' }, disabled: true } },
    });
    expect(asked).toEqual([]);
  });
});
