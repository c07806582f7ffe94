import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit';
import { tryAcquireLock } from '../../state/lock';
import { McpAuditSink } from './sink';
import { ServerSecrets, callDetails, captureArgs, decisionDetails, MAX_AUDITED_ARGS_BYTES } from './entries';
import type { GateDecision } from '../types';
import { McpError } from '../types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function stateDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mcp-audit-'));
  dirs.push(d);
  return d;
}
function sinkIn(dir: string, extra: Partial<ConstructorParameters<typeof McpAuditSink>[0]> = {}): McpAuditSink {
  return new McpAuditSink({ auditFile: path.join(dir, 'audit.jsonl'), lockFile: path.join(dir, 'state.lock'), actor: 'test', ...extra });
}
const allow: GateDecision = { decision: 'allow', reason: 'rule allows it', rule: { server: 'everything', tool: 'echo', decision: 'allow', origin: 'workspace' } };

describe('McpAuditSink', () => {
  it('queues without writing, then writes every entry in order on flush, chained and verifiable', async () => {
    const dir = stateDir();
    const sink = sinkIn(dir, { flushDelayMs: 60_000 });
    for (let i = 0; i < 450; i++) sink.record(i % 2 ? 'mcp.call' : 'mcp.decision', { i });
    // The batch limit (200) starts writing in the background; flush waits for all of it.
    await sink.flush();
    expect(sink.pending).toBe(0);
    const log = new AuditLog(path.join(dir, 'audit.jsonl'));
    const entries = log.read();
    expect(entries.map((e) => e.details.i)).toEqual(Array.from({ length: 450 }, (_, i) => i));
    expect(entries[0]!.action).toBe('mcp.decision');
    expect(entries[1]!.action).toBe('mcp.call');
    expect(log.verify()).toEqual({ ok: true, entries: 450 });
    expect(fs.existsSync(path.join(dir, 'state.lock'))).toBe(false);
  });

  it('writes in the background after the delay without anyone calling flush', async () => {
    const dir = stateDir();
    const sink = sinkIn(dir, { flushDelayMs: 5 });
    sink.record('mcp.decision', { a: 1 });
    expect(sink.pending).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.pending).toBe(0);
    expect(new AuditLog(path.join(dir, 'audit.jsonl')).read()).toHaveLength(1);
  });

  it('computes lazy details at write time and still writes an entry when they throw', async () => {
    const dir = stateDir();
    const sink = sinkIn(dir);
    let computed = false;
    sink.record('mcp.call', () => { computed = true; return { ok: true }; });
    sink.record('mcp.call', () => { throw new Error('broken details'); });
    expect(computed).toBe(false);
    await sink.flush();
    const entries = new AuditLog(path.join(dir, 'audit.jsonl')).read();
    expect(entries.map((e) => e.details)).toEqual([{ ok: true }, { auditDetailsError: 'broken details' }]);
  });

  it('waits for the state lock another writer holds, and never interleaves with it', async () => {
    const dir = stateDir();
    const lock = tryAcquireLock(path.join(dir, 'state.lock'), 'other writer')!;
    const sink = sinkIn(dir);
    sink.record('mcp.decision', { a: 1 });
    const flushed = sink.flush();
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(path.join(dir, 'audit.jsonl'))).toBe(false);
    new AuditLog(path.join(dir, 'audit.jsonl')).append({ actor: 'core', action: 'created', details: {} });
    lock.release();
    await flushed;
    const log = new AuditLog(path.join(dir, 'audit.jsonl'));
    expect(log.read().map((e) => e.action)).toEqual(['created', 'mcp.decision']);
    expect(log.verify().ok).toBe(true);
  });

  it('keeps entries and reports the error when the log cannot be written, and writes them once it can', async () => {
    const dir = stateDir();
    const auditFile = path.join(dir, 'audit.jsonl');
    fs.writeFileSync(auditFile, 'not json at all\n');
    const errors: string[] = [];
    const sink = sinkIn(dir, { onError: (e) => errors.push(e.message) });
    sink.record('mcp.call', { n: 1 });
    sink.record('mcp.call', { n: 2 });
    await expect(sink.flush()).rejects.toThrow(/cannot append to audit log .*run verify/);
    expect(errors).toHaveLength(1);
    expect(sink.pending).toBe(2);
    fs.rmSync(auditFile);
    await sink.flush();
    expect(new AuditLog(auditFile).read().map((e) => e.details.n)).toEqual([1, 2]);
  });
});

describe('MCP audit entries', () => {
  const secretHeaders = new ServerSecrets({ headers: { Authorization: 'Bearer abcdefgh12345678', 'X-Team': 'team-blue-42' }, env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'plainvalue', NODE_ENV: 'production', HOME: '/home/x' } });

  it('redacts token shapes, secret-named keys and the server\'s header and env values', () => {
    const args = captureArgs({ message: 'key sk-proj-abcdefghijklmnop1234567890 and team-blue-42 and plainvalue', apiKey: 'whatever', mode: 'production' });
    const d = decisionDetails('gh', 'search', allow, args, secretHeaders, 'policy')();
    expect(d.args).toEqual({ message: 'key [REDACTED] and [REDACTED] and [REDACTED]', apiKey: '[REDACTED]', mode: 'production' });
    expect(d.argBytes).toBe(args.bytes);
    expect(d).toMatchObject({ server: 'gh', tool: 'search', decision: 'allow', source: 'policy', rule: { origin: 'workspace', tool: 'echo' } });
    expect(JSON.stringify(d)).not.toMatch(/abcdefgh12345678|team-blue-42|plainvalue|sk-proj/);
  });

  it('records outcome, sizes, attempts and the error kind of a failed call, scrubbed', () => {
    const args = captureArgs({ message: 'hi' });
    const err = new McpError('timeout', 'no answer from https://x.test?token=plainvalue within 10 ms', 'gh', 'search', 'retry-longer', { attempts: 2 });
    const d = callDetails('gh', 'search', allow, args, secretHeaders, 12.34567, undefined, err)();
    expect(d).toMatchObject({ outcome: 'error', errorKind: 'timeout', attempts: 2, durationMs: 12.346, argBytes: 16 });
    expect(String(d.error)).not.toContain('plainvalue');
    const ok = callDetails('gh', 'search', allow, args, secretHeaders, 1, { server: 'gh', tool: 'search', content: [], isError: true, bytes: 99, durationMs: 1, attempts: 1, savedTo: '/tmp/r.json' }, undefined)();
    expect(ok).toMatchObject({ outcome: 'tool-error', resultBytes: 99, attempts: 1, savedTo: '/tmp/r.json' });
  });

  it('audits oversized arguments as a truncated preview with their exact size', () => {
    const big = captureArgs({ blob: 'x'.repeat(MAX_AUDITED_ARGS_BYTES + 10) });
    const d = decisionDetails('s', 't', allow, big, new ServerSecrets(), 'policy')();
    expect(d.argBytes).toBe(big.bytes);
    expect(d.args).toMatchObject({ truncated: true });
    expect(JSON.stringify(d).length).toBeLessThan(4096);
  });
});
