// Server log messages (notifications/message) in the per-server log at their level, logging/setLevel,
// and the bounded rotation of log files.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerLog } from './serverLog';
import { nodeServer, serverPackage, tempDir, testManager, waitFor } from './testSupport';
import type { McpClientManager } from './manager';

const temps: string[] = [];
const managers: McpClientManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.dispose();
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

describe('server logs', () => {
  it('server-everything\'s log messages land in its log with their level, after logging/setLevel', async () => {
    const dir = tempDir();
    temps.push(dir);
    const manager = testManager(dir);
    managers.push(manager);
    manager.setServers([nodeServer('everything', serverPackage('server-everything'), ['stdio'])]);
    await manager.start('everything');
    await manager.setLogLevel('everything', 'debug');
    await manager.callTool('everything', 'toggle-simulated-logging', {});
    await waitFor(() => /\[(debug|info|notice|warning|error|critical|alert|emergency)[^\]]*\] /.test(manager.logText('everything')), 15_000, 'a log message');
    expect(manager.logText('everything')).toContain('log level set to debug');
    await expect(manager.setLogLevel('nope', 'info')).rejects.toThrow('No MCP server named "nope"');
  });

  it('rotation keeps at most three old files', () => {
    const dir = tempDir();
    temps.push(dir);
    const log = new ServerLog(path.join(dir, 's.log'));
    for (let i = 1; i <= 5; i++) {
      log.message('info', undefined, `round ${i}`);
      log.rotateForTest(0);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['s.log.1', 's.log.2', 's.log.3']);
    expect(fs.readFileSync(path.join(dir, 's.log.1'), 'utf8')).toContain('round 5');
    expect(fs.readFileSync(path.join(dir, 's.log.3'), 'utf8')).toContain('round 3');
  });
});
