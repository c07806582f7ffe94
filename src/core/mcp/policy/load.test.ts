import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicy, policyFilePath } from './load';
import { literalCharacters, patternSpecificity, ruleSpecificity } from './rules';

const dirs: string[] = [];
function workspaceWith(policyText?: string): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-policy-'));
  dirs.push(ws);
  if (policyText !== undefined) {
    fs.mkdirSync(path.join(ws, '.rusty'));
    fs.writeFileSync(policyFilePath(ws), policyText);
  }
  return ws;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('specificity', () => {
  it('counts literal characters of globs, not glob syntax', () => {
    expect(literalCharacters('*')).toBe(0);
    expect(literalCharacters('delete_*')).toBe(7);
    expect(literalCharacters('git*-?')).toBe(4);
    expect(literalCharacters('{read,get}_*')).toBe(1);
    expect(literalCharacters('[rw]ead_*')).toBe(4);
    expect(literalCharacters('a\\*b*')).toBe(3);
  });

  it('ranks an exact name above any glob, and the tool above the server', () => {
    expect(patternSpecificity('echo')).toBeGreaterThan(patternSpecificity('very_long_prefix_*'));
    expect(ruleSpecificity({ server: '*', tool: 'echo' })).toBeGreaterThan(ruleSpecificity({ server: 'everything', tool: 'ech*' }));
    expect(ruleSpecificity({ server: 'everything', tool: 'delete_*' })).toBeGreaterThan(ruleSpecificity({ server: '*', tool: 'delete_*' }));
    expect(ruleSpecificity({ server: '*', tool: 'delete_e*' })).toBeGreaterThan(ruleSpecificity({ server: 'everything', tool: 'delete_*' }));
  });
});

