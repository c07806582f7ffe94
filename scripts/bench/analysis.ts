// Benchmark (not a test): Rusty's workspace analysis on real packages from the npm registry
// (rxjs, zod, effect's 528k-line src) against the tools people compare it with, in one run:
//
//   - full analysis (diagnostics with the checker, complexity, graph, unused, public API) and the
//     syntactic pass vs `tsc --noEmit` with the TypeScript ts-morph bundles (analysis-tsc.mjs);
//     targets ≤ 1.0× and ≤ 0.25×; peak memory of each process;
//   - unused-export detection vs knip on the same sources with the same entries: time (≤ 1.5×)
//     and agreement (≥ 95%), listing the disagreements. Agreement is symmetric, per package: the
//     Jaccard index |both| ÷ |Rusty ∪ knip| over the reported `file:name` pairs (two empty reports
//     agree 100%). Each disagreement then goes to a referee that knows neither tool: TypeScript's
//     own findReferences (is the export referenced from another file?), plus the two rules both
//     tools implement that references alone do not show — a local export shadows the same name
//     coming through `export *`, and a type named by an imported value's declared type stays
//     exported. The raw agreement is what is held against the target; the referee only explains.
//
//   node scripts/bench/analysis.mjs   (bundles this file into dist/bench/analysis.mjs and runs it)
//
// Every measurement is a fresh process (so memory is per tool and nothing is warm), rounds are
// interleaved and the median is reported. Knobs: BENCH_ROUNDS (3), BENCH_EFFECT_ROUNDS (2),
// BENCH_PACKAGES (rxjs,zod,effect), BENCH_SKIP (e.g. tsc,full,syntactic,knip,unused,cached,referee).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Node as TsMorphNode, SourceFile } from 'ts-morph';
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
  if (task === 'referee') return referee(root, JSON.parse(fs.readFileSync(arg!, 'utf8')) as string[]);
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

// ─── referee: what the TypeScript checker says about each disagreement ─────────────────────

/** The evidence about one reported `file:name`; `verdict` reads it. */
interface Evidence {
  item: string;
  /** Places in other files that reference the export's declaration (TypeScript findReferences). */
  outside: string[];
  /** Files that take this file in with `export *` but export a `name` of their own, which wins. */
  shadowedBy: string[];
  /** Exported values of the same file, referenced from other files, whose declared type (outside function bodies) names it. */
  namedBy: string[];
  /** Those of namedBy whose name is also an interface/type declared before the value. */
  mergedTypeFirst: string[];
  /** Not a declaration of this file (a re-export): not refereed. */
  reExport?: boolean;
}

async function referee(root: string, items: string[]): Promise<void> {
  const { Project, Node, SyntaxKind } = await import('ts-morph');
  const project = new Project({ tsConfigFilePath: path.join(root, 'tsconfig.json') });
  const rel = (sf: SourceFile) => path.relative(root, sf.getFilePath()).split(path.sep).join('/');
  const starredBy = new Map<SourceFile, SourceFile[]>();
  for (const sf of project.getSourceFiles()) {
    for (const ed of sf.getExportDeclarations()) {
      if (ed.hasNamedExports() || ed.getNamespaceExport()) continue; // only `export * from`
      const target = ed.getModuleSpecifierSourceFile();
      if (target) starredBy.set(target, [...(starredBy.get(target) ?? []), sf]);
    }
  }
  const out: Evidence[] = [];
  for (const item of items) {
    const colon = item.lastIndexOf(':');
    const [file, name] = [item.slice(0, colon), item.slice(colon + 1)];
    const ev: Evidence = { item, outside: [], shadowedBy: [], namedBy: [], mergedTypeFirst: [] };
    out.push(ev);
    const sf = project.getSourceFile(path.join(root, file));
    const decls = sf?.getExportedDeclarations().get(name) ?? [];
    if (!sf || !decls.length || decls.some((d) => d.getSourceFile() !== sf)) {
      ev.reExport = true;
      continue;
    }
    const outsideRefs = (ds: readonly TsMorphNode[], imports = false) => {
      const outside = new Set<string>();
      for (const d of ds) {
        const nameNode = Node.hasName(d) ? d.getNameNode() : undefined;
        if (!nameNode || !Node.isReferenceFindable(nameNode)) continue;
        for (const ref of nameNode.findReferencesAsNodes()) {
          const f = ref.getSourceFile();
          // `imports`: uses in other files' code, not a barrel's or an entry's `export { x }`.
          if (imports && ref.getFirstAncestorByKind(SyntaxKind.ExportDeclaration)) continue;
          if (f !== sf) outside.add(`${rel(f)}:${ref.getStartLineNumber()}`);
        }
      }
      return [...outside].sort();
    };
    ev.outside = outsideRefs(decls);
    // Walk the `export *` chain: a file exporting its own `name` stops it (ES module resolution).
    const seen = new Set<SourceFile>([sf]);
    const queue = [sf];
    while (queue.length) {
      for (const by of starredBy.get(queue.shift()!) ?? []) {
        if (seen.has(by)) continue;
        seen.add(by);
        const own = by.getExportedDeclarations().get(name) ?? [];
        if (own.length && !own.some((d) => decls.includes(d))) ev.shadowedBy.push(rel(by));
        else queue.push(by);
      }
    }
    // Exported values whose declared type names it: variables' annotations, signatures, class heads.
    for (const [valueName, valueDecls] of sf.getExportedDeclarations()) {
      if (valueName === name) continue;
      for (const d of valueDecls) {
        if (!Node.isVariableDeclaration(d) && !Node.isFunctionDeclaration(d) && !Node.isClassDeclaration(d)) continue;
        const typePart = Node.isVariableDeclaration(d) ? d.getTypeNode() : d;
        if (!typePart) continue;
        const refs = [...(Node.isTypeReference(typePart) ? [typePart] : []), ...typePart.getDescendantsOfKind(SyntaxKind.TypeReference)];
        if (!refs.some((t) => !t.getFirstAncestorByKind(SyntaxKind.Block) && t.getTypeName().getText() === name)) continue;
        if (!outsideRefs([d], true).length) continue; // the rule holds for values other files import
        ev.namedBy.push(valueName);
        if (valueDecls.some((t) => (Node.isInterfaceDeclaration(t) || Node.isTypeAliasDeclaration(t)) && t.getStart() < d.getStart())) ev.mergedTypeFirst.push(valueName);
      }
    }
  }
  process.stdout.write(JSON.stringify({ workMs: 0, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), out: { evidence: out } }) + '\n');
}

