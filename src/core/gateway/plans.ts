// Plans: a task as a dependency graph of steps, each producing one proposal. A step is offered
// ("ready") once every step it depends on is applied; a step that carries its edits is queued by
// the gateway as soon as it is ready (search/replace edits are resolved against the files as they
// are then, i.e. after its dependencies were applied). Stored one file per plan in
// gateway/plans/, replaced atomically under the gateway lock.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { ProposalStatus } from '../proposals/model';
import { readStateFile } from '../state/schemas';
import { withLock } from '../state/lock';
import { writeJsonDurable } from '../util/fsx';
import { RustyError } from '../util/errors';
import { newId } from '../util/ids';
import type { TicketState } from './queue';

export const MAX_PLAN_STEPS = 50;
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const STEP_STATES = ['blocked', 'ready', 'queued', 'awaiting-approval', 'applied', 'rejected', 'needs-attention', 'rolled-back', 'dead-letter'] as const;
export type StepState = (typeof STEP_STATES)[number];

const stepSchema = z.looseObject({
  id: z.string().regex(STEP_ID),
  title: z.string(),
  dependsOn: z.array(z.string()),
  /** What the gateway queues when the step is ready ({ kind, payload, title }); absent: the agent submits. */
  submission: z.looseObject({ kind: z.string(), title: z.string().optional(), payload: z.unknown() }).optional(),
  ticket: z.string().optional(),
  proposalId: z.string().optional(),
});
export const planSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  client: z.string(),
  title: z.string(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  createdAt: z.string(),
  steps: z.array(stepSchema),
});
export type Plan = z.infer<typeof planSchema>;
export type PlanStep = z.infer<typeof stepSchema>;

export interface StepProgress { id: string; title: string; dependsOn: string[]; state: StepState; ticket?: string; proposalId?: string; proposalStatus?: ProposalStatus; reason?: string }
export interface PlanProgress { id: string; title: string; client: string; done: number; total: number; complete: boolean; steps: StepProgress[] }

export interface PlanDeps {
  ticket(id: string): TicketState | undefined;
  proposal(id: string): { status: ProposalStatus; statusReason?: string } | undefined;
}

