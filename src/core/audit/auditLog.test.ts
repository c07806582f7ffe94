import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256 } from '../util/hash';
import { canonicalJson } from './canonicalJson';
import { AuditLog, GENESIS_HASH } from './index';
import type { AuditEntry, VerifyResult } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempLog(): AuditLog {
  const dir = mkdtempSync(join(tmpdir(), 'rusty-audit-'));
  dirs.push(dir);
  let tick = 0;
  // Deterministic clock: one second per entry.
  return new AuditLog(join(dir, 'state', 'audit.jsonl'), { now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)) });
}

function fill(log: AuditLog, n: number): AuditEntry[] {
  return Array.from({ length: n }, (_, i) =>
    log.append({ actor: 'user:alice', action: i % 2 ? 'approved' : 'created', proposalId: `p-${i % 3}`, details: { i } }));
}

const lines = (log: AuditLog) => readFileSync(log.file, 'utf8').split('\n').slice(0, -1);
const writeLines = (log: AuditLog, ls: string[]) => writeFileSync(log.file, ls.map((l) => `${l}\n`).join(''));
const failure = (r: VerifyResult) => {
  if (r.ok) throw new Error('expected verify to fail');
  return r;
};

describe('AuditLog append/read', () => {
  it('appends one JSON line per entry, chained from the genesis hash', () => {
    const log = tempLog();
    const [a, b] = [
      log.append({ actor: 'user:alice', action: 'created', proposalId: 'p-1', details: { title: 'Organize imports' } }),
      log.append({ actor: 'cli', action: 'approved', proposalId: 'p-1' }),
    ];
    expect(a).toMatchObject({ seq: 1, time: '2025-01-01T00:00:00.000Z', actor: 'user:alice', action: 'created', proposalId: 'p-1', prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a!.hash, details: {} });
    expect(a!.hash).toMatch(/^[0-9a-f]{64}$/);

    const raw = readFileSync(log.file, 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    expect(lines(log).map((l) => JSON.parse(l) as unknown)).toEqual([a, b]);
    expect(JSON.parse(readFileSync(`${log.file}.head`, 'utf8'))).toEqual({ seq: 2, hash: b!.hash });
    expect(log.read()).toEqual([a, b]);
  });

  it('hashes sha256(prevHash + "\\n" + canonical JSON of the entry without its hash)', () => {
    const log = tempLog();
    log.append({ actor: 'a', action: 'created' });
    const e = log.append({ actor: 'a', action: 'shown', details: { z: 1, a: { y: [1, 2], b: null } } });
    const { hash, ...rest } = e;
    expect(hash).toBe(sha256(`${e.prevHash}\n${canonicalJson(rest)}`));
  });

  it('omits proposalId when not given and leaves an absent file empty', () => {
    const log = tempLog();
    expect(log.read()).toEqual([]);
    expect(log.verify()).toEqual({ ok: true, entries: 0 });
    const e = log.append({ actor: 'a', action: 'gc' });
    expect('proposalId' in e).toBe(false);
  });

  it('filters by proposalId and action, and limit keeps the most recent matches in order', () => {
    const log = tempLog();
    const all = fill(log, 9);
    expect(log.read({ proposalId: 'p-1' }).map((e) => e.seq)).toEqual([2, 5, 8]);
    expect(log.read({ action: 'approved' }).map((e) => e.seq)).toEqual([2, 4, 6, 8]);
    expect(log.read({ proposalId: 'p-1', action: 'approved' }).map((e) => e.seq)).toEqual([2, 8]);
    expect(log.read({ limit: 3 })).toEqual(all.slice(-3));
    expect(log.read({ action: 'created', limit: 2 }).map((e) => e.seq)).toEqual([7, 9]);
    expect(log.read({ limit: 0 })).toEqual([]);
    expect(log.read({ action: 'nope' })).toEqual([]);
  });

  it('accepts actions outside the known list', () => {
    const log = tempLog();
    expect(log.append({ actor: 'a', action: 'custom-thing' }).action).toBe('custom-thing');
  });

  it('continues the chain across instances and without a head file', () => {
    const log = tempLog();
    fill(log, 3);
    const again = new AuditLog(log.file);
    expect(again.append({ actor: 'b', action: 'applied' }).seq).toBe(4);
    unlinkSync(`${log.file}.head`);
    expect(again.append({ actor: 'b', action: 'applied' }).seq).toBe(5);
    expect(again.verify()).toEqual({ ok: true, entries: 5 });
  });

  it('a head one entry behind (crash between line and head write) is harmless', () => {
    const log = tempLog();
    const entries = fill(log, 3);
    writeFileSync(`${log.file}.head`, JSON.stringify({ seq: 2, hash: entries[1]!.hash }));
    expect(log.verify()).toEqual({ ok: true, entries: 3 });
    const e = log.append({ actor: 'a', action: 'recovered' });
    expect(e).toMatchObject({ seq: 4, prevHash: entries[2]!.hash, details: {} });
    expect(log.verify()).toEqual({ ok: true, entries: 4 });
  });

  it('read() throws naming a malformed line instead of skipping it', () => {
    const log = tempLog();
    fill(log, 3);
    const ls = lines(log);
    ls[1] = '{"seq": 2, oops';
    writeLines(log, ls);
    expect(() => log.read()).toThrow(/line 2 is malformed/);
    ls[1] = JSON.stringify({ seq: 2 });
    writeLines(log, ls);
    expect(() => log.read()).toThrow(/line 2 is malformed: missing or invalid "time"/);
  });

  it('refuses to chain onto a malformed last line', () => {
    const log = tempLog();
    fill(log, 2);
    writeLines(log, [...lines(log), 'garbage']);
    expect(() => log.append({ actor: 'a', action: 'gc' })).toThrow(/last line is not a valid entry.*run verify/);
    expect(failure(log.verify())).toMatchObject({ line: 3, problem: 'malformed' });
  });
});

describe('AuditLog verify: tampering', () => {
  it('a fresh chain verifies', () => {
    const log = tempLog();
    fill(log, 5);
    expect(log.verify()).toEqual({ ok: true, entries: 5 });
  });

  it('editing a field of line 3 is reported at line 3 as edited', () => {
    const log = tempLog();
    fill(log, 5);
    const ls = lines(log);
    const e = JSON.parse(ls[2]!) as AuditEntry;
    e.actor = 'user:mallory';
    ls[2] = JSON.stringify(e);
    writeLines(log, ls);
    const r = failure(log.verify());
    expect(r).toMatchObject({ line: 3, problem: 'edited', entries: 2 });
    expect(r.message).toBe('line 3 was edited after it was written (hash mismatch for seq 3)');
  });

  it('deleting line 2 is reported at line 2 as removed', () => {
    const log = tempLog();
    fill(log, 5);
    const ls = lines(log);
    ls.splice(1, 1);
    writeLines(log, ls);
    const r = failure(log.verify());
    expect(r).toMatchObject({ line: 2, problem: 'removed', entries: 1 });
    expect(r.message).toMatch(/seq 2 is missing before line 2/);
  });

  it('deleting line 1 is reported at line 1 as removed', () => {
    const log = tempLog();
    fill(log, 3);
    writeLines(log, lines(log).slice(1));
    expect(failure(log.verify())).toMatchObject({ line: 1, problem: 'removed', entries: 0 });
  });

  it('deleting several lines names the missing seq range', () => {
    const log = tempLog();
    fill(log, 6);
    const ls = lines(log);
    ls.splice(1, 3);
    writeLines(log, ls);
    expect(failure(log.verify()).message).toMatch(/seqs 2–4 are missing before line 2/);
  });

  it('swapping lines 2 and 3 is reported at line 2 as reordered', () => {
    const log = tempLog();
    fill(log, 5);
    const ls = lines(log);
    [ls[1], ls[2]] = [ls[2]!, ls[1]!];
    writeLines(log, ls);
    const r = failure(log.verify());
    expect(r).toMatchObject({ line: 2, problem: 'reordered' });
    expect(r.message).toMatch(/line 2 has seq 3.*seq 2 appears later on line 3/);
  });

  it('a duplicated line is reported as reordered', () => {
    const log = tempLog();
    fill(log, 3);
    const ls = lines(log);
    ls.splice(2, 0, ls[1]!);
    writeLines(log, ls);
    expect(failure(log.verify())).toMatchObject({ line: 3, problem: 'reordered' });
  });

  it('deleting the last line is caught through the head file, naming the line after the end', () => {
    const log = tempLog();
    fill(log, 4);
    writeLines(log, lines(log).slice(0, -1));
    const r = failure(log.verify());
    expect(r).toMatchObject({ line: 4, problem: 'removed', entries: 3 });
    expect(r.message).toMatch(/ends at seq 3 on line 3 but its head file records seq 4/);
  });

  it('deleting the whole file is caught through the head file', () => {
    const log = tempLog();
    fill(log, 2);
    unlinkSync(log.file);
    expect(failure(log.verify())).toMatchObject({ line: 1, problem: 'removed', entries: 0 });
  });

  it('a trailing deletion stays detectable after later appends', () => {
    const log = tempLog();
    fill(log, 4);
    writeLines(log, lines(log).slice(0, -2));
    const e = log.append({ actor: 'a', action: 'created' });
    expect(e.seq).toBe(3);
    expect(e.details).toEqual({ headMismatch: { headSeq: 4, fileSeq: 2 } });
    log.append({ actor: 'a', action: 'created' });
    const r = failure(log.verify());
    expect(r).toMatchObject({ line: 3, problem: 'removed' });
    expect(r.message).toMatch(/seq 3–4 had been deleted/);
  });

  it('replacing the last line with a self-consistent forgery is caught through the head file', () => {
    const log = tempLog();
    fill(log, 3);
    const ls = lines(log);
    const forged = JSON.parse(ls[2]!) as AuditEntry;
    forged.actor = 'user:mallory';
    const { hash: _h, ...rest } = forged;
    forged.hash = sha256(`${forged.prevHash}\n${canonicalJson(rest)}`);
    ls[2] = JSON.stringify(forged);
    writeLines(log, ls);
    expect(failure(log.verify())).toMatchObject({ line: 3, problem: 'edited' });
  });

  it('a non-JSON line in the middle is malformed', () => {
    const log = tempLog();
    fill(log, 3);
    const ls = lines(log);
    ls[1] = 'not json';
    writeLines(log, ls);
    expect(failure(log.verify())).toMatchObject({ line: 2, problem: 'malformed' });
  });
});

describe('AuditLog torn last line (crash mid-write)', () => {
  it('verify reports truncated; read names it; append repairs and records it', () => {
    const log = tempLog();
    fill(log, 3);
    const good = readFileSync(log.file, 'utf8');
    const partial = '{"seq":4,"time":"2025-01-01T00:00:03.000Z","actor":"us';
    writeFileSync(log.file, good + partial);

    const r = failure(log.verify());
    expect(r).toMatchObject({ line: 4, problem: 'truncated', entries: 3 });
    expect(() => log.read()).toThrow(/line 4 is incomplete/);

    const e = log.append({ actor: 'a', action: 'recovered', details: { why: 'startup' } });
    expect(e.seq).toBe(4);
    expect(e.details).toEqual({ why: 'startup', repairedTornLine: true, tornBytes: Buffer.byteLength(partial) });
    expect(readFileSync(log.file, 'utf8')).toBe(`${good}${JSON.stringify(e)}\n`);
    expect(readFileSync(`${log.file}.torn`, 'utf8')).toBe(`${partial}\n`);
    expect(log.verify()).toEqual({ ok: true, entries: 4 });
  });

  it('a torn first line is dropped and the chain starts at seq 1', () => {
    const log = tempLog();
    mkdirSync(dirname(log.file), { recursive: true });
    writeFileSync(log.file, '{"seq":1,"ti');
    const e = log.append({ actor: 'a', action: 'created' });
    expect(e).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, details: { repairedTornLine: true } });
    expect(log.verify()).toEqual({ ok: true, entries: 1 });
  });

  it('handles entries and torn tails longer than the tail read chunk (multi-byte text)', () => {
    const log = tempLog();
    const big = 'é—😀x'.repeat(9000); // ~80 KB of mixed-width UTF-8
    log.append({ actor: 'a', action: 'created', details: { big } });
    const second = log.append({ actor: 'a', action: 'shown', details: { big } });
    expect(second.seq).toBe(2);
    const good = readFileSync(log.file, 'utf8');
    writeFileSync(log.file, `${good}{"seq":3,"details":{"big":"${big}`);
    const third = log.append({ actor: 'a', action: 'applied' });
    expect(third).toMatchObject({ seq: 3, prevHash: second.hash, details: { repairedTornLine: true } });
    expect(log.verify()).toEqual({ ok: true, entries: 3 });
    expect(log.read()[1]!.details.big).toBe(big);
  });

  it('a complete last line that only lost its newline is kept, not truncated', () => {
    const log = tempLog();
    const entries = fill(log, 2);
    writeFileSync(log.file, readFileSync(log.file, 'utf8').slice(0, -1));
    expect(log.read()).toEqual(entries);
    expect(log.verify()).toEqual({ ok: true, entries: 2 });
    const e = log.append({ actor: 'a', action: 'gc' });
    expect(e).toMatchObject({ seq: 3, prevHash: entries[1]!.hash, details: {} });
    expect(log.verify()).toEqual({ ok: true, entries: 3 });
    expect(existsSync(`${log.file}.torn`)).toBe(false);
  });
});

