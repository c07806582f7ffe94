// The sandbox runner: TypeScript → JavaScript → QuickJS (WASM) in a worker thread, with the host
// operations answered here. The one entry point for `rusty run`, skills, the AI agent loop and
// the agent gateway: runCode(source, options) → CodeRunResult. Reads go through the
// EngineContext; writes are captured and become ONE proposal after a successful run; tool calls
// go through the MCP service (its permission gate and audit log).
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { EngineContext } from '../../engine/context';
import type { ChangeSet } from '../../proposals/changeSet';
import type { McpCallOptions, McpCallResult, McpToolInfo, ToolDetail, ToolSearchHit } from '../../mcp/types';
import { toolCategory } from '../../mcp/search/category';
import { ChangeCapture } from '../changes';
import { LruCache } from '../cache';
import type { ScratchStore } from '../state';
import { DEFAULT_LIMITS, type HostToWorker, type SandboxErrorKind, type SandboxLimits, type WorkerInit, type WorkerToHost } from './protocol';
import { transpileScript, TranspileError } from './transpile';
import { sandboxWasm, sandboxWorkerFile } from './workerFile';

/** What code mode needs from the MCP service (McpService implements it). */
export interface CodeModeMcp {
  callTool(server: string, tool: string, args: Record<string, unknown>, opts?: McpCallOptions): Promise<McpCallResult>;
  tools(server?: string): McpToolInfo[];
  searchTools(query: string, opts?: { detail?: ToolDetail; limit?: number; server?: string }): ToolSearchHit[];
  /** True when the gate treats the tool as read-only (allowed without asking, readOnlyHint): its results may be cached. */
  isReadOnly?(server: string, tool: string): boolean;
}

/** The skills a script can list, search and run (see ../skills). */
export interface CodeModeSkills {
  list(): { name: string; description: string; version: string; inputs: unknown }[];
  search(query: string): { name: string; description: string; score: number }[];
  /** The skill's index.ts transpiled to CommonJS-shaped JavaScript. */
  load(name: string): Promise<string>;
}

export interface CodeRunOptions {
  ctx: EngineContext;
  mcp?: CodeModeMcp;
  state?: ScratchStore;
  skills?: CodeModeSkills;
  limits?: Partial<SandboxLimits>;
  /** Shown in error messages and stack traces. */
  fileName?: string;
  /** Modules the script may import (specifier → TypeScript or JavaScript source). */
  modules?: Record<string, string>;
  /** Queues the run's change set as a proposal (RustyCore.submit); without it writes are refused. */
  submit?: (cs: ChangeSet) => Promise<{ id: string; existing?: boolean }>;
  /** Title/rationale/source of the proposal (default: "Changes from script <fileName>", source `codemode`). */
  proposal?: { title?: string; rationale?: string; source?: string };
  signal?: AbortSignal;
}

export interface ToolCallRecord {
  server: string;
  tool: string;
  ok: boolean;
  cached: boolean;
  ms: number;
  /** JSON bytes of the full result (what a direct tool-calling loop would have carried). */
  resultBytes: number;
}

export interface CodeRunResult {
  ok: boolean;
  /** console.log output, capped; ends with a truncation notice when output was dropped. */
  output: string;
  droppedBytes: number;
  error?: { kind: SandboxErrorKind | 'proposal' | 'cancelled'; message: string };
  toolCalls: ToolCallRecord[];
  /** Each call and its full result as JSON text, for the token metrics (never shown to the model). */
  toolResults: string[];
  cache: { hits: number; misses: number };
  /** The queued proposal, when the run succeeded and wrote something. */
  proposal?: { id: string; existing: boolean; files: string[] };
  changeSet?: ChangeSet;
  durationMs: number;
  /** Time until the worker had QuickJS ready and started the script (cold/warm start); the deadline counts from there. */
  startMs: number;
  /** Set once the worker thread has exited (always, when runCode returns). */
  workerExitCode: number;
}

