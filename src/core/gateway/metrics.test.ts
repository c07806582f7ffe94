import { describe, expect, it } from 'vitest';
import { decisionTimes, GatewayCallCounter, renderMetrics } from './metrics';
import type { Proposal } from '../proposals/model';

const proposal = (id: string, source: string, history: [string, string, string?][]): Proposal => ({
  id, title: id, source, priority: 'normal', createdBy: 'x', createdAt: history[0]![1], updatedAt: history.at(-1)![1],
  status: history.at(-1)![0] as Proposal['status'], fingerprint: id, files: [],
  history: history.map(([status, at, note]) => ({ status: status as Proposal['status'], at, actor: 'x', ...(note ? { note } : {}) })),
});

describe('gateway metrics', () => {
  it('time to decision counts approvals and rejections, not superseded candidates', () => {
    const ps = [
      proposal('a', 'agent:x', [['pending', '2026-01-01T00:00:00Z'], ['approved', '2026-01-01T00:00:30Z'], ['applying', '2026-01-01T00:00:30Z'], ['applied', '2026-01-01T00:00:31Z']]),
      proposal('b', 'agent:x', [['pending', '2026-01-01T00:00:00Z'], ['rejected', '2026-01-01T01:00:00Z', 'no']]),
      proposal('c', 'ai:x', [['pending', '2026-01-01T00:00:00Z'], ['rejected', '2026-01-01T00:00:01Z', 'superseded by a']]),
      proposal('d', 'cli', [['pending', '2026-01-01T00:00:00Z']]),
    ];
    expect(decisionTimes(ps)).toEqual([{ decision: 'approved', seconds: 30 }, { decision: 'rejected', seconds: 3600 }]);
  });

  it('renders valid exposition text: escaped labels, histograms, MCP client calls, AI usage', () => {
    const calls = new GatewayCallCounter();
    calls.record('ping', 'bot "quoted"\\', 'ok', 5);
    calls.record('ping', 'bot "quoted"\\', 'ok', 5);
    const text = renderMetrics({
      proposals: [proposal('a', 'agent:x\nnew', [['pending', '2026-01-01T00:00:00Z'], ['approved', '2026-01-01T00:00:05Z']])],
      calls, queued: [{ priority: 'urgent', count: 2 }], deadLetters: 1,
      ai: [{ provider: 'anthropic', model: 'm', requests: 3, successes: 3, failures: {}, tokensIn: 10, tokensOut: 20, costUsd: 0.5, latenciesMs: [], recent: [], updatedAt: '' }],
      mcpCalls: [{ server: 'fs', tool: 'read', outcome: 'ok', durationMs: 1500 }, { server: 'fs', tool: 'read', outcome: 'ok', durationMs: 500 }],
    });
    expect(text).toContain('rusty_proposals{status="approved",source="agent:x\\nnew"} 1');
    expect(text).toContain('rusty_gateway_calls_total{tool="ping",client="bot \\"quoted\\"\\\\",outcome="ok"} 2');
    expect(text).toContain('rusty_proposal_decision_seconds_bucket{decision="approved",le="10"} 1');
    expect(text).toContain('rusty_proposal_decision_seconds_bucket{decision="approved",le="1"} 0');
    expect(text).toContain('rusty_mcp_client_calls_total{server="fs",tool="read",outcome="ok"} 2');
    expect(text).toContain('rusty_mcp_client_call_seconds_total{server="fs",tool="read",outcome="ok"} 2');
    expect(text).toContain('rusty_ai_tokens_total{provider="anthropic",model="m",direction="out"} 20');
    expect(text).toContain('rusty_ai_cost_usd_total{provider="anthropic",model="m"} 0.5');
    expect(text).toContain('rusty_gateway_queue_entries{priority="urgent"} 2');
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? [0-9.e+-]+)$/);
  });
});
