// GitHub's refusals as one actionable sentence each (RustyError 'github', details.kind), from the
// status, headers and message of Octokit's RequestError.
import { RustyError } from '../util/errors';

export type GitHubErrorKind =
  | 'unauthorized' | 'forbidden' | 'sso-required' | 'protected-branch' | 'branch-exists' | 'repo-not-found'
  | 'not-found' | 'rate-limit' | 'secondary-rate-limit' | 'validation' | 'pr-exists' | 'server' | 'network';

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export interface GitHubErrorContext {
  /** owner/repo */
  repo: string;
  /** What was being done, e.g. "create branch rusty/x". */
  doing: string;
  /** The branch being created, for 'branch-exists'. */
  branch?: string;
  /** API base URL, named when it cannot be reached. */
  baseUrl?: string;
  now?: () => Date;
}

function header(e: RequestErrorLike, name: string): string | undefined {
  const v = e.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
}

/** GitHub's message (and the messages of its `errors` list), one line, without the docs URL. */
export function serverMessage(e: RequestErrorLike): string {
  const data = e.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const parts: string[] = [];
  if (data && typeof data.message === 'string') parts.push(data.message);
  if (data && Array.isArray(data.errors)) {
    for (const x of data.errors) {
      const m = typeof x === 'string' ? x : x && typeof x === 'object' && typeof (x as { message?: unknown }).message === 'string' ? (x as { message: string }).message : undefined;
      if (m) parts.push(m);
    }
  }
  if (!parts.length && e.message) parts.push(e.message.replace(/ - https:\/\/docs\.github\.com\S*/, ''));
  return parts.join(': ').replace(/\s+/g, ' ').trim().slice(0, 300);
}

function resetTime(e: RequestErrorLike, now: Date): string {
  const reset = Number(header(e, 'x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return 'when the hour is up';
  const at = new Date(reset * 1000);
  const minutes = Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 60_000));
  return `at ${at.toISOString().replace(/\.\d{3}Z$/, 'Z')} (in ${minutes} minute${minutes === 1 ? '' : 's'})`;
}

export function isRequestError(err: unknown): err is RequestErrorLike & Error {
  return err instanceof Error && typeof (err as RequestErrorLike).status === 'number';
}

/** A RustyError('github') saying what went wrong and what to do; other errors pass through. */
export function githubError(err: unknown, ctx: GitHubErrorContext): unknown {
  if (err instanceof RustyError) return err;
  if (!isRequestError(err)) return err;
  const e = err as RequestErrorLike;
  // @octokit/request reports a failed fetch as status 500 without a response.
  if (!e.response) return new RustyError('github', `Could not ${ctx.doing}: cannot reach ${ctx.baseUrl ?? 'GitHub'} (${(err.message || 'network error').slice(0, 200)}). Check the network, proxy or GitHub Enterprise URL.`, { kind: 'network' });
  const status = e.status!;
  const msg = serverMessage(e);
  const now = (ctx.now ?? (() => new Date()))();
  const fail = (kind: GitHubErrorKind, text: string, extra: Record<string, unknown> = {}) =>
    new RustyError('github', `Could not ${ctx.doing}: ${text}`, { kind, status, ...(msg ? { github: msg } : {}), ...extra });
  if (status === 401) return fail('unauthorized', 'GitHub rejected the token (401 Bad credentials). Sign in again (`gh auth login`, or VS Code\'s Accounts menu) or set a valid GITHUB_TOKEN.');
  if ((status === 403 || status === 429) && header(e, 'x-ratelimit-remaining') === '0') {
    return fail('rate-limit', `the GitHub API rate limit is used up; it resets ${resetTime(e, now)}. Try again then.`, { reset: Number(header(e, 'x-ratelimit-reset')) || undefined });
  }
  if (status === 429 || (status === 403 && (/secondary rate limit|abuse/i.test(msg) || header(e, 'retry-after') !== undefined))) {
    const after = Number(header(e, 'retry-after'));
    return fail('secondary-rate-limit', `GitHub's secondary rate limit stopped the request (too many requests or writes in a short time). Wait ${Number.isFinite(after) && after > 0 ? `${after} seconds` : 'a minute'} and try again; open fewer pull requests at once.`, Number.isFinite(after) ? { retryAfter: after } : {});
  }
  if (status === 403 && header(e, 'x-github-sso')) {
    const url = /url=(\S+)/.exec(header(e, 'x-github-sso')!)?.[1];
    return fail('sso-required', `the organization uses SAML single sign-on and the token is not authorized for it. ${url ? `Authorize it at ${url}` : 'Authorize the token for the organization (GitHub → Settings → Tokens → Configure SSO)'}, then try again.`, url ? { ssoUrl: url } : {});
  }
  if ((status === 403 || status === 422) && /protected branch|branch protection|rule violation|ruleset|restricted/i.test(msg)) {
    return fail('protected-branch', `a branch protection rule or ruleset of ${ctx.repo} refuses it (${msg}). Ask an admin, or pass --branch with a name the rules allow.`);
  }
  if (status === 403) return fail('forbidden', `the token may not write to ${ctx.repo} (403: ${msg || 'Forbidden'}). It needs the \`repo\` scope (classic token) or Contents and Pull requests write access (fine-grained token or GitHub App).`);
  if (status === 404) {
    return fail('repo-not-found', `${ctx.repo} was not found, or the token cannot see it (404). Check the remote URL and that the token has access to private repositories.`);
  }
  if (status === 422 && /reference already exists/i.test(msg)) {
    return fail('branch-exists', `branch ${ctx.branch ?? ''} already exists on ${ctx.repo}. Pass --branch NAME for another name, or delete the old branch.`.replace('branch  already', 'the branch already'));
  }
  if (status === 422 && /pull request already exists/i.test(msg)) return fail('pr-exists', `a pull request for this branch already exists on ${ctx.repo}.`);
  if (status === 422) return fail('validation', `GitHub refused the request (422: ${msg || 'Validation Failed'}).`);
  if (status >= 500) return fail('server', `GitHub answered ${status} (${msg || 'server error'}); try again in a moment.`);
  return fail('validation', `GitHub answered ${status}${msg ? `: ${msg}` : ''}.`);
}
