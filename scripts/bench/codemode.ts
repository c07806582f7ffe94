// Benchmark (not a test): code mode against a direct tool-calling loop, on a fixed workflow over
// server-filesystem and server-memory: read 30 files, keep those that mention "MATCH", create one
// memory entity per match.
//   1. Model-visible tokens (gpt-tokenizer, o200k_base). Code mode: the script the model writes,
//      the docs of the two tools it asked for (get_tool_docs), and what the script printed. Direct
//      loop: every tool schema + every call and full result, re-sent on each turn as a chat API
//      requires (the goal: ≥ 99 % fewer); the once-only sum is printed too, as a lower bound.
//   2. Sandbox start: cold (first run in the process: TypeScript, worker code, WASM compile) and
//      warm (later runs; with and without a spare worker started in advance).
//   3. callTool overhead inside the sandbox against a direct McpService.callTool, per call.
//
//   node scripts/bench/build.mjs && node dist/bench/codemode.mjs
//
// Knobs (environment): BENCH_CM_WARM_RUNS (10), BENCH_CM_CALLS (200), BENCH_KEEP=1 (keep the temp folder).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { McpService } from '../../src/core/mcp/service';
import { createEngineContext } from '../../src/core/engine/context';
import { NodeWorkspaceFs } from '../../src/core/ports/nodeWorkspaceFs';
import { prewarmSandbox, runCode, stopSandboxSpare, type CodeRunOptions } from '../../src/core/codemode';
import { countTokens } from '../../src/core/ai/router/tokens';
import { toolSchemasText } from '../../src/core/codemode/metrics';
import { intFromEnv, rng } from './benchEnv';

const WARM_RUNS = intFromEnv('BENCH_CM_WARM_RUNS', 10, 2);
const CALLS = intFromEnv('BENCH_CM_CALLS', 200, 10);
const GOAL = 0.99;

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url)); // dist/bench when bundled
const REPO_ROOT = path.resolve(OUT_DIR, '..', '..');
const pkg = (name: string) => path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');
const JSON_OUT = path.join(OUT_DIR, 'codemode.json');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

/** 30 files of 2–4 KB of prose; every third one mentions MATCH. */
function writeFiles(dir: string): string[] {
  const random = rng(13);
  const words = ['alpha', 'beta', 'gamma', 'delta', 'review', 'proposal', 'sandbox', 'server', 'memory', 'file', 'token', 'change', 'audit', 'workspace', 'script'];
  const files: string[] = [];
  for (let i = 0; i < 30; i++) {
    const size = 2048 + Math.floor(random() * 2048);
    let text = `# Note ${i}\n`;
    while (text.length < size) text += Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(' ') + '.\n';
    if (i % 3 === 0) text += 'This note is a MATCH.\n';
    const file = path.join(dir, `note-${String(i).padStart(2, '0')}.md`);
    fs.writeFileSync(file, text);
    files.push(file);
  }
  return files;
}

