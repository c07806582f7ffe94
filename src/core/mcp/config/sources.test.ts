// Every source format, read from real files in a temp workspace and a temp home.
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedMcpConfig, McpServerConfig } from '../types';
import { sandbox, type Sandbox } from './fixtures/sandbox';
import { loadMcpConfig, mcpConfigFiles, type McpConfigLoadOptions } from './index';

let sb: Sandbox;
beforeEach(() => { sb = sandbox(); });
afterEach(() => sb.cleanup());

const load = (opts: Partial<McpConfigLoadOptions> = {}) =>
  loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {}, platform: 'linux', ...opts });
const server = (loaded: LoadedMcpConfig, name: string): McpServerConfig | undefined => loaded.servers.find((s) => s.name === name);

describe('loadMcpConfig sources', () => {
  it('finds nothing and reports nothing when no config file exists', async () => {
    const loaded = await load();
    expect(loaded).toEqual({ servers: [], errors: [], inputs: [] });
  });

  it('reads .vscode/mcp.json: servers, inputs, variables, envFile and cwd', async () => {
    const file = sb.fixture('vscode-mcp.json', 'ws/.vscode/mcp.json');
    sb.write('ws/.env', '# secrets for the memory server\nexport API_KEY="k 1"\nFROM_FILE=from-file\nPLAIN=value # comment\n');
    const asked: string[] = [];
    const loaded = await load({
      resolveInput: async (spec) => { asked.push(spec.id); return spec.id === 'github-token' ? 'ghp_secret' : spec.default; },
    });
    expect(loaded.errors).toEqual([]);
    expect(asked).toEqual(['github-token', 'region']);
    expect(loaded.inputs).toEqual([
      { id: 'github-token', type: 'promptString', description: 'GitHub Personal Access Token', password: true },
      { id: 'region', type: 'pickString', description: 'Deployment region', default: 'eu-west-1', options: ['eu-west-1', 'us-east-1'] },
    ]);
    const source = { kind: 'vscode-mcp-json', file };
    expect(loaded.servers).toEqual([
      { name: 'github', transport: 'http', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer ghp_secret' }, source },
      { name: 'filesystem', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', sb.workspace], source },
      {
        name: 'memory', transport: 'stdio', command: 'node',
        args: [`${sb.workspace}/tools/memory.js`, '--name', 'ws'],
        // envFile first, explicit env on top.
        env: { API_KEY: 'k 1', FROM_FILE: 'overridden', PLAIN: 'value', MEMORY_FILE_PATH: `${sb.home}/.memory.json`, REGION: 'eu-west-1' },
        cwd: path.join(sb.workspace, 'tools'),
        source,
      },
      { name: 'legacy-events', transport: 'sse', url: 'http://localhost:3001/sse', source },
    ]);
  });

  it('reads Claude Code (~/.claude.json user and local scope, .mcp.json) and Claude Desktop', async () => {
    const userFile = sb.fixture('claude.json', 'home/.claude.json');
    const projectFile = sb.fixture('dot-mcp.json', 'ws/.mcp.json');
    const desktopFile = sb.fixture('claude_desktop_config.json', 'home/.config/Claude/claude_desktop_config.json');
    const loaded = await load({ env: { CONTEXT7_API_KEY: 'ctx7-key' } });
    expect(loaded.errors).toEqual([]);
    // Claude Code's own order (local > project > user), then Claude Desktop.
    expect(loaded.servers.map((s) => [s.name, s.source.file])).toEqual([
      ['local-db', userFile], ['sentry', projectFile], ['playwright', projectFile],
      ['context7', userFile], ['sqlite', desktopFile], ['puppeteer', desktopFile],
    ]);
    expect(server(loaded, 'context7')).toMatchObject({ transport: 'http', url: 'https://mcp.context7.com/mcp', headers: { CONTEXT7_API_KEY: 'ctx7-key' } });
    expect(server(loaded, 'sentry')).toMatchObject({ transport: 'sse', url: 'https://mcp.sentry.dev/sse' });
    // `${VAR:-default}` is Claude's syntax: the default applies when VAR is unset.
    expect(server(loaded, 'sqlite')?.args).toEqual(['mcp-server-sqlite', '--db-path', '/tmp/test.db']);
    expect(server(loaded, 'puppeteer')?.env).toEqual({ PUPPETEER_LAUNCH_OPTIONS: '{ "headless": true }' });
    expect(server(loaded, 'unrelated')).toBeUndefined();
  });

  it.each([
    ['darwin', 'home/Library/Application Support/Claude/claude_desktop_config.json'],
    ['win32', 'home/AppData/Roaming/Claude/claude_desktop_config.json'],
    ['linux', 'home/.config/Claude/claude_desktop_config.json'],
  ] as const)('finds Claude Desktop\'s config where %s keeps it', async (platform, rel) => {
    const file = sb.fixture('claude_desktop_config.json', rel);
    const loaded = await load({ platform, env: { SQLITE_DB: '/data/app.db' } });
    expect(loaded.servers.map((s) => s.name)).toEqual(['sqlite', 'puppeteer']);
    expect(loaded.servers[0]).toMatchObject({ source: { kind: 'claude', file }, args: ['mcp-server-sqlite', '--db-path', '/data/app.db'] });
  });

  it('reads Cline\'s settings from VS Code\'s globalStorage: seconds timeout, disabled, autoApprove ignored', async () => {
    const rel = 'home/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json';
    const file = sb.fixture('cline_mcp_settings.json', rel);
    const loaded = await load();
    expect(loaded.errors).toEqual([]);
    const source = { kind: 'cline', file };
    expect(loaded.servers).toEqual([
      {
        name: 'github.com/modelcontextprotocol/servers/tree/main/src/brave-search', transport: 'stdio', command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-brave-search'], env: { BRAVE_API_KEY: 'BSA-not-a-real-key' },
        timeoutMs: 120_000, disabled: false, source,
      },
      { name: 'remote-notes', transport: 'http', url: 'https://notes.example.com/mcp', timeoutMs: 60_000, disabled: false, source },
      { name: 'old-weather', transport: 'sse', url: 'http://localhost:8808/sse', disabled: true, source },
    ]);
  });

  it.each([
    ['darwin', 'home/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json'],
    ['win32', 'home/AppData/Roaming/Code - Insiders/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json'],
  ] as const)('finds Cline\'s settings on %s', async (platform, rel) => {
    sb.fixture('cline_mcp_settings.json', rel);
    const loaded = await load({ platform });
    expect(loaded.servers).toHaveLength(3);
  });

  it('reads Roo\'s .roo/mcp.json (alwaysAllow ignored, streamable-http spelling)', async () => {
    const file = sb.fixture('roo-mcp.json', 'ws/.roo/mcp.json');
    const loaded = await load({ env: { PG_MCP_KEY: 'pg-key' } });
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers).toEqual([
      { name: 'context7', transport: 'stdio', command: 'npx', args: ['-y', '@upstash/context7-mcp'], timeoutMs: 30_000, disabled: false, source: { kind: 'roo', file } },
      { name: 'postgres', transport: 'http', url: 'http://localhost:8000/mcp', headers: { 'X-API-Key': 'pg-key' }, source: { kind: 'roo', file } },
    ]);
  });

  it('reads Continue\'s .continue/mcpServers: YAML blocks and Claude-format JSON', async () => {
    const yamlFile = sb.fixture('continue-sqlite.yaml', 'ws/.continue/mcpServers/sqlite.yaml');
    const jsonFile = sb.fixture('continue-copied.json', 'ws/.continue/mcpServers/copied.json');
    sb.write('ws/.continue/mcpServers/notes.txt', 'not a config');
    sb.write('ws/.continue/mcpServers/models.yml', 'name: Models\nversion: 1.0.0\nschema: v1\nmodels: []\n');
    const loaded = await load({ env: { SEARCH_TOKEN: 'tok' } });
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers).toEqual([
      { name: 'time', transport: 'stdio', command: 'uvx', args: ['mcp-server-time', '--local-timezone=Europe/Paris'], source: { kind: 'continue', file: jsonFile } },
      {
        name: 'SQLite', transport: 'stdio', command: 'npx', args: ['-y', 'mcp-sqlite', `${sb.workspace}/data.db`],
        env: { DEBUG: '1' }, source: { kind: 'continue', file: yamlFile },
      },
      { name: 'remote-search', transport: 'http', url: 'https://search.example.com/mcp', headers: { Authorization: 'Bearer tok' }, source: { kind: 'continue', file: yamlFile } },
    ]);
  });

  it('reads rusty.mcp.servers from the setting value, or from .vscode/settings.json when not given', async () => {
    const file = sb.fixture('settings.json', 'ws/.vscode/settings.json');
    const fromFile = await load();
    expect(fromFile.errors).toEqual([]);
    expect(fromFile.servers).toEqual([{
      name: 'everything', transport: 'stdio', command: 'node',
      args: [`${sb.workspace}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`, 'stdio'],
      trusted: true, timeoutMs: 30_000, maxTotalTimeoutMs: 120_000, source: { kind: 'rusty-settings', file },
    }]);
    // The extension passes its setting: the file is then not read.
    const fromSetting = await load({ settingsServers: { web: { type: 'http', url: 'https://example.com/mcp' } } });
    expect(fromSetting.servers).toEqual([{ name: 'web', transport: 'http', url: 'https://example.com/mcp', source: { kind: 'rusty-settings' } }]);
  });

  it('reads --config files in any format, detected by content', async () => {
    const vscodeStyle = sb.write('cfg/a.json', JSON.stringify({ servers: { a: { type: 'stdio', command: 'a' } }, inputs: [{ type: 'promptString', id: 'x' }] }));
    const claudeStyle = sb.write('cfg/b.json', JSON.stringify({ mcpServers: { b: { command: 'b', timeout: 5, env: { T: '${T:-dflt}' } } } }));
    const continueStyle = sb.write('cfg/c.yaml', 'mcpServers:\n  - name: c\n    url: https://c.example/mcp\n    type: sse\n');
    const settingsStyle = sb.write('cfg/d.json', JSON.stringify({ 'rusty.mcp.servers': { d: { url: 'http://localhost:9/mcp' } } }));
    const loaded = await load({ extraFiles: [vscodeStyle, claudeStyle, continueStyle, settingsStyle] });
    expect(loaded.errors).toEqual([]);
    expect(loaded.inputs.map((i) => i.id)).toEqual(['x']);
    expect(loaded.servers).toEqual([
      { name: 'a', transport: 'stdio', command: 'a', source: { kind: 'cli-config', file: vscodeStyle } },
      { name: 'b', transport: 'stdio', command: 'b', env: { T: 'dflt' }, timeoutMs: 5000, source: { kind: 'cli-config', file: claudeStyle } },
      { name: 'c', transport: 'sse', url: 'https://c.example/mcp', source: { kind: 'cli-config', file: continueStyle } },
      { name: 'd', transport: 'http', url: 'http://localhost:9/mcp', source: { kind: 'cli-config', file: settingsStyle } },
    ]);
  });

  it('reports a --config file that is missing or not an MCP config', async () => {
    const missing = path.join(sb.base, 'nope.json');
    const other = sb.write('cfg/package.json', '{ "name": "x" }');
    const loaded = await load({ extraFiles: [missing, other] });
    expect(loaded.servers).toEqual([]);
    expect(loaded.errors).toEqual([
      { source: { kind: 'cli-config', file: missing }, path: '', message: `config file ${missing} does not exist; check the --config path` },
      expect.objectContaining({ source: { kind: 'cli-config', file: other }, message: expect.stringContaining('not a recognised MCP config') }),
    ]);
  });

  it('imports only the sources named in importFrom (Rusty\'s setting always counts)', async () => {
    sb.fixture('roo-mcp.json', 'ws/.roo/mcp.json');
    sb.fixture('dot-mcp.json', 'ws/.mcp.json');
    sb.fixture('settings.json', 'ws/.vscode/settings.json');
    const loaded = await load({ importFrom: ['claude'] });
    expect(loaded.servers.map((s) => s.source.kind)).toEqual(['rusty-settings', 'claude', 'claude']);
  });

  it('passes Windows-style .cmd commands and backslash paths through untouched', async () => {
    const loaded = await load({
      settingsServers: {
        npx: { command: 'npx.cmd', args: ['-y', '@modelcontextprotocol/server-memory'] },
        full: { command: 'C:\\Program Files\\nodejs\\npx.cmd', args: ['-y', 'pkg'], cwd: 'C:\\work\\repo' },
      },
    });
    expect(loaded.errors).toEqual([]);
    expect(server(loaded, 'npx')).toMatchObject({ command: 'npx.cmd', args: ['-y', '@modelcontextprotocol/server-memory'] });
    expect(server(loaded, 'full')?.command).toBe('C:\\Program Files\\nodejs\\npx.cmd');
  });

  it('lists every file it may read, for watchers and `rusty mcp servers`', () => {
    const files = mcpConfigFiles({ workspace: sb.workspace, home: sb.home, env: {}, platform: 'darwin' });
    expect(files).toContainEqual({ kind: 'vscode-mcp-json', file: path.join(sb.workspace, '.vscode', 'mcp.json') });
    expect(files).toContainEqual({ kind: 'claude', file: path.join(sb.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json') });
    expect(files).toContainEqual({ kind: 'continue', file: path.join(sb.workspace, '.continue', 'mcpServers') });
    expect(mcpConfigFiles({ workspace: sb.workspace, home: sb.home, env: {}, importFrom: [] }).map((f) => f.kind)).toEqual(['rusty-settings']);
  });
});
