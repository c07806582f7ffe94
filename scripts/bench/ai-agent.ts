// Benchmark (not a test): the AI agent loop on zod 3.25.76's published src/ (npm registry), with
// the scripted model (zero delay), so only Rusty's own work is timed:
//
//   1. context build (zod, then effect 4.1.0): the first request (system prompt, tool specs, named files) and each tool's
//      first answer on zod (read_file range, list_files, search_text, diagnostics — which loads
//      the TypeScript project — and find_references), cold and warm;
//   2. tokens sent per task (gpt-tokenizer, o200k) over every request of a realistic tool-using
//      run, against the naive context "send the whole files" (the touched file and its direct
//      imports, whole, in one request) — the ratio naive ÷ agent;
//   3. loop overhead per round excluding model time: a tool round, a refused edit round (parse,
//      apply, feedback), a round refused for a new type error (quick check on the run's project),
//      and a validated edit round (change set + pipeline checks + quick check + full impact with
//      the type-check delta on zod).
//
//   node scripts/bench/ai-agent.mjs   (bundles this file into dist/bench/ai-agent.mjs and runs it)
//
// Knobs: BENCH_ROUNDS (5) repetitions of the cheap measurements, BENCH_VALIDATED_ROUNDS (2),
// BENCH_AI_EFFECT=0 (skip the context build on effect 4.1.0, the second corpus), BENCH_AI_EFFECT_ROUNDS (1),
// BENCH_AI_ONLY=context (only section 1).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'gpt-tokenizer';
import { intFromEnv } from './benchEnv';
import { copyRealPackage, fetchRealPackage } from '../../src/core/testing/realCode';
import { NodeWorkspaceFs } from '../../src/core/ports/nodeWorkspaceFs';
import { createEngineContext } from '../../src/core/engine/context';
import { WorkspaceProject } from '../../src/core/ts/workspaceProject';
import { runAgent, pipelineValidator, systemPrompt, BUILTIN_TOOLS, type ChangeValidator } from '../../src/core/ai/agent';
import { firstMessage } from '../../src/core/ai/agent/prompt';
import type { ToolEnv } from '../../src/core/ai/agent/tools';
import { scriptedSession, type ScriptStep } from '../../src/core/ai/providers/scripted';
import type { ChatRequest } from '../../src/core/ai/types';
import { readText } from '../../src/core/util/text';

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url)); // dist/bench when bundled
const REPO = path.resolve(OUT_DIR, '..', '..');
const ROUNDS = intFromEnv('BENCH_ROUNDS', 5, 1);
const VALIDATED = intFromEnv('BENCH_VALIDATED_ROUNDS', 2, 1);
/** BENCH_AI_EFFECT=0 skips the effect corpus; BENCH_AI_EFFECT_ROUNDS (1) repeats its TS tool calls. */
const EFFECT = process.env['BENCH_AI_EFFECT'] !== '0';
const EFFECT_ROUNDS = intFromEnv('BENCH_AI_EFFECT_ROUNDS', 1, 1);
/** BENCH_AI_ONLY=context: only the context build (section 1), for both corpora. */
const ONLY_CONTEXT = process.env['BENCH_AI_ONLY'] === 'context';

type ToolCallSpec = [label: string, tool: string, args: Record<string, unknown>];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const tokens = (text: string) => encode(text).length;

