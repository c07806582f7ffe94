// Benchmark (not a test): Rusty's workspace analysis on real packages from the npm registry
// (rxjs, zod, effect's 528k-line src) against the tools people compare it with, in one run:
//
//   - full analysis (diagnostics with the checker, complexity, graph, unused, public API) and the
//     syntactic pass vs `tsc --noEmit` with the TypeScript ts-morph bundles (analysis-tsc.mjs);
//     targets ≤ 1.0× and ≤ 0.25×; peak memory of each process;
//   - unused-export detection vs knip on the same sources with the same entries: time (≤ 1.5×)
//     and agreement (≥ 95%), listing the disagreements.
//
//   node scripts/bench/analysis.mjs   (bundles this file into dist/bench/analysis.mjs and runs it)
//
// Every measurement is a fresh process (so memory is per tool and nothing is warm), rounds are
// interleaved and the median is reported. Knobs: BENCH_ROUNDS (3), BENCH_EFFECT_ROUNDS (2),
// BENCH_PACKAGES (rxjs,zod,effect), BENCH_SKIP (e.g. tsc,full,syntactic,knip,unused,cached).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AnalysisSession } from '../../src/core/analysis';
import { packageEntries } from '../../src/core/analysis/entries';
import { fetchRealPackage, type RealPackage } from '../../src/core/testing/realCode';

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url)); // dist/bench when bundled
const REPO = path.resolve(OUT_DIR, '..', '..');
const SELF = fileURLToPath(import.meta.url);

interface PackageSpec { name: string; version: string; compilerOptions?: Record<string, unknown> }
const PACKAGES: PackageSpec[] = [
  { name: 'rxjs', version: '7.8.2' },
  { name: 'zod', version: '3.25.76' },
  // effect 4 imports its own modules as `./X.ts`.
  { name: 'effect', version: '4.1.0', compilerOptions: { allowImportingTsExtensions: true } },
];

const TARGET = { full: 1.0, syntactic: 0.25, knipTime: 1.5, agreement: 0.95 };

/**
 * wallMs: spawn to exit, seen by the parent. cpuMs: user + system CPU of the process (less
 * disturbed than wall time when other work shares the machine). workMs: the tool's own timing of
 * its work (after its modules loaded).
 */
interface Measure { wallMs: number; cpuMs: number; workMs: number; maxRssMB: number; out: Record<string, unknown> }

// ─── child side: one measurement, one JSON line ────────────────────────────────────────────

async function child(task: string, root: string, arg?: string): Promise<void> {
  const started = performance.now();
  // 'cached': a full analysis with the disk cache in folder `arg` (what `rusty analyze` does).
  const mode = task === 'full' || task === 'cached' ? 'full' : 'syntactic';
  const entries = task === 'unused' && arg ? (JSON.parse(arg) as string[]) : undefined;
  const session = await AnalysisSession.open({ root, mode, ...(entries ? { entries } : {}), ...(task === 'cached' && arg ? { cacheDir: arg } : {}) });
  const report = session.report();
  const workMs = performance.now() - started;
  const out: Record<string, unknown> = {
    files: report.summary.files, lines: report.summary.lines, diagnostics: report.summary.diagnostics.total,
    functions: report.summary.functions, hotSpots: report.summary.hotSpots, cycles: report.summary.cycles,
    unusedExports: report.summary.unusedExports, unusedFiles: report.summary.unusedFiles, publicApi: report.summary.publicApi,
  };
  if (task === 'unused') out.unused = report.unusedExports.map((u) => `${u.file}:${u.name}`);
  process.stdout.write(JSON.stringify({ workMs: Math.round(workMs), processMs: Math.round(performance.now()), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), out }) + '\n');
}

// ─── parent side ────────────────────────────────────────────────────────────────────────────

