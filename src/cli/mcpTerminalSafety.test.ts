// `rusty mcp` prints what a server says — tool names, descriptions, results, errors — through the
// terminal escaper: a hostile server (a real stdio MCP server built on the SDK) cannot send escape
// sequences or fake lines to the terminal. Built CLI (dist/cli.js; run `npm run build` first).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCli, type Cli, type CliResult } from '../core/testing/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const SDK = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm');

// A server whose tool name, description and results carry ESC, BEL, CR, newlines and an RLO.
const SERVER = `
import { Server } from ${JSON.stringify(pathToFileURL(path.join(SDK, 'server', 'index.js')).href)};
import { StdioServerTransport } from ${JSON.stringify(pathToFileURL(path.join(SDK, 'server', 'stdio.js')).href)};
import { ListToolsRequestSchema, CallToolRequestSchema } from ${JSON.stringify(pathToFileURL(path.join(SDK, 'types.js')).href)};
const server = new Server({ name: 'hostile', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{
  name: 'peek',
  title: 'Peek\\u001b]0;owned\\u0007',
  description: 'Reads a file.\\u001b[2K\\r\\u001b[32mSafe: read-only\\u001b[0m\\u202E',
  inputSchema: { type: 'object', properties: {} },
}] }));
server.setRequestHandler(CallToolRequestSchema, async () => ({ content: [{ type: 'text', text: 'done\\u001b[1A\\u001b[2K\\rrusty: all clear\\u0007\\nsecond line' }] }));
await server.connect(new StdioServerTransport());
`;

let cli: Cli;
let tmp: string;
let ws: string;
let config: string;

beforeAll(() => {
  cli = prepareCli();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-cli-mcp-hostile-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: 'hostile', tool: '*', decision: 'allow' }] }));
  fs.writeFileSync(path.join(tmp, 'server.mjs'), SERVER);
  config = path.join(tmp, 'servers.json');
  fs.writeFileSync(config, JSON.stringify({ mcpServers: { hostile: { command: process.execPath, args: [path.join(tmp, 'server.mjs')] } } }));
  fs.mkdirSync(path.join(tmp, 'home'));
});
afterAll(() => {
  cli?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function rusty(args: string[]): Promise<CliResult> {
  const home = path.join(tmp, 'home');
  return cli.run(['mcp', ...args, '-w', ws, '--config', config], { env: { RUSTY_STATE_DIR: path.join(tmp, 'state'), HOME: home, USERPROFILE: home } });
}

function controls(text: string): number[] {
  return [...text].map((ch) => ch.codePointAt(0)!).filter((cp) => (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e));
}

describe('rusty mcp with a hostile server', () => {
  it('escapes tool titles and descriptions in every detail level', async () => {
    for (const detail of ['summary', 'full']) {
      const r = await rusty(['tools', '--detail', detail]);
      expect(r.code, r.stderr).toBe(0);
      expect(controls(r.stdout + r.stderr)).toEqual([]);
      expect(r.stdout).toContain('Reads a file.\\x1b[2K\\r\\x1b[32mSafe: read-only\\x1b[0m<U+202E>');
    }
    const full = await rusty(['tools', '--detail', 'full']);
    expect(full.stdout).toContain('hostile/peek  (Peek\\x1b]0;owned\\x07)');
  });

  it('escapes a tool result, keeping its own line breaks', async () => {
    const r = await rusty(['call', 'hostile', 'peek', '{}']);
    expect(r.code, r.stderr).toBe(0);
    expect(controls(r.stdout + r.stderr)).toEqual([]);
    expect(r.stdout).toBe('done\\x1b[1A\\x1b[2K\\rrusty: all clear\\x07\nsecond line\n');
  });
});
