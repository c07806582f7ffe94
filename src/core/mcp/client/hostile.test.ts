// The client against servers that misbehave on purpose (test/fixtures/mcp/hostile-server.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpError, type McpServerConfig } from '../types';
import { expectAllGone, fixture, freePort, nodeServer, readCount, tempDir, testManager, waitFor, watch, isAlive } from './testSupport';

const HOSTILE = fixture('hostile-server.mjs');

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function setup(flags: string[] = [], extra: Partial<McpServerConfig> = {}, options: Parameters<typeof testManager>[1] = {}) {
  const dir = tempDir();
  const manager = testManager(dir, options);
  const watcher = watch(manager);
  const config = nodeServer('hostile', HOSTILE, flags, { env: { FIXTURE_DIR: dir }, ...extra });
  manager.setServers([config]);
  cleanups.push(async () => {
    await manager.dispose();
    await expectAllGone(watcher.pids);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir, manager, watcher };
}

async function rejection(p: Promise<unknown>): Promise<McpError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

describe('discovery', () => {
  it('fetches every page of tools, resources and prompts and refreshes on list_changed', async () => {
    const { manager } = setup(['--page-size=7']);
    await manager.start('hostile');
    expect(manager.tools('hostile')).toHaveLength(113);
    expect(manager.resources('hostile')).toHaveLength(120);
    expect(manager.prompts('hostile')).toHaveLength(30);
    expect(manager.tools().find((t) => t.name === 'echo')?.annotations?.readOnlyHint).toBe(true);
    expect(manager.state('hostile')).toMatchObject({ status: 'connected', toolCount: 113, resourceCount: 120, promptCount: 30, serverInfo: { name: 'hostile' } });

    await manager.callTool('hostile', 'add_tool', {});
    await waitFor(() => manager.tools('hostile').length === 114, 5000, 'the list_changed refresh');
    expect(manager.tools('hostile').some((t) => t.name.startsWith('added_'))).toBe(true);

    expect(await manager.readResource('hostile', 'test://resource/42')).toMatchObject({ contents: [{ text: 'content of test://resource/42' }] });
    expect(await manager.getPrompt('hostile', 'prompt_3', { topic: 'rust' })).toMatchObject({ messages: [{ content: { text: 'prompt prompt_3 about rust' } }] });
  });
});

describe('timeouts and cancellation', () => {
  it('times out a call that is never answered, sends notifications/cancelled, and keeps serving other calls', async () => {
    const { manager, dir } = setup();
    const error = await rejection(manager.callTool('hostile', 'hang', {}, { timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
    expect(error.resolution).toBe('retry-longer');
    expect(error.details?.attempts).toBe(1); // unannotated: never repeated
    expect(readCount(dir, 'calls-hang.count')).toBe(1);

    const echo = await manager.callTool('hostile', 'echo', { message: 'still here' });
    expect(echo.content).toEqual([{ type: 'text', text: 'echo: still here' }]);

    const controller = new AbortController();
    const pending = manager.callTool('hostile', 'hang', {}, { signal: controller.signal, timeoutMs: 30_000 });
    setTimeout(() => controller.abort('user pressed cancel'), 200);
    const cancelled = await rejection(pending);
    expect(cancelled.kind).toBe('cancelled');

    const file = path.join(dir, 'cancelled.jsonl');
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim().split('\n').length === 2, 3000, 'two cancellations');
    const notices = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { requestId: number; reason: string });
    expect(notices[0]!.reason).toMatch(/timed out/i);
    expect(notices[1]!.reason).toBe('user pressed cancel');
  });

  it('resets the timeout on progress but enforces the hard maximum', async () => {
    const { manager, dir } = setup();
    const progress: number[] = [];
    const ok = await manager.callTool('hostile', 'slow_progress', { steps: 5, intervalMs: 150 }, { timeoutMs: 400, onProgress: (p) => progress.push(p.progress) });
    expect(ok.content).toEqual([{ type: 'text', text: 'done after 5 steps' }]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);

    const started = Date.now();
    const error = await rejection(manager.callTool('hostile', 'slow_progress', { steps: 50, intervalMs: 100 }, { timeoutMs: 400, maxTotalTimeoutMs: 800 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/Maximum total timeout of 800 ms/);
    // read-only but the server is not trusted: not retried
    expect(error.details?.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(3000);
    await waitFor(() => fs.existsSync(path.join(dir, 'cancelled.jsonl')), 3000, 'the cancellation');
  });

  it('ends a call at the hard maximum when a progress reset would carry it past', async () => {
    // Progress at 500 ms moves the SDK's inactivity deadline to 1100 ms and its own maximum check
    // waits for the next progress (1000 ms): only the hard timer, armed at the first progress, ends it at 700 ms.
    const { manager } = setup();
    await manager.start('hostile');
    const started = Date.now();
    const error = await rejection(manager.callTool('hostile', 'slow_progress', { steps: 2, intervalMs: 500 }, { timeoutMs: 600, maxTotalTimeoutMs: 700, onProgress: () => undefined }));
    const elapsed = Date.now() - started;
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/Maximum total timeout of 700 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(690);
    expect(elapsed).toBeLessThan(950);
  });
});

describe('crashes, restarts and retries', () => {
  it('reports a crash mid-call as a connection error, restarts the server, and never repeats an unannotated or destructive call', async () => {
    const { manager, dir, watcher } = setup([], { trusted: true });
    await manager.start('hostile');
    const firstPid = manager.state('hostile')!.pid!;

    const error = await rejection(manager.callTool('hostile', 'crash', {}));
    expect(error.kind).toBe('connection');
    expect(error.resolution).toBe('reconnect');
    expect(error.details?.attempts).toBe(1);
    expect(readCount(dir, 'calls-crash.count')).toBe(1);

    await waitFor(() => manager.state('hostile')?.status === 'connected' && readCount(dir, 'starts.count') === 2, 5000, 'the automatic restart');
    expect(watcher.statuses('hostile')).toEqual(['stopped', 'starting', 'connected', 'failed', 'starting', 'connected']);
    expect(manager.state('hostile')!.restarts).toBe(1);
    expect(manager.state('hostile')!.lastError).toMatch(/exited with code 3/);
    expect(manager.state('hostile')!.stderrTail.join('\n')).toContain('crashing on purpose in crash');
    expect(isAlive(firstPid)).toBe(false);

    const destructive = await rejection(manager.callTool('hostile', 'delete_all', {}));
    expect(destructive.kind).toBe('connection');
    expect(destructive.details?.attempts).toBe(1);
    expect(readCount(dir, 'calls-delete_all.count')).toBe(1);
  });

  it('retries a read-only tool of a trusted server after a transient crash, with backoff', async () => {
    const { manager, dir } = setup([], { trusted: true });
    const result = await manager.callTool('hostile', 'flaky_read', {});
    expect(result.content).toEqual([{ type: 'text', text: 'flaky_read ok on call 2' }]);
    expect(result.attempts).toBe(2);
    expect(readCount(dir, 'calls-flaky_read.count')).toBe(2);
    expect(manager.logText('hostile')).toMatch(/attempt 1 failed \(connection.*retrying in \d+ ms/);
  });

  it('does not retry the same read-only tool when the server is not trusted', async () => {
    const { manager, dir } = setup([], { trusted: false });
    const error = await rejection(manager.callTool('hostile', 'flaky_read', {}));
    expect(error.kind).toBe('connection');
    expect(error.details?.attempts).toBe(1);
    expect(readCount(dir, 'calls-flaky_read.count')).toBe(1);
  });

  it('marks a server that stops answering pings degraded, then failed, and restarts it', async () => {
    const { manager, dir, watcher } = setup([], {}, { pingIntervalMs: 150, pingTimeoutMs: 150, pingFailuresBeforeRestart: 2 });
    await manager.start('hostile');
    void manager.callTool('hostile', 'freeze', {}, { timeoutMs: 60_000 }).catch(() => undefined);
    await waitFor(() => readCount(dir, 'starts.count') === 2 && manager.state('hostile')?.status === 'connected', 8000, 'the restart after failed pings');
    expect(watcher.statuses('hostile')).toEqual(['stopped', 'starting', 'connected', 'degraded', 'failed', 'starting', 'connected']);
    expect(manager.logText('hostile')).toMatch(/stopped answering pings/);
  });
});

describe('bad output and bad input', () => {
  it('survives garbage on stdout and says so', async () => {
    const { manager } = setup(['--garbage']);
    const result = await manager.callTool('hostile', 'echo', { message: 'hi' });
    expect(result.content).toEqual([{ type: 'text', text: 'echo: hi' }]);
    expect(manager.state('hostile')!.lastError).toMatch(/non-JSON-RPC text to stdout.*chatty banner|non-JSON-RPC text to stdout.*banner/);
    expect(manager.logText('hostile')).toContain('stdout line is not JSON-RPC');
  });

  it('fails the start of a server that only writes garbage with a clear protocol error', async () => {
    const { manager } = setup(['--garbage-only'], {}, { startTimeoutMs: 1500 });
    const error = await rejection(manager.start('hostile'));
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/wrote non-JSON-RPC text to stdout instead of answering initialize: "garbage answer/);
    expect(manager.state('hostile')!.status).toBe('failed');
  });

  it('validates structuredContent against the outputSchema', async () => {
    const { manager } = setup();
    const good = await manager.callTool('hostile', 'good_output', {});
    expect(good.structuredContent).toEqual({ count: 3 });
    const bad = await rejection(manager.callTool('hostile', 'bad_output', {}));
    expect(bad.kind).toBe('output-invalid');
    expect(bad.message).toMatch(/count.*number|must be number/);
  });

  it('returns invalid parameters to the caller with the validation messages, before sending', async () => {
    const { manager, dir } = setup();
    const local = await rejection(manager.callTool('hostile', 'strict_args', { n: 0 }));
    expect(local.kind).toBe('invalid-params');
    expect(local.resolution).toBe('return-to-caller');
    expect(local.message).toMatch(/must be >= 1/);
    expect(readCount(dir, 'calls-strict_args.count')).toBe(0);

    const remote = await rejection(manager.callTool('hostile', 'server_rejects', {}));
    expect(remote.kind).toBe('invalid-params');
    expect(remote.message).toContain('"path" must be inside the allowed folder');

    const unknownTool = await rejection(manager.callTool('hostile', 'no_such_tool', {}));
    expect(unknownTool.kind).toBe('unknown-tool');
    expect(unknownTool.message).toMatch(/has no tool "no_such_tool"\. Its tools: echo, hang/);

    const unknownServer = await rejection(manager.callTool('nobody', 'echo', {}));
    expect(unknownServer.kind).toBe('unknown-server');
    expect(unknownServer.message).toContain('Configured: hostile');
  });
});

describe('big and noisy servers', () => {
  it('saves a 100 MB result to a file and returns a reference, without holding it in memory', async () => {
    const { manager } = setup();
    await manager.start('hostile');
    global.gc?.();
    const before = process.memoryUsage();
    const result = await manager.callTool('hostile', 'huge', { mb: 100 }, { timeoutMs: 60_000 });
    const after = process.memoryUsage();
    expect(result.savedTo).toBeDefined();
    expect(path.basename(result.savedTo!)).toMatch(/^hostile-huge-.*\.json$/);
    expect(result.bytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(fs.statSync(result.savedTo!).size).toBeGreaterThan(100 * 1024 * 1024);
    expect(JSON.stringify(result.content)).toContain(result.savedTo!);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
    // the file holds the result object itself
    const head = Buffer.alloc(40);
    const fd = fs.openSync(result.savedTo!, 'r');
    fs.readSync(fd, head, 0, 40, 0);
    fs.closeSync(fd);
    expect(head.toString()).toMatch(/^\{"content":\[\{"type":"text","text":"xxx/);
    // the connection is still usable
    expect((await manager.callTool('hostile', 'echo', { message: 'after' })).content).toEqual([{ type: 'text', text: 'echo: after' }]);
  });

  it('caps a result above outputCapBytes that still fits in memory', async () => {
    const { manager } = setup([], {}, { outputCapBytes: 512 * 1024 });
    const result = await manager.callTool('hostile', 'huge', { mb: 2 });
    expect(result.savedTo).toBeDefined();
    const saved = JSON.parse(fs.readFileSync(result.savedTo!, 'utf8')) as { content: { text: string }[] };
    expect(saved.content[0]!.text).toHaveLength(2 * 1024 * 1024);
    expect(result.content).toHaveLength(1);
    expect(JSON.stringify(result.content).length).toBeLessThan(1000);
  });

  it('stays responsive while a server floods notifications', async () => {
    const { manager } = setup(['--flood']);
    await manager.start('hostile');
    const started = Date.now();
    const first = await manager.callTool('hostile', 'echo', { message: 'one' }, { timeoutMs: 10_000 });
    const second = await manager.callTool('hostile', 'echo', { message: 'two' }, { timeoutMs: 10_000 });
    expect(first.content).toEqual([{ type: 'text', text: 'echo: one' }]);
    expect(second.content).toEqual([{ type: 'text', text: 'echo: two' }]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('lifecycle', () => {
  it('reports starting while a slow server boots, then connects', async () => {
    const { manager } = setup(['--slow-start=1500']);
    const started = Date.now();
    const pending = manager.start('hostile');
    await new Promise((r) => setTimeout(r, 300));
    expect(manager.state('hostile')!.status).toBe('starting');
    await pending;
    expect(manager.state('hostile')!.status).toBe('connected');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('escalates a stop to SIGTERM and SIGKILL for a server that ignores both stdin and SIGTERM', async () => {
    const { manager } = setup(['--stubborn']);
    await manager.start('hostile');
    const pid = manager.state('hostile')!.pid!;
    const started = Date.now();
    await manager.stop('hostile');
    const took = Date.now() - started;
    expect(isAlive(pid)).toBe(false);
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(3000);
    expect(manager.state('hostile')!.status).toBe('stopped');
    const log = manager.logText('hostile');
    expect(log).toMatch(/still running 300 ms after stdin closed: SIGTERM/);
    expect(log).toMatch(/ignored SIGTERM for 300 ms: SIGKILL/);
    expect(log).toContain('stubborn: ignoring SIGTERM');
  });

  it('rejects bad configurations with actionable errors', async () => {
    const dir = tempDir();
    const manager = testManager(dir);
    cleanups.push(async () => {
      await manager.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const base = { source: { kind: 'rusty-settings' as const } };
    manager.setServers([
      { ...base, name: 'no-command', transport: 'stdio' },
      { ...base, name: 'missing-binary', transport: 'stdio', command: 'rusty-no-such-binary-xyz' },
      { ...base, name: 'bad-cwd', transport: 'stdio', command: process.execPath, cwd: path.join(dir, 'nope') },
      { ...base, name: 'off', transport: 'stdio', command: process.execPath, disabled: true },
      { ...base, name: 'bad-url', transport: 'http', url: 'ftp://example.com' },
      { ...base, name: 'no-url', transport: 'http' },
    ]);
    const expectations: [string, RegExp][] = [
      ['no-command', /has no "command"/],
      ['missing-binary', /command "rusty-no-such-binary-xyz" was not found/],
      ['bad-cwd', /its cwd ".*nope" is not an existing folder/],
      ['off', /is disabled/],
      ['bad-url', /must be an http:\/\/ or https:\/\/ URL/],
      ['no-url', /has no "url"/],
    ];
    for (const [name, message] of expectations) {
      const error = await rejection(manager.start(name));
      expect(error.kind, name).toBe('config');
      expect(error.message, name).toMatch(message);
    }
    // a config error is not retried by a call either
    const callError = await rejection(manager.callTool('missing-binary', 'x', {}));
    expect(callError.kind).toBe('config');
    expect(callError.details?.attempts).toBe(1);
  });

  it('reports an HTTP server that is not listening as a connection error naming the cause', async () => {
    const dir = tempDir();
    const manager = testManager(dir);
    cleanups.push(async () => {
      await manager.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const port = await freePort();
    manager.setServers([{ name: 'down', transport: 'http', url: `http://127.0.0.1:${port}/mcp`, source: { kind: 'rusty-settings' } }]);
    const error = await rejection(manager.callTool('down', 'echo', {}));
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.details?.attempts).toBe(3); // nothing was sent: retried up to the limit
    expect(manager.state('down')!.status).toBe('failed');
  });

  it('connects on the first call when a server was never started, and retries a start failure (nothing was sent)', async () => {
    const { manager, dir } = setup();
    // The first process instance is not there yet; a server that dies at startup once:
    fs.writeFileSync(path.join(dir, 'die-once.mjs'), `import fs from 'node:fs';\nconst f = process.env.FIXTURE_DIR + '/died';\nif (!fs.existsSync(f)) { fs.writeFileSync(f, '1'); process.stderr.write('dying at startup\\n'); process.exit(5); }\nawait import(${JSON.stringify(HOSTILE)});\n`);
    manager.setServers([nodeServer('flappy', path.join(dir, 'die-once.mjs'), [], { env: { FIXTURE_DIR: dir } })]);
    const result = await manager.callTool('flappy', 'crash', {}).catch((e: McpError) => e);
    // The start failure was retried (the tool call had not been sent), then the call itself crashed: not retried.
    expect(result).toBeInstanceOf(McpError);
    expect((result as McpError).kind).toBe('connection');
    expect((result as McpError).details?.attempts).toBe(2);
    expect(readCount(dir, 'calls-crash.count')).toBe(1);
  });
});
