// The soak and fuzz suite's bookkeeping (issue 9): trial counts, seeds, and one report per suite.
//
// Sizes: each suite has a CI count (what `vitest run` / `npm test` does) and a full count
// (`npm run soak -- --full`, which sets RUSTY_SOAK_FULL=1). RUSTY_SOAK_TRIALS=N overrides both.
// Seeds: trial i of a suite uses seed base+i; the base is 1 unless RUSTY_SOAK_SEED says otherwise
// (`random` picks one and prints it). RUSTY_SOAK_REPLAY=S runs the single trial with seed S.
// Reports: every suite prints `trials, failures` and one line per failure with its seed and the
// command that reruns it; with RUSTY_SOAK_REPORT=<dir> it also writes <dir>/<suite>.json, which
// scripts/soak/run.mjs collects into the summary.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SoakFailure {
  seed: number;
  detail: string;
  /** Set when the failure is a known open bug (the reason names it); see SoakRecorder.known. */
  known?: string;
}

export interface SoakReport {
  suite: string;
  title: string;
  file: string;
  trials: number;
  failures: SoakFailure[];
  /** Measurements worth printing (e.g. event-loop lag p99 in ms). */
  metrics: Record<string, number>;
  notes: string[];
  seedBase: number;
}

const env = process.env;

export const SOAK_FULL = env.RUSTY_SOAK_FULL === '1';
/** A suite's test timeout: generous, since a full run on a busy machine takes long (each trial has its own limits). */
export const SOAK_TIMEOUT_MS = 6 * 3600_000;

/** Known open bugs fail the suite's test too (RUSTY_SOAK_STRICT=1, `npm run soak -- --strict`). */
export const SOAK_STRICT = env.RUSTY_SOAK_STRICT === '1';

/** Trials for a suite: RUSTY_SOAK_TRIALS, else the full count with RUSTY_SOAK_FULL=1, else the CI count. */
export function soakTrials(ci: number, full: number): number {
  const forced = Number(env.RUSTY_SOAK_TRIALS);
  if (Number.isSafeInteger(forced) && forced > 0) return forced;
  return SOAK_FULL ? full : ci;
}

const replay = env.RUSTY_SOAK_REPLAY !== undefined && env.RUSTY_SOAK_REPLAY !== '' ? Number(env.RUSTY_SOAK_REPLAY) : undefined;
const seedBase = env.RUSTY_SOAK_SEED === 'random'
  ? 1 + Math.floor(Math.random() * 1e9)
  : Number.isSafeInteger(Number(env.RUSTY_SOAK_SEED)) && env.RUSTY_SOAK_SEED ? Number(env.RUSTY_SOAK_SEED) : 1;

/** The seeds of `count` trials (or only the replayed one). */
export function soakSeeds(count: number): number[] {
  if (replay !== undefined && Number.isSafeInteger(replay)) return [replay];
  return Array.from({ length: count }, (_, i) => seedBase + i);
}

/** Control characters a terminal acts on (C0 except none, DEL, C1). */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Bidirectional overrides/isolates and invisible marks ("Trojan Source"). */
const BIDI = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Failure details quote untrusted text (paths, messages): escape what a terminal would act on. */
export function escapeForTerminal(s: string): string {
  return s.replace(new RegExp(`${CONTROL_CHARS.source}|${BIDI.source}`, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class SoakRecorder {
  private readonly report: SoakReport;
  private readonly knownBugs: { pattern: RegExp; reason: string }[] = [];

  constructor(suite: string, title: string, file: string) {
    this.report = { suite, title, file, trials: 0, failures: [], metrics: {}, notes: [], seedBase };
  }

  get failures(): readonly SoakFailure[] {
    return this.report.failures;
  }

  get trials(): number {
    return this.report.trials;
  }

  /** Count a trial; under the runner (RUSTY_SOAK_REPORT), print progress every tenth of a long run. */
  trial(planned?: number): void {
    this.report.trials++;
    const n = this.report.trials;
    if (env.RUSTY_SOAK_REPORT && planned && planned >= 100 && n % Math.ceil(planned / 10) === 0) {
      console.log(`[soak] ${this.report.suite} progress: ${n}/${planned} trials, ${this.report.failures.length} failures so far`);
    }
  }

  /**
   * Failures whose detail matches `pattern` are a known open bug (`reason` names the issue): they
   * are counted and printed with their seeds like any other, but only fail the test with
   * RUSTY_SOAK_STRICT=1, so that CI goes red on new failures while the known ones keep counting.
   */
  known(pattern: RegExp, reason: string): this {
    this.knownBugs.push({ pattern, reason });
    return this;
  }

  fail(seed: number, detail: string): void {
    const text = escapeForTerminal(detail.replace(/[ \t]+/g, ' ')).slice(0, 600);
    const known = this.knownBugs.find((k) => k.pattern.test(detail))?.reason;
    this.report.failures.push({ seed, detail: text, ...(known ? { known } : {}) });
  }

  metric(name: string, value: number): void {
    this.report.metrics[name] = value;
  }

  note(text: string): void {
    this.report.notes.push(text);
  }

  /** The command that reruns one seed of this suite. */
  rerun(seed: number): string {
    return `RUSTY_SOAK_REPLAY=${seed} npx vitest run ${this.report.file}`;
  }

  /** Print the counts and every failure (with its seed), and write the JSON report if asked. */
  finish(): SoakReport {
    const r = this.report;
    const metrics = Object.entries(r.metrics).map(([k, v]) => `, ${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join('');
    const lines = [`[soak] ${r.suite} ${r.title}: ${r.trials} trials, ${r.failures.length} failures${metrics}`];
    for (const n of r.notes) lines.push(`[soak] ${r.suite}   note: ${n}`);
    const known = r.failures.filter((f) => f.known).length;
    if (known) lines[0] += ` (${known} known: ${[...new Set(r.failures.map((f) => f.known).filter(Boolean))].join('; ')})`;
    for (const f of r.failures.slice(0, 50)) lines.push(`[soak] ${r.suite}   FAIL${f.known ? ' (known)' : ''} seed ${f.seed}: ${f.detail}\n[soak] ${r.suite}     rerun: ${this.rerun(f.seed)}`);
    if (r.failures.length > 50) lines.push(`[soak] ${r.suite}   … and ${r.failures.length - 50} more failures`);
    console.log(lines.join('\n'));
    const dir = env.RUSTY_SOAK_REPORT;
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${r.suite}.json`), JSON.stringify(r, null, 1));
    }
    return r;
  }

  /** For the test's assertion: the first failures, one line each, with their seeds. */
  summary(max = 8): string[] {
    const f = this.report.failures.filter((x) => SOAK_STRICT || !x.known);
    const out = f.slice(0, max).map((x) => `seed ${x.seed}: ${x.detail.slice(0, 300)}`);
    if (f.length > max) out.push(`… and ${f.length - max} more`);
    return out;
  }
}

/** Run `fn` for every seed, recording a thrown error as that trial's failure. */
export async function eachSeed(rec: SoakRecorder, seeds: number[], fn: (seed: number) => Promise<void | string | string[]>): Promise<void> {
  for (const seed of seeds) {
    rec.trial(seeds.length);
    try {
      const problems = await fn(seed);
      for (const p of typeof problems === 'string' ? [problems] : problems ?? []) rec.fail(seed, p);
    } catch (err) {
      rec.fail(seed, `threw ${(err as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(err)}`);
    }
  }
}
