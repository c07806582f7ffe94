// Elicitation and roots against the reference servers from node_modules: server-everything's
// elicitation and roots tools, and server-filesystem restricted to the roots Rusty sends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { McpService } from '../service';
import { serverPackage } from '../client/testSupport';
import { defaultsAnswer, elicitationFields, parseFieldValue, type ElicitationRequest, type McpElicitationHooks } from './index';

const EVERYTHING = serverPackage('server-everything');
const FILESYSTEM = serverPackage('server-filesystem');

const temps: string[] = [];
const services: McpService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

async function open(servers: Record<string, unknown>, extra: { elicitation?: McpElicitationHooks; roots?: string[] } = {}) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-elicit-')));
  temps.push(dir);
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws);
  const service = await McpService.create({
    workspace: ws, stateDir: path.join(dir, 'state'), env: {}, actor: 'test', home: dir,
    settings: { servers, importFrom: [], rules: [{ server: '*', tool: '*', decision: 'allow' }] },
    client: { pingIntervalMs: 0 },
    ...extra,
  });
  services.push(service);
  return { service, dir, ws };
}

const text = (r: { content: unknown[] }) => r.content.map((c) => (c as { text?: string }).text ?? '').join('\n');
const everything = { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } };

describe('elicitation (server-everything)', () => {
  it('a form answered by the user reaches the server; the audit keeps field names, not values', async () => {
    const asked: ElicitationRequest[] = [];
    const { service, dir } = await open(everything, {
      elicitation: { ask: async (req) => (asked.push(req), { action: 'accept', content: { name: 'Ada Lovelace-7f3k', check: true } }) },
    });
    const r = await service.callTool('everything', 'trigger-elicitation-request', {});
    expect(text(r)).toContain('- Name: Ada Lovelace-7f3k');
    const fields = asked[0]!.fields;
    expect(fields.find((f) => f.name === 'name')).toMatchObject({ type: 'string', required: true });
    expect(fields.find((f) => f.name === 'integer')).toMatchObject({ type: 'integer', default: 42 });
    expect(fields.some((f) => f.multiple && f.options?.length)).toBe(true);
    await service.flushAudit();
    const audit = fs.readFileSync(path.join(dir, 'state', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"mcp.elicitation"');
    expect(audit).toContain('[redacted]');
    expect(audit).not.toContain('Ada Lovelace-7f3k');
  });

  it('accept-defaults declines when a required field has no default; no front end declines', async () => {
    const defaults = await open(everything, { elicitation: { mode: 'accept-defaults' } });
    expect(text(await defaults.service.callTool('everything', 'trigger-elicitation-request', {}))).toContain('User declined');
    const none = await open(everything, { elicitation: { mode: 'decline' } });
    expect(text(await none.service.callTool('everything', 'trigger-elicitation-request', {}))).toContain('User declined');
  });

  it('fields: defaults, enums (oneOf/const), typed parsing', () => {
    const fields = elicitationFields({
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: 1, default: 3 },
        c: { type: 'string', oneOf: [{ const: 'r', title: 'Red' }, { const: 'g', title: 'Green' }] },
        ok: { type: 'boolean', default: false },
      },
      required: ['c'],
    });
    expect(defaultsAnswer(fields)).toBeUndefined();
    expect(defaultsAnswer(fields.filter((f) => f.name !== 'c'))).toEqual({ n: 3, ok: false });
    expect(parseFieldValue(fields[0]!, '0')).toEqual({ error: 'at least 1' });
    expect(parseFieldValue(fields[0]!, '2.5')).toEqual({ error: 'enter a whole number' });
    expect(parseFieldValue(fields[1]!, 'Green')).toEqual({ value: 'g' });
    expect(parseFieldValue(fields[1]!, 'blue')).toEqual({ error: 'choose one of r, g' });
    expect(parseFieldValue(fields[2]!, 'yes')).toEqual({ value: true });
  });
});

describe('roots', () => {
  it('server-everything sees the workspace folders, and the new list after they change', async () => {
    const { service, ws, dir } = await open(everything);
    expect(text(await service.callTool('everything', 'get-roots-list', {}))).toContain(pathToFileURL(ws).href);
    const second = path.join(dir, 'second');
    fs.mkdirSync(second);
    await service.setRoots([ws, second]);
    await new Promise((r) => setTimeout(r, 300));
    const after = text(await service.callTool('everything', 'get-roots-list', {}));
    expect(after).toContain(pathToFileURL(ws).href);
    expect(after).toContain(pathToFileURL(second).href);
  });

  it('server-filesystem is restricted to the roots Rusty sends, not the folders on its command line', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-outside-')));
    temps.push(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside');
    const { service, ws } = await open({ fs: { command: process.execPath, args: [FILESYSTEM, outside] } });
    fs.writeFileSync(path.join(ws, 'inside.txt'), 'inside');
    await service.start('fs');
    // The server asks for the roots after initialization; give it a moment.
    let allowed = '';
    for (let i = 0; i < 50 && !allowed.includes(ws); i++) {
      allowed = text(await service.callTool('fs', 'list_allowed_directories', {}));
      if (!allowed.includes(ws)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(allowed).toContain(ws);
    expect(allowed).not.toContain(outside);
    expect(text(await service.callTool('fs', 'read_text_file', { path: path.join(ws, 'inside.txt') }))).toBe('inside');
    const denied = await service.callTool('fs', 'read_text_file', { path: path.join(outside, 'secret.txt') });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/Access denied|outside allowed/i);
  });
});
