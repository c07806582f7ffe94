// Soak W: fuzzed webview messages against the real protocol hosts (WebviewProtocolHost with the
// real zod schemas of the approvals, review and audit webviews). Every message generated here is
// invalid by construction — malformed envelopes, wrong ids, unknown methods, params with a wrong
// type, a missing or extra field, or over a size limit, oversized or deeply nested payloads — so
// each must be rejected: no handler is ever reached (approve included), the host never throws,
// and a request with a usable id gets exactly one error reply with that id.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Protocol } from '../../shared/messages';
import { eachSeed, SoakRecorder, soakSeeds, soakTrials, SOAK_TIMEOUT_MS } from '../../core/soak/harness';
import { WebviewProtocolHost, type WebviewLike } from './protocolHost';
import { approvalsSchemas, auditSchemas, reviewSchemas, type ParamSchemas } from './schemas';

const FILE = 'src/extension/webviews/messages.soak.test.ts';
const TRIALS = soakTrials(3000, 100_000);
const rec = new SoakRecorder('W', 'webview messages fuzzed against the protocol hosts', FILE);

afterAll(() => {
  rec.finish();
});

class RecordingWebview implements WebviewLike {
  posted: unknown[] = [];
  listener: ((m: unknown) => unknown) | undefined;
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }
  onDidReceiveMessage(listener: (m: unknown) => unknown) {
    this.listener = listener;
    return { dispose: () => { this.listener = undefined; } };
  }
}

const HOSTS = {
  approvals: approvalsSchemas,
  review: reviewSchemas,
  audit: auditSchemas,
} as const satisfies Record<string, ParamSchemas<Protocol>>;
type HostName = keyof typeof HOSTS;

/** Valid params per method, which the mutations below break. */
const VALID: Record<HostName, Record<string, Record<string, unknown>>> = {
  approvals: { review: { id: 'p1' }, approve: { id: 'p1' }, reject: { id: 'p1', reason: 'no' }, rollback: { id: 'p1' }, redo: { id: 'p1' }, reviewWorkspace: {}, openAuditLog: {} },
  review: { approve: { files: ['src/a.ts'], hunks: ['0123abcd'] }, reject: { reason: 'no' }, rollback: { force: false }, redo: {}, openDiff: { path: 'src/a.ts' }, openFile: { path: 'src/a.ts', line: 3 } },
  audit: { setFilter: { proposalId: 'p1' }, verify: {}, openProposal: { id: 'p1' } },
};

const big = (n: number) => 'x'.repeat(n);
const nested = (depth: number): unknown => {
  let v: unknown = { id: 'p1' };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

/** Field-level values that no schema accepts where a proposal id, reason, path, hunk, line or flag goes. */
const badId = fc.oneof(
  fc.constantFrom('', '../etc/passwd', 'p 1', 'p/1', 'p\u0000', 'é', big(129), '\u202ep1'),
  fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }),
);
const badReason = fc.oneof(fc.constantFrom('', '   ', '\n\t', big(10_001)), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
const badPath = fc.oneof(fc.constantFrom('', 'a\u0000b', big(4097)), fc.integer(), fc.constant(null), fc.constant({}));
const badHunk = fc.oneof(fc.constantFrom('nope', '0123ABCD', '0123abc', '0123abcd-', '0123abcd-1234567', ''), fc.integer());
const badLine = fc.constantFrom(0, -1, 1.5, 10_000_001, Number.NaN, '3', null);
const badFlag = fc.oneof(fc.constantFrom('yes', 'false', 0, 1, null), fc.object({ maxDepth: 1 }));

/** For each field name, values that make it invalid. */
const BAD_FIELD: Record<string, fc.Arbitrary<unknown>> = {
  id: badId, proposalId: badId, reason: badReason, path: badPath, line: badLine, force: badFlag,
  files: fc.oneof(fc.constant('src/a.ts'), fc.array(badPath, { minLength: 1, maxLength: 3 }), fc.constant(Array.from({ length: 100_001 }, () => 'a'))),
  hunks: fc.oneof(fc.constant('0123abcd'), fc.array(badHunk, { minLength: 1, maxLength: 3 }), fc.constant(Array.from({ length: 100_001 }, () => '0123abcd'))),
};

/** Params the schema of `method` must refuse, built from its valid params. */
function badParams(host: HostName, method: string): fc.Arbitrary<unknown> {
  const valid = VALID[host][method]!;
  const fields = Object.keys(valid);
  const options: fc.Arbitrary<unknown>[] = [
    // an unknown extra field (the schemas are strict), possibly huge
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in valid)), fc.oneof(fc.jsonValue(), fc.constant(big(5_000_000))))
      .map(([k, v]) => ({ ...valid, [k]: v })),
    // not an object at all (null/undefined are "no params", which only parameterless methods accept)
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 3 })),
    // deep nesting where an object with other fields is expected
    fc.integer({ min: 1, max: 5000 }).map((d) => ({ ...valid, deep: nested(d) })),
  ];
  if (fields.length) {
    // one required field missing (only `proposalId` of setFilter and `line` of openFile are optional)
    const required = fields.filter((f) => !(host === 'audit' && f === 'proposalId') && f !== 'line');
    if (required.length) options.push(fc.constantFrom(...required).map((f) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== f))));
    // one field with a value no schema accepts there
    options.push(fc.constantFrom(...fields).chain((f) => BAD_FIELD[f]!.map((v) => ({ ...valid, [f]: v }))));
  }
  if (host === 'review' && method === 'approve') options.push(fc.constant({ files: [], hunks: [] })); // empty selection
  return fc.oneof(...options);
}

