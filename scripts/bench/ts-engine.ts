// Benchmark (not a test): the project's-compiler engines (src/core/tsEngine) against the compilers'
// own `tsc --noEmit`, in one run, on whatever corpora are here offline:
//
//   - diagnostics of the whole project: the native engine (TypeScript 7 through its API) vs
//     TypeScript 7's `tsc --noEmit`; the bundled engine (ts-morph's TypeScript 6) vs TypeScript 6's
//     tsc (analysis-tsc.mjs) and the workspace's TypeScript 5 tsc;
//   - the type-check delta of a one-file proposal on the native engine, cold (compiler process
//     started for it) and warm (the same engine, next proposal), and the whole impact analysis of
//     that proposal with each engine.
//
//   - `rusty analyze --engine native` (the built CLI, dist/cli.js: facts + the native compiler's
//     diagnostics, fresh state folder = cold cache, then again on that folder = warm) vs TypeScript
//     7's `tsc --noEmit` in the same round (goal ≤ 1.3×), with the spread of the per-round ratios.
//     On the corpora in BENCH_ANALYZE (default rxjs, else the generated one: short; e.g.
//     BENCH_ANALYZE=repo,generated,rxjs,zod for all); `npm run build` first.
//
// Corpora: the repository itself (src + scripts), a generated project (BENCH_GEN_FILES files,
// default 1500), and rxjs 7.8.2 / zod 3.25.76 when .cache/real-code has them (never downloaded here).
// Every measurement is a fresh process; rounds are interleaved and the median is printed. Knobs:
// BENCH_ROUNDS (3), BENCH_GEN_FILES (1500), BENCH_CORPORA (e.g. repo,generated,rxjs,zod),
// BENCH_SKIP (e.g. impactBundled,impactNative,tsc5).
//
//   node scripts/bench/build.mjs && node dist/bench/ts-engine.mjs
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { intFromEnv } from './benchEnv';
import { describeTypeScript, workspaceTypeScript } from '../../src/core/tsEngine/select';
import { NativeTsEngine } from '../../src/core/tsEngine/native';
import { computeImpact } from '../../src/core/impact/computeImpact';
import { sha256 } from '../../src/core/util/hash';

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url)); // dist/bench when bundled
const REPO = path.resolve(OUT_DIR, '..', '..');
const SELF = fileURLToPath(import.meta.url);
const NATIVE = describeTypeScript(path.join(REPO, 'node_modules', 'typescript-native'));
const TSC7 = path.join(REPO, 'node_modules', 'typescript-native', 'bin', 'tsc');
const TSC5 = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const TSC6 = path.join(REPO, 'scripts', 'bench', 'analysis-tsc.mjs');
const CLI = path.join(REPO, 'dist', 'cli.js');

interface Corpus { name: string; root: string; probe: string }

// ─── child side: one measurement, one JSON line ────────────────────────────────────────────

