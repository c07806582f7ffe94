// Helpers shared by the client's tests: temp folders, a manager with short delays, fixture configs,
// and checks that no child process outlives a test.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServerConfig, McpServerStatus } from '../types';
import { McpClientManager, type McpClientManagerOptions } from './manager';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const fixture = (name: string): string => path.join(repoRoot, 'test/fixtures/mcp', name);
export const serverPackage = (pkg: string): string => path.join(repoRoot, 'node_modules/@modelcontextprotocol', pkg, 'dist/index.js');

export function tempDir(prefix = 'rusty-mcp-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testManager(dir: string, overrides: Partial<McpClientManagerOptions> = {}): McpClientManager {
  return new McpClientManager({
    logDir: path.join(dir, 'logs'),
    outputDir: path.join(dir, 'output'),
    pingIntervalMs: 0,
    startTimeoutMs: 15_000,
    shutdown: { stdinGraceMs: 300, termGraceMs: 300 },
    restart: { baseDelayMs: 50, maxDelayMs: 200 },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...overrides,
  });
}

export function nodeServer(name: string, script: string, args: string[] = [], extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return { name, transport: 'stdio', command: process.execPath, args: [script, ...args], source: { kind: 'rusty-settings' }, ...extra };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function expectAllGone(pids: Iterable<number>): Promise<void> {
  const list = [...pids];
  await waitFor(() => list.every((p) => !isAlive(p)), 5000, `processes ${list.join(', ')} to exit`);
}

/** Records every pid and status a manager reports, for leak checks and transition assertions. */
export function watch(manager: McpClientManager): { pids: Set<number>; statuses: (server: string) => McpServerStatus[] } {
  const pids = new Set<number>();
  const seen = new Map<string, McpServerStatus[]>();
  manager.onDidChange(() => {
    for (const s of manager.states()) {
      if (s.pid !== undefined) pids.add(s.pid);
      const list = seen.get(s.name) ?? [];
      if (list[list.length - 1] !== s.status) list.push(s.status);
      seen.set(s.name, list);
    }
  });
  return { pids, statuses: (server) => seen.get(server) ?? [] };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function readCount(dir: string, name: string): number {
  const file = path.join(dir, name);
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
}
