// The loader's output drives a real stdio transport: @modelcontextprotocol/server-everything starts
// from exactly the McpServerConfig produced for it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sandbox, type Sandbox } from './fixtures/sandbox';
import { loadMcpConfig } from './index';

const serverScript = path.resolve(__dirname, '../../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

let sb: Sandbox;
beforeEach(() => { sb = sandbox(); });
afterEach(() => sb.cleanup());

it('produces a stdio config for server-everything that the SDK\'s stdio transport can run', async () => {
  expect(fs.existsSync(serverScript)).toBe(true);
  const file = sb.write('ws/.vscode/mcp.json', JSON.stringify({
    servers: { everything: { type: 'stdio', command: 'node', args: [serverScript, 'stdio'] } },
  }));
  const loaded = await loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {} });
  expect(loaded.errors).toEqual([]);
  expect(loaded.servers).toStrictEqual([{
    name: 'everything', transport: 'stdio', command: 'node', args: [serverScript, 'stdio'],
    source: { kind: 'vscode-mcp-json', file },
  }]);

  const config = loaded.servers[0]!;
  const transport = new StdioClientTransport({ command: config.command!, args: config.args ?? [], stderr: 'pipe' });
  const client = new Client({ name: 'rusty-config-test', version: '0.0.0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'from config' } });
    expect(JSON.stringify(result.content)).toContain('from config');
  } finally {
    await client.close();
  }
});