async function child(task: string, root: string, probe: string): Promise<void> {
  const started = performance.now();
  const out: Record<string, unknown> = {};
  if (task === 'native') {
    const engine = await NativeTsEngine.open({ root, apiPath: NATIVE!.nativeApi!, version: NATIVE!.version, source: 'rusty' });
    out.diagnostics = (await engine.projectDiagnostics()).length;
    await engine.close();
  } else if (task === 'bundled') {
    const { Project, ts } = await import('ts-morph');
    const project = new Project({ tsConfigFilePath: path.join(root, 'tsconfig.json') });
    out.diagnostics = ts.getPreEmitDiagnostics(project.getProgram().compilerObject).length;
  } else if (task === 'delta') {
    const engine = await NativeTsEngine.open({ root, apiPath: NATIVE!.nativeApi!, version: NATIVE!.version, source: 'rusty' });
    const text = fs.readFileSync(path.join(root, probe), 'utf8');
    const cold = await engine.checkWithOverlay({ overlay: new Map([[probe, `${text}\nexport const rustyProbe: number = 'a';\n`]]) });
    out.coldMs = Math.round(performance.now() - started);
    const t = performance.now();
    const warm = await engine.checkWithOverlay({ overlay: new Map([[probe, `${text}\nexport const rustyProbe2: string = 2;\n`]]) });
    out.warmMs = Math.round(performance.now() - t);
    out.checked = cold.checkedAfter;
    out.introduced = [cold.after.length - cold.before.length, warm.after.length - warm.before.length];
    await engine.close();
  } else if (task === 'impact-native' || task === 'impact-bundled') {
    const bytes = fs.readFileSync(path.join(root, probe));
    const cs = (n: number) => ({ title: 'probe', source: 'bench', edits: [{ kind: 'modify' as const, path: probe, baseHash: sha256(bytes), content: `${bytes.toString('utf8')}\nexport const rustyProbe${n}: number = 'a';\n` }] });
    const engine = task === 'impact-native' ? await NativeTsEngine.open({ root, apiPath: NATIVE!.nativeApi!, version: NATIVE!.version, source: 'rusty' }) : undefined;
    const r1 = await computeImpact(cs(1), { root, ...(engine ? { typeChecker: engine } : {}) });
    out.coldMs = Math.round(performance.now() - started);
    out.coldTypeCheckMs = (r1.timings?.typeCheckBefore ?? 0) + (r1.timings?.typeCheckAfter ?? 0);
    out.status = r1.typeCheck.status;
    out.checkedFiles = r1.typeCheck.checkedFiles;
    const t = performance.now();
    const r2 = await computeImpact(cs(2), { root, ...(engine ? { typeChecker: engine } : {}) });
    out.warmMs = Math.round(performance.now() - t);
    out.warmTypeCheckMs = (r2.timings?.typeCheckBefore ?? 0) + (r2.timings?.typeCheckAfter ?? 0);
    await engine?.close();
  }
  process.stdout.write(JSON.stringify({ workMs: Math.round(performance.now() - started), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), out }) + '\n');
}

// ─── parent side ───────────────────────────────────────────────────────────────────────────

/** wallMs: spawn to exit; workMs: the child's own timing of its work, after its modules loaded (our engines only). */
interface Measure { wallMs: number; workMs?: number; out: Record<string, unknown> }

