// The dist/mcp.js entry point in Node: argument validation with the SDK's Ajv, and a real service
// created from a workspace's .vscode/mcp.json (server-everything over stdio) — what the extension
// does on first use, without VS Code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySecrets } from '../../core/ports/secrets';
import { createMcpService, secretInputResolver, validateArguments } from './mcpEngine';

const EVERYTHING = path.resolve(__dirname, '../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const echoSchema = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };

describe('validateArguments', () => {
  it('[] for valid arguments; one readable line per problem otherwise', () => {
    expect(validateArguments(echoSchema, { message: 'hi' })).toEqual([]);
    expect(validateArguments(echoSchema, {})).toEqual(["arguments must have required property 'message'"]);
    expect(validateArguments(echoSchema, { message: 3 })).toEqual(['message must be string']);
    const nested = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'integer' } } } } };
    expect(validateArguments(nested, { a: { b: 'x' } })).toEqual(['a.b must be integer']);
  });

  it('a schema Ajv cannot compile is not held against the arguments (the server validates)', () => {
    expect(validateArguments({ type: 'no-such-type' }, { x: 1 })).toEqual([]);
  });
});

describe('createMcpService from the bundle entry', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads .vscode/mcp.json, asks an ${input:…} once through the Secrets port, connects and calls echo under an allow rule', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mcp-engine-'));
    dirs.push(root);
    const ws = path.join(root, 'ws');
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.vscode', 'mcp.json'), JSON.stringify({
      servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING], env: { TOKEN: '${input:tok}' } } },
      inputs: [{ id: 'tok', type: 'promptString', password: true, description: 'Token' }],
    }));
    fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }] }));
    const secrets = new MemorySecrets();
    const asked: string[] = [];
    const resolveInput = secretInputResolver(secrets, async (spec) => {
      asked.push(spec.id);
      return 's3cret';
    });
    const service = await createMcpService({
      workspace: ws, stateDir: path.join(root, 'state'), env: process.env, actor: 'test', home: path.join(root, 'home'), resolveInput,
    });
    try {
      expect(service.configErrors()).toEqual([]);
      await service.reload();
      expect(asked).toEqual(['tok']); // asked once, then read from the secret store
      expect(await secrets.get('mcp.input.tok')).toBe('s3cret');
      const r = await service.callTool('everything', 'echo', { message: 'engine' });
      expect(r.content).toEqual([{ type: 'text', text: 'Echo: engine' }]);
    } finally {
      await service.dispose();
    }
  }, 30_000);
});