const KNOWN = new Set(Object.values(VALID).flatMap((m) => Object.keys(m)));
const unknownMethod = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'Approve', 'approve ', ' approve', 'approve\u0000', 'APPROVE', 'apply', 'deleteEverything', 'approve.call', ''),
  fc.string({ maxLength: 40 }),
  fc.constant(big(1_000_000)),
).filter((m) => !KNOWN.has(m));
const wrongId = fc.oneof(
  fc.constantFrom('1', 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53), null, true, '0x1', []),
  fc.double().filter((d) => !Number.isSafeInteger(d)),
  fc.constant(undefined),
);

type Case = { host: HostName; message: unknown; why: string; replyId?: number };

function caseArb(): fc.Arbitrary<Case> {
  const host = fc.constantFrom<HostName>('approvals', 'review', 'audit');
  const id = fc.integer({ min: -1000, max: 2 ** 31 });
  return fc.oneof(
    // malformed envelopes
    fc.tuple(host, fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 3 }),
      fc.record({ kind: fc.constantFrom('response', 'notification', 'REQUEST', 'Ready', '', 'request '), id: fc.integer(), method: fc.constant('approve'), params: fc.constant({ id: 'p1' }) }),
      fc.record({ kind: fc.constant('request'), id: fc.integer() }, { requiredKeys: ['kind'] }),
      fc.record({ kind: fc.constant('request'), id: fc.integer(), method: fc.oneof(fc.integer(), fc.constant(null), fc.constant(['approve']), fc.constant({ toString: 'approve' })), params: fc.constant({ id: 'p1' }) })))
      .map(([h, message]) => ({ host: h, message, why: 'malformed envelope' })),
    // a well-formed approve but a wrong request id
    fc.tuple(host, wrongId).map(([h, bad]) => ({ host: h, message: { kind: 'request', id: bad, method: Object.keys(VALID[h])[0]!, params: VALID[h][Object.keys(VALID[h])[0]!] }, why: 'wrong request id' })),
    // unknown methods with valid-looking params
    fc.tuple(host, id, unknownMethod).map(([h, i, m]) => ({ host: h, message: { kind: 'request', id: i, method: m, params: { id: 'p1' } }, why: 'unknown method', replyId: i })),
    // known methods with params their schema refuses
    host.chain((h) => fc.tuple(fc.constant(h), id, fc.constantFrom(...Object.keys(VALID[h])))
      .chain(([hh, i, m]) => badParams(hh, m).map((params) => ({ host: hh, message: { kind: 'request', id: i, method: m, params }, why: `invalid params for ${m}`, replyId: i })))),
  );
}

function describeMessage(m: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(m, (_k, v: unknown) => (typeof v === 'string' && v.length > 60 ? `<${v.length} chars>` : Array.isArray(v) && v.length > 20 ? `<array of ${v.length}>` : v)) ?? String(m);
  } catch {
    s = String(m);
  }
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

describe('W: fuzzed webview messages are all rejected', () => {
  it('control: the valid params of every method do reach its handler (so the fuzz could see a leak)', async () => {
    for (const name of Object.keys(HOSTS) as HostName[]) {
      const calls: string[] = [];
      const handlers = Object.fromEntries(Object.keys(VALID[name]).map((m) => [m, () => { calls.push(m); }]));
      const host = new WebviewProtocolHost<Protocol>(new RecordingWebview(), name, HOSTS[name] as ParamSchemas<Protocol>, handlers as never, { warn: () => undefined, error: () => undefined });
      let id = 1;
      for (const [m, params] of Object.entries(VALID[name])) await host.receive({ kind: 'request', id: id++, method: m, params });
      expect(calls).toEqual(Object.keys(VALID[name]));
    }
  });

  it(`rejects every invalid message and never reaches a handler (${TRIALS} messages)`, async () => {
    const arb = caseArb();
    const kinds = new Map<string, number>();
    await eachSeed(rec, soakSeeds(TRIALS), async (seed) => {
      const [c] = fc.sample(arb, { seed, numRuns: 1 });
      const { host: name, message, why, replyId } = c!;
      const kind = why.startsWith('invalid params') ? 'invalid params' : why;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const webview = new RecordingWebview();
      const calls: string[] = [];
      const handler = (m: string) => () => { calls.push(m); return m === 'approve' ? { status: 'applied', applied: ['a.ts'], merged: [] } : undefined; };
      const handlers = Object.fromEntries(Object.keys(VALID[name]).map((m) => [m, handler(m)]));
      const logs: string[] = [];
      const host = new WebviewProtocolHost<Protocol>(webview, name, HOSTS[name] as ParamSchemas<Protocol>, handlers as never, { warn: (m) => logs.push(m), error: (m) => logs.push(m) });
      await host.receive({ kind: 'ready' });
      try {
        await host.receive(message);
      } catch (err) {
        return `${name}: ${why}: receive threw ${(err as Error).message} for ${describeMessage(message)}`;
      }
      const problems: string[] = [];
      if (calls.length) problems.push(`${name}: ${why}: handler(s) ${calls.join(', ')} reached by ${describeMessage(message)}`);
      const replies = webview.posted as { ok?: boolean; id?: unknown }[];
      if (replies.some((r) => r.ok === true)) problems.push(`${name}: ${why}: answered ok to ${describeMessage(message)}`);
      if (replyId !== undefined && !(replies.length === 1 && replies[0]!.ok === false && replies[0]!.id === replyId)) {
        problems.push(`${name}: ${why}: expected one error reply with id ${replyId}, got ${describeMessage(replies)} for ${describeMessage(message)}`);
      }
      if (!logs.length) problems.push(`${name}: ${why}: rejected without a log line: ${describeMessage(message)}`);
      host.dispose();
      return problems;
    });
    rec.note(`messages by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(rec.summary()).toEqual([]);
  }, SOAK_TIMEOUT_MS);
});
