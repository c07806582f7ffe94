import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GrantStore } from './grants';
import { PermissionGate } from './gate';
import { loadPolicy, policyFilePath, type McpUserPolicy } from './load';
import type { McpToolAnnotations } from '../types';

const ISSUE_POLICY = `{"trustedServers":["everything"],"rules":[{"server":"everything","tool":"echo","decision":"allow"},{"server":"*","tool":"delete_*","decision":"deny"}]}`;

const READ_ONLY: McpToolAnnotations = { readOnlyHint: true, destructiveHint: false };
const DESTRUCTIVE: McpToolAnnotations = { readOnlyHint: false, destructiveHint: true };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A clock tests move by hand. */
function manualClock(start = Date.parse('2025-01-01T12:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advanceMinutes: (m: number) => (t += m * 60_000) };
}

function setup(policyText?: string, user?: McpUserPolicy) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-gate-'));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-gate-state-'));
  dirs.push(ws, stateDir);
  if (policyText !== undefined) {
    fs.mkdirSync(path.join(ws, '.rusty'));
    fs.writeFileSync(policyFilePath(ws), policyText);
  }
  const clock = manualClock();
  const grantsFile = path.join(stateDir, 'mcp-grants.json');
  const grants = new GrantStore(grantsFile, { now: clock.now, refreshIntervalMs: 0 });
  const { policy, errors } = loadPolicy(ws, user);
  const gate = new PermissionGate({ workspace: ws, policy, grants, now: clock.now });
  return { ws, stateDir, grantsFile, clock, grants, gate, errors };
}

const ask = (server: string, tool: string) => ({ server, tool, args: {}, reason: 'test' });

describe('PermissionGate.check with the issue\'s example policy', () => {
  it('allows echo on everything, denies delete_* everywhere, asks otherwise', () => {
    const { gate, errors } = setup(ISSUE_POLICY);
    expect(errors).toEqual([]);
    const echo = gate.check('everything', 'echo');
    expect(echo.decision).toBe('allow');
    expect(echo.rule).toEqual({ server: 'everything', tool: 'echo', decision: 'allow', origin: 'workspace' });
    expect(gate.check('memory', 'delete_entities').decision).toBe('deny');
    expect(gate.check('everything', 'delete_all', READ_ONLY).decision).toBe('deny');
    expect(gate.check('memory', 'echo').decision).toBe('ask');
  });

  it('uses annotations of the trusted server only', () => {
    const { gate } = setup(ISSUE_POLICY);
    const trusted = gate.check('everything', 'get-sum', READ_ONLY);
    expect(trusted).toMatchObject({ decision: 'allow', reason: expect.stringContaining('read-only tool on a trusted server') });
    const untrusted = gate.check('memory', 'read_graph', READ_ONLY);
    expect(untrusted.decision).toBe('ask');
    expect(untrusted.reason).toContain('server "memory" is not trusted, so its tool annotations are ignored');
  });

  it('asks for destructive or unhinted tools even on a trusted server', () => {
    const { gate } = setup(ISSUE_POLICY);
    const destructive = gate.check('everything', 'wipe', DESTRUCTIVE);
    expect(destructive.decision).toBe('ask');
    expect(destructive.reason).toContain('marks it destructive');
    expect(gate.check('everything', 'wipe', { readOnlyHint: true, destructiveHint: true }).decision).toBe('ask');
    const unhinted = gate.check('everything', 'toggle');
    expect(unhinted.decision).toBe('ask');
    expect(unhinted.reason).toContain('does not mark it read-only');
  });

  it('trusts a server marked trusted in its config', () => {
    const { gate } = setup(ISSUE_POLICY);
    expect(gate.check('memory', 'read_graph', READ_ONLY, true).decision).toBe('allow');
    expect(gate.isTrusted('memory', true)).toBe(true);
    expect(gate.isTrusted('memory')).toBe(false);
    expect(gate.isTrusted('everything')).toBe(true);
  });

  it('asks when nothing matches and no policy exists', () => {
    const { gate } = setup();
    const d = gate.check('fs', 'read_file', READ_ONLY);
    expect(d.decision).toBe('ask');
    expect(d.rule).toBeUndefined();
  });
});

