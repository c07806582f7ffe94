// The gateway's MCP tools and resources, registered on one McpServer per connected client (the
// client's name and scope are fixed for the connection). Every call goes through Gateway.call:
// scope check, audit with the client's name, metrics. Inputs are zod schemas (the SDK refuses
// what does not match before a handler runs); deeper checks give one actionable sentence.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import * as path from 'node:path';
import { PRIORITIES, type Priority } from '../proposals/changeSet';
import { PROPOSAL_STATUSES } from '../proposals/model';
import { relPathProblem } from '../proposals/paths';
import { RustyError } from '../util/errors';
import { workspaceReader } from '../engine/context';
import type { AuthenticatedClient } from './clients';
import { GATEWAY_NAME, type Gateway } from './gateway';
import { PROPOSAL_CLASSES, type ProposalClass } from './policy';
import type { TicketState } from './queue';
import { searchReplaceEditSchema } from './searchReplace';
import { proposalSummary, proposalView } from './view';
import { MAX_PLAN_STEPS } from './plans';

const relPath = z.string().min(1).max(1000).superRefine((p, ctx) => {
  const problem = relPathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(p.slice(0, 200))} ${problem}` });
});
const pos = z.number().int().min(1);
const position = z.object({ line: pos, column: pos }).strict();
const identifier = z.string().min(1).max(200);

/** Parameters of each refactoring (lines and columns 1-based, paths workspace-relative). */
export const REFACTORING_PARAMS: Record<ProposalClass, z.ZodType> = {
  'organize-imports': z.object({ files: z.array(relPath).min(1).max(10_000).optional() }).strict(),
  'fix-all': z.object({ code: z.number().int().min(1).max(999_999), file: relPath.optional() }).strict(),
  rename: z.object({ file: relPath, line: pos, column: pos, newName: identifier, inComments: z.boolean().optional(), inStrings: z.boolean().optional() }).strict(),
  'extract-function': z.object({ file: relPath, start: position, end: position, name: identifier, scope: z.union([z.literal('module'), z.number().int().min(0)]).optional() }).strict(),
  move: z.object({ from: relPath, to: relPath }).strict(),
  'inline-variable': z.object({ file: relPath, line: pos, column: pos }).strict(),
  'remove-unused-export': z.object({ file: relPath, name: identifier }).strict(),
};

/** The engine's own parameter shape (positions as { line, column }). */
function engineParams(name: ProposalClass, p: Record<string, unknown>): Record<string, unknown> {
  if (name === 'rename' || name === 'inline-variable') {
    const { line, column, ...rest } = p;
    return { ...rest, at: { line, column } };
  }
  return p;
}

function parseParams(name: ProposalClass, params: unknown): Record<string, unknown> {
  const r = REFACTORING_PARAMS[name].safeParse(params ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
  throw new RustyError('usage', `Invalid params for ${name} — ${issues.slice(0, 5).join('; ')}`);
}

const priority = z.enum(PRIORITIES).optional().describe('urgent, high, normal (default) or low; the queue takes higher first, then arrival order');
const idempotencyKey = z.string().min(1).max(200).optional().describe('a replayed submission with the same key returns the first one\'s result');
const waitSeconds = (dflt: number) => z.number().min(0).max(3600).optional().describe(`seconds to wait (default ${dflt})`);

function text(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

type Needs = 'read-only' | 'propose';

export function createGatewayServer(gw: Gateway, client: AuthenticatedClient): McpServer {
  const server = new McpServer({ name: GATEWAY_NAME, version: gw.version }, {
    capabilities: { tools: {}, resources: {} },
    instructions: 'Rusty is the approval gateway of this workspace: what you submit becomes a proposal that a person reviews; nothing is written until they approve it. Submit with submit_change_set or propose_refactoring, then call get_proposal with wait to learn the decision.',
  });

  const tool = <S extends z.ZodObject>(name: string, description: string, needs: Needs, schema: S, fn: (args: z.infer<S>, signal: AbortSignal) => Promise<unknown>, audit?: (r: unknown) => Record<string, unknown>) => {
    server.registerTool(name, {
      description,
      inputSchema: schema,
      annotations: { readOnlyHint: needs === 'read-only', destructiveHint: false, openWorldHint: false },
    }, (async (args: z.infer<S>, extra: { signal: AbortSignal }) => {
      const r = await gw.call(client, name, needs, () => fn(args, extra.signal), audit);
      return r.ok ? text(r.value) : { isError: true, content: [{ type: 'text', text: `${r.code}: ${r.message}` }] };
    }) as never);
  };

  /** Queue a submission, wait up to `wait` seconds for its proposal, and describe where it is. */
  const submitAndWait = async (s: { kind: string; title?: string; payload: unknown; priority?: Priority; idempotencyKey?: string; plan?: { id: string; step: string } }, wait: number, signal: AbortSignal) => {
    const { ticket, replayed } = await gw.queue.enqueue({ client: client.name, priority: s.priority ?? 'normal', kind: s.kind, payload: s.payload, ...(s.title ? { title: s.title } : {}), ...(s.idempotencyKey ? { idempotencyKey: s.idempotencyKey } : {}), ...(s.plan ? { plan: s.plan } : {}) });
    const state = await gw.queue.waitFor(ticket, wait * 1000, signal);
    return describeTicket(gw, state, replayed);
  };

  tool('ping', 'Check the gateway is up and see who you are connected as.', 'read-only', z.object({}).strict(), async () =>
    ({ pong: true, gateway: GATEWAY_NAME, version: gw.version, client: client.name, scope: client.scope, time: new Date().toISOString() }));

  tool('list_capabilities', 'What this gateway offers: tools, the refactorings and their parameters, submission formats, priorities and the auto-approve policy.', 'read-only', z.object({}).strict(), async () => ({
    client: client.name, scope: client.scope,
    tools: TOOLS,
    refactorings: Object.fromEntries(PROPOSAL_CLASSES.map((n) => [n, z.toJSONSchema(REFACTORING_PARAMS[n])])),
    submissions: {
      changeSet: 'DESIGN.md change set: { title, rationale?, edits: [{ path, kind: modify|create|delete|rename, baseHash (sha256 hex of the current bytes), content, to }] }; source is set to agent:<client>',
      searchReplace: '{ title, edits: [{ path, search, replace, all? } | { path, create } | { path, delete: true }] } against the files as they are when the submission is processed',
    },
    priorities: ['urgent', 'high', 'normal', 'low'],
    autoApprove: gw.policy.autoApprove,
    approval: 'Nothing is applied until a person approves it in VS Code or with `rusty approve`, except classes listed in autoApprove.',
    ...(gw.extraTools.length ? { extensions: 'more tools are registered by Rusty features (e.g. execute_code, search_tools)' } : {}),
  }));

  tool('get_system_status', 'The queue (by priority, next entries), dead letters with reasons, proposals by status, configured MCP servers, engines and versions.', 'read-only', z.object({}).strict(), () => gw.status());

  tool('analyze', 'Analyze the workspace and return the summary and the findings for a path (diagnostics, complexity hot spots, unused exports and files, import cycles).', 'read-only', z.object({
    path: relPath.optional().describe('a file or folder (workspace-relative); default: the whole workspace'),
    syntactic: z.boolean().optional().describe('fast pass without the type checker'),
    limit: z.number().int().min(1).max(1000).optional().describe('findings per kind (default 100)'),
  }).strict(), async (a, signal) => analyzePath(gw, a.path, !!a.syntactic, a.limit ?? 100, signal));

  tool('propose_refactoring', `Run one of Rusty's deterministic refactorings (${PROPOSAL_CLASSES.join(', ')}) and queue its proposal for review. Lines and columns are 1-based.`, 'propose', z.object({
    refactoring: z.enum(PROPOSAL_CLASSES),
    params: z.record(z.string(), z.unknown()).optional().describe('see list_capabilities.refactorings'),
    priority, idempotencyKey, wait: waitSeconds(60),
  }).strict(), async (a, signal) => {
    const params = engineParams(a.refactoring, parseParams(a.refactoring, a.params));
    return submitAndWait({ kind: 'refactoring', title: a.refactoring, payload: { name: a.refactoring, params }, priority: a.priority, idempotencyKey: a.idempotencyKey }, a.wait ?? 60, signal);
  }, auditTicket);

  tool('submit_change_set', 'Submit a change for review: a change set (DESIGN.md format) or search/replace edits against the current files. Returns the proposal once validated (or the queue ticket and position). Nothing is written until a person approves.', 'propose', z.object({
    changeSet: z.looseObject({ title: z.string(), edits: z.array(z.unknown()) }).optional(),
    title: z.string().min(1).max(200).optional().describe('with edits'),
    rationale: z.string().max(20_000).optional(),
    edits: z.array(searchReplaceEditSchema).min(1).max(1000).optional(),
    plan: z.object({ id: z.string().min(1).max(100), step: z.string().min(1).max(64) }).strict().optional().describe('the plan step this change carries out (it must be ready)'),
    priority, idempotencyKey, wait: waitSeconds(30),
  }).strict(), async (a, signal) => {
    if (!!a.changeSet === !!a.edits) throw new RustyError('usage', 'Send either changeSet or edits (with title), not both and not neither.');
    if (a.edits && !a.title) throw new RustyError('usage', 'A title is required with edits.');
    if (a.plan) await requireReadyStep(gw, client, a.plan);
    const sub = a.changeSet
      ? { kind: 'change-set', title: a.changeSet.title, payload: { changeSet: a.changeSet } }
      : { kind: 'search-replace', title: a.title!, payload: { title: a.title!, ...(a.rationale ? { rationale: a.rationale } : {}), edits: a.edits! } };
    const out = await submitAndWait({ ...sub, priority: a.priority ?? (a.changeSet?.priority as Priority | undefined), idempotencyKey: a.idempotencyKey, ...(a.plan ? { plan: a.plan } : {}) }, a.wait ?? 30, signal);
    if (a.plan && typeof out.ticket === 'string') {
      const plan = a.plan;
      await gw.plans.update(plan.id, (p) => {
        const step = p.steps.find((s) => s.id === plan.step)!;
        step.ticket ??= out.ticket as string;
      });
    }
    return out;
  }, auditTicket);

  tool('get_proposal', 'A proposal (or a submission ticket) with its status, diff, impact and the events you can react to (rejection reason, conflicts). With wait, waits up to that many seconds for the human decision.', 'read-only', z.object({
    id: z.string().min(1).max(100).describe('proposal id, or the ticket submit_change_set returned'),
    wait: waitSeconds(0),
    diff: z.boolean().optional().describe('include the unified diff (default true)'),
  }).strict(), async (a, signal) => {
    const r = a.wait ? await gw.waitForDecision(a.id, a.wait, signal) : { ...gw.resolve(a.id), timedOut: false };
    if (!r.proposal) return { ...describeTicket(gw, r.ticket, false), ...(a.wait ? { timedOut: r.timedOut } : {}) };
    const view = proposalView(r.proposal, gw.core.auditEntries({ proposalId: r.proposal.id }), { diff: a.diff });
    return { ...view, ...(r.ticket ? { ticket: r.ticket.ticket } : {}), ...(a.wait ? { decided: !r.timedOut, timedOut: r.timedOut } : {}) };
  });

  tool('list_proposals', 'Proposals, pending first by priority; filter by status, by source, or only yours.', 'read-only', z.object({
    status: z.array(z.enum(PROPOSAL_STATUSES)).optional(),
    mine: z.boolean().optional().describe(`only proposals from agent:${client.name}`),
    source: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }).strict(), async (a) => {
    let list = gw.core.list(a.status);
    if (a.mine) list = list.filter((p) => p.source === `agent:${client.name}`);
    if (a.source) list = list.filter((p) => p.source === a.source);
    return { total: list.length, proposals: list.slice(0, a.limit ?? 100).map(proposalSummary) };
  });

  tool('auto_fix', "Turn a file's fixable TypeScript diagnostics into proposals (one per diagnostic code, TypeScript's fix-all for that code in that file).", 'propose', z.object({
    file: relPath, priority, idempotencyKey, wait: waitSeconds(60),
  }).strict(), async (a, signal) => {
    const codes = await fixableCodes(gw, a.file, signal);
    if (!codes.length) return { file: a.file, fixable: [], proposals: [], message: 'No diagnostics with an automatic fix in this file.' };
    const results = [];
    for (const code of codes) {
      const payload = { name: 'fix-all', params: { code, file: a.file } };
      results.push({ code, ...await submitAndWait({ kind: 'refactoring', title: `fix-all TS${code}`, payload, priority: a.priority, ...(a.idempotencyKey ? { idempotencyKey: `${a.idempotencyKey}:${code}` } : {}) }, a.wait ?? 60, signal) });
    }
    return { file: a.file, fixable: codes, proposals: results };
  });

  const stepSchema = z.object({
    id: z.string().min(1).max(64),
    title: z.string().min(1).max(200),
    dependsOn: z.array(z.string().max(64)).max(MAX_PLAN_STEPS).optional(),
    edits: z.array(searchReplaceEditSchema).min(1).max(1000).optional().describe('search/replace edits queued when the step is ready'),
    refactoring: z.object({ name: z.enum(PROPOSAL_CLASSES), params: z.record(z.string(), z.unknown()).optional() }).strict().optional(),
  }).strict();
  tool('plan_task', 'Create a plan (steps with dependencies, each producing one proposal; a step is offered once the steps it depends on are applied) or, with planId, get its progress per step.', 'read-only', z.object({
    planId: z.string().min(1).max(100).optional(),
    title: z.string().min(1).max(200).optional(),
    steps: z.array(stepSchema).min(1).max(MAX_PLAN_STEPS).optional(),
    priority,
  }).strict(), async (a) => {
    if (a.planId) {
      if (a.steps) throw new RustyError('usage', 'Send planId to read progress, or title and steps to create a plan, not both.');
      await gw.kickPlans();
      return gw.planProgress(gw.plans.get(a.planId));
    }
    if (client.scope !== 'propose') throw new RustyError('refused', `Client ${client.name} has the read-only scope; creating a plan needs the propose scope.`);
    if (!a.title || !a.steps) throw new RustyError('usage', 'A new plan needs a title and steps.');
    const steps = a.steps.map((s) => {
      if (s.edits && s.refactoring) throw new RustyError('usage', `Step ${s.id}: give edits or a refactoring, not both.`);
      const submission = s.edits
        ? { kind: 'search-replace', title: s.title, payload: { title: s.title, edits: s.edits } }
        : s.refactoring
          ? { kind: 'refactoring', title: s.title, payload: { name: s.refactoring.name, params: engineParams(s.refactoring.name, parseParams(s.refactoring.name, s.refactoring.params)) } }
          : undefined;
      return { id: s.id, title: s.title, dependsOn: s.dependsOn ?? [], ...(submission ? { submission } : {}) };
    });
    const plan = await gw.plans.create({ client: client.name, title: a.title, priority: a.priority ?? 'normal', steps });
    await gw.kickPlans();
    return gw.planProgress(gw.plans.get(plan.id));
  });

  // Resources: the proposals and the audit tail.
  const resource = async (name: string, uri: string, fn: () => Promise<unknown>) => {
    const r = await gw.call(client, `resource:${name}`, 'read-only', fn);
    if (!r.ok) throw new RustyError(r.code as never, r.message);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(r.value, null, 2) }] };
  };
  server.registerResource('proposals', 'rusty://proposals', { description: 'All proposals (summaries), pending first', mimeType: 'application/json' },
    (uri) => resource('proposals', uri.href, async () => gw.core.list().map(proposalSummary)));
  server.registerResource('proposal', new ResourceTemplate('rusty://proposals/{id}', {
    list: async () => ({ resources: gw.core.list(['pending', 'conflicted']).slice(0, 200).map((p) => ({ uri: `rusty://proposals/${p.id}`, name: p.id, title: p.title, mimeType: 'application/json' })) }),
  }), { description: 'One proposal with its diff, impact and events', mimeType: 'application/json' },
  (uri, vars) => resource('proposal', uri.href, async () => {
    const p = gw.core.get(String(vars.id));
    return proposalView(p, gw.core.auditEntries({ proposalId: p.id }));
  }));
  server.registerResource('audit-tail', 'rusty://audit/tail', { description: 'The last 100 audit log entries', mimeType: 'application/json' },
    (uri) => resource('audit-tail', uri.href, async () => gw.core.auditEntries().slice(-100)));

  for (const extra of gw.extraTools) extra(server, { gateway: gw, client });
  return server;
}