describe('loadPolicy', () => {
  it('reads the example policy from the issue, with comments and trailing commas', () => {
    const ws = workspaceWith(`// team policy
{
  "trustedServers": ["everything"], /* hints from here count */
  "rules": [
    {"server":"everything","tool":"echo","decision":"allow"},
    {"server":"*","tool":"delete_*","decision":"deny"},
  ],
}`);
    const { policy, errors } = loadPolicy(ws);
    expect(errors).toEqual([]);
    expect(policy.failClosed).toBeUndefined();
    expect(policy.trusted.has('everything')).toBe(true);
    expect(policy.trusted.has('memory')).toBe(false);
    expect(policy.rules.match('everything', 'echo')?.rule.decision).toBe('allow');
    expect(policy.rules.match('memory', 'delete_entities')?.rule.decision).toBe('deny');
    expect(policy.rules.match('memory', 'read_graph')).toBeUndefined();
  });

  it('treats a missing or empty file as an empty policy', () => {
    expect(loadPolicy(workspaceWith()).errors).toEqual([]);
    const { policy, errors } = loadPolicy(workspaceWith('  \n'));
    expect(errors).toEqual([]);
    expect(policy.failClosed).toBeUndefined();
  });

  it('reports a malformed rule with file, line, rule index and field, and ignores only that rule', () => {
    const ws = workspaceWith(`{
  "rules": [
    {"server": "*", "tool": "echo", "decision": "allow"},
    {"server": "*", "tool": "delete_*", "decision": "dney"},
    {"server": "", "tool": "x"},
    "deny everything",
    {"server": "!fs", "tool": 3, "decision": "deny"}
  ]
}`);
    const { policy, errors } = loadPolicy(ws);
    const file = policyFilePath(ws);
    expect(policy.failClosed).toBeUndefined();
    expect(errors).toContain(`${file}:4:53: rules[1].decision must be "allow", "ask" or "deny" (got "dney"); rule ignored`);
    expect(errors).toContain(`${file}:5:16: rules[2].server must not be empty; use "*" for every server; rule ignored`);
    expect(errors).toContain(`${file}:5:5: rules[2].decision is required: "allow", "ask" or "deny"; rule ignored`);
    expect(errors).toContain(`${file}:6:5: rules[3] must be an object like {"server": "*", "tool": "delete_*", "decision": "deny"} (got "deny everything"); rule ignored`);
    expect(errors.some((e) => e.includes('rules[4].server negated globs'))).toBe(true);
    expect(errors.some((e) => e.includes('rules[4].tool must be a string glob over tool names (got number 3)'))).toBe(true);
    expect(policy.rules.match('x', 'echo')?.rule.decision).toBe('allow');
    expect(policy.rules.match('x', 'delete_all')).toBeUndefined();
  });

  it('ignores a bad trusted-server entry with a precise error', () => {
    const ws = workspaceWith(`{"trustedServers": ["ok", 42, " padded "]}`);
    const { policy, errors } = loadPolicy(ws);
    expect(policy.trusted.has('ok')).toBe(true);
    expect(errors).toEqual([
      `${policyFilePath(ws)}:1:27: trustedServers[1] must be a string glob over server names (got number 42); entry ignored`,
      `${policyFilePath(ws)}:1:31: trustedServers[2] must not start or end with spaces; entry ignored`,
    ]);
  });

  it.each([
    ['a syntax error', '{"rules": [ {"server": "*" "tool": "x", "decision": "allow"} ]}', ':1:28: CommaExpected'],
    ['an array at the top', '[{"server": "*", "tool": "x", "decision": "allow"}]', ': must be a JSON object'],
    ['rules that are not an array', '{"rules": {"server": "*"}}', ':1:11: rules must be an array of rules (got an object)'],
  ])('fails closed on %s: no allow, precise error', (_what, text, fragment) => {
    const ws = workspaceWith(text);
    const { policy, errors } = loadPolicy(ws, { rules: [{ server: '*', tool: '*', decision: 'allow' }, { server: '*', tool: 'rm', decision: 'deny' }] });
    expect(policy.failClosed).toBeDefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${policyFilePath(ws)}${fragment}`);
    expect(errors[0]).toContain('every MCP call will ask until it is fixed');
    // User rules are still read (the gate downgrades their allow to ask; deny stays deny).
    expect(policy.rules.match('s', 'rm')?.rule.decision).toBe('deny');
  });

  it('fails closed when the policy path is unreadable (a folder)', () => {
    const ws = workspaceWith();
    fs.mkdirSync(policyFilePath(ws), { recursive: true });
    const { policy, errors } = loadPolicy(ws);
    expect(policy.failClosed).toContain('cannot be read (EISDIR)');
    expect(errors[0]).toContain(policyFilePath(ws));
  });

  it('merges user rules and trusted servers from settings, validating them the same way', () => {
    const ws = workspaceWith(`{"rules": [{"server": "gh", "tool": "create_*", "decision": "ask"}]}`);
    const { policy, errors } = loadPolicy(ws, {
      trustedServers: ['mem*', 7 as unknown as string],
      rules: [
        { server: 'gh', tool: 'create_issue', decision: 'allow' },
        { server: 'gh', tool: 'x', decision: 'maybe' as 'allow' },
      ],
    });
    expect(errors).toEqual([
      'settings rusty.mcp.trustedServers[1] must be a string glob over server names (got number 7); entry ignored',
      'settings rusty.mcp.rules[1].decision must be "allow", "ask" or "deny" (got "maybe"); rule ignored',
    ]);
    expect(policy.trusted.has('memory')).toBe(true);
    const m = policy.rules.match('gh', 'create_issue');
    expect(m?.rule.decision).toBe('allow');
    expect(m?.origin).toBe('user');
    expect(policy.rules.match('gh', 'create_pr')?.origin).toBe('workspace');
  });

  it('reports settings of the wrong shape', () => {
    const ws = workspaceWith();
    expect(loadPolicy(ws, { rules: 'allow all' as unknown as [] }).errors).toEqual([
      'settings rusty.mcp.rules must be an array of {"server", "tool", "decision"} rules (got "allow all"); user rules ignored',
    ]);
    expect(loadPolicy(ws, { trustedServers: 'everything' as unknown as [] }).errors).toEqual([
      'settings rusty.mcp.trustedServers must be an array of server-name globs (got "everything"); no server is trusted from here',
    ]);
  });
});
