#!/usr/bin/env node
// The "client" the conformance runner starts for each client scenario: the server URL is the last
// argument, the scenario in MCP_CONFORMANCE_SCENARIO (pre-registered credentials in
// MCP_CONFORMANCE_CONTEXT). It writes a Rusty MCP config for the URL and drives `rusty mcp` as a
// user would, on Node 20 ($RUSTY_NODE), with BROWSER following the test server's redirects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT || '{}');
const node = process.env.RUSTY_NODE || 'node';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-conformance-'));
const ws = path.join(tmp, 'ws');
fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: '*', tool: '*', decision: 'allow' }] }));
const server = { type: 'http', url };
if (context.client_id) server.oauth = { clientId: context.client_id, ...(context.client_secret ? { clientSecret: '${env:CONFORMANCE_CLIENT_SECRET}' } : {}) };
if (scenario === 'auth/basic-cimd') server.oauth = { clientMetadataUrl: 'https://conformance-test.local/client-metadata.json' };
const config = path.join(tmp, 'mcp.json');
fs.writeFileSync(config, JSON.stringify({ mcpServers: { conformance: server } }));

const env = {
  ...process.env,
  RUSTY_STATE_DIR: path.join(tmp, 'state'),
  HOME: path.join(tmp, 'home'),
  BROWSER: 'curl -s -L -o /dev/null',
  CONFORMANCE_CLIENT_SECRET: context.client_secret ?? '',
};
fs.mkdirSync(env.HOME);

function rusty(...args) {
  const r = spawnSync(node, [path.join(root, 'dist', 'cli.js'), 'mcp', ...args, '-w', ws, '--config', config], { env, encoding: 'utf8', timeout: 60_000 });
  process.stdout.write(`$ rusty mcp ${args.join(' ')} → ${r.status}\n${r.stdout}${r.stderr}`);
  return r.status;
}

let code = 0;
if (scenario === 'initialize') code = rusty('servers');
else if (scenario === 'tools_call') code = rusty('call', 'conformance', 'add_numbers', '{"a":5,"b":3}');
else if (scenario.startsWith('elicitation-')) code = rusty('call', 'conformance', 'test_client_elicitation_defaults', '{}', '--elicitation', 'accept-defaults');
else if (scenario === 'sse-retry') code = rusty('call', 'conformance', 'test_reconnection', '{}');
else if (scenario.startsWith('auth/')) {
  code = rusty('login', 'conformance');
  if (code === 0) code = rusty('call', 'conformance', 'test-tool', '{}');
} else {
  console.error(`unknown scenario ${scenario}`);
  code = 2;
}
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(code ?? 1);