describe('AuditLog redaction', () => {
  it('secrets in details, actor and proposalId never reach the file bytes', () => {
    const log = tempLog();
    const gh = `ghp_${'Ab3'.repeat(12)}`;
    const sk = `sk-ant-api03-${'Xy9Qw'.repeat(12)}`;
    const pw = 'hunter2-correct-horse';
    const e = log.append({
      actor: `bot ${gh}`,
      action: 'mcp-call',
      proposalId: `p-1 ${sk}`,
      details: {
        env: { GITHUB_TOKEN: 'plain-value-under-secret-key' },
        stderr: `fatal: https://bob:${pw}@github.com/o/r.git rejected ${gh}`,
        args: ['--token', sk],
        nested: [{ authorization: `Bearer ${'z9'.repeat(20)}` }],
      },
    });
    const raw = readFileSync(log.file, 'utf8') + readFileSync(`${log.file}.head`, 'utf8');
    for (const secret of [gh, sk, pw, 'plain-value-under-secret-key', 'z9z9z9z9']) {
      expect(raw).not.toContain(secret);
    }
    expect(raw).toContain('[REDACTED]');
    expect(e.actor).toBe('bot [REDACTED]');
    expect(log.verify().ok).toBe(true);
  });

  it('stores details exactly as read back (JSON-normalized before hashing)', () => {
    const log = tempLog();
    const e = log.append({ actor: 'a', action: 'failed', details: { when: new Date(0), skip: undefined, n: -0, err: new Error('boom') } });
    expect(e.details).toEqual({ when: '1970-01-01T00:00:00.000Z', n: 0, err: { name: 'Error', message: 'boom' } });
    expect(log.read()).toEqual([e]);
    expect(log.verify().ok).toBe(true);
  });
});