/** Tools and the scope each needs (list_capabilities). */
const TOOLS: Record<string, string> = {
  ping: 'read-only', list_capabilities: 'read-only', get_system_status: 'read-only', analyze: 'read-only',
  propose_refactoring: 'propose', submit_change_set: 'propose', get_proposal: 'read-only', list_proposals: 'read-only',
  auto_fix: 'propose', plan_task: 'read-only (propose to create a plan)',
};

function auditTicket(r: unknown): Record<string, unknown> {
  const v = r as { ticket?: string; proposalId?: string; state?: string };
  return { ...(v.ticket ? { ticket: v.ticket } : {}), ...(v.proposalId ? { proposalId: v.proposalId } : {}), ...(v.state ? { state: v.state } : {}) };
}

export function describeTicket(gw: Gateway, t: TicketState | undefined, replayed: boolean): Record<string, unknown> {
  if (!t) return { state: 'unknown' };
  const base = { ticket: t.ticket, state: t.state, ...(replayed ? { replayed: true } : {}) };
  switch (t.state) {
    case 'queued': return { ...base, position: t.position, priority: t.entry.priority, next: `call get_proposal with id ${t.ticket} (and wait) to follow it` };
    case 'dead-letter': return { ...base, code: t.code, reason: t.reason };
    case 'proposed': {
      const p = gw.core.proposals.find(t.proposalId);
      return { ...base, proposalId: t.proposalId, existing: t.existing, ...(t.autoApproved ? { autoApproved: true } : {}), ...(p ? { proposal: proposalSummary(p) } : {}), next: `a person reviews it; call get_proposal with id ${t.proposalId} and wait to learn the decision` };
    }
  }
}

