// Benchmark (not a test): the MCP permission gate's check() and the tool index's search().
//
//   node scripts/bench/build.mjs && node dist/bench/mcp-gate-search.mjs
//
// Gate: a 50-rule policy (exact and glob rules over 20 servers, user and workspace), 40 grants
// present (timed in the shared file + session), 100,000 checks over 2,000 (server, tool) pairs —
// rule hits (deny/allow/ask), grant hits, annotation decisions and misses — each timed on its
// own; median and p99 against the 10 µs target. A cold row clears the cache before every check
// (the first check of a pair after a policy change) for the worst case.
// Search: 1,000 generated tools (20 servers × 50), 1,000 varied queries (exact names, words,
// phrases, prefixes, typos, description words, server filters) at `summary` detail; p50/p95
// against the 2 ms target.
//
// Knobs (environment): BENCH_GATE_CHECKS (100000), BENCH_SEARCH_QUERIES (1000), BENCH_SEED.
// Prints a table, writes dist/bench/mcp-gate-search.json, exits 0 (targets are reported, not asserted).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { GrantStore, loadPolicy, PermissionGate, policyFilePath } from '../../src/core/mcp/policy';
import { ToolIndex } from '../../src/core/mcp/search';
import type { McpToolAnnotations, McpToolInfo, PolicyRule } from '../../src/core/mcp/types';
import { intFromEnv, rng } from './benchEnv';

const CONFIG = {
  checks: intFromEnv('BENCH_GATE_CHECKS', 100_000, 1000),
  coldChecks: 10_000,
  queries: intFromEnv('BENCH_SEARCH_QUERIES', 1000, 100),
  seed: intFromEnv('BENCH_SEED', 0x6a7e, 0),
  gateTargetNs: 10_000,
  searchTargetMs: 2,
  servers: 20,
  toolsPerServer: 50,
} as const;

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url));

// ─── helpers ────────────────────────────────────────────────────────────────────────────────