/** Grace after the deadline before a worker that ignores its interrupt is terminated. */
const KILL_GRACE_MS = 50;
/** A worker that has not started the script by then is broken (or the machine is). */
const START_TIMEOUT_MS = 15_000;
const MAX_HOST_ARGS_BYTES = 16 * 1024 * 1024;

const OPS = [
  'callTool', 'workspace.read', 'workspace.list', 'workspace.search', 'workspace.write', 'workspace.delete', 'workspace.rename',
  'state.get', 'state.set', 'skills.list', 'skills.search', 'skills.load', 'search_tools', 'get_tool_docs', 'list_categories',
] as const;
type Op = (typeof OPS)[number];

// ─── workers (one per run; long-lived hosts may keep one spare started in advance) ────────────

type SandboxWorker = Worker & { rustySpare?: boolean };
let keepSpare = false;
let spare: SandboxWorker | undefined;

function newWorker(file: string, wasm: WebAssembly.Module, limits: SandboxLimits): SandboxWorker {
  return new Worker(file, {
    workerData: { wasm },
    // The host side of the worker (message buffers, the WASM memory) stays bounded too.
    resourceLimits: { maxOldGenerationSizeMb: 64 + Math.ceil(limits.memoryBytes / 1048576), maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    stdout: true, stderr: true,
  });
}

function spawnSpare(file: string, wasm: WebAssembly.Module): void {
  if (spare) return;
  const w = newWorker(file, wasm, DEFAULT_LIMITS);
  w.rustySpare = true;
  w.unref();
  w.once('exit', () => { if (spare === w) spare = undefined; });
  spare = w;
}

function takeSpare(limits: SandboxLimits): SandboxWorker | undefined {
  const w = spare;
  if (!w || limits.memoryBytes > DEFAULT_LIMITS.memoryBytes) return undefined;
  spare = undefined;
  return w;
}

/**
 * For long-lived hosts (the agent loop, the gateway, benchmarks): keep one idle worker started in
 * advance, so a run does not wait for a thread to start. The spare is unref'd (never keeps the
 * process alive) and has run nothing; stopSandboxSpare() ends it.
 */
export async function prewarmSandbox(): Promise<void> {
  keepSpare = true;
  const [file, wasm] = await Promise.all([sandboxWorkerFile(), sandboxWasm(), transpileScript('', 'warm.ts')]);
  spawnSpare(file, wasm);
}

export async function stopSandboxSpare(): Promise<void> {
  keepSpare = false;
  const w = spare;
  spare = undefined;
  if (w) await w.terminate();
}

export function resolveLimits(partial: Partial<SandboxLimits> = {}): SandboxLimits {
  const l = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(partial) as [keyof SandboxLimits, number | undefined][]) if (v !== undefined) l[k] = v;
  return l;
}

/** A tool result as the script sees it: structuredContent, else the text blocks' text, else the blocks. */
export function scriptValue(r: McpCallResult): unknown {
  if (r.structuredContent !== undefined) return r.structuredContent;
  const blocks = r.content as { type?: string; text?: string }[];
  if (blocks.length && blocks.every((b) => b.type === 'text' && typeof b.text === 'string')) return blocks.map((b) => b.text).join('\n');
  return r.content;
}

