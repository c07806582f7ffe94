// The client against the reference MCP servers from node_modules (never npx downloads).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../types';
import type { McpClientManager } from './manager';
import { expectAllGone, fixture, freePort, isAlive, nodeServer, serverPackage, tempDir, testManager, waitFor, watch } from './testSupport';

const EVERYTHING = serverPackage('server-everything');

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function setup(configs: McpServerConfig[]): { manager: McpClientManager; dir: string } {
  const dir = tempDir();
  const manager = testManager(dir);
  const watcher = watch(manager);
  manager.setServers(configs);
  cleanups.push(async () => {
    await manager.dispose();
    await expectAllGone(watcher.pids);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { manager, dir };
}

/** Starts an HTTP server process for a test file and waits until it prints `ready`. */
async function httpServerProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await waitFor(() => ready.test(output) || child.exitCode !== null, 15_000, `server ${args.join(' ')} to listen`);
  if (child.exitCode !== null) throw new Error(`server exited early: ${output}`);
  return { child, output: () => output };
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The same checks over any transport. */
async function exerciseEverything(manager: McpClientManager, name: string): Promise<void> {
  await manager.start(name);
  const tools = manager.tools(name);
  const names = tools.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation', 'get-structured-content']));
  expect(tools.find((t) => t.name === 'echo')!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
  expect(tools.find((t) => t.name === 'get-structured-content')!.outputSchema).toBeDefined();

  const echo = await manager.callTool(name, 'echo', { message: 'hello' });
  expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hello' }]);
  expect(echo).toMatchObject({ isError: false, attempts: 1 });

  const sum = await manager.callTool(name, 'get-sum', { a: 2, b: 40 });
  expect(JSON.stringify(sum.content)).toContain('The sum of 2 and 40 is 42.');

  // 1.2 s of work with progress every 0.4 s, under a 0.7 s inactivity timeout: progress keeps it alive.
  const progress: number[] = [];
  const long = await manager.callTool(name, 'trigger-long-running-operation', { duration: 1.2, steps: 3 }, { timeoutMs: 700, onProgress: (p) => progress.push(p.progress) });
  expect(JSON.stringify(long.content)).toContain('Long running operation completed');
  expect(progress).toEqual([1, 2, 3]);

  const weather = await manager.callTool(name, 'get-structured-content', { location: 'New York' });
  expect(weather.structuredContent).toEqual({ temperature: 33, conditions: 'Cloudy', humidity: 82 });

  const invalid = await manager.callTool(name, 'get-sum', { a: 'two', b: 3 }).catch((e: unknown) => e);
  expect(invalid).toMatchObject({ kind: 'invalid-params', resolution: 'return-to-caller' });

  const resources = manager.resources(name);
  expect(resources.length).toBeGreaterThan(3);
  const doc = resources.find((r) => r.uri.endsWith('instructions.md'))!;
  const read = (await manager.readResource(name, doc.uri)) as { contents: { text: string }[] };
  expect(read.contents[0]!.text.length).toBeGreaterThan(100);

  expect(manager.prompts(name).map((p) => p.name)).toEqual(expect.arrayContaining(['simple-prompt', 'args-prompt']));
  const prompt = (await manager.getPrompt(name, 'args-prompt', { city: 'Lisbon' })) as { messages: { content: { text: string } }[] };
  expect(JSON.stringify(prompt.messages)).toContain('Lisbon');

  expect(manager.state(name)).toMatchObject({ status: 'connected', serverInfo: { name: 'mcp-servers/everything' } });
}

describe('server-everything over stdio', () => {
  it('lists, calls with progress and structured content, reads resources and prompts', async () => {
    const { manager } = setup([nodeServer('everything', EVERYTHING, ['stdio'])]);
    await exerciseEverything(manager, 'everything');
    expect(manager.state('everything')!.connectedVia).toBe('stdio');
    expect(manager.state('everything')!.pid).toBeGreaterThan(0);
  });
});

describe('server-everything over HTTP', () => {
  let port = 0;
  let server: ChildProcess;
  beforeAll(async () => {
    port = await freePort();
    server = (await httpServerProcess([EVERYTHING, 'streamableHttp'], { PORT: String(port) }, /listening on port/)).child;
  });
  afterAll(async () => killProcess(server));

  it('works over Streamable HTTP', async () => {
    const { manager } = setup([{ name: 'remote', transport: 'http', url: `http://127.0.0.1:${port}/mcp`, source: { kind: 'rusty-settings' } }]);
    await exerciseEverything(manager, 'remote');
    expect(manager.state('remote')!.connectedVia).toBe('http');
    await manager.stop('remote');
    expect(manager.state('remote')!.status).toBe('stopped');
  });
});

describe('server-everything over the deprecated SSE transport', () => {
  let port = 0;
  let server: ChildProcess;
  beforeAll(async () => {
    port = await freePort();
    server = (await httpServerProcess([EVERYTHING, 'sse'], { PORT: String(port) }, /running on port/)).child;
  });
  afterAll(async () => killProcess(server));

  it('falls back from Streamable HTTP to SSE when the POST is refused', async () => {
    const { manager } = setup([{ name: 'legacy', transport: 'http', url: `http://127.0.0.1:${port}/sse`, source: { kind: 'rusty-settings' } }]);
    await manager.start('legacy');
    expect(manager.state('legacy')!.connectedVia).toBe('sse');
    const echo = await manager.callTool('legacy', 'echo', { message: 'old school' });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: old school' }]);
    expect(manager.logText('legacy')).toMatch(/deprecated HTTP\+SSE/);
  });
});

describe('Streamable HTTP sessions', () => {
  let server: ChildProcess;
  let base = '';
  beforeAll(async () => {
    const started = await httpServerProcess([fixture('http-session-server.mjs')], { PORT: '0' }, /LISTENING \d+/);
    server = started.child;
    base = `http://127.0.0.1:${/LISTENING (\d+)/.exec(started.output())![1]}`;
  });
  afterAll(async () => killProcess(server));

  it('sends the configured headers and re-initializes once when the server answers 404 for our session', async () => {
    const { manager } = setup([{ name: 'sessions', transport: 'http', url: `${base}/mcp`, headers: { 'X-Test-Token': 'secret-123' }, source: { kind: 'rusty-settings' } }]);
    expect((await manager.callTool('sessions', 'echo', { message: 'one' })).content).toEqual([{ type: 'text', text: 'echo: one' }]);
    await fetch(`${base}/forget`);
    // not trusted and echo is only read-only-hinted: the resend is allowed because a 404 means the request was never processed
    const again = await manager.callTool('sessions', 'echo', { message: 'two' });
    expect(again.content).toEqual([{ type: 'text', text: 'echo: two' }]);
    expect(again.attempts).toBe(2);
    const stats = (await (await fetch(`${base}/stats`)).json()) as { initializations: number; tokens: string[] };
    expect(stats.initializations).toBe(2);
    expect(stats.tokens).toEqual(['secret-123']);
    expect(manager.logText('sessions')).toMatch(/HTTP 404/);
  });
});

describe('server-filesystem and server-memory', () => {
  it('lists and reads files of a temp folder', async () => {
    const root = tempDir('rusty-fs-');
    fs.writeFileSync(path.join(root, 'hello.txt'), 'hello from rusty\n');
    cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    const { manager } = setup([nodeServer('fs', serverPackage('server-filesystem'), [root])]);
    const listing = await manager.callTool('fs', 'list_directory', { path: root });
    expect(listing.structuredContent).toEqual({ content: '[FILE] hello.txt' });
    const read = await manager.callTool('fs', 'read_text_file', { path: path.join(root, 'hello.txt') });
    expect(read.structuredContent).toEqual({ content: 'hello from rusty\n' });
    expect(manager.tools('fs').find((t) => t.name === 'write_file')?.annotations?.readOnlyHint).toBe(false);
    const outside = await manager.callTool('fs', 'read_text_file', { path: '/etc/hostname' });
    expect(outside.isError).toBe(true);
  });

  it('creates entities and reads the graph back from a temp MEMORY_FILE_PATH', async () => {
    const dir = tempDir('rusty-memory-');
    const memoryFile = path.join(dir, 'memory.jsonl');
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const { manager } = setup([nodeServer('memory', serverPackage('server-memory'), [], { env: { MEMORY_FILE_PATH: memoryFile } })]);
    await manager.callTool('memory', 'create_entities', { entities: [{ name: 'Rusty', entityType: 'project', observations: ['reviews changes'] }] });
    const graph = await manager.callTool('memory', 'read_graph', {});
    expect(graph.structuredContent).toMatchObject({ entities: [{ name: 'Rusty', entityType: 'project', observations: ['reviews changes'] }] });
    expect(fs.readFileSync(memoryFile, 'utf8')).toContain('"Rusty"');
  });
});

describe('process cleanup', () => {
  it('kills the servers of a host process that exits without disposing its manager', async () => {
    const dir = tempDir('rusty-orphans-');
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    // Bundle the client for a plain Node child (Node cannot load TypeScript itself).
    const esbuild = await import('esbuild');
    const bundle = path.join(dir, 'client.mjs');
    await esbuild.build({ entryPoints: [path.join(__dirnameOf(), 'index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
    const host = path.join(dir, 'host.mjs');
    fs.writeFileSync(host, `
      import { McpClientManager } from ${JSON.stringify(bundle)};
      const m = new McpClientManager({ logDir: ${JSON.stringify(dir)}, outputDir: ${JSON.stringify(dir)}, pingIntervalMs: 0 });
      m.setServers([{ name: 'h', transport: 'stdio', command: process.execPath, args: [${JSON.stringify(fixture('hostile-server.mjs'))}, '--stubborn'], env: { FIXTURE_DIR: ${JSON.stringify(dir)} }, source: { kind: 'cli-config' } }]);
      await m.start('h');
      console.log('PID ' + m.state('h').pid);
      process.exit(0);
    `);
    const child = spawn(process.execPath, [host], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((r) => child.once('exit', r));
    const pid = Number(/PID (\d+)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(0);
    // the server ignores stdin EOF and SIGTERM: only the exit handler's SIGKILL can have stopped it
    await waitFor(() => !isAlive(pid), 3000, 'the orphan to be killed');
  });
});

function __dirnameOf(): string {
  return path.dirname(new URL(import.meta.url).pathname);
}
