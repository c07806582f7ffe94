// MCP tools in the agent loop go through McpService.callTool: the permission gate decides (a
// policy rule allows echo; anything else asks, and without a prompt that is a refusal), every
// call is audited in the workspace's audit log, and the refusal is fed back to the model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpService } from '../../mcp/service';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { scriptedSession } from '../providers/scripted';
import { ask } from './ask';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EVERYTHING = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

let ws: TempWorkspace | undefined;
let service: McpService | undefined;
afterEach(async () => {
  await service?.dispose();
  ws?.cleanup();
  service = undefined;
  ws = undefined;
});

describe('agent with MCP tools (server-everything over stdio)', () => {
  it('calls an allowed tool, gets a refusal for a tool the gate asks about, and both are audited', async () => {
    ws = tempWorkspace({ '.rusty/policy.json': JSON.stringify({ rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }] }), 'a.ts': 'export const a = 1;\n' });
    const core = ws.core();
    service = await McpService.create({
      workspace: ws.root, stateDir: core.stateDir, env: process.env, actor: 'test', home: path.dirname(ws.root),
      settings: { servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } }, importFrom: [] },
      client: { pingIntervalMs: 60_000 }, auditFlushDelayMs: 0,
    });
    await service.start();
    // A tool no rule covers, callable without arguments: the gate asks, and nobody can answer here.
    const other = service.tools('everything').find((t) => t.name !== 'echo' && !((t.inputSchema as { required?: string[] }).required?.length))!.name;
    const session = scriptedSession([
      { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'hello from the model' } }, { name: `mcp__everything__${other.replace(/[^A-Za-z0-9_-]/g, '_')}`, arguments: {} }] },
      { text: 'The server echoed it.' },
    ]);
    const r = await ask(core, { task: 'echo', sessions: [session], mcp: service });
    expect(r.answer).toBe('The server echoed it.');
    const req = session.provider.requests[0]!;
    expect(req.tools!.map((t) => t.name)).toContain('mcp__everything__echo');
    const results = session.provider.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(results[0]!.isError).toBeUndefined();
    expect(results[0]!.content).toContain('hello from the model');
    expect(results[1]!.isError).toBe(true);
    expect(results[1]!.content).toMatch(new RegExp(`^MCP everything/${other}: `));
    await service.dispose();
    service = undefined;
    const audit = fs.readFileSync(path.join(core.stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; details: { tool?: string; decision?: string } });
    expect(audit.filter((e) => e.action === 'mcp.call').map((e) => e.details.tool)).toEqual(['echo']);
    expect(audit.filter((e) => e.action === 'mcp.decision').map((e) => [e.details.tool, e.details.decision])).toEqual([['echo', 'allow'], [other, 'ask']]);
  });
});
