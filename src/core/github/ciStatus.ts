// CI of a pull request's head: its check runs and its combined commit status, polled with ETag
// conditional requests (a 304 Not Modified does not count against the rate limit) until every
// check has finished.
import type { GitHubClient } from './client';
import { githubError, isRequestError } from './errors';

export type CiState = 'pending' | 'success' | 'failure' | 'none';

export interface CiCheck {
  name: string;
  /** queued / in_progress / completed (check runs); pending / success / failure / error (statuses). */
  status: string;
  conclusion?: string;
  url?: string;
  kind: 'check-run' | 'status';
}

export interface CiSnapshot {
  ref: string;
  state: CiState;
  /** Every check has finished (or there is nothing to wait for). */
  done: boolean;
  checks: CiCheck[];
  counts: { total: number; pending: number; passed: number; failed: number };
  /** Requests answered 304 (served from the last answer) in this round. */
  notModified: number;
  at: string;
}

const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'error', 'stale']);

interface Cached<T> { etag: string; data: T }

type CheckRunJson = { name: string; status: string; conclusion: string | null; html_url: string | null; details_url?: string | null };
type StatusJson = { context: string; state: string; target_url: string | null };

/** Check runs and commit statuses (GitHub's JSON) as one list, counts and a verdict. */
export function summarizeCi(ref: string, runs: CheckRunJson[], statuses: StatusJson[]): Omit<CiSnapshot, 'notModified' | 'at'> {
  const checks: CiCheck[] = [
    ...runs.map((c) => ({
      name: c.name, status: c.status, kind: 'check-run' as const,
      ...(c.conclusion ? { conclusion: c.conclusion } : {}),
      ...(c.html_url || c.details_url ? { url: (c.html_url || c.details_url)! } : {}),
    })),
    ...statuses.map((s) => ({
      name: s.context, status: s.state, kind: 'status' as const,
      ...(s.state !== 'pending' ? { conclusion: s.state } : {}),
      ...(s.target_url ? { url: s.target_url } : {}),
    })),
  ];
  let pending = 0;
  let failed = 0;
  let passed = 0;
  for (const c of checks) {
    const finished = c.kind === 'check-run' ? c.status === 'completed' : c.status !== 'pending';
    if (!finished) pending++;
    else if (FAILED.has(c.conclusion ?? '')) failed++;
    else passed++;
  }
  const state: CiState = !checks.length ? 'none' : pending ? 'pending' : failed ? 'failure' : 'success';
  return { ref, state, done: checks.length > 0 && pending === 0, checks, counts: { total: checks.length, pending, passed, failed } };
}

export class CiStatusPoller {
  private runs?: Cached<{ check_runs: CheckRunJson[] }>;
  private combined?: Cached<{ state: string; statuses: StatusJson[] }>;
  /** Total 304 answers so far. */
  notModifiedTotal = 0;
  requests = 0;

  constructor(private readonly gh: GitHubClient, readonly target: { owner: string; repo: string; ref: string }, private readonly now: () => Date = () => new Date()) {}

  private async conditional<T>(what: string, cached: Cached<T> | undefined, fetch: (headers: Record<string, string>) => Promise<{ data: unknown; headers: Record<string, unknown> }>): Promise<{ value: Cached<T>; notModified: boolean }> {
    this.requests++;
    try {
      const r = await fetch(cached ? { 'if-none-match': cached.etag } : {});
      return { value: { etag: String(r.headers.etag ?? ''), data: r.data as T }, notModified: false };
    } catch (err) {
      if (cached && isRequestError(err) && err.status === 304) return { value: cached, notModified: true };
      throw githubError(err, { repo: `${this.target.owner}/${this.target.repo}`, doing: `read ${what} of ${this.target.ref.slice(0, 12)}` });
    }
  }

  /** One round: both endpoints, conditionally. */
  async poll(): Promise<CiSnapshot> {
    const { owner, repo, ref } = this.target;
    const runs = await this.conditional('check runs', this.runs, (headers) => this.gh.rest.checks.listForRef({ owner, repo, ref, per_page: 100, headers }) as never);
    const combined = await this.conditional('commit status', this.combined, (headers) => this.gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref, per_page: 100, headers }) as never);
    this.runs = runs.value;
    this.combined = combined.value;
    const notModified = Number(runs.notModified) + Number(combined.notModified);
    this.notModifiedTotal += notModified;
    return { ...summarizeCi(ref, runs.value.data.check_runs, combined.value.data.statuses), notModified, at: this.now().toISOString() };
  }

  /**
   * Poll until every check has finished, `timeoutMs` passes (with no checks at all, `noChecksMs`),
   * or `signal` fires. Returns the last snapshot.
   */
  async watch(opts: { intervalMs?: number; timeoutMs?: number; noChecksMs?: number; signal?: AbortSignal; onUpdate?: (s: CiSnapshot) => void } = {}): Promise<CiSnapshot> {
    const interval = opts.intervalMs ?? 15_000;
    const started = Date.now();
    for (;;) {
      const s = await this.poll();
      opts.onUpdate?.(s);
      const elapsed = Date.now() - started;
      if (s.done || opts.signal?.aborted) return s;
      if (opts.timeoutMs !== undefined && elapsed >= opts.timeoutMs) return s;
      if (s.state === 'none' && elapsed >= (opts.noChecksMs ?? 120_000)) return s;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, interval);
        opts.signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
      if (opts.signal?.aborted) return s;
    }
  }
}