describe('specificity ordering', () => {
  const policy = JSON.stringify({
    rules: [
      { server: '*', tool: '*', decision: 'deny' },
      { server: 'github', tool: '*', decision: 'ask' },
      { server: '*', tool: 'get_*', decision: 'allow' },
      { server: 'github', tool: 'get_*', decision: 'ask' },
      { server: '*', tool: 'get_secret*', decision: 'deny' },
      { server: 'git*', tool: 'get_secret_santa', decision: 'allow' },
    ],
  });

  it.each([
    ['slack', 'post', 'deny', '*/*'],
    ['github', 'create_issue', 'ask', 'server beats nothing: github/*'],
    ['slack', 'get_channel', 'allow', 'tool glob beats server name: */get_*'],
    ['github', 'get_issue', 'ask', 'same tool glob, exact server wins: github/get_*'],
    ['github', 'get_secret_key', 'deny', 'more literal characters: */get_secret*'],
    ['github', 'get_secret_santa', 'allow', 'exact tool name beats every glob'],
  ])('%s/%s → %s (%s)', (server, tool, expected) => {
    const { gate, errors } = setup(policy);
    expect(errors).toEqual([]);
    expect(gate.check(server, tool).decision).toBe(expected);
  });

  it('deny beats allow and ask at equal specificity, across workspace and user rules', () => {
    const { gate } = setup(
      JSON.stringify({ rules: [{ server: 'fs', tool: 'write_*', decision: 'allow' }, { server: 'fs', tool: 'move_*', decision: 'ask' }] }),
      { rules: [{ server: 'fs', tool: 'write_*', decision: 'deny' }, { server: 'fs', tool: 'move_*', decision: 'deny' }, { server: 'fs', tool: 'edit_*', decision: 'allow' }] },
    );
    const w = gate.check('fs', 'write_file');
    expect(w.decision).toBe('deny');
    expect(w.rule?.origin).toBe('user');
    expect(gate.check('fs', 'move_file').decision).toBe('deny');
    expect(gate.check('fs', 'edit_file').decision).toBe('allow');
  });

  it('globs treat names as plain strings: * also matches dots, slashes and leading dots', () => {
    const { gate } = setup(JSON.stringify({ rules: [{ server: '*', tool: 'fs.*', decision: 'deny' }, { server: 'team/*', tool: '*', decision: 'allow' }] }));
    expect(gate.check('x', 'fs.read/all').decision).toBe('deny');
    expect(gate.check('team/a', '.hidden').decision).toBe('allow');
    expect(gate.check('team', 'x').decision).toBe('ask');
  });

  it('ask beats allow at equal specificity', () => {
    const { gate } = setup(JSON.stringify({ rules: [{ server: 'a', tool: 't', decision: 'allow' }, { server: 'a', tool: 't', decision: 'ask' }] }));
    expect(gate.check('a', 't').decision).toBe('ask');
  });
});

