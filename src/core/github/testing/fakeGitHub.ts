// A local HTTP server that answers like GitHub's REST API for the calls Rusty makes and no
// recording covers: git blobs, trees, commits and refs, pulls, labels, check runs and combined
// status (with ETag / 304), and GitHub's documented errors (401, 403 + SSO, 403/429 rate limits
// with x-ratelimit-* and retry-after, 404, 422). State is in memory; blob shas are real git shas.
import * as http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface FakeTreeEntry { mode: string; sha: string }
export interface FakeCommit { sha: string; tree: string; parents: string[]; message: string }
export interface FakePull { number: number; title: string; body: string; head: string; base: string; draft: boolean; labels: string[]; headSha: string }
export interface FakeCheck { name: string; status: 'queued' | 'in_progress' | 'completed'; conclusion?: string | null }
export interface FakeStatus { context: string; state: 'pending' | 'success' | 'failure' | 'error' }
export interface RecordedRequest { method: string; path: string; status: number; headers: http.IncomingHttpHeaders; body: unknown }

/** A canned answer for the next request that matches. */
export interface Fault { method?: string; path: RegExp; status: number; headers?: Record<string, string>; body?: unknown; times?: number }

const gitSha = (type: string, content: Buffer) => createHash('sha1').update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content])).digest('hex');

export class FakeGitHub {
  readonly blobs = new Map<string, Buffer>();
  /** tree sha → flattened path → entry. */
  readonly trees = new Map<string, Map<string, FakeTreeEntry>>();
  readonly commits = new Map<string, FakeCommit>();
  readonly refs = new Map<string, string>();
  readonly pulls: FakePull[] = [];
  readonly checks = new Map<string, FakeCheck[]>();
  readonly statuses = new Map<string, FakeStatus[]>();
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  defaultBranch = 'main';
  token = 'test-token';
  private server?: http.Server;
  url = '';

  constructor(readonly owner = 'owner', readonly repo = 'repo') {}