/** Who the evidence says is right about one disagreement, and why in a line. */
function verdict(ev: Evidence, reportedBy: 'Rusty' | 'knip'): { right: 'Rusty' | 'knip' | '?'; byRule?: boolean; why: string } {
  if (ev.reExport) return { right: '?', why: 're-export, not refereed' };
  const refs = ev.outside.length ? `referenced from ${ev.outside.slice(0, 3).join(', ')}${ev.outside.length > 3 ? ` (+${ev.outside.length - 3})` : ''}` : '';
  if (reportedBy === 'Rusty') {
    if (refs) return { right: 'knip', why: refs };
    if (ev.shadowedBy.length) return { right: 'Rusty', why: `no reference outside its file; knip follows \`export *\` through ${ev.shadowedBy.join(', ')}, whose own export of the name shadows it` };
    return { right: 'Rusty', why: 'no reference outside its file' };
  }
  if (refs) return { right: 'Rusty', why: refs };
  if (ev.namedBy.length) {
    const merged = ev.mergedTypeFirst.length ? `; knip skips the rule here because ${ev.mergedTypeFirst.join(', ')} is also an interface/type declared first, and knip gives the merged export that kind` : '';
    return { right: 'Rusty', byRule: true, why: `used only in its file, but the declared type of ${ev.namedBy.join(', ')} (imported elsewhere) names it: kept by the type-reference rule knip implements (isReferencedInUsedExport)${merged}` };
  }
  return { right: 'knip', why: 'no reference outside its file' };
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

function ours(pkg: RealPackage, task: 'full' | 'syntactic' | 'unused' | 'cached' | 'referee', arg?: string): Measure {
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

    // Agreement with knip on unused exports and types (same entries, same files): symmetric, the
    // Jaccard index over the union of both reports (each reported file:name counts once).
    const oursSet = new Set((m.unused[0]!.out.unused as string[] | undefined) ?? []);
    const knipSet = new Set(m.knip[0]!.unused);
    const both = [...oursSet].filter((x) => knipSet.has(x));
    const onlyOurs = [...oursSet].filter((x) => !knipSet.has(x)).sort();
    const onlyKnip = [...knipSet].filter((x) => !oursSet.has(x)).sort();
    const union = oursSet.size + knipSet.size - both.length;
    const agreement = union === 0 ? 1 : both.length / union;
    const measured = m.unused[0]!.out.unused !== undefined && m.knip[0]!.wallMs === m.knip[0]!.wallMs;
    // The referee, in a process of its own (it loads the whole program with the checker).
    const disputed = [...onlyOurs, ...onlyKnip];
    let evidence = new Map<string, Evidence>();
    if (measured && disputed.length && !skip.includes('referee')) {
      process.stderr.write(`  ${spec.name}: refereeing ${disputed.length} disagreements with TypeScript…\n`);
      const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-referee-')), 'items.json');
      fs.writeFileSync(list, JSON.stringify(disputed));
      const r = ours(pkg, 'referee', list);
      fs.rmSync(path.dirname(list), { recursive: true, force: true });
      evidence = new Map((r.out.evidence as Evidence[]).map((e) => [e.item, e]));
    }
    const rulings = [...onlyOurs.map((x) => ({ x, by: 'Rusty' as const })), ...onlyKnip.map((x) => ({ x, by: 'knip' as const }))]
      .map(({ x, by }) => ({ item: x, reportedBy: by, ...(evidence.has(x) ? verdict(evidence.get(x)!, by) : { right: '?' as const, why: 'not refereed' }) }));
    const rustyRight = rulings.filter((r) => r.right === 'Rusty').length;
    const knipRight = rulings.filter((r) => r.right === 'knip').length;
    const byRule = rulings.filter((r) => r.right === 'Rusty' && r.byRule).length;

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
    console.log(`   agreement with knip: ${(agreement * 100).toFixed(1)}% = ${both.length} both ÷ ${union} reported by either (Jaccard, symmetric; ${onlyOurs.length} only Rusty, ${onlyKnip.length} only knip; entries: ${entries.length})${union === 0 ? ' — both report nothing' : ''}  target ≥ ${TARGET.agreement * 100}% ${measured ? mark(agreement >= TARGET.agreement) : 'not measured'}`);
    if (rulings.length && !evidence.size) console.log('   referee: skipped (BENCH_SKIP=referee), disagreements below are not refereed');
    if (rulings.length && evidence.size) {
      const unsettled = rulings.length - rustyRight - knipRight;
      console.log(`   referee (TypeScript findReferences + export * shadowing + the type-reference rule) on the ${rulings.length} disagreements: Rusty right ${rustyRight}${byRule ? ` (${byRule} of them by the type-reference rule, not by a reference)` : ''}, knip right ${knipRight}${unsettled ? `, not settled ${unsettled}` : ''} → Rusty matches knip-or-referee on ${(((both.length + rustyRight) / union) * 100).toFixed(1)}% (explanation only; the target is the raw agreement)`);
    }
    for (const r of rulings.slice(0, 40)) console.log(`     only ${r.reportedBy.padEnd(5)} ${r.item}  [${r.right === '?' ? 'unsettled' : `${r.right} right`}: ${r.why}]`);
    if (rulings.length > 40) console.log(`     … ${rulings.length - 40} more (all in analysis.json)`);
    console.log('');
    results.push({
      package: `${spec.name}@${spec.version}`, rounds: n, files: info.files, lines: info.lines,
      tsc: { wallMs: wall(m.tsc), cpuMs: cpu(m.tsc), workMs: work(m.tsc), peakMB: rss(m.tsc), diagnostics: tscOut.diagnostics },
      full: { wallMs: wall(m.full), cpuMs: cpu(m.full), workMs: work(m.full), peakMB: rss(m.full), diagnostics: info.diagnostics, ratio: fullRatio, cpuRatio: cpu(m.full) / cpu(m.tsc) },
      syntactic: { wallMs: wall(m.syntactic), cpuMs: cpu(m.syntactic), workMs: work(m.syntactic), peakMB: rss(m.syntactic), ratio: synRatio, cpuRatio: cpu(m.syntactic) / cpu(m.tsc) },
      ...(cached.length ? { warmCache: { wallMs: wall(cached), cpuMs: cpu(cached), peakMB: rss(cached), ratio: wall(cached) / wall(m.tsc) } } : {}),
      knip: { wallMs: wall(m.knip), cpuMs: cpu(m.knip), peakMB: rss(m.knip), unused: knipSet.size },
      unused: { wallMs: wall(m.unused), cpuMs: cpu(m.unused), peakMB: rss(m.unused), unused: oursSet.size, ratio: knipRatio, cpuRatio: cpu(m.unused) / cpu(m.knip), agreement, agreementMetric: 'jaccard: both / (Rusty ∪ knip)', onlyRusty: onlyOurs, onlyKnip, referee: { rustyRight, rustyRightByRule: byRule, knipRight, rulings } },
      entries,
    });
  }
  fs.writeFileSync(path.join(OUT_DIR, 'analysis.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`Results: ${path.join(OUT_DIR, 'analysis.json')}`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1]!, argv[2]!, argv[3]);
else await parent();
