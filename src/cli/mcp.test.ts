// `rusty mcp …` through the built CLI (dist/cli.js; run `npm run build` first) against real MCP
// servers from node_modules: exit codes (0 ok, 1 refused, 2 usage, 130 Ctrl-C), --json shapes,
// the non-interactive "ask" refusal, deny, grants and their expiry and revocation, the audit
// trail as `rusty audit` shows it, ${input:…} from the environment, and no orphaned servers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli, type CliResult } from '../core/testing/cli';
import { workspaceStateDir } from '../core/state/location';
import { mcpStatePaths } from '../core/mcp/service';
import { GrantStore } from '../core/mcp/policy';
import type { AuditEntry } from '../core/audit';
import { inputEnvName, parseAskAnswer, table } from './mcp';

const ROOT = path.resolve(__dirname, '..', '..');
const EVERYTHING = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const MEMORY = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

let cli: Cli;
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());

interface Env { tmp: string; ws: string; stateRoot: string; config: string; home: string }
const envs: Env[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) fs.rmSync(e.tmp, { recursive: true, force: true });
});

/** A workspace with a policy, and a Claude-style --config file naming the servers. */
function setup(policy: unknown, servers: Record<string, unknown> = { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } }): Env {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-cli-mcp-')));
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
  if (policy !== undefined) fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify(policy));
  const config = path.join(tmp, 'servers.json');
  fs.writeFileSync(config, JSON.stringify({ mcpServers: servers }));
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  const e = { tmp, ws, stateRoot: path.join(tmp, 'state'), config, home };
  envs.push(e);
  return e;
}

function rusty(e: Env, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  // HOME points at an empty folder so the developer's own Claude/Cline configs stay out.
  return cli.run([...args, '-w', e.ws, '--config', e.config], { env: { RUSTY_STATE_DIR: e.stateRoot, HOME: e.home, USERPROFILE: e.home, ...extraEnv } });
}

function stateDirOf(e: Env): string {
  return workspaceStateDir(e.ws, { RUSTY_STATE_DIR: e.stateRoot });
}

async function mcpAudit(e: Env): Promise<AuditEntry[]> {
  const r = await cli.run(['audit', '--json', '-w', e.ws], { env: { RUSTY_STATE_DIR: e.stateRoot } });
  expect(r.code, r.stderr).toBe(0);
  return parseJson<{ entries: AuditEntry[] }>(r).entries.filter((x) => x.action.startsWith('mcp.'));
}

interface ErrorJson { error: { code: string; message: string } }

function expectError(r: CliResult, exit: number, code: string, message: RegExp): string {
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(exit);
  const { error } = parseJson<ErrorJson>(r);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(r.stderr).toContain(`rusty: ${error.message.split('\n')[0]}`);
  return error.message;
}