describe('AuditLog properties', () => {
  const appendArb = fc.record({
    actor: fc.string({ maxLength: 20 }),
    action: fc.constantFrom('created', 'approved', 'applied', 'rolled-back', 'mcp-call', 'x-custom'),
    proposalId: fc.option(fc.stringMatching(/^p-[0-9a-f]{8}$/), { nil: undefined }),
    details: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  });
  const logArb = fc.array(appendArb, { minLength: 1, maxLength: 12 });

  it('any sequence of appends verifies and reads back exactly', () => {
    fc.assert(fc.property(logArb, (inputs) => {
      const log = tempLog();
      const written = inputs.map((i) => log.append(i));
      expect(log.verify()).toEqual({ ok: true, entries: inputs.length });
      expect(log.read()).toEqual(written);
    }), { numRuns: 40 });
  });

  it('any single-line edit is detected at that line', () => {
    const edit = fc.oneof(
      // Raw byte edit: '#' is never valid JSON syntax, and inside a string it changes the value.
      fc.record({ kind: fc.constant('raw' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom('seq', 'time', 'actor', 'action', 'details', 'prevHash', 'hash', 'extra') }),
    );
    fc.assert(fc.property(logArb, fc.nat(), edit, (inputs, pick, how) => {
      const log = tempLog();
      inputs.forEach((i) => log.append(i));
      const ls = lines(log);
      const k = pick % ls.length;
      const original = ls[k]!;
      if (how.kind === 'raw') {
        const candidates = [...original].map((c, i) => (c === '#' ? -1 : i)).filter((i) => i >= 0);
        const p = candidates[how.at % candidates.length]!;
        ls[k] = [...original].map((c, i) => (i === p ? '#' : c)).join('');
      } else {
        const e = JSON.parse(original) as Record<string, unknown>;
        const mutate: Record<string, () => void> = {
          seq: () => { e.seq = (e.seq as number) + 1; },
          time: () => { e.time = '1999-12-31T23:59:59.000Z'; },
          actor: () => { e.actor = `${e.actor as string}!`; },
          action: () => { e.action = e.action === 'approved' ? 'rejected' : 'approved'; },
          details: () => { e.details = { ...(e.details as object), tampered: true }; },
          prevHash: () => { e.prevHash = 'f'.repeat(64); },
          hash: () => { e.hash = (e.hash as string).startsWith('0') ? '1'.repeat(64) : '0'.repeat(64); },
          extra: () => { e.note = 'added later'; },
        };
        mutate[how.field]!();
        ls[k] = JSON.stringify(e);
      }
      writeLines(log, ls);
      const r = failure(log.verify());
      expect(r.line).toBe(k + 1);
      expect(['edited', 'malformed']).toContain(r.problem);
      expect(r.entries).toBe(k);
    }), { numRuns: 60 });
  });

  it('deleting any one line or swapping any adjacent pair is detected at that line', () => {
    fc.assert(fc.property(fc.array(appendArb, { minLength: 2, maxLength: 10 }), fc.nat(), fc.boolean(), (inputs, pick, swap) => {
      const log = tempLog();
      inputs.forEach((i) => log.append(i));
      const ls = lines(log);
      const k = pick % (swap ? ls.length - 1 : ls.length);
      if (swap) [ls[k], ls[k + 1]] = [ls[k + 1]!, ls[k]!];
      else ls.splice(k, 1);
      writeLines(log, ls);
      const r = failure(log.verify());
      expect(r.line).toBe(k + 1);
      expect(r.problem).toBe(swap ? 'reordered' : 'removed');
    }), { numRuns: 40 });
  });
});

describe('AuditLog appendMany / appendManyAsync (batching writers)', () => {
  it('chains a batch exactly like one append per entry, in order, with one write', async () => {
    const log = tempLog();
    fill(log, 2);
    const batch = log.appendMany([
      { actor: 'cli', action: 'mcp.decision', details: { n: 1, apiKey: 'sk-should-not-appear-0123456789abcdef' } },
      { actor: 'cli', action: 'mcp.call', details: { n: 2 } },
    ]);
    expect(batch.map((e) => e.seq)).toEqual([3, 4]);
    const later = await log.appendManyAsync([{ actor: 'cli', action: 'mcp.call', details: { n: 3 } }, { actor: 'cli', action: 'mcp.call', details: { n: 4 } }]);
    expect(later.map((e) => e.seq)).toEqual([5, 6]);
    expect(log.appendMany([])).toEqual([]);
    expect(log.read().map((e) => e.details.n ?? null)).toEqual([null, null, 1, 2, 3, 4]);
    expect(readFileSync(log.file, 'utf8')).not.toContain('sk-should-not-appear');
    expect(log.verify()).toEqual({ ok: true, entries: 6 });
  });

  it('rejects a batch with an invalid entry before writing any of it', () => {
    const log = tempLog();
    expect(() => log.appendMany([{ actor: 'cli', action: 'mcp.call' }, { actor: 'cli', action: '' }])).toThrow(/non-empty string action/);
    expect(existsSync(log.file)).toBe(false);
  });

  it('repairs a torn last line once, recording it in the first entry of the batch', async () => {
    const log = tempLog();
    fill(log, 1);
    writeFileSync(log.file, readFileSync(log.file, 'utf8') + '{"seq":2,"ti');
    const [first, second] = await log.appendManyAsync([{ actor: 'a', action: 'x' }, { actor: 'a', action: 'y' }]);
    expect(first!.details).toMatchObject({ repairedTornLine: true });
    expect(second!.details).toEqual({});
    expect(log.verify()).toEqual({ ok: true, entries: 3 });
  });
});
