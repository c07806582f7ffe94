// A multi-root window: every folder's MCP configs, from real files in temp folders, and the servers
// they define started for real (each in its own folder).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpService } from '../service';
import { loadMcpConfigFolders } from './folders';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const DEFAULTS = path.join(ROOT, 'test', 'fixtures', 'mcp', 'defaults-server.mjs');

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

function write(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

/** Folders `a` and `b` both define `where`; `b` adds `only-b`; a user-level Claude Desktop file defines `shared`. */
function twoFolders() {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mcp-folders-')));
  temps.push(tmp);
  const a = path.join(tmp, 'a');
  const b = path.join(tmp, 'b');
  const home = path.join(tmp, 'home');
  const where = { type: 'stdio', command: process.execPath, args: [DEFAULTS, '${workspaceFolder}'] };
  write(path.join(a, '.vscode', 'mcp.json'), { servers: { where } });
  write(path.join(b, '.vscode', 'mcp.json'), { servers: { where, 'only-b': { ...where, cwd: '${workspaceFolder}/sub' } } });
  write(path.join(home, '.config', 'Claude', 'claude_desktop_config.json'), { mcpServers: { shared: { command: 'shared-server' } } });
  write(path.join(a, '.rusty', 'policy.json'), { rules: [{ server: '*', tool: '*', decision: 'allow' }] });
  fs.mkdirSync(path.join(b, 'sub'));
  return { tmp, a, b, home };
}

describe('MCP configs of every workspace folder', () => {
  it('reads each folder; a clashing name is qualified with its folder; user-level entries load once', async () => {
    const { a, b, home } = twoFolders();
    const loaded = await loadMcpConfigFolders({ workspace: a, home, env: {}, platform: 'linux' }, [b]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers.map((s) => [s.name, s.folder, s.cwd, s.args?.[1] ?? null, s.source.file])).toEqual([
      ['where', a, a, a, path.join(a, '.vscode', 'mcp.json')],
      ['shared', a, a, null, path.join(home, '.config', 'Claude', 'claude_desktop_config.json')],
      ['where (b)', b, b, b, path.join(b, '.vscode', 'mcp.json')],
      ['only-b', b, path.join(b, 'sub'), b, path.join(b, '.vscode', 'mcp.json')],
    ]);
  });

  it('a single folder loads as before (no folder field, no renames)', async () => {
    const { a, home } = twoFolders();
    const loaded = await loadMcpConfigFolders({ workspace: a, home, env: {}, platform: 'linux' }, []);
    expect(loaded.servers.map((s) => [s.name, s.folder])).toEqual([['where', undefined], ['shared', undefined]]);
  });

  it('the service starts each folder\'s server in its own folder, and follows folder changes', async () => {
    const { tmp, a, b, home } = twoFolders();
    const service = await McpService.create({
      workspace: a, folders: [b], roots: [a, b], stateDir: path.join(tmp, 'state'), env: process.env, actor: 'test', home,
      settings: { importFrom: ['vscode-mcp-json'] }, client: { pingIntervalMs: 60_000 },
    });
    try {
      expect(service.serverConfigs().map((s) => s.name)).toEqual(['where', 'where (b)', 'only-b']);
      const cwd = async (server: string) => {
        const r = await service.callTool(server, 'where', {});
        return (r.content[0] as { text: string }).text;
      };
      expect(await cwd('where')).toBe(a);
      expect(await cwd('where (b)')).toBe(b);
      expect(await cwd('only-b')).toBe(path.join(b, 'sub'));
      // Folder b leaves the window: its servers go.
      await service.setFolders([]);
      expect(service.serverConfigs().map((s) => s.name)).toEqual(['where']);
      expect(service.servers().map((s) => s.name)).toEqual(['where']);
    } finally {
      await service.dispose();
    }
  }, 60_000);
});