/** Run a command; wall time from the parent, peak RSS from /usr/bin/time when available. */
function run(cmd: string, args: string[], cwd: string, parse: (stdout: string) => { workMs?: number; maxRssMB?: number; out?: Record<string, unknown> }): Measure {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const started = performance.now();
  const res = timeBin
    ? spawnSync(timeBin, ['-f', 'RUSTY_BENCH_TIME=%M %U %S', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  const rss = /RUSTY_BENCH_TIME=(\d+) ([\d.]+) ([\d.]+)/.exec(res.stderr ?? '');
  let parsed;
  try {
    parsed = parse(res.stdout ?? '');
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status}): ${(err as Error).message}\n${(res.stderr ?? '').slice(-2000)}`);
  }
  const cpuMs = rss ? (Number(rss[2]) + Number(rss[3])) * 1000 : NaN;
  return { wallMs, cpuMs, workMs: parsed.workMs ?? wallMs, maxRssMB: rss ? Math.round(Number(rss[1]) / 1024) : parsed.maxRssMB ?? 0, out: parsed.out ?? {} };
}

const lastJsonLine = (s: string) => JSON.parse(s.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? 'null') as { workMs: number; maxRssMB: number; out?: Record<string, unknown> } & Record<string, unknown>;

function tsc(pkg: RealPackage): Measure {
  return run(process.execPath, [path.join(REPO, 'scripts', 'bench', 'analysis-tsc.mjs'), path.join(pkg.root, 'tsconfig.json')], pkg.root, (s) => {
    const j = lastJsonLine(s);
    return { workMs: j.workMs, maxRssMB: j.maxRssMB, out: j };
  });
}

function ours(pkg: RealPackage, task: 'full' | 'syntactic' | 'unused' | 'cached', arg?: string): Measure {
  const args = [SELF, '--child', task, pkg.root, ...(arg ? [arg] : [])];
  return run(process.execPath, args, pkg.root, (s) => lastJsonLine(s));
}

/**
 * knip is a benchmark baseline only, so it is not a project dependency (its platform-specific
 * optional binaries upset `npm ci`): it is installed once into .cache/bench-tools.
 */
function knipBin(): string {
  const prefix = path.join(REPO, '.cache', 'bench-tools');
  const bin = path.join(prefix, 'node_modules', 'knip', 'bin', 'knip.js');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', 'knip@6'], { stdio: 'inherit' });
  }
  return bin;
}

function knip(pkg: RealPackage, entries: string[]): Measure & { unused: string[] } {
  // A minimal config: the same entries, the package's sources as the project.
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-knip-')), 'knip.json');
  fs.writeFileSync(config, JSON.stringify({ entry: entries, project: ['src/**/*.ts', '!**/*.{test,spec}.ts', '!**/{__tests__,tests,benchmarks}/**'] }));
  const bin = knipBin();
  let unused: string[] = [];
  // nsExports/nsTypes too: knip files some unused exports under those when a namespace import exists.
  const m = run(process.execPath, [bin, '-c', config, '--include', 'exports,types,nsExports,nsTypes', '--reporter', 'json', '--no-progress', '--no-gitignore'], pkg.root, (s) => {
    type Item = { name: string };
    const data = JSON.parse(s.trim()) as { issues: { file: string; exports?: Item[]; types?: Item[]; nsExports?: Item[]; nsTypes?: Item[] }[] };
    unused = data.issues.flatMap((i) => [...(i.exports ?? []), ...(i.types ?? []), ...(i.nsExports ?? []), ...(i.nsTypes ?? [])].map((e) => `${i.file}:${e.name}`));
    return {};
  });
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
  return { ...m, unused };
}

/**
 * The entries both tools get: the package's published entry points mapped from dist to src
 * (subpath patterns like `./internal/*` → dist left out), plus every package.json target that
 * names existing source files as written (zod's `"@zod/source": "./src/v4/locales/*"`) — knip
 * adds those from package.json on its own, so listing them keeps the two runs on equal entries.
 */
function entriesOf(pkg: RealPackage): string[] {
  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(pkg.root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.[cm]?tsx?$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) files.add(rel);
    }
  };
  walk('src');
  const json = JSON.parse(fs.readFileSync(path.join(pkg.root, 'package.json'), 'utf8')) as unknown;
  const out = new Set(packageEntries('package.json', json, files, [], pkg.root, { wildcards: false }));
  const targets: string[] = [];
  const leaves = (v: unknown) => {
    if (typeof v === 'string') targets.push(v.replace(/^\.\//, ''));
    else if (v && typeof v === 'object') Object.values(v).forEach(leaves);
  };
  leaves((json as { exports?: unknown }).exports);
  for (const t of targets) {
    const star = t.indexOf('*');
    if (star < 0) {
      if (files.has(t)) out.add(t);
      continue;
    }
    const [before, after] = [t.slice(0, star), t.slice(star + 1)];
    for (const f of files) if (f.startsWith(before) && f.endsWith(after) && f.length > before.length + after.length) out.add(f);
  }
  return [...out].sort();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

async function parent(): Promise<void> {
  const wanted = (process.env.BENCH_PACKAGES ?? 'rxjs,zod,effect').split(',').map((s) => s.trim());
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const effectRounds = Number(process.env.BENCH_EFFECT_ROUNDS ?? 2);
  // For working on one part: BENCH_SKIP=tsc,full,syntactic measures only the unused-export side.
  const skip = (process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const results: Record<string, unknown>[] = [];
  console.log(`Analysis benchmark — ${new Date().toISOString()} — ${process.platform} ${process.arch}, ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log('Medians of fresh processes, interleaved: wall (incl. startup), cpu (user+sys), work (the tool\'s own timing after loading).');
  console.log(`Ratios are Rusty ÷ baseline from this run. Load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (wall times suffer first when others share the machine).\n`);

  for (const spec of PACKAGES.filter((p) => wanted.includes(p.name))) {
    const pkg = fetchRealPackage(spec.name, spec.version, spec.compilerOptions ? { compilerOptions: spec.compilerOptions } : {});
    const entries = entriesOf(pkg);
    const n = spec.name === 'effect' ? effectRounds : rounds;
    const m = { tsc: [] as Measure[], full: [] as Measure[], syntactic: [] as Measure[], knip: [] as (Measure & { unused: string[] })[], unused: [] as Measure[] };
    for (let r = 0; r < n; r++) {
      // Alternate the order so neither side always runs on a warmer disk cache.
      const order = r % 2 === 0 ? ['tsc', 'full', 'syntactic', 'knip', 'unused'] : ['unused', 'knip', 'syntactic', 'full', 'tsc'];
      for (const what of order.filter((w) => !skip.includes(w))) {
        process.stderr.write(`  ${spec.name} round ${r + 1}/${n}: ${what}…\n`);
        if (what === 'tsc') m.tsc.push(tsc(pkg));
        if (what === 'full') m.full.push(ours(pkg, 'full'));
        if (what === 'syntactic') m.syntactic.push(ours(pkg, 'syntactic'));
        if (what === 'knip') m.knip.push(knip(pkg, entries));
        if (what === 'unused') m.unused.push(ours(pkg, 'unused', JSON.stringify(entries)));
      }
    }
    // Second run on an unchanged workspace with the disk cache (the first run fills it).
    let cached: Measure[] = [];
    if (!skip.includes('cached')) {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-cache-'));
      process.stderr.write(`  ${spec.name}: full analysis with a disk cache (fill, then measure)…\n`);
      ours(pkg, 'cached', cacheDir);
      cached = [ours(pkg, 'cached', cacheDir)];
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
    // Skipped measurements (BENCH_SKIP) print as NaN; the package facts come from any run that has them.
    const anyOut = m.full[0]?.out ?? m.syntactic[0]?.out ?? m.unused[0]?.out ?? {};
    for (const k of ['tsc', 'full', 'syntactic', 'unused'] as const) if (!m[k].length) m[k].push({ wallMs: NaN, cpuMs: NaN, workMs: NaN, maxRssMB: 0, out: k === 'tsc' ? {} : anyOut });
    if (!m.knip.length) m.knip.push({ wallMs: NaN, cpuMs: NaN, workMs: NaN, maxRssMB: 0, out: {}, unused: [] });
    const wall = (xs: Measure[]) => median(xs.map((x) => x.wallMs));
    const work = (xs: Measure[]) => median(xs.map((x) => x.workMs));
    const cpu = (xs: Measure[]) => median(xs.map((x) => x.cpuMs));
    const rss = (xs: Measure[]) => Math.max(...xs.map((x) => x.maxRssMB));
    const info = m.full[0]!.out;
    const tscOut = m.tsc[0]!.out;

    // Agreement with knip on unused exports and types (same entries, same files).
    const oursSet = new Set((m.unused[0]!.out.unused as string[] | undefined) ?? []);
    const knipSet = new Set(m.knip[0]!.unused);
    const both = [...oursSet].filter((x) => knipSet.has(x));
    const onlyOurs = [...oursSet].filter((x) => !knipSet.has(x)).sort();
    const onlyKnip = [...knipSet].filter((x) => !oursSet.has(x)).sort();
    const union = oursSet.size + knipSet.size - both.length;
    const agreement = union === 0 ? 1 : both.length / union;

    const fullRatio = wall(m.full) / wall(m.tsc);
    const synRatio = wall(m.syntactic) / wall(m.tsc);
    const knipRatio = wall(m.unused) / wall(m.knip);
    console.log(`── ${spec.name}@${spec.version} (${n} round${n === 1 ? '' : 's'}): ${info.files} files, ${info.lines} lines of src; diagnostics: tsc ${tscOut.diagnostics ?? '–'}, Rusty ${info.diagnostics} · ${info.functions} functions, ${info.hotSpots} hot spots, ${info.cycles} cycles, ${info.publicApi} public names`);
    const row = (label: string, xs: Measure[], base?: Measure[], target?: number) => {
      const r = base ? ` │ ${ratio(wall(xs), wall(base)).padStart(6)} wall · ${ratio(cpu(xs), cpu(base)).padStart(6)} cpu · ${ratio(work(xs), work(base)).padStart(6)} work${target !== undefined ? `  (target ≤ ${target}×: ${mark(wall(xs) / wall(base) <= target)} wall, ${mark(cpu(xs) / cpu(base) <= target)} cpu)` : ''}` : '';
      console.log(`   ${label.padEnd(28)} ${secs(wall(xs)).padStart(8)} wall ${secs(cpu(xs)).padStart(8)} cpu ${secs(work(xs)).padStart(8)} work  peak ${String(rss(xs)).padStart(5)} MB${r}`);
    };
    row(`tsc --noEmit (TS ${tscOut.typescript})`, m.tsc);
    row('Rusty full analysis', m.full, m.tsc, TARGET.full);
    row('Rusty syntactic pass', m.syntactic, m.tsc, TARGET.syntactic);
    if (cached.length) row('Rusty full, warm disk cache', cached, m.tsc);
    console.log(`   knip (unused exports+types) ${secs(wall(m.knip)).padStart(8)} wall ${secs(cpu(m.knip)).padStart(8)} cpu                peak ${String(rss(m.knip)).padStart(5)} MB   ${knipSet.size} unused`);
    console.log(`   Rusty unused exports        ${secs(wall(m.unused)).padStart(8)} wall ${secs(cpu(m.unused)).padStart(8)} cpu                peak ${String(rss(m.unused)).padStart(5)} MB   ${oursSet.size} unused │ ${ratio(wall(m.unused), wall(m.knip))} wall · ${ratio(cpu(m.unused), cpu(m.knip))} cpu  (target ≤ ${TARGET.knipTime}×: ${mark(knipRatio <= TARGET.knipTime)} wall, ${mark(cpu(m.unused) / cpu(m.knip) <= TARGET.knipTime)} cpu)`);
    console.log(`   agreement with knip: ${(agreement * 100).toFixed(1)}% (${both.length} both, ${onlyOurs.length} only Rusty, ${onlyKnip.length} only knip; entries: ${entries.length})  target ≥ ${TARGET.agreement * 100}% ${mark(agreement >= TARGET.agreement)}`);
    for (const x of onlyOurs.slice(0, 25)) console.log(`     only Rusty: ${x}`);
    if (onlyOurs.length > 25) console.log(`     … ${onlyOurs.length - 25} more only Rusty`);
    for (const x of onlyKnip.slice(0, 25)) console.log(`     only knip:  ${x}`);
    if (onlyKnip.length > 25) console.log(`     … ${onlyKnip.length - 25} more only knip`);
    console.log('');
    results.push({
      package: `${spec.name}@${spec.version}`, rounds: n, files: info.files, lines: info.lines,
      tsc: { wallMs: wall(m.tsc), cpuMs: cpu(m.tsc), workMs: work(m.tsc), peakMB: rss(m.tsc), diagnostics: tscOut.diagnostics },
      full: { wallMs: wall(m.full), cpuMs: cpu(m.full), workMs: work(m.full), peakMB: rss(m.full), diagnostics: info.diagnostics, ratio: fullRatio, cpuRatio: cpu(m.full) / cpu(m.tsc) },
      syntactic: { wallMs: wall(m.syntactic), cpuMs: cpu(m.syntactic), workMs: work(m.syntactic), peakMB: rss(m.syntactic), ratio: synRatio, cpuRatio: cpu(m.syntactic) / cpu(m.tsc) },
      ...(cached.length ? { warmCache: { wallMs: wall(cached), cpuMs: cpu(cached), peakMB: rss(cached), ratio: wall(cached) / wall(m.tsc) } } : {}),
      knip: { wallMs: wall(m.knip), cpuMs: cpu(m.knip), peakMB: rss(m.knip), unused: knipSet.size },
      unused: { wallMs: wall(m.unused), cpuMs: cpu(m.unused), peakMB: rss(m.unused), unused: oursSet.size, ratio: knipRatio, cpuRatio: cpu(m.unused) / cpu(m.knip), agreement, onlyRusty: onlyOurs, onlyKnip },
      entries,
    });
  }
  fs.writeFileSync(path.join(OUT_DIR, 'analysis.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`Results: ${path.join(OUT_DIR, 'analysis.json')}`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1]!, argv[2]!, argv[3]);
else await parent();
