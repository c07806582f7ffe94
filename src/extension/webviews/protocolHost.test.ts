import { describe, expect, it } from 'vitest';
import type { ApprovalsProtocol } from '../../shared/approvalsProtocol';
import { APPROVALS_REQUESTS } from '../../shared/approvalsProtocol';
import { AUDIT_REQUESTS } from '../../shared/auditProtocol';
import { REVIEW_REQUESTS } from '../../shared/reviewProtocol';
import { WebviewProtocolHost, type RequestHandlers, type WebviewLike } from './protocolHost';
import { approvalsSchemas, auditSchemas, reviewSchemas } from './schemas';

class FakeWebview implements WebviewLike {
  posted: unknown[] = [];
  accept = true;
  listener: ((m: unknown) => unknown) | undefined;
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(message);
    return Promise.resolve(this.accept);
  }
  onDidReceiveMessage(listener: (m: unknown) => unknown) {
    this.listener = listener;
    return { dispose: () => { this.listener = undefined; } };
  }
}

function setup(overrides: Partial<RequestHandlers<ApprovalsProtocol>> = {}) {
  const webview = new FakeWebview();
  const logs: string[] = [];
  const calls: unknown[] = [];
  let readies = 0;
  const handlers: RequestHandlers<ApprovalsProtocol> = {
    review: async (p) => { calls.push(['review', p]); },
    approve: async (p) => { calls.push(['approve', p]); return { status: 'applied', applied: ['a.ts'] }; },
    reject: async (p) => { calls.push(['reject', p]); return { status: 'rejected' }; },
    rollback: async () => ({ status: 'rolled-back' }),
    redo: async () => ({ status: 'redone' }),
    reviewWorkspace: async (p) => { calls.push(['reviewWorkspace', p]); return { created: 2 }; },
    openAuditLog: async () => undefined,
    openPullRequest: async () => ({ number: 1, url: 'https://github.com/o/r/pull/1' }),
    dismissDeadLetter: async (p) => { calls.push(['dismissDeadLetter', p]); return { removed: 1 }; },
    clearDeadLetters: async () => ({ removed: 0 }),
    ...overrides,
  };
  const host = new WebviewProtocolHost<ApprovalsProtocol>(webview, 'approvals', approvalsSchemas, handlers, { warn: (m) => logs.push(m), error: (m) => logs.push(m) }, () => { readies++; });
  return { webview, host, logs, calls, readies: () => readies };
}

const snapshot = (n: number) => ({ workspaceName: 'ws', proposals: [], pendingCount: n });

