// The one Octokit for Rusty: @octokit/rest with throttling (waits out primary and secondary rate
// limits when the wait is short) and retry (5xx and network errors). Auth-agnostic: the caller
// passes a token from VS Code's GitHub sign-in, GITHUB_TOKEN/GH_TOKEN or `gh auth token`.
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { GITHUB_API_URL } from './remote';

export const RustyOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof RustyOctokit>;

export { GITHUB_API_URL } from './remote';

export interface GitHubClientOptions {
  token: string;
  /** `https://HOST/api/v3` for GitHub Enterprise Server; default api.github.com. */
  baseUrl?: string;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** Wait out rate limits and retry server errors (default true; tests turn it off). */
  throttle?: boolean;
  /** Longest rate-limit wait, in seconds, before giving up with a clear error (default 60). */
  maxWaitSeconds?: number;
  /** Retries on a rate limit (default 2). */
  maxRateLimitRetries?: number;
  /** Milliseconds per second of `retry-after` (tests shorten the waits). */
  retryAfterBaseValue?: number;
  /** Told when a request waits for a rate limit. */
  onWait?: (what: 'rate-limit' | 'secondary-rate-limit', seconds: number, route: string) => void;
  userAgent?: string;
}

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const throttle = opts.throttle ?? true;
  const maxWait = opts.maxWaitSeconds ?? 60;
  const maxRetries = opts.maxRateLimitRetries ?? 2;
  const decide = (what: 'rate-limit' | 'secondary-rate-limit') =>
    (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      if (retryCount >= maxRetries || retryAfter > maxWait) return false;
      opts.onWait?.(what, retryAfter, `${options.method ?? ''} ${options.url ?? ''}`.trim());
      return true;
    };
  return new RustyOctokit({
    auth: opts.token,
    baseUrl: (opts.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'rusty',
    request: { ...(opts.fetch ? { fetch: opts.fetch } : {}) },
    // Octokit's console logging would write server text to the terminal raw.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: throttle
      ? {
        onRateLimit: decide('rate-limit'),
        onSecondaryRateLimit: decide('secondary-rate-limit'),
        ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
      }
      : { enabled: false },
    retry: throttle ? { retries: 2 } : { enabled: false },
  } as ConstructorParameters<typeof RustyOctokit>[0]);
}