function errorText(r: McpCallResult): string {
  const v = scriptValue(r);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function runCode(source: string, opts: CodeRunOptions): Promise<CodeRunResult> {
  const started = performance.now();
  const limits = resolveLimits(opts.limits);
  const fileName = opts.fileName ?? 'script.ts';
  const result: CodeRunResult = {
    ok: false, output: '', droppedBytes: 0, toolCalls: [], toolResults: [], cache: { hits: 0, misses: 0 }, durationMs: 0, startMs: 0, workerExitCode: 0,
  };
  const fail = (kind: NonNullable<CodeRunResult['error']>['kind'], message: string): CodeRunResult => {
    result.ok = false;
    result.error = { kind, message };
    result.durationMs = performance.now() - started;
    return result;
  };

  let code: string;
  const modules: Record<string, string> = {};
  try {
    code = await transpileScript(source, fileName);
    for (const [name, text] of Object.entries(opts.modules ?? {})) modules[name] = await transpileScript(text, `${name}.ts`);
  } catch (err) {
    if (err instanceof TranspileError) return fail('syntax', err.message);
    throw err;
  }
  const [workerFile, wasm] = await Promise.all([sandboxWorkerFile(), sandboxWasm()]);
  const changes = new ChangeCapture(opts.ctx.fs);
  const cache = new LruCache<McpCallResult>();
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let toolCalls = 0;

  const host: Record<Op, (args: unknown[]) => Promise<unknown> | unknown> = {
    callTool: async ([server, tool, args]) => {
      if (!opts.mcp) throw new Error('no MCP servers are available to this run');
      if (typeof server !== 'string' || typeof tool !== 'string') throw new Error('callTool(server, tool, args) needs the server and tool names as strings');
      if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new Error(`callTool(${JSON.stringify(server)}, ${JSON.stringify(tool)}, args): args must be an object`);
      if (++toolCalls > limits.maxToolCalls) throw new Error(`this run may make at most ${limits.maxToolCalls} tool calls (limit reached)`);
      const readOnly = opts.mcp.isReadOnly?.(server, tool) === true;
      const key = readOnly ? LruCache.key(server, tool, args) : '';
      const t0 = performance.now();
      let r = readOnly ? cache.get(key) : undefined;
      const cached = r !== undefined;
      if (!r) {
        try {
          r = await opts.mcp.callTool(server, tool, args as Record<string, unknown>, { signal: abort.signal });
        } catch (err) {
          result.toolCalls.push({ server, tool, ok: false, cached: false, ms: performance.now() - t0, resultBytes: 0 });
          throw err;
        }
        if (readOnly && !r.isError) cache.set(key, r);
      }
      const json = JSON.stringify({ content: r.content, ...(r.structuredContent !== undefined ? { structuredContent: r.structuredContent } : {}), isError: r.isError });
      result.toolResults.push(JSON.stringify({ server, tool, args }) + '\n' + json);
      result.toolCalls.push({ server, tool, ok: !r.isError, cached, ms: performance.now() - t0, resultBytes: Buffer.byteLength(json) });
      if (r.isError) throw new Error(`${tool} on ${server} returned an error: ${errorText(r)}`);
      return scriptValue(r);
    },
    'workspace.read': async ([p]) => {
      if (typeof p !== 'string') throw new Error('workspace.read(path) needs a path string');
      return (await changes.read(p)) ?? null;
    },
    'workspace.list': async ([o]) => listFiles(opts.ctx, changes, o),
    'workspace.search': async ([q, o]) => searchFiles(opts.ctx, changes, q, o),
    'workspace.write': async ([p, c]) => {
      if (!opts.submit) throw new Error('this run cannot propose changes (no proposal queue)');
      await changes.write(p, c);
      return null;
    },
    'workspace.delete': async ([p]) => {
      if (!opts.submit) throw new Error('this run cannot propose changes (no proposal queue)');
      await changes.delete(p);
      return null;
    },
    'workspace.rename': async ([a, b]) => {
      if (!opts.submit) throw new Error('this run cannot propose changes (no proposal queue)');
      await changes.rename(a, b);
      return null;
    },
    'state.get': ([k]) => {
      if (!opts.state) throw new Error('this run has no state store');
      return opts.state.get(k as string) ?? null;
    },
    'state.set': ([k, v]) => {
      if (!opts.state) throw new Error('this run has no state store');
      opts.state.set(k as string, v);
      return null;
    },
    'skills.list': () => opts.skills?.list() ?? [],
    'skills.search': ([q]) => opts.skills?.search(String(q)) ?? [],
    'skills.load': async ([name]) => {
      if (!opts.skills) throw new Error('no skills are available to this run');
      return opts.skills.load(String(name));
    },
    search_tools: ([q, detail]) => {
      if (!opts.mcp) return [];
      const d = (['name', 'summary', 'full'] as const).find((x) => x === detail) ?? 'summary';
      return opts.mcp.searchTools(String(q), { detail: d, limit: 10 });
    },
    get_tool_docs: ([server, tool]) => {
      const t = opts.mcp?.tools(String(server)).find((x) => x.name === tool);
      if (!t) throw new Error(`no tool ${JSON.stringify(tool)} on server ${JSON.stringify(server)}; find tools with search_tools(query)`);
      return t;
    },
    list_categories: () => listCategories(opts.mcp?.tools() ?? []),
  };

  const init: WorkerInit = {
    code, fileName: fileName.replace(/\.ts$/, '.js'), timeoutMs: limits.timeoutMs,
    limits: { memoryBytes: limits.memoryBytes, stackBytes: limits.stackBytes, maxOutputBytes: limits.maxOutputBytes },
    ops: OPS, modules,
  };
  const worker = takeSpare(limits) ?? newWorker(workerFile, wasm, limits);
  worker.rustySpare = false;
  worker.ref();
  worker.postMessage({ t: 'init', init });
  if (keepSpare) spawnSpare(workerFile, wasm);
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  /** When the worker had QuickJS ready and began the script. */
  let firstMessageAt: number | undefined;

  type Done = Extract<WorkerToHost, { t: 'done' }> | { t: 'killed'; message: string };
  const done = await new Promise<Done>((resolve) => {
    let settled = false;
    const settle = (d: Done) => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      resolve(d);
    };
    // Until the script starts, a start-up guard; then its deadline plus a grace for the interrupt.
    let killer = setTimeout(() => settle({ t: 'done', ok: false, kind: 'internal', message: `the sandbox did not start within ${START_TIMEOUT_MS / 1000} s`, output: { text: '', dropped: 0 } }), START_TIMEOUT_MS);
    abort.signal.addEventListener('abort', () => settle({ t: 'killed', message: 'the run was cancelled' }), { once: true });
    worker.on('message', (m: WorkerToHost) => {
      if (m.t === 'started') {
        firstMessageAt = performance.now();
        clearTimeout(killer);
        killer = setTimeout(() => settle({ t: 'killed', message: 'the script ran past its deadline and did not stop when interrupted; its worker was terminated' }),
          Math.max(0, m.deadline - Date.now()) + KILL_GRACE_MS);
      } else if (m.t === 'call') {
        void answer(m.id, m.op as Op, m.args);
      } else if (m.t === 'done') {
        settle(m);
      }
    });
    worker.on('error', (err) => settle({ t: 'done', ok: false, kind: /memory/i.test(err.message) ? 'memory' : 'internal', message: `the sandbox worker failed: ${err.message}`, output: { text: '', dropped: 0 } }));
    worker.on('exit', () => settle({ t: 'done', ok: false, kind: 'internal', message: 'the sandbox worker stopped unexpectedly', output: { text: '', dropped: 0 } }));

    async function answer(id: number, op: Op, argsJson: string): Promise<void> {
      let reply: HostToWorker;
      try {
        if (!OPS.includes(op)) throw new Error(`unknown operation ${op}`);
        if (argsJson.length > MAX_HOST_ARGS_BYTES) throw new Error(`the arguments of ${op} are over ${MAX_HOST_ARGS_BYTES / 1048576} MB`);
        const args = JSON.parse(argsJson) as unknown[];
        const value = await host[op](Array.isArray(args) ? args : []);
        reply = { t: 'reply', id, ok: true, value: JSON.stringify(value ?? null) };
      } catch (err) {
        reply = { t: 'reply', id, ok: false, message: (err as Error)?.message ?? String(err) };
      }
      if (!settled) worker.postMessage(reply);
    }
  });
  // Terminate whatever the outcome, and wait for the thread to be gone: no stray worker.
  void worker.terminate();
  result.workerExitCode = await exited;
  abort.abort();
  opts.signal?.removeEventListener('abort', onAbort);
  result.startMs = (firstMessageAt ?? performance.now()) - started;
  result.cache = { hits: cache.hits, misses: cache.misses };

  const dropped = done.t === 'done' ? done.output.dropped : 0;
  result.droppedBytes = dropped;
  result.output = (done.t === 'done' ? done.output.text : '') + (dropped ? `[output truncated: ${dropped} more bytes were not kept (limit ${limits.maxOutputBytes} bytes)]\n` : '');
  if (done.t === 'killed') return fail(opts.signal?.aborted ? 'cancelled' : 'timeout', done.message);
  if (!done.ok) return fail(done.kind, done.message);

  const cs = changes.changeSet({
    title: opts.proposal?.title ?? `Changes from script ${fileName}`,
    source: opts.proposal?.source ?? 'codemode',
    ...(opts.proposal?.rationale ? { rationale: opts.proposal.rationale } : {}),
  });
  if (cs && opts.submit) {
    result.changeSet = cs;
    try {
      const p = await opts.submit(cs);
      result.proposal = { id: p.id, existing: !!p.existing, files: cs.edits.map((e) => (e.kind === 'rename' ? `${e.path} → ${e.to}` : e.path)) };
    } catch (err) {
      return fail('proposal', `the script's changes could not be proposed: ${(err as Error).message}`);
    }
  }
  result.ok = true;
  result.durationMs = performance.now() - started;
  return result;
}