describe('rusty mcp call', () => {
  it('calls echo allowed by the policy; the audit has the decision and the call with secrets redacted', async () => {
    const e = setup({ rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }] });
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const text = await rusty(e, ['mcp', 'call', 'everything', 'echo', JSON.stringify({ message: `hi ${token}` })]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.trim()).toBe(`Echo: hi ${token}`);
    const json = await rusty(e, ['mcp', 'call', 'everything', 'echo', '{"message":"hello"}', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(parseJson(json)).toMatchObject({ server: 'everything', tool: 'echo', isError: false, attempts: 1, content: [{ type: 'text', text: 'Echo: hello' }] });

    const audit = await mcpAudit(e);
    expect(audit.map((x) => x.action)).toEqual(['mcp.decision', 'mcp.call', 'mcp.decision', 'mcp.call']);
    expect(audit[1]!.details).toMatchObject({ server: 'everything', tool: 'echo', outcome: 'ok', decision: 'allow', args: { message: 'hi [REDACTED]' } });
    expect(audit[0]!.actor).toBe('cli');
    expect(JSON.stringify(audit)).not.toContain(token);
    const verify = await cli.run(['audit', '--verify', '--json', '-w', e.ws], { env: { RUSTY_STATE_DIR: e.stateRoot } });
    expect(parseJson(verify)).toMatchObject({ ok: true });
  });

  it('refuses "ask" in a non-interactive CLI with exit 1 and the exact rule to add', async () => {
    const e = setup(undefined);
    const r = await rusty(e, ['mcp', 'call', 'everything', 'echo', '{"message":"hi"}', '--json']);
    const message = expectError(r, 1, 'ask-refused', /needs permission/);
    expect(message).toContain('{"server":"everything","tool":"echo","decision":"allow"}');
    expect(message).toContain(path.join(e.ws, '.rusty', 'policy.json'));
    const human = await rusty(e, ['mcp', 'call', 'everything', 'echo', '{"message":"hi"}']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('To allow it, add {"server":"everything","tool":"echo","decision":"allow"}');
    const audit = await mcpAudit(e);
    expect(audit.map((x) => [x.action, x.details.decision, x.details.source])).toEqual([['mcp.decision', 'ask', 'no-prompt'], ['mcp.decision', 'ask', 'no-prompt']]);
  });

  it('denies by rule before the tool runs (server-memory writes nothing) and audits the denial', async () => {
    const e = setup({ rules: [{ server: '*', tool: 'create_*', decision: 'deny' }] }, {
      memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: '${env:TEST_MEMORY_FILE}' } },
    });
    const memoryFile = path.join(e.tmp, 'memory.jsonl');
    const r = await rusty(e, ['mcp', 'call', 'memory', 'create_entities', JSON.stringify({ entities: [{ name: 'x', entityType: 'y', observations: ['z'] }] }), '--json'], { TEST_MEMORY_FILE: memoryFile });
    expectError(r, 1, 'denied', /create_\*/);
    expect(fs.existsSync(memoryFile)).toBe(false);
    const audit = await mcpAudit(e);
    expect(audit.map((x) => [x.action, x.details.tool, x.details.decision])).toEqual([['mcp.decision', 'create_entities', 'deny']]);
  });

  it('a timed grant allows until it expires, then the call asks (and is refused); revoke makes it ask again', async () => {
    const e = setup({});
    const grantsFile = mcpStatePaths(stateDirOf(e)).grants;
    fs.mkdirSync(path.dirname(grantsFile), { recursive: true });
    const live = new GrantStore(grantsFile).add('everything', 'echo', 'timed', 10);
    // Made "an hour ago" for 5 minutes: already expired.
    new GrantStore(grantsFile, { now: () => new Date(Date.now() - 3_600_000) }).add('everything', 'get-sum', 'timed', 5);

    const listed = await rusty(e, ['mcp', 'grants', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(parseJson<{ grants: { id: string; tool: string; scope: string }[] }>(listed).grants).toEqual([expect.objectContaining({ id: live.id, tool: 'echo', scope: 'timed' })]);
    const human = await rusty(e, ['mcp', 'grants']);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+SERVER\\s+TOOL\\s+SCOPE\\s+EXPIRES\\s+CREATED\\n${live.id}\\s+everything\\s+echo\\s+timed`));

    expect((await rusty(e, ['mcp', 'call', 'everything', 'echo', '{"message":"granted"}'])).code).toBe(0);
    expectError(await rusty(e, ['mcp', 'call', 'everything', 'get-sum', '{"a":1,"b":2}', '--json']), 1, 'ask-refused', /get-sum/);

    const revoked = await rusty(e, ['mcp', 'revoke', live.id, '--json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(parseJson(revoked)).toEqual({ revoked: live.id, server: 'everything', tool: 'echo', scope: 'timed' });
    expectError(await rusty(e, ['mcp', 'call', 'everything', 'echo', '{"message":"again"}', '--json']), 1, 'ask-refused', /echo/);
    expectError(await rusty(e, ['mcp', 'revoke', live.id, '--json']), 1, 'not-found', /No live grant .*rusty mcp grants/);

    const audit = await mcpAudit(e);
    expect(audit.map((x) => `${x.action}:${x.details.tool ?? ''}:${x.details.decision ?? x.details.found}`)).toEqual([
      'mcp.decision:echo:allow', 'mcp.call:echo:allow', 'mcp.decision:get-sum:ask', 'mcp.revoke:echo:true', 'mcp.decision:echo:ask', 'mcp.revoke::false',
    ]);
    expect(audit[0]!.details.grantId).toBe(live.id);
  });

  it('reports bad input precisely: JSON, non-object, unknown server and tool, invalid params, bad flags', async () => {
    const e = setup({ rules: [{ server: 'everything', tool: '*', decision: 'allow' }] });
    expectError(await rusty(e, ['mcp', 'call', 'everything', 'echo', '{message:', '--json']), 2, 'usage', /not valid JSON/);
    expectError(await rusty(e, ['mcp', 'call', 'everything', 'echo', '[1]', '--json']), 2, 'usage', /must be a JSON object/);
    expectError(await rusty(e, ['mcp', 'call', 'nope', 'echo', '{}', '--json']), 1, 'unknown-server', /No MCP server named "nope".*everything/);
    expectError(await rusty(e, ['mcp', 'call', 'everything', 'ecoh', '{}', '--json']), 1, 'unknown-tool', /"echo"/);
    expectError(await rusty(e, ['mcp', 'call', 'everything', 'echo', '{"message":3}', '--json']), 1, 'invalid-params', /message/);
    // Flag errors come from commander: exit 2, the JSON error, and its usage text on stderr.
    const timeout = await rusty(e, ['mcp', 'call', 'everything', 'echo', '{}', '--timeout', 'soon', '--json']);
    expect(timeout.code).toBe(2);
    expect(parseJson<ErrorJson>(timeout).error).toMatchObject({ code: 'usage', message: expect.stringMatching(/--timeout must be a whole number > 0, got soon/) });
    const missing = await cli.run(['mcp', 'servers', '--json', '-w', e.ws, '--config', path.join(e.tmp, 'missing.json')], { env: { RUSTY_STATE_DIR: e.stateRoot, HOME: e.home } });
    expectError(missing, 2, 'usage', /--config .*missing\.json: no such file/);
    const unknownCommand = await rusty(e, ['mcp', 'frobnicate', '--json']);
    expect(unknownCommand.code).toBe(2);
    expect(parseJson<ErrorJson>(unknownCommand).error.message).toBe("unknown command 'mcp frobnicate'; use one of: servers, tools, call, resources, read, prompt, prompts, session, stop, login, logout, grants, revoke, codegen, stats");
    const bare = await rusty(e, ['mcp']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: rusty mcp [options] [command]');
    const detail = await rusty(e, ['mcp', 'tools', '--detail', 'everything']);
    expect(detail.code).toBe(2);
    expect(detail.stderr).toMatch(/Allowed choices are name, summary, full/);
  });

  it('resolves ${input:…} from RUSTY_MCP_INPUT_<ID>, or names that variable in the config error', async () => {
    const e = setup({ rules: [{ server: 'everything', tool: 'get-env', decision: 'allow' }] }, {
      everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { RUSTY_TEST_TOKEN: '${input:test-token}' } },
    });
    const without = await rusty(e, ['mcp', 'call', 'everything', 'get-env', '{}', '--json']);
    expectError(without, 1, 'config', /RUSTY_MCP_INPUT_TEST_TOKEN/);
    expect(without.stderr).toMatch(/warning: .*servers\.json.*set RUSTY_MCP_INPUT_TEST_TOKEN/);
    const withIt = await rusty(e, ['mcp', 'call', 'everything', 'get-env', '{}'], { RUSTY_MCP_INPUT_TEST_TOKEN: 'value-from-env-123' });
    expect(withIt.code, withIt.stderr).toBe(0);
    expect(withIt.stdout).toContain('value-from-env-123');
  });
});

describe('rusty mcp listings', () => {
  it('servers: a status table and --json, with config errors as warnings on stderr', async () => {
    const e = setup({}, { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] }, broken: { args: ['no command'] } });
    const human = await rusty(e, ['mcp', 'servers']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^SERVER\s+STATUS\s+TRANSPORT\s+TOOLS\s+RESOURCES\s+PROMPTS\s+SOURCE\neverything\s+connected\s+stdio\s+\d+/);
    expect(human.stderr).toMatch(/rusty: warning: .*servers\.json \(mcpServers\.broken/);
    const json = parseJson<{ servers: { name: string; status: string; toolCount: number }[]; configErrors: { server?: string }[] }>(await rusty(e, ['mcp', 'servers', '--json']));
    expect(json.servers).toEqual([expect.objectContaining({ name: 'everything', status: 'connected' })]);
    expect(json.servers[0]!.toolCount).toBeGreaterThan(5);
    expect(json.configErrors.some((x) => x.server === 'broken')).toBe(true);
    const failing = setup({}, { dead: { command: path.join(e.tmp, 'no-such-program') } });
    const r = await rusty(failing, ['mcp', 'servers', '--json']);
    expect(r.code).toBe(0);
    const dead = parseJson<{ servers: { name: string; status: string; lastError?: string }[] }>(r).servers[0]!;
    expect(dead.status).toBe('failed');
    expect(dead.lastError).toBeTruthy();
  });

  it('tools --search returns ranked hits at the asked detail; tools, resources and prompts list as JSON', async () => {
    const e = setup({});
    const r = await rusty(e, ['mcp', 'tools', '--search', 'sum of two numbers', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { hits } = parseJson<{ hits: { server: string; name: string; score: number; description?: string }[] }>(r);
    expect(hits[0]).toMatchObject({ server: 'everything', name: 'get-sum' });
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    const names = parseJson<{ hits: Record<string, unknown>[] }>(await rusty(e, ['mcp', 'tools', '--search', 'echo', '--detail', 'name', '--json'])).hits;
    expect(names[0]).toMatchObject({ name: 'echo' });
    expect(names[0]!.description).toBeUndefined();
    const full = parseJson<{ hits: Record<string, unknown>[] }>(await rusty(e, ['mcp', 'tools', '--search', 'echo', '--detail', 'full', '--limit', '1', '--json'])).hits;
    expect(full).toHaveLength(1);
    expect(full[0]!.inputSchema).toMatchObject({ type: 'object' });
    const human = await rusty(e, ['mcp', 'tools', '--search', 'sum of two numbers']);
    expect(human.stdout).toMatch(/^SCORE\s+SERVER\s+TOOL\s+CATEGORY\s+DESCRIPTION\n\d+\.\d+\s+everything\s+get-sum/);

    const tools = parseJson<{ tools: { name: string }[] }>(await rusty(e, ['mcp', 'tools', '--server', 'everything', '--json'])).tools;
    expect(tools.map((t) => t.name)).toContain('echo');
    const resources = parseJson<{ resources: { uri: string }[] }>(await rusty(e, ['mcp', 'resources', '--json'])).resources;
    expect(resources.length).toBeGreaterThan(0);
    const prompts = parseJson<{ prompts: { name: string }[] }>(await rusty(e, ['mcp', 'prompts', '--json'])).prompts;
    expect(prompts.length).toBeGreaterThan(0);
    const unknown = await rusty(e, ['mcp', 'tools', '--server', 'nope', '--json']);
    expectError(unknown, 1, 'unknown-server', /nope/);
  });
});

describe('rusty mcp call and Ctrl-C', () => {
  it.skipIf(process.platform !== 'linux')('cancels a long call on SIGINT, exits 130, audits the cancelled call, and leaves no server running', async () => {
    const marker = `rusty-test-${process.pid}-${Date.now()}`;
    const e = setup({ rules: [{ server: 'everything', tool: '*', decision: 'allow' }] }, {
      everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { RUSTY_TEST_MARKER: marker } },
    });
    const started = Date.now();
    const child = cli.spawn(['mcp', 'call', 'everything', 'trigger-long-running-operation', '{"duration":30,"steps":30}', '-w', e.ws, '--config', e.config],
      { env: { RUSTY_STATE_DIR: e.stateRoot, HOME: e.home } });
    child.stdin?.end();
    const done = cli.collect(child, started);
    // Wait until the server runs (its process carries the marker), then a little into the call.
    for (let i = 0; i < 100 && !serverPids(marker).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(serverPids(marker).length).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.stderr).toMatch(/cancelled/);
    expect(serverPids(marker)).toEqual([]);
    const calls = (await mcpAudit(e)).filter((x) => x.action === 'mcp.call');
    expect(calls.map((x) => [x.details.outcome, x.details.errorKind])).toEqual([['error', 'cancelled']]);
  });
});

describe('CLI helpers', () => {
  it('names input variables, parses terminal answers, and aligns tables', () => {
    expect(inputEnvName('github-token')).toBe('RUSTY_MCP_INPUT_GITHUB_TOKEN');
    expect(inputEnvName('api.key2')).toBe('RUSTY_MCP_INPUT_API_KEY2');
    expect(parseAskAnswer('o')).toEqual({ kind: 'once' });
    expect(parseAskAnswer(' Session ')).toEqual({ kind: 'session' });
    expect(parseAskAnswer('m 15')).toEqual({ kind: 'minutes', minutes: 15 });
    expect(parseAskAnswer('always')).toEqual({ kind: 'always' });
    expect(parseAskAnswer('d')).toEqual({ kind: 'deny' });
    expect(parseAskAnswer('yes please')).toBeUndefined();
    expect(table(['A', 'BB'], [['xxx', 'y'], ['z', 'long last']])).toBe('A    BB\nxxx  y\nz    long last');
  });
});

/** Pids of live processes whose environment holds the marker (Linux /proc). */
function serverPids(marker: string): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, 'latin1').includes(`RUSTY_TEST_MARKER=${marker}`)) pids.push(Number(name));
    } catch {
      // gone or not ours
    }
  }
  return pids;
}
