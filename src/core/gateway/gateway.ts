// Rusty's approval gateway: outside agents (Claude Code, Cline, Copilot, scripts) reach the same
// core as the CLI and the extension through MCP tools. What an agent sends becomes a queued
// submission, then a proposal with source `agent:<client>`; nothing is applied without a person's
// approval, except proposal classes the user's policy auto-approves (each such decision audited).
// Transports (stdio, Streamable HTTP) live in transports.ts; the tools in tools.ts.
import * as fs from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { withLock } from '../state/lock';
import type { ModelMetrics } from '../ai/metrics/store';
import type { RustyCore } from '../rustyCore';
import type { ChangeSet } from '../proposals/changeSet';
import type { Proposal, ProposalStatus } from '../proposals/model';
import { PROPOSAL_STATUSES } from '../proposals/model';
import { isRustyError, RustyError } from '../util/errors';
import { ClientRegistry, type AuthenticatedClient } from './clients';
import { GatewayPaths } from './paths';
import { loadGatewayPolicy, PROPOSAL_CLASSES, type GatewayPolicy, type ProposalClass } from './policy';
import { GatewayQueue, PRIORITY_ORDER, type QueueEntry, type TicketState } from './queue';
import { PlanStore, type Plan, type PlanProgress } from './plans';
import { GatewayCallCounter, renderMetrics, type CallOutcome, type MetricsInput } from './metrics';
import { changeSetFromSearchReplace, type SearchReplaceEdit } from './searchReplace';

export const GATEWAY_NAME = 'rusty-gateway';

/**
 * More tools on every client's server. The code-execution feature registers `execute_code` and
 * `search_tools` here; they get the client and the gateway (whose `call` wraps auditing, metrics
 * and the scope check).
 */
export type GatewayToolProvider = (server: McpServer, ctx: { gateway: Gateway; client: AuthenticatedClient }) => void;

export interface GatewayOptions {
  core: RustyCore;
  /** Rusty's version, reported by list_capabilities and get_system_status. */
  version: string;
  /** Queue submissions but do not process them until `queue.resume()` (tests). */
  paused?: boolean;
  now?: () => Date;
  extraTools?: GatewayToolProvider[];
  /** One line per notable event (stderr in the CLI, an output channel in VS Code); already safe text. */
  log?: (line: string) => void;
}

/** Submission payloads by kind (validated by the tools' schemas before they are queued). */
export interface ChangeSetPayload { changeSet: Record<string, unknown> }
export interface SearchReplacePayload { title: string; rationale?: string; edits: SearchReplaceEdit[] }
export interface RefactoringPayload { name: ProposalClass; params: Record<string, unknown> }

/** Statuses after which a person (or the policy) has decided. */
export const DECIDED: readonly ProposalStatus[] = ['applied', 'redone', 'rejected', 'conflicted', 'stale', 'failed', 'rolled-back'];

export class Gateway {
  readonly core: RustyCore;
  readonly paths: GatewayPaths;
  readonly clients: ClientRegistry;
  readonly queue: GatewayQueue;
  readonly plans: PlanStore;
  readonly calls = new GatewayCallCounter();
  readonly version: string;
  readonly extraTools: GatewayToolProvider[];
  policy: GatewayPolicy;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly recent = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;
  private advancing: Promise<void> | undefined;

  constructor(opts: GatewayOptions) {
    this.core = opts.core;
    this.version = opts.version;
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.extraTools = opts.extraTools ?? [];
    this.paths = new GatewayPaths(this.core.stateDir);
    fs.mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    this.clients = new ClientRegistry(this.paths.clients, this.now);
    this.policy = loadGatewayPolicy(this.paths.policy, this.core.wfs.root);
    for (const w of this.policy.warnings) this.log(`rusty gateway: ${w}`);
    this.queue = new GatewayQueue(this.paths.queue, this.paths.lock, (e) => this.process(e), { paused: opts.paused, now: this.now });
    this.queue.onProcessed = () => this.kickPlans();
    this.plans = new PlanStore(this.paths.plans, this.paths.lock, this.now);
  }

  /** Process what a previous run left queued, and move plans forward once a second. */
  start(): void {
    this.queue.kick();
    this.timer ??= setInterval(() => this.kickPlans(), 1000);
    this.timer.unref?.();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.queue.stop();
    await this.queue.idle();
    await this.advancing;
  }

  reloadPolicy(): void {
    this.policy = loadGatewayPolicy(this.paths.policy, this.core.wfs.root);
  }

  /** Per-client calls in the last minute; false when over the policy's limit. */
  allowCall(client: string): boolean {
    const now = Date.now();
    const times = (this.recent.get(client) ?? []).filter((t) => now - t < 60_000);
    if (times.length >= this.policy.ratePerMinute) {
      this.recent.set(client, times);
      return false;
    }
    times.push(now);
    this.recent.set(client, times);
    return true;
  }