const rand = rng(CONFIG.seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function quantile(sorted: Float64Array | number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function sortedCopy(xs: Float64Array): Float64Array {
  return Float64Array.from(xs).sort();
}

// ─── a realistic tool universe ──────────────────────────────────────────────────────────────

const SERVER_NAMES = ['github', 'gitlab', 'filesystem', 'memory', 'postgres', 'sqlite', 'slack', 'jira', 'linear', 'notion',
  'google-drive', 'gmail', 'calendar', 'puppeteer', 'playwright', 'docker', 'kubernetes', 'aws', 'sentry', 'stripe'];
const VERBS = ['get', 'list', 'search', 'create', 'update', 'delete', 'read', 'write', 'run', 'find', 'add', 'remove',
  'fetch', 'move', 'archive', 'describe', 'query', 'trigger', 'upload', 'download'];
const NOUNS = ['issue', 'pull_request', 'file', 'directory', 'entity', 'relation', 'observation', 'table', 'row', 'schema',
  'message', 'channel', 'user', 'comment', 'project', 'page', 'database', 'document', 'folder', 'event', 'container', 'image',
  'pod', 'deployment', 'bucket', 'object', 'alert', 'invoice', 'customer', 'subscription', 'branch', 'commit', 'tag', 'label',
  'workflow', 'job', 'screenshot', 'element', 'query_result', 'snapshot'];
const ADJ = ['all', 'recent', 'multiple', 'single', 'detailed', 'raw', 'remote', 'local', 'archived', 'shared'];
const PHRASES = ['from the workspace', 'in the repository', 'for the current user', 'with pagination support',
  'including metadata', 'matching a filter expression', 'by its identifier', 'in the knowledge graph',
  'on the cluster', 'using the REST API', 'as JSON', 'with retries on transient errors'];

function annotationsFor(verb: string): McpToolAnnotations {
  if (['delete', 'remove', 'archive'].includes(verb)) return { readOnlyHint: false, destructiveHint: true };
  if (['get', 'list', 'search', 'read', 'find', 'fetch', 'describe', 'query', 'download'].includes(verb)) return { readOnlyHint: true, destructiveHint: false };
  return { readOnlyHint: false, destructiveHint: false };
}

function generateTools(): McpToolInfo[] {
  const tools: McpToolInfo[] = [];
  for (let s = 0; s < CONFIG.servers; s++) {
    const server = SERVER_NAMES[s]!;
    const names = new Set<string>();
    while (names.size < CONFIG.toolsPerServer) {
      const verb = pick(VERBS);
      const noun = pick(NOUNS);
      const style = rand();
      // Mixed naming styles, as real servers use: snake_case, kebab-case, camelCase, prefixed.
      const base = `${verb}_${rand() < 0.3 ? `${pick(ADJ)}_` : ''}${noun}${rand() < 0.4 ? 's' : ''}`;
      const name = style < 0.6 ? base : style < 0.75 ? base.replace(/_/g, '-') : style < 0.9 ? base.replace(/_(.)/g, (_m, c: string) => c.toUpperCase()) : `${server.split('-')[0]}_${base}`;
      if (names.has(name)) continue;
      names.add(name);
      const words = base.replace(/_/g, ' ');
      const description = `${words[0]!.toUpperCase()}${words.slice(1)} ${pick(PHRASES)}. ${pick(['Returns', 'Accepts', 'Supports'])} ${pick(ADJ)} ${pick(NOUNS).replace(/_/g, ' ')}s ${pick(PHRASES)}; ${pick(PHRASES)}.`;
      tools.push({
        server,
        name,
        title: words.replace(/\b\w/g, (c) => c.toUpperCase()),
        description,
        inputSchema: { type: 'object', properties: { id: { type: 'string' }, limit: { type: 'number' } }, required: ['id'] },
        annotations: annotationsFor(verb),
      });
    }
  }
  return tools;
}

// ─── gate benchmark ─────────────────────────────────────────────────────────────────────────

function fiftyRules(tools: McpToolInfo[]): { workspace: PolicyRule[]; user: PolicyRule[] } {
  const workspace: PolicyRule[] = [
    { server: '*', tool: 'delete_*', decision: 'deny' },
    { server: '*', tool: 'remove*', decision: 'deny' },
    { server: '*', tool: 'get_*', decision: 'allow' },
    { server: '*', tool: 'list_*', decision: 'allow' },
    { server: 'git*', tool: 'create_*', decision: 'ask' },
    { server: 'aws', tool: '*', decision: 'ask' },
    { server: '{postgres,sqlite}', tool: 'query*', decision: 'ask' },
    { server: 'kubernetes', tool: '*pod*', decision: 'deny' },
  ];
  const user: PolicyRule[] = [{ server: 'slack', tool: '*', decision: 'ask' }, { server: '*', tool: '*archive*', decision: 'deny' }];
  // 40 exact rules on real tool names, spread over servers, some with glob servers.
  for (let i = 0; workspace.length + user.length < 50; i++) {
    const t = tools[(i * 37) % tools.length]!;
    const rule: PolicyRule = { server: i % 5 === 0 ? '*' : t.server, tool: t.name, decision: pick(['allow', 'allow', 'ask', 'deny'] as const) };
    (i % 4 === 0 ? user : workspace).push(rule);
  }
  return { workspace, user };
}

interface GateResult { medianNs: number; p99Ns: number; meanNs: number; coldMedianNs: number; coldP99Ns: number; timerNs: number; mix: Record<string, number> }

function benchGate(tools: McpToolInfo[], tmp: string): GateResult {
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
  const rules = fiftyRules(tools);
  fs.writeFileSync(policyFilePath(ws), `// bench policy\n${JSON.stringify({ trustedServers: ['filesystem', 'memory', 'git*'], rules: rules.workspace }, null, 2)}\n`);
  const { policy, errors } = loadPolicy(ws, { rules: rules.user, trustedServers: ['sentry'] });
  if (errors.length) throw new Error(`bench policy has errors: ${errors.join('; ')}`);
  const grants = new GrantStore(path.join(tmp, 'state', 'mcp-grants.json'));
  const gate = new PermissionGate({ workspace: ws, policy, grants });
  for (let i = 0; i < 40; i++) {
    const t = tools[(i * 53 + 11) % tools.length]!;
    if (i % 2 === 0) grants.add(t.server, t.name, 'timed', 30);
    else grants.add(t.server, t.name, 'session');
  }
  // 2,000 pairs: the 1,000 generated tools plus as many unknown ones (no rule, no grant).
  const pairs: { server: string; tool: string; annotations?: McpToolAnnotations; trusted: boolean }[] = [];
  for (const t of tools) pairs.push({ server: t.server, tool: t.name, ...(t.annotations ? { annotations: t.annotations } : {}), trusted: rand() < 0.3 });
  for (let i = 0; pairs.length < 2000; i++) pairs.push({ server: pick(SERVER_NAMES), tool: `unknown_tool_${i}`, trusted: false });

  const sequence = Array.from({ length: CONFIG.checks }, () => pairs[Math.floor(rand() * pairs.length)]!);
  const mix: Record<string, number> = {};
  for (const p of sequence) {
    const d = gate.check(p.server, p.tool, p.annotations, p.trusted);
    const key = d.grantId ? 'grant' : d.rule ? `rule-${d.rule.decision}` : `no-rule-${d.decision}`;
    mix[key] = (mix[key] ?? 0) + 1;
  }

  // Timer cost, to read the numbers against.
  const timer = new Float64Array(10_000);
  for (let i = 0; i < timer.length; i++) {
    const a = process.hrtime.bigint();
    timer[i] = Number(process.hrtime.bigint() - a);
  }
  const timerNs = quantile(sortedCopy(timer), 0.5);

  // Warm (the sequence above already warmed the JIT and the cache), each call timed.
  const samples = new Float64Array(sequence.length);
  let sink = 0;
  for (let i = 0; i < sequence.length; i++) {
    const p = sequence[i]!;
    const a = process.hrtime.bigint();
    const d = gate.check(p.server, p.tool, p.annotations, p.trusted);
    samples[i] = Number(process.hrtime.bigint() - a);
    sink += d.decision.length;
  }
  // Cold: the cache is dropped before each check, as right after a policy edit.
  const cold = new Float64Array(CONFIG.coldChecks);
  for (let i = 0; i < cold.length; i++) {
    const p = sequence[i % sequence.length]!; // BENCH_GATE_CHECKS may be smaller than the cold run
    gate.setPolicy(policy);
    const a = process.hrtime.bigint();
    const d = gate.check(p.server, p.tool, p.annotations, p.trusted);
    cold[i] = Number(process.hrtime.bigint() - a);
    sink += d.decision.length;
  }
  if (sink === 0) throw new Error('unreachable');
  const s = sortedCopy(samples);
  const c = sortedCopy(cold);
  return {
    medianNs: quantile(s, 0.5),
    p99Ns: quantile(s, 0.99),
    meanNs: samples.reduce((x, y) => x + y, 0) / samples.length,
    coldMedianNs: quantile(c, 0.5),
    coldP99Ns: quantile(c, 0.99),
    timerNs,
    mix,
  };
}

// ─── search benchmark ───────────────────────────────────────────────────────────────────────

function typo(word: string): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(rand() * (word.length - 2));
  return rand() < 0.5 ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function generateQueries(tools: McpToolInfo[]): { query: string; server?: string; kind: string }[] {
  const out: { query: string; server?: string; kind: string }[] = [];
  while (out.length < CONFIG.queries) {
    const t = pick(tools);
    const words = t.title!.toLowerCase().split(' ');
    const r = rand();
    if (r < 0.2) out.push({ query: t.name, kind: 'exact name' });
    else if (r < 0.35) out.push({ query: pick([...VERBS, ...NOUNS]).replace(/_/g, ' '), kind: 'one word' });
    else if (r < 0.55) out.push({ query: `${pick(VERBS)} ${pick(NOUNS).replace(/_/g, ' ')}`, kind: 'verb + noun' });
    else if (r < 0.7) out.push({ query: t.name.slice(0, 3 + Math.floor(rand() * 4)), kind: 'name prefix' });
    else if (r < 0.8) out.push({ query: words.map(typo).join(' '), kind: 'typo' });
    else if (r < 0.9) out.push({ query: t.description!.split(' ').slice(2, 6).join(' '), kind: 'description words' });
    else out.push({ query: pick(words), server: t.server, kind: 'server filter' });
  }
  return out;
}

interface SearchResult { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; buildMs: number; replaceServerMs: number; emptyHits: number; exactFirst: number; exactTotal: number }

function benchSearch(tools: McpToolInfo[]): SearchResult {
  const index = new ToolIndex();
  let t0 = performance.now();
  for (const server of SERVER_NAMES) index.setServerTools(server, tools.filter((t) => t.server === server));
  const buildMs = performance.now() - t0;
  if (index.size !== tools.length) throw new Error(`index holds ${index.size} tools, expected ${tools.length}`);

  const queries = generateQueries(tools);
  for (const q of queries.slice(0, 200)) index.search(q.query, { detail: 'summary', ...(q.server ? { server: q.server } : {}) });

  const samples = new Float64Array(queries.length);
  let emptyHits = 0;
  let exactFirst = 0;
  let exactTotal = 0;
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    const a = performance.now();
    const hits = index.search(q.query, { detail: 'summary', ...(q.server ? { server: q.server } : {}) });
    samples[i] = performance.now() - a;
    if (hits.length === 0) emptyHits++;
    if (q.kind === 'exact name') {
      exactTotal++;
      if (hits[0]?.name === q.query) exactFirst++;
    }
  }
  // Incremental update: one server's 50 tools replaced (descriptions changed).
  const server = SERVER_NAMES[3]!;
  const changed = tools.filter((t) => t.server === server).map((t) => ({ ...t, description: `${t.description} Updated.` }));
  t0 = performance.now();
  index.setServerTools(server, changed);
  const replaceServerMs = performance.now() - t0;

  const s = sortedCopy(samples);
  return { p50Ms: quantile(s, 0.5), p95Ms: quantile(s, 0.95), p99Ms: quantile(s, 0.99), maxMs: s[s.length - 1]!, buildMs, replaceServerMs, emptyHits, exactFirst, exactTotal };
}

// ─── report ─────────────────────────────────────────────────────────────────────────────────

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-mcp-'));
  try {
    const tools = generateTools();
    console.log(`mcp-gate-search: ${tools.length} tools on ${CONFIG.servers} servers; ${CONFIG.checks.toLocaleString('en')} gate checks, ${CONFIG.queries} queries (node ${process.version}, ${os.cpus().length} CPUs)`);
    const gate = benchGate(tools, tmp);
    const search = benchSearch(tools);

    const widths = [44, 12, 12, 10, 16];
    const lines = [
      row(['measure', 'median/p50', 'p99 / p95', 'target', 'ratio to target'], widths),
      row(['gate check(), warm (ns per call)', gate.medianNs.toFixed(0), gate.p99Ns.toFixed(0), '10000', `${(gate.medianNs / CONFIG.gateTargetNs).toFixed(4)} / ${(gate.p99Ns / CONFIG.gateTargetNs).toFixed(4)}`], widths),
      row(['gate check(), cold cache (ns per call)', gate.coldMedianNs.toFixed(0), gate.coldP99Ns.toFixed(0), '10000', `${(gate.coldMedianNs / CONFIG.gateTargetNs).toFixed(4)} / ${(gate.coldP99Ns / CONFIG.gateTargetNs).toFixed(4)}`], widths),
      row(['searchTools, 1,000 tools (ms per query)', search.p50Ms.toFixed(3), search.p95Ms.toFixed(3), '2 (p95)', `${(search.p50Ms / CONFIG.searchTargetMs).toFixed(3)} / ${(search.p95Ms / CONFIG.searchTargetMs).toFixed(3)}`], widths),
    ];
    console.log('');
    for (const l of lines) console.log(`  ${l}`);
    console.log('');
    console.log(`  gate: p99 column is p99 for check() rows, p95 for search; timer overhead ≈ ${gate.timerNs.toFixed(0)} ns per sample is included; mean ${gate.meanNs.toFixed(0)} ns`);
    console.log(`  gate decision mix: ${Object.entries(gate.mix).sort().map(([k, v]) => `${k} ${((v / CONFIG.checks) * 100).toFixed(1)}%`).join(', ')}`);
    console.log(`  search: p99 ${search.p99Ms.toFixed(3)} ms, max ${search.maxMs.toFixed(3)} ms; index build ${search.buildMs.toFixed(1)} ms; replace one server's 50 tools ${search.replaceServerMs.toFixed(2)} ms`);
    console.log(`  search: exact-name queries ranked first ${search.exactFirst}/${search.exactTotal}; queries with no hit ${search.emptyHits}`);
    const gateMet = gate.p99Ns < CONFIG.gateTargetNs;
    const searchMet = search.p95Ms < CONFIG.searchTargetMs;
    console.log(`  targets: permission check < 10 µs ${gateMet ? 'met' : 'MISSED'} (p99); searchTools p95 < 2 ms ${searchMet ? 'met' : 'MISSED'}`);

    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 'mcp-gate-search.json'), `${JSON.stringify({ config: CONFIG, gate, search, targets: { gateMet, searchMet } }, null, 2)}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
