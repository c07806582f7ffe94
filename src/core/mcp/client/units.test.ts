// Pure pieces of the client: Windows command resolution, the oversized-line scanner, backoff, retry safety.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeArgument, resolveCommand } from './transports/commandResolution';
import { MessageReader, type SpilledMessage } from './transports/messageReader';
import { backoffDelay, isRetrySafeTool } from './retry';
import { tempDir } from './testSupport';

describe('resolveCommand', () => {
  const files = new Set(['C:\\Program Files\\nodejs\\npx.cmd', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\proj\\node_modules\\.bin\\tsc.cmd']);
  const win = { platform: 'win32' as const, env: { Path: 'C:\\Windows;C:\\Program Files\\nodejs', PATHEXT: '.COM;.EXE;.BAT;.CMD', ComSpec: 'C:\\Windows\\system32\\cmd.exe' }, cwd: 'C:\\proj', isFile: (f: string) => files.has(f) };

  it('runs npx through cmd.exe on Windows, with arguments quoted', () => {
    const r = resolveCommand('npx', ['-y', '@modelcontextprotocol/server-everything', 'a b&c'], win);
    expect(r.command).toBe('C:\\Windows\\system32\\cmd.exe');
    expect(r.windowsVerbatimArguments).toBe(true);
    expect(r.resolvedFile).toBe('C:\\Program Files\\nodejs\\npx.cmd');
    expect(r.args.slice(0, 3)).toEqual(['/d', '/s', '/c']);
    expect(r.args[3]).toBe('"C:\\Program^ Files\\nodejs\\npx.cmd ^"-y^" ^"@modelcontextprotocol/server-everything^" ^"a^ b^&c^""');
  });

  it('runs .exe files directly and leaves unknown commands to spawn (which reports ENOENT)', () => {
    expect(resolveCommand('node', ['x.js'], win)).toEqual({ command: 'C:\\Program Files\\nodejs\\node.exe', args: ['x.js'], resolvedFile: 'C:\\Program Files\\nodejs\\node.exe' });
    expect(resolveCommand('nothere', ['x'], win)).toEqual({ command: 'nothere', args: ['x'] });
  });

  it('double-escapes for node_modules/.bin shims and finds relative paths from cwd', () => {
    const r = resolveCommand('node_modules\\.bin\\tsc', ['--x=%PATH%'], win);
    expect(r.resolvedFile).toBe('C:\\proj\\node_modules\\.bin\\tsc.cmd');
    expect(r.args[3]).toContain('^^^"--x=^^^%PATH^^^%^^^"');
  });

  it('leaves commands alone elsewhere', () => {
    expect(resolveCommand('npx', ['-y', 'pkg'], { platform: 'linux', env: {} })).toEqual({ command: 'npx', args: ['-y', 'pkg'] });
  });

  it('escapes quotes and trailing backslashes per the cmd rules', () => {
    expect(escapeArgument('say "hi"', false)).toBe('^"say^ \\^"hi\\^"^"');
    expect(escapeArgument('C:\\dir\\', false)).toBe('^"C:\\dir\\\\^"');
  });
});

describe('MessageReader', () => {
  function reader(max: number) {
    const dir = tempDir();
    const lines: string[] = [];
    const spilled: SpilledMessage[] = [];
    let n = 0;
    const r = new MessageReader({ maxInMemoryBytes: max, newSpillFile: () => path.join(dir, `spill-${++n}.part`), onLine: (l) => lines.push(l), onSpilled: (m) => spilled.push(m) });
    return { r, lines, spilled, dir };
  }

  it('splits lines across chunks and ignores blank lines and CR', () => {
    const { r, lines } = reader(1024);
    r.push(Buffer.from('{"a":1}\r\n\n{"b"'));
    r.push(Buffer.from(':2}\n{"c":3'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('streams an oversized result to a file, keeping id and the other members', () => {
    const { r, lines, spilled } = reader(64);
    const text = 'y'.repeat(500) + '\\"quoted, with {braces} and [brackets]\\"';
    const line = `{"jsonrpc":"2.0","result":{"content":[{"type":"text","text":"${text}"}]},"id":"req-7"}\n{"jsonrpc":"2.0","id":8,"result":{}}\n`;
    const buf = Buffer.from(line);
    for (let i = 0; i < buf.length; i += 37) r.push(buf.subarray(i, i + 37));
    expect(spilled).toHaveLength(1);
    const s = spilled[0]!;
    expect(s.id).toBe('req-7');
    expect(s.problem).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(s.file!, 'utf8'))).toEqual({ content: [{ type: 'text', text: text.replace(/\\"/g, '"') }] });
    expect(lines).toEqual(['{"jsonrpc":"2.0","id":8,"result":{}}']);
  });

  it('reports an oversized line that is not JSON and removes its file', () => {
    const { r, spilled, dir } = reader(16);
    r.push(Buffer.from(`${'garbage '.repeat(10)}\n`));
    expect(spilled[0]!.problem).toBeDefined();
    expect(spilled[0]!.file).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps a large error member as the error', () => {
    const { r, spilled } = reader(16);
    r.push(Buffer.from('{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"bad things happened here"}}\n'));
    expect(spilled[0]).toMatchObject({ id: 3, error: { code: -32602, message: 'bad things happened here' } });
    expect(spilled[0]!.file).toBeUndefined();
  });
});

describe('retry rules', () => {
  it('backs off exponentially with jitter, capped', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(50);
    expect(backoffDelay(1, opts, () => 1)).toBe(100);
    expect(backoffDelay(3, opts, () => 1)).toBe(400);
    expect(backoffDelay(10, opts, () => 1)).toBe(1000);
    expect(backoffDelay(10, opts, () => 0)).toBe(500);
  });

  it('trusts annotations only from trusted servers and never for destructive or unannotated tools', () => {
    expect(isRetrySafeTool(true, { readOnlyHint: true })).toBe(true);
    expect(isRetrySafeTool(true, { idempotentHint: true })).toBe(true);
    expect(isRetrySafeTool(false, { readOnlyHint: true })).toBe(false);
    expect(isRetrySafeTool(undefined, { readOnlyHint: true })).toBe(false);
    expect(isRetrySafeTool(true, undefined)).toBe(false);
    expect(isRetrySafeTool(true, {})).toBe(false);
    expect(isRetrySafeTool(true, { idempotentHint: true, destructiveHint: true })).toBe(false);
    expect(isRetrySafeTool(true, { readOnlyHint: true, destructiveHint: true })).toBe(false);
  });
});