async function main(): Promise<void> {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-codemode-')));
  const ws = path.join(tmp, 'ws');
  const data = path.join(ws, 'notes');
  fs.mkdirSync(path.join(ws, '.rusty'), { recursive: true });
  fs.mkdirSync(data);
  const files = writeFiles(data);
  fs.writeFileSync(path.join(ws, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: '*', tool: '*', decision: 'allow' }] }));
  const memoryFile = path.join(tmp, 'memory.json');
  const service = await McpService.create({
    workspace: ws, stateDir: path.join(tmp, 'state'), env: { ...process.env, MEMORY_FILE_PATH: memoryFile }, actor: 'bench', home: tmp,
    settings: {
      importFrom: [],
      servers: {
        filesystem: { type: 'stdio', command: process.execPath, args: [pkg('server-filesystem'), data] },
        memory: { type: 'stdio', command: process.execPath, args: [pkg('server-memory')], env: { MEMORY_FILE_PATH: memoryFile } },
      },
    },
    client: { pingIntervalMs: 0 },
  });
  const ctx = createEngineContext(new NodeWorkspaceFs(ws));
  const opts: CodeRunOptions = { ctx, mcp: service, limits: { timeoutMs: 60_000, maxToolCalls: 10_000 } };
  try {
    await service.start();
    const tools = service.tools();

    // ─── 2. sandbox start ───────────────────────────────────────────────────────────────────
    const t0 = performance.now();
    const cold = await runCode('console.log("ready")', opts);
    const coldTotal = performance.now() - t0;
    const warmStart: number[] = [];
    const warmTotal: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      const r = await runCode('console.log("ready")', opts);
      warmTotal.push(performance.now() - t);
      warmStart.push(r.startMs);
    }
    await prewarmSandbox();
    await new Promise((r) => setTimeout(r, 500));
    const spareStart: number[] = [];
    const spareTotal: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      const r = await runCode('console.log("ready")', opts);
      spareTotal.push(performance.now() - t);
      spareStart.push(r.startMs);
      await new Promise((res) => setTimeout(res, 300)); // let the next spare start, as between a model's turns
    }
    await stopSandboxSpare();

    // ─── 1. the workflow, in code mode ─────────────────────────────────────────────────────
    const script = [
      `const dir = ${JSON.stringify(data)};`,
      "const listing = await callTool('filesystem', 'list_directory', { path: dir });",
      "const names = listing.content.split('\\n').filter((l) => l.startsWith('[FILE]')).map((l) => l.slice(7));",
      'const matches = [];',
      'for (const name of names) {',
      "  const file = await callTool('filesystem', 'read_text_file', { path: dir + '/' + name });",
      "  if (file.content.includes('MATCH')) matches.push(name);",
      '}',
      'for (const name of matches) {',
      "  await callTool('memory', 'create_entities', { entities: [{ name, entityType: 'note', observations: ['mentions MATCH'] }] });",
      '}',
      "console.log(`${names.length} files read, ${matches.length} matched: ${matches.join(', ')}`);",
    ].join('\n');
    const run = await runCode(script, opts);
    if (!run.ok) throw new Error(`the workflow script failed: ${run.error?.message}`);
    const docs = ['read_text_file', 'list_directory', 'create_entities'].map((name) => tools.find((t) => t.name === name)!);
    const codeTokens = (await countTokens(script)) + (await countTokens(run.output)) + (await countTokens(JSON.stringify(docs)));

    // The direct loop: one model turn per call; each turn re-sends the schemas and the history.
    const schemaTokens = await countTokens(toolSchemasText(tools));
    let history = 0;
    let directCumulative = 0;
    for (const r of run.toolResults) {
      directCumulative += schemaTokens + history;
      history += await countTokens(r);
    }
    directCumulative += schemaTokens + history; // the final answer's turn
    const directOnce = schemaTokens + history;
    const saved = 1 - codeTokens / directCumulative;

    // ─── 3. callTool overhead ──────────────────────────────────────────────────────────────
    // Alternating rounds (which side goes first flips), so server warm-up and machine drift hit both.
    const target = JSON.stringify(files[1]);
    const sandboxRounds: number[] = [];
    const directRounds: number[] = [];
    const viaSandbox = async () => {
      const empty = await runCode(`for (let i = 0; i < ${CALLS}; i++) {}`, opts);
      const loop = await runCode(`for (let i = 0; i < ${CALLS}; i++) await callTool('filesystem', 'read_text_file', { path: ${target} });`, opts);
      sandboxRounds.push((loop.durationMs - loop.startMs - (empty.durationMs - empty.startMs)) / CALLS);
    };
    const viaDirect = async () => {
      const d0 = performance.now();
      for (let i = 0; i < CALLS; i++) await service.callTool('filesystem', 'read_text_file', { path: files[1]! });
      directRounds.push((performance.now() - d0) / CALLS);
    };
    for (let round = 0; round < 4; round++) {
      if (round % 2) { await viaDirect(); await viaSandbox(); } else { await viaSandbox(); await viaDirect(); }
    }
    const sandboxPerCall = median(sandboxRounds);
    const directPerCall = median(directRounds);

    // ─── 4. Deadline overrun (the escape suite's "within deadline + 100 ms", measured here, not in tests) ──
    const overruns: number[] = [];
    for (const hostile of ['for (;;) {}', 'const f = async () => { for (;;) await null; }; await f();', 'let a = []; for (;;) a.push(new Array(1e5).fill(1));']) {
      for (let i = 0; i < 3; i++) {
        const r = await runCode(hostile, { ...opts, limits: { timeoutMs: 300 } });
        overruns.push(r.durationMs - r.startMs - 300);
      }
    }
    const overrunMax = Math.max(...overruns);

    const result = {
      overrun: { deadlineMs: 300, medianMs: median(overruns), maxMs: overrunMax, goalMs: 100, met: overrunMax <= 100 },
      workflow: { files: files.length, matches: run.output.trim(), toolCalls: run.toolCalls.length },
      tokens: { codeMode: codeTokens, directLoop: directCumulative, directOnce, saved, savedVsOnce: 1 - codeTokens / directOnce, goal: GOAL, met: saved >= GOAL },
      start: { coldMs: cold.startMs, coldTotalMs: coldTotal, warmMedianMs: median(warmStart), warmTotalMedianMs: median(warmTotal), spareMedianMs: median(spareStart), spareTotalMedianMs: median(spareTotal) },
      callTool: { calls: CALLS, sandboxMs: sandboxPerCall, directMs: directPerCall, ratio: sandboxPerCall / directPerCall },
    };
    fs.writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    console.log([
      `Code mode vs direct tool calls — ${files.length} files read, ${run.toolCalls.length} tool calls (${result.workflow.matches})`,
      `  model-visible tokens: code mode ${codeTokens} vs direct loop ${directCumulative} → ${pct(saved)} fewer (goal ≥ ${pct(GOAL)}: ${result.tokens.met ? 'met' : 'NOT met'}); ratio 1:${(directCumulative / codeTokens).toFixed(0)}`,
      `    (direct results counted once, a lower bound: ${directOnce} → ${pct(result.tokens.savedVsOnce)} fewer)`,
      `  sandbox start: cold ${cold.startMs.toFixed(0)} ms (run ${coldTotal.toFixed(0)} ms), warm median ${median(warmStart).toFixed(1)} ms (run ${median(warmTotal).toFixed(1)} ms), with a spare ${median(spareStart).toFixed(1)} ms (run ${median(spareTotal).toFixed(1)} ms) → warm/cold ${(median(warmStart) / cold.startMs).toFixed(2)}×, spare/cold ${(median(spareStart) / cold.startMs).toFixed(3)}×`,
      `  callTool: ${sandboxPerCall.toFixed(3)} ms per call in the sandbox vs ${directPerCall.toFixed(3)} ms direct → ${(sandboxPerCall / directPerCall).toFixed(2)}× (+${(sandboxPerCall - directPerCall).toFixed(3)} ms; medians of 4 alternating rounds of ${CALLS} calls)`,
      `  deadline overrun of hostile scripts (busy loop, async loop, memory bomb; 3 each): median ${median(overruns).toFixed(0)} ms, max ${overrunMax.toFixed(0)} ms past a 300 ms deadline → ${(overrunMax / 100).toFixed(2)}× the 100 ms goal (${overrunMax <= 100 ? 'met' : 'NOT met'})`,
      `  (${JSON_OUT})`,
    ].join('\n'));
  } finally {
    await service.dispose();
    if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