// ─── workspace listing and search (inside the roots, with the script's own writes) ────────────

interface ListOptions { glob?: string; prefix?: string; limit?: number }

async function listFiles(ctx: EngineContext, changes: ChangeCapture, raw: unknown): Promise<string[]> {
  const o = (raw && typeof raw === 'object' ? raw : {}) as ListOptions;
  const patterns = [typeof o.glob === 'string' && o.glob ? o.glob : '**/*'];
  if (patterns[0]!.startsWith('/') || patterns[0]!.split('/').includes('..')) throw new Error('workspace.list: the glob must stay inside the workspace');
  const files = new Set(await ctx.fs.list({ patterns }));
  const { added, removed } = changes.listingDelta();
  for (const p of removed) files.delete(p);
  for (const p of added) files.add(p);
  const prefix = typeof o.prefix === 'string' ? o.prefix.replace(/\/?$/, '/') : '';
  const limit = typeof o.limit === 'number' && o.limit > 0 ? o.limit : 10_000;
  return [...files].filter((f) => !prefix || prefix === '/' || f.startsWith(prefix)).sort().slice(0, limit);
}

interface SearchOptions extends ListOptions { regex?: boolean; caseSensitive?: boolean; maxResults?: number }

async function searchFiles(ctx: EngineContext, changes: ChangeCapture, query: unknown, raw: unknown): Promise<{ path: string; line: number; text: string }[]> {
  if (typeof query !== 'string' || !query) throw new Error('workspace.search(query) needs a non-empty string');
  const o = (raw && typeof raw === 'object' ? raw : {}) as SearchOptions;
  const flags = o.caseSensitive ? '' : 'i';
  const re = o.regex ? new RegExp(query, flags) : new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  const max = typeof o.maxResults === 'number' && o.maxResults > 0 ? Math.min(o.maxResults, 10_000) : 200;
  const hits: { path: string; line: number; text: string }[] = [];
  for (const file of await listFiles(ctx, changes, o)) {
    await ctx.tick();
    const text = await changes.read(file);
    if (text === undefined || text.length > 2_000_000 || text.includes('\0')) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!re.test(lines[i]!)) continue;
      hits.push({ path: file, line: i + 1, text: lines[i]!.slice(0, 300) });
      if (hits.length >= max) return hits;
    }
  }
  return hits;
}

function listCategories(tools: McpToolInfo[]): { category: string; count: number; servers: string[] }[] {
  const by = new Map<string, { count: number; servers: Set<string> }>();
  for (const t of tools) {
    const c = toolCategory(t.name, t.annotations);
    const e = by.get(c) ?? { count: 0, servers: new Set<string>() };
    e.count++;
    e.servers.add(t.server);
    by.set(c, e);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([category, e]) => ({ category, count: e.count, servers: [...e.servers].sort() }));
}
