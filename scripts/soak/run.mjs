// Runs the soak and fuzz suite (issue 9) and prints, per suite, its trials and failures, and for
// every failure its seed and the command that reruns it. The suites are ordinary vitest files
// (*.soak.test.ts) that also run, at CI size, in `vitest run`; here they run one file at a time
// (so R4's event-loop measurement is not disturbed by the others) and report through JSON files.
//
//   npm run soak                          CI sizes (~2 minutes on 2 cores)
//   npm run soak -- --full                full sizes (R1/R2/R3: 1,000 trials each)
//   npm run soak -- --suite R3a,R7        only these suites
//   npm run soak -- --seed 5000           seeds from 5000 (or --seed random)
//   npm run soak -- --suite R1 --replay 12   rerun one seed
//   npm run soak -- --trials 100          that many trials in every suite
//   npm run soak -- --strict              known open bugs (marked "known") count as failures too
// Needs the CLI built (`npm run soak` builds first).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Suite → file, and what it checks (the report's own title is printed when there is one). */
const SUITES = [
  ['R1', 'src/core/soak/kill.soak.test.ts'],
  ['R2', 'src/core/soak/userEdits.soak.test.ts'],
  ['R3a', 'src/core/soak/changeSets.soak.test.ts'],
  ['R3b', 'src/core/soak/changeSets.soak.test.ts'],
  ['R4', 'src/core/soak/hostileMcp.soak.test.ts'],
  ['R7', 'src/core/soak/auditTamper.soak.test.ts'],
  ['W', 'src/extension/webviews/messages.soak.test.ts'],
];

function parseArgs(argv) {
  const o = { full: false, strict: false, suites: undefined, seed: undefined, replay: undefined, trials: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    if (flag === '--full') o.full = true;
    else if (flag === '--strict') o.strict = true;
    else if (flag === '--suite') o.suites = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--seed') o.seed = value();
    else if (flag === '--replay') o.replay = value();
    else if (flag === '--trials') o.trials = value();
    else if (flag === '--help' || flag === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else {
      console.error(`soak: unknown argument ${argv[i]} (try --help)`);
      process.exit(2);
    }
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const known = SUITES.map(([s]) => s);
for (const s of opts.suites ?? []) {
  if (!known.includes(s)) {
    console.error(`soak: unknown suite ${s}; the suites are ${known.join(', ')}`);
    process.exit(2);
  }
}
const chosen = SUITES.filter(([s]) => !opts.suites || opts.suites.includes(s));
const files = [...new Set(chosen.map(([, f]) => f))];

const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-soak-report-'));
const logFile = path.join(reportDir, 'vitest.log');
const env = {
  ...process.env,
  RUSTY_SOAK_REPORT: reportDir,
  ...(opts.full ? { RUSTY_SOAK_FULL: '1' } : {}),
  ...(opts.strict ? { RUSTY_SOAK_STRICT: '1' } : {}),
  ...(opts.seed ? { RUSTY_SOAK_SEED: opts.seed } : {}),
  ...(opts.replay ? { RUSTY_SOAK_REPLAY: opts.replay } : {}),
  ...(opts.trials ? { RUSTY_SOAK_TRIALS: opts.trials } : {}),
};

console.log(`Soak and fuzz suite: ${opts.full ? 'full' : opts.trials ? `${opts.trials} trials per suite` : 'CI'} size${opts.replay ? `, replaying seed ${opts.replay}` : ''}; ${chosen.map(([s]) => s).join(', ')}`);
console.log(`vitest output: ${logFile}`);
const started = Date.now();
let shown = 0;
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const log = fs.openSync(logFile, 'w');
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [vitest, 'run', '--project', 'node', '--no-file-parallelism', ...files], { cwd: root, env, stdio: ['ignore', log, log] });
  // Echo the suites' own lines as they come, so a long run shows progress.
  const timer = setInterval(() => showProgress(), 2000);
  child.on('close', (c) => {
    clearInterval(timer);
    resolve(c);
  });
});
fs.closeSync(log);
showProgress();

function showProgress() {
  let text;
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return;
  }
  // vitest may prefix a test's first stdout line with colour codes: keep from "[soak]" on.
  const lines = text.split('\n').map((l) => l.slice(Math.max(0, l.indexOf('[soak] ')))).filter((l) => l.startsWith('[soak] ') && !l.includes('  FAIL seed') && !l.includes('    rerun:'));
  for (const l of lines.slice(shown)) console.log(l);
  shown = Math.max(shown, lines.length);
}

// ---------------------------------------------------------------------------------------------
// Summary from the JSON reports.
const reports = new Map();
for (const f of fs.readdirSync(reportDir).filter((n) => n.endsWith('.json'))) {
  const r = JSON.parse(fs.readFileSync(path.join(reportDir, f), 'utf8'));
  reports.set(r.suite, r);
}
const pad = (s, n) => String(s).padEnd(n);
console.log('');
console.log(`${pad('suite', 6)}${pad('trials', 8)}${pad('failures', 10)}${pad('known', 7)}what`);
let passed = 0;
let failed = 0;
let trials = 0;
let failures = 0;
let knownTotal = 0;
for (const [suite, file] of chosen) {
  const r = reports.get(suite);
  if (!r) {
    failed++;
    console.log(`${pad(suite, 6)}${pad('-', 8)}${pad('no report', 10)}${pad('', 7)}${file} did not finish: see ${logFile}`);
    continue;
  }
  const metrics = Object.entries(r.metrics ?? {}).map(([k, v]) => `; ${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join('');
  const known = r.failures.filter((f) => f.known).length;
  console.log(`${pad(suite, 6)}${pad(r.trials, 8)}${pad(r.failures.length, 10)}${pad(known, 7)}${r.title}${metrics}`);
  trials += r.trials;
  failures += r.failures.length;
  knownTotal += known;
  if (r.failures.length - (opts.strict ? 0 : known) > 0 || r.trials === 0) failed++;
  else passed++;
}
const withFailures = chosen.map(([s]) => reports.get(s)).filter((r) => r?.failures.length);
if (withFailures.length) {
  console.log('\nFailures (seed: what; rerun one seed with the command shown):');
  for (const r of withFailures) {
    for (const f of r.failures.slice(0, 20)) console.log(`  ${r.suite} seed ${f.seed}${f.known ? ' (known)' : ''}: ${f.detail.slice(0, 300)}`);
    if (r.failures.length > 20) console.log(`  ${r.suite}: … and ${r.failures.length - 20} more (all in ${path.join(reportDir, `${r.suite}.json`)})`);
    console.log(`  rerun: RUSTY_SOAK_REPLAY=<seed> npx vitest run ${r.file}   (or: npm run soak -- --suite ${r.suite} --replay <seed>)`);
  }
}
const knownReasons = [...new Set([...reports.values()].flatMap((r) => r.failures.map((f) => f.known)).filter(Boolean))];
if (knownTotal) console.log(`\n${knownTotal} of the failures are known open bugs${opts.strict ? '' : ' (not counted against a suite; --strict counts them)'}: ${knownReasons.join('; ')}`);
console.log(`\n${trials} trials, ${failures} failures in ${((Date.now() - started) / 1000).toFixed(0)} s (vitest exit ${code}); reports in ${reportDir}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