function measure(cmd: string[], cwd: string, json: boolean): Measure {
  const t = performance.now();
  const r = spawnSync(process.execPath, cmd, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - t;
  if (json) {
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
    const parsed = JSON.parse(line) as { out?: Record<string, unknown>; workMs?: number };
    return { wallMs, ...(parsed.out && parsed.workMs !== undefined ? { workMs: parsed.workMs } : {}), out: parsed.out ?? (parsed as Record<string, unknown>) };
  }
  // tsc exits 1/2 when it reports errors; anything else is a failure.
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { wallMs, out: { diagnostics: (r.stdout.match(/error TS\d+/g) ?? []).length } };
}

/** `rusty analyze --json --engine native` with the state folder `state` (its analysis cache). */
function analyzeRun(root: string, state: string): Measure {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'analyze', '--json', '--engine', 'native', '-w', root], { cwd: root, encoding: 'utf8', env: { ...process.env, RUSTY_STATE_DIR: state }, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - t;
  if (r.status !== 0) throw new Error(`rusty analyze failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const report = JSON.parse(r.stdout) as { diagnostics: unknown[]; summary: { durationMs: number } };
  return { wallMs, out: { diagnostics: report.diagnostics.length, factsMs: report.summary.durationMs } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function generateProject(dir: string, files: number): Corpus {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, types: [], lib: ['ES2022'] }, include: ['src'] }));
  for (let i = 0; i < files; i++) {
    const deps = [i - 1, i - 7, i - 31].filter((d) => d >= 0);
    const lines = deps.map((d) => `import { make${d}, type Shape${d} } from './m${d}';`);
    lines.push(
      `export interface Shape${i}<T = number> { id: ${i}; value: T; tags: readonly string[]; next?: Shape${i}<T> }`,
      `export type Keys${i} = { [K in keyof Shape${i}]: Shape${i}[K] extends string ? K : never }[keyof Shape${i}];`,
      `export function make${i}<T>(value: T, tags: string[] = []): Shape${i}<T> {`,
      `  return { id: ${i}, value, tags };`,
      '}',
      `export class Box${i}<T> {`,
      `  private items: Shape${i}<T>[] = [];`,
      `  add(v: T): this { this.items.push(make${i}(v)); return this; }`,
      `  map<U>(f: (v: T) => U): Box${i}<U> { const b = new Box${i}<U>(); for (const it of this.items) b.add(f(it.value)); return b; }`,
      '}',
      ...deps.map((d) => `export const use${i}_${d}: Shape${d}<string> = make${d}('x${i}');`),
      `export const total${i} = [1, 2, 3].map((n) => n * ${i}).reduce((a, b) => a + b, 0);`,
    );
    if (i % 250 === 249) lines.push(`export const broken${i}: number = 'deliberate';`);
    fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), lines.join('\n') + '\n');
  }
  return { name: `generated (${files} files)`, root: dir, probe: 'src/m0.ts' };
}

async function parent(): Promise<void> {
  if (!NATIVE?.nativeApi) throw new Error('typescript-native (TypeScript 7 with its compiler for this platform) is not installed.');
  const rounds = intFromEnv('BENCH_ROUNDS', 3, 1);
  const wanted = (process.env.BENCH_CORPORA ?? 'repo,generated,rxjs,zod').split(',');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-ts-'));
  const corpora: Corpus[] = [];
  if (wanted.includes('repo')) corpora.push({ name: 'rusty (src + scripts)', root: REPO, probe: 'src/core/util/hash.ts' });
  if (wanted.includes('generated')) corpora.push(generateProject(path.join(tmp, 'generated'), intFromEnv('BENCH_GEN_FILES', 1500, 10)));
  for (const [name, version, probe] of [['rxjs', '7.8.2', 'src/internal/operators/map.ts'], ['zod', '3.25.76', 'src/v3/types.ts']] as const) {
    const cached = path.join(REPO, '.cache', 'real-code', `${name}@${version}`);
    if (!wanted.includes(name)) continue;
    if (!fs.existsSync(path.join(cached, '.done'))) {
      console.log(`${name} ${version}: not in .cache/real-code (this benchmark never downloads); skipped.`);
      continue;
    }
    corpora.push({ name: `${name} ${version}`, root: path.join(cached, 'package'), probe });
  }
  const analyzeOn = new Set((process.env.BENCH_ANALYZE ?? (corpora.some((c) => c.name.startsWith('rxjs')) ? 'rxjs' : 'generated')).split(','));
  if (analyzeOn.size && !fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (the analyze measurement runs the built CLI).');
  const tsc5 = workspaceTypeScript(REPO);
  console.log(`TypeScript engines benchmark: ${rounds} rounds, median wall time of fresh processes; native = TypeScript ${NATIVE.version}, tsc5 = ${tsc5?.version ?? '?'}; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  try {
    for (const c of corpora) {
      const tasks: Record<string, () => Measure> = {
        tsc7: () => measure([TSC7, '--noEmit', '-p', c.root], c.root, false),
        native: () => measure([SELF, 'child', 'native', c.root, c.probe], c.root, true),
        tsc6: () => measure([TSC6, path.join(c.root, 'tsconfig.json')], c.root, true),
        tsc5: () => measure([TSC5, '--noEmit', '-p', c.root], c.root, false),
        bundled: () => measure([SELF, 'child', 'bundled', c.root, c.probe], c.root, true),
        delta: () => measure([SELF, 'child', 'delta', c.root, c.probe], c.root, true),
        impactNative: () => measure([SELF, 'child', 'impact-native', c.root, c.probe], c.root, true),
        impactBundled: () => measure([SELF, 'child', 'impact-bundled', c.root, c.probe], c.root, true),
      };
      const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
      const analyzeHere = [...analyzeOn].some((a) => c.name.startsWith(a === 'repo' ? 'rusty' : a));
      if (analyzeHere) {
        // Cold: a fresh state folder (no cached facts); warm: the same folder again (facts from its cache).
        let state = '';
        tasks.analyze = () => { state = fs.mkdtempSync(path.join(tmp, 'state-')); return analyzeRun(c.root, state); };
        tasks.analyzeWarm = () => analyzeRun(c.root, state);
      } else skip.add('analyze').add('analyzeWarm');
      const results: Record<string, Measure[]> = {};
      for (let r = 0; r < rounds; r++) for (const [k, f] of Object.entries(tasks)) if (!skip.has(k)) (results[k] ??= []).push(f());
      const none: Measure = { wallMs: NaN, out: {} };
      for (const k of Object.keys(tasks)) results[k] ??= [none];
      const wall = (k: string) => median(results[k]!.map((m) => m.wallMs));
      // The bench child also carries ts-morph (one bundle); its start-up is not the engine's cost.
      const work = (k: string) => median(results[k]!.map((m) => m.workMs ?? m.wallMs));
      const out = (k: string, f: string) => median(results[k]!.map((m) => Number(m.out[f] ?? NaN)));
      const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
      console.log(`\n${c.name}`);
      console.log(`  diagnostics: tsc7 ${out('tsc7', 'diagnostics')} · native ${out('native', 'diagnostics')} · tsc6 ${out('tsc6', 'diagnostics')} · bundled ${out('bundled', 'diagnostics')} · tsc5 ${out('tsc5', 'diagnostics')}`);
      console.log(`  native engine ${ms(work('native'))} (process ${ms(wall('native'))}) vs TypeScript 7 tsc --noEmit ${ms(wall('tsc7'))}: ${ratio(work('native'), wall('tsc7'))} (goal ≤ 1.3×)`);
      console.log(`  bundled engine ${ms(work('bundled'))} (process ${ms(wall('bundled'))}) vs TypeScript 6 tsc ${ms(wall('tsc6'))}: ${ratio(work('bundled'), wall('tsc6'))}; vs TypeScript 5 tsc ${ms(wall('tsc5'))}: ${ratio(work('bundled'), wall('tsc5'))}`);
      console.log(`  native engine vs bundled engine: ${ratio(work('native'), work('bundled'))}; TypeScript 7 tsc vs TypeScript 6 tsc: ${ratio(wall('tsc7'), wall('tsc6'))}`);
      if (analyzeHere) {
        // Per round, against the tsc7 of the same round (the machine may be shared): median and spread.
        const perRound = (k: string) => results[k]!.map((m, i) => m.wallMs / results.tsc7![i]!.wallMs).sort((a, b) => a - b);
        const spread = (k: string) => { const r = perRound(k); return `${ratio(median(r), 1)} (rounds ${r.map((x) => x.toFixed(2)).join(', ')})`; };
        console.log(`  rusty analyze --engine native (CLI): cold ${ms(wall('analyze'))} = ${spread('analyze')} tsc7; warm cache ${ms(wall('analyzeWarm'))} = ${spread('analyzeWarm')} tsc7 (goal ≤ 1.3×); diagnostics ${out('analyze', 'diagnostics')}`);
      }
      console.log(`  one-file proposal, native delta (whole program, ${out('delta', 'checked')} files): cold ${ms(out('delta', 'coldMs'))} (${ratio(out('delta', 'coldMs'), wall('tsc7'))} tsc7), warm ${ms(out('delta', 'warmMs'))} (${ratio(out('delta', 'warmMs'), wall('tsc7'))} tsc7)`);
      console.log(`  one-file proposal, impact analysis: native ${ms(out('impactNative', 'coldMs'))} cold / ${ms(out('impactNative', 'warmMs'))} warm (type-check ${ms(out('impactNative', 'coldTypeCheckMs'))} / ${ms(out('impactNative', 'warmTypeCheckMs'))}); bundled ${ms(out('impactBundled', 'coldMs'))} cold / ${ms(out('impactBundled', 'warmMs'))} warm (type-check ${ms(out('impactBundled', 'coldTypeCheckMs'))} / ${ms(out('impactBundled', 'warmTypeCheckMs'))}, ${results.impactBundled![0]!.out.status} ${out('impactBundled', 'checkedFiles')} files)`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await parent();
