// Compatibility with real servers (issue 17, item 7), through the built CLI (run `npm run build`
// first): schema defaults marked required, unknown formats, listing failures, resource templates,
// `mcp read` / `mcp prompt`, the protocol's tool fields, the workspace as cwd, the start error line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, REPO_ROOT, type Cli, type CliResult } from '../core/testing/cli';

const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const DEFAULTS = path.join(REPO_ROOT, 'test', 'fixtures', 'mcp', 'defaults-server.mjs');

let cli: Cli;
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

interface Env { tmp: string; ws: string; config: string; env: NodeJS.ProcessEnv; caller: string }

function setup(servers: Record<string, unknown> = {
  everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
  defaults: { command: process.execPath, args: [DEFAULTS] },
}): Env {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mcp-compat-')));
  temps.push(tmp);
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: '*', tool: '*', decision: 'allow' }] }));
  const config = path.join(tmp, 'servers.json');
  fs.writeFileSync(config, JSON.stringify({ mcpServers: servers }));
  const home = path.join(tmp, 'home');
  const caller = path.join(tmp, 'elsewhere');
  fs.mkdirSync(home);
  fs.mkdirSync(caller);
  return { tmp, ws, config, caller, env: { RUSTY_STATE_DIR: path.join(tmp, 'state'), HOME: home, USERPROFILE: home } };
}

function rusty(e: Env, args: string[]): Promise<CliResult> {
  return cli.run([...args, '-w', e.ws, '--config', e.config], { env: e.env, cwd: e.caller });
}