/** Every token a request carries: system, tool specs, the whole history. */
function requestTokens(req: ChatRequest): number {
  return tokens([req.system ?? '', JSON.stringify(req.tools ?? []), ...req.messages.map((m) => `${m.role}: ${m.content}${m.role === 'assistant' && m.toolCalls ? JSON.stringify(m.toolCalls) : ''}`)].join('\n'));
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** The first request with named files, then each tool's first and second answer on a fresh run. */
async function contextBuild(root: string, named: string[], calls: ToolCallSpec[], rounds: number): Promise<Record<string, unknown>> {
  const wfs = new NodeWorkspaceFs(root);
  const first: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const ctx = createEngineContext(wfs);
    first.push((await time(async () => {
      const files = [];
      for (const f of named) files.push({ path: f, text: readText((await ctx.fs.read(f))!).text });
      return systemPrompt({ tools: BUILTIN_TOOLS.map((t) => t.spec.name), commands: [], root }) + firstMessage({ task: 'x', files, thread: [] });
    })).ms);
  }
  const tool = (name: string) => BUILTIN_TOOLS.find((t) => t.spec.name === name)!;
  const toolTimes: Record<string, { coldMs: number; warmMs: number }> = {};
  const colds = new Map<string, number[]>();
  const warms = new Map<string, number[]>();
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    // A fresh run: the TypeScript project is loaded by the first TS tool call.
    let project: Promise<WorkspaceProject> | undefined;
    const ctx = createEngineContext(wfs);
    const env: ToolEnv = { ctx, commands: [], commandTimeoutMs: 1000, project: () => (project ??= WorkspaceProject.load({ fs: ctx.fs })) };
    for (const [label, name, args] of calls) {
      const cold = await time(() => tool(name).run(args, env));
      const warm = await time(() => tool(name).run(args, env));
      colds.set(label, [...(colds.get(label) ?? []), cold.ms]);
      warms.set(label, [...(warms.get(label) ?? []), warm.ms]);
    }
  }
  console.log(`   first request (system prompt + ${named.length} named files): ${ms(median(first))}`);
  for (const [label] of calls) {
    toolTimes[label] = { coldMs: median(colds.get(label)!), warmMs: median(warms.get(label)!) };
    console.log(`   ${label.padEnd(44)} first call ${ms(toolTimes[label].coldMs).padStart(9)}, again ${ms(toolTimes[label].warmMs).padStart(9)}`);
  }
  return { firstRequestMs: median(first), tools: toolTimes };
}

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-agent-')));
try {
  const root = copyRealPackage(fetchRealPackage('zod', '3.25.76', { cacheDir: path.join(REPO, '.cache', 'real-code') }), tmp);
  const wfs = new NodeWorkspaceFs(root);
  const read = (rel: string) => readText(fs.readFileSync(path.join(root, rel))).text;
  const results: Record<string, unknown> = { package: 'zod@3.25.76', rounds: ROUNDS };
  console.log(`AI agent benchmark on zod 3.25.76 (${root})\n`);

  // ─── 1. context build ───────────────────────────────────────────────────────────────────
  const zodCalls: ToolCallSpec[] = [
    ['read_file (types.ts lines 1000–1200)', 'read_file', { path: 'src/v3/types.ts', startLine: 1000, endLine: 1200 }],
    ['list_files src/**/*.ts', 'list_files', { pattern: 'src/**/*.ts' }],
    ['search_text "errToObj" (all sources)', 'search_text', { query: 'errToObj' }],
    ['diagnostics src/v3/helpers/errorUtil.ts', 'diagnostics', { files: ['src/v3/helpers/errorUtil.ts'] }],
    ['find_references errToObj', 'find_references', { file: 'src/v3/helpers/errorUtil.ts', name: 'errToObj' }],
  ];
  console.log('1. Context build (median)');
  results['contextBuild'] = await contextBuild(root, ['src/v3/helpers/errorUtil.ts', 'src/v3/ZodError.ts', 'src/v3/locales/en.ts'], zodCalls, ROUNDS);
  if (EFFECT) {
    // A second, much larger real corpus: effect's src (the one the analysis benchmark uses).
    const effectRoot = copyRealPackage(fetchRealPackage('effect', '4.1.0', { cacheDir: path.join(REPO, '.cache', 'real-code'), compilerOptions: { allowImportingTsExtensions: true } }), tmp);
    console.log(`\n1b. Context build on effect 4.1.0 (${effectRoot}; TypeScript tools measured ${EFFECT_ROUNDS}×)`);
    results['contextBuildEffect'] = await contextBuild(effectRoot, ['src/Option.ts', 'src/Result.ts', 'src/Duration.ts'], [
      // (src/Effect.ts, 857 KB, is over read_file's 512 KB cap: the model would search it instead.)
      ['read_file (Array.ts lines 1000–1200)', 'read_file', { path: 'src/Array.ts', startLine: 1000, endLine: 1200 }],
      ['list_files src/**/*.ts', 'list_files', { pattern: 'src/**/*.ts' }],
      ['search_text "flatMap" (all sources)', 'search_text', { query: 'flatMap' }],
      ['diagnostics src/Option.ts', 'diagnostics', { files: ['src/Option.ts'] }],
      ['find_references getOrElse', 'find_references', { file: 'src/Option.ts', name: 'getOrElse' }],
    ], EFFECT_ROUNDS);
  }
  if (ONLY_CONTEXT) {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 'ai-agent-context.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults: ${path.join(OUT_DIR, 'ai-agent-context.json')}`);
    process.exit(0);
  }

  // ─── 2. tokens per task ─────────────────────────────────────────────────────────────────
  const accept: ChangeValidator = async () => ({ refused: [] });
  const edit = (file: string, search: string, replace: string) => `TITLE: change\nDone.\n\nFILE: ${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;
  const typesText = read('src/v3/types.ts');
  const emailLine = typesText.split('\n').findIndex((l) => l.includes('email(message')) + 1;
  const tasks: { name: string; touched: string; steps: ScriptStep[] }[] = [
    {
      name: 'trim errToObj (9-line helper)', touched: 'src/v3/helpers/errorUtil.ts',
      steps: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/v3/helpers/errorUtil.ts' } }] },
        { text: edit('src/v3/helpers/errorUtil.ts', '{ message } : message', '{ message: message.trim() } : message') },
      ],
    },
    {
      name: 'ZodString.email default message (types.ts)', touched: 'src/v3/types.ts',
      steps: [
        { toolCalls: [{ name: 'search_text', arguments: { query: 'email(message', pattern: 'src/v3/**/*.ts' } }] },
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/v3/types.ts', startLine: emailLine - 15, endLine: emailLine + 15 } }] },
        { text: edit('src/v3/types.ts', typesText.split('\n')[emailLine - 1]!, typesText.split('\n')[emailLine - 1]!.replace('email(', 'email(/* checked */ ')) },
      ],
    },
    {
      name: 'English locale: invalid_type wording (en.ts)', touched: 'src/v3/locales/en.ts',
      steps: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/v3/locales/en.ts' } }] },
        { toolCalls: [{ name: 'find_references', arguments: { file: 'src/v3/locales/en.ts', name: 'errorMap' } }] },
        { text: edit('src/v3/locales/en.ts', 'message = "Required";', 'message = "Required value";') },
      ],
    },
  ];
  console.log('\n2. Tokens sent per task (gpt-tokenizer): agent (every request, history included) vs naive (touched file + direct imports, whole)');
  const tokenRows: Record<string, unknown>[] = [];
  for (const t of tasks) {
    const session = scriptedSession(t.steps);
    const run = await runAgent({ ctx: createEngineContext(wfs), session, task: t.name, validate: accept });
    if (run.outcome !== 'change') throw new Error(`${t.name}: ${run.outcome} ${run.repairs.map((r) => r.message).join('; ')}`);
    const agent = session.provider.requests.reduce((n, r) => n + requestTokens(r), 0);
    // Naive: the same system prompt without tools, the task, the touched file and its direct imports.
    const wp = await WorkspaceProject.load({ root });
    const sf = wp.sourceFile(t.touched);
    const imports = [...new Set(sf.getImportDeclarations().map((d) => d.getModuleSpecifierSourceFile()).filter((f) => f !== undefined).map((f) => wp.rel(f.getFilePath())))];
    const files = [t.touched, ...imports];
    const naive = tokens(systemPrompt({ tools: [], commands: [], root }) + firstMessage({ task: t.name, files: files.map((f) => ({ path: f, text: read(f) })), thread: [] }));
    const row = { task: t.name, requests: session.provider.requests.length, agentTokens: agent, naiveTokens: naive, naiveFiles: files.length, ratio: naive / agent };
    tokenRows.push(row);
    console.log(`   ${t.name.padEnd(46)} agent ${String(agent).padStart(6)} tokens in ${row.requests} requests; naive ${String(naive).padStart(6)} (${files.length} files) → naive/agent ${row.ratio.toFixed(2)}×`);
  }
  results['tokens'] = tokenRows;

  // ─── 3. loop overhead per round, excluding model time ───────────────────────────────────
  console.log('\n3. Loop overhead per round, excluding model time (scripted model, zero delay)');
  const TOOL_TURNS = 20;
  const toolRun = await runAgent({
    ctx: createEngineContext(wfs), validate: accept, task: 'read', maxTurns: TOOL_TURNS + 1,
    session: scriptedSession([...Array.from({ length: TOOL_TURNS }, (_, i) => ({ toolCalls: [{ name: 'read_file', arguments: { path: 'src/v3/types.ts', startLine: 1 + i * 100, endLine: 100 + i * 100 } }] })), { text: 'Nothing to change.' }]),
  });
  const perTool = (toolRun.durationMs - toolRun.modelMs) / toolRun.turns;
  const REFUSED = 10;
  const refusedRun = await runAgent({
    ctx: createEngineContext(wfs), validate: accept, task: 'miss', maxRounds: REFUSED - 1,
    session: scriptedSession(Array.from({ length: REFUSED }, () => ({ text: edit('src/v3/types.ts', 'this line is not in the file', 'x') }))),
  });
  const perRefused = (refusedRun.durationMs - refusedRun.modelMs) / refusedRun.turns;
  const validator = pipelineValidator({ wfs, maxFileBytes: 10 * 1024 * 1024 });
  const validated: number[] = [];
  for (let i = 0; i < VALIDATED; i++) {
    const run = await runAgent({ ctx: createEngineContext(wfs), validate: validator, task: 'trim', session: scriptedSession([{ text: edit('src/v3/helpers/errorUtil.ts', '{ message } : message', '{ message: message.trim() } : message') }]) });
    if (run.outcome !== 'change') throw new Error(`validated round refused: ${run.repairs.map((r) => r.message).join('; ')}`);
    validated.push(run.durationMs - run.modelMs);
  }
  // Type-error rounds: the quick check on the run's project refuses them (the first loads the project).
  const typeErrorRounds: number[] = [];
  let mark = 0;
  const bad = edit('src/v3/helpers/errorUtil.ts', '{ message } : message', '{ message: message.trimmed() } : message');
  await runAgent({
    ctx: createEngineContext(wfs), validate: validator, task: 'bad', maxRounds: 3,
    session: scriptedSession([{ text: bad }, { text: bad }, { text: bad }, { text: 'I give up.' }]),
    onEvent: (e) => {
      if (e.type === 'validating') mark = performance.now();
      if (e.type === 'refused') typeErrorRounds.push(performance.now() - mark);
    },
  });
  console.log(`   tool round (read_file 100 lines of types.ts): ${ms(perTool)} per round (${toolRun.turns} rounds)`);
  console.log(`   type-error edit round (quick check on the run's project: errorUtil.ts + importer types.ts): first ${ms(typeErrorRounds[0]!)} (loads the project), then ${typeErrorRounds.slice(1).map((v) => ms(v)).join(', ')}`);
  console.log(`   refused edit round (parse, apply, closest lines, feedback on the 5,000-line types.ts): ${ms(perRefused)} per round (${refusedRun.turns} rounds)`);
  console.log(`   validated edit round (change set, path/base checks, quick check, full impact on zod): median ${ms(median(validated))} (${validated.map((v) => ms(v)).join(', ')})`);
  results['overhead'] = { toolRoundMs: perTool, refusedEditRoundMs: perRefused, typeErrorRoundsMs: typeErrorRounds, validatedEditRoundMs: median(validated), validatedRuns: validated };

  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'ai-agent.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults: ${path.join(OUT_DIR, 'ai-agent.json')}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