  /** A repository whose default branch holds `files` (path → text or bytes, optional mode). */
  seed(files: Record<string, string | Buffer | { content: string | Buffer; mode: string }>, branch = this.defaultBranch): string {
    const entries = new Map<string, FakeTreeEntry>();
    for (const [p, v] of Object.entries(files)) {
      const content = typeof v === 'object' && !Buffer.isBuffer(v) ? v.content : v;
      const mode = typeof v === 'object' && !Buffer.isBuffer(v) ? v.mode : '100644';
      entries.set(p, { mode, sha: this.putBlob(Buffer.from(content)) });
    }
    const tree = this.putTree(entries);
    const sha = this.putCommit(tree, [], 'initial');
    this.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  putBlob(b: Buffer): string {
    const sha = gitSha('blob', b);
    this.blobs.set(sha, b);
    return sha;
  }

  private putTree(entries: Map<string, FakeTreeEntry>): string {
    const sorted = [...entries].sort(([a], [b]) => a.localeCompare(b));
    const sha = gitSha('tree', Buffer.from(JSON.stringify(sorted)));
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  private putCommit(tree: string, parents: string[], message: string): string {
    const sha = gitSha('commit', Buffer.from(JSON.stringify({ tree, parents, message, n: this.commits.size })));
    this.commits.set(sha, { sha, tree, parents, message });
    return sha;
  }

  /** path → text of a branch's tree (for assertions). */
  files(branch: string): Map<string, { text: string; bytes: Buffer; mode: string }> {
    const commit = this.commits.get(this.refs.get(`refs/heads/${branch}`) ?? '');
    const out = new Map<string, { text: string; bytes: Buffer; mode: string }>();
    if (!commit) return out;
    for (const [p, e] of this.trees.get(commit.tree)!) {
      const bytes = this.blobs.get(e.sha)!;
      out.set(p, { text: bytes.toString('utf8'), bytes, mode: e.mode });
    }
    return out;
  }

  fail(f: Fault): void {
    this.faults.push({ times: 1, ...f });
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const send = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path: url.pathname, status, headers: req.headers, body });
      const text = data === undefined ? '' : JSON.stringify(data);
      res.writeHead(status, {
        ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-github-api-version-selected': '2022-11-28',
        ...headers,
      });
      res.end(text);
    };
    const fault = this.faults.find((f) => (!f.method || f.method === method) && f.path.test(url.pathname));
    if (fault) {
      if (--fault.times! <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return send(fault.status, fault.body ?? { message: 'fault', documentation_url: 'https://docs.github.com/rest' }, fault.headers);
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}` && auth !== `bearer ${this.token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    const rest = decodeURIComponent(url.pathname.slice(prefix.length));
    const b = (body ?? {}) as Record<string, unknown>;
    const invalid = (message: string, errors?: unknown[]) => send(422, { message, ...(errors ? { errors } : {}), documentation_url: 'https://docs.github.com/rest', status: '422' });
    let m: RegExpExecArray | null;

    if (method === 'GET' && rest === '') {
      return send(200, { id: 1, name: this.repo, full_name: `${this.owner}/${this.repo}`, default_branch: this.defaultBranch, private: false, html_url: `https://github.com/${this.owner}/${this.repo}` });
    }
    if (method === 'GET' && (m = /^\/git\/ref\/(.+)$/.exec(rest))) {
      const sha = this.refs.get(`refs/${m[1]}`);
      return sha ? send(200, { ref: `refs/${m[1]}`, object: { sha, type: 'commit' } }) : send(404, { message: 'Not Found', status: '404' });
    }
    if (method === 'GET' && (m = /^\/git\/commits\/([0-9a-f]{40})$/.exec(rest))) {
      const c = this.commits.get(m[1]!);
      return c ? send(200, { sha: c.sha, tree: { sha: c.tree }, parents: c.parents.map((sha) => ({ sha })), message: c.message }) : send(404, { message: 'Not Found', status: '404' });
    }
    if (method === 'POST' && rest === '/git/blobs') {
      if (typeof b.content !== 'string' || (b.encoding !== 'utf-8' && b.encoding !== 'base64')) return invalid('Invalid request.');
      const sha = this.putBlob(b.encoding === 'base64' ? Buffer.from(b.content, 'base64') : Buffer.from(b.content, 'utf8'));
      return send(201, { sha, url: `${this.url}${prefix}/git/blobs/${sha}` });
    }
    if (method === 'POST' && rest === '/git/trees') {
      const base = typeof b.base_tree === 'string' ? this.trees.get(b.base_tree) : new Map<string, FakeTreeEntry>();
      if (!base || !Array.isArray(b.tree)) return invalid('Invalid tree info');
      const next = new Map(base);
      for (const e of b.tree as { path: string; mode: string; type: string; sha: string | null }[]) {
        if (!['100644', '100755', '040000', '160000', '120000'].includes(e.mode)) return invalid(`Invalid tree mode ${e.mode}`);
        if (e.sha === null) {
          // GitHub answers 422 when asked to delete a path the base tree does not have.
          if (!next.delete(e.path)) return invalid('GitRPC::BadObjectState');
        } else {
          if (!this.blobs.has(e.sha)) return invalid(`tree.sha ${e.sha} is not a valid blob`);
          next.set(e.path, { mode: e.mode, sha: e.sha });
        }
      }
      const sha = this.putTree(next);
      return send(201, { sha, tree: [...next].map(([path, e]) => ({ path, mode: e.mode, type: 'blob', sha: e.sha })), truncated: false });
    }
    if (method === 'POST' && rest === '/git/commits') {
      if (typeof b.tree !== 'string' || !this.trees.has(b.tree) || !Array.isArray(b.parents)) return invalid('Invalid commit');
      const sha = this.putCommit(b.tree, b.parents as string[], String(b.message ?? ''));
      return send(201, { sha, tree: { sha: b.tree }, parents: (b.parents as string[]).map((sha) => ({ sha })), message: b.message });
    }
    if (method === 'POST' && rest === '/git/refs') {
      const ref = String(b.ref ?? '');
      if (!/^refs\/heads\/./.test(ref) || typeof b.sha !== 'string') return invalid('Reference name must start with \'refs/\'');
      if (this.refs.has(ref)) return invalid('Reference already exists');
      if (!this.commits.has(b.sha)) return invalid('Object does not exist');
      this.refs.set(ref, b.sha);
      return send(201, { ref, object: { sha: b.sha, type: 'commit' } });
    }
    if (method === 'POST' && rest === '/pulls') {
      const head = String(b.head ?? '');
      const headSha = this.refs.get(`refs/heads/${head}`);
      if (!headSha || !this.refs.has(`refs/heads/${String(b.base)}`)) return invalid('Validation Failed', [{ resource: 'PullRequest', field: headSha ? 'base' : 'head', code: 'invalid' }]);
      if (this.pulls.some((p) => p.head === head)) return invalid('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${this.owner}:${head}.` }]);
      const pr: FakePull = { number: this.pulls.length + 1, title: String(b.title), body: String(b.body ?? ''), head, base: String(b.base), draft: !!b.draft, labels: [], headSha };
      this.pulls.push(pr);
      return send(201, this.pullJson(pr));
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pr = this.pulls.find((p) => p.number === Number(m![1]));
      return pr ? send(200, this.pullJson(pr)) : send(404, { message: 'Not Found', status: '404' });
    }
    if (method === 'POST' && (m = /^\/issues\/(\d+)\/labels$/.exec(rest))) {
      const pr = this.pulls.find((p) => p.number === Number(m![1]));
      if (!pr) return send(404, { message: 'Not Found', status: '404' });
      for (const l of (b.labels as string[]) ?? []) if (!pr.labels.includes(l)) pr.labels.push(l);
      return send(200, pr.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed' })));
    }
    if (method === 'GET' && (m = /^\/commits\/([^/]+)\/(check-runs|status)$/.exec(rest))) {
      const sha = this.refs.get(`refs/heads/${m[1]}`) ?? m[1]!;
      const data = m[2] === 'check-runs'
        ? { total_count: (this.checks.get(sha) ?? []).length, check_runs: (this.checks.get(sha) ?? []).map((c, i) => ({ id: i + 1, name: c.name, head_sha: sha, status: c.status, conclusion: c.conclusion ?? null, html_url: `https://github.com/${this.owner}/${this.repo}/runs/${i + 1}`, details_url: null })) }
        : this.combinedJson(sha);
      const etag = `W/"${createHash('sha1').update(JSON.stringify(data)).digest('hex')}"`;
      // A conditional request that matches is answered 304 without a body (and is not counted).
      if (req.headers['if-none-match'] === etag) return send(304, undefined, { etag });
      return send(200, data, { etag });
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }

  private combinedJson(sha: string) {
    const st = this.statuses.get(sha) ?? [];
    const state = st.some((s) => s.state === 'failure' || s.state === 'error') ? 'failure' : st.some((s) => s.state === 'pending') || !st.length ? 'pending' : 'success';
    return { state, sha, total_count: st.length, statuses: st.map((s, i) => ({ id: i + 1, context: s.context, state: s.state, target_url: `https://ci.example.com/${i + 1}`, description: null })) };
  }

  private pullJson(pr: FakePull) {
    const web = `https://github.com/${this.owner}/${this.repo}`;
    return {
      number: pr.number, state: 'open', title: pr.title, body: pr.body, draft: pr.draft, merged: false,
      html_url: `${web}/pull/${pr.number}`, url: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${pr.number}`,
      head: { ref: pr.head, sha: pr.headSha }, base: { ref: pr.base, sha: this.refs.get(`refs/heads/${pr.base}`) },
      labels: pr.labels.map((name) => ({ name })),
    };
  }
}

/** Headers GitHub sends with a primary rate limit refusal (`reset` in epoch seconds). */
export function rateLimitHeaders(reset: number): Record<string, string> {
  return { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'core' };
}