async function requireReadyStep(gw: Gateway, client: AuthenticatedClient, ref: { id: string; step: string }): Promise<void> {
  const plan = gw.plans.get(ref.id);
  if (plan.client !== client.name) throw new RustyError('refused', `Plan ${ref.id} belongs to another client.`);
  const step = gw.planProgress(plan).steps.find((s) => s.id === ref.step);
  if (!step) throw new RustyError('not-found', `Plan ${ref.id} has no step ${JSON.stringify(ref.step)}.`);
  if (step.state !== 'ready') throw new RustyError('bad-state', `Step ${ref.step} of plan ${ref.id} is ${step.state}; it is offered once the steps it depends on are applied.`);
  if (plan.steps.find((s) => s.id === ref.step)?.submission) throw new RustyError('bad-state', `Step ${ref.step} carries its own edits; the gateway queues it.`);
}

function within(file: string | null, prefix: string | undefined): boolean {
  if (!prefix) return true;
  return !!file && (file === prefix || file.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

async function openAnalysis(gw: Gateway, syntactic: boolean, signal: AbortSignal) {
  const { AnalysisSession } = await import('../analysis');
  return AnalysisSession.open({
    fs: workspaceReader(gw.core.wfs, signal), mode: syntactic ? 'syntactic' : 'auto',
    cacheDir: path.join(gw.core.stateDir, 'analysis'), maxBytes: gw.core.settings.maxFileSizeMB * 1024 * 1024, signal,
  });
}

async function analyzePath(gw: Gateway, prefix: string | undefined, syntactic: boolean, limit: number, signal: AbortSignal) {
  const session = await openAnalysis(gw, syntactic, signal);
  const r = session.report();
  const diagnostics = r.diagnostics.filter((d) => within(d.file, prefix));
  return {
    path: prefix ?? '.', summary: r.summary,
    diagnostics: { total: diagnostics.length, items: diagnostics.slice(0, limit) },
    hotSpots: r.functions.filter((f) => within(f.file, prefix)).slice(0, limit),
    unusedExports: r.unusedExports.filter((u) => within(u.file, prefix)).slice(0, limit),
    unusedFiles: r.unusedFiles.filter((f) => within(f, prefix)).slice(0, limit),
    cycles: r.cycles.filter((c) => c.some((f) => within(f, prefix))).slice(0, limit),
  };
}

/** Diagnostic codes in `file` for which TypeScript has a code fix. */
async function fixableCodes(gw: Gateway, file: string, signal: AbortSignal): Promise<number[]> {
  if (!await gw.core.wfs.read(file)) throw new RustyError('not-found', `${file} does not exist in the workspace.`);
  const session = await openAnalysis(gw, false, signal);
  const diagnostics = session.report().diagnostics.filter((d) => d.file === file);
  // Only codes whose fixes really edit code here (a fix-all, or single quick fixes): not every code
  // TypeScript registers a fix for (TS2307's fix installs a package).
  const verdicts = await session.codeFixes({ diagnostics, signal });
  const counts = new Map<number, number>();
  for (const d of diagnostics) if ((verdicts[`TS${d.code}`] ?? 'none') !== 'none') counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
}

/**
 * Connect a client's server to its transport so that calls the SDK refuses before any handler runs
 * (arguments that do not match the tool's schema, unknown tools) are audited and counted too: the
 * transport is wrapped to pair each tools/call request with its response.
 */
export async function connectAudited(server: McpServer, transport: Transport, gw: Gateway, client: AuthenticatedClient): Promise<void> {
  const pending = new Map<string | number, string>();
  const wrapped = new Proxy(transport, {
    set(target, prop, value) {
      if (prop === 'onmessage' && typeof value === 'function') {
        target.onmessage = (msg: JSONRPCMessage, extra?: unknown) => {
          const m = msg as { id?: string | number; method?: string; params?: { name?: unknown } };
          if (m.method === 'tools/call' && m.id !== undefined) pending.set(m.id, String(m.params?.name ?? '').slice(0, 100));
          (value as (msg: JSONRPCMessage, extra?: unknown) => void)(msg, extra);
        };
        return true;
      }
      return Reflect.set(target, prop, value);
    },
    get(target, prop) {
      if (prop === 'send') {
        return async (msg: JSONRPCMessage, opts?: unknown) => {
          const m = msg as { id?: string | number; result?: { isError?: boolean; content?: { text?: string }[] }; error?: { message?: string } };
          const tool = m.id !== undefined ? pending.get(m.id) : undefined;
          if (tool !== undefined) {
            pending.delete(m.id!);
            const text = m.error?.message ?? (m.result?.isError ? m.result.content?.[0]?.text ?? '' : '');
            if (m.error || /^MCP error -?\d+:/.test(text)) await gw.invalidCall(client, tool, text);
          }
          return target.send(msg, opts as never);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  await server.connect(wrapped);
}
