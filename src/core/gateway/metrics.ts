// /metrics in the Prometheus text exposition format (version 0.0.4). Gateway calls are counted in
// this process; proposals, decisions and AI usage are read from the state folder at each scrape,
// so the numbers are the workspace's, whoever made the proposals.
import type { Proposal } from '../proposals/model';
import type { ModelMetrics } from '../ai/metrics/store';

export type CallOutcome = 'ok' | 'error' | 'invalid' | 'refused' | 'unauthorized' | 'rate-limited';

export class GatewayCallCounter {
  private readonly calls = new Map<string, number>();
  private readonly seconds = new Map<string, number>();

  record(tool: string, client: string, outcome: CallOutcome, durationMs: number): void {
    const key = JSON.stringify([tool, client, outcome]);
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    this.seconds.set(key, (this.seconds.get(key) ?? 0) + durationMs / 1000);
  }

  entries(): { tool: string; client: string; outcome: string; count: number; seconds: number }[] {
    return [...this.calls].map(([k, count]) => {
      const [tool, client, outcome] = JSON.parse(k) as [string, string, string];
      return { tool, client, outcome, count, seconds: this.seconds.get(k) ?? 0 };
    });
  }
}

/** Label values escaped as the format requires (backslash, double quote, newline). */
export function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Seconds from creation to the first approval or rejection, per decided proposal. */
export function decisionTimes(proposals: Proposal[]): { decision: 'approved' | 'rejected'; seconds: number }[] {
  const out: { decision: 'approved' | 'rejected'; seconds: number }[] = [];
  for (const p of proposals) {
    const h = p.history.find((x) => x.status === 'approved' || x.status === 'partially-approved' || (x.status === 'rejected' && !x.note?.startsWith('superseded by')));
    if (!h) continue;
    const seconds = (Date.parse(h.at) - Date.parse(p.createdAt)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) out.push({ decision: h.status === 'rejected' ? 'rejected' : 'approved', seconds });
  }
  return out;
}

const DECISION_BUCKETS = [1, 10, 60, 300, 1800, 3600, 21600, 86400];

export interface MetricsInput {
  proposals: Proposal[];
  calls: GatewayCallCounter;
  queued: { priority: string; count: number }[];
  deadLetters: number;
  ai: ModelMetrics[];
  /** `mcp.call` audit entries' details (Rusty as an MCP client): server, tool, outcome, durationMs. */
  mcpCalls: { server?: unknown; tool?: unknown; outcome?: unknown; durationMs?: unknown }[];
}

export function renderMetrics(m: MetricsInput): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  family('rusty_proposals', 'gauge', 'Proposals in the state folder by status and source.');
  const byStatus = new Map<string, number>();
  for (const p of m.proposals) {
    const k = JSON.stringify([p.status, p.source]);
    byStatus.set(k, (byStatus.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...byStatus].sort()) {
    const [status, source] = JSON.parse(k) as [string, string];
    out.push(`rusty_proposals${labels({ status, source })} ${n}`);
  }

  family('rusty_proposal_decision_seconds', 'histogram', 'Time from a proposal being created to a person approving or rejecting it.');
  const times = decisionTimes(m.proposals);
  for (const decision of ['approved', 'rejected'] as const) {
    const xs = times.filter((t) => t.decision === decision).map((t) => t.seconds);
    for (const le of DECISION_BUCKETS) out.push(`rusty_proposal_decision_seconds_bucket${labels({ decision, le: String(le) })} ${xs.filter((x) => x <= le).length}`);
    out.push(`rusty_proposal_decision_seconds_bucket${labels({ decision, le: '+Inf' })} ${xs.length}`);
    out.push(`rusty_proposal_decision_seconds_sum${labels({ decision })} ${xs.reduce((a, b) => a + b, 0)}`);
    out.push(`rusty_proposal_decision_seconds_count${labels({ decision })} ${xs.length}`);
  }

  family('rusty_gateway_calls_total', 'counter', 'Gateway tool calls by tool, client and outcome (since the gateway started).');
  const calls = m.calls.entries().sort((a, b) => (a.tool + a.client + a.outcome).localeCompare(b.tool + b.client + b.outcome));
  for (const c of calls) out.push(`rusty_gateway_calls_total${labels({ tool: c.tool, client: c.client, outcome: c.outcome })} ${c.count}`);
  family('rusty_gateway_call_seconds_total', 'counter', 'Time spent in gateway tool calls by tool, client and outcome.');
  for (const c of calls) out.push(`rusty_gateway_call_seconds_total${labels({ tool: c.tool, client: c.client, outcome: c.outcome })} ${c.seconds}`);

  family('rusty_gateway_queue_entries', 'gauge', 'Submissions waiting in the gateway queue by priority.');
  for (const q of m.queued) out.push(`rusty_gateway_queue_entries${labels({ priority: q.priority })} ${q.count}`);
  family('rusty_gateway_dead_letters', 'gauge', 'Submissions that failed validation (kept in the dead-letter list).');
  out.push(`rusty_gateway_dead_letters ${m.deadLetters}`);

  family('rusty_mcp_client_calls_total', 'counter', 'Calls Rusty made to MCP servers by server, tool and outcome (from the audit log).');
  const mcp = new Map<string, { n: number; s: number }>();
  for (const c of m.mcpCalls) {
    const k = JSON.stringify([String(c.server ?? ''), String(c.tool ?? ''), String(c.outcome ?? '')]);
    const v = mcp.get(k) ?? { n: 0, s: 0 };
    v.n++;
    v.s += typeof c.durationMs === 'number' ? c.durationMs / 1000 : 0;
    mcp.set(k, v);
  }
  const mcpRows = [...mcp].sort().map(([k, v]) => {
    const [server, tool, outcome] = JSON.parse(k) as [string, string, string];
    return { l: labels({ server, tool, outcome }), ...v };
  });
  for (const r of mcpRows) out.push(`rusty_mcp_client_calls_total${r.l} ${r.n}`);
  family('rusty_mcp_client_call_seconds_total', 'counter', 'Time spent in calls to MCP servers by server, tool and outcome.');
  for (const r of mcpRows) out.push(`rusty_mcp_client_call_seconds_total${r.l} ${r.s}`);

  family('rusty_ai_tokens_total', 'counter', 'AI model tokens by provider, model and direction.');
  for (const a of m.ai) {
    out.push(`rusty_ai_tokens_total${labels({ provider: a.provider, model: a.model, direction: 'in' })} ${a.tokensIn}`);
    out.push(`rusty_ai_tokens_total${labels({ provider: a.provider, model: a.model, direction: 'out' })} ${a.tokensOut}`);
  }
  family('rusty_ai_cost_usd_total', 'counter', 'AI cost in US dollars by provider and model, when the price is known.');
  for (const a of m.ai) out.push(`rusty_ai_cost_usd_total${labels({ provider: a.provider, model: a.model })} ${a.costUsd}`);
  family('rusty_ai_requests_total', 'counter', 'AI model requests by provider and model.');
  for (const a of m.ai) out.push(`rusty_ai_requests_total${labels({ provider: a.provider, model: a.model })} ${a.requests}`);
  return out.join('\n') + '\n';
}
