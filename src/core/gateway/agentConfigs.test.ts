import { describe, expect, it } from 'vitest';
import { agentConfig, AGENTS, mergeAgentConfig } from './agentConfigs';

const URL = 'http://127.0.0.1:7767/mcp';

describe('agent configs for the gateway', () => {
  it('never contain a token', () => {
    for (const a of AGENTS) expect(JSON.stringify(agentConfig(a, URL, 'bot'))).not.toMatch(/rgw_/);
  });

  it('Claude Code: .mcp.json, header from the environment; other servers kept', () => {
    const cfg = agentConfig('claude-code', URL, 'bot');
    const out = JSON.parse(mergeAgentConfig('{"mcpServers":{"github":{"command":"gh"}},"x":1}', cfg));
    expect(out).toEqual({ x: 1, mcpServers: { github: { command: 'gh' }, rusty: { type: 'http', url: URL, headers: { Authorization: 'Bearer ${RUSTY_GATEWAY_TOKEN}' } } } });
  });

  it('Copilot: .vscode/mcp.json with a password input, replacing an older input of the same id', () => {
    const cfg = agentConfig('copilot', URL, 'bot');
    expect(cfg.file).toBe('.vscode/mcp.json');
    const out = JSON.parse(mergeAgentConfig('{"inputs":[{"id":"rusty-gateway-token","type":"promptString"},{"id":"other"}],"servers":{}}', cfg));
    expect(out.servers.rusty.headers.Authorization).toBe('Bearer ${input:rusty-gateway-token}');
    expect(out.inputs).toEqual([{ id: 'other' }, expect.objectContaining({ id: 'rusty-gateway-token', password: true })]);
    expect(JSON.parse(mergeAgentConfig(undefined, cfg)).servers.rusty.url).toBe(URL);
  });

  it('refuses to overwrite a file that is not a JSON object', () => {
    const cfg = agentConfig('claude-code', URL, 'bot');
    expect(() => mergeAgentConfig('{oops', cfg)).toThrow(/not valid JSON/);
    expect(() => mergeAgentConfig('[1]', cfg)).toThrow(/not a JSON object/);
  });
});