describe('schema defaults and formats', () => {
  it('sends a call whose required fields have defaults; the server fills them in; no validator chatter', async () => {
    const e = setup();
    const r = await rusty(e, ['mcp', 'call', 'defaults', 'console_messages', '{"options":{}}']);
    expect(r.code, r.stderr).toBe(0);
    // Sent as given (as the SDK client sends it); the server applied its own defaults.
    expect(r.stdout).toContain('received {"options":{}}; level info scale 1');
    expect(r.stderr).not.toMatch(/unknown format|ignored in schema/);
  });

  it('still refuses a value the schema forbids, with the field named', async () => {
    const e = setup();
    const r = await rusty(e, ['mcp', 'call', 'defaults', 'console_messages', '{"level":"loud","icon":"{not json"}', '--json']);
    expect(r.code).toBe(1);
    const { error } = parseJson<{ error: { code: string; message: string } }>(r);
    expect(error.code).toBe('invalid-params');
    expect(error.message).toMatch(/level|allowed values/);
    expect(error.message).toMatch(/icon.*format "json"|format "json"/);
  });

  it('keeps title and execution as the protocol has them', async () => {
    const e = setup();
    const r = await rusty(e, ['mcp', 'tools', '--server', 'defaults', '--detail', 'full', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const tool = parseJson<{ tools: Record<string, unknown>[] }>(r).tools.find((t) => t.name === 'console_messages')!;
    expect(tool.title).toBeUndefined();
    expect(tool.annotations).toMatchObject({ title: 'Console messages' });
    expect(tool.execution).toEqual({ taskSupport: 'optional' });
  });
});

describe('resources, templates, read, prompt', () => {
  it('lists resources and the resource templates', async () => {
    const e = setup();
    const r = await rusty(e, ['mcp', 'resources', '--server', 'everything', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = parseJson<{ resources: unknown[]; resourceTemplates: { uriTemplate: string }[] }>(r);
    expect(j.resources.length).toBeGreaterThan(0);
    expect(j.resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining(['demo://resource/dynamic/text/{resourceId}', 'demo://resource/dynamic/blob/{resourceId}']));
  });

  it('shows a failed listing per server and exits 1 when nothing could be listed', async () => {
    const e = setup();
    const only = await rusty(e, ['mcp', 'resources', '--server', 'defaults']);
    expect(only.code).toBe(1);
    expect(only.stderr).toContain('defaults: listing resources failed');
    expect(only.stderr).toContain('database "app" does not exist');
    // With another server listing fine: the error is shown, the exit is 0.
    const all = await rusty(e, ['mcp', 'resources']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toContain('defaults: listing resources failed');
    expect(all.stdout).toContain('demo://resource/static/document/');
  });

  it('reads a resource from a template and gets a prompt with arguments', async () => {
    const e = setup();
    const read = await rusty(e, ['mcp', 'read', 'everything', 'demo://resource/dynamic/text/7']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('Resource 7: This is a plaintext resource');
    const prompt = await rusty(e, ['mcp', 'prompt', 'everything', 'args-prompt', '{"city":"Paris"}']);
    expect(prompt.code, prompt.stderr).toBe(0);
    expect(prompt.stdout).toContain("user: What's weather in Paris?");
    const bad = await rusty(e, ['mcp', 'prompt', 'everything', 'args-prompt', '{"city":3}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Prompt arguments are strings');
  });
});

describe('servers', () => {
  it('start in the workspace folder, not the caller\'s current folder', async () => {
    const e = setup();
    const r = await rusty(e, ['mcp', 'call', 'defaults', 'where']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(e.ws);
  });

  it('a server that cannot start is summed up by its error line, not the stack tail', async () => {
    const e = setup({ broken: { command: process.execPath, args: [path.join(os.tmpdir(), 'no-such-dir-rusty', 'x.js')] } });
    const r = await rusty(e, ['mcp', 'servers', '--json']);
    const s = parseJson<{ servers: { status: string; lastError: string }[] }>(r).servers[0]!;
    expect(s.status).toBe('failed');
    expect(s.lastError).toMatch(/Error: Cannot find module '.*no-such-dir-rusty/);
    expect(s.lastError).not.toMatch(/requireStack|Node\.js v\d/);
  });
});

describe('background session', () => {
  it('keeps servers (and their state) across calls until `rusty mcp stop`', async () => {
    const e = setup({ everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } });
    // Without a session every call starts a fresh server: the toggle starts each time.
    expect((await rusty(e, ['mcp', 'call', 'everything', 'toggle-simulated-logging'])).stdout).toContain('Started');
    expect((await rusty(e, ['mcp', 'call', 'everything', 'toggle-simulated-logging'])).stdout).toContain('Started');
    const start = await rusty(e, ['mcp', 'session', 'start']);
    try {
      expect(start.code, start.stderr).toBe(0);
      expect(start.stdout).toMatch(/MCP session running \(pid \d+, 1 of 1 servers connected\)/);
      expect((await rusty(e, ['mcp', 'call', 'everything', 'toggle-simulated-logging'])).stdout).toContain('Started');
      const second = await rusty(e, ['mcp', 'call', 'everything', 'toggle-simulated-logging']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain('Stopped');
    } finally {
      const stop = await rusty(e, ['mcp', 'stop']);
      expect(stop.stdout).toMatch(/MCP session \(pid \d+\) stopped\./);
    }
    expect((await rusty(e, ['mcp', 'stop'])).stdout).toContain('No MCP session is running.');
  }, 120_000);

  it('answers tools, resources, prompts, read and prompt from the running servers', async () => {
    const e = setup({ everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } });
    const uri = 'demo://resource/session/note.txt.gz';
    const data = `data:text/plain;base64,${Buffer.from('kept in the session').toString('base64')}`;
    const gzip = ['mcp', 'call', 'everything', 'gzip-file-as-resource', JSON.stringify({ name: 'note.txt.gz', data })];
    // Without a session, the resource a call creates is gone with its server.
    expect((await rusty(e, gzip)).code).toBe(0);
    expect((await rusty(e, ['mcp', 'resources', '--server', 'everything'])).stdout).not.toContain(uri);
    const start = await rusty(e, ['mcp', 'session', 'start']);
    try {
      expect(start.code, start.stderr).toBe(0);
      const made = await rusty(e, gzip);
      expect(made.code, made.stderr).toBe(0);
      const listed = await rusty(e, ['mcp', 'resources', '--server', 'everything', '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(parseJson<{ resources: { uri: string }[] }>(listed).resources.map((r) => r.uri)).toContain(uri);
      const read = await rusty(e, ['mcp', 'read', 'everything', uri, '--json']);
      expect(read.code, read.stderr).toBe(0);
      const blob = parseJson<{ contents: { blob: string }[] }>(read).contents[0]!.blob;
      expect(zlib.gunzipSync(Buffer.from(blob, 'base64')).toString()).toBe('kept in the session');
      // The config now names a server that cannot start: the answers still come from the session.
      fs.writeFileSync(e.config, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [path.join(e.tmp, 'gone.js')] } } }));
      const tools = await rusty(e, ['mcp', 'tools', '--server', 'everything', '--detail', 'name']);
      expect(tools.code, tools.stderr).toBe(0);
      expect(tools.stdout).toContain('everything/gzip-file-as-resource');
      const search = await rusty(e, ['mcp', 'tools', '--search', 'compress a file', '--json']);
      expect(parseJson<{ hits: { name: string }[] }>(search).hits[0]?.name).toBe('gzip-file-as-resource');
      const prompts = await rusty(e, ['mcp', 'prompts']);
      expect(prompts.stdout).toContain('args-prompt');
      const prompt = await rusty(e, ['mcp', 'prompt', 'everything', 'args-prompt', '{"city":"Paris"}']);
      expect(prompt.code, prompt.stderr).toBe(0);
      expect(prompt.stdout).toContain("user: What's weather in Paris?");
      // A server error comes back as the CLI's error.
      const missing = await rusty(e, ['mcp', 'read', 'everything', 'demo://resource/session/none.gz']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/rusty: .*none\.gz/);
    } finally {
      await rusty(e, ['mcp', 'stop']);
    }
    // Without the session the broken config is what runs.
    const after = await rusty(e, ['mcp', 'tools', '--server', 'everything']);
    expect(after.stdout).not.toContain('gzip-file-as-resource');
  }, 180_000);
});
