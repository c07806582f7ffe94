import { describe, expect, it } from 'vitest';
import { IMPORT_SOURCES, readMcpSettings } from './mcpSettings';

function from(values: Record<string, unknown>) {
  return readMcpSettings((key) => values[key]);
}

describe('readMcpSettings', () => {
  it('defaults: no servers given, no rules, import from every source', () => {
    const s = from({});
    expect(s).toEqual({ trustedServers: [], rules: [], importFrom: [...IMPORT_SOURCES], problems: [] });
  });

  it('passes the servers through untouched (the core validates each entry precisely)', () => {
    const servers = { a: { command: 'node' }, b: 42 };
    expect(from({ 'mcp.servers': servers }).servers).toBe(servers);
  });

  it('keeps valid rules and globs, and names each ignored entry', () => {
    const s = from({
      'mcp.trustedServers': ['everything', ' github-* ', 3, ''],
      'mcp.rules': [{ server: 'everything', tool: 'echo', decision: 'allow' }, { server: '*', tool: 'x', decision: 'maybe' }, 'nope'],
    });
    expect(s.trustedServers).toEqual(['everything', 'github-*']);
    expect(s.rules).toEqual([{ server: 'everything', tool: 'echo', decision: 'allow' }]);
    expect(s.problems).toEqual([
      'rusty.mcp.trustedServers[2] is ignored: expected a server name or glob such as "github-*", got 3.',
      'rusty.mcp.trustedServers[3] is ignored: expected a server name or glob such as "github-*", got "".',
      'rusty.mcp.rules[1] is ignored: expected {"server": "<glob>", "tool": "<glob>", "decision": "allow" | "ask" | "deny"}, got {"server":"*","tool":"x","decision":"maybe"}.',
      'rusty.mcp.rules[2] is ignored: expected {"server": "<glob>", "tool": "<glob>", "decision": "allow" | "ask" | "deny"}, got "nope".',
    ]);
  });

  it('rejects non-array values with a message, keeping the safe default', () => {
    const s = from({ 'mcp.rules': { server: '*' }, 'mcp.trustedServers': 'everything', 'mcp.importFrom': 'claude' });
    expect(s.rules).toEqual([]);
    expect(s.trustedServers).toEqual([]);
    expect(s.importFrom).toEqual([...IMPORT_SOURCES]);
    expect(s.problems).toHaveLength(3);
    expect(s.problems[2]).toMatch(/rusty\.mcp\.importFrom is ignored: expected an array of claude, cline, roo, continue, vscode-mcp-json/);
  });

  it('importFrom: an empty list imports nothing; unknown kinds are named', () => {
    expect(from({ 'mcp.importFrom': [] }).importFrom).toEqual([]);
    const s = from({ 'mcp.importFrom': ['roo', 'cursor'] });
    expect(s.importFrom).toEqual(['roo']);
    expect(s.problems).toEqual(['rusty.mcp.importFrom[1] is ignored: "cursor" is not one of claude, cline, roo, continue, vscode-mcp-json.']);
  });
});