describe('grants', () => {
  it('once: allows until consumed', () => {
    const { gate } = setup();
    expect(gate.check('fs', 'write_file').decision).toBe('ask');
    const { decision, grant } = gate.applyAnswer(ask('fs', 'write_file'), { kind: 'once' });
    expect(decision.decision).toBe('allow');
    expect(grant?.scope).toBe('once');
    const again = gate.check('fs', 'write_file');
    expect(again).toMatchObject({ decision: 'allow', grantId: grant?.id });
    gate.consume(again);
    expect(gate.check('fs', 'write_file').decision).toBe('ask');
    expect(gate.grants()).toEqual([]);
  });

  it('session: allows in this process, never written to the grants file', () => {
    const { gate, grantsFile } = setup();
    const { grant } = gate.applyAnswer(ask('fs', 'write_file'), { kind: 'session' });
    expect(grant).toMatchObject({ scope: 'session', sessionId: expect.any(String) });
    expect(gate.check('fs', 'write_file').grantId).toBe(grant?.id);
    gate.consume(gate.check('fs', 'write_file'));
    expect(gate.check('fs', 'write_file').decision).toBe('allow');
    expect(gate.check('fs', 'edit_file').decision).toBe('ask');
    expect(fs.existsSync(grantsFile)).toBe(false);
  });

  it('timed: expires by the injected clock, enforced in check() and pruned from list and file', () => {
    const { gate, clock, grantsFile } = setup();
    const { grant } = gate.applyAnswer(ask('fs', 'write_file'), { kind: 'minutes', minutes: 10 });
    expect(grant?.expiresAt).toBe('2025-01-01T12:10:00.000Z');
    clock.advanceMinutes(9.99);
    expect(gate.check('fs', 'write_file').decision).toBe('allow');
    clock.advanceMinutes(0.01);
    expect(gate.check('fs', 'write_file').decision).toBe('ask');
    expect(gate.grants()).toEqual([]);
    expect(JSON.parse(fs.readFileSync(grantsFile, 'utf8'))).toEqual({ version: 1, grants: [] });
  });

  it('never lets a grant override a deny rule', () => {
    const { gate } = setup(ISSUE_POLICY);
    gate.applyAnswer(ask('memory', 'delete_entities'), { kind: 'session' });
    expect(gate.check('memory', 'delete_entities').decision).toBe('deny');
  });

  it('a grant beats an ask rule', () => {
    const { gate } = setup(JSON.stringify({ rules: [{ server: '*', tool: '*', decision: 'ask' }] }));
    expect(gate.check('fs', 'x').decision).toBe('ask');
    gate.applyAnswer(ask('fs', 'x'), { kind: 'session' });
    expect(gate.check('fs', 'x').decision).toBe('allow');
  });

  it('lists and revokes grants; revoking a missing id is false', () => {
    const { gate } = setup();
    const a = gate.applyAnswer(ask('fs', 'a'), { kind: 'session' }).grant!;
    const b = gate.applyAnswer(ask('fs', 'b'), { kind: 'minutes', minutes: 5 }).grant!;
    const c = gate.applyAnswer(ask('fs', 'c'), { kind: 'once' }).grant!;
    expect(gate.grants().map((g) => g.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(a.id).toMatch(/^g[0-9a-f]{6}$/);
    expect(gate.revoke(b.id)).toBe(true);
    expect(gate.check('fs', 'b').decision).toBe('ask');
    expect(gate.revoke(a.id)).toBe(true);
    expect(gate.check('fs', 'a').decision).toBe('ask');
    expect(gate.revoke(a.id)).toBe(false);
    expect(gate.revoke('nope')).toBe(false);
    expect(gate.grants().map((g) => g.id)).toEqual([c.id]);
  });

  it('deny and dismiss keep nothing', () => {
    const { gate } = setup();
    expect(gate.applyAnswer(ask('fs', 'x'), { kind: 'deny' }).decision.decision).toBe('deny');
    const dismissed = gate.applyAnswer(ask('fs', 'x'), undefined);
    expect(dismissed.decision).toMatchObject({ decision: 'deny', reason: expect.stringContaining('dismissed') });
    expect(gate.grants()).toEqual([]);
  });

  it('rejects a nonsensical number of minutes with a clear error', () => {
    const { gate } = setup();
    for (const minutes of [0, -5, Number.NaN, 1e9]) {
      expect(() => gate.applyAnswer(ask('fs', 'x'), { kind: 'minutes', minutes })).toThrow(/"For N minutes" needs N between 1 and 43200/);
    }
  });
});

describe('"always" writes the policy', () => {
  it('creates .rusty/policy.json when missing, and the rule then allows', () => {
    const { gate, ws } = setup();
    const res = gate.applyAnswer(ask('fs', 'write_file'), { kind: 'always' });
    expect(res.decision.decision).toBe('allow');
    expect(res.ruleFile).toBe(policyFilePath(ws));
    expect(JSON.parse(fs.readFileSync(policyFilePath(ws), 'utf8'))).toEqual({ rules: [{ server: 'fs', tool: 'write_file', decision: 'allow' }] });
    const d = gate.check('fs', 'write_file');
    expect(d).toMatchObject({ decision: 'allow', rule: { server: 'fs', tool: 'write_file', origin: 'workspace' } });
    expect(gate.grants()).toEqual([]);
  });

  it('appends to an existing file keeping comments and formatting', () => {
    const original = `// Rules for this repo — reviewed by the team
{
    "trustedServers": ["everything"], // hints count here
    "rules": [
        /* never delete */
        {"server": "*", "tool": "delete_*", "decision": "deny"}
    ]
}
`;
    const { gate, ws } = setup(original);
    gate.applyAnswer(ask('memory', 'create_entities'), { kind: 'always' });
    const text = fs.readFileSync(policyFilePath(ws), 'utf8');
    expect(text).toContain('// Rules for this repo — reviewed by the team');
    expect(text).toContain('// hints count here');
    expect(text).toBe(original.replace(
      '{"server": "*", "tool": "delete_*", "decision": "deny"}',
      '{"server": "*", "tool": "delete_*", "decision": "deny"},\n        {"server": "memory", "tool": "create_entities", "decision": "allow"}',
    ));
    const { policy, errors } = loadPolicy(ws);
    expect(errors).toEqual([]);
    expect(policy.rules.match('memory', 'create_entities')?.rule.decision).toBe('allow');
    expect(gate.check('memory', 'create_entities').decision).toBe('allow');
  });

  it('reuses a trailing comma and keeps a trailing comment after the last rule', () => {
    const { gate, ws } = setup(`{\n  "rules": [\n    {"server": "a", "tool": "b", "decision": "deny"}, // last one\n  ]\n}\n`);
    gate.applyAnswer(ask('fs', 'w'), { kind: 'always' });
    expect(fs.readFileSync(policyFilePath(ws), 'utf8')).toBe(
      `{\n  "rules": [\n    {"server": "a", "tool": "b", "decision": "deny"},\n    {"server": "fs", "tool": "w", "decision": "allow"} // last one\n  ]\n}\n`,
    );
    expect(loadPolicy(ws).errors).toEqual([]);
  });

  it('writes names with glob characters escaped so the rule matches only that tool', () => {
    const { gate, ws } = setup(`{"rules": []}`);
    gate.applyAnswer(ask('srv', 'odd*name'), { kind: 'always' });
    const { policy } = loadPolicy(ws);
    expect(policy.rules.match('srv', 'odd*name')?.rule.decision).toBe('allow');
    expect(policy.rules.match('srv', 'oddXname')).toBeUndefined();
  });

  it('turns an existing exact ask rule for the pair into allow instead of adding a twin', () => {
    const { gate, ws } = setup(`{"rules": [{"server": "fs", "tool": "write_file", "decision": "ask"}]}`);
    gate.applyAnswer(ask('fs', 'write_file'), { kind: 'always' });
    expect(fs.readFileSync(policyFilePath(ws), 'utf8')).toBe(`{"rules": [{"server": "fs", "tool": "write_file", "decision": "allow"}]}`);
  });

  it('adds a rules array to a file without one', () => {
    const { gate, ws } = setup(`{\n  "trustedServers": ["x"] // trust\n}\n`);
    gate.applyAnswer(ask('fs', 'w'), { kind: 'always' });
    const text = fs.readFileSync(policyFilePath(ws), 'utf8');
    expect(text).toContain('// trust');
    expect(loadPolicy(ws).policy.rules.match('fs', 'w')?.rule.decision).toBe('allow');
  });

  it('falls back to a session grant with a warning when the file is broken, never overwriting it', () => {
    const broken = '{"rules": [ oops ]}';
    const { gate, ws } = setup(broken);
    const res = gate.applyAnswer(ask('fs', 'w'), { kind: 'always' });
    expect(res.warning).toMatch(/Could not write the allow rule \(Cannot add an allow rule to .*policy\.json: .*Fix the file first\.\); allowed for this session instead\./);
    expect(res.grant?.scope).toBe('session');
    expect(fs.readFileSync(policyFilePath(ws), 'utf8')).toBe(broken);
  });
});

describe('fail closed', () => {
  it('a policy file that cannot be parsed allows nothing by rule or annotation, and says why', () => {
    const { gate, errors } = setup('{"trustedServers": ["everything"], "rules": [', { rules: [{ server: '*', tool: 'echo', decision: 'allow' }, { server: '*', tool: 'rm', decision: 'deny' }] });
    expect(errors[0]).toContain('every MCP call will ask until it is fixed');
    const echo = gate.check('everything', 'echo', READ_ONLY, true);
    expect(echo.decision).toBe('ask');
    expect(echo.reason).toContain('cannot be used');
    expect(gate.check('everything', 'get-sum', READ_ONLY, true).decision).toBe('ask');
    expect(gate.check('everything', 'rm').decision).toBe('deny');
    // The user's own answer in the prompt still counts.
    gate.applyAnswer(ask('everything', 'echo'), { kind: 'session' });
    expect(gate.check('everything', 'echo').decision).toBe('allow');
  });
});

describe('policy edits on disk', () => {
  it('are picked up by check() without a restart', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-gate-'));
    dirs.push(ws);
    const grants = new GrantStore(path.join(ws, 'grants.json'), { refreshIntervalMs: 0 });
    const gate = new PermissionGate({ workspace: ws, policy: loadPolicy(ws).policy, grants, policyRefreshMs: 1 });
    expect(gate.check('fs', 'rm').decision).toBe('ask');
    fs.mkdirSync(path.join(ws, '.rusty'));
    fs.writeFileSync(policyFilePath(ws), '{"rules": [{"server": "*", "tool": "rm", "decision": "deny"}]}');
    const until = Date.now() + 50;
    while (Date.now() < until) { /* let the refresh interval pass */ }
    expect(gate.check('fs', 'rm').decision).toBe('deny');
  });
});