function proposalState(status: ProposalStatus): StepState {
  switch (status) {
    case 'applied': case 'redone': return 'applied';
    case 'pending': case 'approved': case 'partially-approved': case 'partially-applied': case 'applying': return 'awaiting-approval';
    case 'rejected': return 'rejected';
    case 'rolled-back': return 'rolled-back';
    case 'conflicted': case 'stale': case 'failed': return 'needs-attention';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** Check ids, dependencies and cycles; returns a one-line reason or undefined. */
export function planProblem(steps: { id: string; dependsOn: string[] }[]): string | undefined {
  if (!steps.length) return 'a plan needs at least one step';
  if (steps.length > MAX_PLAN_STEPS) return `a plan has at most ${MAX_PLAN_STEPS} steps`;
  const ids = new Set<string>();
  for (const s of steps) {
    if (!STEP_ID.test(s.id)) return `step id ${JSON.stringify(s.id.slice(0, 80))} must be 1–64 letters, digits, '.', '_' or '-'`;
    if (ids.has(s.id)) return `step id ${s.id} is used twice`;
    ids.add(s.id);
  }
  for (const s of steps) {
    for (const d of s.dependsOn) {
      if (!ids.has(d)) return `step ${s.id} depends on ${JSON.stringify(d.slice(0, 80))}, which is not a step of this plan`;
      if (d === s.id) return `step ${s.id} depends on itself`;
    }
  }
  // Kahn's algorithm: what cannot be ordered is on a cycle.
  const indeg = new Map(steps.map((s) => [s.id, s.dependsOn.length]));
  const ready = steps.filter((s) => !s.dependsOn.length).map((s) => s.id);
  let seen = 0;
  while (ready.length) {
    const id = ready.pop()!;
    seen++;
    for (const s of steps) if (s.dependsOn.includes(id)) {
      indeg.set(s.id, indeg.get(s.id)! - 1);
      if (indeg.get(s.id) === 0) ready.push(s.id);
    }
  }
  if (seen < steps.length) return `the steps ${steps.filter((s) => indeg.get(s.id)! > 0).map((s) => s.id).join(', ')} depend on each other in a cycle`;
  return undefined;
}

export class PlanStore {
  constructor(readonly dir: string, readonly lockFile: string, private readonly now: () => Date = () => new Date()) {}

  private file(id: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new RustyError('not-found', `No plan ${JSON.stringify(id.slice(0, 80))}.`);
    return path.join(this.dir, `${id}.json`);
  }

  get(id: string): Plan {
    const r = readStateFile<Plan>(this.file(id), planSchema);
    if (r.status === 'missing') throw new RustyError('not-found', `No plan ${id}; plan_task creates one.`);
    if (r.status === 'corrupt') throw new RustyError('io', `Plan file ${this.file(id)} is damaged (${r.reason}).`);
    return r.value;
  }

  list(): Plan[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names.map((n) => {
      try {
        return this.get(n.slice(0, -5));
      } catch {
        return undefined;
      }
    }).filter((p): p is Plan => !!p);
  }

  create(input: { client: string; title: string; priority: Plan['priority']; steps: PlanStep[] }): Promise<Plan> {
    const problem = planProblem(input.steps);
    if (problem) throw new RustyError('usage', `Invalid plan: ${problem}.`);
    const plan: Plan = { id: newId('plan', this.now()), client: input.client, title: input.title, priority: input.priority, createdAt: this.now().toISOString(), steps: input.steps };
    return withLock(this.lockFile, 'plan', async () => {
      writeJsonDurable(this.file(plan.id), plan);
      return plan;
    });
  }

  update(id: string, fn: (p: Plan) => void): Promise<Plan> {
    return withLock(this.lockFile, 'plan', async () => {
      const p = this.get(id);
      fn(p);
      writeJsonDurable(this.file(id), p);
      return p;
    });
  }

  progress(plan: Plan, deps: PlanDeps): PlanProgress {
    const states = new Map<string, StepProgress>();
    const stateOf = (s: PlanStep): StepProgress => {
      const known = states.get(s.id);
      if (known) return known;
      const base = { id: s.id, title: s.title, dependsOn: s.dependsOn, ...(s.ticket ? { ticket: s.ticket } : {}) };
      let out: StepProgress;
      let proposalId = s.proposalId;
      let ticket: TicketState | undefined;
      if (!proposalId && s.ticket) {
        ticket = deps.ticket(s.ticket);
        if (ticket?.state === 'proposed') proposalId = ticket.proposalId;
      }
      const p = proposalId ? deps.proposal(proposalId) : undefined;
      if (proposalId && p) out = { ...base, proposalId, proposalStatus: p.status, state: proposalState(p.status), ...(p.statusReason ? { reason: p.statusReason } : {}) };
      else if (proposalId) out = { ...base, proposalId, state: 'needs-attention', reason: 'its proposal is gone (removed by gc?)' };
      else if (ticket?.state === 'dead-letter') out = { ...base, state: 'dead-letter', reason: ticket.reason };
      else if (ticket?.state === 'queued') out = { ...base, state: 'queued' };
      else {
        const byId = new Map(plan.steps.map((x) => [x.id, x]));
        const blocked = s.dependsOn.some((d) => stateOf(byId.get(d)!).state !== 'applied');
        out = { ...base, state: blocked ? 'blocked' : 'ready' };
      }
      states.set(s.id, out);
      return out;
    };
    const steps = plan.steps.map(stateOf);
    const done = steps.filter((s) => s.state === 'applied').length;
    return { id: plan.id, title: plan.title, client: plan.client, done, total: steps.length, complete: done === steps.length, steps };
  }
}