  /** Append to the audit log (under the state lock, as every audit write is). */
  async audit(actor: string, action: string, details: Record<string, unknown>, proposalId?: string): Promise<void> {
    try {
      await withLock(this.core.paths.lock, 'gateway-audit', async () => {
        this.core.audit.append({ actor, action, ...(proposalId ? { proposalId } : {}), details });
      });
    } catch (err) {
      this.log(`rusty gateway: could not write the audit log: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Run one tool call for a client: scope check, audit (client, tool, outcome) and metrics. Errors
   * come back as the tool's error result, one actionable sentence.
   */
  async call<T>(client: AuthenticatedClient, tool: string, needs: 'read-only' | 'propose', fn: () => Promise<T>, auditDetails: (r: T) => Record<string, unknown> = () => ({})): Promise<{ ok: true; value: T } | { ok: false; outcome: CallOutcome; code: string; message: string }> {
    const started = Date.now();
    const actor = `agent:${client.name}`;
    let outcome: CallOutcome = 'ok';
    try {
      if (needs === 'propose' && client.scope !== 'propose') {
        outcome = 'refused';
        throw new RustyError('refused', `Client ${client.name} has the read-only scope; ${tool} needs the propose scope (rusty gateway add NAME --scope propose).`);
      }
      const value = await fn();
      await this.audit(actor, 'gateway.call', { client: client.name, tool, outcome, ms: Date.now() - started, ...auditDetails(value) });
      return { ok: true, value };
    } catch (err) {
      const code = isRustyError(err) ? err.code : 'internal';
      if (outcome === 'ok') outcome = code === 'refused' || code === 'path-refused' ? 'refused' : 'error';
      const message = err instanceof Error ? err.message : String(err);
      await this.audit(actor, 'gateway.call', { client: client.name, tool, outcome, code, error: message.slice(0, 500), ms: Date.now() - started });
      return { ok: false, outcome, code, message };
    } finally {
      this.calls.record(tool, client.name, outcome, Date.now() - started);
    }
  }

  /** A call the SDK refused before the tool ran (arguments not matching the schema, unknown tool). */
  async invalidCall(client: AuthenticatedClient, tool: string, message: string): Promise<void> {
    this.calls.record(tool || '(unknown)', client.name, 'invalid', 0);
    await this.audit(`agent:${client.name}`, 'gateway.call', { client: client.name, tool, outcome: 'invalid', error: message.slice(0, 500) });
  }

  /** Record a call refused before it reached a tool (no/wrong token, rate limit, bad host/origin). */
  async refusedRequest(client: string, outcome: CallOutcome, reason: string, transport: '(http)' | '(stdio)' = '(http)'): Promise<void> {
    this.calls.record(transport, client, outcome, 0);
    // Anyone on this machine can send requests: refusals are audited up to 60 a minute per
    // client name (the rest are counted in /metrics), so a flood cannot bloat the audit log.
    if (!this.allowAudit(`refused:${client}`)) return;
    await this.audit(`agent:${client}`, 'gateway.refused', { client, outcome, reason });
  }

  private readonly refusedAudits = new Map<string, { minute: number; n: number }>();

  private allowAudit(key: string): boolean {
    const minute = Math.floor(Date.now() / 60_000);
    const e = this.refusedAudits.get(key);
    if (!e || e.minute !== minute) {
      this.refusedAudits.set(key, { minute, n: 1 });
      return true;
    }
    return ++e.n <= 60;
  }

  // ── Queue processing: every kind ends in core.submit, the one pipeline ───────────────────────

  private adjust(entry: QueueEntry) {
    return (cs: ChangeSet): ChangeSet => ({ ...cs, source: `agent:${entry.client}`, priority: entry.priority });
  }

  private async process(entry: QueueEntry): Promise<{ proposalId: string; existing: boolean; autoApproved?: boolean }> {
    const actor = `agent:${entry.client}`;
    const adjust = this.adjust(entry);
    let result: { proposal: Proposal; existing: boolean };
    let cls: ProposalClass | undefined;
    switch (entry.kind) {
      case 'change-set': {
        const { changeSet } = entry.payload as ChangeSetPayload;
        result = await this.core.submit({ ...changeSet, source: `agent:${entry.client}`, priority: entry.priority }, { actor });
        break;
      }
      case 'search-replace': {
        const p = entry.payload as SearchReplacePayload;
        const cs = await changeSetFromSearchReplace(this.core.wfs, { title: p.title, ...(p.rationale ? { rationale: p.rationale } : {}), source: actor, priority: entry.priority }, p.edits);
        result = await this.core.submit(cs, { actor });
        break;
      }
      case 'refactoring': {
        const p = entry.payload as RefactoringPayload;
        cls = p.name;
        result = await this.refactor(p, adjust, actor);
        break;
      }
      default:
        throw new RustyError('invalid-change-set', `Unknown submission kind ${JSON.stringify(entry.kind).slice(0, 60)}.`);
    }
    const { proposal, existing } = result;
    this.log(`rusty gateway: ${existing ? 'already queued' : 'queued'} proposal ${proposal.id} from ${entry.client}`);
    const autoApproved = !existing && cls !== undefined && await this.autoApprove(proposal, cls, entry.client);
    return { proposalId: proposal.id, existing, ...(autoApproved ? { autoApproved } : {}) };
  }

  private async refactor(p: RefactoringPayload, adjust: (cs: ChangeSet) => ChangeSet, actor: string): Promise<{ proposal: Proposal; existing: boolean }> {
    if (p.name === 'organize-imports') {
      const { ENGINES } = await import('../refactorings/registry');
      const engine = ENGINES.find((e) => e.id === 'organize-imports')!;
      const files = (p.params.files as string[] | undefined);
      const run = await engine.run({ wfs: this.core.wfs, ...(files ? { files } : {}), maxBytes: this.core.settings.maxFileSizeMB * 1024 * 1024 });
      if (!run.changeSet) throw new RustyError('refused', 'Imports are already organized: nothing to propose.');
      return this.core.submit(adjust(run.changeSet), { actor });
    }
    const { proposeRefactoring } = await import('../refactorings/registry');
    return proposeRefactoring(this.core, p.name as never, p.params as never, { adjust, actor });
  }

  /** Apply a proposal of a class the user's policy auto-approves; the decision is audited either way. */
  private async autoApprove(p: Proposal, cls: ProposalClass, client: string): Promise<boolean> {
    if (!this.policy.autoApprove.includes(cls)) return false;
    const policy = this.policy.autoApproveFrom[cls];
    try {
      await this.core.approve(p.id);
      await this.audit('gateway', 'gateway.auto-approved', { class: cls, policy, client }, p.id);
      this.log(`rusty gateway: auto-approved ${p.id} (${cls}, policy ${policy})`);
      return true;
    } catch (err) {
      await this.audit('gateway', 'gateway.auto-approve-failed', { class: cls, policy, client, error: err instanceof Error ? err.message : String(err) }, p.id);
      return false;
    }
  }

  // ── Reads ────────────────────────────────────────────────────────────────────────────────────

  /** A proposal id, or a ticket id (`q…`) resolved to its proposal when it has one. */
  resolve(id: string): { proposal?: Proposal; ticket?: TicketState } {
    if (/^q[0-9a-z]+$/.test(id)) {
      const ticket = this.queue.ticket(id);
      if (!ticket) throw new RustyError('not-found', `No submission ${id}.`);
      if (ticket.state === 'proposed') return { ticket, proposal: this.core.proposals.find(ticket.proposalId) ?? undefined };
      return { ticket };
    }
    return { proposal: this.core.get(id) };
  }

  /** Wait until a person (or the policy) decided, or `seconds` passed. */
  async waitForDecision(id: string, seconds: number, signal?: AbortSignal): Promise<{ proposal?: Proposal; ticket?: TicketState; timedOut: boolean }> {
    const deadline = Date.now() + Math.min(seconds, this.policy.maxWaitSeconds) * 1000;
    let r = this.resolve(id);
    if (r.ticket?.state === 'queued') {
      await this.queue.waitFor(r.ticket.ticket, Math.max(0, deadline - Date.now()), signal);
      r = this.resolve(id);
    }
    while (r.proposal && !DECIDED.includes(r.proposal.status) && Date.now() < deadline && !signal?.aborted) {
      await new Promise((res) => setTimeout(res, Math.min(250, Math.max(0, deadline - Date.now()))));
      r = { ...r, proposal: this.core.get(r.proposal.id) };
    }
    const decided = !!r.proposal && DECIDED.includes(r.proposal.status);
    return { ...r, timedOut: !decided };
  }

  async status(): Promise<Record<string, unknown>> {
    const q = this.queue.read();
    const proposals = this.core.list();
    const byStatus = Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, proposals.filter((p) => p.status === s).length]).filter(([, n]) => n));
    const ordered = this.queue.pending();
    let mcpServers: { configured: { name: string; transport: string; source: string; disabled?: boolean }[]; errors: { server?: string; message: string }[] } | { error: string };
    try {
      // Configured servers (from the same sources `rusty mcp` reads); inputs are not resolved here.
      const { loadMcpConfig } = await import('../mcp/config');
      const cfg = await loadMcpConfig({ workspace: this.core.wfs.root, env: process.env });
      mcpServers = {
        configured: cfg.servers.map((s) => ({ name: s.name, transport: s.transport, source: s.source.kind, ...(s.disabled ? { disabled: true } : {}) })),
        errors: cfg.errors.map((e) => ({ ...(e.server ? { server: e.server } : {}), message: e.message })),
      };
    } catch (err) {
      mcpServers = { error: err instanceof Error ? err.message : String(err) };
    }
    return {
      rusty: this.version,
      workspace: this.core.wfs.root,
      queue: {
        length: ordered.length,
        byPriority: Object.fromEntries(PRIORITY_ORDER.map((p) => [p, ordered.filter((e) => e.priority === p).length])),
        next: ordered.slice(0, 20).map((e, i) => ({ position: i + 1, ticket: e.id, client: e.client, priority: e.priority, kind: e.kind, title: e.title, receivedAt: e.receivedAt })),
        processed: q.done.length,
      },
      deadLetters: q.dead.slice(-50).reverse().map((d) => ({ ticket: d.id, client: d.client, kind: d.kind, title: d.title, failedAt: d.failedAt, code: d.code, reason: d.reason })),
      proposals: { total: proposals.length, byStatus },
      mcpServers,
      engines: await engines(),
      policy: { autoApprove: this.policy.autoApprove, ratePerMinute: this.policy.ratePerMinute, maxRequestBytes: this.policy.maxRequestBytes },
    };
  }

  async metricsText(): Promise<string> {
    const q = this.queue.read();
    let ai: ModelMetrics[] = [];
    try {
      const { MetricsStore } = await import('../ai/metrics/store');
      ai = Object.values(new MetricsStore(this.core.paths.ai).read().models);
    } catch {
      // no AI usage recorded, or the file is damaged (rusty ai stats reports it)
    }
    return renderMetrics({
      proposals: this.core.list(), calls: this.calls, deadLetters: q.dead.length, ai,
      mcpCalls: this.core.auditEntries().filter((e) => e.action === 'mcp.call').map((e) => e.details as MetricsInput['mcpCalls'][number]),
      queued: PRIORITY_ORDER.map((p) => ({ priority: p, count: q.entries.filter((e) => e.priority === p).length })),
    });
  }

  // ── Plans ────────────────────────────────────────────────────────────────────────────────────

  planProgress(plan: Plan): PlanProgress {
    return this.plans.progress(plan, { ticket: (t) => this.queue.ticket(t), proposal: (id) => this.core.proposals.find(id) ?? undefined });
  }

  /** Move every open plan forward (serialized; a call while one runs waits for it). */
  kickPlans(): Promise<void> {
    this.advancing ??= this.advanceAll().catch((err) => this.log(`rusty gateway: plans: ${err instanceof Error ? err.message : String(err)}`)).finally(() => {
      this.advancing = undefined;
    });
    return this.advancing;
  }

  private async advanceAll(): Promise<void> {
    for (const plan of this.plans.list()) {
      const progress = this.planProgress(plan);
      if (progress.complete) continue;
      // Record proposals the queue made for steps, then queue the steps that became ready.
      const learned = progress.steps.filter((s) => s.proposalId && !plan.steps.find((x) => x.id === s.id)!.proposalId);
      if (learned.length) await this.plans.update(plan.id, (p) => {
        for (const s of learned) p.steps.find((x) => x.id === s.id)!.proposalId = s.proposalId;
      });
      for (const s of progress.steps.filter((x) => x.state === 'ready')) {
        const step = plan.steps.find((x) => x.id === s.id)!;
        if (!step.submission || step.ticket) continue;
        const { ticket } = await this.queue.enqueue({
          client: plan.client, priority: plan.priority, kind: step.submission.kind, payload: step.submission.payload,
          title: step.submission.title ?? step.title, plan: { id: plan.id, step: step.id }, idempotencyKey: `plan:${plan.id}:${step.id}`,
        });
        await this.plans.update(plan.id, (p) => {
          p.steps.find((x) => x.id === step.id)!.ticket = ticket;
        });
        await this.audit(`agent:${plan.client}`, 'gateway.plan-step-queued', { plan: plan.id, step: step.id, ticket });
      }
    }
  }
}

/** The deterministic engines the gateway offers, and the TypeScript version they run. */
async function engines(): Promise<Record<string, unknown>> {
  let typescript: string | undefined;
  try {
    const { loadTsMorph } = await import('../util/loadTsMorph');
    typescript = (await loadTsMorph()).ts.version;
  } catch {
    typescript = undefined;
  }
  return { refactorings: [...PROPOSAL_CLASSES], analysis: 'workspace analysis (diagnostics, complexity, unused exports, cycles)', ...(typescript ? { typescript } : {}) };
}