describe('WebviewProtocolHost', () => {
  it('does not post a snapshot the page already has (seeded) on the first ready, but does after a reload or a change', async () => {
    const { webview, host } = setup();
    host.seed('snapshot', snapshot(1));
    host.notify('snapshot', snapshot(1)); // a refresh before ready with the same data: still in the page
    await host.receive({ kind: 'ready' });
    expect(webview.posted).toEqual([]);
    host.notify('snapshot', snapshot(1));
    expect(webview.posted).toEqual([]);
    host.reset(); // hidden: the page reloads from the same HTML, then asks again
    await host.receive({ kind: 'ready' });
    expect(webview.posted).toEqual([{ kind: 'notification', method: 'snapshot', params: snapshot(1) }]);

    const second = setup();
    second.host.seed('snapshot', snapshot(1));
    second.host.notify('snapshot', snapshot(2)); // changed before ready: the page's copy is stale
    await second.host.receive({ kind: 'ready' });
    expect(second.webview.posted).toEqual([{ kind: 'notification', method: 'snapshot', params: snapshot(2) }]);
  });

  it('holds snapshots until ready, then posts only the latest', async () => {
    const { webview, host, readies } = setup();
    host.notify('snapshot', snapshot(1));
    host.notify('snapshot', snapshot(2));
    expect(webview.posted).toEqual([]);
    await host.receive({ kind: 'ready' });
    expect(webview.posted).toEqual([{ kind: 'notification', method: 'snapshot', params: snapshot(2) }]);
    expect(readies()).toBe(1);
    host.notify('snapshot', snapshot(2)); // same again: not re-posted
    host.notify('snapshot', snapshot(3));
    expect(webview.posted).toHaveLength(2);
  });

  it('posts the latest snapshot again when the webview reloads (hidden and shown)', async () => {
    const { webview, host } = setup();
    await host.receive({ kind: 'ready' });
    host.notify('snapshot', snapshot(1));
    host.reset();
    host.notify('snapshot', snapshot(4));
    expect(webview.posted).toHaveLength(1);
    await host.receive({ kind: 'ready' });
    expect(webview.posted.at(-1)).toEqual({ kind: 'notification', method: 'snapshot', params: snapshot(4) });
  });

  it('treats a refused post as not ready', async () => {
    const { webview, host } = setup();
    await host.receive({ kind: 'ready' });
    webview.accept = false;
    host.notify('snapshot', snapshot(1));
    await new Promise((r) => setTimeout(r, 0));
    expect(host.isReady).toBe(false);
  });

  it('answers a valid request with its result, matched by id', async () => {
    const { webview, host, calls } = setup();
    await host.receive({ kind: 'request', id: 7, method: 'approve', params: { id: 'p123' } });
    expect(calls).toEqual([['approve', { id: 'p123' }]]);
    expect(webview.posted).toEqual([{ kind: 'response', id: 7, ok: true, result: { status: 'applied', applied: ['a.ts'] } }]);
    await host.receive({ kind: 'request', id: 8, method: 'reviewWorkspace' });
    expect(calls.at(-1)).toEqual(['reviewWorkspace', {}]);
    await host.receive({ kind: 'request', id: 9, method: 'review', params: { id: 'p1' } });
    expect(webview.posted.at(-1)).toEqual({ kind: 'response', id: 9, ok: true, result: null });
  });

  it('rejects invalid params, unknown methods and malformed messages with an error reply and a log line', async () => {
    const { webview, host, logs, calls } = setup();
    await host.receive({ kind: 'request', id: 1, method: 'approve', params: { id: '../etc/passwd' } });
    await host.receive({ kind: 'request', id: 2, method: 'reject', params: { id: 'p1', reason: '   ' } });
    await host.receive({ kind: 'request', id: 3, method: 'approve', params: { id: 'p1', extra: true } });
    await host.receive({ kind: 'request', id: 4, method: 'deleteEverything', params: {} });
    await host.receive({ kind: 'request', id: 5, method: '__proto__', params: {} });
    await host.receive({ kind: 'request', id: 6, method: 'toString', params: {} });
    await host.receive({ kind: 'request', id: 'x', method: 'approve', params: {} });
    await host.receive(null);
    await host.receive('ready');
    expect(calls).toEqual([]);
    const errors = webview.posted as { id: number; ok: boolean; error: { code: string; message: string } }[];
    expect(errors.map((e) => [e.id, e.ok, e.error.code])).toEqual([
      [1, false, 'invalid-params'], [2, false, 'invalid-params'], [3, false, 'invalid-params'],
      [4, false, 'unknown-method'], [5, false, 'unknown-method'], [6, false, 'unknown-method'],
    ]);
    expect(errors[1]!.error.message).toMatch(/reason: a reason is required/);
    expect(logs).toHaveLength(9);
  });

  it('turns a handler failure into an error reply with the error code, never a throw', async () => {
    const failing = Object.assign(new Error('Proposal p1 conflicts with newer edits.'), { name: 'RustyError', code: 'conflict' });
    const { webview, host } = setup({ approve: async () => { throw failing; }, reject: () => { throw new Error('boom'); } });
    await expect(host.receive({ kind: 'request', id: 1, method: 'approve', params: { id: 'p1' } })).resolves.toBeUndefined();
    await host.receive({ kind: 'request', id: 2, method: 'reject', params: { id: 'p1', reason: 'no' } });
    expect(webview.posted).toEqual([
      { kind: 'response', id: 1, ok: false, error: { code: 'conflict', message: 'Proposal p1 conflicts with newer edits.' } },
      { kind: 'response', id: 2, ok: false, error: { code: 'error', message: 'boom' } },
    ]);
  });

  it('stops listening and posting once disposed', async () => {
    const { webview, host } = setup();
    host.dispose();
    expect(webview.listener).toBeUndefined();
    await host.receive({ kind: 'ready' });
    host.notify('snapshot', snapshot(1));
    expect(webview.posted).toEqual([]);
  });
});

describe('request schemas', () => {
  it('cover exactly the methods each protocol declares', () => {
    expect(Object.keys(approvalsSchemas).sort()).toEqual([...APPROVALS_REQUESTS].sort());
    expect(Object.keys(reviewSchemas).sort()).toEqual([...REVIEW_REQUESTS].sort());
    expect(Object.keys(auditSchemas).sort()).toEqual([...AUDIT_REQUESTS].sort());
  });

  it('accept well-formed review requests and refuse bad ones', () => {
    expect(reviewSchemas.approve.safeParse({ files: ['src/a.ts'], hunks: ['0123abcd', '0123abcd-2'] }).success).toBe(true);
    expect(reviewSchemas.approve.safeParse({ files: ['src/a.ts'], hunks: ['nope'] }).success).toBe(false);
    expect(reviewSchemas.approve.safeParse({ files: 'src/a.ts', hunks: [] }).success).toBe(false);
    // An empty selection means "everything" to the core; a webview must name what it approves.
    expect(reviewSchemas.approve.safeParse({ files: [], hunks: [] }).success).toBe(false);
    expect(reviewSchemas.rollback.safeParse({ force: 'yes' }).success).toBe(false);
    expect(reviewSchemas.openFile.safeParse({ path: 'src/a.ts', line: 3 }).success).toBe(true);
    expect(reviewSchemas.openFile.safeParse({ path: 'src/a.ts', line: 0 }).success).toBe(false);
    expect(reviewSchemas.openFile.safeParse({ path: 'a\0b' }).success).toBe(false);
    expect(reviewSchemas.redo.safeParse(undefined).success).toBe(true);
    expect(reviewSchemas.redo.safeParse({ x: 1 }).success).toBe(false);
    expect(auditSchemas.setFilter.safeParse({}).success).toBe(true);
    expect(auditSchemas.setFilter.safeParse({ proposalId: 'p 1' }).success).toBe(false);
  });
});
